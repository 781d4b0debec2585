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
  private Runnable callback;

  /** Volatile: {@link #cancel()} may come from any thread; the loop reads it before each run. */
  private volatile boolean cancelled;

  /**
   * Made by {@link EventLoop#callSoonThreadsafe}: a callback its caller was told will run, which
   * {@code EventLoop.close()} runs even if it is still waiting when the loop closes.
   */
  final boolean posted;

  Handle(Runnable callback) {
    this(callback, false);
  }

  Handle(Runnable callback, boolean posted) {
    if (callback == null) {
      throw new NullPointerException("callback");
    }
    this.callback = callback;
    this.posted = posted;
  }

  /**
   * Cancels the callback; it will not run (unless it is running or started already). Idempotent.
   * Threading: any thread.
   */
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      callback = null;
    }
  }

  /** Whether {@link #cancel()} was called. Threading: any thread. */
  public final boolean isCancelled() {
    return cancelled;
  }

  /** Runs the callback, unless it was cancelled. */
  @Override
  final void runReady() {
    Runnable r = callback;
    if (r != null && !cancelled) {
      r.run();
    }
  }

  @Override
  public String toString() {
    Runnable r = callback;
    return getClass().getSimpleName() + "[" + (cancelled ? "cancelled" : String.valueOf(r)) + "]";
  }
}
