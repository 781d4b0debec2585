package io.awaitj.sync;

import static io.awaitj.sync.SyncTesting.now;
import static io.awaitj.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Script;
import io.awaitj.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTest {

  /**
   * acquire; waitSignal; log "name@t"; release. On failure (the lock is held again by then) logs
   * "name failed: X locked=..", releases and rethrows.
   */
  static Task<Object> waiter(Condition c, String name, List<String> log) {
    return Aio.createTask(
        Script.of(
                p -> c.acquire(),
                p -> c.waitSignal(),
                p -> {
                  log.add(name + "@" + now());
                  c.release();
                  return null;
                })
            .onError(
                e -> {
                  log.add(name + " failed: " + e.getClass().getSimpleName() + " locked=" + c.isLocked()
                      + "@" + now());
                  c.release();
                  throw e;
                }),
        name);
  }

  /** Acquires the lock, runs {@code action} and releases it. */
  static Script<Object> locked(Condition c, Runnable action) {
    return Script.of(
        p -> c.acquire(),
        p -> {
          action.run();
          c.release();
          return null;
        });
  }

  @Test
  void waitingOrSignallingWithoutTheLockIsAnError() {
    Condition c = new Condition();
    assertThrows(IllegalStateException.class, c::signal);
    assertThrows(IllegalStateException.class, c::signalAll);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Aio.runVirtual(c.waitSignal()));
    assertTrue(e.getMessage().contains("not acquired"), e.getMessage());
    assertEquals("Condition[unlocked]", c.toString());
  }

  @Test
  void signalWakesWaitersInFifoOrderAndEachGetsTheLockBack() {
    Condition c = new Condition();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              for (String n : List.of("a", "b", "c", "d")) {
                waiter(c, n, log);
              }
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> locked(c, c::signal),
            p -> Aio.sleep(Duration.ofSeconds(1)),
            p -> locked(c, () -> c.signal(2)),
            p -> Aio.sleep(Duration.ofSeconds(1)),
            p -> locked(c, c::signalAll),
            p -> tick()));
    assertEquals(List.of("a@1", "b@2", "c@2", "d@3"), log);
    assertEquals("Condition[unlocked]", c.toString());
  }

  @Test
  void waitForRechecksThePredicateAfterEachWakeUp() {
    Condition c = new Condition();
    List<Integer> items = new ArrayList<>();
    int[] checks = {0};
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Aio.createTask(
                  Script.of(
                      q -> c.acquire(),
                      q ->
                          c.waitFor(
                              () -> {
                                checks[0]++;
                                return !items.isEmpty();
                              }),
                      q -> {
                        log.add("got " + items.get(0) + "@" + now() + " locked=" + c.isLocked());
                        c.release();
                        return null;
                      }));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> locked(c, c::signalAll), // a wake-up with nothing there: waits again
            p -> Aio.sleep(Duration.ofSeconds(1)),
            p ->
                locked(
                    c,
                    () -> {
                      items.add(42);
                      c.signalAll();
                    }),
            p -> tick()));
    assertEquals(List.of("got 42@2 locked=true"), log);
    assertEquals(3, checks[0]);
  }

  @Test
  void waitForReturnsAtOnceWithoutTheLockIfThePredicateHolds() {
    Condition c = new Condition();
    Aio.runVirtual(c.waitFor(() -> true));
  }

  @Test
  void aCancelledWaitTakesTheLockBackBeforeTheCancellationSurfaces() {
    Condition c = new Condition();
    List<String> log = new ArrayList<>();
    Task<?>[] a = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              a[0] = waiter(c, "a", log);
              return tick();
            },
            p -> c.acquire(), // a released it while waiting
            p -> {
              a[0].cancel(); // cancels the wait: a now needs the lock back
              return tick();
            },
            p -> {
              assertEquals(List.of(), log);
              a[0].cancel(); // cancels the re-acquire: a must try again
              return Aio.sleep(Duration.ofSeconds(5));
            },
            p -> {
              assertEquals(List.of(), log);
              c.release();
              return tick();
            }));
    assertEquals(List.of("a failed: CancelledError locked=true@5"), log);
    assertTrue(a[0].isCancelled());
    assertEquals("Condition[unlocked]", c.toString());
  }

  @Test
  void aWaiterSignalledThenCancelledPassesTheSignalOn() {
    Condition c = new Condition();
    List<String> log = new ArrayList<>();
    Task<?>[] a = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              a[0] = waiter(c, "a", log);
              waiter(c, "b", log);
              waiter(c, "c", log);
              return tick();
            },
            p ->
                locked(
                    c,
                    () -> {
                      c.signal(); // to a...
                      a[0].cancel(); // ...which is cancelled before it runs
                    }),
            p -> Aio.sleep(Duration.ofSeconds(1))));
    // c, never signalled, is cancelled when Aio.run ends.
    assertEquals(
        List.of(
            "a failed: CancelledError locked=true@0", "b@0", "c failed: CancelledError locked=true@1"),
        log);
  }

  @Test
  void conditionsMayShareALock() {
    Lock lock = new Lock();
    Condition notEmpty = new Condition(lock);
    Condition notFull = new Condition(lock);
    assertSame(lock, notEmpty.lock());
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              waiter(notEmpty, "e", log);
              waiter(notFull, "f", log);
              return tick();
            },
            p -> lock.acquire(),
            p -> {
              notFull.signalAll(); // held through the other condition's lock: allowed
              lock.release();
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> locked(notEmpty, notEmpty::signal),
            p -> tick()));
    assertEquals(List.of("f@0", "e@1"), log);
  }

  @Test
  void boundToTheLoopThatFirstWaited() {
    Condition c = new Condition();
    Script.Step[] contend = {
      p -> {
        waiter(c, "w", new ArrayList<>());
        return tick();
      },
      p -> locked(c, c::signal),
      p -> tick()
    };
    Aio.runVirtual(Script.of(contend));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Aio.runVirtual(
                    Script.of(
                        p -> c.acquire(),
                        p -> c.waitSignal())));
    assertTrue(e.getMessage().contains("Condition is bound to a different event loop"));
    assertEquals("Condition[locked]", c.toString(), "the lock is not released if the wait fails");
  }
}
