package io.awaitj;

import java.time.Duration;

/**
 * {@link Aio#sleep(Duration)}: a coroutine that, when started, sets a timer and waits for it. A zero or
 * negative delay yields to the loop for one pass instead (asyncio's {@code sleep(0)}). Cancelling the
 * task while it sleeps cancels the timer.
 */
final class Sleep<T> extends Coroutine<T> {
  private final Duration delay;
  private final T value;

  Sleep(Duration delay, T value) {
    this.delay = delay;
    this.value = value;
  }

  @Override
  protected Object step() {
    switch (state) {
      case 0:
        state = 1;
        Promise<?> wait;
        if (delay.isNegative() || delay.isZero()) {
          wait = Task.Yield.INSTANCE;
        } else {
          EventLoop loop = loop();
          TimerPromise timer = new TimerPromise(loop);
          timer.handle = loop.callLater(delay, timer);
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
    return "Aio.sleep(" + delay + ")";
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
