package io.awaitj.stress;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.Result;
import io.awaitj.ReturnWhen;
import io.awaitj.StressAccess;
import io.awaitj.Task;
import io.awaitj.WaitResult;
import java.util.Arrays;
import java.util.List;

/**
 * A task awaiting storm workers through a combinator, itself a target of the storms. Its outcome is
 * checked, when it is done, against the outcomes of its workers (each checked against its own model)
 * by the combinator's rules:
 *
 * <ul>
 *   <li>gather: done at the first worker to fail or be cancelled, with that worker's exception (a
 *       {@code CancelledError} for a cancellation), or when all succeeded, with their values in
 *       order. Cancelling the waiter cancels the gather, which cancels the workers still running
 *       (their models count it) and ends with a {@code CancelledError} once they are done.
 *   <li>gatherSettled: done when every worker is, with one result per worker, or a {@code
 *       CancelledError} if the waiter was cancelled.
 *   <li>shield: mirrors its worker; cancelling the waiter cancels only the waiter, at once.
 *   <li>wait (first completed, first exception, all completed): done at the first worker to end, the
 *       first to fail (a cancellation is not a failure) or the last, with the workers done by then
 *       and those not done; cancelling the waiter cancels only the waiter, at once.
 * </ul>
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
final class CombinatorWaiter extends Coroutine<Object> {
  static final byte GATHER = 0;
  static final byte GATHER_SETTLED = 1;
  static final byte SHIELD = 2;
  static final byte WAIT_FIRST = 3;
  static final byte WAIT_FIRST_EXCEPTION = 4;
  static final byte WAIT_ALL = 5;
  static final String[] KINDS = {
    "gather", "gatherSettled", "shield", "wait(FIRST_COMPLETED)", "wait(FIRST_EXCEPTION)", "wait(ALL_COMPLETED)"
  };

  final byte kind;
  final Task<Integer>[] children;
  int liveIndex;
  int stormPicks;

  /** When a storm (or the close) first cancelled this waiter; -1 if never. */
  private long pickedAt = -1;

  private int cancelRequests;

  boolean wasCancelled() {
    return pickedAt >= 0;
  }

  CombinatorWaiter(byte kind, Task<Integer>[] children) {
    this.kind = kind;
    this.children = children;
  }

  /** Whether cancelling this waiter cancels its workers. */
  boolean cancelsChildren() {
    return kind == GATHER || kind == GATHER_SETTLED;
  }

  /** A storm cancels this waiter {@link #stormPicks} times (the close: once) at {@code now}. */
  void picked(long now) {
    if (pickedAt < 0) {
      pickedAt = now;
    }
    cancelRequests += Math.max(1, stormPicks);
  }

  /** Whether, by the workers' models, the gather is done at {@code now}. */
  boolean doneByModel(long now) {
    boolean all = true;
    for (Task<Integer> c : children) {
      StormWorker w = (StormWorker) c.coroutine();
      if (w.expectedEnd() < now) {
        if (kind == GATHER && w.expectedOutcome() != StormWorker.VALUE) {
          return true;
        }
      } else {
        all = false;
      }
    }
    return all;
  }

  @Override
  protected Object step() {
    switch (state) {
      case 0:
        {
          List<Task<Integer>> list = Arrays.asList(children);
          Object a;
          switch (kind) {
            case GATHER:
              a = Aio.gather(list);
              break;
            case GATHER_SETTLED:
              a = Aio.gatherSettled(list);
              break;
            case SHIELD:
              a = Aio.shield(children[0]);
              break;
            case WAIT_FIRST:
              a = Aio.wait(list, ReturnWhen.FIRST_COMPLETED);
              break;
            case WAIT_FIRST_EXCEPTION:
              a = Aio.wait(list, ReturnWhen.FIRST_EXCEPTION);
              break;
            default:
              a = Aio.wait(list);
          }
          state = 1;
          if (suspendOn((io.awaitj.Awaitable<?>) a)) {
            return SUSPEND;
          }
        }
        // fall through
      case 1:
        return awaitResult();
      default:
        throw illegalState();
    }
  }

  private static long end(Task<Integer> c) {
    return ((StormWorker) c.coroutine()).expectedEnd();
  }

  /** A worker's outcome, as the combinators see it: its value, its failure, or a CancelledError. */
  private static Object outcome(Task<Integer> c) {
    if (c.isCancelled()) {
      return CancelledError.class;
    }
    return c.isSuccess() ? c.result() : StressAccess.failureOf(c);
  }

  /** Whether the worker ended without a value (failed or cancelled). */
  private static boolean unsuccessful(Task<Integer> c) {
    return !c.isSuccess();
  }

  /** What the waiter must have ended with, by the rules of its combinator; {@code null} if it did. */
  String check(Task<?> self, long now) {
    if (self.cancelling() != cancelRequests) {
      return this + ": cancelling()=" + self.cancelling() + ", expected " + cancelRequests;
    }
    // The workers done by now are exactly those whose models end by now.
    long first = Long.MAX_VALUE;
    long last = 0;
    long firstUnsuccessful = Long.MAX_VALUE;
    long firstFailure = Long.MAX_VALUE;
    boolean allDone = true;
    for (Task<Integer> c : children) {
      long e = end(c);
      if (c.isDone() != (e <= now)) {
        return this + ": at " + now + " worker " + c.coroutine() + " done=" + c.isDone()
            + ", but its model ends at " + e;
      }
      if (!c.isDone()) {
        allDone = false;
        continue;
      }
      first = Math.min(first, e);
      last = Math.max(last, e);
      if (unsuccessful(c)) {
        firstUnsuccessful = Math.min(firstUnsuccessful, e);
        if (!c.isCancelled()) {
          firstFailure = Math.min(firstFailure, e);
        }
      }
    }
    switch (kind) {
      case GATHER:
        {
          if (firstUnsuccessful < now) {
            return this + ": a worker failed at " + firstUnsuccessful + ", the gather ended only at " + now;
          }
          if (self.isSuccess()) {
            if (!allDone || last != now || pickedAt >= 0) {
              return this + ": succeeded at " + now + " with allDone=" + allDone + ", last=" + last
                  + ", cancelled at " + pickedAt;
            }
            Object[] values = Arrays.stream(children).map(Task::result).toArray();
            return Arrays.asList(values).equals(self.result()) ? null : this + ": values " + self.result();
          }
          Throwable e = self.isCancelled() ? null : self.exception();
          for (Task<Integer> c : children) {
            if (c.isDone() && end(c) == now && unsuccessful(c)
                && (e == null ? c.isCancelled() : StressAccess.failureOf(c) == e)) {
              return null;
            }
          }
          if (e == null && pickedAt >= 0 && allDone && last == now) {
            return null; // cancelled through the waiter, the workers caught it and went on
          }
          return this + ": ended " + (e == null ? "cancelled" : e) + " at " + now
              + ", which no worker explains";
        }
      case GATHER_SETTLED:
        {
          if (!allDone || last != now) {
            return this + ": ended at " + now + ", allDone=" + allDone + ", last worker at " + last;
          }
          if (pickedAt >= 0) {
            return self.isCancelled() ? null : this + ": cancelled through the waiter, but ended " + self;
          }
          @SuppressWarnings("unchecked")
          List<Result<Integer>> results = (List<Result<Integer>>) self.result();
          for (int i = 0; i < children.length; i++) {
            Result<Integer> r = results.get(i);
            Object o = outcome(children[i]);
            boolean same =
                o == CancelledError.class ? r.isCancelled()
                    : r.isSuccess() ? o.equals(r.value()) : r.exception() == o;
            if (!same) {
              return this + ": result " + i + " is " + r + ", the worker ended " + o;
            }
          }
          return null;
        }
      case SHIELD:
        {
          Task<Integer> c = children[0];
          if (pickedAt >= 0 && pickedAt < end(c)) {
            return self.isCancelled() && now == pickedAt ? null : this + ": cancelled at " + pickedAt + ", ended " + self + " at " + now;
          }
          if (now != end(c)) {
            return this + ": ended at " + now + ", its worker at " + end(c);
          }
          Object o = outcome(c);
          boolean same =
              o == CancelledError.class ? self.isCancelled()
                  : self.isSuccess() ? o.equals(self.result()) : !self.isCancelled() && self.exception() == o;
          return same ? null : this + ": ended " + self + ", its worker " + o;
        }
      default:
        {
          if (pickedAt >= 0) {
            return self.isCancelled() && now == pickedAt ? null : this + ": cancelled at " + pickedAt + ", ended " + self + " at " + now;
          }
          long expected =
              kind == WAIT_FIRST ? first : kind == WAIT_ALL ? last : Math.min(firstFailure, allDone ? last : Long.MAX_VALUE);
          if (now != expected || (kind == WAIT_ALL && !allDone)) {
            return this + ": ended at " + now + ", expected " + expected;
          }
          @SuppressWarnings("unchecked")
          WaitResult<Task<Integer>> r = (WaitResult<Task<Integer>>) self.result();
          for (Task<Integer> c : children) {
            if (r.done().contains(c) != c.isDone() || r.pending().contains(c) == c.isDone()) {
              return this + ": " + r + " misplaces " + c;
            }
          }
          return null;
        }
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("CombinatorWaiter[" + KINDS[kind]);
    if (pickedAt >= 0) {
      b.append(", cancelled at ").append(pickedAt);
    }
    for (Task<Integer> c : children) {
      b.append("\n      ").append(c.coroutine()).append(" -> ").append(c.isDone() ? String.valueOf(outcome(c)) : "pending")
          .append(" (model: ").append(((StormWorker) c.coroutine()).expectedOutcome()).append(" at ").append(end(c)).append(')');
    }
    return b.append(']').toString();
  }
}
