package io.awaitj;

import static io.awaitj.VirtualClockTest.withHangGuard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Aio#fromStage} (asyncio's {@code wrap_future}) and the {@link CompletionStage} forms of the
 * combinators, with stages completed on other threads for real.
 */
class FromStageTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** A stage completed with {@code value} on another thread once {@code go} opens. */
  private <T> CompletableFuture<T> later(CountDownLatch go, T value) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return value;
        },
        pool);
  }

  /** A stage failed with {@code e} on a thread of the pool. */
  private <T> CompletableFuture<T> failingOnPool(RuntimeException e) {
    return CompletableFuture.supplyAsync(
        () -> {
          throw e;
        },
        pool);
  }

  /** Opens {@code go} from the loop, once the pass running now is over. */
  private static void openSoon(CountDownLatch go) {
    Aio.loop().callSoon(go::countDown);
  }

  // -----------------------------------------------------------------------------------------------
  // fromStage itself.

  @Test
  void aStageCompletedOnAnExecutorIsDeliveredOnTheLoopThread() {
    AtomicReference<Thread> completedOn = new AtomicReference<>();
    AtomicReference<Thread> callbackOn = new AtomicReference<>();
    AtomicReference<Thread> loopThread = new AtomicReference<>();
    AtomicReference<Thread> resumedOn = new AtomicReference<>();
    String r =
        Aio.run(
            Script.of(
                p -> {
                  loopThread.set(Thread.currentThread());
                  CompletableFuture<String> stage =
                      CompletableFuture.supplyAsync(
                          () -> {
                            completedOn.set(Thread.currentThread());
                            return "computed";
                          },
                          pool);
                  Promise<String> promise = Aio.fromStage(stage);
                  promise.addDoneCallback(x -> callbackOn.set(Thread.currentThread()));
                  return promise;
                },
                p -> {
                  resumedOn.set(Thread.currentThread());
                  return p;
                }));
    assertEquals("computed", r);
    assertNotSame(loopThread.get(), completedOn.get(), "the stage ran on the pool");
    assertSame(loopThread.get(), callbackOn.get(), "done callbacks run on the loop's thread");
    assertSame(loopThread.get(), resumedOn.get(), "the awaiting task resumes on the loop's thread");
  }

  @Test
  void aCompletableFutureCompletedByAnotherThreadCompletesThePromise() throws Exception {
    CompletableFuture<Integer> stage = new CompletableFuture<>();
    Thread completer =
        new Thread(
            () -> {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              stage.complete(42);
            });
    int r =
        Aio.run(
            Script.of(
                p -> {
                  completer.start();
                  Promise<Integer> promise = Aio.fromStage(stage);
                  assertFalse(promise.isDone());
                  return promise;
                }));
    completer.join();
    assertEquals(42, r);
  }

  @Test
  void aFailedStageFailsThePromiseWithItsOwnException() {
    IllegalStateException boom = new IllegalStateException("boom");
    Object r =
        Aio.run(
            Script.of(
                    p -> Aio.fromStage(failingOnPool(boom)))
                .onError(e -> e));
    assertSame(boom, r, "the exception as thrown, not the CompletionException around it");
  }

  @Test
  void aDependentStageFailureIsUnwrappedToo() {
    CompletableFuture<String> source = new CompletableFuture<>();
    IllegalArgumentException boom = new IllegalArgumentException("dependent");
    Object r =
        Aio.run(
            Script.of(
                    p -> {
                      CompletionStage<String> dependent = source.thenApply(s -> s + "!");
                      pool.execute(() -> source.completeExceptionally(boom));
                      return Aio.fromStage(dependent);
                    })
                .onError(e -> e));
    assertSame(boom, r);
  }

  @Test
  void aStageCancelledOnAnotherThreadCancelsThePromise() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    List<Object> seen = new ArrayList<>();
    Aio.run(
        Script.of(
                p -> {
                  Promise<String> promise = Aio.fromStage(stage);
                  seen.add(promise);
                  pool.execute(() -> stage.cancel(true));
                  return promise;
                })
            .onError(e -> seen.add(e)));
    assertTrue(((Promise<?>) seen.get(0)).isCancelled());
    assertInstanceOf(CancelledError.class, seen.get(1));
  }

  @Test
  void aStageAlreadyCompleteGivesAPromiseAlreadyDone() {
    String r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Promise<String> ok = Aio.fromStage(CompletableFuture.completedFuture("now"));
                  assertTrue(ok.isDone());
                  Promise<String> failed =
                      Aio.fromStage(CompletableFuture.failedFuture(new ArithmeticException("x")));
                  assertInstanceOf(ArithmeticException.class, failed.exception());
                  CompletableFuture<String> c = new CompletableFuture<>();
                  c.cancel(false);
                  assertTrue(Aio.fromStage(c).isCancelled());
                  return ok;
                }));
    assertEquals("now", r);
  }

  @Test
  void cancellingThePromiseCancelsTheCompletableFuture() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Promise<String> promise = Aio.fromStage(stage);
              assertTrue(promise.cancel());
              return null;
            }));
    assertTrue(stage.isCancelled(), "cancellation chains to the stage, as wrap_future's does");
  }

  @Test
  void cancellingTheTaskAwaitingThePromiseCancelsTheStage() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    Object r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Task<String> t = Aio.createTask(Script.of(q -> Aio.fromStage(stage)));
                  Aio.loop().callLater(Duration.ofSeconds(1), () -> t.cancel());
                  return Script.of(q -> t).onError(e -> e.getClass().getSimpleName());
                }));
    assertEquals("CancelledError", r);
    assertTrue(stage.isCancelled());
  }

  @Test
  void cancellingThePromiseOfAMinimalStageIsHarmless() {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletionStage<String> minimal = source.minimalCompletionStage();
    Aio.runVirtual(
        Script.of(
            p -> {
              Promise<String> promise = Aio.fromStage(minimal);
              assertTrue(promise.cancel());
              return null;
            }));
    // A minimal stage cannot be cancelled; its copy was, and its source runs on.
    assertFalse(source.isDone());
  }

  /** A stage and {@link java.util.concurrent.Future} whose {@code toCompletableFuture()} is a copy. */
  static final class CopyingStage<T> extends CompletableFuture<T> {
    @Override
    public CompletableFuture<T> toCompletableFuture() {
      CompletableFuture<T> copy = new CompletableFuture<>();
      whenComplete((v, e) -> {
        if (e == null) {
          copy.complete(v);
        } else {
          copy.completeExceptionally(e);
        }
      });
      return copy;
    }
  }

  @Test
  void cancellingThePromiseCancelsAFutureStageWhoseCompletableFutureIsACopy() {
    CopyingStage<String> stage = new CopyingStage<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              assertTrue(Aio.fromStage(stage).cancel());
              return null;
            }));
    assertTrue(stage.isCancelled(), "the stage itself, not only its copy");
  }

  @Test
  void theLoopWaitsForAPendingStageWithNoTimerSet() throws Exception {
    // The stage holds the loop alive: no deadlock report, even on a virtual clock.
    CompletableFuture<String> stage = new CompletableFuture<>();
    String r =
        withHangGuard(
            () ->
                Aio.runVirtual(
                    Script.of(
                        p -> {
                          pool.execute(
                              () -> {
                                try {
                                  Thread.sleep(30);
                                } catch (InterruptedException e) {
                                  Thread.currentThread().interrupt();
                                }
                                stage.complete("arrived");
                              });
                          return Aio.fromStage(stage);
                        },
                        p -> p + "@" + Aio.loop().time())));
    assertEquals("arrived@0.0", r);
  }

  // -----------------------------------------------------------------------------------------------
  // The threading rule.

  @Test
  void fromStageOffTheLoopFailsFastWithAClearMessage() throws Exception {
    CompletableFuture<String> stage = new CompletableFuture<>();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.fromStage(stage));
    assertTrue(e.getMessage().startsWith("cannot call Aio.fromStage(...) from thread "), e.getMessage());
    assertTrue(e.getMessage().contains("no event loop runs in it"), e.getMessage());
    assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    assertFalse(stage.isDone());

    // From another thread while a loop runs elsewhere: the same.
    AtomicReference<Throwable> offLoop = new AtomicReference<>();
    Aio.run(
        Script.of(
            p ->
                Aio.toThread(
                    () -> {
                      try {
                        Aio.fromStage(stage);
                      } catch (Throwable t) {
                        offLoop.set(t);
                      }
                      return null;
                    })));
    assertInstanceOf(IllegalStateException.class, offLoop.get());
    assertTrue(offLoop.get().getMessage().contains("Aio.fromStage"));

    assertTrue(
        assertThrows(IllegalStateException.class, () -> Aio.gather(stage))
            .getMessage()
            .contains("Aio.gather"));
    assertTrue(
        assertThrows(IllegalStateException.class, () -> Aio.gatherSettled(stage))
            .getMessage()
            .contains("Aio.gatherSettled"));
    assertTrue(
        assertThrows(IllegalStateException.class, () -> Aio.shield(stage))
            .getMessage()
            .contains("Aio.shield"));
    // waitFor is lazy, as for awaitables: it may be made anywhere.
    assertEquals("Aio.waitFor(PT1S)", Aio.waitFor(stage, Duration.ofSeconds(1)).toString());
  }

  @Test
  void nullStagesAreRejected() {
    Aio.runVirtual(
        Script.of(
            p -> {
              assertThrows(NullPointerException.class, () -> Aio.fromStage(null));
              CompletableFuture<String> ok = new CompletableFuture<>();
              assertThrows(NullPointerException.class, () -> Aio.gather(ok, null));
              assertThrows(
                  NullPointerException.class,
                  () -> Aio.waitFor((CompletionStage<String>) null, Duration.ZERO));
              return null;
            }));
  }

  // -----------------------------------------------------------------------------------------------
  // The combinators.

  @Test
  void gatherOfStagesKeepsArgumentOrder() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    CompletableFuture<String> c = new CompletableFuture<>();
    List<String> r =
        Aio.run(
            Script.of(
                p -> {
                  Promise<List<String>> all = Aio.gather(a, b, c);
                  // Completed in reverse order, from one other thread.
                  pool.execute(
                      () -> {
                        c.complete("c");
                        b.complete("b");
                        a.complete("a");
                      });
                  return all;
                }));
    assertEquals(List.of("a", "b", "c"), r);
  }

  @Test
  void gatherOfStagesFailsWithTheFirstFailure() {
    CompletableFuture<String> never = new CompletableFuture<>();
    IllegalStateException boom = new IllegalStateException("boom");
    Object r =
        Aio.run(
            Script.of(
                    p -> {
                      Promise<List<String>> all = Aio.gather(never, failingOnPool(boom));
                      return all;
                    })
                .onError(e -> e));
    assertSame(boom, r);
    assertFalse(never.isDone(), "gather leaves the others running");
    never.cancel(false);
  }

  @Test
  void gatherSettledOfStagesReportsEachOutcome() {
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    ArithmeticException boom = new ArithmeticException("boom");
    List<Result<String>> r =
        Aio.run(
            Script.of(
                p -> {
                  Promise<List<Result<String>>> all =
                      Aio.gatherSettled(
                          CompletableFuture.supplyAsync(() -> "ok", pool),
                          failingOnPool(boom),
                          cancelled);
                  pool.execute(() -> cancelled.cancel(false));
                  return all;
                }));
    assertEquals(Result.success("ok"), r.get(0));
    assertSame(boom, r.get(1).exception());
    assertTrue(r.get(2).isCancelled());
  }

  @Test
  void gatherOfNothingIsAnEmptyList() {
    assertEquals(List.of(), Aio.runVirtual(Script.of(p -> Aio.gather())));
    assertEquals(List.of(), Aio.runVirtual(Script.of(p -> Aio.gatherSettled())));
  }

  @Test
  void gatherOfAStageAndATask() {
    List<Object> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  CompletableFuture<String> stage = new CompletableFuture<>();
                  Aio.loop().callLater(Duration.ofSeconds(2), () -> stage.complete("stage"));
                  return Aio.<Object>gather(
                      Aio.createTask(Aio.sleep(Duration.ofSeconds(1), "task")),
                      Aio.fromStage(stage));
                }));
    assertEquals(List.of("task", "stage"), r);
  }

  @Test
  void cancellingGatherCancelsItsStages() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    Object r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Promise<List<String>> all = Aio.gather(a, b);
                  Aio.loop().callLater(Duration.ofSeconds(1), () -> all.cancel());
                  return Script.of(q -> all).onError(e -> e.getClass().getSimpleName());
                }));
    assertEquals("CancelledError", r);
    assertTrue(a.isCancelled());
    assertTrue(b.isCancelled());
  }

  @Test
  void asCompletedOfStagesServesThemInCompletionOrder() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    CompletableFuture<String> c = new CompletableFuture<>();
    List<String> log =
        Aio.runVirtual(
            Script.of(
                p -> {
                  List<Coroutine<String>> next =
                      Aio.asCompleted(
                          List.of(a, b, c).stream().map(Aio::fromStage).toList());
                  // From one other thread: the loop's inbox keeps the order they complete in.
                  pool.execute(
                      () -> {
                        b.complete("b");
                        c.complete("c");
                        a.complete("a");
                      });
                  return AsCompletedTest.drain(next);
                }));
    assertEquals(List.of("b@0.0", "c@0.0", "a@0.0"), log);
  }

  @Test
  void waitFirstCompletedOnStages() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<String> fast = later(go, "fast");
    List<Object> out = new ArrayList<>();
    Aio.run(
        Script.of(
            p -> {
              List<Promise<String>> promises =
                  List.of(slow, fast).stream().map(Aio::fromStage).toList();
              out.add(promises);
              openSoon(go);
              return Aio.wait(promises, ReturnWhen.FIRST_COMPLETED);
            },
            p -> {
              out.add(p);
              return null;
            }));
    @SuppressWarnings("unchecked")
    List<Promise<String>> promises = (List<Promise<String>>) out.get(0);
    @SuppressWarnings("unchecked")
    WaitResult<Promise<String>> w = (WaitResult<Promise<String>>) out.get(1);
    assertEquals(java.util.Set.of(promises.get(1)), w.done());
    assertEquals(java.util.Set.of(promises.get(0)), w.pending());
    assertFalse(slow.isDone(), "wait cancels nothing");
    slow.cancel(false);
  }

  @Test
  void waitForOnAStageThatNeverCompletesTimesOutOnTheVirtualClock() throws Exception {
    CompletableFuture<String> direct = new CompletableFuture<>();
    CompletableFuture<String> wrapped = new CompletableFuture<>();
    List<String> r =
        withHangGuard(
            () ->
                Aio.runVirtual(
                    Script.of(
                        p ->
                            Script.of(q -> Aio.waitFor(direct, Duration.ofSeconds(5)))
                                .onError(e -> e.getClass().getSimpleName() + "@" + Aio.loop().time()),
                        p ->
                            Script.of(
                                    q ->
                                        Aio.waitFor(
                                            Aio.fromStage(wrapped), Duration.ofSeconds(3)))
                                .onError(e -> p + " " + e.getClass().getSimpleName() + "@"
                                    + Aio.loop().time()),
                        p -> List.of((String) p))));
    assertEquals(List.of("AsyncTimeoutException@5.0 AsyncTimeoutException@8.0"), r);
    assertTrue(direct.isCancelled(), "the timeout cancels the stage");
    assertTrue(wrapped.isCancelled());
  }

  @Test
  void waitForOnAStageCompletedInTime() {
    String r =
        Aio.run(
            Script.of(
                p -> Aio.waitFor(CompletableFuture.supplyAsync(() -> "in time", pool),
                    Duration.ofSeconds(30))));
    assertEquals("in time", r);
    String none =
        Aio.run(
            Script.of(p -> Aio.waitFor(CompletableFuture.supplyAsync(() -> "no limit", pool), null)));
    assertEquals("no limit", none);
  }

  @Test
  void waitForWithAZeroTimeout() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    List<Object> r =
        Aio.runVirtual(
            Script.of(
                p -> Aio.waitFor(CompletableFuture.completedFuture("done already"), Duration.ZERO),
                p ->
                    Script.of(q -> Aio.waitFor(pending, Duration.ZERO))
                        .onError(e -> List.of(p, e.getClass().getSimpleName()))));
    assertEquals(List.of("done already", "AsyncTimeoutException"), r);
    assertTrue(pending.isCancelled());
  }

  @Test
  void shieldOfAStageKeepsItRunning() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    List<Object> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Promise<String> outer = Aio.shield(stage);
                  assertTrue(outer.cancel());
                  assertFalse(stage.isDone(), "cancelling the shield leaves the stage running");
                  return Script.of(q -> Aio.waitFor(Aio.shield(stage), Duration.ofSeconds(1)))
                      .onError(e -> e.getClass().getSimpleName());
                },
                p -> {
                  assertFalse(stage.isDone(), "a timeout through a shield leaves it running too");
                  // Completed from the loop (no other thread is needed for this part).
                  Promise<String> again = Aio.shield(stage);
                  stage.complete("finished");
                  return Script.of(q -> again, q -> List.of(p, q));
                }));
    assertEquals(List.of("AsyncTimeoutException", "finished"), r);
  }

  @Test
  void aCancelledStageCancelsItsShield() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    Object r =
        Aio.run(
            Script.of(
                    p -> {
                      Promise<String> outer = Aio.shield(stage);
                      pool.execute(() -> stage.cancel(false));
                      return outer;
                    })
                .onError(e -> e.getClass().getSimpleName()));
    assertEquals("CancelledError", r);
  }

  @Test
  void aCompletionExceptionOfItsOwnIsKeptWhenItHasNoCause() {
    CompletionException bare = new CompletionException("bare", null);
    Object r =
        Aio.runVirtual(
            Script.of(p -> Aio.fromStage(CompletableFuture.failedFuture(bare))).onError(e -> e));
    assertSame(bare, r);
  }

}
