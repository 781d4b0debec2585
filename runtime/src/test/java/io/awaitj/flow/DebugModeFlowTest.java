package io.awaitj.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operator in debug mode, where {@code hasNext()} makes a new coroutine each call instead of
 * answering through the shared one, so each element goes through the waiting path: the same elements,
 * the upstream closed once, and no report (a coroutine never awaited, a task lost) once the garbage
 * collector has run.
 */
class DebugModeFlowTest {

  static java.util.stream.Stream<LifecycleTest.Op> operators() {
    return LifecycleTest.operators();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operators")
  void everyOperatorInDebugMode(LifecycleTest.Op op) throws Exception {
    List<String> reports = new CopyOnWriteArrayList<>();
    EventLoop loop = EventLoop.createVirtual();
    loop.setDebug(true);
    loop.setSlowCallbackDuration(java.time.Duration.ofHours(1)); // not the point; a loaded machine is slow
    loop.setExceptionHandler((m, e) -> reports.add(m + (e == null ? "" : ": " + e)));
    Probe<Integer> p = Probe.ints(1_000_000);
    List<?> got;
    try {
      got = loop.runUntilComplete(new Drive.Lazy<>(
          () -> new Drive.ForLoop<>(op.apply().apply(Flows.from(p)).asyncIterator(), 5)));
    } finally {
      loop.close();
    }
    assertEquals(5, got.size());
    assertEquals(1, p.closes);
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertEquals(List.of(), reports);
  }
}
