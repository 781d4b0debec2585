package io.awaitj;

import static io.awaitj.GatherTest.failAfter;
import static io.awaitj.GatherTest.now;
import static io.awaitj.GatherTest.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Aio#asCompleted}: completion order, failures, the timeout. */
class AsCompletedTest {

  /**
   * Awaits each coroutine of {@code next} in turn, logging "value@time", or "ExceptionClass@time"
   * for a failure, and returns the log.
   */
  static Coroutine<List<String>> drain(List<? extends Coroutine<?>> next) {
    List<String> log = new ArrayList<>();
    List<Script.Step> steps = new ArrayList<>();
    for (Coroutine<?> c : next) {
      steps.add(
          p ->
              Script.of(q -> c, q -> log.add(q + "@" + now()))
                  .onError(e -> e.getClass().getSimpleName()));
    }
    steps.add(p -> log);
    return Script.of(steps.toArray(new Script.Step[0]));
  }

  @Test
  void resultsComeInCompletionOrder() {
    List<String> log =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Promise<String> promise = Aio.createPromise();
                  Aio.loop().callLater(secs(4), () -> promise.complete("d"));
                  List<Awaitable<String>> in =
                      List.of(
                          Aio.sleep(secs(3), "a"),
                          Aio.createTask(Aio.sleep(secs(1), "b")),
                          Aio.sleep(secs(2), "c"),
                          promise);
                  return drain(Aio.asCompleted(in));
                }));
    assertEquals(List.of("b@1.0", "c@2.0", "a@3.0", "d@4.0"), log);
  }

  @Test
  void promisesCompletedInOnePassComeInTheOrderTheyCompleted() {
    // The combinator is queued as itself for each completion, and a run takes the oldest completion
    // not run yet: six completed in one callback, in an order unlike the list's, come in that order.
    List<String> log =
        Aio.runVirtual(
            Script.of(
                p -> {
                  List<Promise<String>> in = new ArrayList<>();
                  for (int i = 0; i < 6; i++) {
                    in.add(Aio.createPromise());
                  }
                  List<Coroutine<String>> next = Aio.asCompleted(in);
                  Aio.loop()
                      .callLater(
                          secs(1),
                          () -> {
                            for (int i : new int[] {3, 0, 5, 1, 4, 2}) {
                              in.get(i).complete("p" + i);
                            }
                          });
                  return drain(next);
                }));
    assertEquals(
        List.of("p3@1.0", "p0@1.0", "p5@1.0", "p1@1.0", "p4@1.0", "p2@1.0"), log);
  }

  @Test
  void aPromiseCompletedInThePassOfTheTimeoutBeforeItsCallbackRanTimesOut() {
    // At 3 s the promise completes, in a timer that runs just before the timeout's (same deadline,
    // made earlier), so its callback is queued but not run when the timeout passes: as with asyncio's
    // callbacks, it is reported timed out, and the promise is left as it is.
    List<Promise<String>> in = new ArrayList<>();
    List<String> log =
        Aio.runVirtual(
            Script.of(
                p -> {
                  in.add(Aio.createPromise());
                  in.add(Aio.createPromise());
                  Aio.loop().callLater(secs(1), () -> in.get(1).complete("b"));
                  Aio.loop().callLater(secs(3), () -> in.get(0).complete("a"));
                  return drain(Aio.asCompleted(in, secs(3)));
                }));
    assertEquals(List.of("b@1.0", "AsyncTimeoutException@3.0"), log);
    assertTrue(in.get(0).isSuccess());
  }

  @Test
  void aSharedCoroutinePassedTwiceCountsTwice() {
    // Aio.sleep(0) and lock.acquire() return one shared coroutine; Python's would be two coroutines.
    io.awaitj.sync.Lock lock = new io.awaitj.sync.Lock();
    List<String> log =
        Aio.runVirtual(
            Script.of(
                p -> {
                  List<Awaitable<Void>> in =
                      List.of(Aio.sleep(0), Aio.sleep(0), lock.acquire(), lock.acquire());
                  assertSame(in.get(0), in.get(1));
                  assertSame(in.get(2), in.get(3));
                  List<Coroutine<Void>> next = Aio.asCompleted(in);
                  assertEquals(4, next.size());
                  Aio.loop().callLater(secs(1), lock::release);
                  return drain(next);
                }));
    assertEquals(List.of("null@0.0", "null@0.0", "null@0.0", "null@1.0"), log);
    assertTrue(lock.isLocked());
  }

  @Test
  void aFailureOrCancellationSurfacesAtItsTurn() {
    RuntimeException boom = new RuntimeException("boom");
    List<String> log =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Task<String> cancelled = Aio.createTask(Aio.sleep(Duration.ofHours(1), "x"));
                  Aio.loop().callLater(secs(3), () -> cancelled.cancel());
                  return drain(
                      Aio.asCompleted(
                          List.of(Aio.sleep(secs(2), "ok"), failAfter(1, boom), cancelled)));
                }));
    assertEquals(List.of("RuntimeException@1.0", "ok@2.0", "CancelledError@3.0"), log);
  }

  @Test
  void afterTheTimeoutTheRemainingThrowAndNothingIsCancelled() {
    List<Task<String>> tasks = new ArrayList<>();
    List<String> log =
        Aio.runVirtual(
            Script.of(
                p -> {
                  tasks.add(Aio.createTask(Aio.sleep(secs(1), "a")));
                  tasks.add(Aio.createTask(Aio.sleep(secs(5), "b")));
                  tasks.add(Aio.createTask(Aio.sleep(secs(10), "c")));
                  return drain(Aio.asCompleted(tasks, secs(3)));
                },
                p -> {
                  assertFalse(tasks.get(1).isDone());
                  assertFalse(tasks.get(2).isDone());
                  return Script.of(q -> Aio.gather(tasks), q -> p);
                }));
    assertEquals(
        List.of("a@1.0", "AsyncTimeoutException@3.0", "AsyncTimeoutException@3.0"), log);
    for (Task<String> t : tasks) {
      assertTrue(t.isSuccess());
    }
  }

  @Test
  void theTimerIsCancelledOnceAllAreDone() {
    Aio.runVirtual(
        Script.of(
            p -> drain(Aio.asCompleted(List.of(Aio.sleep(secs(1), "a")), Duration.ofHours(1))),
            p -> {
              assertEquals(List.of("a@1.0"), p);
              assertEquals(0, Aio.loop().timerCount());
              return null;
            }));
  }

  @Test
  void coroutinesAwaitedConcurrentlyAreServedInTheOrderTheyWait() {
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              List<Coroutine<String>> next =
                  Aio.asCompleted(List.of(Aio.sleep(secs(2), "slow"), Aio.sleep(secs(1), "fast")));
              // Await the second coroutine first: it gets the first result.
              Task<String> second = Aio.createTask(next.get(1));
              Task<String> first = Aio.createTask(Script.of(q -> Aio.sleep(0), q -> next.get(0)));
              second.addDoneCallback(t -> log.add("second=" + t.result() + "@" + now()));
              first.addDoneCallback(t -> log.add("first=" + t.result() + "@" + now()));
              return Aio.gather(first, second);
            }));
    assertEquals(List.of("second=fast@1.0", "first=slow@2.0"), log);
  }

  @Test
  void aWaiterCancelledAfterItWasWokenPassesItsTurnOn() {
    List<String> log = new ArrayList<>();
    Task<?>[] quitter = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              Task<String> a = Aio.createTask(Aio.sleep(secs(1), "a"));
              Task<String> b = Aio.createTask(Aio.sleep(secs(2), "b"));
              List<Coroutine<String>> next = Aio.asCompleted(List.of(a, b));
              quitter[0] = Aio.createTask(next.get(0));
              Task<String> patient = Aio.createTask(Script.of(q -> Aio.sleep(0), q -> next.get(1)));
              // Runs right after asCompleted's own callback woke the quitter, before it resumes.
              a.addDoneCallback(x -> log.add("cancel:" + quitter[0].cancel()));
              patient.addDoneCallback(t -> log.add("patient=" + t.result() + "@" + now()));
              return Aio.sleep(secs(3));
            }));
    assertEquals(List.of("cancel:true", "patient=a@1.0"), log);
    assertTrue(quitter[0].isCancelled());
  }

  @Test
  void eachAwaitableCountsOnceAndAnEmptyCollectionGivesNothing() {
    Aio.runVirtual(
        Script.of(
            p -> {
              Task<String> t = Aio.createTask(Aio.sleep(secs(1), "t"));
              assertEquals(1, Aio.asCompleted(List.of(t, t, t)).size());
              assertTrue(Aio.asCompleted(List.<Task<String>>of(), secs(1)).isEmpty());
              assertEquals(0, Aio.loop().timerCount());
              return t;
            }));
  }

  @Test
  void theListIsReadOnlyAndHandsOutEachCoroutineOnce() {
    Aio.runVirtual(
        Script.of(
            p -> {
              List<Coroutine<String>> next =
                  Aio.asCompleted(List.of(Aio.sleep(secs(1), "a"), Aio.sleep(secs(2), "b")));
              assertSame(next.get(1), next.get(1));
              assertEquals(2, next.size());
              assertThrows(UnsupportedOperationException.class, () -> next.remove(0));
              assertThrows(IndexOutOfBoundsException.class, () -> next.get(2));
              // Taking only the first result is fine: the second coroutine is never made.
              return next.get(0);
            },
            p -> {
              assertEquals("a", p);
              return null;
            }));
  }

  @Test
  void theFailureIsTheAwaitablesOwnException() {
    RuntimeException boom = new RuntimeException("boom");
    Object r =
        Aio.runVirtual(
            Script.of(p -> Aio.asCompleted(List.of(GatherTest.<String>failAfter(1, boom))).get(0))
                .onError(e -> e));
    assertSame(boom, r);
    assertInstanceOf(RuntimeException.class, r);
  }
}
