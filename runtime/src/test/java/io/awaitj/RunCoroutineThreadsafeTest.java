package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoop#runCoroutineThreadsafe}, asyncio's {@code run_coroutine_threadsafe}: a loop runs
 * forever on a thread of its own, and the test's thread (and others) submit coroutines to it. The
 * timeouts of {@code get} and {@code await} only keep a broken build from hanging; nothing is timed.
 */
class RunCoroutineThreadsafeTest {
  private static final long HANG_GUARD_SECONDS = 30;

  private EventLoop loop;
  private Thread loopThread;

  /** Starts {@link #loop} on a new thread, running forever. */
  private void startLoop() throws InterruptedException {
    loop = EventLoop.create();
    CountDownLatch started = new CountDownLatch(1);
    loop.callSoonThreadsafe(started::countDown);
    startThread();
    assertTrue(started.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
  }

  @AfterEach
  void stopLoop() throws InterruptedException {
    if (loopThread != null) {
      if (!loop.isClosed()) {
        loop.stop();
      }
      loopThread.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
      loop.close();
    }
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void theCoroutineRunsOnTheLoopThreadAndTheFutureGetsItsResult() throws Exception {
    startLoop();
    List<Thread> ranOn = new ArrayList<>();
    CompletableFuture<Object> f =
        loop.runCoroutineThreadsafe(
            Script.of(
                p -> {
                  ranOn.add(Thread.currentThread());
                  return Aio.sleep(Duration.ofMillis(1));
                },
                p -> {
                  ranOn.add(Thread.currentThread());
                  return "answer from " + Aio.currentTask().name();
                }));
    Object r = get(f);
    assertTrue(((String) r).startsWith("answer from "), String.valueOf(r));
    assertEquals(List.of(loopThread, loopThread), ranOn);
  }

  @Test
  void manyThreadsSubmitAtOnceAndEachGetsItsOwnResult() throws Exception {
    startLoop();
    int threads = 8;
    int each = 200;
    List<CompletableFuture<Integer>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
                for (int i = 0; i < each; i++) {
                  int v = base + i;
                  all.add(loop.runCoroutineThreadsafe(Aio.sleep(Duration.ZERO, v)));
                }
              });
      th.start();
      submitters.add(th);
    }
    go.countDown();
    for (Thread th : submitters) {
      th.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    }
    assertEquals(threads * each, all.size());
    long sum = 0;
    for (CompletableFuture<Integer> f : all) {
      sum += get(f);
    }
    long n = (long) threads * each;
    assertEquals(n * (n - 1) / 2, sum);
  }

  @Test
  void aFailureReachesTheFutureAsItIs() throws Exception {
    startLoop();
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    CompletableFuture<Object> f =
        loop.runCoroutineThreadsafe(
            Script.of(
                p -> Aio.sleep(Duration.ofMillis(1)),
                p -> {
                  throw boom;
                }));
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
    assertSame(boom, e.getCause());
  }

  @Test
  void cancellingTheFutureCancelsTheTask() throws Exception {
    startLoop();
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    CompletableFuture<Object> f =
        loop.runCoroutineThreadsafe(
            Script.of(
                    p -> {
                      waiting.countDown();
                      return Aio.createPromise(); // never completed
                    })
                .onError(
                    e -> {
                      seen.set(e);
                      cancelled.countDown();
                      throw e;
                    }));
    assertTrue(waiting.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    assertTrue(f.cancel(false));
    assertTrue(cancelled.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "the task was not cancelled");
    assertTrue(seen.get() instanceof CancelledError, String.valueOf(seen.get()));
    assertTrue(f.isCancelled());
  }

  @Test
  void aFutureCancelledBeforeTheLoopRunsMeansTheCoroutineNeverRuns() throws Exception {
    loop = EventLoop.create(); // not running yet
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Object> f =
        loop.runCoroutineThreadsafe(
            Script.of(
                p -> {
                  log.add("ran");
                  return null;
                }));
    assertTrue(f.cancel(false));
    CompletableFuture<Object> after = loop.runCoroutineThreadsafe(Script.of(p -> "second"));
    startThread();
    assertEquals("second", get(after));
    assertEquals(List.of(), log);
  }

  /** Runs the (created) {@link #loop} forever on a new thread. */
  private void startThread() {
    loopThread = new Thread(loop::runForever, "test-loop");
    loopThread.start();
  }

  @Test
  void aTaskCancelledOnTheLoopCancelsTheFuture() throws Exception {
    startLoop();
    CompletableFuture<Object> f =
        loop.runCoroutineThreadsafe(
            Script.of(
                p -> {
                  Aio.currentTask().cancel();
                  return Aio.sleep(Duration.ofSeconds(1));
                }));
    assertThrows(CancellationException.class, () -> get(f));
    assertTrue(f.isCancelled());
  }

  @Test
  void aClosedLoopFailsTheFutureWithAClearMessage() throws Exception {
    loop = EventLoop.create();
    loop.close();
    CompletableFuture<Object> f = loop.runCoroutineThreadsafe(Script.of(p -> "never"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().contains("event loop is closed"), e.getCause().getMessage());
  }

  @Test
  void aSubmissionLeftInTheInboxWhenTheLoopClosesFailsItsFuture() throws Exception {
    loop = EventLoop.create(); // never run: closing takes the submission out of the inbox
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Object> f =
        runOnOtherThread(
            () ->
                loop.runCoroutineThreadsafe(
                    Script.of(
                        p -> {
                          log.add("ran"); // and finishes at once: started, it would complete f
                          return "ran";
                        })));
    loop.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
    assertTrue(e.getCause().getMessage().contains("event loop is closed"), e.getCause().getMessage());
    assertEquals(List.of(), log, "a coroutine submitted to a closing loop does not start");
  }

  @Test
  void closingTheLoopWhileTheTaskWaitsCancelsTheFuture() throws Exception {
    startLoop();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Object> f =
        loop.runCoroutineThreadsafe(
            Script.of(
                p -> {
                  waiting.countDown();
                  return Aio.sleep(Duration.ofHours(1));
                }));
    assertTrue(waiting.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    loop.stop();
    loopThread.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    assertFalse(f.isDone());
    loop.close(); // cancels the task, on this thread
    assertThrows(CancellationException.class, () -> get(f));
  }

  @Test
  void aCoroutineStartedAlreadyIsRefusedAtOnce() throws Exception {
    startLoop();
    Coroutine<Object> c = Script.of(p -> "x");
    assertEquals("x", get(loop.runCoroutineThreadsafe(c)));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> loop.runCoroutineThreadsafe(c));
    assertTrue(e.getMessage().contains("already awaited"), e.getMessage());
  }

  private static <T> T runOnOtherThread(java.util.function.Supplier<T> s) throws InterruptedException {
    AtomicReference<T> out = new AtomicReference<>();
    Thread t = new Thread(() -> out.set(s.get()));
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    return out.get();
  }
}
