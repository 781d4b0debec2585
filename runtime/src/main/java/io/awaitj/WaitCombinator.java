package io.awaitj;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link Aio#wait}: asyncio's {@code wait}/{@code _wait}. A coroutine that, when started, registers
 * itself as the done callback of every promise and as the timer callback, waits on one waiter promise,
 * and on the way out (normally, or cancelled) removes its callbacks and cancels its timer. Nothing it
 * waits for is cancelled.
 */
final class WaitCombinator<P extends Promise<?>> extends Coroutine<WaitResult<P>>
    implements Consumer<Promise<?>>, Runnable {
  private final Set<P> promises;
  private final ReturnWhen when;
  private final Duration timeout;
  private Promise<Void> waiter;
  private TimerHandle timer;
  private int counter;

  WaitCombinator(Collection<? extends P> promises, ReturnWhen when, Duration timeout) {
    if (promises == null) {
      throw new NullPointerException("promises");
    }
    if (when == null) {
      throw new NullPointerException("when");
    }
    // asyncio makes a set of them: each promise counts once. Promises compare by identity.
    Set<P> set = new LinkedHashSet<>(promises);
    if (set.isEmpty()) {
      throw new IllegalArgumentException(
          "Aio.wait() needs at least one promise: the collection is empty");
    }
    if (set.contains(null)) {
      throw new NullPointerException("a promise in the collection is null");
    }
    this.promises = set;
    this.when = when;
    this.timeout = timeout;
  }

  @Override
  protected Object step() {
    switch (state) {
      case 0:
        EventLoop loop = loop();
        for (P p : promises) {
          if (p.loop != loop && p.loop != null) {
            throw new IllegalArgumentException(
                p + " belongs to another event loop than the task waiting for it");
          }
        }
        waiter = loop.createPromise();
        if (timeout != null) {
          timer = loop.callLater(timeout, this);
        }
        counter = promises.size();
        for (P p : promises) {
          p.addCallback(this);
        }
        state = 1;
        if (suspendOn(waiter)) {
          return SUSPEND;
        }
        // fall through: not reached, the waiter is completed by a later callback
      case 1:
        try {
          awaitResult();
        } finally {
          cleanUp();
        }
        Set<P> done = new LinkedHashSet<>();
        Set<P> pending = new LinkedHashSet<>();
        for (P p : promises) {
          (p.isDone() ? done : pending).add(p);
        }
        return new WaitResult<>(done, pending);
      default:
        throw illegalState();
    }
  }

  private void cleanUp() {
    waiter = null;
    cancelTimer();
    for (P p : promises) {
      p.removeCallback(this);
    }
  }

  private void cancelTimer() {
    TimerHandle t = timer;
    if (t != null) {
      timer = null;
      t.cancel();
    }
  }

  /** One of the promises is done. */
  @Override
  public void accept(Promise<?> p) {
    counter--;
    if (counter <= 0
        || when == ReturnWhen.FIRST_COMPLETED
        || (when == ReturnWhen.FIRST_EXCEPTION && isFailure(p))) {
      cancelTimer();
      release();
    }
  }

  private static boolean isFailure(Promise<?> p) {
    if (p.failure() == null) {
      return false;
    }
    // asyncio looks at f.exception(), which marks it retrieved.
    p.markRetrieved();
    return true;
  }

  /** The timeout passed. */
  @Override
  public void run() {
    timer = null;
    release();
  }

  private void release() {
    Promise<Void> w = waiter;
    if (w != null && !w.isDone()) {
      w.complete(null);
    }
  }

  @Override
  public String toString() {
    return "Aio.wait(" + promises.size() + " promises, " + when
        + (timeout != null ? ", timeout " + timeout : "") + ")";
  }
}
