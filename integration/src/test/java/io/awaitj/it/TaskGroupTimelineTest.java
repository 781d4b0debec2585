package io.awaitj.it;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.TaskGroup;
import io.awaitj.TaskGroupException;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link TaskGroup} observed on the test's virtual clock ({@code awaitj-junit}'s {@link AsyncTest}):
 * the block waits for the last of its tasks; a task's failure cancels the others and the block at
 * that instant; a cancellation from outside reaches the tasks, and the group still waits for them.
 */
class TaskGroupTimelineTest {
  /** Sleeps {@code seconds}, then fails if {@code fail}; notes in {@code log} how it ended, when. */
  @Async
  static Coroutine<String> child(String name, long seconds, boolean fail, List<String> log) {
    try {
      await(Aio.sleep(Duration.ofSeconds(seconds)));
    } catch (CancelledError e) {
      log.add(name + " cancelled at " + second());
      throw e;
    }
    if (fail) {
      log.add(name + " fails at " + second());
      throw new IllegalStateException(name);
    }
    log.add(name + " done at " + second());
    return done(name);
  }

  /** A block with a group of three children, of 10 s, 20 s and 30 s, the second failing if asked. */
  @Async
  static Coroutine<String> block(boolean fail, List<String> log) {
    try (TaskGroup group = new TaskGroup()) {
      group.createTask(child("a", 10, false, log));
      group.createTask(child("b", 20, fail, log));
      group.createTask(child("c", 30, false, log));
    } catch (TaskGroupException e) {
      log.add("block caught " + e.exceptions().size() + " at " + second());
      return done("failed");
    }
    log.add("block done at " + second());
    return done("ok");
  }

  /** A block whose group's only child takes {@code cleanup} seconds to stop once cancelled. */
  @Async
  static Coroutine<String> blockWithSlowChild(long cleanup, List<String> log) {
    try (TaskGroup group = new TaskGroup()) {
      group.createTask(slowToStop(cleanup, log));
    } catch (CancelledError e) {
      log.add("block cancelled at " + second());
      throw e;
    }
    return done("never");
  }

  @Async
  static Coroutine<Void> slowToStop(long cleanup, List<String> log) {
    try {
      await(Aio.sleep(Duration.ofHours(1)));
      return done();
    } catch (CancelledError e) {
      log.add("child cancelled at " + second());
      await(Aio.shield(Aio.sleep(Duration.ofSeconds(cleanup))));
      log.add("child stopped at " + second());
      throw e;
    }
  }

  static long second() {
    return Aio.loop().nanoTime() / 1_000_000_000L;
  }

  @AsyncTest(timeout = 60)
  void theBlockWaitsForItsLastTask(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(TaskGroupTimelineTestAsync.block(false, log));
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(List.of("a done at 10"), log);
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(List.of("a done at 10", "b done at 20"), log);
    assertFalse(task.isDone(), "the block ended before its last task");
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(List.of("a done at 10", "b done at 20", "c done at 30", "block done at 30"), log);
    assertEquals("ok", task.result());
  }

  @AsyncTest(timeout = 60)
  void aFailingTaskCancelsTheOthersAtOnce(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(TaskGroupTimelineTestAsync.block(true, log));
    time.advanceBy(Duration.ofSeconds(19));
    assertEquals(List.of("a done at 10"), log);
    time.advanceBy(Duration.ofSeconds(1));
    // At 20 s: b fails, c (due at 30 s) is cancelled, and the block ends, all at 20 s.
    assertEquals(List.of("a done at 10", "b fails at 20", "c cancelled at 20", "block caught 1 at 20"),
        log);
    assertEquals("failed", task.result());
    assertEquals(Duration.ofSeconds(20), time.now());
  }

  @AsyncTest(timeout = 60)
  void aCancelledBlockWaitsForItsTasksToStop(EventLoop loop, TestTime time) {
    List<String> log = new ArrayList<>();
    Task<String> task = loop.createTask(TaskGroupTimelineTestAsync.blockWithSlowChild(3, log));
    time.advanceBy(Duration.ofSeconds(10));
    task.cancel();
    time.runCurrent();
    assertEquals(List.of("child cancelled at 10"), log);
    assertFalse(task.isDone(), "the block ended before its task stopped");
    time.advanceBy(Duration.ofSeconds(3));
    assertEquals(List.of("child cancelled at 10", "child stopped at 13", "block cancelled at 13"), log);
    assertTrue(task.isCancelled());
    assertThrows(CancelledError.class, task::result);
  }
}
