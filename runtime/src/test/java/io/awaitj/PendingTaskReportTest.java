package io.awaitj;

import static io.awaitj.DebugModeTest.collectSomeMore;
import static io.awaitj.DebugModeTest.collectUntil;
import static io.awaitj.DebugModeTest.debugLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task parked forever on a promise nobody references: in debug mode the loop holds its tasks weakly,
 * as asyncio does, so such a task is collected and reported ("Task was destroyed but it is pending!"),
 * with its coroutine, where it waits and where it was created. Without debug mode the loop holds tasks
 * strongly (no allocation per task), and such a task is cancelled at close.
 */
class PendingTaskReportTest {

  /** Starts a task, named {@code name}, that waits on a promise only it references; forgets it. */
  static WeakReference<Task<?>> parkForever(EventLoop loop, String name) {
    Task<Object> t = loop.createTask(Script.of(p -> loop.createPromise()), name);
    loop.runUntilComplete(Aio.sleep(0)); // the task runs and suspends on its promise
    assertFalse(t.isDone());
    return new WeakReference<>(t);
  }

  /** Starts a task that waits on {@code gate}, which the caller keeps; forgets the task. */
  static void parkOn(EventLoop loop, Promise<Object> gate, String name) {
    loop.createTask(Script.of(p -> gate), name);
    loop.createTask(Aio.sleep(Duration.ofHours(1)), name + "-sleeper");
    loop.runUntilComplete(Aio.sleep(0));
  }

  @Test
  void debugModeReportsATaskDestroyedWhilePendingWithWhereItWaits() throws InterruptedException {
    DebugModeTest.Reports reports = new DebugModeTest.Reports();
    EventLoop loop = debugLoop(reports);
    WeakReference<Task<?>> lost = parkForever(loop, "lost");
    Promise<Object> kept = loop.createPromise();
    parkOn(loop, kept, "kept");
    collectUntil(
        () -> !reports.messagesContaining("Task[lost]").isEmpty(), "the lost task is reported");
    assertNull(lost.get());
    List<String> messages = reports.messagesContaining("Task[lost]");
    assertEquals(1, messages.size(), messages.toString());
    String m = messages.get(0);
    assertTrue(m.startsWith("Task was destroyed but it is pending! Task[lost], coroutine io.awaitj.Script"), m);
    assertTrue(
        m.contains(", suspended in io.awaitj.Script at state 1, waiting on a io.awaitj.Promise"), m);
    assertTrue(m.contains("task created at"), m);
    assertTrue(m.contains("PendingTaskReportTest.parkForever("), m);

    // The tasks something can still wake (a promise the test holds, a timer) stay alive and unreported,
    // and are cancelled at close as before.
    collectSomeMore();
    assertEquals(List.of(), reports.messagesContaining("Task[kept"));
    List<Task<?>> left = loop.allTasks();
    assertEquals(2, left.size(), left.toString());
    loop.close();
    for (Task<?> t : left) {
      assertTrue(t.isCancelled(), t.toString());
    }
    collectSomeMore();
    assertEquals(List.of(), reports.messagesContaining("Task[kept"));
  }

  static WeakReference<Task<?>> runToTheEnd(EventLoop loop) {
    Promise<Object> gate = loop.createPromise();
    Task<Object> t = loop.createTask(Script.of(p -> gate), "finished");
    loop.runUntilComplete(Aio.sleep(0));
    gate.complete("v");
    assertEquals("v", loop.runUntilComplete(t));
    assertEquals(0, loop.liveTaskCount());
    return new WeakReference<>(t);
  }

  @Test
  void aTaskThatFinishesIsNotReported() throws InterruptedException {
    DebugModeTest.Reports reports = new DebugModeTest.Reports();
    EventLoop loop = debugLoop(reports);
    WeakReference<Task<?>> ref = runToTheEnd(loop);
    WeakReference<Task<?>> control = parkForever(loop, "control");
    collectUntil(
        () -> !reports.messagesContaining("Task[control]").isEmpty() && ref.get() == null,
        "the control is reported and the finished task collected");
    collectSomeMore();
    assertEquals(List.of(), reports.messagesContaining("Task[finished]"));
    assertNull(control.get());
    loop.close();
  }

  @Test
  void withoutDebugModeTheLoopHoldsItsTasksAndCancelsThemAtClose() throws InterruptedException {
    DebugModeTest.Reports reports = new DebugModeTest.Reports();
    EventLoop loop = EventLoop.createVirtual();
    loop.setDebug(false);
    loop.setExceptionHandler(reports);
    WeakReference<Task<?>> parked = parkForever(loop, "parked");
    collectSomeMore();
    Task<?> t = parked.get();
    assertTrue(t != null && loop.allTasks().contains(t), "held by the loop's list");
    loop.close();
    assertTrue(t.isCancelled());
    assertEquals(List.of(), List.copyOf(reports.all));
  }
}
