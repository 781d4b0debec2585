package io.awaitj;

/**
 * A scheduled callback, as returned by {@link EventLoop#callSoon}: asyncio's {@code Handle}. Cancelling
 * it before it runs means it never runs.
 *
 * <p>Threading: {@link #cancel()} and {@link #isCancelled()} work from any thread. A cancel from
 * another thread that races with the loop starting the callback may come too late to stop it, as any
 * cross-thread cancellation may; once {@code cancel()} has returned, the callback does not start.
 */
public class Handle extends Ready {
  /**
   * The callback, {@code null} once cancelled: cancelled is no field of its own, so a handle is its
   * header and this reference (16 bytes), and a {@link TimerHandle} has room for its links. Volatile:
   * {@link #cancel()} may come from any thread; the loop reads it before each run.
   */
  private volatile Runnable callback;

  Handle(Runnable callback) {
    if (callback == null) {
      throw new NullPointerException("callback");
    }
    this.callback = callback;
  }

  /**
   * Cancels the callback; it will not run (unless it is running or started already). Idempotent.
   * Threading: any thread.
   */
  public void cancel() {
    callback = null;
  }

  /** Whether {@link #cancel()} was called. Threading: any thread. */
  public final boolean isCancelled() {
    return callback == null;
  }

  /** Runs the callback, unless it was cancelled. */
  @Override
  final void runReady() {
    Runnable r = callback;
    if (r != null) {
      r.run();
    }
  }

  @Override
  public String toString() {
    Runnable r = callback;
    String name = this instanceof Posted ? "Handle" : getClass().getSimpleName();
    return name + "[" + (r == null ? "cancelled" : String.valueOf(r)) + "]";
  }

  /**
   * Made by {@link EventLoop#callSoonThreadsafe}: a callback its caller was told will run, which
   * {@code EventLoop.close()} runs even if it is still waiting when the loop closes.
   */
  static final class Posted extends Handle {
    Posted(Runnable callback) {
      super(callback);
    }
  }
}
