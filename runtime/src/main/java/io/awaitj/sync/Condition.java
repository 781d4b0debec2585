package io.awaitj.sync;

import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import java.util.function.BooleanSupplier;

/**
 * A condition variable: asyncio's {@code Condition}. Coroutines holding its lock wait with {@link
 * #waitSignal()} until another signals; the lock is released while they wait and taken back before
 * they go on.
 *
 * <pre>{@code
 * try (var held = await(cond.hold())) {
 *   await(cond.waitFor(() -> !items.isEmpty()));
 *   ...
 * }
 * }</pre>
 *
 * <p>Names: asyncio's {@code wait()}, {@code wait_for()}, {@code notify()} and {@code notify_all()}
 * are {@link #waitSignal()}, {@link #waitFor}, {@link #signal()} and {@link #signalAll()}, because
 * {@code wait} and {@code notify} are final methods of {@link Object}.
 */
public final class Condition extends LoopBound {
  private final Lock lock;
  final WaitQueue waiters = new WaitQueue(this);

  /** The name in the loop-binding error, when used inside another primitive. */
  private final String kind;

  /**
   * A condition with a new {@link Lock} of its own.
   *
   * <p>Threading: any thread.
   */
  public Condition() {
    this(new Lock());
  }

  /**
   * A condition using {@code lock}, which may be shared with other conditions.
   *
   * <p>Threading: any thread.
   */
  public Condition(Lock lock) {
    if (lock == null) {
      throw new NullPointerException("lock");
    }
    this.lock = lock;
    this.kind = null;
  }

  /** A condition used inside another primitive, named after it in the loop-binding error. */
  Condition(String kind) {
    this.lock = new Lock();
    this.kind = kind;
  }

  @Override
  String kind() {
    return kind != null ? kind : super.kind();
  }

  /**
   * The underlying lock.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public Lock lock() {
    return lock;
  }

  /**
   * Acquires the underlying lock: {@link Lock#acquire()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public Coroutine<Void> acquire() {
    return lock.acquire();
  }

  /**
   * Acquires the underlying lock and returns its {@link Lock.Held}: {@link Lock#hold()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public Coroutine<Lock.Held> hold() {
    return lock.hold();
  }

  /**
   * Releases the underlying lock: {@link Lock#release()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalStateException if it is not held
   */
  public void release() {
    lock.release();
  }

  /**
   * Whether the underlying lock is held.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public boolean isLocked() {
    return lock.isLocked();
  }

  /**
   * Releases the lock, waits until signalled, and takes the lock back: asyncio's {@code wait()}. The
   * lock is taken back whatever happens, even if the task is cancelled while waiting, or again while
   * taking the lock back (the attempt is repeated until it succeeds); the cancellation is then
   * rethrown, and another waiter is signalled in this one's place. Like asyncio's, it may return
   * without a signal of its own: re-check the state, or use {@link #waitFor}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalStateException (when awaited) if the lock is not held
   */
  public Coroutine<Void> waitSignal() {
    return new Wait(this);
  }

  /**
   * Waits until {@code predicate} is true: checks it, then {@link #waitSignal()}s and checks again
   * after each wake-up (asyncio's {@code wait_for}). Returns at once, without needing the lock, if it
   * is true at the start; otherwise the lock must be held.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public Coroutine<Void> waitFor(BooleanSupplier predicate) {
    if (predicate == null) {
      throw new NullPointerException("predicate");
    }
    return new WaitFor(this, predicate);
  }

  /**
   * Wakes the first waiter, if any: asyncio's {@code notify()}. It goes on once it gets the lock back,
   * so the caller should release the lock soon.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalStateException if the lock is not held
   */
  public void signal() {
    signal(1);
  }

  /**
   * Wakes the first {@code n} waiters (all of them, if fewer wait): asyncio's {@code notify(n)}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalStateException if the lock is not held
   */
  public void signal(int n) {
    if (!lock.isLocked()) {
      throw new IllegalStateException(
          "cannot signal a Condition whose lock is not acquired: acquire it (await(cond.acquire())"
              + " or cond.hold()) first");
    }
    waiters.wake(n, false);
  }

  /**
   * Wakes every waiter: asyncio's {@code notify_all()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalStateException if the lock is not held
   */
  public void signalAll() {
    signal(Integer.MAX_VALUE);
  }

  /** {@link #signalAll()} without the lock check, for {@link Barrier}'s synchronous reset and abort. */
  void wakeAll() {
    waiters.wake(Integer.MAX_VALUE, false);
  }

  @Override
  public String toString() {
    String s = lock.isLocked() ? "locked" : "unlocked";
    return "Condition[" + (waiters.isEmpty() ? s : s + ", waiters:" + waiters.size()) + "]";
  }

  /** {@link #waitSignal()}. */
  private static final class Wait extends Waiter<Void> {
    private final Condition cond;

    /** The failure to rethrow once the lock is taken back. */
    private Throwable error;

    Wait(Condition cond) {
      this.cond = cond;
    }

    @Override
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          if (!cond.lock.isLocked()) {
            throw new IllegalStateException(
                "cannot wait on a Condition whose lock is not acquired: acquire it"
                    + " (await(cond.acquire()) or cond.hold()) before waitSignal()");
          }
          cond.bindTo(loop()); // as asyncio, which creates the waiter before releasing the lock
          cond.lock.release();
          state = 1;
          return park(cond.waiters);
        case 1:
          try {
            resumeWait();
          } catch (Throwable e) {
            error = e;
          }
          return reacquire();
        case 2:
          return reacquired() ? finish() : reacquire();
        default:
          throw illegalState();
      }
    }

    /** Takes the lock back, retrying across cancellations. */
    private Object reacquire() throws Throwable {
      Lock lock = cond.lock;
      while (true) {
        if (lock.tryAcquire()) {
          return finish();
        }
        state = 2;
        if (suspendOn(lock.acquire())) {
          return SUSPEND;
        }
        if (reacquired()) {
          return finish();
        }
      }
    }

    /**
     * The outcome of an awaited acquire: {@code true} if the lock was taken, {@code false} if the task
     * was cancelled meanwhile (the cancellation is kept for the end, and the caller tries again).
     */
    private boolean reacquired() {
      try {
        awaitResult();
        return true;
      } catch (CancelledError e) {
        error = e;
        return false;
      } catch (Throwable e) {
        // Not a cancellation: give up on the lock, as asyncio, but still pass a signal on.
        cond.waiters.wake(1, false);
        throw e;
      }
    }

    private Object finish() throws Throwable {
      Throwable e = error;
      if (e == null) {
        return null;
      }
      error = null;
      // We may have been signalled before failing: signal another waiter instead (a spurious wake-up
      // for it at worst, which the condition-variable protocol allows).
      cond.waiters.wake(1, false);
      throw e; // as it is: step() may throw anything
    }

    @Override
    void waitCancelled(boolean woken) {
      // Handled after the lock is taken back, in finish().
    }

    @Override
    public String toString() {
      return "Condition.waitSignal() of " + cond;
    }
  }

  /** {@link #waitFor}. */
  private static final class WaitFor extends Coroutine<Void> {
    private final Condition cond;
    private final BooleanSupplier predicate;

    WaitFor(Condition cond, BooleanSupplier predicate) {
      this.cond = cond;
      this.predicate = predicate;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          break;
        case 1:
          awaitResult();
          break;
        default:
          throw illegalState();
      }
      while (!predicate.getAsBoolean()) {
        state = 1;
        if (suspendOn(new Wait(cond))) {
          return SUSPEND;
        }
        awaitResult();
      }
      return null;
    }

    @Override
    public String toString() {
      return "Condition.waitFor() of " + cond;
    }
  }
}
