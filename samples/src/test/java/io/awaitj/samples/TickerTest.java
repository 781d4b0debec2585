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

/** The README's example of awaitj-junit, and the tour on a virtual clock. */
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
  void theToursWorkersFinishTogetherOnAVirtualClock(EventLoop loop, TestTime time) {
    List<String> lines = loop.runUntilComplete(TourAsync.main());
    assertEquals("worker-1 finished after 300 ms", lines.get(0));
    assertEquals(Duration.ofMillis(300), time.now(), "concurrently: the longest sleep, not the sum");
    assertTrue(lines.get(3).startsWith("all three in "), lines.get(3));
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
