package io.awaitj.sync;

import io.awaitj.Coroutine;

/**
 * {@code acquire()} and {@code hold()} of a {@link Lock} or a {@link Semaphore}: takes a permit at once
 * if {@link Acquirable#tryAcquire()} allows it, otherwise waits in the primitive's queue; the primitive
 * decides what a wake-up or a cancellation means. For {@code hold()} the coroutine is its own {@link
 * Lock.Held}.
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
}
