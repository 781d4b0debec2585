package io.awaitj;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@link Aio#wait}: asyncio's {@code wait}/{@code _wait}. A coroutine that, when started, makes the
 * waiter promise it waits on the done callback of every promise (a {@link Waiter}, queued as itself
 * when one completes: nothing is allocated per completion) and itself the timer callback, and on the
 * way out (normally, or cancelled) removes those callbacks and cancels its timer. Nothing it waits for
 * is cancelled.
 */
final class WaitCombinator<P extends Promise<?>> extends Coroutine<WaitResult<P>>
    implements Runnable {
  private final Set<P> promises;
  private final ReturnWhen when;
  private final Duration timeout;
  private Waiter waiter;
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
        Waiter w = new Waiter(loop);
        waiter = w;
        if (timeout != null) {
          timer = loop.callLater(timeout, this);
        }
        counter = promises.size();
        for (P p : promises) {
          p.addCallback(w);
        }
        state = 1;
        if (suspendOn(w)) {
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
    Waiter w = waiter;
    waiter = null;
    cancelTimer();
    for (P p : promises) {
      w.stopListeningTo(p);
    }
  }

  private void cancelTimer() {
    TimerHandle t = timer;
    if (t != null) {
      timer = null;
      t.cancel();
    }
  }

  /**
   * One of the promises is done: asyncio's {@code _on_completion}, run by the waiter in the order the
   * completions were queued, and still after the wait is over for those queued before it removed its
   * callbacks. {@code p} is the promise, or {@code null} unless {@code when} is FIRST_EXCEPTION (the
   * only rule that looks at it).
   */
  private void completed(Promise<?> p) {
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
    Waiter w = waiter;
    if (w != null && !w.isDone()) {
      w.complete(null);
    }
  }

  /**
   * What the wait waits on, and the done callback of every promise it waits for: when one completes,
   * this promise is queued as itself ({@link Promise#notifiedBy}), and its run is that completion's
   * callback ({@link #completed}). Only FIRST_EXCEPTION needs to know which promise each run is for:
   * then the promises whose completion queued it are kept in that order, [finished, notified) not run
   * yet, in one array of as many as there are promises (each registration is notified once), made at
   * the first completion.
   */
  private final class Waiter extends Promise.Listener<Void> {
    private Promise<?>[] completions;
    private int notified;
    private int finished;

    Waiter(EventLoop loop) {
      super(loop);
    }

    @Override
    void notifiedBy(Promise<?> done) {
      if (when == ReturnWhen.FIRST_EXCEPTION) {
        Promise<?>[] c = completions;
        if (c == null) {
          c = new Promise<?>[promises.size()];
          completions = c;
        }
        c[notified++] = done;
      }
    }

    @Override
    void runReady() {
      Promise<?>[] c = completions;
      Promise<?> p = null;
      if (c != null) {
        p = c[finished];
        c[finished++] = null;
      }
      completed(p);
    }

    @Override
    public String toString() {
      return WaitCombinator.this + ".waiter[" + describeState() + "]";
    }
  }

  @Override
  public String toString() {
    return "Aio.wait(" + promises.size() + " promises, " + when
        + (timeout != null ? ", timeout " + timeout : "") + ")";
  }
}
