package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.AllocationTest.SleepOnce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FIFO of the tasks sleeping one delay (TimerHeap.SleepQueue): every sleeping task waits on
 * itself (no reference from a task to its queue, which may be younger than it or in another heap
 * region), the queue of its first and last task is found in the timer heap's table of ends, and a
 * cancellation anywhere in it leaves the others in order.
 */
class SleepQueueTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private EventLoop loop;

  @BeforeEach
  void newLoop() {
    loop = EventLoop.createVirtual();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private List<Task<Object>> sleepers(int n, Duration delay) {
    List<Task<Object>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(loop.createTask(new SleepOnce(i, delay)));
    }
    return tasks;
  }

  @Test
  void everySleepingTaskWaitsOnItselfAndTheEndsAreFoundInTheTable() {
    List<Task<Object>> tasks = sleepers(5, HOUR);
    loop.runUntilComplete(Aio.sleep(0)); // one pass: every task falls asleep
    TimerHeap.SleepQueue q = loop.sleepQueueOf(tasks.get(0));
    assertEquals("Aio.sleep(PT1H) timer", q.toString());
    for (int i = 0; i < 5; i++) {
      assertSame(tasks.get(i), tasks.get(i).waitingOn(), "task " + i + " waits on itself");
      assertSame(q, loop.sleepQueueOf(tasks.get(i)), "task " + i);
      assertEquals("sleeping: Aio.sleep(PT1H) timer", tasks.get(i).activity());
    }
    tasks.get(0).cancel();
    tasks.get(4).cancel();
    for (int i = 1; i < 4; i++) {
      assertSame(tasks.get(i), tasks.get(i).waitingOn(), "task " + i + " waits on itself");
      assertSame(q, loop.sleepQueueOf(tasks.get(i)), "task " + i);
    }
    tasks.get(2).cancel(); // an inner task: unlinked from its neighbours alone
    assertEquals(2, loop.timerCount());
    loop.runUntilComplete(Aio.sleep(HOUR.multipliedBy(2)));
    for (int i = 0; i < 5; i++) {
      Task<Object> t = tasks.get(i);
      assertEquals(i == 1 || i == 3, t.isSuccess(), "task " + i);
      assertEquals(i != 1 && i != 3, t.isCancelled(), "task " + i);
    }
    assertEquals(0, loop.timerCount());
  }

  @Test
  void cancellationsAnywhereLeaveTheOthersWakingInOrder() {
    Random r = new Random(13);
    for (int round = 0; round < 50; round++) {
      int n = 1 + r.nextInt(40);
      // Two delays, interleaved: two queues, each woken in the order its tasks fell asleep.
      List<Task<Object>> tasks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        tasks.add(loop.createTask(new SleepOnce(i, r.nextBoolean() ? HOUR : HOUR.plusSeconds(1))));
      }
      List<Object> woken = new ArrayList<>();
      for (Task<Object> t : tasks) {
        t.addDoneCallback(p -> {
          if (p.isSuccess()) {
            woken.add(p.result());
          }
        });
      }
      loop.runUntilComplete(Aio.sleep(0));
      List<Task<Object>> order = new ArrayList<>(tasks);
      Collections.shuffle(order, r);
      List<Task<Object>> cancelled = order.subList(0, r.nextInt(n + 1));
      for (Task<Object> t : cancelled) {
        assertTrue(t.cancel());
      }
      assertEquals(n - cancelled.size(), loop.timerCount(), "round " + round);
      loop.runUntilComplete(Aio.sleep(HOUR.multipliedBy(2)));
      List<Object> expected = new ArrayList<>();
      for (Duration d : List.of(HOUR, HOUR.plusSeconds(1))) {
        for (Task<Object> t : tasks) {
          if (!cancelled.contains(t) && ((SleepOnce) t.coroutine()).delay().equals(d)) {
            expected.add(t.result());
          }
        }
      }
      assertEquals(expected, woken, "round " + round);
      for (Task<Object> t : cancelled) {
        assertTrue(t.isCancelled());
      }
      assertEquals(0, loop.timerCount());
    }
  }

  @Test
  void theDumpOfAllTasksNamesTheQueueOfEverySleepingTask() {
    List<Task<Object>> tasks = sleepers(6, HOUR);
    tasks.addAll(sleepers(3, HOUR.plusSeconds(1)));
    loop.runUntilComplete(Aio.sleep(0));
    String dump = loop.dumpTasks();
    assertTrue(dump.startsWith("9 tasks not done:"), dump);
    int hour = 0;
    int later = 0;
    for (String line : dump.split("\n")) {
      if (line.startsWith("Task[")) {
        assertTrue(line.contains(" sleeping: Aio.sleep("), line);
        hour += line.endsWith("sleeping: Aio.sleep(PT1H) timer") ? 1 : 0;
        later += line.endsWith("sleeping: Aio.sleep(PT1H1S) timer") ? 1 : 0;
      }
    }
    assertEquals(6, hour, dump);
    assertEquals(3, later, dump);
    for (Task<Object> t : tasks) {
      t.cancel();
    }
  }
}
