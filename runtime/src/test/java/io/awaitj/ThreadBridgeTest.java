package io.awaitj;

import static io.awaitj.GatherTest.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Aio#toThread} and {@link Aio#runInExecutor}: real threads, results back on the loop. */
class ThreadBridgeTest {

  @Test
  void theWorkRunsOnAnotherThreadAndTheResultArrivesOnTheLoopThread() {
    Thread loopThread = Thread.currentThread();
    List<Thread> seen = new ArrayList<>();
    String r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  Promise<String> f =
                      Aio.toThread(
                          () -> {
                            assertNotEquals(loopThread, Thread.currentThread());
                            return Thread.currentThread().getName();
                          });
                  f.addDoneCallback(x -> seen.add(Thread.currentThread()));
                  return f;
                },
                p -> {
                  seen.add(Thread.currentThread());
                  return p;
                }));
    assertTrue(r.startsWith("awaitj-executor-"), r);
    assertEquals(List.of(loopThread, loopThread), seen);
  }

  @Test
  void aCheckedExceptionIsRethrownAsItIs() {
    IOException io = new IOException("disk on fire");
    Object r =
        Aio.runVirtual(
            Script.of(
                    p ->
                        Aio.toThread(
                            () -> {
                              throw io;
                            }))
                .onError(e -> e));
    assertSame(io, r);
  }

  @Test
  void aVirtualTimeLoopWaitsForTheWorkInsteadOfJumpingAhead() {
    Task<?>[] sleeper = new Task<?>[1];
    String r =
        Aio.runVirtual(
            Script.of(
                p -> {
                  sleeper[0] = Aio.createTask(Aio.sleep(Duration.ofHours(1)));
                  return Aio.toThread(
                      () -> {
                        // Slow enough that a loop jumping to its next timer would get there first.
                        Thread.sleep(100);
                        return "worked";
                      });
                },
                p -> {
                  assertEquals(0.0, now());
                  assertFalse(sleeper[0].isDone());
                  return p;
                }));
    assertEquals("worked", r);
  }

  @Test
  void runInExecutorUsesTheGivenExecutor() throws InterruptedException {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "my-executor"));
    try {
      String r =
          Aio.runVirtual(
              Script.of(
                  p -> Aio.runInExecutor(executor, () -> Thread.currentThread().getName()),
                  p -> Aio.runInExecutor(null, () -> p + "+" + Thread.currentThread().getName())));
      assertTrue(r.startsWith("my-executor+awaitj-executor-"), r);
    } finally {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void cancellingBeforeTheWorkStartsSkipsItAndReleasesTheLoop() throws Exception {
    ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
    AtomicBoolean ran = new AtomicBoolean();
    Promise<?>[] f = new Promise<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              f[0] = Aio.runInExecutor(queued::add, () -> ran.getAndSet(true));
              // A virtual clock does not move while the work is pending, so cancel without sleeping.
              Aio.loop().callSoon(() -> f[0].cancel());
              return Aio.sleep(0);
            },
            // Once the cancellation has released the loop, its clock may move again.
            p -> Aio.sleep(Duration.ofSeconds(2))));
    assertTrue(f[0].isCancelled());
    Thread late = new Thread(queued.poll());
    late.start();
    late.join(10_000);
    assertFalse(ran.get());
  }

  @Test
  void theDefaultExecutorRunsAtMostItsBoundOfThreadsAndQueuesTheRest() throws Exception {
    int n = EventLoop.DEFAULT_EXECUTOR_THREADS;
    assertTrue(n >= 5 && n <= 32, "min(32, processors + 4): " + n);
    int jobs = 4 * n;
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch release = new CountDownLatch(1);
    EventLoop loop = EventLoop.create();
    try {
      ExecutorService e = loop.defaultExecutor();
      for (int i = 0; i < jobs; i++) {
        e.execute(() -> {
          started.incrementAndGet();
          threads.add(Thread.currentThread().getName());
          try {
            release.await();
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
          }
          finished.incrementAndGet();
        });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (started.get() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(100); // an unbounded pool would have started more by now
      assertEquals(n, started.get(), "jobs running at once");
      release.countDown();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (finished.get() < jobs && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(jobs, finished.get());
      assertEquals(n, threads.size(), "threads used: " + threads);
    } finally {
      release.countDown();
      loop.close();
    }
  }

  @Test
  void setDefaultExecutorIsUsedByToThreadAndLeftOpenByClose() {
    ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "mine"));
    try {
      EventLoop loop = EventLoop.createVirtual();
      ExecutorService own = loop.defaultExecutor();
      loop.setDefaultExecutor(mine);
      assertTrue(own.isShutdown(), "the loop's own executor, replaced, is shut down");
      assertSame(mine, loop.defaultExecutor());
      String name = loop.runUntilComplete(Script.of(p -> Aio.toThread(() -> Thread.currentThread().getName())));
      assertEquals("mine", name);
      loop.close();
      assertFalse(mine.isShutdown(), "an executor the loop did not make stays open");
    } finally {
      mine.shutdownNow();
    }
  }
}
