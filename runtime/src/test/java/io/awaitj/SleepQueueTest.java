package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.AllocationTest.SleepOnce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The FIFO of the tasks sleeping one delay (TimerHeap.SleepQueue): every sleeping task waits on
 * itself (no reference from a task to its queue, which may be younger than it or in another heap
 * region), the queue of its first and last task is found in the timer heap's table of ends, and a
 * cancellation anywhere in it leaves the others in order. A planted bug may loop forever (a probe of
 * the table that never ends hung the build once): each test has a time limit, in a thread of its own,
 * which makes the test's loop ({@code newLoop}) and so owns it.
 */
@org.junit.jupiter.api.Timeout(
    value = 30,
    unit = java.util.concurrent.TimeUnit.SECONDS,
    threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SleepQueueTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private EventLoop loop;

  /**
   * Made by each test on its own thread (see the class's time limit), so that thread is the loop's;
   * closed after it, from JUnit's (a loop that is not running may be closed from any thread).
   */
  private void newLoop() {
    loop = EventLoop.createVirtual();
  }

  @AfterEach
  void closeLoop() {
    if (loop != null) {
      loop.close();
    }
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
    newLoop();
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
    newLoop();
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
    newLoop();
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

  @Test
  void aSleepOfANewDelayPastManyQueuesIsTheHeapsOwnEntryAndWakesInItsPlace() {
    for (boolean debug : new boolean[] {false, true}) {
      newLoop();
      loop.setDebug(debug); // (debug mode notes what a sleeping task waits on)
      List<Task<Object>> queued = new ArrayList<>();
      List<Task<Object>> own = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        queued.addAll(sleepers(1, HOUR.plusSeconds(i))); // the first 32 delays make their queues
      }
      for (int i = 0; i < 5; i++) {
        own.addAll(sleepers(1, HOUR.plusSeconds(i).plusMillis(500))); // new delays, once each
      }
      loop.runUntilComplete(Aio.sleep(0));
      for (Task<Object> t : queued) {
        assertTrue(loop.sleepQueueOf(t) != null, "in a queue: " + t);
      }
      for (Task<Object> t : own) {
        assertTrue(loop.sleepQueueOf(t) == null, "in the heap itself: " + t);
      }
      assertEquals(37, loop.timerCount());
      String dump = loop.dumpTasks();
      for (String due : List.of("PT1H0.5S", "PT1H1.5S", "PT1H4.5S")) {
        assertTrue(dump.contains(" sleeping: Aio.sleep timer of its own, due in " + due + "\n"), dump);
      }
      assertTrue(dump.contains(" sleeping: Aio.sleep(PT1H31S) timer\n"), dump);
      own.get(2).cancel(); // in the heap
      queued.get(3).cancel(); // in a queue
      List<Task<Object>> all = new ArrayList<>(queued);
      all.addAll(own);
      List<Task<Object>> woken = new ArrayList<>();
      for (Task<Object> t : wakeAll(all, HOUR.plusSeconds(40))) {
        if (!t.isCancelled()) {
          woken.add(t);
        }
      }
      List<Task<Object>> byDeadline = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        if (i != 3) {
          byDeadline.add(queued.get(i));
        }
        if (i < 5 && i != 2) {
          byDeadline.add(own.get(i));
        }
      }
      assertEquals(byDeadline, woken, "woken by deadline, the heap's own entries among the queues'");
      assertTrue(own.get(2).isCancelled() && queued.get(3).isCancelled());
      assertEquals(0, loop.timerCount());
      loop.close();
      loop = null;
    }
  }

  @Test
  void delaysRepeatingInACycleGetTheirQueuesAtTheirSecondSleep() {
    newLoop();
    // A million tasks sleeping 2 s plus a jitter of whole milliseconds, (i * 7919) % 1000, took the
    // loop twice the CPU time of a queue per delay when the table of delays seen lately forgot a
    // delay whenever another hashed to its slot: 968 of each 1,000 sleeps went to the heap.
    List<Task<Object>> tasks = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      tasks.add(loop.createTask(new SleepOnce(i, Duration.ofMillis(2_000 + (i * 7_919L) % 1_000))));
    }
    loop.runUntilComplete(Aio.sleep(0));
    Placement placed = placement(tasks);
    assertEquals(968, placed.inHeap(), "the first sleep of each delay past the first 32");
    assertEquals(1_000, placed.queues().size());
    List<Task<Object>> woken = wakeAll(tasks, Duration.ofSeconds(4));
    assertEquals(5_000, woken.size());
    for (int i = 1; i < woken.size(); i++) {
      Duration before = ((SleepOnce) woken.get(i - 1).coroutine()).delay();
      assertTrue(before.compareTo(((SleepOnce) woken.get(i).coroutine()).delay()) <= 0, "by delay at " + i);
    }
    assertEquals(0, loop.timerCount());
  }

  /** Where sleeping tasks are: the distinct queues they are in, and how many are the heap's own entries. */
  private record Placement(java.util.Set<TimerHeap.SleepQueue> queues, int inHeap) {}

  private Placement placement(List<Task<Object>> tasks) {
    java.util.Set<TimerHeap.SleepQueue> queues = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    int inHeap = 0;
    for (Task<Object> t : tasks) {
      TimerHeap.SleepQueue q = loop.sleepQueueOf(t);
      if (q == null) {
        inHeap++;
      } else {
        queues.add(q);
      }
    }
    return new Placement(queues, inHeap);
  }

  /** Runs the loop until every task of {@code tasks} is done; returns them in the order they ended. */
  private List<Task<Object>> wakeAll(List<Task<Object>> tasks, Duration until) {
    List<Task<Object>> ended = new ArrayList<>();
    for (Task<Object> t : tasks) {
      t.addDoneCallback(p -> ended.add(t));
    }
    loop.runUntilComplete(Aio.sleep(until));
    return ended;
  }

  @Test
  void aCancellationAtEveryPositionOfAQueueLeavesTheOthersFoundAndInOrder() {
    newLoop();
    for (int n = 1; n <= 6; n++) {
      for (int first = 0; first < n; first++) {
        for (int second = -1; second < n; second++) {
          if (second == first) {
            continue;
          }
          String round = "n=" + n + " cancelled " + first + ", then " + second;
          List<Task<Object>> tasks = sleepers(n, HOUR);
          loop.runUntilComplete(Aio.sleep(0));
          TimerHeap.SleepQueue q = loop.sleepQueueOf(tasks.get(0));
          assertTrue(tasks.get(first).cancel("first"), round);
          if (second >= 0) {
            assertTrue(tasks.get(second).cancel("second"), round);
          }
          List<Task<Object>> left = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            Task<Object> t = tasks.get(i);
            if (i != first && i != second) {
              left.add(t);
              assertSame(t, t.waitingOn(), round + ": task " + i + " waits on itself");
              assertSame(q, loop.sleepQueueOf(t), round + ": task " + i + "'s queue");
            }
          }
          assertEquals(left.size(), loop.timerCount(), round);
          List<Task<Object>> ended = wakeAll(tasks, HOUR.multipliedBy(2));
          List<Task<Object>> woken = new ArrayList<>(ended);
          woken.removeIf(Task::isCancelled);
          assertEquals(left, woken, round + ": the others wake in the order they fell asleep");
          assertTrue(tasks.get(first).isCancelled(), round);
          assertEquals("first", tasks.get(first).cancelledError().getMessage(), round);
          if (second >= 0) {
            assertTrue(tasks.get(second).isCancelled(), round);
          }
          assertEquals(0, loop.timerCount(), round);
        }
      }
    }
  }

  @Test
  void manyDelaysAtOnceKeepEveryQueueFoundAndEveryTaskInDeadlineOrder() {
    newLoop();
    // Hundreds of queues, so the table of ends grows and its removals move entries back.
    Random r = new Random(29);
    List<Task<Object>> tasks = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      tasks.add(loop.createTask(new SleepOnce(i, HOUR.plusMillis(r.nextInt(400)))));
    }
    loop.runUntilComplete(Aio.sleep(0));
    // Past 32 queues a new delay's first sleep is the heap's own entry, its second makes its queue.
    Placement placed = placement(tasks);
    assertTrue(placed.queues().size() >= 300, placed.queues().size() + " queues");
    assertTrue(placed.inHeap() >= 100, placed.inHeap() + " tasks in the heap");
    List<Task<Object>> order = new ArrayList<>(tasks);
    Collections.shuffle(order, r);
    List<Task<Object>> cancelled = new ArrayList<>(order.subList(0, 900));
    for (int i = 0; i < cancelled.size(); i++) {
      assertTrue(cancelled.get(i).cancel());
      if (i % 100 == 0) {
        for (Task<Object> t : tasks) {
          if (t.cancelling() == 0) {
            Duration d = ((SleepOnce) t.coroutine()).delay();
            TimerHeap.SleepQueue q = loop.sleepQueueOf(t);
            assertEquals(
                q == null ? "sleeping: Aio.sleep timer of its own, due in " + d : "Aio.sleep(" + d + ") timer",
                q == null ? t.activity() : q.toString());
          }
        }
      }
    }
    List<Task<Object>> expected = new ArrayList<>(tasks);
    expected.removeAll(cancelled);
    // Every task fell asleep at the same virtual instant: deadline order is delay order, and equal
    // delays keep the order they fell asleep in.
    expected.sort(
        (a, b) -> ((SleepOnce) a.coroutine()).delay().compareTo(((SleepOnce) b.coroutine()).delay()));
    List<Task<Object>> woken = wakeAll(tasks, HOUR.multipliedBy(2));
    woken.removeIf(Task::isCancelled);
    assertEquals(expected, woken);
    assertEquals(0, loop.timerCount());
  }

  @Test
  void aCancellationWhenTheSleepIsDueOrOverEndsTheTaskCancelledWithTheFirstMessage() {
    newLoop();
    // All due at the same instant, run in the order they were set: the timer `before`, the three
    // sleeps' timers, the timer `after`. `before` finds the first two sleeps due (their timers queued
    // behind) and cancels them, the first twice; `after` finds the third over (its timer ran: the task
    // queued to resume).
    List<String> seen = new ArrayList<>();
    List<Task<Object>> tasks = new ArrayList<>();
    loop.callLater(HOUR, () -> {
      Task<Object> t = tasks.get(0);
      seen.add(t.activity());
      assertTrue(t.cancel("due"));
      assertTrue(t.cancel("again"));
      seen.add(t.activity());
      assertTrue(tasks.get(1).cancel("due once"));
    });
    tasks.addAll(sleepers(3, HOUR));
    loop.runUntilComplete(Aio.sleep(0)); // both fall asleep, at the same instant
    loop.callLater(HOUR, () -> {
      Task<Object> t = tasks.get(2);
      seen.add(t.activity());
      assertTrue(t.cancel("over"));
      seen.add(t.activity());
    });
    loop.runUntilComplete(Aio.sleep(HOUR.multipliedBy(2)));
    assertEquals(
        List.of(
            "ready: Yield[the timer of a sleep, due]",
            "ready: Yield[the timer of a sleep, due, cancelled]",
            "ready: Yield[Aio.sleep(0)]",
            "ready: Yield[Aio.sleep(0)]"),
        seen);
    assertTrue(tasks.get(0).isCancelled());
    assertEquals("due", tasks.get(0).cancelledError().getMessage());
    assertEquals(2, tasks.get(0).cancelling());
    assertTrue(tasks.get(1).isCancelled());
    assertEquals("due once", tasks.get(1).cancelledError().getMessage());
    assertTrue(tasks.get(2).isCancelled());
    assertEquals("over", tasks.get(2).cancelledError().getMessage());
    assertFalse(tasks.get(2).isSuccess());
    assertEquals(0, loop.timerCount());
  }

  @Test
  void theTableOfEndsAgreesWithAMapThroughPutsAndRemovals() {
    newLoop();
    // Random keys collide in the table (consecutive sequence numbers seldom do), so removals must
    // move back the entries probed past the hole, also across the end of the array.
    Random r = new Random(31);
    TimerHeap.SleepQueue[] queues = new TimerHeap.SleepQueue[7];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new TimerHeap.SleepQueue(null, i + 1);
    }
    for (int round = 0; round < 400; round++) {
      // A fresh table each round, filled to a few, dozens or hundreds of keys: small tables wrap
      // their probes around the end of the array often.
      TimerHeap.EndTable table = new TimerHeap.EndTable();
      Map<Long, TimerHeap.SleepQueue> model = new HashMap<>();
      long[] pool = new long[new int[] {5, 12, 30, 300}[round % 4]];
      for (int i = 0; i < pool.length; i++) {
        pool[i] = r.nextLong();
      }
      for (int op = 0; op < 2_000; op++) {
        long key = pool[r.nextInt(pool.length)];
        if (model.containsKey(key)) {
          table.remove(key);
          model.remove(key);
        } else {
          TimerHeap.SleepQueue q = queues[r.nextInt(queues.length)];
          table.put(key, q);
          model.put(key, q);
        }
        assertEquals(model.size(), table.size());
        if (pool.length < 100 || op % 50 == 0) {
          for (long k : pool) {
            assertSame(model.get(k), table.get(k), "round " + round + ", op " + op + ", key " + k);
          }
        }
      }
    }
  }

  @Test
  void tasksMadeInsideATaskAreListedNewestFirstWhileTheyRunSleepAndWake() {
    newLoop();
    List<Task<Object>> children = new ArrayList<>();
    List<List<Task<?>>> seen = new ArrayList<>();
    Task<Object> maker =
        loop.createTask(
            Script.of(
                x -> {
                  for (int i = 0; i < 4; i++) {
                    children.add(Aio.createTask(new SleepOnce(i, Duration.ofSeconds(1 + i % 2))));
                  }
                  seen.add(loop.allTasks()); // made: right behind the maker in the list
                  return Aio.sleep(0);
                },
                x -> {
                  seen.add(loop.allTasks()); // asleep: in their queues
                  return Aio.sleep(Duration.ofMillis(1500));
                },
                x -> {
                  seen.add(loop.allTasks()); // two woken and done, two asleep
                  return Aio.gather(children);
                },
                x -> {
                  seen.add(loop.allTasks());
                  return "done";
                }));
    loop.runUntilComplete(maker);
    List<Task<?>> all = new ArrayList<>(children);
    Collections.reverse(all);
    all.add(maker);
    assertEquals(all, seen.get(0));
    assertEquals(all, seen.get(1));
    assertEquals(List.of(children.get(3), children.get(1), maker), seen.get(2));
    assertEquals(List.of(maker), seen.get(3));
    assertEquals(0, loop.allTasks().size());
    assertEquals(0, loop.liveTaskCount());
  }
}
