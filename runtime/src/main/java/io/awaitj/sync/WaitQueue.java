package io.awaitj.sync;

import io.awaitj.Promise;

/**
 * The FIFO of coroutines parked on a primitive: asyncio's {@code deque} of waiter futures, as a doubly
 * linked list threaded through the {@link Waiter}s themselves, so that parking allocates no node and
 * leaving from the middle (a cancelled waiter) is O(1).
 *
 * <p>A waiter stays in the list from {@link Waiter#park} until it resumes, unless a waker takes it out
 * first ({@code take}, as asyncio's queues pop their waiters). While listed, its promise is either
 * pending (waiting), succeeded (woken, not resumed yet: "in transit") or cancelled (its task was
 * cancelled, it has not resumed yet).
 */
final class WaitQueue {
  /** Whose loop binding a park checks. */
  final LoopBound owner;

  private Waiter<?> head;
  private Waiter<?> tail;
  private int size;

  WaitQueue(LoopBound owner) {
    this.owner = owner;
  }

  /** How many waiters are listed, whatever the state of their promise. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return head == null;
  }

  void append(Waiter<?> w) {
    w.queue = this;
    w.prev = tail;
    w.next = null;
    if (tail == null) {
      head = w;
    } else {
      tail.next = w;
    }
    tail = w;
    size++;
  }

  /** Unlinks {@code w} if it is listed here. */
  void remove(Waiter<?> w) {
    if (w.queue != this) {
      return;
    }
    Waiter<?> p = w.prev;
    Waiter<?> n = w.next;
    if (p == null) {
      head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      tail = p;
    } else {
      n.prev = p;
    }
    w.queue = null;
    w.prev = null;
    w.next = null;
    size--;
  }

  /**
   * Whether a listed waiter is not cancelled (waiting, or woken and in transit): asyncio's {@code
   * any(not w.cancelled() for w in waiters)}. While one is, fast paths must not jump the queue.
   */
  boolean hasLive() {
    for (Waiter<?> w = head; w != null; w = w.next) {
      if (!w.promise.isCancelled()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lock's rule: looks at the first waiter that is not cancelled and wakes it if it still waits;
   * if it is already woken (in transit), nobody else is woken.
   */
  void wakeFirstLive() {
    for (Waiter<?> w = head; w != null; w = w.next) {
      Promise<Void> p = w.promise;
      if (p.isCancelled()) {
        continue;
      }
      if (!p.isDone()) {
        p.complete(null);
      }
      return;
    }
  }

  /**
   * Wakes the first waiter that still waits, skipping the cancelled and the already woken.
   *
   * @param take also unlink the woken waiter and every skipped one (asyncio's queues pop them)
   * @return whether a waiter was woken
   */
  boolean wakeNext(boolean take) {
    return wake(1, take) == 1;
  }

  /**
   * Wakes up to {@code n} waiters that still wait, in FIFO order.
   *
   * @param take also unlink each woken or skipped waiter
   * @return how many were woken
   */
  int wake(int n, boolean take) {
    int woken = 0;
    Waiter<?> w = head;
    while (w != null && woken < n) {
      Waiter<?> next = w.next;
      Promise<Void> p = w.promise;
      if (take) {
        remove(w);
      }
      if (!p.isDone()) {
        p.complete(null);
        woken++;
      }
      w = next;
    }
    return woken;
  }
}
