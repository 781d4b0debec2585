package io.awaitj.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.awaitj.junit.cases.FailingCases;
import io.awaitj.junit.cases.LifecycleCases;
import io.awaitj.junit.cases.MisplacedCases;
import io.awaitj.junit.cases.PassingCases;
import io.awaitj.junit.cases.TemplateCases;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** The extension, through JUnit's own engine: each rule with a case that passes and one that fails. */
class AsyncTestExtensionTest {

  private static Events run(DiscoverySelector selector) {
    return EngineTestKit.engine("junit-jupiter").selectors(selector).execute().testEvents();
  }

  /** The failures of the finished tests, by method name. */
  private static Map<String, Throwable> failures(Events events) {
    Map<String, Throwable> m = new LinkedHashMap<>();
    for (Event e : events.failed().list()) {
      String name = e.getTestDescriptor().getSource()
          .filter(MethodSource.class::isInstance)
          .map(s -> ((MethodSource) s).getMethodName())
          .orElse(e.getTestDescriptor().getDisplayName());
      m.put(name, e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow());
    }
    return m;
  }

  /** The events of {@link FailingCases}, run once (its tests are independent of each other). */
  private static Events failing;

  private static synchronized Events failingCases() {
    if (failing == null) {
      failing = run(selectClass(FailingCases.class));
    }
    return failing;
  }

  /** How {@code method} of {@link FailingCases} failed. */
  private static Throwable failureOf(String method) {
    Throwable t = failures(failingCases()).get(method);
    assertNotNull(t, method + " did not fail");
    return t;
  }

  // Passing cases ---------------------------------------------------------------------------------

  @Test
  void passingTestsPass() {
    Events events = run(selectClass(PassingCases.class));
    assertEquals(Map.of(), failures(events));
    events.assertStatistics(s -> s.started(9).succeeded(9).failed(0));
  }

  @Test
  void beforeEachAndAfterEachShareTheTestsLoopAndNestedClassesWork() {
    LifecycleCases.LOG.clear();
    Events events = run(selectClass(LifecycleCases.class));
    assertEquals(Map.of(), failures(events));
    events.assertStatistics(s -> s.started(2).succeeded(2));
    assertEquals(
        List.of(
            "before: warm at PT1S", "test at PT4S", "after: stopped at PT4S",
            "before: warm at PT1S", "nested test at PT1S", "after: stopped at PT1S"),
        LifecycleCases.LOG);
  }

  @Test
  void parameterizedAndRepeatedTestsGetALoopPerInvocation() {
    TemplateCases.LOOPS.clear();
    Events events = run(selectClass(TemplateCases.class));
    assertEquals(Map.of(), failures(events));
    events.assertStatistics(s -> s.started(9).succeeded(9));
    assertEquals(9, TemplateCases.LOOPS.size());
    assertEquals(9, new HashSet<>(TemplateCases.LOOPS).size(), "a fresh loop each time");
    assertTrue(TemplateCases.LOOPS.stream().allMatch(l -> l.isClosed()), "closed after each test");
  }

  // Failing cases ---------------------------------------------------------------------------------

  @Test
  void everyFailingCaseFails() {
    failingCases().assertStatistics(s -> s.started(8).failed(8));
  }

  @Test
  void aTaskLeftPendingFailsTheTestWithTheDump() {
    Throwable t = failureOf("leavesATaskPending");
    assertInstanceOf(AssertionFailedError.class, t);
    assertTrue(t.getMessage().startsWith("the test left 1 task not done"), t.getMessage());
    assertTrue(t.getMessage().contains("1 task not done:\nTask[forgotten] sleeping"), t.getMessage());
  }

  @Test
  void anExceptionNeverRetrievedFailsTheTest() {
    Throwable t = failureOf("leavesAnExceptionUnretrieved");
    assertInstanceOf(AssertionFailedError.class, t);
    assertTrue(t.getMessage().contains("Task[lost, exception=java.lang.IllegalStateException: lost"), t.getMessage());
    assertTrue(t.getMessage().contains("nobody retrieved its exception"), t.getMessage());
    assertTrue(t.getMessage().endsWith("0 tasks not done:\n"), t.getMessage());
    assertInstanceOf(IllegalStateException.class, t.getCause());
    assertEquals("lost", t.getCause().getMessage());
  }

  @Test
  void aCallbackThatThrowsFailsTheTest() {
    Throwable t = failureOf("aCallbackThrows");
    assertInstanceOf(AssertionFailedError.class, t);
    assertTrue(t.getMessage().startsWith("the loop reported: exception in callback"), t.getMessage());
    assertEquals("callback", t.getCause().getMessage());
  }

  @Test
  void aDeadlockFailsAtOnceWithTheDump() {
    Throwable t = failureOf("deadlocks");
    assertInstanceOf(IllegalStateException.class, t);
    assertTrue(t.getMessage().startsWith("deadlock"), t.getMessage());
    assertTrue(t.getMessage().contains("waiting on Promise"), t.getMessage());
  }

  @Test
  void theVirtualTimeoutFailsTheTestWithTheDumpOfThatMoment() {
    Throwable t = failureOf("runsPastItsTimeout");
    assertInstanceOf(AssertionFailedError.class, t);
    assertTrue(t.getMessage().startsWith("timed out after 10 seconds of virtual time"), t.getMessage());
    assertTrue(t.getMessage().contains("sleeping: Aio.sleep(PT1H)"), t.getMessage());
  }

  @Test
  void theTimeoutStopsTheTimeController() {
    Throwable t = failureOf("stepsPastItsTimeout");
    assertInstanceOf(AssertionFailedError.class, t);
    assertTrue(t.getMessage().startsWith("timed out after 5 seconds of virtual time"), t.getMessage());
    assertTrue(t.getMessage().contains("Task[sleeper] sleeping"), t.getMessage());
  }

  @Test
  void aRealClockTimesOutInRealTime() {
    // The whole class runs in far less than the 30 s of the sleep the timeout interrupts.
    long t0 = System.nanoTime();
    Throwable t = failureOf("runsPastItsRealTimeout");
    assertTrue(t.getMessage().startsWith("timed out after 50 milliseconds of real time"), t.getMessage());
    assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the timeout, not the 30 s sleep");
  }

  @Test
  void theTestsOwnFailureIsNotBuriedUnderTheChecks() {
    Throwable t = failureOf("itsOwnFailureComesFirst");
    assertEquals("the test's own failure", t.getMessage());
    assertEquals(0, t.getSuppressed().length);
  }

  @Test
  void aLoopExistsOnlyForTests() {
    Events events = run(selectClass(MisplacedCases.class));
    events.assertStatistics(s -> s.failed(1));
    assertInstanceOf(ParameterResolutionException.class, failures(events).get("neverRuns"));
  }
}
