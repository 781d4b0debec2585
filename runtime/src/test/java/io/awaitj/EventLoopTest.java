package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The loop itself: FIFO order, timers, the cross-thread inbox, virtual time, errors. */
class EventLoopTest {

  @Test
  void readyCallbacksRunInFifoOrderAndOnlyThoseReadyWhenThePassBegan() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    loop.callSoon(() -> {
      log.add("a");
      loop.callSoon(() -> log.add("c (next pass)"));
    });
    loop.callSoon(() -> log.add("b"));
    loop.runOnce();
    assertEquals(List.of("a", "b"), log);
    loop.runOnce();
    assertEquals(List.of("a", "b", "c (next pass)"), log);
    loop.close();
  }

  /**
   * Every kind of element of the ready queue, interleaved: a task's step (created, then woken by the
   * promise it awaits), {@code callSoon} handles, {@code Consumer} done callbacks, a due timer and
   * {@code callSoonThreadsafe} handles submitted from another thread. Each pass runs them in exactly
   * the order they became ready: the local ones in scheduling order, then the inbox (taken at the
   * start of the pass), then the due timers; a promise's callbacks in the order they were added, a
   * woken task among them.
   */
  @Test
  void theReadyQueueRunsEveryKindOfItemInTheOrderItBecameReady() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    Promise<String> second = loop.createPromise();
    submitFromAnotherThread(loop, () -> log.add("threadsafe 1"));
    loop.callSoon(() -> log.add("handle 1"));
    loop.callLater(Duration.ZERO, () -> log.add("timer 1"));
    Task<Object> task =
        loop.createTask(
            Script.of(
                p -> {
                  log.add("task step 1");
                  return second;
                },
                v -> log.add("task step 2 (" + v + ")")));
    Promise<String> first = loop.createPromise();
    first.addDoneCallback(
        p -> {
          log.add("done callback 1");
          // Added after the task's wake-up: runs after the task's step.
          second.addDoneCallback(q -> log.add("done callback 2"));
          submitFromAnotherThread(loop, () -> log.add("threadsafe 2"));
        });
    first.complete("first");
    loop.callSoon(
        () -> {
          log.add("handle 2");
          second.complete("second");
          loop.callSoon(() -> log.add("handle 3"));
        });

    loop.runOnce();
    assertEquals(
        List.of(
            "handle 1", "task step 1", "done callback 1", "handle 2", "threadsafe 1", "timer 1"),
        log);
    log.clear();
    loop.runOnce();
    assertEquals(
        List.of("task step 2 (second)", "done callback 2", "handle 3", "threadsafe 2"), log);
    assertTrue(task.isDone());
    loop.close();
  }

  /** Submits {@code callback} through {@code callSoonThreadsafe} from another thread, and waits. */
  private static void submitFromAnotherThread(EventLoop loop, Runnable callback) {
    try {
      assertNull(ThreadingRulesTest.onAnotherThread(() -> loop.callSoonThreadsafe(callback)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for the other thread", e);
    }
  }

  @Test
  void cancelledHandlesDoNotRun() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    Handle h = loop.callSoon(() -> log.add("no"));
    loop.callSoon(() -> log.add("yes"));
    h.cancel();
    assertTrue(h.isCancelled());
    loop.runOnce();
    assertEquals(List.of("yes"), log);
    loop.close();
  }

  @Test
  void timersRunByDeadlineThenBySchedulingOrder() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    loop.callLater(Duration.ofSeconds(3), () -> log.add("3s"));
    loop.callLater(Duration.ofSeconds(1), () -> log.add("1s-first"));
    TimerHandle cancelled = loop.callLater(Duration.ofSeconds(2), () -> log.add("2s"));
    loop.callLater(Duration.ofSeconds(1), () -> log.add("1s-second"));
    loop.callLater(Duration.ofSeconds(5), loop::stop);
    cancelled.cancel();
    assertEquals(4, loop.timerCount());
    loop.runForever();
    assertEquals(List.of("1s-first", "1s-second", "3s"), log);
    assertEquals(5.0, loop.time(), 1e-9);
    loop.close();
  }

  @Test
  void manyTimersComeOutSorted() {
    EventLoop loop = EventLoop.createVirtual();
    List<Long> fired = new ArrayList<>();
    java.util.Random rnd = new java.util.Random(7);
    List<TimerHandle> handles = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      long ms = rnd.nextInt(500);
      handles.add(loop.callLater(Duration.ofMillis(ms), () -> fired.add(loop.nanoTime())));
    }
    for (int i = 0; i < handles.size(); i += 3) {
      handles.get(i).cancel();
    }
    loop.callLater(Duration.ofSeconds(1), loop::stop);
    loop.runForever();
    assertEquals(2000 - 667, fired.size());
    for (int i = 1; i < fired.size(); i++) {
      assertTrue(fired.get(i - 1) <= fired.get(i));
    }
    assertEquals(0, loop.timerCount());
    loop.close();
  }

  @Test
  void virtualTimeMakesAnHourOfSleepInstant() {
    long t0 = System.nanoTime();
    double loopTime =
        Aio.runVirtual(
            Script.of(p -> Aio.sleep(Duration.ofHours(1)), p -> Aio.loop().time()));
    assertEquals(3600.0, loopTime, 1e-9);
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos());
  }

  @Test
  void callSoonThreadsafeWakesASleepingRealLoop() {
    EventLoop loop = EventLoop.create();
    Promise<String> p = loop.createPromise();
    Thread other =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                return;
              }
              loop.callSoonThreadsafe(() -> p.complete("from another thread"));
            });
    other.start();
    assertEquals("from another thread", loop.runUntilComplete(p));
    loop.close();
  }

  @Test
  void awaitingACompletionStageResumesOnTheLoopThread() {
    CompletableFuture<String> f = new CompletableFuture<>();
    AtomicReference<Thread> resumedOn = new AtomicReference<>();
    Thread completer = new Thread(() -> f.complete("cf"));
    String r =
        Aio.run(
            new Coroutine<String>() {
              @Override
              protected Object step() {
                switch (state) {
                  case 0:
                    state = 1;
                    completer.start();
                    if (suspendOn(f)) {
                      return SUSPEND;
                    }
                    // fall through
                  case 1:
                    resumedOn.set(Thread.currentThread());
                    return this.<String>awaitResult();
                  default:
                    throw illegalState();
                }
              }
            });
    assertEquals("cf", r);
    assertEquals(Thread.currentThread(), resumedOn.get());
  }

  @Test
  void aFailedCompletionStageRethrowsItsCause() {
    CompletableFuture<String> f = CompletableFuture.failedFuture(new java.io.IOException("io"));
    java.io.IOException e =
        assertThrows(
            java.io.IOException.class,
            () ->
                Aio.run(
                    new Coroutine<String>() {
                      @Override
                      protected Object step() {
                        if (state == 0) {
                          state = 1;
                          if (suspendOn(f)) {
                            return SUSPEND;
                          }
                        }
                        return this.<String>awaitResult();
                      }
                    }));
    assertEquals("io", e.getMessage());
  }

  @Test
  void aVirtualLoopWithNothingLeftToDoReportsADeadlock() {
    EventLoop loop = EventLoop.createVirtual();
    Promise<Void> never = loop.createPromise();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(never));
    assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
    loop.close();
  }

  @Test
  void loopMethodsBelongToTheLoopThread() throws Exception {
    EventLoop loop = EventLoop.createVirtual();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        loop.callSoon(() -> {});
      } catch (Throwable e) {
        error.set(e);
      }
    });
    t.start();
    t.join();
    assertTrue(error.get() instanceof IllegalStateException);
    assertTrue(error.get().getMessage().contains("callSoonThreadsafe"));
    loop.close();
  }

  @Test
  void callbackExceptionsGoToTheExceptionHandlerAndTheLoopGoesOn() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> reports = new ArrayList<>();
    loop.setExceptionHandler((msg, e) -> reports.add(e.getMessage()));
    List<String> log = new ArrayList<>();
    loop.callSoon(() -> {
      throw new RuntimeException("bad callback");
    });
    loop.callSoon(() -> log.add("after"));
    loop.runOnce();
    assertEquals(List.of("bad callback"), reports);
    assertEquals(List.of("after"), log);
    loop.close();
  }

  /** The exception handler's message says which element of the ready queue failed. */
  @Test
  void aFailingCallbackIsReportedAsWhatItIs() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> messages = new ArrayList<>();
    loop.setExceptionHandler((msg, e) -> messages.add(msg + " / " + e.getMessage()));
    Runnable handleCallback =
        new Runnable() {
          @Override
          public void run() {
            throw new RuntimeException("bad handle");
          }

          @Override
          public String toString() {
            return "the handle's callback";
          }
        };
    java.util.function.Consumer<Promise<String>> doneCallback =
        new java.util.function.Consumer<>() {
          @Override
          public void accept(Promise<String> p) {
            throw new RuntimeException("bad done callback");
          }

          @Override
          public String toString() {
            return "the done callback";
          }
        };
    loop.callSoon(handleCallback);
    Promise<String> p = loop.createPromise();
    p.addDoneCallback(doneCallback);
    p.complete("value");
    loop.runOnce();
    assertEquals(
        List.of(
            "exception in callback Handle[the handle's callback] / bad handle",
            "exception in callback DoneCallback[the done callback of " + p + "] / bad done callback"),
        messages);
    assertTrue(p.toString().contains("result=value"), p.toString());
    loop.close();
  }

  @Test
  void runRefusesToNestAndAClosedLoopRefusesWork() {
    IllegalStateException nested =
        assertThrows(
            IllegalStateException.class,
            () -> Aio.runVirtual(Script.of(p -> Aio.run(Aio.done(1)))));
    assertTrue(nested.getMessage().contains("running event loop"));
    EventLoop loop = EventLoop.createVirtual();
    loop.close();
    assertTrue(loop.isClosed());
    assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> {}));
    assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> {}));
    assertFalse(loop.isRunning());
  }

  @Test
  void noTaskStaysRegisteredAfterItFinishes() {
    EventLoop loop = EventLoop.createVirtual();
    for (int i = 0; i < 100; i++) {
      loop.createTask(Aio.sleep(Duration.ofMillis(i)));
    }
    assertEquals(100, loop.allTasks().size());
    loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(1)));
    assertEquals(0, loop.allTasks().size());
    assertEquals(0, loop.timerCount());
    loop.close();
  }

  /** Runs {@code body} in a thread of its own, interrupted once {@code armed} is set; its outcome. */
  private static Object[] runInterrupted(java.util.function.Function<Runnable, Object> body)
      throws InterruptedException {
    Object[] outcome = new Object[2]; // the result or exception, then the interrupt status after
    Thread[] runner = new Thread[1];
    Runnable arm =
        () -> {
          Thread target = runner[0];
          Thread t = new Thread(() -> {
            try {
              Thread.sleep(100);
            } catch (InterruptedException e) {
              return;
            }
            target.interrupt();
          });
          t.setDaemon(true);
          t.start();
        };
    runner[0] = new Thread(() -> {
      try {
        outcome[0] = body.apply(arm);
      } catch (Throwable e) {
        outcome[0] = e;
      }
      outcome[1] = Thread.interrupted();
    });
    runner[0].setDaemon(true); // a loop that spins on the interrupt would never end
    runner[0].start();
    runner[0].join(60_000);
    assertFalse(runner[0].isAlive(), "the loop did not stop after the interrupt: " + outcome[0]);
    return outcome;
  }

  @Test
  void interruptingTheThreadThatRunsTheLoopCancelsItsMainTask() throws Exception {
    List<String> log = new ArrayList<>();
    Object[] outcome =
        runInterrupted(
            arm ->
                Aio.run(
                    Script.of(
                        p -> {
                          Task<?> main = Aio.currentTask();
                          main.addDoneCallback(t -> log.add("main cancelled: " + t.isCancelled()));
                          arm.run();
                          return Aio.createPromise(); // never completes
                        })));
    assertTrue(outcome[0] instanceof CancelledError, String.valueOf(outcome[0]));
    assertEquals("the thread running the event loop was interrupted",
        ((CancelledError) outcome[0]).getMessage());
    assertEquals(List.of("main cancelled: true"), log);
    assertEquals(true, outcome[1], "the interrupt status is set again when the run returns");
  }

  @Test
  void interruptingTheThreadThatRunsTheLoopForeverStopsIt() throws Exception {
    Object[] outcome =
        runInterrupted(
            arm -> {
              EventLoop loop = EventLoop.create();
              loop.callSoon(arm);
              loop.callLater(Duration.ofHours(1), () -> {});
              loop.runForever();
              loop.close();
              return "returned";
            });
    assertEquals("returned", outcome[0]);
    assertEquals(true, outcome[1], "the interrupt status is set again when the run returns");
  }
}
