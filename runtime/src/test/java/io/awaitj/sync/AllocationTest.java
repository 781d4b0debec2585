package io.awaitj.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.AllocatedBytes;
import io.awaitj.Aio;
import io.awaitj.Coroutine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast paths allocate nothing, {@code hold()}'s included (its {@code Lock.Held} is handed out
 * again to the task that closed it). The limits are absolute numbers of bytes, the figures
 * measured now, not sizes measured from the code under test (see {@link io.awaitj.AllocationTest}).
 */
class AllocationTest {
  private static final int N = 200_000;

  /**
   * What {@value #N} rounds of the operations that must allocate nothing may allocate in all (measured:
   * 0 bytes): under one byte in fifty rounds, so no round can allocate an object.
   */
  private static final long NOTHING_IN_N_ROUNDS = 4096;

  /** Keeps objects reachable so that escape analysis cannot remove their allocation. */
  static volatile Object sink;

  @BeforeAll
  static void counter() {
    AllocatedBytes.require();
  }

  @Test
  void tryAcquireReleaseAndNowaitOperationsAllocateNothing() {
    Lock lock = new Lock();
    Semaphore sem = new Semaphore(1);
    Queue<String> q = new Queue<>(4);
    Event e = new Event();
    for (int round = 0; round < 3; round++) { // warm up, then measure the last round
      long before = AllocatedBytes.now();
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
      long bytes = AllocatedBytes.now() - before;
      if (round == 2) {
        assertTrue(
            bytes <= NOTHING_IN_N_ROUNDS, "allocated " + bytes + " bytes in " + N + " rounds");
      }
    }
  }

  /**
   * N rounds of awaits that complete at once: {@code lock.acquire()}, {@code semaphore.acquire()},
   * {@code queue.put(x)} of a queue with space, {@code queue.get()} of a queue holding an item, {@code
   * event.waitSet()} of a set event; returns the bytes allocated; or measures {@code lock.hold()} and
   * {@code semaphore.hold()} (each awaited, then closed, as {@code try (var h = await(lock.hold()))}
   * does) alone.
   */
  static final class FastPathLoop extends Coroutine<Long> {
    private final boolean hold;
    private final Lock lock = new Lock();
    private final Semaphore sem = new Semaphore(2);
    private final Queue<String> q = new Queue<>(4);
    private final Event e = new Event();

    FastPathLoop(boolean hold) {
      this.hold = hold;
    }

    private Lock.Held heldNow(Coroutine<Lock.Held> c) {
      if (suspendOn(c)) {
        throw new AssertionError("an uncontended hold suspended");
      }
      return awaitResult();
    }

    @Override
    protected Object step() {
      e.set();
      if (hold) {
        // The first hold of each primitive by this task makes its Held; the loop measures the rest.
        heldNow(lock.hold()).close();
        heldNow(sem.hold()).close();
      }
      long before = AllocatedBytes.now();
      for (int i = 0; i < N; i++) {
        if (hold) {
          Lock.Held h = heldNow(lock.hold());
          if (!lock.isLocked()) {
            throw new AssertionError("hold() did not take the lock");
          }
          h.close();
          h = heldNow(sem.hold());
          h.close();
          continue;
        }
        if (suspendOn(lock.acquire())) {
          throw new AssertionError("an uncontended acquire suspended");
        }
        awaitResult();
        if (suspendOn(sem.acquire())) {
          throw new AssertionError("an uncontended semaphore acquire suspended");
        }
        awaitResult();
        if (suspendOn(q.put("x"))) {
          throw new AssertionError("a put into a queue with space suspended");
        }
        awaitResult();
        if (suspendOn(q.get())) {
          throw new AssertionError("a get from a queue holding an item suspended");
        }
        sink = awaitResult();
        if (suspendOn(e.waitSet())) {
          throw new AssertionError("a wait for a set event suspended");
        }
        awaitResult();
        lock.release();
        sem.release();
      }
      return AllocatedBytes.now() - before;
    }
  }

  @Test
  void awaitsThatCompleteAtOnceAllocateNothing() {
    long bytes = 0;
    for (int round = 0; round < 3; round++) { // warm up, then measure the last round
      bytes = Aio.runVirtual(new FastPathLoop(false));
    }
    System.out.printf(
        "AllocationTest: awaits of lock.acquire(), semaphore.acquire(), queue.put(x), queue.get(), event.waitSet()"
            + " that complete at once: %d bytes in %d rounds%n", bytes, N);
    assertTrue(
        bytes <= NOTHING_IN_N_ROUNDS,
        "awaits that complete at once (the shared coroutines' fast paths) allocated " + bytes
            + " bytes in " + N + " rounds");
  }

  @Test
  void anUncontendedHoldAllocatesNothing() {
    long bytes = 0;
    for (int round = 0; round < 3; round++) { // warm up, then measure the last round
      bytes = Aio.runVirtual(new FastPathLoop(true));
    }
    System.out.printf(
        "AllocationTest: uncontended lock.hold() and semaphore.hold(), awaited and closed: %d bytes"
            + " in %d rounds%n", bytes, N);
    assertTrue(
        bytes <= NOTHING_IN_N_ROUNDS,
        "uncontended holds (awaited, then closed) allocated " + bytes + " bytes in " + N
            + " rounds: " + bytes / N + " B per round");
  }
}
