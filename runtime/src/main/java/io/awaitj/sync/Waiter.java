package io.awaitj.sync;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;

/**
 * The one piece of waiting logic every primitive shares: a coroutine that parks on a fresh waiter
 * promise in a {@link WaitQueue} and, when it resumes, leaves the queue and either goes on (it was
 * woken) or, if its task was cancelled, hands the wake-up on through {@link #waitCancelled} and
 * rethrows the cancellation.
 *
 * <p>The coroutine object is itself the queue node, so a wait allocates the promise and nothing else.
 * Subclasses are state machines following {@link Coroutine}'s contract: on the slow path they store
 * their resume label and {@code return park(queue);}; at that label they call {@link #resumeWait()}.
 */
abstract class Waiter<T> extends Coroutine<T> {
  // Links of the WaitQueue this coroutine is listed in, if any.
  Waiter<?> prev;
  Waiter<?> next;
  WaitQueue queue;

  /** The promise of the current wait; set from park until resume. */
  Promise<Void> promise;

  /**
   * Parks this coroutine at the tail of {@code q}: checks (or makes) the loop binding of the queue's
   * owner, creates the waiter promise and suspends on it. Store the resume label first.
   *
   * @return {@link #SUSPEND}, for the machine to return
   */
  final Object park(WaitQueue q) {
    EventLoop loop = loop();
    q.owner.bindTo(loop);
    Promise<Void> p = loop.createPromise();
    promise = p;
    q.append(this);
    if (!suspendOn(p)) {
      throw new AssertionError("a new promise cannot be done");
    }
    return SUSPEND;
  }

  /**
   * Ends the wait, at the resume label: leaves the queue (unless a waker took this waiter out
   * already), then returns if the waiter was woken. If the wait failed, which only a cancellation of
   * the task does, calls {@link #waitCancelled} and rethrows.
   */
  final void resumeWait() {
    Promise<Void> p = promise;
    promise = null;
    WaitQueue q = queue;
    if (q != null) {
      q.remove(this);
    }
    try {
      awaitResult();
    } catch (Throwable e) {
      // The task resumes with a failure only once its promise is done (cancelled, or woken and
      // then the task cancelled): the promise cannot be pending here, and this waiter is unlisted.
      waitCancelled(p.isSuccess());
      throw e;
    }
  }

  /**
   * Called when the wait ends with the task's cancellation, after the waiter left the queue and
   * before the cancellation propagates.
   *
   * @param woken whether a wake-up had been delivered to this waiter first (woken, then cancelled
   *     before it could run); if so it must be passed on, or it is lost
   */
  abstract void waitCancelled(boolean woken);
}
