package io.awaitj.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the peer comparison working: every scenario runs once at its smallest size on every
 * implementation available here, each in its own process as {@code benchmarks/compare.sh} runs it,
 * and each must report its figures as numbers and compute the scenario's checksum (a recursion may
 * report its stack overflow instead), so that a broken peer cannot report a fast figure. Nothing here
 * is timed. Kotlin takes part only when the build ran with {@code -Pcompare}; node and python3 only
 * when installed; virtual threads only on JDK 21 and later.
 */
class CompareTest {
  private static Compare compare;

  @BeforeAll
  static void setUp() throws Exception {
    compare = new Compare(Compare.parse(new String[] {"--smoke"}));
    compare.unavailable().forEach((impl, why) -> System.out.println("CompareTest: not run: " + impl + ": " + why));
  }

  @Test
  void everyScenarioRunsOnEveryAvailableImplementationWithTheSameChecksum() {
    for (Scenario s : Scenario.values()) {
      Compare.Outcome o = compare.run(s, 1, line -> { });
      System.out.print(Compare.details(o));
      assertFalse(o.runs().isEmpty(), s.key);
      assertTrue(o.runs().containsKey("awaitj"), s.key);
      for (Map.Entry<String, List<Compare.Run>> e : o.runs().entrySet()) {
        Compare.Run r = e.getValue().get(0);
        String what = s.key + " on " + e.getKey() + ": " + r.values();
        assertNull(r.failure(), what);
        if (r.values().containsKey("status")) {
          // Only a recursion may end in a stack overflow, and awaitj's may not.
          assertEquals(Scenario.RECURSION, s, what);
          assertFalse(e.getKey().equals("awaitj"), what);
          assertTrue(Long.parseLong(r.values().get("depth_reached")) > 0, what);
          continue;
        }
        assertEquals(s.expectedChecksum(s.params(Scenario.Size.SMOKE)), Long.parseLong(r.values().get("checksum")),
            what);
        double primary = r.value(s.metrics.get(0).key());
        assertTrue(Double.isFinite(primary) && primary >= 0, what);
      }
      for (String[] row : Compare.summary(o)) {
        assertEquals(4, row.length);
        assertTrue(row[1].matches("[0-9.,]+.*"), "awaitj's figure is a number: " + String.join(" | ", row));
      }
    }
  }

  @Test
  void aRunWithTheWrongChecksumIsAFailureNotAFigure() {
    long[] p = Scenario.QUEUE.params(Scenario.Size.SMOKE);
    Compare.Run fake = new Compare.Run("fake", Map.of("ns_per_item", "0.001", "checksum", "0"), null);
    Compare.Run checked = Compare.checked(Scenario.QUEUE, p, fake);
    assertNotNull(checked.failure());
    assertTrue(checked.failure().startsWith("WRONG CHECKSUM"), checked.failure());
    assertNull(Compare.stats(List.of(checked), "ns_per_item"));

    Compare.Run missing = Compare.checked(Scenario.QUEUE, p, new Compare.Run("fake", Map.of("ns_per_item", "1"), null));
    assertNotNull(missing.failure());
  }

  @Test
  void theSummaryPicksTheBestPeerAndTheRatio() {
    long[] p = Scenario.COMPLETED.params(Scenario.Size.SMOKE);
    Compare.Outcome o = new Compare.Outcome(Scenario.COMPLETED, p, Map.of(
        "awaitj", List.of(run("awaitj", "4"), run("awaitj", "2"), run("awaitj", "3")),
        "kotlin", List.of(run("kotlin", "8"), run("kotlin", "6"), run("kotlin", "7")),
        "python", List.of(run("python", "90"))), Map.of(), "0", "0", 0);
    String[] row = Compare.summary(o).get(0);
    assertEquals("3.00 [2.00-4.00]", row[1]);
    assertEquals("7.00 [6.00-8.00] (kotlin)", row[2]);
    assertEquals("0.43", row[3]);
  }

  private static Compare.Run run(String impl, String ns) {
    return new Compare.Run(impl, Map.of("ns_per_op", ns, "checksum", Long.toString(Scenario.cycled(1000, false))), null);
  }
}
