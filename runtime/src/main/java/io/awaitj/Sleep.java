package io.awaitj;

import java.time.Duration;

/**
 * {@link Aio#sleep(Duration)}: a coroutine that, when started, sets a timer and waits for it. A zero or
 * negative delay yields to the loop for one pass instead (asyncio's {@code sleep(0)}). Cancelling the
 * task while it sleeps cancels the timer.
 */
final class Sleep<T> extends Coroutine<T> {
  /** The delay in nanoseconds (saturated); zero or less yields for one pass. */
  private final long nanos;
  private final T value;

  Sleep(Duration delay, T value) {
    this(EventLoop.deadlineAfter(0, delay), value);
  }

  Sleep(long nanos, T value) {
    this.nanos = nanos;
    this.value = value;
  }

  /** A sleep of {@code millis} milliseconds, without a {@link Duration} on the way. */
  static Sleep<Void> millis(long millis) {
    long nanos = millis <= 0 ? 0 : millis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000;
    return new Sleep<>(nanos, null);
  }

  @Override
  protected Object step() {
    switch (state) {
      case 0:
        state = 1;
        Promise<?> wait;
        if (nanos <= 0) {
          wait = Task.Yield.INSTANCE;
        } else {
          EventLoop loop = loop();
          TimerPromise timer = new TimerPromise(loop);
          timer.handle = loop.callAt(EventLoop.deadlineAfterNanos(loop.nanoTime(), nanos), timer);
          wait = timer;
        }
        if (suspendOn(wait)) {
          return SUSPEND;
        }
        // fall through: only for a timer already fired, which cannot happen before a pass
      case 1:
        awaitResult();
        return value;
      default:
        throw illegalState();
    }
  }

  @Override
  public String toString() {
    return "Aio.sleep(" + Duration.ofNanos(nanos) + ")";
  }

  /** A promise completed by its own timer; cancelling it cancels the timer. */
  static final class TimerPromise extends Promise<Void> implements Runnable {
    TimerHandle handle;

    TimerPromise(EventLoop loop) {
      super(loop);
    }

    @Override
    public void run() {
      if (!isDone()) {
        complete(null);
      }
    }

    @Override
    void onDone() {
      TimerHandle h = handle;
      if (h != null) {
        handle = null;
        h.cancel();
      }
    }
  }
}
