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

  /**
   * A cancellation without a message.
   *
   * <p>Threading: any thread.
   */
  public CancelledError() {
    super();
  }

  /**
   * A cancellation carrying the message given to {@link Task#cancel(String)}.
   *
   * <p>Threading: any thread.
   */
  public CancelledError(String message) {
    super(message);
  }

  private CancelledError(String message, boolean writableStackTrace) {
    super(message, null, false, writableStackTrace);
  }

  /**
   * The error the runtime delivers to a cancelled coroutine. Its stack trace would show only the
   * loop's own frames, never the coroutine's, and recording it costs more than the rest of a
   * cancellation, so it has none; the message says what was cancelled.
   */
  static CancelledError delivered(String message) {
    return new CancelledError(message, false);
  }
}
