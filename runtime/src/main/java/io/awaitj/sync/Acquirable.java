package io.awaitj.sync;

import io.awaitj.Coroutine;

/**
 * What {@link Lock} and {@link Semaphore} share: a queue of waiters and the rules {@link Acquire}
 * follows to take a permit (the lock is one permit) and give it back. Package-private, as its members:
 * the public API of both stays their own.
 */
abstract class Acquirable extends LoopBound {
  final WaitQueue waiters = new WaitQueue(this);

  /** The shared coroutine of {@code acquire()}, made at its first call; {@code null} until then. */
  private Acquire.Now acquire;

  /** The shared coroutine of {@code hold()}, made at its first call; {@code null} until then. */
  private Acquire.HoldNow hold;

  /**
   * What {@code acquire()} returns: one shared coroutine, whose await takes a free permit without
   * allocating (see {@link Acquire.Now}); in debug mode a new one.
   */
  final Coroutine<Void> sharedAcquire() {
    Acquire.Now a = acquire;
    if (a == null) {
      a = new Acquire.Now(this);
      acquire = a;
    }
    return a.call();
  }

  /**
   * What {@code hold()} returns: one shared coroutine, whose await takes a free permit without
   * allocating in the cases {@link Acquire.HoldNow} states; in debug mode a new one.
   */
  final Coroutine<Lock.Held> sharedHold() {
    Acquire.HoldNow h = hold;
    if (h == null) {
      h = new Acquire.HoldNow(this);
      hold = h;
    }
    return h.call();
  }

  /** Takes a permit without waiting, if the fast path allows it: {@code tryAcquire()}. */
  abstract boolean tryAcquire();

  /** Gives a permit back: {@code release()}. */
  abstract void release();

  /**
   * Ends the wait of {@code a}, at its resume label: calls {@link Waiter#resumeWait()} (which throws
   * if the task was cancelled) and applies this primitive's rule for a woken waiter.
   */
  abstract void resumeAcquire(Acquire<?> a);

  /** {@link Waiter#waitCancelled} of an {@link Acquire} of this primitive. */
  abstract void acquireCancelled(boolean woken);

  /** How an {@link Acquire} of this primitive names itself, for {@code acquire()} or {@code hold()}. */
  abstract String acquireName(boolean hold);
}
