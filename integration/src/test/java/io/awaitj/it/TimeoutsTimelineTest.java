package io.awaitj.it;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.Timeout;
import io.awaitj.junit.AsyncLoop;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code Aio.waitFor} and {@code Aio.timeout} observed on the test's virtual clock ({@code
 * awaitj-junit}'s {@link AsyncTest}): the instant a timeout fires, what it cancels, when the cancelled
 * work's own clean-up ends, a deadline moved while it runs.
 */
class TimeoutsTimelineTest {
  /** Sleeps {@code seconds}, noting in {@code log} when it ends and how, at which virtual second. */
  @Async
  static Coroutine<String> work(long seconds, List<String> log) {
    try {
      await(Aio.sleep(Duration.ofSeconds(seconds)));
      log.add("done at " + Aio.loop().nanoTime() / 1_000_000_000L);
      return done("result");
    } catch (CancelledError e) {
      log.add("cancelled at " + Aio.loop().nanoTime() / 1_000_000_000L);
      throw e;
    }
  }

  /** As {@link #work}, with a clean-up after a cancellation that takes {@code cleanup} seconds. */
  @Async
  static Coroutine<String> slowToStop(long cleanup, List<String> log) {
    try {
      await(Aio.sleep(Duration.ofHours(1)));
      return done("never");
    } catch (CancelledError e) {
      log.add("cancelled at " + Aio.loop().nanoTime() / 1_000_000_000L);
      await(Aio.shield(Aio.sleep(Duration.ofSeconds(cleanup))));
      log.add("cleaned up at " + Aio.loop().nanoTime() / 1_000_000_000L);
      throw e;
    }
  }

  @Async
  static Coroutine<String> waitFor(Coroutine<String> work, long seconds) {
    return done(await(Aio.waitFor(work, Duration.ofSeconds(seconds))));
  }

  /** A timeout scope of 10 s, moved to {@code movedTo} seconds (from the start) at 5 s. */
  @Async
  static Coroutine<String> scope(long movedTo, List<String> log) {
    try (Timeout t = Aio.timeout(Duration.ofSeconds(10))) {
      Task<Void> mover = Aio.createTask(move(t, movedTo));
      String r = await(work(3600, log));
      await(mover);
      return done(r);
    }
  }

  @Async
  static Coroutine<Void> move(Timeout t, long movedTo) {
    await(Aio.sleep(Duration.ofSeconds(5)));
    t.reschedule(Duration.ofSeconds(movedTo - 5));
    return done();
  }

  @AsyncTest(timeout = 120)
  void waitForFailsAtItsTimeoutAndCancelsTheWork(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(
        TimeoutsTimelineTestAsync.waitFor(TimeoutsTimelineTestAsync.work(60, log), 10));
    time.advanceBy(Duration.ofMillis(9_999));
    assertFalse(task.isDone(), "done before its timeout");
    time.advanceBy(Duration.ofMillis(1));
    assertTrue(task.isDone(), "not done at its timeout");
    assertInstanceOf(AsyncTimeoutException.class, task.exception());
    assertEquals(List.of("cancelled at 10"), log);
    assertEquals(Duration.ofSeconds(10), time.now());
  }

  @AsyncTest
  void waitForWaitsForTheCancelledWorksCleanUp(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(
        TimeoutsTimelineTestAsync.waitFor(TimeoutsTimelineTestAsync.slowToStop(3, log), 10));
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(List.of("cancelled at 10"), log);
    assertFalse(task.isDone(), "the timeout did not wait for the clean-up");
    time.advanceBy(Duration.ofSeconds(3));
    assertEquals(List.of("cancelled at 10", "cleaned up at 13"), log);
    assertTrue(task.isDone());
    assertInstanceOf(AsyncTimeoutException.class, task.exception());
  }

  /** Work of {@code work} seconds under a limit of {@code limit}: done or timed out, at the first. */
  @ParameterizedTest(name = "{0} s of work, {1} s limit")
  @CsvSource({"1, 5", "5, 30", "30, 5", "5, 5"})
  @AsyncLoop(timeout = 60)
  void waitForEndsAtTheEarlierOfTheWorkAndTheLimit(long work, long limit, EventLoop loop,
      TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(
        TimeoutsTimelineTestAsync.waitFor(TimeoutsTimelineTestAsync.work(work, log), limit));
    loop.runUntilComplete(Aio.wait(List.of(task)));
    assertEquals(Duration.ofSeconds(Math.min(work, limit)), time.now());
    if (work < limit) {
      assertEquals("result", task.result());
      assertEquals(List.of("done at " + work), log);
    } else {
      // At equal times the limit wins: its timer was set first (the work's sleep starts inside it).
      assertInstanceOf(AsyncTimeoutException.class, task.exception());
      assertEquals(List.of("cancelled at " + limit), log);
    }
  }

  @AsyncTest
  void aTimeoutScopeMovedLaterFiresAtItsNewDeadline(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(TimeoutsTimelineTestAsync.scope(20, log));
    time.advanceBy(Duration.ofSeconds(10));
    assertFalse(task.isDone(), "fired at its first deadline, 10 s, after it was moved to 20 s");
    assertEquals(List.of(), log);
    time.advanceBy(Duration.ofSeconds(10));
    assertTrue(task.isDone());
    assertInstanceOf(AsyncTimeoutException.class, task.exception());
    assertEquals(List.of("cancelled at 20"), log);
  }

  @AsyncTest
  void aTimeoutScopeMovedEarlierFiresAtItsNewDeadline(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(TimeoutsTimelineTestAsync.scope(7, log));
    time.advanceBy(Duration.ofSeconds(7));
    assertTrue(task.isDone(), "not done at its new deadline, 7 s");
    assertInstanceOf(AsyncTimeoutException.class, task.exception());
    assertEquals(List.of("cancelled at 7"), log);
  }
}
