package io.awaitj.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Scenario 2: timeouts racing completions. {@code Aio.waitFor} and {@code Aio.timeout} scopes (plain,
 * nested, non-positive) whose deadline equals the completion of the inner work, straddles it by a
 * nanosecond or a millisecond, or is further off; inner work that completes, swallows the
 * cancellation, or cleans up in a finally that awaits; some cases also cancelled from outside. Each
 * case must end with the value or an {@code AsyncTimeoutException} (or, cancelled from outside, a
 * cancellation) at the instant the virtual schedule gives ({@link RaceCase}).
 */
class TimeoutRaceStressTest {
  private static final String NAME = "timeout races";

  @Test
  @Timeout(
      value = StressSupport.HANG_GUARD_SECONDS,
      unit = TimeUnit.SECONDS,
      threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void timeoutsRacingCompletions() {
    long seed = StressSupport.seed(NAME);
    Reports reports = new Reports();
    Sample sample = new Sample(500);
    run(seed, 200, 1_000, reports, sample);
    sample.awaitCleared(NAME);
    reports.awaitNeverRetrieved(Set.of(), NAME);
  }

  private static void run(long seed, int ticks, int perTick, Reports reports, Sample sample) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Mismatches mismatches = new Mismatches();
    EventLoop loop = StressSupport.debugLoop(true, reports);
    RacePool pool = new RacePool(loop, rnd, mismatches, sample);
    TickDriver driver = TickDriver.steady(ticks, () -> pool.spawn(perTick), () -> pool.live == 0);
    long t0 = System.nanoTime();
    try {
      loop.runUntilComplete(driver);
      long took = System.nanoTime() - t0;
      mismatches.assertNone(NAME);
      // Outside cancellations due after their case ended are still in the heap: let them run.
      loop.runUntilComplete(io.awaitj.Aio.sleep(java.time.Duration.ofSeconds(1)));
      mismatches.assertNone(NAME);
      StressSupport.assertLoopClean(loop, NAME);
      assertEquals((long) ticks * perTick, pool.spawned);
      assertEquals(pool.spawned, pool.finished, NAME + ": every case finished");
      StressSupport.report(NAME, "%s\n    in %s", pool.summary(), StressSupport.ms(took));
      reports.assertNothingUnexpected(NAME);
    } finally {
      loop.close();
    }
  }
}
