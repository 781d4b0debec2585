package io.awaitj.samples;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The README's example of awaitj-junit, and a sample on the test's virtual clock. */
class TickerTest {
  @AsyncTest(timeout = 60)
  void ticksOncePerSecond(EventLoop loop, TestTime time) {
    AtomicInteger ticks = new AtomicInteger();
    Task<Void> ticker = loop.createTask(TickerTestAsync.tick(ticks));
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(10, ticks.get());
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(20, ticks.get());
    ticker.cancel();
    time.runCurrent();
  }

  @AsyncTest
  void fetchesWithinTheTimeout(EventLoop loop, TestTime time) {
    assertEquals("ok", loop.runUntilComplete(TickerTestAsync.fetch()));
    assertEquals(Duration.ofHours(1), time.now());
  }

  @AsyncTest
  void aSampleRunsOnTheTestsVirtualClock(EventLoop loop, TestTime time) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    loop.runUntilComplete(io.awaitj.samples.basics.SequentialVsConcurrentAsync.run(out));
    List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertEquals("finished one by one in 3.0 s", lines.get(1));
    assertEquals("finished gather in 1.0 s", lines.get(7));
    // 3 s one by one, then 1 s with createTask and 1 s with gather: 5 s of virtual time in all.
    assertEquals(Duration.ofSeconds(5), time.now());
    assertTrue(lines.size() == 9, lines::toString);
  }

  @Async
  static Coroutine<Void> tick(AtomicInteger ticks) {
    while (true) {
      await(Aio.sleep(Duration.ofSeconds(1)));
      ticks.incrementAndGet();
    }
  }

  @Async
  static Coroutine<String> fetch() {
    for (int i = 0; i < 60; i++) {
      await(Aio.sleep(Duration.ofMinutes(1)));
    }
    return done("ok");
  }
}
