package io.awaitj.sync;

import io.awaitj.Coroutine;

/**
 * A mutual-exclusion lock for coroutines: asyncio's {@code Lock}. Not owned by a task: any coroutine
 * may release it.
 *
 * <p>Fair: waiters get the lock in the order they started waiting. {@link #acquire()} takes the lock at
 * once only if it is free and no waiter is queued (waiters whose task was cancelled do not count);
 * otherwise it queues. {@link #release()} wakes the first waiter that is not cancelled; a woken waiter
 * whose task is cancelled before it runs passes the wake-up on to the next.
 *
 * <pre>{@code
 * try (var held = await(lock.hold())) {   // Python: async with lock:
 *   ...
 * }
 * }</pre>
 *
 * <p>Like every primitive of this package, a lock belongs to the event loop on which something first
 * waited on it, and is used from that loop's thread only.
 */
public final class Lock extends Acquirable {
  /**
   * A held lock or semaphore permit; {@link #close()} releases it, once.
   *
   * <p>A {@code Held} may be the same object as one that a task had from an earlier {@code hold()}
   * of the same primitive, and closed: the fast path hands a closed one out again, to the task that
   * had it (or once that task is done), so that an uncontended {@code async with} allocates nothing.
   * So a second {@code close()} of a {@code Held} never releases another task's acquisition; within
   * one task, it does nothing unless that task has taken a new {@code hold()} of the same primitive
   * since and still holds it (closing a {@code Held} twice around a new hold of the same primitive in
   * the same task), which then ends early. Threading: the loop's thread (see the package
   * documentation).
   */
  public interface Held extends AutoCloseable {
    /**
     * Releases the lock (or permit). Calling it again does nothing (see {@link Held} for a second
     * close around a new hold in the same task).
     */
    @Override
    void close();
  }

  /** Whether the lock is taken. A woken waiter that has not run yet does not count (asyncio's rule). */
  boolean locked;

  /**
   * Creates an unlocked lock.
   *
   * <p>Threading: any thread.
   */
  public Lock() {}

  /**
   * Whether the lock is held: asyncio's {@code locked()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public boolean isLocked() {
    return locked;
  }

  /**
   * Takes the lock if {@link #acquire()} would take it without waiting: it is free and no live waiter
   * is queued. Allocates nothing.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @return whether the lock was taken
   */
  @Override
  public boolean tryAcquire() {
    if (!locked && !waiters.hasLive()) {
      locked = true;
      return true;
    }
    return false;
  }

  /**
   * Acquires the lock, waiting in FIFO order if it is taken or others wait. Lazy: nothing happens until
   * the coroutine is awaited. If the task is cancelled while waiting, the lock is not taken. The coroutine is this
   * primitive's one shared coroutine (see {@link io.awaitj.Coroutine.Shared}): an await that completes at once
   * allocates nothing, and it may be awaited again, each await one operation (in debug mode
   * each call makes a new one).
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public Coroutine<Void> acquire() {
    return sharedAcquire();
  }

  /**
   * Acquires the lock, as {@link #acquire()}, and returns a {@link Held} whose {@code close()}
   * releases it: {@code try (var h = await(lock.hold())) {...}} is Python's {@code async with lock}.
   *
   * <p>As {@link #acquire()}'s, the coroutine is this primitive's one shared coroutine (see {@link
   * io.awaitj.Coroutine.Shared}), awaitable again, each await one operation (in debug mode each call
   * makes a new one). An await that takes the lock at once allocates nothing when the {@link Held} it
   * returns can be the one the same task had before (closed since), or the lock's last holder task is
   * done; another task's first hold makes a new one (24 bytes), and an await that waits makes its
   * coroutine, which is its own {@link Held}. Each {@link Held} releases only its own acquisition: see
   * {@link Held#close()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public Coroutine<Held> hold() {
    return sharedHold();
  }

  /**
   * Releases the lock and wakes the first waiter that is not cancelled.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalStateException if the lock is not held
   */
  @Override
  public void release() {
    if (!locked) {
      throw new IllegalStateException(
          "Lock is not acquired: release() must be paired with a completed acquire()");
    }
    locked = false;
    waiters.wakeFirstLive();
  }

  @Override
  public String toString() {
    String s = locked ? "locked" : "unlocked";
    return "Lock[" + (waiters.isEmpty() ? s : s + ", waiters:" + waiters.size()) + "]";
  }

  // Rules for Acquire.

  /** A woken waiter takes the lock when it runs: until then, the lock counts as free (asyncio). */
  @Override
  void resumeAcquire(Acquire<?> a) {
    a.resumeWait();
    locked = true;
  }

  @Override
  void acquireCancelled(boolean woken) {
    // Keep the invariant: a free lock with live waiters has one of them on its way.
    if (!locked) {
      waiters.wakeFirstLive();
    }
  }

  @Override
  String acquireName(boolean hold) {
    return hold ? "Lock.hold()" : "Lock.acquire()";
  }
}
