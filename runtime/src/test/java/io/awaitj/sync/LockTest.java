package io.awaitj.sync;

import static io.awaitj.sync.SyncTesting.now;
import static io.awaitj.sync.SyncTesting.spawn;
import static io.awaitj.sync.SyncTesting.spawnLogging;
import static io.awaitj.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.Script;
import io.awaitj.Task;
import io.awaitj.sync.SyncTesting.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTest {

  /** Acquires, logs "name@t", holds one second, logs "name out", releases. */
  static Script.Step[] worker(Lock lock, String name, List<String> log) {
    return new Script.Step[] {
      p -> lock.acquire(),
      p -> log.add(name + "@" + now()),
      p -> Aio.sleep(Duration.ofSeconds(1)),
      p -> {
        log.add(name + " out");
        lock.release();
        return null;
      }
    };
  }

  @Test
  void inDebugModeEachCallMakesItsOwnCoroutine() {
    // Outside debug mode acquire(), get() and waitSet() return one shared coroutine per primitive;
    // in debug mode a new one per call, which is single-use as every other coroutine.
    Lock lock = new Lock();
    Queue<String> q = new Queue<>();
    Event e = new Event();
    io.awaitj.EventLoop loop = io.awaitj.EventLoop.createVirtual();
    loop.setDebug(true);
    try {
      org.junit.jupiter.api.Assertions.assertNotSame(lock.acquire(), lock.acquire());
      org.junit.jupiter.api.Assertions.assertNotSame(q.get(), q.get());
      org.junit.jupiter.api.Assertions.assertNotSame(e.waitSet(), e.waitSet());
      Coroutine<Void> once = lock.acquire();
      loop.runUntilComplete(once);
      assertTrue(lock.isLocked());
      assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(once));
    } finally {
      loop.close();
    }
  }

  @Test
  void uncontendedAcquireTakesTheLockWithoutSuspendingAndIsLazy() {
    Lock lock = new Lock();
    Aio.runVirtual(
        Script.of(
            p -> {
              Coroutine<Void> c = lock.acquire();
              assertFalse(lock.isLocked(), "nothing happens before the coroutine is awaited");
              return new Probe<>(c);
            },
            suspended -> {
              assertEquals(false, suspended);
              assertTrue(lock.isLocked());
              assertFalse(lock.tryAcquire());
              lock.release();
              assertFalse(lock.isLocked());
              assertTrue(lock.tryAcquire());
              lock.release();
              IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
              assertTrue(e.getMessage().contains("not acquired"), e.getMessage());
              return null;
            }));
  }

  @Test
  void waitersGetTheLockInFifoOrderAndNobodyJumpsTheQueue() {
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> lock.acquire(),
            p -> {
              for (String n : List.of("a", "b", "c")) {
                spawn(n, worker(lock, n, log));
              }
              return tick();
            },
            p -> Aio.sleep(Duration.ofSeconds(5)),
            p -> {
              log.add("main releases");
              lock.release();
              // "a" is woken but has not run: the lock is free, yet nobody may jump the queue.
              assertFalse(lock.isLocked());
              assertFalse(lock.tryAcquire());
              spawn("late", worker(lock, "late", log));
              return Aio.sleep(Duration.ofSeconds(10));
            }));
    assertEquals(
        List.of(
            "main releases", "a@5", "a out", "b@6", "b out", "c@7", "c out", "late@8", "late out"),
        log);
    assertEquals("Lock[unlocked]", lock.toString());
  }

  @Test
  void aCancelledWaiterIsSkipped() {
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    Task<?>[] b = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> lock.acquire(),
            p -> {
              spawnLogging("a", log, worker(lock, "a", log));
              b[0] = spawnLogging("b", log, worker(lock, "b", log));
              spawnLogging("c", log, worker(lock, "c", log));
              return tick();
            },
            p -> {
              b[0].cancel();
              lock.release();
              return Aio.sleep(Duration.ofSeconds(10));
            }));
    assertEquals(List.of("b failed: CancelledError", "a@0", "a out", "c@1", "c out"), log);
    assertTrue(b[0].isCancelled());
    assertFalse(lock.isLocked());
  }

  @Test
  void aWaiterWokenThenCancelledPassesTheLockOn() {
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    Task<?>[] a = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> lock.acquire(),
            p -> {
              a[0] = spawnLogging("a", log, worker(lock, "a", log));
              spawnLogging("b", log, worker(lock, "b", log));
              return tick();
            },
            p -> {
              lock.release(); // wakes a...
              a[0].cancel(); // ...which is cancelled before it runs: b must get the lock
              return Aio.sleep(Duration.ofSeconds(10));
            }));
    assertEquals(List.of("a failed: CancelledError", "b@0", "b out"), log);
    assertTrue(a[0].isCancelled());
    assertEquals("Lock[unlocked]", lock.toString());
  }

  @Test
  void cancelledWaitersDoNotBlockTheFastPath() {
    Lock lock = new Lock();
    Aio.runVirtual(
        Script.of(
            p -> lock.acquire(),
            p -> {
              Task<?> a = Aio.createTask(lock.acquire());
              return tick(a);
            },
            a -> {
              ((Task<?>) a).cancel(); // a's waiter is cancelled but a has not run yet
              lock.release();
              assertTrue(lock.tryAcquire(), "only cancelled waiters are queued");
              return tick(a);
            },
            a -> {
              assertTrue(((Task<?>) a).isCancelled());
              assertTrue(lock.isLocked());
              lock.release();
              return null;
            }));
  }

  @Test
  void holdReleasesOnClose() {
    Lock lock = new Lock();
    Aio.runVirtual(
        Script.of(
            p -> lock.hold(),
            held -> {
              try (Lock.Held h = (Lock.Held) held) {
                assertTrue(lock.isLocked());
              }
              assertFalse(lock.isLocked());
              assertTrue(lock.tryAcquire()); // someone else's hold now
              ((Lock.Held) held).close(); // a second close does not release it
              assertTrue(lock.isLocked());
              lock.release();
              return null;
            }));
  }

  @Test
  void aHeldClosedTwiceNeverReleasesAnotherTasksHold() {
    // The fast path hands a closed Held out again: a late second close of it (the try-with-resources
    // closing a Held that its block closed already, after another task took the lock) must do nothing.
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> lock.hold(),
            held -> {
              ((Lock.Held) held).close(); // released early, inside its block
              spawn(
                  "b",
                  q -> lock.hold(),
                  h -> {
                    log.add("b holds");
                    return tick(h);
                  },
                  h -> tick(h),
                  h -> {
                    log.add("b still holds: " + lock.isLocked());
                    ((Lock.Held) h).close();
                    return null;
                  });
              return tick(held);
            },
            held -> {
              assertEquals(List.of("b holds"), log);
              ((Lock.Held) held).close(); // the block's own close, late: b's hold stays
              assertTrue(lock.isLocked(), "a second close released b's hold");
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              assertEquals(List.of("b holds", "b still holds: true"), log);
              assertFalse(lock.isLocked());
              return null;
            }));
  }

  @Test
  void aTasksNextHoldAfterACloseIsTheSameHeldAndOnlyItsLastCloseCounts() {
    Lock lock = new Lock();
    Object[] first = new Object[1];
    Aio.runVirtual(
        Script.of(
            p -> lock.hold(),
            held -> {
              first[0] = held;
              ((Lock.Held) held).close();
              ((Lock.Held) held).close();
              assertFalse(lock.isLocked());
              return lock.hold();
            },
            held -> {
              assertSame(first[0], held, "the same task's next hold reuses its closed Held");
              assertTrue(lock.isLocked());
              ((Lock.Held) held).close();
              assertFalse(lock.isLocked());
              assertTrue(lock.tryAcquire()); // someone else's acquisition now
              ((Lock.Held) held).close(); // a third close of the same Held does not release it
              assertTrue(lock.isLocked());
              lock.release();
              return null;
            }));
  }

  @Test
  void inDebugModeEachHoldIsItsOwnCoroutineAndItsOwnHeld() {
    Lock lock = new Lock();
    io.awaitj.EventLoop loop = io.awaitj.EventLoop.createVirtual();
    loop.setDebug(true);
    try {
      org.junit.jupiter.api.Assertions.assertNotSame(lock.hold(), lock.hold());
      Coroutine<Lock.Held> once = lock.hold();
      Lock.Held h = loop.runUntilComplete(once);
      assertTrue(lock.isLocked());
      assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(once));
      h.close();
      Lock.Held h2 = loop.runUntilComplete(lock.hold());
      org.junit.jupiter.api.Assertions.assertNotSame(h, h2);
      h.close(); // the first Held's second close leaves the second hold alone
      assertTrue(lock.isLocked());
      h2.close();
      assertFalse(lock.isLocked());
    } finally {
      loop.close();
    }
  }

  @Test
  void holdWaitsInLineLikeAcquire() {
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> lock.acquire(),
            p -> {
              spawn(
                  "h",
                  q -> lock.hold(),
                  held -> {
                    try (Lock.Held h = (Lock.Held) held) {
                      log.add("h@" + now());
                    }
                    return null;
                  });
              return Aio.sleep(Duration.ofSeconds(2));
            },
            p -> {
              lock.release();
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(List.of("h@2"), log);
    assertFalse(lock.isLocked());
  }

  /** Acquires in the main task, makes a second task wait for the lock, then releases twice. */
  static Coroutine<Object> contend(Lock lock) {
    return Script.of(
        p -> lock.acquire(),
        p -> {
          Task<Void> t = Aio.createTask(lock.acquire());
          return tick(t);
        },
        t -> {
          lock.release();
          return t;
        },
        p -> {
          lock.release();
          return null;
        });
  }

  @Test
  void aLockIsBoundToTheLoopThatFirstWaitedOnIt() {
    Lock lock = new Lock();
    Aio.runVirtual(contend(lock));
    // Uncontended use does not touch the binding (as asyncio's).
    Aio.runVirtual(
        Script.of(
            p -> lock.acquire(),
            p -> {
              lock.release();
              return null;
            }));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Aio.runVirtual(contend(lock)));
    assertTrue(e.getMessage().contains("Lock is bound to a different event loop"), e.getMessage());
  }

  @Test
  void cancellationWhileWaitingLeavesTheLockToItsHolder() {
    Lock lock = new Lock();
    Object r =
        Aio.runVirtual(
            Script.of(
                p -> lock.acquire(),
                p -> {
                  Task<Void> t = Aio.createTask(lock.acquire());
                  return tick(t);
                },
                t -> {
                  ((Task<?>) t).cancel();
                  return t;
                })
                .onError(
                    e -> {
                      assertSame(CancelledError.class, e.getClass());
                      assertTrue(lock.isLocked());
                      lock.release();
                      return "ok";
                    }));
    assertEquals("ok", r);
  }
}
