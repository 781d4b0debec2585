package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Issue 11: debug mode's reports name the user's method and line, not the generated class. */
class DebugReportsTest {
  /** Line numbers matter: the tests below name them. */
  static final String REPORTS = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.time.Duration;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Reports {
        @Async
        public Coroutine<Integer> forgotten() {
          await(Aio.sleep(Duration.ofMillis(1)));
          return done(1);
        }

        @Async
        public Coroutine<Integer> forgets() {
          Object unused = forgotten();
          await(Aio.sleep(Duration.ofMillis(1)));
          return done(0);
        }

        @Async
        public Coroutine<Integer> fails() {
          await(Aio.sleep(Duration.ofMillis(1)));
          throw new IllegalStateException("boom");
        }

        @Async
        public Coroutine<Integer> slow() throws InterruptedException {
          await(Aio.sleep(Duration.ofMillis(1)));
          Thread.sleep(100);
          await(Aio.sleep(Duration.ofMillis(1)));
          return done(1);
        }
      }
      """;

  private static final ConcurrentLinkedQueue<String> REPORTED = new ConcurrentLinkedQueue<>();

  private static EventLoop debugLoop() {
    EventLoop loop = EventLoop.createVirtual();
    loop.setDebug(true);
    loop.setExceptionHandler((message, exception) -> REPORTED.add(message));
    return loop;
  }

  private static List<String> reportsAbout(String what) {
    return REPORTED.stream().filter(m -> m.contains(what)).collect(Collectors.toList());
  }

  private static void collectUntil(BooleanSupplier condition) throws InterruptedException {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > 10_000_000_000L) {
        fail("after 10 s of garbage collection, nothing reported: " + REPORTED);
      }
      System.gc();
      Thread.sleep(10);
    }
  }

  private static Coroutine<?> call(Object reports, String method) {
    return Compiled.call(reports, method);
  }

  @Test
  void aCoroutineNeverAwaitedIsNamedByItsMethodAndLine() throws InterruptedException {
    Object reports = Compiled.compile(REPORTS).instantiate("gen.ReportsAsync");
    try (EventLoop loop = debugLoop()) {
      loop.runUntilComplete(loop.createTask(call(reports, "forgets"), "forgets"));
      collectUntil(() -> !reportsAbout("gen.Reports.forgotten").isEmpty());
    }
    assertEquals(List.of("coroutine gen.Reports.forgotten(Reports.java:13) was never awaited;"
        + " created in Task[forgets], whose coroutine is gen.Reports.forgets(Reports.java:19)"),
        reportsAbout("gen.Reports.forgotten"));
  }

  @Test
  void aFailureNeverRetrievedNamesTheTasksMethod() throws InterruptedException {
    Object reports = Compiled.compile(REPORTS).instantiate("gen.ReportsAsync");
    try (EventLoop loop = debugLoop()) {
      startAndDrop(loop, reports);
      loop.runUntilComplete(io.awaitj.Aio.sleep(Duration.ofMillis(10)));
      collectUntil(() -> !reportsAbout("Task[lost]").isEmpty());
    }
    assertEquals(List.of("Task[lost] in gen.Reports.fails(Reports.java:24) exception was never retrieved"),
        reportsAbout("Task[lost]"));
  }

  private static void startAndDrop(EventLoop loop, Object reports) {
    loop.createTask(call(reports, "fails"), "lost");
  }

  @Test
  void aSlowStepNamesTheMethodAndTheAwaitItStoppedAt() {
    Object reports = Compiled.compile(REPORTS).instantiate("gen.ReportsAsync");
    try (EventLoop loop = debugLoop()) {
      loop.setSlowCallbackDuration(Duration.ofMillis(50));
      Task<?> t = loop.createTask(call(reports, "slow"), "slow");
      loop.runUntilComplete(t);
    }
    List<String> slow = reportsAbout("Task[slow]");
    assertEquals(1, slow.size(), REPORTED::toString);
    assertTrue(slow.get(0).matches(
        "Executing Task\\[slow\\] in gen\\.Reports\\.slow\\(Reports\\.java:34\\) took \\d+\\.\\d{3} seconds"),
        slow.get(0));
  }
}
