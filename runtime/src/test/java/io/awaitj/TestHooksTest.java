package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hooks a test harness steps a loop with (issue 14): {@link EventLoop#callWhenIdle}, {@link
 * EventLoop#setTaskListener} and {@link Promise#isExceptionUnretrieved()}.
 */
class TestHooksTest {

  @Test
  void anIdleCallbackRunsOnceEverythingDueAtItsTimeHasRunAndBeforeTheClockMovesOn() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    loop.callLater(Duration.ofSeconds(10), () -> log.add("a@" + loop.time()));
    loop.callLater(Duration.ofSeconds(10), () -> loop.callSoon(() -> log.add("b@" + loop.time())));
    loop.callLater(Duration.ofSeconds(11), () -> log.add("c@" + loop.time()));
    loop.callLater(
        Duration.ofSeconds(10), () -> loop.callWhenIdle(() -> log.add("idle@" + loop.time())));
    Promise<Void> end = loop.createPromise();
    loop.callLater(Duration.ofSeconds(20), () -> end.complete(null));
    loop.runUntilComplete(end);
    assertEquals(List.of("a@10.0", "b@10.0", "idle@10.0", "c@11.0"), log);
    loop.close();
  }

  @Test
  void anIdleCallbackRunsWhenNothingElseIsLeftInsteadOfADeadlock() {
    EventLoop loop = EventLoop.createVirtual();
    Promise<String> p = loop.createPromise();
    loop.callWhenIdle(() -> p.complete("idle"));
    assertEquals("idle", loop.runUntilComplete(p));
    // Without it, the same wait is a deadlock.
    Promise<String> q = loop.createPromise();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(q));
    assertTrue(e.getMessage().startsWith("deadlock"), e.getMessage());
    loop.close();
  }

  @Test
  void idleCallbacksRunInOrderAndACancelledOneDoesNot() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    loop.callWhenIdle(() -> log.add("1"));
    Handle two = loop.callWhenIdle(() -> log.add("2"));
    Promise<Void> p = loop.createPromise();
    loop.callWhenIdle(
        () -> {
          log.add("3");
          // added while the idle callbacks run: waits for the next idle moment
          loop.callWhenIdle(() -> p.complete(null));
          loop.callSoon(() -> log.add("soon"));
        });
    two.cancel();
    loop.runUntilComplete(p);
    assertEquals(List.of("1", "3", "soon"), log);
    loop.close();
  }

  @Test
  void callWhenIdleBelongsToTheLoopsThread() throws Exception {
    EventLoop loop = EventLoop.createVirtual();
    Throwable[] thrown = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        loop.callWhenIdle(() -> {});
      } catch (Throwable e) {
        thrown[0] = e;
      }
    });
    t.start();
    t.join();
    assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
    loop.close();
    assertThrows(IllegalStateException.class, () -> loop.callWhenIdle(() -> {}));
  }

  @Test
  void theTaskListenerSeesEveryTaskAsItIsCreated() {
    EventLoop loop = EventLoop.createVirtual();
    List<Task<?>> seen = new ArrayList<>();
    loop.setTaskListener(seen::add);
    Task<String> a = loop.createTask(Aio.done("a"), "a");
    assertEquals(List.of(a), seen);
    assertEquals("main", loop.runUntilComplete(Aio.done("main")));
    assertEquals(2, seen.size());
    assertSame(a, seen.get(0));
    loop.setTaskListener(null);
    loop.createTask(Aio.done("b"));
    assertEquals(2, seen.size());
    loop.close();
  }

  @Test
  void aFailureIsUnretrievedUntilSomethingRetrievesIt() {
    EventLoop loop = EventLoop.createVirtual();
    Task<String> lost = loop.createTask(Aio.failed(new IllegalStateException("lost")));
    Task<String> read = loop.createTask(Aio.failed(new IllegalStateException("read")));
    Task<String> awaited = loop.createTask(Aio.failed(new IllegalStateException("awaited")));
    Task<String> fine = loop.createTask(Aio.done("fine"));
    assertFalse(lost.isExceptionUnretrieved()); // pending
    assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(awaited));
    loop.runUntilComplete(fine);
    assertTrue(lost.isExceptionUnretrieved());
    assertTrue(read.isExceptionUnretrieved());
    assertFalse(awaited.isExceptionUnretrieved());
    assertFalse(fine.isExceptionUnretrieved());
    assertEquals("read", read.exception().getMessage());
    assertFalse(read.isExceptionUnretrieved());
    assertTrue(lost.isExceptionUnretrieved()); // asking did not retrieve it

    Task<String> cancelled = loop.createTask(Aio.done("x"));
    cancelled.cancel();
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(cancelled));
    assertFalse(cancelled.isExceptionUnretrieved());

    // Handed on by gather: the gather's failure is the one to retrieve now.
    Task<String> child = loop.createTask(Aio.failed(new IllegalStateException("child")));
    Promise<List<String>> all = Aio.gather(child);
    runUntilIdle(loop);
    assertFalse(child.isExceptionUnretrieved());
    assertTrue(all.isExceptionUnretrieved());
    loop.close();
  }

  /** Runs {@code loop} until it is idle. */
  private static void runUntilIdle(EventLoop loop) {
    Promise<Void> idle = loop.createPromise();
    loop.callWhenIdle(() -> idle.complete(null));
    loop.runUntilComplete(idle);
  }
}
