package io.awaitj;

import static io.awaitj.GatherTest.now;
import static io.awaitj.GatherTest.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Aio#waitFor}, with Python 3.12's semantics. */
class WaitForTest {

  /**
   * A coroutine that works for {@code work}, and when cancelled takes {@code cleanupSecs} seconds of
   * async cleanup before it rethrows the cancellation.
   */
  static <T> Coroutine<T> slowToCancel(Duration work, long cleanupSecs, List<String> log) {
    boolean[] cleaning = {false};
    return Script.<T>of(q -> Aio.sleep(work))
        .onError(
            e -> {
              if (cleaning[0]) {
                throw e;
              }
              cleaning[0] = true;
              log.add("cancelled@" + now());
              return Script.of(
                  q -> Aio.sleep(secs(cleanupSecs)),
                  q -> {
                    log.add("cleaned@" + now());
                    throw e;
                  });
            });
  }

  /** A coroutine that sleeps for {@code work}, and if cancelled, returns "swallowed" at once. */
  static Coroutine<String> swallowsCancellation(Duration work) {
    return Script.<String>of(q -> Aio.sleep(work, "finished")).onError(e -> "swallowed");
  }

  @Test
  void aResultInTimeIsReturnedAndTheTimerRemoved() {
    String r =
        Aio.runVirtual(
            Script.of(
                p -> Aio.waitFor(Aio.sleep(secs(1), "x"), secs(5)),
                p -> {
                  assertEquals(1.0, now());
                  assertEquals(0, Aio.loop().timerCount());
                  assertEquals(0, Aio.currentTask().cancelling());
                  return p;
                }));
    assertEquals("x", r);
  }

  @Test
  void onTimeoutTheInnerTaskIsCancelledAndAwaitedBeforeTheTimeoutIsThrown() {
    List<String> log = new ArrayList<>();
    Task<?>[] inner = new Task<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      inner[0] = Aio.createTask(slowToCancel(Duration.ofHours(1), 2, log));
                      return Aio.waitFor(inner[0], secs(1));
                    })
                .onError(
                    e -> {
                      log.add(e.getClass().getSimpleName() + "@" + now());
                      assertInstanceOf(CancelledError.class, e.getCause());
                      assertTrue(inner[0].isCancelled());
                      assertEquals(0, Aio.currentTask().cancelling());
                      return e;
                    }));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertEquals(List.of("cancelled@1.0", "cleaned@3.0", "AsyncTimeoutException@3.0"), log);
  }

  @Test
  void onTimeoutAnInlineCoroutineRunsItsCleanupBeforeTheTimeoutIsThrown() {
    List<String> log = new ArrayList<>();
    Object r =
        Aio.runVirtual(
            Script.of(p -> Aio.waitFor(slowToCancel(Duration.ofHours(1), 2, log), secs(1)))
                .onError(
                    e -> {
                      log.add(e.getClass().getSimpleName() + "@" + now());
                      return e;
                    }));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertEquals(List.of("cancelled@1.0", "cleaned@3.0", "AsyncTimeoutException@3.0"), log);
  }

  @Test
  void anInnerThatSwallowsTheCancellationReturnsItsValue() {
    String r =
        Aio.runVirtual(
            Script.of(
                p -> Aio.waitFor(Aio.createTask(swallowsCancellation(Duration.ofHours(1))), secs(1)),
                p -> {
                  assertEquals(1.0, now());
                  assertEquals(0, Aio.currentTask().cancelling());
                  return p;
                }));
    assertEquals("swallowed", r);
  }

  @Test
  void cancellingTheOuterCancelsTheInnerAndPropagatesAsCancellation() {
    List<String> log = new ArrayList<>();
    Task<?>[] inner = new Task<?>[1];
    Task<?>[] outer = new Task<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      inner[0] = Aio.createTask(slowToCancel(Duration.ofHours(1), 2, log));
                      outer[0] = Aio.createTask(Aio.waitFor(inner[0], secs(10)));
                      Aio.loop().callLater(secs(1), () -> outer[0].cancel("outer"));
                      return outer[0];
                    })
                .onError(e -> e));
    assertInstanceOf(CancelledError.class, r);
    assertEquals("outer", ((Throwable) r).getMessage());
    assertTrue(inner[0].isCancelled());
    assertTrue(outer[0].isCancelled());
    assertEquals(List.of("cancelled@1.0", "cleaned@3.0"), log);
  }

  @Test
  void aCancellationFromOutsideAtTheDeadlineWinsOverTheTimeout() {
    Task<?>[] outer = new Task<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      outer[0] = Aio.createTask(Aio.waitFor(Aio.sleep(Duration.ofHours(1)), secs(1)));
                      // Fires in the same pass as the wait's timer.
                      Aio.loop().callLater(secs(1), () -> outer[0].cancel());
                      return outer[0];
                    })
                .onError(e -> e));
    assertInstanceOf(CancelledError.class, r);
    assertTrue(outer[0].isCancelled());
  }

  @Test
  void anAwaitableThatFinishesInlineNeedsNoPass() {
    String r =
        Aio.runVirtual(
            Script.of(
                p -> Aio.waitFor(Aio.done("at once"), secs(1)),
                p -> {
                  assertEquals(0, Aio.loop().timerCount());
                  return p;
                }));
    assertEquals("at once", r);
  }

  @Test
  void noTimeoutMeansNoLimit() {
    String r =
        Aio.runVirtual(
            Script.of(
                p -> Aio.waitFor(Aio.sleep(Duration.ofHours(1), "late"), null),
                p -> {
                  assertEquals(3600.0, now());
                  return p;
                }));
    assertEquals("late", r);
  }

  @Test
  void aFailureOfTheInnerPropagatesAsItIs() {
    RuntimeException boom = new RuntimeException("boom");
    Object r =
        Aio.runVirtual(
            Script.of(p -> Aio.waitFor(GatherTest.failAfter(1, boom), secs(5)))
                .onError(
                    e -> {
                      assertEquals(0, Aio.loop().timerCount());
                      return e;
                    }));
    assertSame(boom, r);
  }

  @Test
  void aZeroTimeoutNeverStartsACoroutine() {
    List<String> log = new ArrayList<>();
    Object r =
        Aio.runVirtual(
            Script.of(
                    p ->
                        Aio.waitFor(
                            Script.of(q -> log.add("started"), q -> Aio.sleep(secs(1))),
                            Duration.ZERO))
                .onError(
                    e -> {
                      assertEquals(0.0, now());
                      return e;
                    }));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertInstanceOf(CancelledError.class, ((Throwable) r).getCause());
    assertEquals(List.of(), log);
  }

  @Test
  void aZeroOrNegativeTimeoutGivesTheResultOfADonePromise() {
    RuntimeException boom = new RuntimeException("boom");
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      Promise<String> done = Aio.createPromise();
                      done.complete("ready");
                      return Aio.waitFor(done, Duration.ZERO);
                    },
                    p -> {
                      assertEquals("ready", p);
                      Promise<String> failed = Aio.createPromise();
                      failed.fail(boom);
                      return Aio.waitFor(failed, secs(-1));
                    })
                .onError(e -> e));
    assertSame(boom, r);
  }

  @Test
  void aZeroTimeoutCancelsAPendingPromise() {
    Promise<?>[] pending = new Promise<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      pending[0] = Aio.createPromise();
                      return Aio.waitFor(pending[0], Duration.ZERO);
                    })
                .onError(e -> e));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertTrue(pending[0].isCancelled());
  }

  @Test
  void aZeroTimeoutLetsAStartedTaskThatSwallowsTheCancellationFinish() {
    Task<?>[] t = new Task<?>[1];
    String r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  t[0] = Aio.createTask(swallowsCancellation(Duration.ofHours(1)));
                  return Aio.sleep(0);
                },
                p -> {
                  assertFalse(t[0].isDone());
                  return Aio.waitFor(t[0], Duration.ZERO);
                }));
    assertEquals("swallowed", r);
    assertFalse(t[0].isCancelled());
  }
}
