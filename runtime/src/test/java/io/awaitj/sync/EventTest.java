package io.awaitj.sync;

import static io.awaitj.sync.SyncTesting.now;
import static io.awaitj.sync.SyncTesting.spawnLogging;
import static io.awaitj.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class EventTest {

  static Script.Step[] waiter(Event e, String name, List<String> log) {
    return new Script.Step[] {p -> e.waitSet(), p -> log.add(name + "@" + now())};
  }

  @Test
  void waitSetReturnsAtOnceWhenSetAtTheTimeItIsAwaited() {
    Event e = new Event();
    Aio.runVirtual(
        Script.of(
            p -> {
              Coroutine<Void> c = e.waitSet(); // made while clear...
              e.set(); // ...awaited once set
              assertTrue(e.isSet());
              return new Probe<>(c);
            },
            suspended -> {
              assertEquals(false, suspended);
              e.clear();
              assertFalse(e.isSet());
              return null;
            }));
  }

  @Test
  void setWakesEveryWaiterInOrderEvenIfClearedBeforeTheyRun() {
    Event e = new Event();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              for (String n : List.of("a", "b", "c")) {
                spawnLogging(n, log, waiter(e, n, log));
              }
              return Aio.sleep(Duration.ofSeconds(2));
            },
            p -> {
              assertEquals(List.of(), log);
              e.set();
              e.clear();
              spawnLogging("late", log, waiter(e, "late", log));
              return Aio.sleep(Duration.ofSeconds(3));
            },
            p -> {
              log.add("set again");
              e.set();
              return tick();
            }));
    assertEquals(List.of("a@2", "b@2", "c@2", "set again", "late@5"), log);
    assertEquals("Event[set]", e.toString());
  }

  @Test
  void aCancelledWaiterLeavesAndTheOthersStillWake() {
    Event e = new Event();
    List<String> log = new ArrayList<>();
    Task<?>[] b = new Task<?>[1];
    Aio.runVirtual(
        Script.of(
            p -> {
              spawnLogging("a", log, waiter(e, "a", log));
              b[0] = spawnLogging("b", log, waiter(e, "b", log));
              spawnLogging("c", log, waiter(e, "c", log));
              return tick();
            },
            p -> {
              assertEquals("Event[unset, waiters:3]", e.toString());
              b[0].cancel();
              return tick();
            },
            p -> {
              assertEquals("Event[unset, waiters:2]", e.toString());
              e.set();
              return tick();
            }));
    assertEquals(List.of("b failed: CancelledError", "a@0", "c@0"), log);
    assertEquals("Event[set]", e.toString());
  }

  @Test
  void boundToTheLoopThatFirstWaited() {
    Event e = new Event();
    Script.Step[] contend = {
      p -> tick(Aio.createTask(e.waitSet())),
      t -> {
        e.set();
        e.clear();
        return t;
      }
    };
    Aio.runVirtual(Script.of(contend));
    IllegalStateException ex =
        assertThrows(IllegalStateException.class, () -> Aio.runVirtual(Script.of(contend)));
    assertTrue(ex.getMessage().contains("Event is bound to a different event loop"));
  }
}
