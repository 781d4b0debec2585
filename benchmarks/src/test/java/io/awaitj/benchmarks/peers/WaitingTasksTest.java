package io.awaitj.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Keeps the peer comparison working: each peer runs the workload on a few tasks and returns the right
 * sum. Nothing here is timed; the measurements are {@code benchmarks/peers.sh}'s.
 */
class WaitingTasksTest {

  private static void check(String peer) throws Exception {
    WaitingTasks.Report r = WaitingTasks.run(peer, 500);
    assertEquals(r.expectedSum(), r.sum(), r.line());
    assertEquals(peer, r.peer());
    assertTrue(r.spawnNanos() > 0 && r.drainNanos() > 0, r.line());
  }

  @Test
  void awaitj() throws Exception {
    check("awaitj");
  }

  @Test
  void virtualThreads() throws Exception {
    assumeTrue(ThreadWorkers.hasVirtualThreads(), "virtual threads need JDK 21 or later");
    check("virtual");
  }

  @Test
  void platformThreads() throws Exception {
    check("platform");
  }
}
