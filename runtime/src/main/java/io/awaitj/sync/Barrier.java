package io.awaitj.sync;

import io.awaitj.Coroutine;
import java.util.function.BooleanSupplier;

/**
 * A meeting point for a fixed number of tasks: asyncio's {@code Barrier}. Each task {@link #arrive()}s
 * and waits; when the last of {@code parties} arrives, all of them go on together, and the barrier can
 * be used again.
 *
 * <p>It follows asyncio's states and their rules exactly, built like asyncio's on a {@link Condition}.
 * <i>Filling</i>: tasks arrive and wait. <i>Draining</i>: the last one arrived; the waiting tasks leave,
 * and tasks arriving meanwhile wait until all have left. <i>Resetting</i>: {@link #reset()} was called
 * while tasks waited; they leave with a {@link BrokenBarrierException}, after which the barrier fills
 * again. <i>Broken</i>: {@link #abort()} was called; every waiting and arriving task gets a {@link
 * BrokenBarrierException}, until {@link #reset()}.
 *
 * <p>asyncio's {@code wait()} is {@link #arrive()} here ({@code Object.wait()} is final), and its
 * {@code n_waiting} and {@code broken} are {@link #waiting()} and {@link #isBroken()}. asyncio's {@code
 * reset()} and {@code abort()} are coroutines only to take the condition's lock; that lock is never
 * held across a suspension (every section under it runs without suspending), so taking it never waits,
 * and here they are plain methods with the same effect.
 */
public final class Barrier {
  private static final int FILLING = 0;
  private static final int DRAINING = 1;
  private static final int RESETTING = 2;
  private static final int BROKEN = 3;

  private final int parties;
  private final Condition cond = new Condition("Barrier");
  private int state = FILLING;

  /** Tasks inside {@link #arrive()}, past the entry block. */
  private int count;

  // The two conditions arrive() waits for, made once.
  private final BooleanSupplier notDrainingOrResetting =
      () -> state != DRAINING && state != RESETTING;
  private final BooleanSupplier notFilling = () -> state != FILLING;

  /**
   * Creates a barrier for {@code parties} tasks.
   *
   * <p>Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code parties} is less than 1
   */
  public Barrier(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be >= 1, got " + parties);
    }
    this.parties = parties;
  }

  /**
   * Arrives at the barrier and waits until {@link #parties()} tasks have arrived (asyncio's {@code
   * wait()}). Tasks arriving while the previous round drains wait for it to finish first.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @return this task's arrival index in its round, from {@code 0} to {@code parties() - 1}
   * @throws BrokenBarrierException (when awaited) if the barrier is broken, or is aborted or reset
   *     while waiting
   */
  public Coroutine<Integer> arrive() {
    return new Arrive(this);
  }

  /**
   * Returns the barrier to the filling state. Tasks waiting in it leave with a {@link
   * BrokenBarrierException}; it fills again once they have left. Also repairs a broken barrier.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public void reset() {
    if (count > 0) {
      state = RESETTING;
    } else {
      state = FILLING;
    }
    cond.wakeAll();
  }

  /**
   * Breaks the barrier: tasks waiting in it, and tasks arriving later, get a {@link
   * BrokenBarrierException}, until {@link #reset()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public void abort() {
    state = BROKEN;
    cond.wakeAll();
  }

  /**
   * How many tasks must arrive for the barrier to open.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public int parties() {
    return parties;
  }

  /**
   * How many tasks wait in the barrier while it fills ({@code 0} in other states): {@code n_waiting}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public int waiting() {
    return state == FILLING ? count : 0;
  }

  /**
   * Whether the barrier is broken ({@link #abort()}).
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public boolean isBroken() {
    return state == BROKEN;
  }

  @Override
  public String toString() {
    String[] names = {"filling", "draining", "resetting", "broken"};
    String s = names[state];
    return "Barrier[" + (state == BROKEN ? s : s + ", waiters:" + waiting() + "/" + parties) + "]";
  }

  /** Called by each task leaving the barrier, lock held: the last one out ends draining/resetting. */
  private void leave() {
    count--;
    if (count == 0) {
      if (state == RESETTING || state == DRAINING) {
        state = FILLING;
      }
      cond.signalAll();
    }
  }

  /**
   * {@link #arrive()}, as asyncio's {@code wait()}: under the condition's lock, block while draining or
   * resetting; then take an index, and either open the barrier (the last party) or wait for it to
   * open; on the way out, whatever happens, leave.
   */
  private static final class Arrive extends Coroutine<Integer> {
    private final Barrier b;
    private int index;

    Arrive(Barrier b) {
      this.b = b;
    }

    @Override
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          if (!b.cond.lock().tryAcquire()) {
            state = 1;
            if (suspendOn(b.cond.acquire())) {
              return SUSPEND;
            }
            awaitResult();
          }
          return block();
        case 1:
          awaitResult();
          return block();
        case 2:
          return afterBlock();
        case 3:
          return afterWait();
        default:
          throw illegalState();
      }
    }

    /** Waits while the barrier drains or resets. */
    private Object block() throws Throwable {
      state = 2;
      if (suspendOn(b.cond.waitFor(b.notDrainingOrResetting))) {
        return SUSPEND;
      }
      return afterBlock();
    }

    private Object afterBlock() throws Throwable {
      try {
        awaitResult();
      } catch (Throwable e) {
        b.cond.release();
        throw e;
      }
      if (b.state == BROKEN) {
        b.cond.release();
        throw new BrokenBarrierException(
            "Barrier aborted: it is broken; reset() it before using it again");
      }
      index = b.count++;
      if (index + 1 == b.parties) {
        b.state = DRAINING; // the last party: open the barrier
        b.cond.signalAll();
        return exit(null);
      }
      state = 3;
      if (suspendOn(b.cond.waitFor(b.notFilling))) {
        return SUSPEND;
      }
      return afterWait();
    }

    private Object afterWait() throws Throwable {
      try {
        awaitResult();
      } catch (Throwable e) {
        return exit(e);
      }
      if (b.state == BROKEN || b.state == RESETTING) {
        return exit(new BrokenBarrierException("Abort or reset of barrier while waiting in it"));
      }
      return exit(null);
    }

    /** Leaves, then returns the index or throws {@code failure} as it is (step() may throw anything). */
    private Object exit(Throwable failure) throws Throwable {
      b.leave();
      b.cond.release();
      if (failure != null) {
        throw failure;
      }
      return index;
    }

    @Override
    public String toString() {
      return "Barrier.arrive() of " + b;
    }
  }
}
