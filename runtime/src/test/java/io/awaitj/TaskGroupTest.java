package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** TaskGroup: asyncio's structured concurrency, closed the way generated try-with-resources code does. */
class TaskGroupTest {

  /**
   * What the processor generates for {@code try (TaskGroup g = new TaskGroup()) { return body(g); }}:
   * the body is awaited inline, then {@code closeAsync(failure)} is awaited, and exceptions are
   * combined by AsyncCloseable's rule (the close's exception replaces a CancelledError of the body;
   * otherwise the body's exception stays primary, the close's suppressed).
   */
  static final class With<T> extends Coroutine<T> {
    private final Function<TaskGroup, Coroutine<T>> body;
    TaskGroup group;
    private Throwable primary;
    private T result;

    With(Function<TaskGroup, Coroutine<T>> body) {
      this.body = body;
    }

    @Override
    @SuppressWarnings("fallthrough")
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          group = new TaskGroup();
          state = 1;
          try {
            if (suspendOn(body.apply(group))) {
              return SUSPEND;
            }
          } catch (Throwable e) {
            primary = e;
            return close();
          }
          // fall through
        case 1:
          try {
            result = awaitResult();
          } catch (Throwable e) {
            primary = e;
          }
          return close();
        case 2:
          return closed();
        default:
          throw illegalState();
      }
    }

    private Object close() throws Throwable {
      state = 2;
      if (suspendOn(group.closeAsync(primary))) {
        return SUSPEND;
      }
      return closed();
    }

    private Object closed() throws Throwable {
      try {
        awaitResult();
      } catch (Throwable closeError) {
        if (primary == null) {
          throw closeError;
        }
        if (primary instanceof CancelledError && !(closeError instanceof CancelledError)) {
          closeError.addSuppressed(primary);
          throw closeError;
        }
        if (closeError != primary) {
          primary.addSuppressed(closeError);
        }
        throw primary;
      }
      if (primary != null) {
        throw primary;
      }
      return result;
    }
  }

  static <T> With<T> with(Function<TaskGroup, Coroutine<T>> body) {
    return new With<>(body);
  }

  /** Sleeps, logs, returns its name; logs its finally. */
  static Script<String> sleeper(List<String> log, String name, long seconds) {
    return Script.<String>of(
            p -> Aio.sleep(Duration.ofSeconds(seconds)),
            p -> {
              log.add(name + " done");
              return name;
            })
        .onFinally(() -> log.add(name + " finally"));
  }

  /** Sleeps, then throws {@code e}. */
  static Script<Object> failer(long seconds, Throwable e) {
    return Script.of(
        p -> Aio.sleep(Duration.ofSeconds(seconds)),
        p -> {
          throw e;
        });
  }

  /**
   * A Script error handler that handles the first error only: Script hands the failure of the
   * handler's own awaitable back to the handler, and a cleanup that rethrows must not loop.
   */
  static Script.Handler once(Script.Handler h) {
    boolean[] called = new boolean[1];
    return e -> {
      if (called[0]) {
        throw e;
      }
      called[0] = true;
      return h.handle(e);
    };
  }

  static double now() {
    return Aio.loop().time();
  }

  // -----------------------------------------------------------------------------------------------

  @Test
  void waitsForAllTasksWhenTheBodyEnds() {
    List<String> log = new ArrayList<>();
    List<Task<String>> tasks = new ArrayList<>();
    String r =
        Aio.runVirtual(
            Script.of(
                p ->
                    with(
                        g -> {
                          tasks.add(g.createTask(sleeper(log, "a", 3)));
                          tasks.add(g.createTask(sleeper(log, "b", 1), "named"));
                          tasks.add(g.createTask(sleeper(log, "c", 2)));
                          return Script.of(q -> "body");
                        }),
                p -> {
                  assertEquals("body", p);
                  assertEquals(3.0, now());
                  for (Task<String> t : tasks) {
                    assertTrue(t.isSuccess(), t.toString());
                  }
                  assertEquals(0, Aio.currentTask().cancelling());
                  return tasks.get(0).result() + tasks.get(1).result() + tasks.get(2).result();
                }));
    assertEquals("abc", r);
    assertEquals("named", tasks.get(1).name());
    assertEquals(
        List.of("b done", "b finally", "c done", "c finally", "a done", "a finally"), log);
  }

  @Test
  void aGroupWithoutTasksClosesAtOnce() {
    Aio.runVirtual(
        Script.of(
            p -> {
              TaskGroup g = new TaskGroup();
              Coroutine<Void> close = g.closeAsync();
              return close;
            },
            p -> {
              assertEquals(0.0, now());
              return null;
            }));
  }

  @Test
  void tasksMayAddTasksWhileTheGroupWaits() {
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p ->
                with(
                    g -> {
                      g.createTask(
                          Script.of(
                              q -> Aio.sleep(Duration.ofSeconds(1)),
                              q -> {
                                // The body has ended and the group is closing: still allowed.
                                g.createTask(sleeper(log, "late", 5));
                                return null;
                              }));
                      return Script.of(q -> null);
                    }),
            p -> {
              assertEquals(6.0, now());
              return null;
            }));
    assertEquals(List.of("late done", "late finally"), log);
  }

  @Test
  void aFailingTaskCancelsItsSiblingsAndTheBodyAndIsThrownAsAGroupException() {
    List<String> log = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("boom");
    Task<?>[] sibling = new Task<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p ->
                        with(
                            g -> {
                              g.createTask(failer(1, boom), "failer");
                              sibling[0] = g.createTask(sleeper(log, "sibling", 10));
                              return Script.of(
                                      q -> Aio.sleep(Duration.ofSeconds(100)),
                                      q -> log.add("body not interrupted"))
                                  .onError(
                                      e -> {
                                        log.add("body got " + e.getClass().getSimpleName());
                                        throw e;
                                      });
                            }))
                .onError(
                    e -> {
                      TaskGroupException tge = assertInstanceOf(TaskGroupException.class, e);
                      assertEquals(List.of(boom), tge.exceptions());
                      assertTrue(tge.getMessage().contains("boom"), tge.getMessage());
                      assertTrue(tge.getMessage().contains("1 sub-exception"), tge.getMessage());
                      // The body's CancelledError is replaced by the group exception, which
                      // carries it as suppressed after the task's failure.
                      assertEquals(2, tge.getSuppressed().length);
                      assertSame(boom, tge.getSuppressed()[0]);
                      assertInstanceOf(CancelledError.class, tge.getSuppressed()[1]);
                      assertEquals(1.0, now());
                      // The group took its cancellation of the parent back: the parent goes on.
                      assertEquals(0, Aio.currentTask().cancelling());
                      return Aio.sleep(Duration.ofSeconds(1), "went on");
                    }));
    assertEquals("went on", r);
    // The siblings are cancelled before the parent, so they run first.
    assertEquals(List.of("sibling finally", "body got CancelledError"), log);
    assertTrue(sibling[0].isCancelled());
  }

  @Test
  void failuresComeInTheOrderTheTasksFinishedWhenManyFinishInOnePass() {
    // The group's done callback is queued as itself, and keeps the tasks done and not yet run in a
    // ring of 8: five successes move the ring's start, then ten tasks fail in one pass, in the reverse
    // of their creation order, so the ring wraps, then grows while full. The failures must keep the
    // order the tasks finished in.
    List<RuntimeException> failures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      failures.add(new RuntimeException("f" + i));
    }
    List<Promise<Void>> gates = new ArrayList<>();
    TaskGroupException e =
        assertThrows(
            TaskGroupException.class,
            () ->
                Aio.runVirtual(
                    Script.of(
                        p ->
                            with(
                                g -> {
                                  for (int i = 0; i < 5; i++) {
                                    g.createTask(Script.of(q -> "ok"));
                                  }
                                  for (int i = 0; i < 10; i++) {
                                    Promise<Void> gate = Aio.createPromise();
                                    gates.add(gate);
                                    RuntimeException failure = failures.get(i);
                                    g.createTask(
                                        Script.of(
                                            q -> gate,
                                            q -> {
                                              throw failure;
                                            }));
                                  }
                                  return Script.of(
                                      q -> Aio.sleep(0),
                                      q -> {
                                        for (int i = 9; i >= 0; i--) {
                                          gates.get(i).complete(null);
                                        }
                                        return Aio.sleep(0);
                                      });
                                }))));
    List<RuntimeException> reversed = new ArrayList<>(failures);
    java.util.Collections.reverse(reversed);
    assertEquals(reversed, e.exceptions());
  }

  @Test
  void aTaskFailingWhileTheGroupWaitsCancelsTheOthers() {
    List<String> log = new ArrayList<>();
    RuntimeException boom = new RuntimeException("late boom");
    TaskGroupException e =
        assertThrows(
            TaskGroupException.class,
            () ->
                Aio.runVirtual(
                    Script.of(
                        p ->
                            with(
                                g -> {
                                  g.createTask(failer(2, boom));
                                  g.createTask(sleeper(log, "other", 10));
                                  return Script.of(q -> Aio.sleep(Duration.ofSeconds(1)));
                                }))));
    assertEquals(List.of(boom), e.exceptions());
    assertEquals(List.of("other finally"), log);
  }

  @Test
  void theLastTaskFailingWhileTheGroupWaitsLeavesNoCancellationBehind() {
    RuntimeException boom = new RuntimeException("last one fails");
    String r =
        Aio.runVirtual(
            Script.<String>of(
                    p ->
                        with(
                            g -> {
                              g.createTask(failer(1, boom));
                              return Script.of(q -> null);
                            }))
                .onError(
                    once(
                        e -> {
                          assertEquals(
                              List.of(boom),
                              assertInstanceOf(TaskGroupException.class, e).exceptions());
                          // The group's cancellation of the parent arrived after the last task was
                          // done; it was taken back, so the next await is not cancelled.
                          assertEquals(0, Aio.currentTask().cancelling());
                          return Aio.sleep(Duration.ofSeconds(1), "not cancelled");
                        })));
    assertEquals("not cancelled", r);
  }

  @Test
  void theBodyMayCatchTheGroupsCancellationAndEndNormally() {
    RuntimeException boom = new RuntimeException("boom");
    List<String> log = new ArrayList<>();
    TaskGroupException e =
        assertThrows(
            TaskGroupException.class,
            () ->
                Aio.runVirtual(
                    with(
                        g -> {
                          g.createTask(failer(1, boom));
                          return Script.of(q -> Aio.sleep(Duration.ofSeconds(5)))
                              .onError(
                                  err -> {
                                    log.add("caught " + err.getClass().getSimpleName());
                                    return null;
                                  });
                        })));
    assertEquals(List.of(boom), e.exceptions());
    assertEquals(List.of("caught CancelledError"), log);
  }

  @Test
  void severalFailuresAreAggregatedInTheOrderTheyHappened() {
    RuntimeException first = new RuntimeException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    IllegalStateException third = new IllegalStateException("third, while cancelled");
    TaskGroupException e =
        assertThrows(
            TaskGroupException.class,
            () ->
                Aio.runVirtual(
                    with(
                        g -> {
                          // Created first, fails last: while handling its cancellation.
                          g.createTask(
                              Script.of(q -> Aio.sleep(Duration.ofSeconds(50)))
                                  .onError(
                                      err -> {
                                        assertInstanceOf(CancelledError.class, err);
                                        throw third;
                                      }));
                          g.createTask(failer(1, first));
                          g.createTask(failer(1, second));
                          return Script.of(q -> Aio.sleep(Duration.ofSeconds(100)));
                        })));
    assertEquals(List.of(first, second, third), e.exceptions());
    Throwable[] suppressed = e.getSuppressed();
    assertArrayEquals(
        new Throwable[] {first, second, third}, java.util.Arrays.copyOf(suppressed, 3));
    // Then the body's CancelledError, which the group exception replaced.
    assertEquals(4, suppressed.length);
    assertInstanceOf(CancelledError.class, suppressed[3]);
    assertTrue(e.getMessage().contains("3 sub-exceptions"), e.getMessage());
    assertTrue(
        e.getMessage().indexOf("first") < e.getMessage().indexOf("second")
            && e.getMessage().indexOf("second") < e.getMessage().indexOf("third"),
        e.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> e.exceptions().add(first));
  }

  @Test
  void aFailingBodyCancelsTheTasksAndStaysTheExceptionThrown() {
    List<String> log = new ArrayList<>();
    IllegalArgumentException bodyError = new IllegalArgumentException("body");
    Task<?>[] child = new Task<?>[2];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Aio.runVirtual(
                    Script.of(
                        p ->
                            with(
                                g -> {
                                  child[0] = g.createTask(sleeper(log, "a", 10));
                                  child[1] = g.createTask(sleeper(log, "b", 20));
                                  return Script.of(
                                      q -> Aio.sleep(Duration.ofSeconds(1)),
                                      q -> {
                                        throw bodyError;
                                      });
                                }))));
    assertSame(bodyError, e);
    assertEquals(0, e.getSuppressed().length);
    assertEquals(List.of("a finally", "b finally"), log);
    assertTrue(child[0].isCancelled());
    assertTrue(child[1].isCancelled());
  }

  @Test
  void aFailingBodyKeepsTheTasksFailuresSuppressed() {
    IllegalArgumentException bodyError = new IllegalArgumentException("body");
    IllegalStateException cleanupError = new IllegalStateException("cleanup");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Aio.runVirtual(
                    with(
                        g -> {
                          g.createTask(
                              Script.of(q -> Aio.sleep(Duration.ofSeconds(10)))
                                  .onError(
                                      err -> {
                                        throw cleanupError;
                                      }));
                          return Script.of(
                              q -> Aio.sleep(Duration.ofSeconds(1)),
                              q -> {
                                throw bodyError;
                              });
                        })));
    assertSame(bodyError, e);
    assertEquals(1, e.getSuppressed().length);
    TaskGroupException tge = assertInstanceOf(TaskGroupException.class, e.getSuppressed()[0]);
    assertEquals(List.of(cleanupError), tge.exceptions());
  }

  @Test
  void anExternalCancelWhileTheGroupWaitsCancelsTheTasksThenPropagatesWhenTheyAreDone() {
    List<String> log = new ArrayList<>();
    Task<?>[] parent = new Task<?>[1];
    Task<?>[] child = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              parent[0] =
                  Aio.createTask(
                      Script.of(
                              q ->
                                  with(
                                      g -> {
                                        child[0] =
                                            g.createTask(
                                                Script.of(r -> Aio.sleep(Duration.ofSeconds(10)))
                                                    .onError(once(
                                                        err -> {
                                                          log.add("child cancelled at " + now());
                                                          // Cleanup that takes time.
                                                          return Script.of(
                                                              r -> Aio.sleep(Duration.ofSeconds(2)),
                                                              r -> {
                                                                log.add("child cleaned at " + now());
                                                                throw err;
                                                              });
                                                        })));
                                        // The body ends at once: the group waits for the child.
                                        return Script.of(r -> null);
                                      }),
                              q -> log.add("not reached"))
                          .onFinally(() -> log.add("parent ends at " + now())));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              assertTrue(parent[0].cancel("stop"));
              return Script.of(q -> parent[0]).onError(e -> e);
            },
            p -> {
              CancelledError ce = assertInstanceOf(CancelledError.class, p);
              assertEquals("stop", ce.getMessage());
              return null;
            }));
    assertTrue(parent[0].isCancelled());
    assertTrue(child[0].isCancelled());
    assertEquals(List.of("child cancelled at 1.0", "child cleaned at 3.0", "parent ends at 3.0"), log);
  }

  @Test
  void anExternalCancelOfTheBodyCancelsTheTasksAndPropagates() {
    List<String> log = new ArrayList<>();
    Task<?>[] parent = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              parent[0] =
                  Aio.createTask(
                      with(
                          g -> {
                            g.createTask(sleeper(log, "child", 10));
                            return Script.of(r -> Aio.sleep(Duration.ofSeconds(10)));
                          }));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              parent[0].cancel();
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertTrue(parent[0].isCancelled());
    assertEquals(List.of("child finally"), log);
  }

  @Test
  void anExternalCancelLosesToTaskFailuresButIsReArmedForTheNextAwait() {
    List<String> log = new ArrayList<>();
    IllegalStateException cleanupError = new IllegalStateException("cleanup");
    Task<?>[] parent = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              parent[0] =
                  Aio.createTask(
                      Script.of(
                              q ->
                                  with(
                                      g -> {
                                        g.createTask(
                                            Script.of(r -> Aio.sleep(Duration.ofSeconds(10)))
                                                .onError(
                                                    err -> {
                                                      throw cleanupError;
                                                    }));
                                        return Script.of(r -> null);
                                      }),
                              q -> log.add("not reached"))
                          .onError(once(
                              e -> {
                                TaskGroupException tge =
                                    assertInstanceOf(TaskGroupException.class, e);
                                assertEquals(List.of(cleanupError), tge.exceptions());
                                // The outside request is still pending, and delivered at the next
                                // await.
                                assertEquals(1, Aio.currentTask().cancelling());
                                log.add("caught the group exception");
                                return Script.of(r -> Aio.sleep(Duration.ofSeconds(5)))
                                    .onError(
                                        err -> {
                                          log.add("next await: " + err.getClass().getSimpleName() + " at " + now());
                                          throw err;
                                        });
                              })));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              parent[0].cancel();
              return Script.of(q -> parent[0]).onError(e -> e);
            },
            p -> {
              assertInstanceOf(CancelledError.class, p);
              assertEquals(1.0, now());
              return null;
            }));
    assertTrue(parent[0].isCancelled());
    assertEquals(List.of("caught the group exception", "next await: CancelledError at 1.0"), log);
  }

  @Test
  void anExternalCancelWhileAFailedBodyWaitsIsReArmedForTheNextAwait() {
    List<String> log = new ArrayList<>();
    IllegalArgumentException bodyError = new IllegalArgumentException("body");
    Task<?>[] parent = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              parent[0] =
                  Aio.createTask(
                      Script.of(
                              q ->
                                  with(
                                      g -> {
                                        // Cancelled at t=0.5, its cleanup takes until t=2.5.
                                        g.createTask(
                                            Script.of(r -> Aio.sleep(Duration.ofSeconds(10)))
                                                .onError(
                                                    once(
                                                        err ->
                                                            Script.of(
                                                                r -> Aio.sleep(Duration.ofSeconds(2)),
                                                                r -> {
                                                                  throw err;
                                                                }))));
                                        return Script.of(
                                            r -> Aio.sleep(Duration.ofMillis(500)),
                                            r -> {
                                              throw bodyError;
                                            });
                                      }))
                          .onError(
                              once(
                                  e -> {
                                    // The body's exception wins; the cancellation that came while
                                    // the group waited is not lost.
                                    assertSame(bodyError, e);
                                    assertEquals(0, e.getSuppressed().length);
                                    assertEquals(2.5, now());
                                    log.add("caught the body's exception");
                                    return Script.of(r -> Aio.sleep(Duration.ofSeconds(5)))
                                        .onError(
                                            err -> {
                                              log.add(
                                                  "next await: " + err.getClass().getSimpleName()
                                                      + " at " + now());
                                              throw err;
                                            });
                                  })));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              parent[0].cancel();
              return Script.of(q -> parent[0]).onError(e -> e);
            },
            p -> {
              if (p instanceof Throwable t && !(t instanceof CancelledError)) {
                throw t;
              }
              return null;
            }));
    assertTrue(parent[0].isCancelled());
    assertEquals(
        List.of("caught the body's exception", "next await: CancelledError at 2.5"), log);
  }

  @Test
  void anExternalCancelAfterTheGroupCancelledTheParentStaysPending() {
    IllegalStateException boom = new IllegalStateException("boom");
    List<String> log = new ArrayList<>();
    Task<?>[] parent = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              parent[0] =
                  Aio.createTask(
                      Script.of(
                              q ->
                                  with(
                                      g -> {
                                        g.createTask(failer(1, boom));
                                        // A sibling whose cleanup takes until t=4.
                                        g.createTask(
                                            Script.of(r -> Aio.sleep(Duration.ofSeconds(10)))
                                                .onError(once(
                                                    err ->
                                                        Script.of(
                                                            r -> Aio.sleep(Duration.ofSeconds(3)),
                                                            r -> {
                                                              throw err;
                                                            }))));
                                        return Script.of(r -> Aio.sleep(Duration.ofSeconds(100)));
                                      }))
                          .onError(once(
                              e -> {
                                assertEquals(
                                    List.of(boom),
                                    assertInstanceOf(TaskGroupException.class, e).exceptions());
                                assertEquals(4.0, now());
                                // Ours was taken back, the outside one is still pending.
                                assertEquals(1, Aio.currentTask().cancelling());
                                log.add("caught");
                                return Aio.sleep(Duration.ofSeconds(1));
                              })));
              return Aio.sleep(Duration.ofSeconds(2));
            },
            p -> {
              // The group has already cancelled the parent (at t=1); this is a second request.
              assertEquals(1, parent[0].cancelling());
              parent[0].cancel();
              return Script.of(q -> parent[0]).onError(e -> e);
            },
            p -> {
              assertInstanceOf(CancelledError.class, p);
              return null;
            }));
    assertTrue(parent[0].isCancelled());
    assertEquals(List.of("caught"), log);
  }

  @Test
  void nestedGroupsPropagateFailuresOutward() {
    List<String> log = new ArrayList<>();
    RuntimeException boom = new RuntimeException("inner boom");
    TaskGroupException outer =
        assertThrows(
            TaskGroupException.class,
            () ->
                Aio.runVirtual(
                    with(
                        g -> {
                          g.createTask(sleeper(log, "outer sibling", 10));
                          g.createTask(
                              with(
                                  inner -> {
                                    inner.createTask(failer(1, boom));
                                    inner.createTask(sleeper(log, "inner sibling", 10));
                                    return Script.of(r -> Aio.sleep(Duration.ofSeconds(10)));
                                  }));
                          return Script.of(r -> Aio.sleep(Duration.ofSeconds(10)));
                        })));
    assertEquals(1, outer.exceptions().size());
    TaskGroupException inner = assertInstanceOf(TaskGroupException.class, outer.exceptions().get(0));
    assertEquals(List.of(boom), inner.exceptions());
    assertEquals(List.of("inner sibling finally", "outer sibling finally"), log);
  }

  @Test
  void aGroupNestedInTheBodyOfAnotherLeavesNoCancellationBehind() {
    List<String> log = new ArrayList<>();
    RuntimeException boom = new RuntimeException("boom");
    Object r =
        Aio.runVirtual(
            Script.of(
                    p ->
                        with(
                            outer -> {
                              outer.createTask(sleeper(log, "outer child", 10));
                              return Script.of(
                                  q ->
                                      with(
                                          inner -> {
                                            inner.createTask(failer(1, boom));
                                            return Script.of(
                                                s -> Aio.sleep(Duration.ofSeconds(100)));
                                          }));
                            }))
                .onError(
                    e -> {
                      // The inner group's exception fails the outer body, which cancels the outer
                      // group's task; the outer close adds nothing.
                      TaskGroupException tge = assertInstanceOf(TaskGroupException.class, e);
                      assertEquals(List.of(boom), tge.exceptions());
                      assertSame(boom, tge.getSuppressed()[0]);
                      assertInstanceOf(CancelledError.class, tge.getSuppressed()[1]);
                      assertEquals(2, tge.getSuppressed().length);
                      assertEquals(0, Aio.currentTask().cancelling());
                      assertEquals(1.0, now());
                      return Aio.sleep(Duration.ofSeconds(1), "fine");
                    }));
    assertEquals("fine", r);
    assertEquals(List.of("outer child finally"), log);
  }

  @Test
  void createTaskIsRefusedOnceTheGroupIsFinished() {
    List<String> log = new ArrayList<>();
    TaskGroup[] group = new TaskGroup[1];
    Aio.runVirtual(
        Script.of(
            p ->
                with(
                    g -> {
                      group[0] = g;
                      g.createTask(sleeper(log, "a", 1));
                      return Script.of(q -> null);
                    }),
            p -> {
              IllegalStateException e =
                  assertThrows(
                      IllegalStateException.class,
                      () -> group[0].createTask(Script.of(q -> log.add("never runs"))));
              assertTrue(e.getMessage().contains("finished"), e.getMessage());
              assertThrows(IllegalStateException.class, () -> group[0].createTask(Aio.done(1), "x"));
              assertTrue(group[0].toString().contains("finished"), group[0].toString());
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(List.of("a done", "a finally"), log);
  }

  @Test
  void createTaskIsRefusedWhileTheGroupShutsDown() {
    List<String> log = new ArrayList<>();
    RuntimeException boom = new RuntimeException("boom");
    assertThrows(
        TaskGroupException.class,
        () ->
            Aio.runVirtual(
                with(
                    g -> {
                      g.createTask(failer(1, boom));
                      return Script.of(q -> Aio.sleep(Duration.ofSeconds(10)))
                          .onError(
                              err -> {
                                assertTrue(g.toString().contains("cancelling"), g.toString());
                                IllegalStateException e =
                                    assertThrows(
                                        IllegalStateException.class,
                                        () -> g.createTask(Script.of(q -> log.add("never runs"))));
                                assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
                                throw err;
                              });
                    })));
    assertEquals(List.of(), log);
  }

  @Test
  void aTaskThatSwallowsCancellationStillLetsTheGroupFinish() {
    IllegalArgumentException bodyError = new IllegalArgumentException("body");
    Task<?>[] stubborn = new Task<?>[1];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Aio.runVirtual(
                    with(
                        g -> {
                          stubborn[0] =
                              g.createTask(
                                  Script.of(q -> Aio.sleep(Duration.ofSeconds(10), "slept"))
                                      .onError(
                                          err -> {
                                            assertInstanceOf(CancelledError.class, err);
                                            Aio.currentTask().uncancel();
                                            return Aio.sleep(Duration.ofSeconds(2), "ignored");
                                          }));
                          return Script.of(
                              q -> Aio.sleep(Duration.ofSeconds(1)),
                              q -> {
                                throw bodyError;
                              });
                        })));
    assertSame(bodyError, e);
    assertTrue(stubborn[0].isSuccess());
    assertEquals("ignored", stubborn[0].result());
  }

  @Test
  void aTaskThatSwallowsAnExternalCancellationStillLetsTheCancellationPropagate() {
    Task<?>[] parent = new Task<?>[1];
    Task<?>[] stubborn = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              parent[0] =
                  Aio.createTask(
                      with(
                          g -> {
                            stubborn[0] =
                                g.createTask(
                                    Script.of(q -> Aio.sleep(Duration.ofSeconds(10)))
                                        .onError(err -> "ignored"));
                            return Script.of(q -> null);
                          }));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              parent[0].cancel();
              return Script.of(q -> parent[0]).onError(e -> e);
            }));
    assertTrue(parent[0].isCancelled());
    assertEquals("ignored", stubborn[0].result());
  }

  @Test
  void cancelledTasksAreNotFailures() {
    Task<?>[] victim = new Task<?>[1];
    String r =
        Aio.runVirtual(
            Script.of(
                p ->
                    with(
                        g -> {
                          victim[0] = g.createTask(Aio.sleep(Duration.ofSeconds(10)));
                          return Script.of(
                              q -> Aio.sleep(Duration.ofSeconds(1)),
                              q -> {
                                victim[0].cancel();
                                return "body done";
                              });
                        })));
    assertEquals("body done", r);
    assertTrue(victim[0].isCancelled());
  }

  @Test
  void creatingAGroupOutsideATaskSaysWhatToDo() {
    IllegalStateException e = assertThrows(IllegalStateException.class, TaskGroup::new);
    assertTrue(e.getMessage().contains("outside a running task"), e.getMessage());
    // In a plain callback of a running loop there is no task either.
    EventLoop loop = EventLoop.createVirtual();
    List<Throwable> caught = new ArrayList<>();
    loop.callSoon(
        () -> {
          try {
            new TaskGroup();
          } catch (IllegalStateException ex) {
            caught.add(ex);
          }
        });
    loop.runUntilComplete(Aio.sleep(0));
    loop.close();
    assertEquals(1, caught.size());
  }

  @Test
  void closingTwiceOrFromAnotherTaskIsRefused() {
    Aio.runVirtual(
        Script.of(
            p -> {
              TaskGroup g = new TaskGroup();
              Task<Object> other = Aio.createTask(Script.of(q -> g.closeAsync()).onError(e -> e));
              return Script.of(q -> other, q -> {
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, q);
                assertTrue(e.getMessage().contains("must be closed by the task"), e.getMessage());
                return g.closeAsync();
              }, q -> Script.of(s -> g.closeAsync(null)).onError(e -> e), q -> {
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, q);
                assertTrue(e.getMessage().contains("already closed"), e.getMessage());
                return null;
              });
            }));
  }

  @Test
  void aTaskFailingAfterItsParentEndedIsReportedToTheLoop() {
    // Misuse: the group is never closed, so its parent may end first.
    List<String> reported = new ArrayList<>();
    RuntimeException boom = new RuntimeException("orphan");
    EventLoop loop = EventLoop.createVirtual();
    loop.setExceptionHandler(
        (message, exception) -> reported.add((exception == boom ? "boom: " : "other: ") + message));
    Task<?>[] child = new Task<?>[1];
    loop.runUntilComplete(
        Script.of(
            p -> {
              child[0] = new TaskGroup().createTask(failer(1, boom));
              return "parent done";
            }));
    loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(2)));
    loop.close();
    assertEquals(1, reported.size(), reported.toString());
    assertTrue(reported.get(0).startsWith("boom: "), reported.get(0));
    assertTrue(reported.get(0).contains("already done"), reported.get(0));
    assertSame(boom, child[0].exception());
  }

  @Test
  void closingAGroupWhoseTasksAreDoneDoesNotSuspend() {
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              TaskGroup g = new TaskGroup();
              assertEquals("TaskGroup[tasks=0]", g.toString());
              Aio.loop().callSoon(() -> log.add("next pass"));
              return g.closeAsync(null);
            },
            p -> log.add("closed"),
            p -> Aio.sleep(0)));
    // The close finished inline, before the loop's next pass.
    assertEquals(List.of("closed", "next pass"), log);
  }
}
