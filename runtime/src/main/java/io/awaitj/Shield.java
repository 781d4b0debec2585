package io.awaitj;

/**
 * {@link Aio#shield}: asyncio's {@code shield}. The outer promise is the inner's done callback, queued
 * as itself when the inner completes (nothing allocated), and copies its outcome; cancelling the
 * outer cancels only the outer, and then (through {@link #onDone()}) stops listening to the inner,
 * which runs on.
 */
final class Shield<T> extends Promise.Listener<T> {
  private final Promise<T> inner;

  private Shield(EventLoop loop, Promise<T> inner) {
    super(loop);
    this.inner = inner;
  }

  /** Shields {@code awaitable}; see {@link Aio#shield}. */
  static <T> Promise<T> start(Awaitable<T> awaitable) {
    EventLoop loop = EventLoop.loopOf(awaitable);
    loop.checkThread("call Aio.shield");
    Promise<T> inner = loop.ensureFuture(awaitable);
    if (inner.isDone()) {
      return inner;
    }
    Shield<T> outer = new Shield<>(loop, inner);
    inner.addCallback(outer);
    return outer;
  }

  /** The inner promise is done: its callback, as the loop runs it. */
  @Override
  void runReady() {
    if (isDone()) {
      // The outer was cancelled; the inner's exception is nobody's to report now.
      if (inner.failure() != null) {
        inner.markRetrieved();
      }
      return;
    }
    if (inner.isCancelled()) {
      cancel(inner.cancelMessage());
    } else {
      if (inner.failure() != null) {
        inner.markRetrieved();
      }
      copyFrom(inner);
    }
  }

  /** The outer is done: if that was a cancellation, stop listening to the inner. */
  @Override
  void onDone() {
    if (!inner.isDone()) {
      stopListeningTo(inner);
    }
  }

  @Override
  public String toString() {
    return "Aio.shield(" + inner + ")[" + describeState() + "]";
  }
}
