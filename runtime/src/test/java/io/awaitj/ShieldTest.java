package io.awaitj;

import static io.awaitj.GatherTest.now;
import static io.awaitj.GatherTest.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Aio#shield}: the inner runs on when the outer is cancelled. */
class ShieldTest {

  @Test
  void cancellingTheAwaitingTaskCancelsOnlyTheShield() {
    Task<?>[] inner = new Task<?>[1];
    Task<?>[] waiter = new Task<?>[1];
    Promise<?>[] shield = new Promise<?>[1];
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              inner[0] = Aio.createTask(Aio.sleep(secs(5), "inner"));
              inner[0].addDoneCallback(t -> log.add("inner done@" + now()));
              shield[0] = Aio.shield(inner[0]);
              waiter[0] = Aio.createTask(Script.of(q -> shield[0]));
              Aio.loop().callLater(secs(1), () -> waiter[0].cancel());
              return Aio.sleep(secs(1));
            },
            p -> Aio.sleep(0),
            p -> {
              assertTrue(waiter[0].isCancelled());
              assertTrue(shield[0].isCancelled());
              assertFalse(inner[0].isDone());
              return inner[0];
            },
            p -> {
              assertEquals("inner", p);
              return Aio.sleep(0);
            }));
    assertEquals(List.of("inner done@5.0"), log);
    assertTrue(shield[0].isCancelled(), "the inner's late result does not overwrite the cancellation");
  }

  @Test
  void theInnersResultAndExceptionAreCopiedOut() {
    RuntimeException boom = new RuntimeException("boom");
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> Aio.shield(Aio.sleep(secs(1), "value")),
                    p -> {
                      assertEquals("value", p);
                      return Aio.shield(GatherTest.<String>failAfter(1, boom));
                    })
                .onError(e -> e));
    assertSame(boom, r);
  }

  @Test
  void aCancelledInnerCancelsTheShield() {
    Promise<?>[] shield = new Promise<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      Task<String> inner = Aio.createTask(Aio.sleep(Duration.ofHours(1), "x"));
                      shield[0] = Aio.shield(inner);
                      Aio.loop().callLater(secs(1), () -> inner.cancel("inner cancelled"));
                      return shield[0];
                    })
                .onError(e -> e));
    assertInstanceOf(CancelledError.class, r);
    assertEquals("inner cancelled", ((Throwable) r).getMessage());
    assertTrue(shield[0].isCancelled());
  }

  @Test
  void aDonePromiseIsReturnedAsItIs() {
    Aio.runVirtual(
        Script.of(
            p -> {
              Promise<String> done = Aio.createPromise();
              done.complete("x");
              assertSame(done, Aio.shield(done));
              return done;
            }));
  }

  @Test
  void waitForAShieldedTaskTimesOutButLeavesTheTaskRunning() {
    Task<?>[] inner = new Task<?>[1];
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      inner[0] = Aio.createTask(Aio.sleep(secs(5), "done"));
                      return Aio.waitFor(Aio.shield(inner[0]), secs(1));
                    })
                .onError(
                    e -> {
                      assertInstanceOf(AsyncTimeoutException.class, e);
                      assertEquals(1.0, now());
                      assertFalse(inner[0].isDone());
                      return inner[0];
                    }));
    assertEquals("done", r);
  }
}
