package io.awaitj.stress;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Awaitable;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.StressAccess;
import io.awaitj.Task;
import io.awaitj.Timeout;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * One timeout racing one completion, with its expected outcome worked out from the virtual schedule.
 *
 * <p>All times are relative to the case's first step. The inner work completes at {@code d} (plus a
 * cleanup {@code c} for {@link #CLEANUP}), the timeout expires at {@code t}, and an optional
 * canceller cancels the case's task at {@code x}. The deadline is chosen equal to the completion, one
 * nanosecond or one millisecond either side, or further off. {@code x} is either a whole millisecond
 * plus 500 microseconds, while completions and deadlines are within 100 microseconds of a whole
 * millisecond; or {@code x} is exactly the completion or the deadline. The canceller's timer is the
 * first the case sets, so at a tie it runs first, and the outside cancellation wins: the case ends
 * cancelled (or with the swallowed value), and a timeout expiring in the same pass does not turn it
 * into a timeout, since the task's cancellation count shows a request that is not the timeout's.
 *
 * <p>Ties are resolved the way a single-threaded loop with a (deadline, sequence) timer heap and
 * asyncio's semantics resolve them: due timers run in the order they were scheduled, and a
 * cancellation requested in the same pass as a completion wins over it (the task that was woken with
 * the result is cancelled before it runs, as asyncio's {@code __step} does with {@code _must_cancel}).
 * So when the deadline equals the completion, the timeout wins, whichever timer was set first.
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
final class RaceCase extends Coroutine<Integer> {
  // Structures.
  /** {@code await waitFor(work, t)}: the scope's timer is set before the work's. */
  static final byte WAITFOR_CORO = 0;
  /** {@code await waitFor(createTask(work), t)}: the scope's timer is set before the task starts. */
  static final byte WAITFOR_TASK = 1;
  /** As {@link #WAITFOR_TASK}, after one pass: the task's timer is set before the scope's. */
  static final byte WAITFOR_TASK_STARTED = 2;
  /** {@code await waitFor(p, t)} with {@code p} completed by a timer set before the scope's. */
  static final byte WAITFOR_PROMISE = 3;
  /** {@code try (Timeout s = Aio.timeoutAt(t)) { await work; }}. */
  static final byte SCOPE = 4;
  /** Two nested scopes around the work: outer at {@code t}, inner at {@code tInner}. */
  static final byte NESTED = 5;
  /** {@code waitFor(work, t <= 0)}: the work is wrapped in a task, cancelled, never started. */
  static final byte NONPOSITIVE = 6;
  /** {@code waitFor(p, t <= 0)} with {@code p} already done. */
  static final byte NONPOSITIVE_DONE = 7;

  static final String[] STRUCTURES = {
    "waitFor(coroutine)", "waitFor(task)", "waitFor(started task)", "waitFor(promise)", "timeout scope",
    "nested scopes", "waitFor(coroutine, <=0)", "waitFor(done promise, <=0)"
  };

  // Behaviours of the work.
  static final byte PLAIN = 0;
  /** Catches the CancelledError and returns {@code -id - 1}. */
  static final byte SWALLOW = 1;
  /** A finally block that sleeps {@code c}. */
  static final byte CLEANUP = 2;

  // Outcomes.
  static final byte VALUE = 0;
  static final byte ALT = 1;
  static final byte TIMEOUT = 2;
  static final byte CANCELLED = 3;

  static final String[] OUTCOMES = {"value", "swallowed value", "timeout", "cancelled"};

  static final byte BY_NONE = 0;
  static final byte BY_OUTER = 1;
  static final byte BY_INNER = 2;

  private static final long MS = 1_000_000L;

  final long id;
  final byte structure;
  final byte behaviour;
  final long d;
  final long t;
  final long tInner;
  final long c;
  final long x;

  // Expected.
  final byte eOutcome;
  final long eEnd;
  private boolean eWorkStarted = true;
  /** 0: no promise; else the promise must end succeeded ({@code VALUE}) or cancelled ({@code CANCELLED}). */
  private byte ePromise;
  private byte eBy = BY_NONE;

  // Observed.
  private final RacePool pool;
  long t0;
  private Task<?> self;
  private Work work;
  private Promise<Integer> promise;
  byte convertedBy;

  private RaceCase(RacePool pool, long id, byte structure, byte behaviour, long d, long t, long tInner,
      long c, long x) {
    this.pool = pool;
    this.id = id;
    this.structure = structure;
    this.behaviour = behaviour;
    this.d = d;
    this.t = t;
    this.tInner = tInner;
    this.c = c;
    this.x = x;
    long end;
    byte outcome;
    boolean hasX = x >= 0;
    switch (structure) {
      case NONPOSITIVE:
        outcome = TIMEOUT;
        end = 0;
        eWorkStarted = false;
        break;
      case NONPOSITIVE_DONE:
        outcome = VALUE;
        end = 0;
        ePromise = VALUE;
        break;
      case WAITFOR_PROMISE:
        if (hasX && x <= Math.min(d, t)) {
          outcome = CANCELLED;
          end = x;
          ePromise = CANCELLED;
        } else if (d < t) {
          outcome = VALUE;
          end = d;
          ePromise = VALUE;
        } else {
          // At a tie the promise completes first, in the same pass as the timeout's cancellation:
          // the waiting task is cancelled before it can take the value.
          outcome = TIMEOUT;
          end = t;
          ePromise = d == t ? VALUE : CANCELLED;
        }
        break;
      case NESTED:
        {
          long m = Math.min(t, tInner);
          if (hasX && x <= Math.min(d, m)) {
            outcome = CANCELLED;
            end = x;
          } else if (d < m) {
            outcome = VALUE;
            end = d;
          } else {
            // The scope that expires first converts; at equal deadlines that is the outer one, whose
            // timer was set first. The inner then sees a cancellation that is not its own.
            outcome = TIMEOUT;
            end = m;
            eBy = t <= tInner ? BY_OUTER : BY_INNER;
          }
          break;
        }
      default:
        switch (behaviour) {
          case PLAIN:
            if (hasX && x <= Math.min(d, t)) {
              outcome = CANCELLED;
              end = x;
            } else if (d < t) {
              outcome = VALUE;
              end = d;
            } else {
              outcome = TIMEOUT;
              end = t;
            }
            break;
          case SWALLOW:
            if (hasX && x <= Math.min(d, t)) {
              outcome = ALT;
              end = x;
            } else if (d < t) {
              outcome = VALUE;
              end = d;
            } else {
              outcome = ALT;
              end = t;
            }
            break;
          default:
            if (d + c < t) {
              outcome = VALUE;
              end = d + c;
            } else if (t <= d) {
              // Cancelled in the main sleep: the cleanup runs in full, then the timeout is raised.
              outcome = TIMEOUT;
              end = t + c;
            } else {
              // Cancelled during the cleanup's sleep.
              outcome = TIMEOUT;
              end = t;
            }
        }
        if (structure == SCOPE && outcome == TIMEOUT) {
          eBy = BY_OUTER;
        }
    }
    this.eOutcome = outcome;
    this.eEnd = end;
  }

  /** A random case. */
  static RaceCase random(RacePool pool, long id, SplittableRandom rnd) {
    int s = rnd.nextInt(100);
    byte structure =
        s < 18 ? WAITFOR_CORO
            : s < 32 ? WAITFOR_TASK
            : s < 46 ? WAITFOR_TASK_STARTED
            : s < 60 ? WAITFOR_PROMISE
            : s < 78 ? SCOPE
            : s < 94 ? NESTED
            : s < 97 ? NONPOSITIVE
            : NONPOSITIVE_DONE;
    byte behaviour =
        structure == WAITFOR_PROMISE || structure == NESTED || structure == NONPOSITIVE_DONE
            ? PLAIN
            : (byte) rnd.nextInt(3);
    long d = (1 + rnd.nextInt(50)) * MS + rnd.nextInt(100_000);
    long c = behaviour == CLEANUP ? (1 + rnd.nextInt(20)) * MS + rnd.nextInt(100_000) : 0;
    long t;
    long tInner = 0;
    if (structure == NONPOSITIVE || structure == NONPOSITIVE_DONE) {
      t = -rnd.nextInt(3) * MS;
    } else {
      long base = behaviour == CLEANUP && rnd.nextBoolean() ? d + c : d;
      t = Math.max(1, base + delta(rnd));
      if (structure == NESTED) {
        tInner = rnd.nextInt(4) == 0 ? t : Math.max(1, d + delta(rnd));
      }
    }
    long x = -1;
    if (behaviour != CLEANUP && structure != NONPOSITIVE && structure != NONPOSITIVE_DONE && rnd.nextInt(3) == 0) {
      switch (rnd.nextInt(4)) {
        case 0:
          x = d;
          break;
        case 1:
          x = structure == NESTED && rnd.nextBoolean() ? tInner : t;
          break;
        default:
          x = rnd.nextInt(80) * MS + 500_000;
      }
    }
    return new RaceCase(pool, id, structure, behaviour, d, t, tInner, c, x);
  }

  /** How far the deadline is from the completion: a tie, a nanosecond, a millisecond, or more. */
  private static long delta(SplittableRandom rnd) {
    switch (rnd.nextInt(7)) {
      case 0:
        return 0;
      case 1:
        return 1;
      case 2:
        return -1;
      case 3:
        return MS;
      case 4:
        return -MS;
      case 5:
        return (1 + rnd.nextInt(20)) * MS;
      default:
        return -(1 + rnd.nextInt(20)) * MS;
    }
  }

  /** Whether the deadline, or the outside cancellation, is at the very instant of something else. */
  boolean isTie() {
    return structure != NONPOSITIVE && structure != NONPOSITIVE_DONE
        && (t == d || t == d + c || (structure == NESTED && (tInner == d || tInner == t))
            || x == d || x == t || (structure == NESTED && x == tInner));
  }

  @Override
  protected Object step() throws Throwable {
    switch (state) {
      case 0:
        {
          EventLoop loop = loop();
          t0 = loop.nanoTime();
          self = Aio.currentTask();
          if (x >= 0) {
            loop.callAt(t0 + x, this::cancelFromOutside);
          }
          Awaitable<Integer> a;
          switch (structure) {
            case WAITFOR_CORO:
              a = Aio.waitFor(work = new Work(), Duration.ofNanos(t));
              break;
            case WAITFOR_TASK:
              a = Aio.waitFor(Aio.createTask(work = new Work()), Duration.ofNanos(t));
              break;
            case WAITFOR_TASK_STARTED:
              promise = Aio.createTask(work = new Work());
              state = 2;
              if (suspendOn(Aio.sleep(0))) {
                return SUSPEND;
              }
              return awaitAfterOnePass();
            case WAITFOR_PROMISE:
              {
                Promise<Integer> p = promise = loop.createPromise();
                loop.callAt(t0 + d, () -> {
                  if (!p.isDone()) {
                    p.complete((int) id);
                  }
                });
                a = Aio.waitFor(p, Duration.ofNanos(t));
                break;
              }
            case SCOPE:
              a = new Scoped(t0 + t, work = new Work(), BY_OUTER);
              break;
            case NESTED:
              a = new Scoped(t0 + t, new Scoped(t0 + tInner, work = new Work(), BY_INNER), BY_OUTER);
              break;
            case NONPOSITIVE:
              a = Aio.waitFor(work = new Work(), Duration.ofNanos(t));
              break;
            case NONPOSITIVE_DONE:
              promise = loop.createPromise();
              promise.complete((int) id);
              a = Aio.waitFor(promise, Duration.ofNanos(t));
              break;
            default:
              throw new AssertionError(structure);
          }
          state = 1;
          if (suspendOn(a)) {
            return SUSPEND;
          }
        }
        // fall through
      case 1:
        return awaitResult();
      case 2:
        return awaitAfterOnePass();
      default:
        throw illegalState();
    }
  }

  private Object awaitAfterOnePass() {
    awaitResult();
    state = 1;
    if (suspendOn(Aio.waitFor(promise, Duration.ofNanos(t)))) {
      return SUSPEND;
    }
    return awaitResult();
  }

  private void cancelFromOutside() {
    boolean effective = self.cancel();
    // Either the cancellation ended the case (at x) or the case was still running; x never equals
    // an instant the case ends at for another reason.
    boolean expected = x <= eEnd;
    if (effective != expected) {
      pool.mismatch(this + ": cancel() at " + x + " returned " + effective + ", expected " + expected);
    }
  }

  /** What the case's task must have ended with; {@code null} if it did. */
  String check(Task<?> task, long now) {
    long end = now - t0;
    if (end != eEnd) {
      return this + ": ended at " + end + " (" + describe(task) + "), expected " + OUTCOMES[eOutcome] + " at " + eEnd;
    }
    switch (eOutcome) {
      case VALUE:
        if (!task.isSuccess() || (Integer) task.result() != id) {
          return this + ": expected value " + id + ", got " + describe(task);
        }
        break;
      case ALT:
        if (!task.isSuccess() || (Integer) task.result() != -id - 1) {
          return this + ": expected value " + (-id - 1) + ", got " + describe(task);
        }
        break;
      case CANCELLED:
        if (!task.isCancelled()) {
          return this + ": expected cancelled, got " + describe(task);
        }
        break;
      default:
        if (task.isCancelled() || task.isSuccess()) {
          return this + ": expected a timeout, got " + describe(task);
        }
        Throwable e = task.exception();
        if (!(e instanceof AsyncTimeoutException) || !(e.getCause() instanceof CancelledError)) {
          return this + ": expected AsyncTimeoutException caused by CancelledError, got " + e;
        }
    }
    if (work != null && work.started != eWorkStarted) {
      return this + ": work started=" + work.started + ", expected " + eWorkStarted;
    }
    if (ePromise != 0 && promise != null) {
      boolean ok = ePromise == VALUE ? promise.isSuccess() : promise.isCancelled();
      if (!ok) {
        return this + ": promise " + promise + ", expected " + OUTCOMES[ePromise];
      }
    }
    if (convertedBy != eBy) {
      return this + ": timeout converted by scope " + convertedBy + ", expected " + eBy;
    }
    return null;
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
    return "RaceCase#" + id + "[" + STRUCTURES[structure] + ", behaviour=" + behaviour + ", d=" + d
        + ", t=" + t + (structure == NESTED ? ", tInner=" + tInner : "") + ", c=" + c
        + (x >= 0 ? ", x=" + x : "") + "]";
  }

  /** The inner work: sleeps {@code d}; see the behaviours. */
  private final class Work extends Coroutine<Integer> {
    boolean started;
    private CancelledError pending;

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          started = true;
          state = 1;
          if (suspendOn(Aio.sleep(Duration.ofNanos(d)))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          try {
            awaitResult();
          } catch (CancelledError e) {
            if (behaviour == SWALLOW) {
              return (int) (-id - 1);
            }
            if (behaviour != CLEANUP) {
              throw e;
            }
            pending = e;
          }
          if (behaviour == CLEANUP) {
            state = 2;
            if (suspendOn(Aio.sleep(Duration.ofNanos(c)))) {
              return SUSPEND;
            }
            return finishCleanup();
          }
          return (int) id;
        case 2:
          return finishCleanup();
        default:
          throw illegalState();
      }
    }

    private Object finishCleanup() {
      awaitResult();
      if (pending != null) {
        throw pending;
      }
      return (int) id;
    }
  }

  /**
   * {@code try (Timeout s = Aio.timeoutAt(deadline)) { return await(body); }} as the processor
   * generates it: the close gets the block's exception, and its own exception replaces a
   * CancelledError of the block. Records which scope turned the cancellation into a timeout.
   */
  private final class Scoped extends Coroutine<Integer> {
    private final long deadline;
    private final Coroutine<Integer> body;
    private final byte tag;
    private Timeout scope;
    private Throwable primary;
    private Integer result;

    Scoped(long deadline, Coroutine<Integer> body, byte tag) {
      this.deadline = deadline;
      this.body = body;
      this.tag = tag;
    }

    @Override
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          scope = Aio.timeoutAt(deadline);
          state = 1;
          try {
            if (suspendOn(body)) {
              return SUSPEND;
            }
          } catch (Throwable e) {
            primary = e;
            return close();
          }
          // fall through
        case 1:
          try {
            result = awaitResult();
          } catch (Throwable e) {
            primary = e;
          }
          return close();
        case 2:
          return closed();
        default:
          throw illegalState();
      }
    }

    private Object close() throws Throwable {
      state = 2;
      if (suspendOn(scope.closeAsync(primary))) {
        return SUSPEND;
      }
      return closed();
    }

    private Object closed() throws Throwable {
      try {
        awaitResult();
      } catch (Throwable closeError) {
        if (closeError instanceof AsyncTimeoutException) {
          convertedBy = convertedBy == BY_NONE ? tag : (byte) 99;
        }
        if (primary == null) {
          throw closeError;
        }
        if (primary instanceof CancelledError && !(closeError instanceof CancelledError)) {
          closeError.addSuppressed(primary);
          throw closeError;
        }
        if (closeError != primary) {
          primary.addSuppressed(closeError);
        }
        throw primary;
      }
      if (primary != null) {
        throw primary;
      }
      return result;
    }
  }
}
