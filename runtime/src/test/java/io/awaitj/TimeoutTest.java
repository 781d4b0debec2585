package io.awaitj;

import static io.awaitj.GatherTest.now;
import static io.awaitj.GatherTest.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Timeout} scopes ({@link Aio#timeout}, {@link Aio#timeoutAt}), closed by hand as the generated
 * {@code try}-with-resources will close them.
 */
class TimeoutTest {

  /**
   * {@code try (Timeout t = open.get()) { return await(body(t)); }}, as an {@link Async} method's
   * try-with-resources will run it: the block's exception is handed to {@code closeAsync}, whose own
   * exception replaces it (the timeout only throws in place of a {@code CancelledError}).
   */
  static <T> Coroutine<T> asyncWith(Supplier<Timeout> open, Function<Timeout, Object> body) {
    Timeout[] t = new Timeout[1];
    Object[] value = new Object[1];
    Throwable[] failure = new Throwable[1];
    return Script.of(
        p -> {
          t[0] = open.get();
          return Script.of(q -> body.apply(t[0]))
              .onError(
                  e -> {
                    failure[0] = e;
                    return null;
                  });
        },
        p -> {
          value[0] = p;
          return t[0].closeAsync(failure[0]);
        },
        p -> {
          if (failure[0] != null) {
            throw failure[0];
          }
          return value[0];
        });
  }

  /** Runs {@code c} on a virtual loop and returns its result, or the exception it failed with. */
  static Object outcome(Coroutine<?> c) {
    return Aio.runVirtual(Script.of(p -> c).onError(e -> e));
  }

  @Test
  void anExpiredScopeThrowsAsyncTimeoutExceptionCausedByTheCancellation() {
    Timeout[] t = new Timeout[1];
    Object r =
        outcome(
            Script.of(
                p ->
                    asyncWith(
                        () -> t[0] = Aio.timeout(secs(1)), x -> Aio.sleep(Duration.ofHours(1)))).onError(
                e -> {
                  assertEquals(1.0, now());
                  assertEquals(0, Aio.currentTask().cancelling());
                  assertEquals(0, Aio.loop().timerCount());
                  throw e;
                }));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertInstanceOf(CancelledError.class, ((Throwable) r).getCause());
    assertTrue(t[0].expired());
    assertEquals(1_000_000_000L, t[0].when());
  }

  @Test
  void aScopeThatDoesNotExpireReturnsTheBodysResultAndRemovesItsTimer() {
    Timeout[] t = new Timeout[1];
    Object r =
        outcome(
            Script.of(
                p -> asyncWith(() -> t[0] = Aio.timeout(secs(10)), x -> Aio.sleep(secs(1), "v")),
                p -> {
                  assertEquals(0, Aio.loop().timerCount());
                  return p;
                }));
    assertEquals("v", r);
    assertFalse(t[0].expired());
  }

  @Test
  void aNullDelayMeansNoDeadline() {
    Timeout[] t = new Timeout[1];
    Object r =
        outcome(
            asyncWith(
                () -> t[0] = Aio.timeout(null),
                x -> {
                  assertEquals(Timeout.NO_DEADLINE, x.when());
                  assertEquals(0, Aio.loop().timerCount());
                  return Aio.sleep(Duration.ofDays(1), "v");
                }));
    assertEquals("v", r);
    assertFalse(t[0].expired());
  }

  @Test
  void rescheduleMovesTheDeadline() {
    Object r =
        outcome(
            Script.of(
                    p ->
                        asyncWith(
                            () -> Aio.timeout(secs(1)),
                            t ->
                                Script.of(
                                    q -> Aio.sleep(Duration.ofMillis(500)),
                                    q -> {
                                      t.reschedule(secs(2));
                                      assertEquals(2_500_000_000L, t.when());
                                      return Aio.sleep(Duration.ofHours(1));
                                    })))
                .onError(
                    e -> {
                      assertEquals(2.5, now());
                      throw e;
                    }));
    assertInstanceOf(AsyncTimeoutException.class, r);
  }

  @Test
  void rescheduleToNoDeadlineDisablesTheTimeout() {
    Object r =
        outcome(
            asyncWith(
                () -> Aio.timeout(secs(1)),
                t -> {
                  t.reschedule((Duration) null);
                  assertEquals(Timeout.NO_DEADLINE, t.when());
                  return Aio.sleep(secs(5), "ok");
                }));
    assertEquals("ok", r);
  }

  @Test
  void aDeadlineAlreadyPastExpiresOnTheNextPass() {
    List<String> log = new ArrayList<>();
    Object r =
        outcome(
            Script.of(
                    p -> {
                      Aio.loop().callSoon(() -> log.add("soon"));
                      return asyncWith(
                          () -> Aio.timeoutAt(Aio.loop().nanoTime()),
                          t -> Script.of(q -> Aio.sleep(secs(1)), q -> log.add("not reached")));
                    })
                .onError(
                    e -> {
                      assertEquals(0.0, now());
                      throw e;
                    }));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertEquals(List.of("soon"), log);
  }

  @Test
  void anExpiredOrClosedTimeoutCannotBeRescheduledNorClosedTwice() {
    Timeout[] t = new Timeout[1];
    Object r =
        outcome(
            Script.of(p -> asyncWith(() -> t[0] = Aio.timeout(secs(1)), x -> Aio.sleep(secs(2))))
                .onError(
                    e -> {
                      if (e instanceof AsyncTimeoutException) {
                        assertThrows(IllegalStateException.class, () -> t[0].reschedule(secs(5)));
                        return t[0].closeAsync(null);
                      }
                      return e;
                    }));
    assertInstanceOf(IllegalStateException.class, r);
    assertTrue(t[0].expired());
    Timeout[] u = new Timeout[1];
    assertEquals("quick", outcome(asyncWith(() -> u[0] = Aio.timeout(secs(1)), x -> "quick")));
    assertThrows(IllegalStateException.class, () -> u[0].reschedule(secs(5)));
  }

  @Test
  void anOuterScopeExpiringFirstConvertsTheCancellationAndTheInnerLetsItThrough() {
    Timeout[] outer = new Timeout[1];
    Timeout[] inner = new Timeout[1];
    Object r =
        outcome(
            asyncWith(
                () -> outer[0] = Aio.timeout(secs(1)),
                o ->
                    asyncWith(
                        () -> inner[0] = Aio.timeout(secs(10)), i -> Aio.sleep(Duration.ofHours(1)))));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertTrue(outer[0].expired());
    assertFalse(inner[0].expired());
  }

  @Test
  void anInnerScopeExpiringFirstThrowsAndTheOuterLetsTheTimeoutThrough() {
    Timeout[] outer = new Timeout[1];
    Timeout[] inner = new Timeout[1];
    AsyncTimeoutException[] fromInner = new AsyncTimeoutException[1];
    Object r =
        outcome(
            asyncWith(
                () -> outer[0] = Aio.timeout(secs(10)),
                o ->
                    Script.of(
                            q ->
                                asyncWith(
                                    () -> inner[0] = Aio.timeout(secs(1)),
                                    i -> Aio.sleep(Duration.ofHours(1))))
                        .onError(
                            e -> {
                              fromInner[0] = (AsyncTimeoutException) e;
                              assertEquals(1.0, now());
                              throw e;
                            })));
    assertSame(fromInner[0], r);
    assertTrue(inner[0].expired());
    assertFalse(outer[0].expired());
  }

  @Test
  void whenBothExpireTogetherTheOuterOneReportsTheTimeout() {
    Timeout[] outer = new Timeout[1];
    Timeout[] inner = new Timeout[1];
    List<String> log = new ArrayList<>();
    Object r =
        outcome(
            asyncWith(
                () -> outer[0] = Aio.timeoutAt(1_000_000_000L),
                o ->
                    Script.of(
                            q ->
                                asyncWith(
                                    () -> inner[0] = Aio.timeoutAt(1_000_000_000L),
                                    i -> Aio.sleep(Duration.ofHours(1))))
                        .onError(
                            e -> {
                              // Two cancellations were requested: the inner withdraws only its own.
                              log.add(e.getClass().getSimpleName());
                              throw e;
                            })));
    assertInstanceOf(AsyncTimeoutException.class, r);
    assertEquals(List.of("CancelledError"), log);
    assertTrue(outer[0].expired());
    assertTrue(inner[0].expired());
  }

  @Test
  void aCancellationFromOutsideIsNotTurnedIntoATimeout() {
    Task<?>[] task = new Task<?>[1];
    Timeout[] t = new Timeout[1];
    Object r =
        outcome(
            Script.of(
                p -> {
                  task[0] =
                      Aio.createTask(
                          asyncWith(
                              () -> t[0] = Aio.timeout(secs(1)), x -> Aio.sleep(Duration.ofHours(1))));
                  // Same deadline as the timeout, so both cancel the task in the same pass.
                  Aio.loop().callLater(secs(1), () -> task[0].cancel("from outside"));
                  return task[0];
                }));
    assertInstanceOf(CancelledError.class, r);
    assertTrue(task[0].isCancelled());
    assertTrue(t[0].expired());
  }

  @Test
  void aCancellationPendingOnEntryIsNotCountedAsTheTimeouts() {
    Object r =
        outcome(
            Script.of(
                    p -> {
                      Task<?> me = Aio.currentTask();
                      me.cancel();
                      return Aio.sleep(secs(1));
                    })
                .onError(
                    e -> {
                      if (!(e instanceof CancelledError)) {
                        return e;
                      }
                      // Caught, but not uncancelled: cancelling() stays 1 inside the scope.
                      assertEquals(1, Aio.currentTask().cancelling());
                      return asyncWith(
                          () -> Aio.timeout(secs(1)),
                          x ->
                              Script.of(
                                  q -> Aio.sleep(Duration.ofHours(1)),
                                  q -> "not reached"));
                    }));
    // The timeout's own cancellation is withdrawn; it converts since 1 <= 1 on entry.
    assertInstanceOf(AsyncTimeoutException.class, r);
  }

  @Test
  void aBodyThatSwallowsTheCancellationEndsNormallyButTheScopeExpired() {
    Timeout[] t = new Timeout[1];
    Object r =
        outcome(
            Script.of(
                p ->
                    asyncWith(
                        () -> t[0] = Aio.timeout(secs(1)),
                        x ->
                            Script.of(q -> Aio.sleep(Duration.ofHours(1), "slept"))
                                .onError(e -> "caught " + e.getClass().getSimpleName())),
                p -> {
                  assertEquals(0, Aio.currentTask().cancelling());
                  return p;
                }));
    assertEquals("caught CancelledError", r);
    assertTrue(t[0].expired());
  }

  @Test
  void anotherExceptionOfAnExpiredBodyPropagatesAsItIs() {
    IOException io = new IOException("replaced the cancellation");
    Timeout[] t = new Timeout[1];
    Object r =
        outcome(
            asyncWith(
                () -> t[0] = Aio.timeout(secs(1)),
                x ->
                    Script.of(q -> Aio.sleep(Duration.ofHours(1)))
                        .onError(
                            e -> {
                              throw io;
                            })));
    assertSame(io, r);
    assertTrue(t[0].expired());
  }

  @Test
  void aTimeoutNeedsATask() {
    assertThrows(IllegalStateException.class, () -> Aio.timeout(secs(1)));
    Throwable[] inCallback = new Throwable[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              Aio.loop()
                  .callSoon(
                      () ->
                          inCallback[0] =
                              assertThrows(IllegalStateException.class, () -> Aio.timeout(secs(1))));
              return Aio.sleep(0);
            },
            p -> Aio.sleep(0)));
    assertTrue(inCallback[0].getMessage().contains("inside a task"));
  }
}
