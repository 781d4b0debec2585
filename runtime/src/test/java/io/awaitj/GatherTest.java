package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Aio#gather} and {@link Aio#gatherSettled}, with asyncio's ordering and cancellation rules. */
class GatherTest {

  static Duration secs(long s) {
    return Duration.ofSeconds(s);
  }

  static double now() {
    return Aio.loop().time();
  }

  /** A coroutine that sleeps {@code s} seconds, then throws {@code e}. */
  static <T> Coroutine<T> failAfter(long s, RuntimeException e) {
    return Script.of(p -> Aio.sleep(secs(s)), p -> {
      throw e;
    });
  }

  @Test
  void resultsComeInArgumentOrderNotCompletionOrder() {
    List<String> completions = new ArrayList<>();
    List<String> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Task<String> a = Aio.createTask(Aio.sleep(secs(3), "a"));
                  Task<String> b = Aio.createTask(Aio.sleep(secs(1), "b"));
                  Promise<String> c = Aio.createPromise();
                  Aio.loop().callLater(secs(2), () -> c.complete("c"));
                  for (Promise<String> x : List.of(a, b, c)) {
                    x.addDoneCallback(d -> completions.add(d.result()));
                  }
                  return Aio.gather(a, b, c, Aio.sleep(secs(2), "d"));
                },
                p -> {
                  assertEquals(3.0, now());
                  return p;
                }));
    assertEquals(List.of("a", "b", "c", "d"), r);
    assertEquals(List.of("b", "c", "a"), completions);
  }

  @Test
  void aCollectionIsGatheredInItsIterationOrder() {
    List<Integer> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  List<Coroutine<Integer>> cs = new ArrayList<>();
                  for (int i = 0; i < 5; i++) {
                    cs.add(Aio.sleep(secs(5 - i), i));
                  }
                  return Aio.gather(cs);
                }));
    assertEquals(List.of(0, 1, 2, 3, 4), r);
  }

  @Test
  void theFirstFailureFailsTheOuterAtOnceWhileTheOthersKeepRunning() {
    RuntimeException boom = new RuntimeException("boom");
    RuntimeException later = new RuntimeException("later");
    Task<?>[] slow = new Task<?>[2];
    Promise<?>[] g = new Promise<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      slow[0] = Aio.createTask(Aio.sleep(secs(5), "slow"));
                      slow[1] = Aio.createTask(failAfter(3, later));
                      g[0] = Aio.gather(slow[0], failAfter(1, boom), slow[1]);
                      return g[0];
                    })
                .onError(
                    e -> {
                      assertSame(boom, e);
                      assertEquals(1.0, now());
                      assertFalse(slow[0].isDone());
                      assertFalse(slow[1].isDone());
                      // Too late to cancel: the outer is done, so the children are left alone.
                      assertFalse(g[0].cancel());
                      return slow[0];
                    }));
    assertEquals("slow", r);
    assertSame(later, slow[1].exception());
    assertFalse(g[0].isCancelled());
  }

  @Test
  void cancellingTheOuterCancelsTheChildrenAndFailsItWithCancelledError() {
    Task<?>[] child = new Task<?>[1];
    Promise<?>[] g = new Promise<?>[1];
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              child[0] =
                  Aio.createTask(
                      Script.of(q -> Aio.sleep(Duration.ofHours(1))).onFinally(() -> log.add("cleanup")));
              g[0] = Aio.gather(child[0], Aio.sleep(Duration.ofHours(1), "x"));
              return Aio.sleep(secs(1));
            },
            p -> {
              assertTrue(g[0].cancel("stop"));
              // Like a task, the outer completes only when the children have finished.
              assertFalse(g[0].isDone());
              return g[0];
            })
            .onError(
                e -> {
                  assertInstanceOf(CancelledError.class, e);
                  assertEquals("stop", e.getMessage());
                  assertEquals(1.0, now());
                  return null;
                }));
    assertTrue(child[0].isCancelled());
    assertEquals(List.of("cleanup"), log);
    assertFalse(g[0].isCancelled(), "the outer fails with CancelledError, it is not cancelled itself");
    assertInstanceOf(CancelledError.class, g[0].exception());
  }

  @Test
  void cancellingATaskThatAwaitsGatherCancelsTheChildren() {
    Task<?>[] children = new Task<?>[2];
    Task<?>[] waiter = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
                p -> {
                  children[0] = Aio.createTask(Aio.sleep(Duration.ofHours(1)));
                  children[1] = Aio.createTask(Aio.sleep(Duration.ofHours(2)));
                  waiter[0] = Aio.createTask(Script.of(q -> Aio.gather(children[0], children[1])));
                  return Aio.sleep(secs(1));
                },
                p -> {
                  waiter[0].cancel();
                  return waiter[0];
                })
            .onError(
                e -> {
                  assertInstanceOf(CancelledError.class, e);
                  return null;
                }));
    assertTrue(waiter[0].isCancelled());
    assertTrue(children[0].isCancelled());
    assertTrue(children[1].isCancelled());
  }

  @Test
  void aChildCancelledFromOutsideFailsTheOuterButNotItsSiblings() {
    Task<?>[] t = new Task<?>[2];
    Promise<?>[] g = new Promise<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      t[0] = Aio.createTask(Aio.sleep(Duration.ofHours(1)));
                      t[1] = Aio.createTask(Aio.sleep(secs(5), "sibling"));
                      g[0] = Aio.gather(t[0], t[1]);
                      Aio.loop().callLater(secs(1), () -> t[0].cancel("killed"));
                      return g[0];
                    })
                .onError(
                    e -> {
                      assertInstanceOf(CancelledError.class, e);
                      assertEquals("killed", e.getMessage());
                      assertEquals(1.0, now());
                      assertFalse(t[1].isDone());
                      assertEquals(0, Aio.currentTask().cancelling());
                      return t[1];
                    }));
    assertEquals("sibling", r);
    assertFalse(g[0].isCancelled());
  }

  @Test
  void gatherSettledCollectsValuesFailuresAndCancellations() {
    RuntimeException boom = new RuntimeException("boom");
    List<Result<String>> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Task<String> cancelled = Aio.createTask(Aio.sleep(Duration.ofHours(1), "never"));
                  Aio.loop().callLater(secs(2), () -> cancelled.cancel("gone"));
                  return Aio.gatherSettled(
                      Aio.sleep(secs(3), "a"), GatherTest.<String>failAfter(1, boom), cancelled);
                },
                p -> {
                  assertEquals(3.0, now());
                  return p;
                }));
    assertEquals(3, r.size());
    assertTrue(r.get(0).isSuccess());
    assertEquals("a", r.get(0).value());
    assertSame(boom, r.get(1).exception());
    assertTrue(r.get(2).isCancelled());
    assertEquals("gone", r.get(2).exception().getMessage());
  }

  @Test
  void cancellingGatherSettledStillFailsItWithCancelledError() {
    Promise<?>[] g = new Promise<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      g[0] =
                          Aio.gatherSettled(
                              List.of(Aio.sleep(Duration.ofHours(1)), Aio.sleep(Duration.ofHours(1))));
                      Aio.loop().callLater(secs(1), () -> g[0].cancel());
                      return g[0];
                    })
                .onError(e -> e));
    assertInstanceOf(CancelledError.class, r);
  }

  @Test
  void childrenThatSwallowTheCancellationStillMakeTheOuterFailWithCancelledError() {
    Promise<?>[] g = new Promise<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      Coroutine<String> stubborn =
                          Script.<String>of(q -> Aio.sleep(Duration.ofHours(1), "slept"))
                              .onError(e -> "swallowed");
                      g[0] = Aio.gather(stubborn);
                      Aio.loop().callLater(secs(1), () -> assertTrue(g[0].cancel()));
                      return g[0];
                    })
                .onError(e -> e));
    assertInstanceOf(CancelledError.class, r);
  }

  @Test
  void noAwaitablesGiveAnEmptyListAtOnce() {
    Aio.runVirtual(
        Script.of(
            p -> {
              Promise<List<Object>> g = Aio.gather();
              assertTrue(g.isDone());
              assertEquals(List.of(), g.result());
              Promise<List<Result<Object>>> s = Aio.gatherSettled(List.of());
              assertEquals(List.of(), s.result());
              return g;
            }));
  }

  @Test
  void anAwaitablePassedTwiceRunsOnce() {
    int[] runs = new int[1];
    List<String> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Task<String> t = Aio.createTask(Aio.sleep(secs(1), "t"));
                  Coroutine<String> c =
                      Script.of(q -> ++runs[0], q -> Aio.sleep(secs(2), "c"));
                  return Aio.gather(t, c, t, c);
                }));
    assertEquals(List.of("t", "c", "t", "c"), r);
    assertEquals(1, runs[0]);
  }

  @Test
  void promisesOfAnotherLoopAreRejected() {
    try (EventLoop other = EventLoop.createVirtual()) {
      Promise<String> foreign = other.createPromise();
      Aio.runVirtual(
          Script.of(
              p -> {
                Promise<String> mine = Aio.createPromise();
                assertThrows(IllegalArgumentException.class, () -> Aio.gather(mine, foreign));
                return null;
              }));
    }
  }

  @Test
  void aGatherOfDonePromisesCompletesOnTheNextPass() {
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Promise<String> a = Aio.createPromise();
              a.complete("a");
              Promise<List<String>> g = Aio.gather(a, a);
              assertFalse(g.isDone(), "callbacks run on the loop, never inline");
              Aio.loop().callSoon(() -> log.add("soon"));
              g.addDoneCallback(x -> log.add("gathered " + x.result()));
              return g;
            },
            p -> Aio.sleep(0)));
    assertEquals(List.of("soon", "gathered [a, a]"), log);
    assertNull(Aio.currentTask());
  }
}
