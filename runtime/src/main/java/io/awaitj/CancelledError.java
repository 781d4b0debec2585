package io.awaitj;

/**
 * Thrown into a coroutine at its suspension point when its task is cancelled (asyncio's
 * {@code CancelledError}).
 *
 * <p>It is an {@link Error}, not an {@link Exception}, so that {@code catch (Exception e)} does not
 * swallow a cancellation, as {@code except Exception} does not in Python. {@code finally} blocks and
 * async closes still run. A task may catch it and go on (see {@link Task#uncancel()}); usually it should
 * clean up and rethrow.
 */
public class CancelledError extends Error {
  private static final long serialVersionUID = 1L;

  /** A cancellation without a message. */
  public CancelledError() {
    super();
  }

  /** A cancellation carrying the message given to {@link Task#cancel(String)}. */
  public CancelledError(String message) {
    super(message);
  }
}
