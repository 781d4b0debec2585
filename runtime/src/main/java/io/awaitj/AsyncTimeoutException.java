package io.awaitj;

/**
 * Thrown when an operation runs past its deadline: by {@link Aio#waitFor}, by a {@link Timeout} scope,
 * by {@link Aio#asCompleted} after its timeout (asyncio's {@code TimeoutError}).
 */
public class AsyncTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A timeout with a message saying what expired.
   *
   * <p>Threading: any thread.
   */
  public AsyncTimeoutException(String message) {
    super(message);
  }

  /**
   * A timeout with a message and the cancellation that it replaced.
   *
   * <p>Threading: any thread.
   */
  public AsyncTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
