package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cancellation requests and their messages, counted and withdrawn as asyncio's Task does. */
class TaskCancellationTest {

  @Test
  void twoCancelsOfATaskSuspendedOnAPromiseDeliverTheFirstMessage() {
    EventLoop loop = EventLoop.createVirtual();
    Promise<String> gate = loop.createPromise();
    List<String> seen = new ArrayList<>();
    Task<Object> victim =
        loop.createTask(
            Script.of(p -> gate)
                .onError(
                    e -> {
                      seen.add(e.getMessage());
                      throw e;
                    }));
    loop.runUntilComplete(Aio.sleep(0)); // the victim now waits on the gate
    assertTrue(victim.cancel("first"));
    assertTrue(victim.cancel("second"));
    assertEquals(2, victim.cancelling());
    assertTrue(gate.isCancelled());
    CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(victim));
    // asyncio: the awaited future's own cancellation (the first request) is what the task receives,
    // and it is what the finished task reports.
    assertEquals(List.of("first"), seen);
    assertEquals("first", e.getMessage());
    assertEquals("first", victim.cancelMessage());
    loop.close();
  }

  /** A task that yields once and then finishes with "finished"; the driver acts on it meanwhile. */
  static String cancelAndUncancel(int cancels, int uncancels, List<Integer> counts) {
    List<Task<Object>> holder = new ArrayList<>();
    return Aio.runVirtual(
        Script.of(
            p -> {
              holder.add(Aio.createTask(Script.of(q -> Aio.sleep(0), q -> "finished")));
              return Aio.sleep(0); // meanwhile the task runs once and yields
            },
            p -> {
              Task<Object> t = holder.get(0);
              // t waits on a yield, which cannot be cancelled: the request stays pending in t.
              for (int i = 0; i < cancels; i++) {
                assertTrue(t.cancel());
              }
              for (int i = 0; i < uncancels; i++) {
                counts.add(t.uncancel());
              }
              counts.add(t.cancelling());
              return Script.of(q -> t).onError(e -> "cancelled: " + e.getClass().getSimpleName());
            }));
  }

  @Test
  void uncancelDownToZeroDropsACancellationNotYetDelivered() {
    List<Integer> counts = new ArrayList<>();
    assertEquals("finished", cancelAndUncancel(1, 1, counts));
    assertEquals(List.of(0, 0), counts);
  }

  @Test
  void uncancelAboveZeroKeepsThePendingCancellation() {
    List<Integer> counts = new ArrayList<>();
    assertEquals("cancelled: CancelledError", cancelAndUncancel(2, 1, counts));
    assertEquals(List.of(1, 1), counts);
  }

  @Test
  void uncancelWithNoRequestStaysAtZero() {
    List<Integer> counts = new ArrayList<>();
    assertEquals("finished", cancelAndUncancel(0, 2, counts));
    assertEquals(List.of(0, 0, 0), counts);
  }
}
