package io.awaitj.sync;

/** Thrown by {@link Queue#getNowait} when the queue is empty: asyncio's {@code QueueEmpty}. */
public class QueueEmptyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * <p>Threading: any thread.
   */
  public QueueEmptyException(String message) {
    super(message);
  }
}
