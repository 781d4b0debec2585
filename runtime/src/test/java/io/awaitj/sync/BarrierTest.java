package io.awaitj.sync;

import static io.awaitj.sync.SyncTesting.now;
import static io.awaitj.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Script;
import io.awaitj.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarrierTest {

  /**
   * Sleeps {@code delay} seconds (if not 0), arrives, logs "name:index@t", or on failure "name
   * ExceptionName@t: message" (and fails).
   */
  static Task<Object> party(Barrier b, String name, int delay, List<String> log) {
    return Aio.createTask(
        Script.of(
                p -> delay == 0 ? null : Aio.sleep(Duration.ofSeconds(delay)),
                p -> b.arrive(),
                index -> log.add(name + ":" + index + "@" + now()))
            .onError(
                e -> {
                  log.add(
                      name + " " + e.getClass().getSimpleName() + "@" + now() + ": " + e.getMessage());
                  throw e;
                }),
        name);
  }

  @Test
  void partiesGoThroughTogetherRoundAfterRound() {
    Barrier b = new Barrier(3);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
              for (int round = 0; round < 2; round++) {
                int r = round;
                for (String n : List.of("a", "b", "c")) {
                  int delay = 1 + n.charAt(0) - 'a'; // a at +1, b at +2, c at +3
                  Aio.createTask(
                      Script.of(
                          q -> Aio.sleep(Duration.ofSeconds(3L * r + delay)),
                          q -> b.arrive(),
                          index -> log.add(n + ":" + index + "@" + now())));
                }
              }
              return Aio.sleep(Duration.ofMillis(2500));
            },
            p -> {
              assertEquals(2, b.waiting());
              assertEquals(3, b.parties());
              assertEquals("Barrier[filling, waiters:2/3]", b.toString());
              return Aio.sleep(Duration.ofSeconds(10));
            }));
    // The last to arrive goes on first (it never waited), then the others in arrival order.
    assertEquals(
        List.of("c:2@3", "a:0@3", "b:1@3", "c:2@6", "a:0@6", "b:1@6"), log);
    assertEquals(0, b.waiting());
    assertFalse(b.isBroken());
  }

  @Test
  void arrivalsDuringDrainingWaitForTheNextRound() {
    Barrier b = new Barrier(2);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              party(b, "a", 0, log);
              return tick();
            },
            p -> {
              party(b, "b", 0, log); // opens the barrier: a is draining...
              party(b, "c", 0, log); // ...so c must wait for the next round
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              assertEquals(List.of("b:1@0", "a:0@0"), log);
              assertEquals(1, b.waiting());
              party(b, "d", 0, log);
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(List.of("b:1@0", "a:0@0", "d:1@1", "c:0@1"), log);
  }

  @Test
  void abortBreaksWaitersAndLaterArrivalsUntilReset() {
    Barrier b = new Barrier(3);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              party(b, "a", 0, log);
              party(b, "b", 0, log);
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              b.abort();
              assertTrue(b.isBroken());
              assertEquals("Barrier[broken]", b.toString());
              party(b, "c", 1, log);
              return Aio.sleep(Duration.ofSeconds(2));
            },
            p -> {
              b.reset();
              assertFalse(b.isBroken());
              for (String n : List.of("x", "y", "z")) {
                party(b, n, 0, log);
              }
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(
        List.of(
            "a BrokenBarrierException@1: Abort or reset of barrier while waiting in it",
            "b BrokenBarrierException@1: Abort or reset of barrier while waiting in it",
            "c BrokenBarrierException@2: Barrier aborted: it is broken; reset() it before using it again",
            "z:2@3",
            "x:0@3",
            "y:1@3"),
        log);
  }

  @Test
  void resetBreaksTheWaitersThenTheBarrierFillsAgain() {
    Barrier b = new Barrier(3);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              party(b, "a", 0, log);
              party(b, "b", 0, log);
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              b.reset();
              assertEquals(0, b.waiting(), "resetting, not filling");
              assertEquals("Barrier[resetting, waiters:0/3]", b.toString());
              party(b, "c", 0, log); // arrives while a and b leave: waits for the reset to end
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              assertEquals(1, b.waiting());
              party(b, "d", 0, log);
              party(b, "e", 0, log);
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(
        List.of(
            "a BrokenBarrierException@1: Abort or reset of barrier while waiting in it",
            "b BrokenBarrierException@1: Abort or reset of barrier while waiting in it",
            "e:2@2",
            "c:0@2",
            "d:1@2"),
        log);
  }

  @Test
  void aCancelledPartyLeavesTheBarrier() {
    Barrier b = new Barrier(2);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Task<?> a = party(b, "a", 0, log);
              return tick(a);
            },
            a -> {
              assertEquals(1, b.waiting());
              ((Task<?>) a).cancel();
              return tick();
            },
            p -> {
              assertEquals(0, b.waiting());
              party(b, "c", 0, log);
              party(b, "d", 0, log);
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(List.of("a CancelledError@0: null", "d:1@0", "c:0@0"), log);
  }
}
