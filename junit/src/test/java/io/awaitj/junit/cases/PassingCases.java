package io.awaitj.junit.cases;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Tests that pass: a virtual clock by default, the time controller, a real clock on request. */
public class PassingCases {

  @AsyncTest
  void runsACoroutineOnAVirtualClock(EventLoop loop, TestTime time) {
    assertTrue(loop.isVirtualTime());
    assertEquals(Duration.ZERO, time.now());
    assertEquals("answer", loop.runUntilComplete(PassingCasesAsync.sleepThenAnswer(Duration.ofHours(1))));
    assertEquals(Duration.ofHours(1), time.now());
  }

  @AsyncTest
  void stepsTheClockByHand(EventLoop loop, TestTime time) {
    AtomicInteger ticks = new AtomicInteger();
    Task<Void> ticker = loop.createTask(PassingCasesAsync.tick(ticks), "ticker");
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(10, ticks.get(), "the tick due at 10 s has run");
    assertEquals(Duration.ofSeconds(10), time.now());
    time.advanceBy(Duration.ofMillis(999));
    assertEquals(10, ticks.get());
    time.advanceBy(Duration.ofMillis(9_001));
    assertEquals(20, ticks.get());
    assertEquals(Duration.ofSeconds(20), time.now());
    ticker.cancel();
    time.runCurrent();
    assertTrue(ticker.isCancelled());
    assertEquals(Duration.ofSeconds(20), time.now());
  }

  @AsyncTest
  void runCurrentRunsWhatIsDueNowAndWhatThatMakesReady(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    loop.callSoon(() -> loop.callSoon(() -> log.add("second")));
    loop.callLater(Duration.ZERO, () -> log.add("timer"));
    loop.callLater(Duration.ofNanos(1), () -> log.add("later"));
    time.runCurrent();
    assertEquals(List.of("timer", "second"), log); // the timer was due in the first pass
    assertEquals(Duration.ZERO, time.now());
  }

  @AsyncTest
  void aCoroutineAwaitsTheClock(EventLoop loop, TestTime time) {
    List<Integer> seen = loop.runUntilComplete(PassingCasesAsync.watchTicks(time));
    assertEquals(List.of(10, 20), seen);
    assertEquals(Duration.ofSeconds(20), time.now());
  }

  @AsyncTest
  void advanceByRefusesARunningLoop(EventLoop loop, TestTime time) {
    String message = loop.runUntilComplete(PassingCasesAsync.callAdvanceBy(time));
    assertTrue(message.contains("await(time.advance("), message);
    assertThrows(IllegalArgumentException.class, () -> time.advanceBy(Duration.ofSeconds(-1)));
  }

  @AsyncTest
  void aFailureTheTestAwaitedIsRetrieved(EventLoop loop) {
    Task<String> t = loop.createTask(PassingCasesAsync.fail("expected"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
    assertEquals("expected", e.getMessage());
  }

  @AsyncTest
  void aCancelledTaskThatIsDoneIsNotPending(EventLoop loop, TestTime time) {
    Task<String> t = loop.createTask(PassingCasesAsync.sleepThenAnswer(Duration.ofDays(1)));
    time.runCurrent();
    t.cancel();
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
  }

  @AsyncTest(timeout = 10)
  void finishesBeforeItsTimeout(EventLoop loop, TestTime time) {
    loop.runUntilComplete(PassingCasesAsync.sleepThenAnswer(Duration.ofSeconds(9)));
    time.advanceBy(Duration.ofMillis(999));
  }

  @AsyncTest(realTime = true)
  void aRealClockOnRequest(EventLoop loop, TestTime time) {
    assertFalse(loop.isVirtualTime());
    assertFalse(time.isVirtual());
    long t0 = System.nanoTime();
    time.advanceBy(Duration.ofMillis(20));
    assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(20).toNanos());
    assertTrue(time.now().compareTo(Duration.ofMillis(20)) >= 0, time.now().toString());
  }

  @Async
  static Coroutine<String> sleepThenAnswer(Duration d) {
    await(Aio.sleep(d));
    return done("answer");
  }

  @Async
  static Coroutine<Void> tick(AtomicInteger ticks) {
    while (true) {
      await(Aio.sleep(Duration.ofSeconds(1)));
      ticks.incrementAndGet();
    }
  }

  @Async
  static Coroutine<List<Integer>> watchTicks(TestTime time) {
    AtomicInteger ticks = new AtomicInteger();
    Task<Void> ticker = Aio.createTask(tick(ticks));
    List<Integer> seen = new ArrayList<>();
    await(time.advance(Duration.ofSeconds(10)));
    seen.add(ticks.get());
    await(time.advance(Duration.ofSeconds(10)));
    seen.add(ticks.get());
    ticker.cancel();
    try {
      await(ticker);
    } catch (CancelledError expected) {
      // the ticker is done
    }
    return done(seen);
  }

  @Async
  static Coroutine<String> callAdvanceBy(TestTime time) {
    try {
      time.advanceBy(Duration.ofSeconds(1));
      return done("no exception");
    } catch (IllegalStateException e) {
      return done(e.getMessage());
    }
  }

  @Async
  static Coroutine<String> fail(String message) {
    await(Aio.sleep(1));
    throw new IllegalStateException(message);
  }
}
