package io.awaitj.stress;

import io.awaitj.EventLoop;
import io.awaitj.stress.StressSupport.Mismatches;
import io.awaitj.stress.StressSupport.Reports;
import io.awaitj.stress.StressSupport.Sample;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 3: task groups nested up to five deep, with failures injected at random depths, cleanups
 * that await, and bodies that are still running when a child fails. Every task of every tree is
 * checked against {@link GroupTree}'s oracle: the failures each group aggregates (in order, nested),
 * siblings cancelled, and the instant each task ends. Failures of inner tasks are never retrieved by
 * the checker, so a group that failed to retrieve one would be reported by debug mode.
 */
class NestedTaskGroupStressTest {
  private static final String NAME = "nested task groups";

  @Test
  @Timeout(
      value = StressSupport.HANG_GUARD_SECONDS,
      unit = TimeUnit.SECONDS,
      threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void nestedTaskGroupsWithFailuresAtRandomDepths() {
    long seed = StressSupport.seed(NAME);
    Reports reports = new Reports();
    Sample sample = new Sample(200);
    run(seed, 200, 25, reports, sample);
    sample.awaitCleared(NAME);
    reports.awaitNeverRetrieved(Set.of(), NAME);
  }

  private static void run(long seed, int ticks, int perTick, Reports reports, Sample sample) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Mismatches mismatches = new Mismatches();
    EventLoop loop = StressSupport.debugLoop(true, reports);
    TreePool pool = new TreePool(loop, rnd, mismatches, sample);
    TickDriver driver = TickDriver.steady(ticks, () -> pool.spawn(perTick), () -> pool.live == 0);
    long t0 = System.nanoTime();
    try {
      loop.runUntilComplete(driver);
      long took = System.nanoTime() - t0;
      mismatches.assertNone(NAME);
      StressSupport.assertLoopClean(loop, NAME);
      StressSupport.report(NAME, "%s; in %s", pool.summary(), StressSupport.ms(took));
      reports.assertNothingUnexpected(NAME);
    } finally {
      loop.close();
    }
  }
}
