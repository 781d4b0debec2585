package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The virtual clock: what holds it still, what it jumps to, and its end. */
class VirtualClockTest {
  /** A guard against hanging forever when a test fails; nothing is asserted about how long it takes. */
  private static final long HANG_GUARD_SECONDS = 30;

  /** Runs {@code body} on a daemon thread; fails if it has not returned after the guard. */
  static <T> T withHangGuard(Supplier<T> body) throws InterruptedException {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                outcome.set(new Object[] {body.get()});
              } catch (Throwable e) {
                outcome.set(e);
              }
            });
    t.setDaemon(true); // a loop stuck for good must not keep the JVM alive
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    assertFalse(t.isAlive(), "still running after " + HANG_GUARD_SECONDS + " s: it hangs");
    Object o = outcome.get();
    if (o instanceof Throwable e) {
      throw Promise.sneakyThrow(e);
    }
    @SuppressWarnings("unchecked")
    T value = (T) ((Object[]) o)[0];
    return value;
  }

  /** A coroutine that awaits {@code stage}, as {@code await(stage)} in an @Async body does. */
  static <T> Coroutine<T> awaiting(CompletionStage<T> stage) {
    return new Coroutine<T>() {
      @Override
      protected Object step() {
        switch (state) {
          case 0:
            state = 1;
            if (suspendOn(stage)) {
              return SUSPEND;
            }
            // fall through
          case 1:
            return awaitResult();
          default:
            throw illegalState();
        }
      }
    };
  }

  // -----------------------------------------------------------------------------------------------
  // Issue 10: an awaited CompletionStage that never completes does not hold the virtual clock.

  @Test
  void waitForOnAStageThatNeverCompletesTimesOutInVirtualTime() throws InterruptedException {
    CompletableFuture<String> never = new CompletableFuture<>();
    Object r =
        withHangGuard(
            () -> {
              EventLoop loop = EventLoop.createVirtual();
              try {
                return loop.runUntilComplete(
                    Script.<Object>of(p -> Aio.waitFor(awaiting(never), Duration.ofSeconds(5)))
                        .onError(e -> e.getClass().getSimpleName() + "@" + loop.time()));
              } finally {
                loop.close();
              }
            });
    assertEquals("AsyncTimeoutException@5.0", r);
    assertTrue(never.isCancelled(), "the timeout cancels what it waited on");
  }

  @Test
  void aStageCompletedOnAnotherThreadBeforeTheJumpIsTakenFirst() throws Exception {
    EventLoop loop = EventLoop.createVirtual();
    CompletableFuture<String> stage = new CompletableFuture<>();
    List<String> log = new ArrayList<>();
    String r =
        loop.runUntilComplete(
            Script.of(
                p -> {
                  // The stage completes on another thread while this task still runs: its
                  // completion is in the inbox before the loop next looks for a timer.
                  Thread t = new Thread(() -> stage.complete("from outside"));
                  t.start();
                  t.join();
                  Aio.createTask(Script.of(q -> Aio.sleep(Duration.ofHours(1)), q -> log.add("slept")));
                  return Aio.waitFor(awaiting(stage), Duration.ofMinutes(1));
                },
                p -> p + "@" + loop.time()));
    assertEquals("from outside@0.0", r);
    assertEquals(List.of(), log);
    loop.close();
  }

  @Test
  void workTheLoopRunsOnAnotherThreadStillHoldsTheClock() {
    // The neighbour of the rule above, which keeps its old behaviour: toThread takes no virtual time.
    String r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Aio.createTask(Aio.sleep(Duration.ofHours(1)));
                  return Aio.waitFor(
                      Aio.toThread(
                          () -> {
                            Thread.sleep(50);
                            return "worked";
                          }),
                      Duration.ofSeconds(1));
                },
                p -> p + "@" + Aio.loop().time()));
    assertEquals("worked@0.0", r);
  }

  @Test
  void withNoTimerSetTheLoopWaitsForTheStageForReal() throws Exception {
    CompletableFuture<String> stage = new CompletableFuture<>();
    Thread completer =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              stage.complete("late");
            });
    completer.start();
    assertEquals("late", Aio.runVirtual(awaiting(stage)));
    completer.join();
  }

  // -----------------------------------------------------------------------------------------------
  // Issue 11: the end of the clock.

  /** A task sleeping {@code d}, logging its name and the clock when it wakes. */
  static Task<Object> sleeper(EventLoop loop, String name, Duration d, List<String> log) {
    return loop.createTask(Script.of(p -> Aio.sleep(d), p -> log.add(name + "@" + loop.nanoTime())));
  }

  @Test
  void aSleepPastTheEndOfTheClockNeverEndsAndLeavesTheClockUsable() {
    EventLoop loop = EventLoop.createVirtual();
    Duration threeCenturies = Duration.ofDays(300L * 365);
    Task<Void> forever = loop.createTask(Aio.sleep(threeCenturies));
    IllegalStateException deadlock =
        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(forever));
    assertTrue(deadlock.getMessage().startsWith("deadlock"), deadlock.getMessage());
    assertEquals(0, loop.nanoTime(), "the clock jumped to a deadline it can never reach");
    assertFalse(forever.isDone());

    // Sleeps and timeouts after it still work, by length, and the timeout fires.
    List<String> log = new ArrayList<>();
    sleeper(loop, "3s", Duration.ofSeconds(3), log);
    sleeper(loop, "1s", Duration.ofSeconds(1), log);
    sleeper(loop, "2s", Duration.ofSeconds(2), log);
    Promise<String> never = loop.createPromise();
    Object r =
        loop.runUntilComplete(
            Script.of(p -> Aio.waitFor(never, Duration.ofSeconds(5))).onError(e -> e));
    assertTrue(r instanceof AsyncTimeoutException, String.valueOf(r));
    assertEquals(List.of("1s@1000000000", "2s@2000000000", "3s@3000000000"), log);
    assertEquals(5_000_000_000L, loop.nanoTime());
    loop.close();
    assertTrue(forever.isCancelled());
  }

  @Test
  void theLastInstantOfTheClockIsReachedAndTheNextOneIsNot() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    // From 0, a sleep of Long.MAX_VALUE - 1 ns ends at the last instant; one of Long.MAX_VALUE ns
    // would end at the end of the clock, which is never reached.
    Task<Object> last = sleeper(loop, "last", Duration.ofNanos(Long.MAX_VALUE - 1), log);
    Task<Object> end = sleeper(loop, "end", Duration.ofNanos(Long.MAX_VALUE), log);
    loop.runUntilComplete(last);
    assertEquals(Long.MAX_VALUE - 1, loop.nanoTime());
    assertEquals(List.of("last@" + (Long.MAX_VALUE - 1)), log);
    assertFalse(end.isDone());
    // At the last instant, anything later is never: a zero sleep still yields, a timeout never fires.
    Object r =
        loop.runUntilComplete(
            Script.of(
                p -> Aio.sleep(0),
                p -> {
                  Timeout t = Aio.timeout(Duration.ofNanos(1));
                  assertEquals(Timeout.NO_DEADLINE, t.when());
                  t.exit(null);
                  return "yielded";
                }));
    assertEquals("yielded", r);
    assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(end));
    assertEquals(Long.MAX_VALUE - 1, loop.nanoTime());
    loop.close();
  }

  @Test
  void aRealLoopTreatsATimerAtTheEndOfTheClockAsNoTimer() throws Exception {
    EventLoop loop = EventLoop.create();
    TimerHandle never = loop.callAt(Long.MAX_VALUE, () -> {});
    CompletableFuture<String> stage = new CompletableFuture<>();
    Thread completer = new Thread(() -> stage.complete("woken"));
    completer.start();
    assertEquals("woken", loop.runUntilComplete(awaiting(stage)));
    completer.join();
    assertFalse(never.isCancelled());
    loop.close();
  }
}
