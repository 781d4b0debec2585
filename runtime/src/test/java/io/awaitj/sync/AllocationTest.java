package io.awaitj.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.ObjectLayout;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The fast paths allocate what the brief allows: nothing, or the coroutine object alone. The limits
 * are absolute numbers of bytes, the figures measured now, not sizes measured from the code under
 * test (see {@link io.awaitj.AllocationTest}).
 */
class AllocationTest {
  private static final int N = 200_000;

  /**
   * The {@code Acquire} coroutine of {@link Lock#acquire()} (and of {@link Semaphore}), in bytes: a
   * coroutine (32: header, {@code int state}, four references) + {@code Waiter}'s {@code prev}, {@code
   * next}, {@code queue}, {@code promise} (16) + {@code target} (4) + {@code boolean hold}, {@code
   * released} (2) = 54, so 56. Measured on JDK 17.0.15 and Temurin 25.0.3 with the layout of {@link
   * ObjectLayout}, the same on both: the figure itself, not a margin.
   */
  private static final long ACQUIRE_BYTES = 56;

  /**
   * What {@value #N} rounds of the operations that must allocate nothing may allocate in all (measured:
   * 0 bytes): under one byte in fifty rounds, so no round can allocate an object.
   */
  private static final long NOTHING_IN_N_ROUNDS = 4096;

  /** Keeps objects reachable so that escape analysis cannot remove their allocation. */
  static volatile Object sink;

  private static com.sun.management.ThreadMXBean bean() {
    java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
    assumeTrue(b instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) b;
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
    return bean;
  }

  private static long allocated(com.sun.management.ThreadMXBean bean) {
    return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void tryAcquireReleaseAndNowaitOperationsAllocateNothing() {
    com.sun.management.ThreadMXBean bean = bean();
    Lock lock = new Lock();
    Semaphore sem = new Semaphore(1);
    Queue<String> q = new Queue<>(4);
    Event e = new Event();
    for (int round = 0; round < 3; round++) { // warm up, then measure the last round
      long before = allocated(bean);
      for (int i = 0; i < N; i++) {
        assertTrue(lock.tryAcquire());
        lock.release();
        assertTrue(sem.tryAcquire());
        sem.release();
        q.putNowait("x");
        q.getNowait();
        q.taskDone();
        e.set();
        e.clear();
      }
      long bytes = allocated(bean) - before;
      if (round == 2) {
        assertTrue(
            bytes <= NOTHING_IN_N_ROUNDS, "allocated " + bytes + " bytes in " + N + " rounds");
      }
    }
  }

  /** Awaits {@code lock.acquire()} N times without contention, measuring the bytes per await. */
  static final class AcquireLoop extends Coroutine<Long> {
    private final Lock lock;
    private final boolean await;
    private final com.sun.management.ThreadMXBean bean;

    AcquireLoop(Lock lock, boolean await, com.sun.management.ThreadMXBean bean) {
      this.lock = lock;
      this.await = await;
      this.bean = bean;
    }

    @Override
    protected Object step() {
      long before = allocated(bean);
      for (int i = 0; i < N; i++) {
        Coroutine<Void> c = lock.acquire();
        if (await) {
          if (suspendOn(c)) {
            throw new AssertionError("an uncontended acquire suspended");
          }
          awaitResult();
        } else {
          sink = c; // the coroutine object alone, for comparison
          assertTrue(lock.tryAcquire());
        }
        lock.release();
      }
      return (allocated(bean) - before) / N;
    }
  }

  @Test
  void anUncontendedAcquireAllocatesTheCoroutineOnly() {
    com.sun.management.ThreadMXBean bean = bean();
    ObjectLayout.requireMeasuredLayout();
    Lock lock = new Lock();
    long objectOnly = 0;
    long awaited = 0;
    for (int round = 0; round < 3; round++) {
      objectOnly = Aio.runVirtual(new AcquireLoop(lock, false, bean));
      awaited = Aio.runVirtual(new AcquireLoop(lock, true, bean));
    }
    System.out.printf(
        "AllocationTest: uncontended acquire: %d B per await, %d B for the coroutine alone%n",
        awaited, objectOnly);
    assertTrue(objectOnly > 0, "the measurement sees the coroutine object");
    assertTrue(
        awaited <= ACQUIRE_BYTES,
        "bytes per acquire: " + awaited + " awaited, over the figure of " + ACQUIRE_BYTES
            + " B (the coroutine alone measures " + objectOnly + " B now)");
  }
}
