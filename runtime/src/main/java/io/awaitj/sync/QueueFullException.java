package io.awaitj.sync;

/** Thrown by {@link Queue#putNowait} when the queue is full: asyncio's {@code QueueFull}. */
public class QueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * <p>Threading: any thread.
   */
  public QueueFullException(String message) {
    super(message);
  }
}
