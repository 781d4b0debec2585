package io.awaitj.sync;

/**
 * Thrown when putting into a {@link Queue} that was {@link Queue#shutdown() shut down}, or getting from
 * one that is shut down and empty: asyncio's {@code QueueShutDown} (Python 3.13).
 */
public class QueueShutDownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * <p>Threading: any thread.
   */
  public QueueShutDownException(String message) {
    super(message);
  }
}
