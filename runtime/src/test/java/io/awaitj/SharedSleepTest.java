package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Aio.sleep(d)} without a value returns one shared coroutine per delay outside debug mode (as
 * {@code sleep(0)} always did), so that an await of a sleep allocates nothing: each await of it sleeps
 * once, on the awaiting task's own timer, a task or a combinator given it runs a copy, and a sleep
 * with a value, or any sleep in debug mode, stays single-use.
 */
class SharedSleepTest {
  private static final long MS = 1_000_000;

  private EventLoop loop;

  @BeforeEach
  void newLoop() {
    assumeFalse(Debug.DEFAULT, "debug mode by default (awaitj.debug): no sleep is shared");
    assertEquals(0, EventLoop.DEBUG_LOOPS.get(), "a loop in debug mode was left open by another test");
    loop = EventLoop.createVirtual();
  }

  @AfterEach
  void closeLoop() {
    if (loop != null) {
      loop.close();
    }
  }

  @Test
  void aSleepOfADelayIsOneCoroutineThatEachAwaitSleepsOnce() {
    Coroutine<Void> s = Aio.sleep(7);
    assertSame(s, Aio.sleep(7));
    assertSame(s, Aio.sleep(Duration.ofMillis(7)), "the same delay in a Duration");
    assertNotSame(s, Aio.sleep(8));
    long start = loop.nanoTime();
    List<Long> woke = new ArrayList<>();
    loop.runUntilComplete(
        Script.of(
            p -> s,
            p -> woke.add(loop.nanoTime() - start),
            p -> s,
            p -> woke.add(loop.nanoTime() - start)));
    assertEquals(List.of(7 * MS, 14 * MS), woke, "each await slept 7 ms");
    assertFalse(s.isStarted(), "a shared sleep is never started");
  }

  @Test
  void tasksAwaitingOneSharedSleepEachSleepAndWakeInTheOrderTheyBegan() {
    Coroutine<Void> s = Aio.sleep(5);
    long start = loop.nanoTime();
    List<String> woke = new ArrayList<>();
    loop.runUntilComplete(
        Script.of(
            p -> {
              List<Task<Object>> tasks = new ArrayList<>();
              for (int i = 0; i < 3; i++) {
                String name = "t" + i;
                tasks.add(
                    Aio.createTask(
                        Script.of(q -> s, q -> woke.add(name + "@" + (loop.nanoTime() - start) / MS))));
              }
              return Aio.gather(tasks);
            }));
    assertEquals(List.of("t0@5", "t1@5", "t2@5"), woke);
    assertEquals(0, loop.timerCount());
  }

  @Test
  void aTaskOrACombinatorGivenASharedSleepRunsACopyOfIt() {
    Coroutine<Void> s = Aio.sleep(3);
    Task<Void> t = loop.createTask(s);
    assertNotSame(s, t.coroutine(), "the task runs a copy");
    assertFalse(s.isStarted());
    assertTrue(t.coroutine().isStarted());
    long start = loop.nanoTime();
    loop.runUntilComplete(t);
    assertEquals(3 * MS, loop.nanoTime() - start);
    loop.runUntilComplete(s); // again: a task of a copy
    assertEquals(6 * MS, loop.nanoTime() - start);
    List<Object> gathered =
        loop.runUntilComplete(Script.of(p -> Aio.gather(s, s, s)));
    assertEquals(Arrays.asList(null, null, null), gathered, "one task for each time it is passed");
    assertEquals(9 * MS, loop.nanoTime() - start, "the three tasks slept at once");
    int[] completions = new int[1];
    loop.runUntilComplete(
        Script.of(
            p -> {
              List<Coroutine<Void>> next = Aio.asCompleted(List.of(s, s));
              assertEquals(2, next.size(), "a shared sleep counts each time it is passed");
              return Script.of(q -> next.get(0), q -> next.get(1), q -> ++completions[0]);
            }));
    assertEquals(1, completions[0]);
    assertEquals(12 * MS, loop.nanoTime() - start, "the two tasks slept at once");
    assertFalse(s.isStarted());
  }

  @Test
  void aCancelledTaskSleepingASharedSleepLeavesItUsableByOthers() {
    Coroutine<Void> s = Aio.sleep(10);
    long start = loop.nanoTime();
    List<String> log = new ArrayList<>();
    loop.runUntilComplete(
        Script.of(
            p -> {
              Task<Object> cancelled = Aio.createTask(Script.of(q -> s, q -> log.add("not reached")));
              Task<Object> other = Aio.createTask(Script.of(q -> s, q -> log.add("other woke")));
              return Script.of(
                  q -> Aio.sleep(0),
                  q -> cancelled.cancel(),
                  q -> other,
                  q -> {
                    assertTrue(cancelled.isCancelled());
                    return null;
                  });
            }));
    assertEquals(List.of("other woke"), log);
    assertEquals(10 * MS, loop.nanoTime() - start);
    assertFalse(s.isStarted());
  }

  /**
   * The table of shared sleeps, filled and read by several threads at once with more delays than it
   * has slots: every sleep any thread is handed sleeps its own delay.
   */
  @Test
  void everySleepSleepsItsOwnDelayWhateverTheThreadsShareOfTheTable() throws InterruptedException {
    int threads = 4;
    int delays = 300;
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      int first = k;
      Thread th =
          new Thread(
              () -> {
                EventLoop own = EventLoop.createVirtual();
                try {
                  go.await();
                  for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < delays; i++) {
                      long d = 1 + (first * 7L + i * 13L) % delays;
                      Coroutine<Void> s = Aio.sleep(d);
                      long start = own.nanoTime();
                      own.runUntilComplete(Script.of(p -> s));
                      long slept = own.nanoTime() - start;
                      if (slept != d * MS) {
                        wrong.add("sleep(" + d + ") slept " + slept + " ns: " + s);
                      }
                    }
                  }
                } catch (Throwable e) {
                  wrong.add(e.toString());
                } finally {
                  own.close();
                }
              });
      th.start();
      started.add(th);
    }
    go.countDown();
    for (Thread th : started) {
      th.join(TimeUnit.MINUTES.toMillis(2));
      assertFalse(th.isAlive(), "a thread did not finish");
    }
    assertEquals(List.of(), List.copyOf(wrong));
  }

  @Test
  void aSleepWithAValueRunsOnce() {
    Coroutine<String> s = Aio.sleep(Duration.ofMillis(2), "v");
    assertNotSame(s, Aio.sleep(Duration.ofMillis(2), "v"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(Script.of(p -> s, p -> s)));
    assertTrue(e.getMessage().contains("coroutine already awaited"), e.getMessage());
    assertTrue(s.isStarted());
  }

  @Test
  void inDebugModeEverySleepIsNewAndRunsOnce() {
    EventLoop debug = EventLoop.createVirtual();
    debug.setDebug(true);
    try {
      Coroutine<Void> s = Aio.sleep(4);
      assertNotSame(s, Aio.sleep(4), "debug mode: a new sleep for every call");
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> debug.runUntilComplete(Script.of(p -> s, p -> s)));
      assertTrue(e.getMessage().contains("coroutine already awaited"), e.getMessage());
    } finally {
      debug.close();
    }
    assertSame(Aio.sleep(4), Aio.sleep(4), "shared again once no loop is in debug mode");
  }
}
