package io.awaitj.sync;

import static io.awaitj.sync.SyncTesting.now;
import static io.awaitj.sync.SyncTesting.spawnLogging;
import static io.awaitj.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.Script;
import io.awaitj.Task;
import io.awaitj.sync.SyncTesting.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemaphoreTest {

  /** Acquires, logs "name@t", holds {@code seconds}, releases. */
  static Script.Step[] worker(Semaphore s, String name, int seconds, List<String> log) {
    return new Script.Step[] {
      p -> s.acquire(),
      p -> log.add(name + "@" + now()),
      p -> Aio.sleep(Duration.ofSeconds(seconds)),
      p -> {
        s.release();
        return null;
      }
    };
  }

  @Test
  void fastPathTakesFreePermitsWithoutSuspending() {
    Semaphore s = new Semaphore(2);
    Aio.runVirtual(
        Script.of(
            p -> {
              Coroutine<Void> c = s.acquire();
              assertEquals("Semaphore[unlocked, value:2]", s.toString(), "lazy");
              return new Probe<>(c);
            },
            suspended -> {
              assertEquals(false, suspended);
              assertFalse(s.isLocked());
              assertTrue(s.tryAcquire());
              assertTrue(s.isLocked());
              assertFalse(s.tryAcquire());
              s.release();
              s.release();
              assertEquals("Semaphore[unlocked, value:2]", s.toString());
              return null;
            }));
    assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
  }

  @Test
  void waitersGetPermitsInFifoOrder() {
    Semaphore s = new Semaphore(2);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              // a holds 3 s, b 1 s: c (b's permit) enters at 1, d at 2 (c's), e at 3 (a's)
              spawnLogging("a", log, worker(s, "a", 3, log));
              spawnLogging("b", log, worker(s, "b", 1, log));
              spawnLogging("c", log, worker(s, "c", 1, log));
              spawnLogging("d", log, worker(s, "d", 5, log));
              spawnLogging("e", log, worker(s, "e", 1, log));
              return Aio.sleep(Duration.ofSeconds(20));
            }));
    assertEquals(List.of("a@0", "b@0", "c@1", "d@2", "e@3"), log);
    assertEquals("Semaphore[unlocked, value:2]", s.toString());
  }

  @Test
  void aFreePermitIsNotTakenPastAWokenWaiter() {
    Semaphore s = new Semaphore(0);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              spawnLogging("a", log, worker(s, "a", 1, log));
              return tick();
            },
            p -> {
              s.release(); // hands the permit to a
              s.release(); // a free permit, but a (woken, not run yet) is still queued
              assertTrue(s.isLocked());
              assertFalse(s.tryAcquire());
              spawnLogging("late", log, worker(s, "late", 1, log));
              return tick();
            },
            p -> {
              // a has run and let "late" in with the spare permit
              assertEquals(List.of("a@0", "late@0"), log);
              return Aio.sleep(Duration.ofSeconds(5));
            }));
    assertEquals("Semaphore[unlocked, value:2]", s.toString());
  }

  @Test
  void aCancelledWaiterIsSkipped() {
    Semaphore s = new Semaphore(0);
    List<String> log = new ArrayList<>();
    Task<?>[] b = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              spawnLogging("a", log, worker(s, "a", 10, log));
              b[0] = spawnLogging("b", log, worker(s, "b", 10, log));
              spawnLogging("c", log, worker(s, "c", 10, log));
              return tick();
            },
            p -> {
              b[0].cancel();
              s.release();
              s.release();
              return Aio.sleep(Duration.ofSeconds(20));
            }));
    assertEquals(List.of("b failed: CancelledError", "a@0", "c@0"), log);
    assertEquals("Semaphore[unlocked, value:2]", s.toString());
  }

  @Test
  void aWaiterWokenThenCancelledGivesThePermitToTheNext() {
    Semaphore s = new Semaphore(0);
    List<String> log = new ArrayList<>();
    Task<?>[] a = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              a[0] = spawnLogging("a", log, worker(s, "a", 1, log));
              spawnLogging("b", log, worker(s, "b", 1, log));
              return tick();
            },
            p -> {
              s.release(); // the permit goes to a...
              a[0].cancel(); // ...cancelled before it runs
              return Aio.sleep(Duration.ofSeconds(5));
            }));
    assertEquals(List.of("a failed: CancelledError", "b@0"), log);
    // Exactly one permit exists again.
    assertEquals("Semaphore[unlocked, value:1]", s.toString());
  }

  @Test
  void holdReleasesThePermit() {
    Semaphore s = new Semaphore(1);
    Aio.runVirtual(
        Script.of(
            p -> s.hold(),
            held -> {
              try (Lock.Held h = (Lock.Held) held) {
                assertTrue(s.isLocked());
              }
              assertFalse(s.isLocked());
              ((Lock.Held) held).close();
              assertEquals("Semaphore[unlocked, value:1]", s.toString());
              return null;
            }));
  }

  @Test
  void nestedHoldsOfOneTaskAreDistinctAndEachReleasesOnePermitOnce() {
    Semaphore s = new Semaphore(2);
    Object[] outer = new Object[1];
    Aio.runVirtual(
        Script.of(
            p -> s.hold(),
            held0 -> {
              outer[0] = held0;
              Coroutine<Object> inner =
                  Script.of(
                      q -> s.hold(),
                      held -> {
                        assertNotSame(outer[0], held, "a Held still out is never handed out again");
                        assertEquals("Semaphore[locked]", s.toString());
                        ((Lock.Held) held).close();
                        ((Lock.Held) held).close(); // once only
                        assertEquals("Semaphore[unlocked, value:1]", s.toString());
                        return null;
                      });
              return tick(inner);
            },
            inner -> inner,
            p -> {
              assertEquals("Semaphore[unlocked, value:1]", s.toString());
              return s.hold();
            },
            again -> {
              assertNotSame(outer[0], again);
              assertEquals("Semaphore[locked]", s.toString());
              ((Lock.Held) again).close();
              ((Lock.Held) outer[0]).close();
              ((Lock.Held) outer[0]).close();
              return null;
            }));
    assertEquals("Semaphore[unlocked, value:2]", s.toString());
  }

  @Test
  void boundedSemaphoreRefusesTooManyReleases() {
    BoundedSemaphore s = new BoundedSemaphore(1);
    Aio.runVirtual(
        Script.of(
            p -> s.acquire(),
            p -> {
              s.release();
              // asyncio raises ValueError, which the package's naming table maps to this
              IllegalArgumentException e =
                  assertThrows(IllegalArgumentException.class, s::release);
              assertTrue(e.getMessage().startsWith("BoundedSemaphore released too many times"));
              assertEquals("BoundedSemaphore[unlocked, value:1]", s.toString());
              return null;
            }));
  }

  @Test
  void boundToTheLoopThatFirstWaited() {
    Semaphore s = new Semaphore(0);
    Script.Step[] contend = {
      p -> tick(Aio.createTask(s.acquire())),
      t -> {
        s.release(); // to t: the count is back to 0
        return t;
      }
    };
    Aio.runVirtual(Script.of(contend));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Aio.runVirtual(Script.of(contend)));
    assertTrue(e.getMessage().contains("Semaphore is bound to a different event loop"));
  }
}
