package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which thread may call what: every method either works from any thread or fails fast, before it
 * changes anything, with a message that says what to do instead.
 */
class ThreadingRulesTest {

  /** Runs {@code action} on a new thread and returns what it threw, or {@code null}. */
  static Throwable onAnotherThread(Runnable action) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (Throwable e) {
                thrown.set(e);
              }
            },
            "not-the-loop");
    t.start();
    t.join();
    return thrown.get();
  }

  // -----------------------------------------------------------------------------------------------
  // runUntilComplete checks before it wraps the coroutine.

  @Test
  void runUntilCompleteInsideARunningLoopLeavesTheCoroutineUnusedAndTheOtherLoopClean() {
    EventLoop other = EventLoop.createVirtual();
    Coroutine<Integer> c = Aio.done(42);
    IllegalStateException e =
        Aio.runVirtual(
            Script.of(
                p -> assertThrows(IllegalStateException.class, () -> other.runUntilComplete(c))));
    assertTrue(e.getMessage().contains("another loop is running in this thread"), e.getMessage());
    assertFalse(c.isStarted(), "the refused call used the coroutine up");
    assertEquals(List.of(), other.allTasks());
    other.close(); // nothing left to cancel: no misleading "cannot run" from close()
    assertTrue(other.isClosed());

    // The coroutine is still good for a run of its own.
    EventLoop third = EventLoop.createVirtual();
    assertEquals(42, third.runUntilComplete(c));
    third.close();
  }

  @Test
  void runUntilCompleteOnAClosedLoopLeavesTheCoroutineUnused() {
    EventLoop loop = EventLoop.createVirtual();
    loop.close();
    Coroutine<Integer> c = Aio.done(1);
    assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(c));
    assertFalse(c.isStarted());
  }

  @Test
  void closingALoopWithTasksFromInsideAnotherRunningLoopSaysWhy() {
    EventLoop other = EventLoop.createVirtual();
    Task<Void> parked = other.createTask(Aio.sleep(java.time.Duration.ofHours(1)));
    IllegalStateException e =
        Aio.runVirtual(Script.of(p -> assertThrows(IllegalStateException.class, other::close)));
    assertTrue(e.getMessage().startsWith("cannot close an event loop while another loop"), e.getMessage());
    other.close();
    assertTrue(parked.isCancelled());
  }

  @Test
  void aPromiseOfAnotherLoopIsRefusedInsteadOfWaitedForForever() {
    EventLoop a = EventLoop.createVirtual();
    EventLoop b = EventLoop.createVirtual();
    Promise<String> ofA = a.createPromise();
    a.callSoon(() -> ofA.complete("a"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.runUntilComplete(ofA));
    assertTrue(e.getMessage().contains("another event loop"), e.getMessage());
    assertFalse(b.isRunning());
    assertEquals("a", a.runUntilComplete(ofA));
    a.close();
    b.close();
  }

  @Test
  void aLoopNotRunningMayBeRunByAnotherThreadWhichThenOwnsIt() throws InterruptedException {
    EventLoop loop = EventLoop.createVirtual();
    AtomicReference<Object> result = new AtomicReference<>();
    Throwable thrown =
        onAnotherThread(
            () ->
                result.set(
                    loop.runUntilComplete(
                        Script.of(p -> Thread.currentThread().getName()))));
    assertEquals(null, thrown);
    assertEquals("not-the-loop", result.get());
    // Now the other thread is the loop's: this one is refused, with the way out.
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> {}));
    assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    assertSame(null, EventLoop.runningOrNull());
    loop.close();
  }

  // -----------------------------------------------------------------------------------------------
  // The bridge for code outside the loop works from any thread.

  /** A guard against hanging forever when a test fails; nothing is asserted about how long it takes. */
  private static final long HANG_GUARD_SECONDS = 30;

  /** Starts {@code loop.runForever()} on a new daemon thread and waits until the loop sleeps. */
  static Thread runForeverAndWaitUntilAsleep(EventLoop loop) throws Exception {
    Thread t = new Thread(loop::runForever, "loop-thread");
    t.setDaemon(true); // if a test fails, a loop stuck in its selector must not keep the JVM alive
    t.start();
    Field f = EventLoop.class.getDeclaredField("awake");
    f.setAccessible(true);
    AtomicBoolean awake = (AtomicBoolean) f.get(loop);
    while (awake.get() || !loop.isRunning()) {
      Thread.sleep(1);
    }
    return t;
  }

  static void stopAndJoin(EventLoop loop, Thread t) throws InterruptedException {
    loop.stop();
    t.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    assertFalse(t.isAlive(), "the loop did not stop");
    loop.close();
  }

  @Test
  void toCompletableFutureOfADonePromiseFromAnotherThreadWakesTheSleepingLoop() throws Exception {
    EventLoop loop = EventLoop.create();
    Promise<String> done = loop.createPromise();
    done.complete("done");
    Thread loopThread = runForeverAndWaitUntilAsleep(loop);
    // The loop sleeps with nothing to do; the registration must wake it, not sit in its ready queue.
    CompletableFuture<String> f = done.toCompletableFuture();
    assertEquals("done", f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    stopAndJoin(loop, loopThread);
  }

  @Test
  void stopFromAnotherThreadWakesTheSleepingLoop() throws Exception {
    EventLoop loop = EventLoop.create();
    Thread loopThread = runForeverAndWaitUntilAsleep(loop);
    stopAndJoin(loop, loopThread);
  }

  @Test
  void toCompletableFutureFromAnotherThreadFollowsAPromiseThatCompletesLater() throws Exception {
    EventLoop loop = EventLoop.create();
    Promise<String> later = loop.createPromise();
    Thread loopThread = runForeverAndWaitUntilAsleep(loop);
    CompletableFuture<String> f = later.toCompletableFuture();
    loop.callSoonThreadsafe(() -> later.complete("later"));
    assertEquals("later", f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));

    Promise<String> failing = loop.createPromise();
    CompletableFuture<String> g = failing.toCompletableFuture();
    IllegalStateException boom = new IllegalStateException("boom");
    loop.callSoonThreadsafe(() -> failing.fail(boom));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> g.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    assertSame(boom, e.getCause());

    // Cancelling the future from outside cancels the promise, on the loop.
    Promise<String> cancelled = loop.createPromise();
    CompletableFuture<String> h = cancelled.toCompletableFuture();
    assertTrue(h.cancel(false));
    CompletableFuture<Boolean> seen = new CompletableFuture<>();
    loop.callSoonThreadsafe(() -> seen.complete(cancelled.isCancelled()));
    assertTrue(seen.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    stopAndJoin(loop, loopThread);
  }

  @Test
  void toCompletableFutureOfAClosedLoopSettlesAtOnce() throws Exception {
    EventLoop loop = EventLoop.createVirtual();
    Promise<String> done = loop.createPromise();
    done.complete("v");
    Promise<String> neverCompleted = loop.createPromise();
    loop.close();
    AtomicReference<CompletableFuture<String>> a = new AtomicReference<>();
    AtomicReference<CompletableFuture<String>> b = new AtomicReference<>();
    assertEquals(
        null,
        onAnotherThread(
            () -> {
              a.set(done.toCompletableFuture());
              b.set(neverCompleted.toCompletableFuture());
            }));
    assertEquals("v", a.get().getNow(null));
    ExecutionException e = assertThrows(ExecutionException.class, () -> b.get().get(0, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
    assertTrue(e.getCause().getMessage().contains("closed before it completed"), e.toString());
  }

  @Test
  void whatChangesAPromiseOrReadsItFailsFastFromAnotherThread() throws Exception {
    EventLoop loop = EventLoop.createVirtual();
    Promise<String> p = loop.createPromise();
    Task<Void> t = loop.createTask(Aio.sleep(Duration.ofHours(1)));
    List<Runnable> refused =
        List.of(
            () -> p.addDoneCallback(x -> {}),
            () -> p.removeDoneCallback(x -> {}),
            () -> p.complete("x"),
            () -> p.fail(new RuntimeException()),
            () -> p.cancel(),
            p::result,
            p::exception,
            p::toResult,
            () -> t.cancel("m"),
            () -> t.uncancel(),
            () -> t.setName("other"),
            () -> loop.callSoon(() -> {}),
            () -> loop.callLater(Duration.ofSeconds(1), () -> {}),
            () -> loop.createTask(Aio.done(1)),
            () -> loop.setDebug(true),
            () -> loop.setSlowCallbackDuration(Duration.ofSeconds(1)));
    for (int i = 0; i < refused.size(); i++) {
      Throwable e = onAnotherThread(refused.get(i));
      assertTrue(e instanceof IllegalStateException, "#" + i + ": " + e);
      assertTrue(e.getMessage().contains("from thread not-the-loop"), "#" + i + ": " + e.getMessage());
      assertTrue(
          e.getMessage().contains("toCompletableFuture()")
              || e.getMessage().contains("callSoonThreadsafe"),
          "#" + i + " does not say what to do instead: " + e.getMessage());
    }
    // Nothing was changed by the refused calls.
    assertFalse(p.isDone());
    assertEquals(0, t.cancelling());
    assertTrue(t.name().startsWith("Task-"));
    // Once the loop is closed, the outcome may be read from anywhere.
    loop.runUntilComplete(Script.of(q -> {
      p.complete("x");
      return null;
    }));
    loop.close();
    AtomicReference<Object> read = new AtomicReference<>();
    assertEquals(null, onAnotherThread(() -> read.set(p.result())));
    assertEquals("x", read.get());
  }

  // -----------------------------------------------------------------------------------------------
  // TimerHandle.cancel() from any thread.

  @Test
  void timersCancelledFromAnotherThreadWhileTheLoopChurnsItsHeapStayConsistent() throws Exception {
    EventLoop loop = EventLoop.createVirtual();
    Random random = new Random(14);
    int n = 200_000;
    List<TimerHandle> timers = new ArrayList<>();
    List<Long> fired = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long deadline = 1_000_000 + random.nextInt(1_000_000_000);
      timers.add(loop.callAt(deadline, () -> fired.add(deadline)));
    }
    CountDownLatch churning = new CountDownLatch(1);
    AtomicBoolean cancellerDone = new AtomicBoolean();
    AtomicReference<Throwable> cancellerFailed = new AtomicReference<>();
    Thread canceller =
        new Thread(
            () -> {
              try {
                churning.await();
                for (int i = 0; i < n; i += 2) {
                  timers.get(i).cancel();
                }
              } catch (Throwable e) {
                cancellerFailed.set(e);
              } finally {
                cancellerDone.set(true);
              }
            });
    canceller.start();
    // On the loop: timers added and removed all the while the other thread cancels.
    loop.runUntilComplete(
        Script.of(
            p -> {
              churning.countDown();
              Random r = new Random(15);
              while (!cancellerDone.get()) {
                loop.callAt(r.nextInt(1_000_000_000), () -> {}).cancel();
              }
              return null;
            }));
    canceller.join();
    assertEquals(null, cancellerFailed.get());
    loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(2)));
    List<Long> expected = new ArrayList<>();
    for (int i = 1; i < n; i += 2) {
      expected.add(timers.get(i).deadlineNanos());
    }
    expected.sort(null);
    assertEquals(expected, fired);
    assertEquals(0, loop.timerCount());
    for (int i = 0; i < n; i += 2) {
      assertTrue(timers.get(i).isCancelled());
    }
    loop.close();
  }

  @Test
  void aTimerCancelledFromAnotherThreadWhileTheLoopSleepsNeverFires() throws Exception {
    EventLoop loop = EventLoop.create();
    AtomicBoolean fired = new AtomicBoolean();
    // Far enough away never to be due during the test; the loop sleeps until then.
    TimerHandle h = loop.callLater(Duration.ofHours(1), () -> fired.set(true));
    Thread loopThread = runForeverAndWaitUntilAsleep(loop);
    h.cancel();
    assertTrue(h.isCancelled());
    // The removal went to the loop through its inbox: once a later callback has run, it is done.
    CompletableFuture<Integer> count = new CompletableFuture<>();
    loop.callSoonThreadsafe(() -> count.complete(loop.timerCount()));
    assertEquals(0, count.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    stopAndJoin(loop, loopThread);
    assertFalse(fired.get());
  }
}
