package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Debug mode reports a generator that started and was collected without being finished or closed
 * (its finally blocks never ran); one finished, closed, or never started is not reported.
 */
class GeneratorDebugTest {
  static final String LEAKS = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.AsyncGenerator;
      import io.awaitj.AsyncIterator;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;
      import static io.awaitj.Aio.emit;
      import static io.awaitj.Aio.finish;

      public final class Leaks {
        private Leaks() {}

        @Async
        public static AsyncGenerator<Integer> count(int n) {
          try {
            for (int i = 0; i < n; i++) {
              emit(i);
            }
            return finish();
          } finally {
            await(Aio.sleep(1));
          }
        }

        /** Takes one value by hand and drops the generator, unclosed, unless told to close it. */
        @Async
        public static Coroutine<Integer> takeOne(int n, boolean close) {
          AsyncGenerator<Integer> g = count(n);
          AsyncIterator<Integer> it = g.asyncIterator();
          await(it.hasNext());
          int first = it.next();
          if (close) {
            await(g.closeAsync());
          }
          return done(first);
        }

        @Async
        public static Coroutine<Integer> sum(int n) {
          int s = 0;
          for (int x : count(n)) {
            s += x;
          }
          Object neverIterated = count(n);
          return done(s);
        }
      }
      """;

  private static final ConcurrentLinkedQueue<String> REPORTED = new ConcurrentLinkedQueue<>();

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

  @Test
  void aGeneratorStartedAndNeverClosedIsReported() throws InterruptedException {
    Class<?> leaks = Compiled.compile(LEAKS).load("gen.LeaksAsync");
    REPORTED.clear();
    try (EventLoop loop = EventLoop.createVirtual()) {
      loop.setDebug(true);
      loop.setExceptionHandler((message, exception) -> REPORTED.add(message));
      // Finished, closed, never started: nothing to report.
      assertEquals(6, loop.runUntilComplete(loop.createTask(call(leaks, "sum", 4), "sums")));
      assertEquals(0, loop.runUntilComplete(loop.createTask(call(leaks, "takeOne", 3, true), "closes")));
      // Started and dropped at its first emit.
      assertEquals(0, loop.runUntilComplete(loop.createTask(call(leaks, "takeOne", 3, false), "drops")));
      collectUntil(() -> !reportsAbout("async generator").isEmpty());
      for (int i = 0; i < 5; i++) {
        System.gc();
        Thread.sleep(20);
      }
    }
    List<String> reports = reportsAbout("async generator");
    assertEquals(1, reports.size(), REPORTED::toString);
    assertTrue(reports.get(0).startsWith("async generator gen.Leaks.count(Leaks.java:18) was"
        + " started and never finished or closed, so its finally blocks and async closes never ran"),
        reports.get(0));
    assertTrue(reports.get(0).endsWith("started in Task[drops], whose coroutine is"
        + " gen.Leaks.takeOne(Leaks.java:33)"), reports.get(0));
  }

  @SuppressWarnings("unchecked")
  private static Coroutine<Object> call(Class<?> c, String method, Object... args) {
    return (Coroutine<Object>) Compiled.call(c, method, args);
  }
}
