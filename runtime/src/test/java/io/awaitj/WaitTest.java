package io.awaitj;

import static io.awaitj.GatherTest.failAfter;
import static io.awaitj.GatherTest.now;
import static io.awaitj.GatherTest.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Aio#wait}: the three modes, the timeout, and what is left running. */
class WaitTest {

  /** Tasks sleeping 3, 1 and 2 seconds, returning "a", "b", "c". */
  static List<Task<String>> threeTasks() {
    return List.of(
        Aio.createTask(Aio.sleep(secs(3), "a")),
        Aio.createTask(Aio.sleep(secs(1), "b")),
        Aio.createTask(Aio.sleep(secs(2), "c")));
  }

  @Test
  void allCompletedWaitsForEveryPromise() {
    List<Task<String>> tasks = new ArrayList<>();
    WaitResult<Task<String>> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  tasks.addAll(threeTasks());
                  return Aio.wait(tasks);
                },
                p -> {
                  assertEquals(3.0, now());
                  assertEquals(0, Aio.loop().timerCount());
                  return p;
                }));
    assertEquals(Set.copyOf(tasks), r.done());
    assertEquals(tasks, List.copyOf(r.done()), "sets iterate in the order the promises were given");
    assertTrue(r.pending().isEmpty());
  }

  @Test
  void firstCompletedReturnsAsSoonAsOneIsDoneAndLeavesTheOthersRunning() {
    List<Task<String>> tasks = new ArrayList<>();
    String r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  tasks.addAll(threeTasks());
                  return Aio.wait(tasks, ReturnWhen.FIRST_COMPLETED);
                },
                p -> {
                  @SuppressWarnings("unchecked")
                  WaitResult<Task<String>> w = (WaitResult<Task<String>>) p;
                  assertEquals(1.0, now());
                  assertEquals(Set.of(tasks.get(1)), w.done());
                  assertEquals(List.of(tasks.get(0), tasks.get(2)), List.copyOf(w.pending()));
                  for (Task<String> t : w.pending()) {
                    assertFalse(t.isDone());
                  }
                  return Aio.gather(w.pending());
                },
                p -> {
                  assertEquals(3.0, now());
                  return String.valueOf(p);
                }));
    assertEquals("[a, c]", r);
  }

  @Test
  void firstExceptionReturnsOnTheFirstFailure() {
    RuntimeException boom = new RuntimeException("boom");
    List<Task<String>> tasks = new ArrayList<>();
    WaitResult<Task<String>> r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  tasks.add(Aio.createTask(Aio.sleep(secs(1), "fast")));
                  tasks.add(Aio.createTask(failAfter(2, boom)));
                  tasks.add(Aio.createTask(Aio.sleep(secs(5), "slow")));
                  return Aio.wait(tasks, ReturnWhen.FIRST_EXCEPTION);
                },
                p -> {
                  assertEquals(2.0, now());
                  return p;
                }));
    assertEquals(List.of(tasks.get(0), tasks.get(1)), List.copyOf(r.done()));
    assertEquals(Set.of(tasks.get(2)), r.pending());
  }

  @Test
  void firstExceptionDoesNotCountACancellationAndOtherwiseWaitsForAll() {
    Aio.runVirtual(
        Script.of(
            p -> {
              Task<String> cancelled = Aio.createTask(Aio.sleep(Duration.ofHours(1), "x"));
              Aio.loop().callLater(secs(1), () -> cancelled.cancel());
              return Aio.wait(
                  List.of(cancelled, Aio.createTask(Aio.sleep(secs(4), "y"))),
                  ReturnWhen.FIRST_EXCEPTION);
            },
            p -> {
              assertEquals(4.0, now());
              assertTrue(((WaitResult<?>) p).pending().isEmpty());
              return null;
            }));
  }

  @Test
  void aTimeoutReturnsWhatIsDoneAndLeavesThePendingRunning() {
    List<Task<String>> tasks = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              tasks.addAll(threeTasks());
              return Aio.wait(tasks, Duration.ofMillis(2500));
            },
            p -> {
              WaitResult<?> w = (WaitResult<?>) p;
              assertEquals(2.5, now(), "no exception: the wait just ends at the timeout");
              assertEquals(Set.of(tasks.get(1), tasks.get(2)), w.done());
              assertEquals(Set.of(tasks.get(0)), w.pending());
              assertFalse(tasks.get(0).isCancelled());
              return tasks.get(0);
            },
            p -> {
              assertEquals("a", p);
              assertEquals(3.0, now());
              return null;
            }));
  }

  @Test
  void theTimerIsCancelledWhenTheWaitEndsEarly() {
    Aio.runVirtual(
        Script.of(
            p -> Aio.wait(threeTasks(), ReturnWhen.FIRST_COMPLETED, Duration.ofHours(1)),
            p -> {
              assertEquals(1.0, now());
              // The two sleeps still running; not the wait's one-hour timer.
              assertEquals(2, Aio.loop().timerCount());
              return null;
            }));
  }

  @Test
  void promisesAlreadyDoneStillTakeOnePass() {
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Promise<String> done = Aio.createPromise();
              done.complete("x");
              Aio.loop().callSoon(() -> log.add("soon"));
              return Aio.wait(List.of(done, done));
            },
            p -> {
              log.add("waited " + ((WaitResult<?>) p).done().size());
              return null;
            }));
    assertEquals(List.of("soon", "waited 1"), log);
  }

  @Test
  void cancellingTheWaitingTaskLeavesThePromisesAlone() {
    List<Task<String>> tasks = new ArrayList<>();
    Task<?>[] waiter = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
                p -> {
                  tasks.addAll(threeTasks());
                  waiter[0] = Aio.createTask(Aio.wait(tasks, secs(10)));
                  Aio.loop().callLater(Duration.ofMillis(500), () -> waiter[0].cancel());
                  return waiter[0];
                })
            .onError(
                e -> {
                  assertInstanceOf(CancelledError.class, e);
                  assertEquals(0.5, now());
                  for (Task<String> t : tasks) {
                    assertFalse(t.isDone());
                  }
                  // The three sleeps; the wait's timer is gone.
                  assertEquals(3, Aio.loop().timerCount());
                  return Aio.gather(tasks);
                }));
    assertTrue(waiter[0].isCancelled());
    for (Task<String> t : tasks) {
      assertTrue(t.isSuccess());
    }
  }

  @Test
  void anEmptyCollectionIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Aio.wait(List.<Promise<?>>of()));
    assertTrue(e.getMessage().contains("empty"));
  }

  @Test
  void theResultSetsAreReadOnly() {
    Aio.runVirtual(
        Script.of(
            p -> Aio.wait(threeTasks(), ReturnWhen.FIRST_COMPLETED),
            p -> {
              WaitResult<?> w = (WaitResult<?>) p;
              assertThrows(UnsupportedOperationException.class, () -> w.done().clear());
              assertThrows(UnsupportedOperationException.class, () -> w.pending().clear());
              return null;
            }));
  }
}
