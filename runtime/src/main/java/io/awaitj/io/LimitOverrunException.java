package io.awaitj.io;

/**
 * A line or a separator-terminated record is longer than the reader's limit: asyncio's {@code
 * LimitOverrunError}. {@link StreamReader#readUntil} leaves the bytes in the reader ({@link #consumed()}
 * says how many could be taken with {@link StreamReader#read}); {@link StreamReader#readLine} drops the
 * overlong line (through its terminator if it came), so the next read starts on the next line.
 */
public final class LimitOverrunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How many bytes to take to get past the overrun. */
  private final int consumed;

  /**
   * Creates the exception. Threading: any thread.
   *
   * @param message what was read and what the limit is
   * @param consumed how many bytes to take to get past the overrun
   */
  public LimitOverrunException(String message, int consumed) {
    super(message);
    this.consumed = consumed;
  }

  /** How many bytes to take to get past the overrun. Threading: any thread. */
  public int consumed() {
    return consumed;
  }
}
