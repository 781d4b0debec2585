package io.awaitj;

/**
 * A scheduled callback, as returned by {@link EventLoop#callSoon}: asyncio's {@code Handle}. Cancelling
 * it before it runs means it never runs.
 */
public class Handle {
  private Runnable callback;
  private boolean cancelled;

  Handle(Runnable callback) {
    if (callback == null) {
      throw new NullPointerException("callback");
    }
    this.callback = callback;
  }

  /** Cancels the callback; it will not run. Idempotent. Call on the loop's thread. */
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      callback = null;
    }
  }

  /** Whether {@link #cancel()} was called. */
  public final boolean isCancelled() {
    return cancelled;
  }

  final void run() {
    Runnable r = callback;
    if (r != null) {
      r.run();
    }
  }

  @Override
  public String toString() {
    Runnable r = callback;
    return getClass().getSimpleName() + "[" + (cancelled ? "cancelled" : String.valueOf(r)) + "]";
  }
}
