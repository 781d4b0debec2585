package io.awaitj.io;

/**
 * The stream ended before a read had what it needed: asyncio's {@code IncompleteReadError}. Thrown by
 * {@link StreamReader#readExactly} and {@link StreamReader#readUntil}; the bytes that were there are
 * not lost: they are {@link #partial()}, and the reader is at its end.
 */
public final class IncompleteReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The bytes read before the end of the stream. */
  private final byte[] partial;

  /** How many bytes were expected; {@code -1} for a separator not found. */
  private final int expected;

  /**
   * Creates the exception. Threading: any thread.
   *
   * @param partial the bytes read before the end (kept, not copied)
   * @param expected how many bytes the read needed, or {@code -1} when it waited for a separator
   */
  public IncompleteReadException(byte[] partial, int expected) {
    super(partial.length + " bytes read at the end of the stream, "
        + (expected < 0 ? "without the separator" : "of " + expected + " expected")
        + ": the peer closed its side first; partial() holds them");
    this.partial = partial;
    this.expected = expected;
  }

  /** The bytes read before the end of the stream. Threading: any thread. */
  public byte[] partial() {
    return partial;
  }

  /** How many bytes were expected; {@code -1} for a separator not found. Threading: any thread. */
  public int expected() {
    return expected;
  }
}
