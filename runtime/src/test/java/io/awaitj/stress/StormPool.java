package io.awaitj.stress;

import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Task;
import io.awaitj.stress.StressSupport.Mismatches;
import io.awaitj.stress.StressSupport.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The live {@link StormWorker} tasks of a run: spawns them, cancels random subsets of them in storms,
 * and, as the done callback of each, checks it against its model the moment it is done.
 *
 * <p>Timing rule that keeps every outcome unambiguous: workers are spawned at whole milliseconds and
 * sleep whole milliseconds; storm {@code j} happens at a whole millisecond plus a residue of {@code
 * 1 + (389 j mod 999)} microseconds, so no two storms within 999 of them share a residue. A worker's
 * timers then fire either at whole milliseconds or at the residue of the storm that last hit it plus
 * whole milliseconds (at most {@link #MAX_SLEEP_MS} later), never at the instant of another storm.
 */
final class StormPool implements Consumer<Promise<?>> {
  static final long MS = 1_000_000L;
  static final int MAX_SLEEP_MS = 100;

  private final EventLoop loop;
  private final SplittableRandom rnd;
  private final Mismatches mismatches;
  private final Sample sample;
  private final int unretrievedOneIn;
  private final List<Task<Integer>> live = new ArrayList<>();
  private final List<Task<Object>> waiters = new ArrayList<>();

  /** Ids of the failures the checker left unretrieved: debug mode must report exactly these. */
  final Set<Long> unretrieved = new HashSet<>();

  long spawned;
  long finished;
  long values;
  long recovered;
  long failed;
  long cancelled;
  long finallyCompleted;
  long cancelCalls;
  long preStartCancelled;
  long deep;
  final long[] combinators = new long[CombinatorWaiter.KINDS.length];
  long combinatorsCancelled;
  long storms;
  int maxLive;

  /**
   * A pool whose failing workers leave their failure unretrieved one time in {@code unretrievedOneIn}.
   */
  StormPool(EventLoop loop, SplittableRandom rnd, Mismatches mismatches, Sample sample, int unretrievedOneIn) {
    this.unretrievedOneIn = unretrievedOneIn;
    this.loop = loop;
    this.rnd = rnd;
    this.mismatches = mismatches;
    this.sample = sample;
  }

  /** Live workers and waiters. */
  int liveCount() {
    return live.size() + waiters.size();
  }

  /** Spawns {@code count} workers now (a whole millisecond of the loop's clock). */
  void spawn(int count) {
    long now = loop.nanoTime();
    for (int i = 0; i < count; i++) {
      spawnWorker(now, false);
    }
    maxLive = Math.max(maxLive, live.size());
  }

  private Task<Integer> spawnWorker(long now, boolean mustRetrieve) {
    int r = rnd.nextInt(100);
    byte kind =
        r < 30 ? StormWorker.PLAIN
            : r < 50 ? StormWorker.FAIL
            : r < 72 ? StormWorker.CATCH
            : r < 90 ? StormWorker.FINALLY
            : StormWorker.DEEP;
    boolean retrieve = mustRetrieve || kind != StormWorker.FAIL || rnd.nextInt(unretrievedOneIn) != 0;
    boolean deep = kind == StormWorker.DEEP;
    StormWorker w =
        new StormWorker(Ids.next(), kind, now, (1 + rnd.nextInt(MAX_SLEEP_MS)) * MS,
            (1 + rnd.nextInt(MAX_SLEEP_MS)) * MS, retrieve, deep ? rnd.nextInt(251) : 0,
            deep && rnd.nextInt(10) == 0);
    Task<Integer> t = loop.createTask(w);
    t.addDoneCallback(this);
    w.liveIndex = live.size();
    live.add(t);
    sample.offer(t);
    spawned++;
    if (deep) {
      this.deep++;
    }
    if (rnd.nextInt(100) == 0) {
      // Cancelled before its first step: the coroutine must never run.
      int k = 1 + rnd.nextInt(2);
      w.modelCancelBeforeStart(k);
      for (int j = 0; j < k; j++) {
        cancel(t);
      }
      preStartCancelled++;
    }
    return t;
  }

  /**
   * Spawns a few workers and a task that awaits them through a combinator ({@link
   * CombinatorWaiter}): gather, gatherSettled, shield, or wait. The workers' failures are retrieved by
   * the combinators, so none is left unretrieved on purpose.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void spawnCombinator() {
    long now = loop.nanoTime();
    byte kind = (byte) rnd.nextInt(CombinatorWaiter.KINDS.length);
    int k = kind == CombinatorWaiter.SHIELD ? 1 : 2 + rnd.nextInt(4);
    Task<Integer>[] children = new Task[k];
    for (int i = 0; i < k; i++) {
      children[i] = spawnWorker(now, true);
    }
    CombinatorWaiter c = new CombinatorWaiter(kind, children);
    Task<Object> t = loop.createTask(c);
    t.addDoneCallback(waiterDone);
    c.liveIndex = waiters.size();
    waiters.add(t);
    sample.offer(t);
    combinators[kind]++;
    maxLive = Math.max(maxLive, live.size());
  }

  private final Consumer<Promise<Object>> waiterDone = this::waiterDone;

  private void waiterDone(Promise<Object> p) {
    Task<?> t = (Task<?>) p;
    CombinatorWaiter c = (CombinatorWaiter) t.coroutine();
    int i = c.liveIndex;
    Task<Object> last = waiters.remove(waiters.size() - 1);
    if (last != t) {
      waiters.set(i, last);
      ((CombinatorWaiter) last.coroutine()).liveIndex = i;
    }
    String m = c.check(t, loop.nanoTime());
    if (m != null) {
      mismatches.add(m);
    } else if (t.isCancelled() && c.wasCancelled()) {
      combinatorsCancelled++;
    }
  }

  /**
   * A storm now: picks {@code fraction} of the live workers and waiters at random, with replacement,
   * so that some are cancelled twice in the same pass, and cancels them. A waiter on a gather that is
   * cancelled cancels the gather, which cancels its workers still running: the models of those
   * workers count that too. All cancellations of one storm happen in one pass, before any of the
   * tasks runs again, so each worker's model is told once, of all of them.
   */
  void storm(double fraction) {
    storms++;
    long now = loop.nanoTime();
    int nw = live.size();
    int n = nw + waiters.size();
    int picks = (int) (n * fraction);
    List<Task<Integer>> hit = new ArrayList<>();
    List<Task<Object>> hitWaiters = new ArrayList<>();
    for (int i = 0; i < picks; i++) {
      int j = rnd.nextInt(n);
      if (j < nw) {
        Task<Integer> t = live.get(j);
        StormWorker w = (StormWorker) t.coroutine();
        if (w.picks++ == 0 && w.extraPicks == 0) {
          hit.add(t);
        }
      } else {
        Task<Object> t = waiters.get(j - nw);
        CombinatorWaiter c = (CombinatorWaiter) t.coroutine();
        if (c.stormPicks++ == 0) {
          hitWaiters.add(t);
        }
      }
    }
    for (Task<Object> t : hitWaiters) {
      CombinatorWaiter c = (CombinatorWaiter) t.coroutine();
      c.picked(now);
      if (c.cancelsChildren()) {
        if (c.doneByModel(now)) {
          mismatches.add(c + ": still waiting at " + now + ", but its gather is done by the models");
        }
        for (Task<Integer> child : c.children) {
          StormWorker w = (StormWorker) child.coroutine();
          if (w.expectedEnd() > now) {
            if (w.picks == 0 && w.extraPicks == 0) {
              hit.add(child);
            }
            w.extraPicks += c.stormPicks;
          }
        }
      }
    }
    for (Task<Integer> t : hit) {
      StormWorker w = (StormWorker) t.coroutine();
      int k = w.picks;
      int extra = w.extraPicks;
      w.picks = 0;
      w.extraPicks = 0;
      String m = w.modelCancel(now, k + extra);
      if (m != null) {
        mismatches.add(m);
      }
      for (int j = 0; j < k; j++) {
        cancel(t);
      }
    }
    for (Task<Object> t : hitWaiters) {
      CombinatorWaiter c = (CombinatorWaiter) t.coroutine();
      for (int j = c.stormPicks; j > 0; j--) {
        cancelCalls++;
        if (!t.cancel()) {
          mismatches.add(c + ": cancel() returned false, but the task had not finished");
        }
      }
      c.stormPicks = 0;
    }
  }

  /** The loop is about to be closed at {@code now}: it will cancel every live worker once. */
  void modelClose() {
    long now = loop.nanoTime();
    // The close cancels each live task once, in some order; a waiter on a gather cancels the gather,
    // which cancels each of its workers not done yet once more, whatever the order.
    for (Task<Object> t : waiters) {
      CombinatorWaiter c = (CombinatorWaiter) t.coroutine();
      c.picked(now);
      if (c.cancelsChildren() && !c.doneByModel(now)) {
        for (Task<Integer> child : c.children) {
          StormWorker w = (StormWorker) child.coroutine();
          if (w.expectedEnd() > now) {
            w.extraPicks++;
          }
        }
      }
    }
    for (Task<Integer> t : live) {
      StormWorker w = (StormWorker) t.coroutine();
      String m = w.modelCancel(now, 1 + w.extraPicks);
      w.extraPicks = 0;
      if (m != null) {
        mismatches.add(m);
      }
    }
  }

  private void cancel(Task<Integer> t) {
    cancelCalls++;
    if (!t.cancel()) {
      mismatches.add(t.coroutine() + ": cancel() returned false, but the task had not finished");
    }
  }

  /** A worker is done. */
  @Override
  public void accept(Promise<?> p) {
    Task<?> t = (Task<?>) p;
    StormWorker w = (StormWorker) t.coroutine();
    int i = w.liveIndex;
    Task<Integer> last = live.remove(live.size() - 1);
    if (last != t) {
      live.set(i, last);
      ((StormWorker) last.coroutine()).liveIndex = i;
    }
    finished++;
    String m = w.check(t, loop.nanoTime());
    if (m != null) {
      mismatches.add(m);
      return;
    }
    switch (w.expectedOutcome()) {
      case StormWorker.VALUE:
        if (w.expectedCaught()) {
          recovered++;
        } else {
          values++;
        }
        break;
      case StormWorker.FAILED:
        failed++;
        if (!w.retrieve) {
          unretrieved.add(w.id);
        }
        break;
      default:
        cancelled++;
    }
    if (w.expectedFinallyDone()) {
      finallyCompleted++;
    }
  }

  String summary() {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < combinators.length; k++) {
      b.append(k == 0 ? "" : ", ").append(combinators[k]).append(' ').append(CombinatorWaiter.KINDS[k]);
    }
    return summaryOfWorkers() + "; " + Arrays.stream(combinators).sum() + " waiters on " + b + " (" + combinatorsCancelled + " cancelled by storms)";
  }

  private String summaryOfWorkers() {
    return String.format(java.util.Locale.ROOT,
        "%d workers (max %d live): %d values, %d recovered after uncancel, %d failed (%d left unretrieved),"
            + " %d cancelled (%d before their first step), %d finally blocks completed, %d deep chains;"
            + " %d storms, %d cancel() calls",
        spawned, maxLive, values, recovered, failed, unretrieved.size(), cancelled, preStartCancelled,
        finallyCompleted, deep, storms, cancelCalls);
  }

  /** Distinct ids across everything a run spawns, so that a Boom names its task. */
  static final class Ids {
    private static long next;

    static synchronized long next() {
      return next++;
    }
  }
}
