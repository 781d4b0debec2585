package io.awaitj.sync;

import io.awaitj.Coroutine;

/**
 * A counter of permits: asyncio's {@code Semaphore}. {@link #acquire()} takes a permit, waiting while
 * there is none; {@link #release()} gives one back.
 *
 * <p>Fair: waiters get permits in the order they started waiting, and {@link #acquire()} takes a permit
 * at once only if one is free and no live waiter is queued. A permit is handed to the woken waiter
 * when it is woken; if its task is cancelled before it runs, it gives the permit back and wakes the
 * next waiter.
 *
 * <pre>{@code
 * try (var permit = await(semaphore.hold())) {   // Python: async with semaphore:
 *   ...
 * }
 * }</pre>
 */
public class Semaphore extends Acquirable {
  /** Free permits; those handed to woken waiters that have not run yet are already taken off. */
  int value;

  /**
   * Creates a semaphore with {@code permits} free permits.
   *
   * <p>Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public Semaphore(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException(
          "Semaphore initial value must be >= 0, got " + permits);
    }
    this.value = permits;
  }

  /**
   * Whether {@link #acquire()} would wait: no permit is free, or live waiters are queued ahead
   * (asyncio's {@code locked()}).
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final boolean isLocked() {
    return value == 0 || waiters.hasLive();
  }

  /**
   * Takes a permit if {@link #acquire()} would take one without waiting. Allocates nothing.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @return whether a permit was taken
   */
  @Override
  public final boolean tryAcquire() {
    if (isLocked()) {
      return false;
    }
    value--;
    return true;
  }

  /**
   * Takes a permit, waiting in FIFO order while none is free or others wait. Lazy: nothing happens
   * until the coroutine is awaited. If the task is cancelled while waiting, no permit is taken. The coroutine is this
   * primitive's one shared coroutine (see {@link io.awaitj.Coroutine.Shared}): an await that completes at once
   * allocates nothing, and it may be awaited again, each await one operation (in debug mode
   * each call makes a new one).
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final Coroutine<Void> acquire() {
    return sharedAcquire();
  }

  /**
   * Takes a permit, as {@link #acquire()}, and returns a {@link Lock.Held} whose {@code close()}
   * releases it: Python's {@code async with semaphore}. Shared, and allocating nothing on the fast
   * path in the same cases, as {@link Lock#hold()}; a task that holds several permits at once has a
   * new {@link Lock.Held} (24 bytes) for each but the first.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final Coroutine<Lock.Held> hold() {
    return sharedHold();
  }

  /**
   * Gives a permit back and, if someone waits, hands it to the first waiter that still waits.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  @Override
  public void release() {
    value++;
    wakeUpNext();
  }

  private boolean wakeUpNext() {
    if (waiters.wakeNext(false)) {
      value--;
      return true;
    }
    return false;
  }

  @Override
  public String toString() {
    String s = isLocked() ? "locked" : "unlocked, value:" + value;
    return getClass().getSimpleName()
        + "[" + (waiters.isEmpty() ? s : s + ", waiters:" + waiters.size()) + "]";
  }

  // Rules for Acquire.

  @Override
  final void resumeAcquire(Acquire<?> a) {
    try {
      a.resumeWait(); // the permit was taken for us when we were woken
    } finally {
      // Waiters that arrived while permits were free had to queue (FIFO): let in as many as fit.
      while (value > 0 && wakeUpNext()) {
        // woke one
      }
    }
  }

  @Override
  final void acquireCancelled(boolean woken) {
    if (woken) {
      value++; // give back the permit we were handed; resumeAcquire's finally passes it on
    }
  }

  @Override
  final String acquireName(boolean hold) {
    return hold ? "hold()" : "acquire()";
  }
}
