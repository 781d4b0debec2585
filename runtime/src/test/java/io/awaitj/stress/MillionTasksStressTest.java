package io.awaitj.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.EventLoop;
import io.awaitj.StressAccess;
import io.awaitj.stress.StressSupport.Mismatches;
import io.awaitj.stress.StressSupport.Reports;
import io.awaitj.stress.StressSupport.Sample;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 1: a million tasks on a virtual clock, through random cancellation storms.
 *
 * <p>A thousand workers are spawned every millisecond for a thousand milliseconds; each sleeps 1 to
 * 100 ms and then returns, fails, or (with a catch that uncancels, a finally that awaits, or a chain of
 * nested coroutines deeper than the inline limit) handles a cancellation in its own way ({@link
 * StormWorker}). Twenty more groups of workers a millisecond are awaited through gather,
 * gatherSettled, shield or wait by a waiter task that the storms target too ({@link
 * CombinatorWaiter}). In about one millisecond in twenty a storm cancels
 * a random fraction (up to 30%) of the live workers, picking with replacement so that some are
 * cancelled twice in one pass; one worker in a hundred is cancelled before its first step. Every
 * worker is checked against its model the moment it is done; at the end the loop must hold no task and
 * no timer, finished tasks must be collectable, and each failure the checker left unretrieved on
 * purpose must be reported once by debug mode, and nothing else.
 */
class MillionTasksStressTest {
  private static final String NAME = "million tasks";

  @Test
  @Timeout(
      value = StressSupport.HANG_GUARD_SECONDS,
      unit = TimeUnit.SECONDS,
      threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aMillionTasksThroughCancellationStorms() {
    long seed = StressSupport.seed(NAME);
    Reports reports = new Reports();
    Sample sample = new Sample(1000);
    Set<Long> unretrieved = run(seed, 1_000, 1_000, reports, sample);
    long t0 = System.nanoTime();
    sample.awaitCleared(NAME);
    reports.awaitNeverRetrieved(unretrieved, NAME);
    StressSupport.report(NAME, "%d sampled tasks collected, %d unretrieved failures reported, in %s",
        sample.size(), unretrieved.size(), StressSupport.ms(System.nanoTime() - t0));
  }

  /**
   * Closing the loop in the middle of a storm (as {@code Aio.run} does when its main task ends with
   * others still running) cancels every live worker once; each must still end as its model says,
   * after the cleanups and recoveries the cancellation starts, and its done callback must run.
   */
  @Test
  @Timeout(
      value = StressSupport.HANG_GUARD_SECONDS,
      unit = TimeUnit.SECONDS,
      threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void closingTheLoopMidStormLosesNoOutcome() {
    String name = "close mid-storm";
    long seed = StressSupport.seed(name);
    Reports reports = new Reports();
    Sample sample = new Sample(1000);
    Set<Long> unretrieved = runAndClose(name, seed, 200, 1_000, reports, sample);
    sample.awaitCleared(name);
    reports.awaitNeverRetrieved(unretrieved, name);
  }

  private static Set<Long> runAndClose(String name, long seed, int ticks, int perTick, Reports reports,
      Sample sample) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Mismatches mismatches = new Mismatches();
    EventLoop loop = StressSupport.debugLoop(true, reports);
    StormPool pool = new StormPool(loop, rnd, mismatches, sample, 10);
    long[] stormIndex = new long[1];
    TickDriver driver =
        new TickDriver() {
          @Override
          protected void onTick(long tick) {
            pool.spawn(perTick);
            for (int i = 0; i < perTick / 50; i++) {
              pool.spawnCombinator();
            }
            if (tick == ticks - 1 || rnd.nextInt(20) == 0) {
              // The last "storm" is the close: the driver ends there, with the workers still live.
              stormAt((1 + (389 * stormIndex[0]++) % 999) * 1_000L);
            }
          }

          @Override
          protected void onStorm() {
            if (tick == ticks - 1) {
              pool.modelClose();
            } else {
              pool.storm(rnd.nextDouble() * 0.3);
            }
          }

          @Override
          protected boolean moreTicks(long tick) {
            return tick < ticks;
          }

          @Override
          protected boolean idle() {
            return true;
          }
        };
    try {
      loop.runUntilComplete(driver);
      int live = pool.liveCount();
      loop.close();
      mismatches.assertNone(name);
      assertEquals(0, StressAccess.liveTaskCount(loop), name + ": tasks left after close");
      assertEquals(pool.spawned, pool.finished, name + ": workers whose end was never heard of");
      StressSupport.report(name, "%d workers live at the close; %s", live, pool.summary());
      reports.assertNothingUnexpected(name);
      return pool.unretrieved;
    } finally {
      loop.close();
    }
  }

  /** Runs the storm and returns the ids of the failures left unretrieved. */
  private static Set<Long> run(long seed, int ticks, int perTick, Reports reports, Sample sample) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Mismatches mismatches = new Mismatches();
    EventLoop loop = StressSupport.debugLoop(true, reports);
    StormPool pool = new StormPool(loop, rnd, mismatches, sample, 10);
    long[] stormIndex = new long[1];
    TickDriver driver =
        new TickDriver() {
          @Override
          protected void onTick(long tick) {
            pool.spawn(perTick);
            for (int i = 0; i < perTick / 50; i++) {
              pool.spawnCombinator();
            }
            if (rnd.nextInt(20) == 0) {
              stormAt((1 + (389 * stormIndex[0]++) % 999) * 1_000L);
            }
          }

          @Override
          protected void onStorm() {
            pool.storm(rnd.nextDouble() * 0.3);
          }

          @Override
          protected boolean moreTicks(long tick) {
            return tick < ticks;
          }

          @Override
          protected boolean idle() {
            return pool.liveCount() == 0;
          }
        };
    long t0 = System.nanoTime();
    try {
      loop.runUntilComplete(driver);
      long took = System.nanoTime() - t0;
      mismatches.assertNone(NAME);
      StressSupport.assertLoopClean(loop, NAME);
      assertTrue(pool.spawned >= (long) ticks * perTick, "spawned");
      assertEquals(pool.spawned, pool.finished, NAME + ": every task finished");
      assertEquals(0, pool.liveCount(), NAME + ": waiters not finished");
      assertEquals(pool.spawned, pool.values + pool.recovered + pool.failed + pool.cancelled, "outcomes");
      StressSupport.report(NAME, "%s; %s virtual in %s", pool.summary(),
          StressSupport.ms(loop.nanoTime()), StressSupport.ms(took));
      reports.assertNothingUnexpected(NAME);
      return pool.unretrieved;
    } finally {
      loop.close();
    }
  }
}
