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

  // -----------------------------------------------------------------------------------------------
  // Cross-thread entries racing with close(): what a call accepted runs (or completes), what it did
  // not accept it refuses, and nothing is left in between. Each round, other threads submit until the
  // loop refuses them, while this thread closes it: a loop never run (close runs the inbox) on even
  // rounds, one running on a thread of its own (stopped, then closed) on odd ones. Nothing is timed.

  private static final int CLOSE_RACES = 200;

  /** At most how many submissions a submitter makes in a round: close() comes long before. */
  private static final int MAX_SUBMISSIONS = 20_000;

  /**
   * Starts {@code n} threads that run {@code submit} until it returns false (or {@link
   * #MAX_SUBMISSIONS} times); waits until each has made one.
   */
  private static List<Thread> submitters(int n, java.util.function.BooleanSupplier submit)
      throws InterruptedException {
    return submitters(n, MAX_SUBMISSIONS, submit);
  }

  /** As {@link #submitters(int, java.util.function.BooleanSupplier)}, at most {@code max} times. */
  private static List<Thread> submitters(int n, int max, java.util.function.BooleanSupplier submit)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(n);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      Thread thread =
          new Thread(
              () -> {
                boolean first = true;
                for (int i = 0; i < max && submit.getAsBoolean(); i++) {
                  if (first) {
                    started.countDown();
                    first = false;
                  }
                }
                if (first) {
                  started.countDown();
                }
              },
              "submitter-" + t);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    assertTrue(started.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    return threads;
  }

  /** Closes {@code loop} (stopping it first if {@code loopThread} runs it), then joins {@code threads}. */
  private static void closeWhileTheySubmit(EventLoop loop, Thread loopThread, List<Thread> threads)
      throws InterruptedException {
    if (loopThread != null) {
      stopAndJoin(loop, loopThread);
    } else {
      loop.close();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
      assertFalse(t.isAlive(), "a submitter did not end: the closed loop neither refused nor took its call");
    }
  }

  @Test
  void aCallbackPostedWhileTheLoopClosesEitherRunsOrItsCallerIsTold() throws Exception {
    for (int round = 0; round < CLOSE_RACES; round++) {
      EventLoop loop = EventLoop.create();
      Thread loopThread = round % 2 == 1 ? runForeverAndWaitUntilAsleep(loop) : null;
      java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
      AtomicReference<String> refusal = new AtomicReference<>();
      List<Thread> threads =
          submitters(
              2,
              () -> {
                try {
                  loop.callSoonThreadsafe(ran::incrementAndGet);
                } catch (IllegalStateException e) {
                  refusal.set(e.getMessage());
                  return false;
                }
                accepted.incrementAndGet();
                return true;
              });
      closeWhileTheySubmit(loop, loopThread, threads);
      assertEquals(accepted.get(), ran.get(), "round " + round + ": callbacks accepted, then lost");
      String refused = refusal.get();
      if (refused != null) { // null: the submitters were done before the loop closed
        assertTrue(refused.contains("event loop is closed"), refused);
        assertTrue(refused.contains("will not run"), refused);
      }
    }
  }

  @Test
  void aFutureOfAPromiseAskedForWhileTheLoopClosesIsNeverLeftPending() throws Exception {
    for (int round = 0; round < CLOSE_RACES; round++) {
      EventLoop loop = EventLoop.create();
      Promise<String> pending = loop.createPromise();
      Promise<String> done = loop.createPromise();
      done.complete("v");
      Thread loopThread = round % 2 == 1 ? runForeverAndWaitUntilAsleep(loop) : null;
      java.util.Queue<CompletableFuture<String>> ofPending =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.Queue<CompletableFuture<String>> ofDone =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      List<Thread> threads =
          submitters(
              2,
              MAX_SUBMISSIONS / 20, // each waits on one promise, whose callbacks are an array
              () -> {
                ofDone.add(done.toCompletableFuture());
                CompletableFuture<String> f = pending.toCompletableFuture();
                ofPending.add(f);
                return !f.isDone(); // done at once: asked of the closed loop
              });
      closeWhileTheySubmit(loop, loopThread, threads);
      // close() has returned and the submitters have ended: every future is complete by now.
      for (CompletableFuture<String> f : ofDone) {
        assertEquals("v", f.getNow(null), "round " + round);
      }
      for (CompletableFuture<String> f : ofPending) {
        assertTrue(f.isCompletedExceptionally(), "round " + round + ": a future left pending");
        ExecutionException e =
            assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("closed before it completed"), e.toString());
      }
    }
  }

  @Test
  void aCoroutineSubmittedWhileTheLoopClosesEitherRunsOrItsFutureSaysItNeverRan() throws Exception {
    for (int round = 0; round < CLOSE_RACES; round++) {
      EventLoop loop = EventLoop.create();
      Thread loopThread = round % 2 == 1 ? runForeverAndWaitUntilAsleep(loop) : null;
      java.util.Queue<CompletableFuture<Object>> futures =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
      List<Thread> threads =
          submitters(
              2,
              MAX_SUBMISSIONS / 10, // each a task
              () -> {
                CompletableFuture<Object> f =
                    loop.runCoroutineThreadsafe(Script.of(q -> ran.incrementAndGet()));
                futures.add(f);
                return !f.isCompletedExceptionally(); // refused at once: the loop is closed
              });
      closeWhileTheySubmit(loop, loopThread, threads);
      long succeeded = 0;
      for (CompletableFuture<Object> f : futures) {
        assertTrue(f.isDone(), "round " + round + ": a future left pending");
        if (!f.isCompletedExceptionally()) {
          succeeded++;
        } else if (!f.isCancelled()) { // cancelled: a task close() cancelled before it started
          ExecutionException e =
              assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.SECONDS));
          assertTrue(e.getCause().getMessage().contains("never ran"), e.toString());
        }
      }
      assertEquals(ran.get(), succeeded, "round " + round);
    }
  }

  @Test
  void aFutureOfAPromiseNobodyHoldsDoesNotKeepThePromiseAlive() {
    EventLoop loop = EventLoop.create();
    java.lang.ref.WeakReference<Promise<String>> promise = pendingWithAFutureNobodyHolds(loop);
    for (int i = 0; i < 100 && promise.get() != null; i++) {
      System.gc(); // a count, not a time
    }
    assertEquals(null, promise.get(), "the loop keeps the promise of a dropped future alive");
    loop.close();
  }

  /** A pending promise and its future, registered with the loop (on its thread), both dropped. */
  private static java.lang.ref.WeakReference<Promise<String>> pendingWithAFutureNobodyHolds(
      EventLoop loop) {
    Promise<String> p = loop.createPromise();
    assertFalse(p.toCompletableFuture().isDone());
    return new java.lang.ref.WeakReference<>(p);
  }
}
