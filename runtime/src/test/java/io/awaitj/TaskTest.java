package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks: results, names, callbacks, and asyncio's cancellation semantics. */
class TaskTest {

  @Test
  void taskResultNameAndCallbacks() {
    List<String> log = new ArrayList<>();
    String r =
        Aio.runVirtual(
            Script.of(
                prev -> {
                  Task<String> t = Aio.createTask(Aio.sleep(Duration.ofSeconds(1), "v"), "worker");
                  assertEquals("worker", t.name());
                  assertFalse(t.isDone());
                  t.addDoneCallback(p -> log.add("done:" + p.result()));
                  return t;
                },
                prev -> {
                  log.add("awaited:" + prev);
                  return Aio.sleep(0);
                },
                prev -> String.join(",", log)));
    assertEquals("done:v,awaited:v", r);
  }

  @Test
  void defaultNamesCount() {
    Aio.runVirtual(
        Script.of(
            prev -> {
              Task<?> a = Aio.createTask(Aio.done(1));
              Task<?> b = Aio.createTask(Aio.done(2));
              assertTrue(a.name().startsWith("Task-"));
              assertFalse(a.name().equals(b.name()));
              return b;
            }));
  }

  @Test
  void tasksCannotBeCompletedFromOutside() {
    Aio.runVirtual(
        Script.of(
            prev -> {
              Task<Integer> t = Aio.createTask(Aio.done(1));
              assertThrows(IllegalStateException.class, () -> t.complete(2));
              assertThrows(IllegalStateException.class, () -> t.fail(new RuntimeException()));
              return t;
            }));
  }

  @Test
  void cancelDeliversCancelledErrorAtTheSuspensionPointAndRunsFinally() {
    List<String> log = new ArrayList<>();
    Task<?>[] victim = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            prev -> {
              victim[0] =
                  Aio.createTask(
                      Script.of(p -> Aio.sleep(Duration.ofHours(1)), p -> log.add("not reached"))
                          .onFinally(() -> log.add("finally")));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            prev -> {
              assertTrue(victim[0].cancel("stop it"));
              return Aio.sleep(0);
            },
            prev -> null));
    assertTrue(victim[0].isCancelled());
    assertEquals(List.of("finally"), log);
    CancelledError e = assertThrows(CancelledError.class, victim[0]::result);
    assertEquals("stop it", e.getMessage());
  }

  @Test
  void aCancelledTaskMayCatchTheErrorUncancelAndGoOn() {
    Task<?>[] victim = new Task<?>[1];
    String r =
        Aio.runVirtual(
            Script.of(
                prev -> {
                  victim[0] =
                      Aio.createTask(
                          Script.<String>of(p -> Aio.sleep(Duration.ofHours(1), "slept"))
                              .onError(
                                  e -> {
                                    assertTrue(e instanceof CancelledError);
                                    Task<?> me = Aio.currentTask();
                                    assertEquals(1, me.cancelling());
                                    assertEquals(0, me.uncancel());
                                    return Aio.sleep(Duration.ofSeconds(2), "recovered");
                                  }));
                  return Aio.sleep(Duration.ofSeconds(1));
                },
                prev -> {
                  victim[0].cancel();
                  return victim[0];
                }));
    assertEquals("recovered", r);
    assertFalse(victim[0].isCancelled());
  }

  @Test
  void cancelBeforeTheFirstStepMeansTheCoroutineNeverRuns() {
    List<String> log = new ArrayList<>();
    Task<?>[] t = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            prev -> {
              t[0] = Aio.createTask(Script.of(p -> log.add("ran")));
              t[0].cancel();
              return Aio.sleep(0);
            },
            prev -> Aio.sleep(0)));
    assertTrue(t[0].isCancelled());
    assertEquals(List.of(), log);
  }

  @Test
  void cancellingAFinishedTaskReturnsFalse() {
    Aio.runVirtual(
        Script.of(
            prev -> Aio.createTask(Aio.done(1)),
            prev -> {
              Task<?> self = Aio.currentTask();
              assertEquals(1, prev);
              return self;
            })
            .onError(e -> e instanceof IllegalStateException ? "ok" : null));
    Task<?>[] done = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            prev -> done[0] = Aio.createTask(Aio.done(1)),
            prev -> {
              assertFalse(done[0].cancel());
              return null;
            }));
  }

  @Test
  void aTaskThatCancelsItselfIsCancelledAtItsNextAwait() {
    List<String> log = new ArrayList<>();
    Task<?> t =
        runAndReturnTask(
            Script.of(
                    p -> {
                      Aio.currentTask().cancel();
                      log.add("still running");
                      return Aio.sleep(Duration.ofSeconds(1));
                    },
                    p -> log.add("not reached"))
                .onFinally(() -> log.add("finally")));
    assertTrue(t.isCancelled());
    assertEquals(List.of("still running", "finally"), log);
  }

  @Test
  void cancellingAnAwaitedTaskCancelsTheInnerTaskToo() {
    Task<?>[] inner = new Task<?>[1];
    Task<?>[] outer = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            prev -> {
              inner[0] = Aio.createTask(Aio.sleep(Duration.ofHours(1)));
              outer[0] = Aio.createTask(Script.of(p -> inner[0]));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            prev -> {
              outer[0].cancel();
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertTrue(inner[0].isCancelled());
    assertTrue(outer[0].isCancelled());
  }

  @Test
  void aFailedTaskRethrowsItsOwnException() {
    RuntimeException boom = new RuntimeException("boom");
    Task<?> t = runAndReturnTask(Script.of(p -> Aio.sleep(1), p -> { throw boom; }));
    assertSame(boom, t.exception());
    assertSame(boom, assertThrows(RuntimeException.class, t::result));
  }

  @Test
  void resultOfAPendingTaskIsAnError() {
    Aio.runVirtual(
        Script.of(
            prev -> {
              Task<?> t = Aio.createTask(Aio.sleep(1));
              assertThrows(IllegalStateException.class, t::result);
              assertThrows(IllegalStateException.class, t::exception);
              return t;
            }));
  }

  @Test
  void toCompletableFutureCompletesForCodeOutsideTheLoop() throws Exception {
    CompletableFuture<?>[] f = new CompletableFuture<?>[1];
    Aio.runVirtual(
        Script.of(
            prev -> {
              Task<String> t = Aio.createTask(Aio.sleep(Duration.ofSeconds(3), "x"));
              f[0] = t.toCompletableFuture();
              return t;
            },
            prev -> Aio.sleep(0)));
    assertEquals("x", f[0].get(1, TimeUnit.SECONDS));
  }

  @Test
  void currentTaskIsNullOutsideTasks() {
    assertNull(Aio.currentTask());
  }

  @Test
  void runCancelsLeftoverTasksOnExit() {
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            prev -> {
              Aio.createTask(
                  Script.of(p -> Aio.sleep(Duration.ofDays(1))).onFinally(() -> log.add("cleaned")));
              return Aio.sleep(0);
            }));
    assertEquals(List.of("cleaned"), log);
  }

  private static Task<?> runAndReturnTask(Coroutine<?> c) {
    EventLoop loop = EventLoop.createVirtual();
    Task<?> t = loop.createTask(c);
    try {
      loop.runUntilComplete(t);
    } catch (Throwable ignored) {
      // the task's outcome is inspected by the caller
    }
    loop.close();
    return t;
  }
}
