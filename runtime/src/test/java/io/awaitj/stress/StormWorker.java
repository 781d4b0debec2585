package io.awaitj.stress;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.StressAccess;
import io.awaitj.Task;
import io.awaitj.stress.StressSupport.Boom;
import java.time.Duration;

/**
 * A task body for the cancellation storms, with a model of what it must end with.
 *
 * <p>Four kinds, each sleeping {@code d1} first:
 *
 * <ul>
 *   <li>{@link #PLAIN}: returns its id.
 *   <li>{@link #FAIL}: throws {@code Boom(id)}.
 *   <li>{@link #CATCH}: on a {@link CancelledError}, calls {@link Task#uncancel()}, sleeps {@code d2}
 *       and returns {@code -id - 1}; a second cancellation during that sleep ends it cancelled.
 *   <li>{@link #FINALLY}: {@code try { sleep(d1); return id; } finally { sleep(d2); }}: the finally
 *       block awaits, both after a normal end and after a cancellation, and a cancellation during the
 *       finally's sleep ends it cancelled.
 *   <li>{@link #DEEP}: awaits a chain of {@code depth} nested coroutines (0 to 250, so past the
 *       runtime's inline limit of 100, where starts bounce to the task's driver), the innermost
 *       sleeping; returns its id. Some cancel their own task first: the chain must still be entered
 *       all the way down, and the cancellation land at the sleep (asyncio's semantics).
 * </ul>
 *
 * The model is asyncio's semantics written out per kind: {@link #modelCancel} is told of every storm
 * that hits the task (at a virtual instant that is never the instant of one of the task's own timers:
 * the driver chooses storm times so), {@link #modelCancelBeforeStart} of a cancellation before the
 * first step, and {@link #check} compares what happened with the model: the outcome, the instant, the
 * {@code cancelling()} count, and which of the task's own blocks ran.
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
final class StormWorker extends Coroutine<Integer> {
  static final byte PLAIN = 0;
  static final byte FAIL = 1;
  static final byte CATCH = 2;
  static final byte FINALLY = 3;
  static final byte DEEP = 4;

  static final byte VALUE = 0;
  static final byte FAILED = 1;
  static final byte CANCELLED = 2;

  final long id;
  final byte kind;
  final long start;
  final long d1;
  final long d2;
  /** Whether the checker retrieves the failure; if not, debug mode must report it. */
  final boolean retrieve;

  /** For {@link #DEEP}: how deep the chain is, and whether the task cancels itself first. */
  final int depth;

  final boolean selfCancel;

  /** Index in the pool's list of live tasks. */
  int liveIndex;

  /** How many times the current storm picked this task. */
  int picks;

  /** How many times the current storm cancels it through a gather that awaits it. */
  int extraPicks;

  // What the task did.
  private boolean started;
  private boolean caught;
  private boolean finallyDone;
  private CancelledError pendingCancel;
  private int entered;

  // The model.
  private long mEnd;
  private byte mOutcome;
  private long mValue;
  private int mCancelling;
  private boolean mStarted = true;
  private boolean mCaught;
  private boolean mFinallyDone;
  private boolean mCancelledInPhase1;

  StormWorker(long id, byte kind, long start, long d1, long d2, boolean retrieve, int depth,
      boolean selfCancel) {
    this.depth = depth;
    this.selfCancel = selfCancel;
    this.id = id;
    this.kind = kind;
    this.start = start;
    this.d1 = d1;
    this.d2 = d2;
    this.retrieve = retrieve;
    mOutcome = kind == FAIL ? FAILED : VALUE;
    mValue = id;
    mEnd = kind == FINALLY ? start + d1 + d2 : start + d1;
    mFinallyDone = kind == FINALLY;
    if (selfCancel) {
      // The cancellation lands at the innermost sleep, at once.
      mOutcome = CANCELLED;
      mEnd = start;
      mCancelling = 1;
    }
  }

  @Override
  protected Object step() throws Throwable {
    switch (state) {
      case 0:
        started = true;
        if (kind == DEEP) {
          if (selfCancel) {
            Aio.currentTask().cancel();
          }
          state = 4;
          if (suspendOn(new Chain(depth))) {
            return SUSPEND;
          }
          awaitResult();
          return (int) id;
        }
        state = 1;
        if (suspendOn(Aio.sleep(Duration.ofNanos(d1)))) {
          return SUSPEND;
        }
        // fall through
      case 1:
        try {
          awaitResult();
        } catch (CancelledError e) {
          if (kind == CATCH) {
            caught = true;
            Aio.currentTask().uncancel();
            state = 2;
            if (suspendOn(Aio.sleep(Duration.ofNanos(d2)))) {
              return SUSPEND;
            }
            awaitResult();
            return (int) (-id - 1);
          }
          if (kind == FINALLY) {
            pendingCancel = e;
            return enterFinally();
          }
          throw e;
        }
        if (kind == FAIL) {
          throw new Boom(id);
        }
        if (kind == FINALLY) {
          return enterFinally();
        }
        return (int) id;
      case 2:
        awaitResult();
        return (int) (-id - 1);
      case 3:
        return finishFinally();
      case 4:
        awaitResult();
        return (int) id;
      default:
        throw illegalState();
    }
  }

  private Object enterFinally() {
    state = 3;
    if (suspendOn(Aio.sleep(Duration.ofNanos(d2)))) {
      return SUSPEND;
    }
    return finishFinally();
  }

  private Object finishFinally() {
    awaitResult(); // a cancellation during the finally's sleep propagates from here
    finallyDone = true;
    CancelledError e = pendingCancel;
    if (e != null) {
      pendingCancel = null;
      throw e;
    }
    return (int) id;
  }

  /** {@code entered++; await(k == 0 ? sleep(d1) : new Chain(k - 1));} */
  private final class Chain extends Coroutine<Void> {
    private final int k;

    Chain(int k) {
      this.k = k;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          entered++;
          state = 1;
          if (suspendOn(k == 0 ? Aio.sleep(Duration.ofNanos(d1)) : new Chain(k - 1))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult();
          return null;
        default:
          throw illegalState();
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The model.

  /** The task is cancelled {@code k} times before its first step. */
  void modelCancelBeforeStart(int k) {
    mOutcome = CANCELLED;
    mEnd = start;
    mStarted = false;
    mFinallyDone = false;
    mCancelling = k;
  }

  /**
   * A storm at {@code t} cancels the task {@code k} times in one pass.
   *
   * @return a mismatch, or {@code null}
   */
  String modelCancel(long t, int k) {
    if (t >= mEnd) {
      return this + ": still running at " + t + " but the model ended it at " + mEnd;
    }
    mCancelling += k;
    switch (kind) {
      case PLAIN:
      case FAIL:
      case DEEP:
        mOutcome = CANCELLED;
        mEnd = t;
        break;
      case CATCH:
        if (!mCaught) {
          // One CancelledError is thrown in however many requests came in this pass; the handler
          // withdraws one of them and sleeps again.
          mCaught = true;
          mCancelling -= 1;
          mValue = -id - 1;
          mEnd = t + d2;
        } else {
          mOutcome = CANCELLED;
          mEnd = t;
        }
        break;
      case FINALLY:
        if (!mCancelledInPhase1 && t < start + d1) {
          mCancelledInPhase1 = true;
          mOutcome = CANCELLED;
          mEnd = t + d2;
          mFinallyDone = true;
        } else {
          // In the finally's sleep: it is cancelled, and the finally does not complete.
          mOutcome = CANCELLED;
          mEnd = t;
          mFinallyDone = false;
        }
        break;
      default:
        throw new AssertionError(kind);
    }
    return null;
  }

  /** What the task must have ended with; {@code null} if it did. Called when it is done, at {@code now}. */
  String check(Task<?> task, long now) {
    if (now != mEnd) {
      return this + ": ended at " + now + ", the model says " + mEnd + " (" + describe(task) + ")";
    }
    if (started != mStarted) {
      return this + ": started=" + started + ", expected " + mStarted;
    }
    if (kind == DEEP && started && entered != depth + 1) {
      return this + ": entered " + entered + " levels of its chain, expected " + (depth + 1);
    }
    if (caught != mCaught) {
      return this + ": caught=" + caught + ", expected " + mCaught;
    }
    if (finallyDone != mFinallyDone) {
      return this + ": finallyDone=" + finallyDone + ", expected " + mFinallyDone;
    }
    if (task.cancelling() != mCancelling) {
      return this + ": cancelling()=" + task.cancelling() + ", expected " + mCancelling;
    }
    switch (mOutcome) {
      case CANCELLED:
        return task.isCancelled() ? null : this + ": expected cancelled, got " + describe(task);
      case VALUE:
        return task.isSuccess() && ((Integer) task.result()) == mValue
            ? null
            : this + ": expected value " + mValue + ", got " + describe(task);
      default:
        if (task.isCancelled() || task.isSuccess()) {
          return this + ": expected Boom, got " + describe(task);
        }
        Throwable e = retrieve ? task.exception() : StressAccess.failureOf(task);
        return e instanceof Boom b && b.id == id ? null : this + ": expected Boom #" + id + ", got " + e;
    }
  }

  long expectedEnd() {
    return mEnd;
  }

  byte expectedOutcome() {
    return mOutcome;
  }

  boolean expectedCaught() {
    return mCaught;
  }

  boolean expectedFinallyDone() {
    return mFinallyDone;
  }

  private static String describe(Task<?> t) {
    if (t.isCancelled()) {
      return "cancelled";
    }
    if (t.isSuccess()) {
      return "value " + t.result();
    }
    return "failure " + StressAccess.failureOf(t);
  }

  @Override
  public String toString() {
    return "StormWorker#" + id + "[kind=" + kind + ", start=" + start + ", d1=" + d1 + ", d2=" + d2
        + (kind == DEEP ? ", depth=" + depth + (selfCancel ? ", cancels itself" : "") : "") + "]";
  }
}
