package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which thread may call what: every method either works from any thread or fails fast, before it
 * changes anything, with a message that says what to do instead.
 */
class ThreadingRulesTest {

  /** Runs {@code action} on a new thread and returns what it threw, or {@code null}. */
  static Throwable onAnotherThread(Runnable action) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (Throwable e) {
                thrown.set(e);
              }
            },
            "not-the-loop");
    t.start();
    t.join();
    return thrown.get();
  }

  // -----------------------------------------------------------------------------------------------
  // runUntilComplete checks before it wraps the coroutine.

  @Test
  void runUntilCompleteInsideARunningLoopLeavesTheCoroutineUnusedAndTheOtherLoopClean() {
    EventLoop other = EventLoop.createVirtual();
    Coroutine<Integer> c = Aio.done(42);
    IllegalStateException e =
        Aio.runVirtual(
            Script.of(
                p -> assertThrows(IllegalStateException.class, () -> other.runUntilComplete(c))));
    assertTrue(e.getMessage().contains("another loop is running in this thread"), e.getMessage());
    assertFalse(c.isStarted(), "the refused call used the coroutine up");
    assertEquals(List.of(), other.allTasks());
    other.close(); // nothing left to cancel: no misleading "cannot run" from close()
    assertTrue(other.isClosed());

    // The coroutine is still good for a run of its own.
    EventLoop third = EventLoop.createVirtual();
    assertEquals(42, third.runUntilComplete(c));
    third.close();
  }

  @Test
  void runUntilCompleteOnAClosedLoopLeavesTheCoroutineUnused() {
    EventLoop loop = EventLoop.createVirtual();
    loop.close();
    Coroutine<Integer> c = Aio.done(1);
    assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(c));
    assertFalse(c.isStarted());
  }

  @Test
  void closingALoopWithTasksFromInsideAnotherRunningLoopSaysWhy() {
    EventLoop other = EventLoop.createVirtual();
    Task<Void> parked = other.createTask(Aio.sleep(java.time.Duration.ofHours(1)));
    IllegalStateException e =
        Aio.runVirtual(Script.of(p -> assertThrows(IllegalStateException.class, other::close)));
    assertTrue(e.getMessage().startsWith("cannot close an event loop while another loop"), e.getMessage());
    other.close();
    assertTrue(parked.isCancelled());
  }

  @Test
  void aPromiseOfAnotherLoopIsRefusedInsteadOfWaitedForForever() {
    EventLoop a = EventLoop.createVirtual();
    EventLoop b = EventLoop.createVirtual();
    Promise<String> ofA = a.createPromise();
    a.callSoon(() -> ofA.complete("a"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.runUntilComplete(ofA));
    assertTrue(e.getMessage().contains("another event loop"), e.getMessage());
    assertFalse(b.isRunning());
    assertEquals("a", a.runUntilComplete(ofA));
    a.close();
    b.close();
  }

  @Test
  void aLoopNotRunningMayBeRunByAnotherThreadWhichThenOwnsIt() throws InterruptedException {
    EventLoop loop = EventLoop.createVirtual();
    AtomicReference<Object> result = new AtomicReference<>();
    Throwable thrown =
        onAnotherThread(
            () ->
                result.set(
                    loop.runUntilComplete(
                        Script.of(p -> Thread.currentThread().getName()))));
    assertEquals(null, thrown);
    assertEquals("not-the-loop", result.get());
    // Now the other thread is the loop's: this one is refused, with the way out.
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> {}));
    assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    assertSame(null, EventLoop.runningOrNull());
    loop.close();
  }
}
