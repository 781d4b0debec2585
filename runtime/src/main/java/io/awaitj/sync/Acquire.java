package io.awaitj.sync;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.Task;

/**
 * {@code acquire()} and {@code hold()} of a {@link Lock} or a {@link Semaphore}: takes a permit at once
 * if {@link Acquirable#tryAcquire()} allows it, otherwise waits in the primitive's queue; the primitive
 * decides what a wake-up or a cancellation means. For a {@code hold()} that must wait (or any {@code
 * hold()} in debug mode) the coroutine is its own {@link Lock.Held}; a {@code hold()} that takes a
 * permit at once goes through {@link HoldNow} and returns a {@link Token}.
 */
final class Acquire<R> extends Waiter<R> implements Lock.Held {
  private final Acquirable target;
  private final boolean hold;
  private boolean released;

  Acquire(Acquirable target, boolean hold) {
    this.target = target;
    this.hold = hold;
  }

  @Override
  protected Object step() {
    switch (state) {
      case 0:
        if (target.tryAcquire()) {
          return result();
        }
        state = 1;
        return park(target.waiters);
      case 1:
        target.resumeAcquire(this);
        return result();
      default:
        throw illegalState();
    }
  }

  private Object result() {
    return hold ? this : null;
  }

  @Override
  void waitCancelled(boolean woken) {
    target.acquireCancelled(woken);
  }

  /** Threading: the loop's thread (see the package documentation). */
  @Override
  public void close() {
    if (!released) {
      released = true;
      target.release();
    }
  }

  @Override
  public String toString() {
    return target.acquireName(hold) + " of " + target;
  }

  /**
   * {@code acquire()} of a primitive, shared (see {@link Coroutine.Shared}): an await takes a permit
   * at once if {@link Acquirable#tryAcquire()} allows it, allocating nothing; otherwise it runs a new
   * {@link Acquire}, which waits in the queue.
   */
  static final class Now extends Coroutine.Shared<Void> {
    private final Acquirable target;

    Now(Acquirable target) {
      this.target = target;
    }

    /** What the primitive returns for one call ({@link #forCall()}). */
    Coroutine<Void> call() {
      return forCall();
    }

    @Override
    protected Object now() {
      return target.tryAcquire() ? null : WAIT;
    }

    @Override
    protected Coroutine<Void> fresh() {
      return new Acquire<>(target, false);
    }

    @Override
    public String toString() {
      return target.acquireName(false) + " of " + target;
    }
  }

  /**
   * {@code hold()} of a primitive, shared (see {@link Coroutine.Shared}): an await that takes a permit
   * at once returns a {@link Token}, the primitive's own when its rules allow (allocating nothing),
   * else a new one; an await that must wait runs a new {@link Acquire}, which is its own {@link
   * Lock.Held}.
   *
   * <p>Why the token is reused only by the task that used it last: a {@link Lock.Held} closed twice
   * must not release an acquisition other than its own. A stale reference to a token cannot be told
   * from a fresh one, so a token is handed out again only where no other code can hold a stale
   * reference to it: to the same task (whose code runs one step at a time, so that its try-with-resources
   * closed the token before it asks again), or once the task that last had it is done. Another task
   * gets a new token, which becomes the primitive's, and the old one is never handed out again, so a
   * late second close of it finds it closed and does nothing.
   */
  static final class HoldNow extends Coroutine.Shared<Lock.Held> {
    private final Acquirable target;

    /** The token handed out by the fast path last; {@code null} before the first. */
    private Token token;

    HoldNow(Acquirable target) {
      this.target = target;
    }

    /** What the primitive returns for one call ({@link #forCall()}). */
    Coroutine<Lock.Held> call() {
      return forCall();
    }

    @Override
    protected Object now() {
      if (!target.tryAcquire()) {
        return WAIT;
      }
      Task<?> task = Aio.currentTask();
      Token t = token;
      if (t != null && !t.out && task != null && (t.owner == task || (t.owner != null && t.owner.isDone()))) {
        t.owner = task;
        t.out = true;
        return t;
      }
      Token fresh = new Token(target, task);
      if (t == null || !t.out) {
        token = fresh; // the old one, closed, is never handed out again
      }
      return fresh;
    }

    @Override
    protected Coroutine<Lock.Held> fresh() {
      return new Acquire<>(target, true);
    }

    @Override
    public String toString() {
      return target.acquireName(true) + " of " + target;
    }
  }

  /**
   * The {@link Lock.Held} of a {@code hold()} that took its permit at once: 24 bytes, handed out again
   * by {@link HoldNow} under the rule it states.
   */
  static final class Token implements Lock.Held {
    private final Acquirable target;

    /** The task the token was last handed to; {@code null} outside a task (never handed out again). */
    Task<?> owner;

    /** Whether the token stands for a permit not released yet. */
    boolean out = true;

    Token(Acquirable target, Task<?> owner) {
      this.target = target;
      this.owner = owner;
    }

    /** Threading: the loop's thread (see the package documentation). */
    @Override
    public void close() {
      if (out) {
        out = false;
        target.release();
      }
    }

    @Override
    public String toString() {
      return target.acquireName(true) + (out ? " (held)" : " (released)") + " of " + target;
    }
  }
}
