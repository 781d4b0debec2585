package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A promise with many callbacks (more than the four of its small array, so they live in its counted
 * list): they run in the order they were added, tasks and consumers alike; removal takes every
 * registration of a callback and keeps the others in order; removal is one pass; a list emptied or
 * mostly emptied by removals takes new callbacks in order. The runtime's listeners (shield, wait,
 * asCompleted) that stop listening are counted, never run, and dropped together once they are more
 * than half of the list, so that N of them leaving one promise cost O(N), not O(N²).
 */
class PromiseCallbacksTest {
  private EventLoop loop;
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void newLoop() {
    loop = EventLoop.createVirtual();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  /** A consumer that logs its name when the promise is done. */
  private Consumer<Promise<Object>> logger(String name) {
    return p -> log.add(name);
  }

  private static List<String> names(IntStream indexes) {
    return indexes.mapToObj(Integer::toString).collect(Collectors.toList());
  }

  @Test
  void manyCallbacksRunInTheOrderTheyWereAdded() {
    Promise<Object> p = loop.createPromise();
    int n = 300;
    for (int i = 0; i < n; i++) {
      String name = Integer.toString(i);
      if (i % 10 == 3) {
        // A task awaiting p: registered when it first runs, so run it now.
        loop.createTask(Script.of(x -> p, v -> log.add(name)));
        loop.runOnce();
      } else {
        p.addDoneCallback(logger(name));
      }
    }
    assertEquals(n, p.callbackCount());
    p.complete("done");
    assertEquals(0, p.callbackCount());
    loop.runOnce();
    assertEquals(names(IntStream.range(0, n)), log);
  }

  @Test
  void removingACallbackTakesEveryRegistrationAndKeepsTheOthersInOrder() {
    Promise<Object> p = loop.createPromise();
    Consumer<Promise<Object>> x = logger("x");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      if (i == 0 || i == 7 || i == 49) {
        p.addDoneCallback(x);
      } else {
        p.addDoneCallback(logger(Integer.toString(i)));
        expected.add(Integer.toString(i));
      }
    }
    assertEquals(3, p.removeDoneCallback(x));
    assertEquals(0, p.removeDoneCallback(x));
    assertEquals(47, p.callbackCount());
    p.addDoneCallback(x);
    p.addDoneCallback(logger("50"));
    expected.add("x");
    expected.add("50");
    p.complete("done");
    loop.runOnce();
    assertEquals(expected, log);
  }

  @Test
  void aListEmptiedOrMostlyEmptiedByRemovalsTakesNewCallbacksInOrder() {
    Promise<Object> p = loop.createPromise();
    List<Consumer<Promise<Object>>> first = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Consumer<Promise<Object>> c = logger("first " + i);
      first.add(c);
      p.addDoneCallback(c);
    }
    for (Consumer<Promise<Object>> c : first) {
      assertEquals(1, p.removeDoneCallback(c));
    }
    assertEquals(0, p.callbackCount());
    List<Consumer<Promise<Object>>> second = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Consumer<Promise<Object>> c = logger(Integer.toString(i));
      second.add(c);
      p.addDoneCallback(c);
    }
    // 95 of 100 leave (the list gives back most of its space), then 20 more arrive.
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      if (i % 20 != 0) {
        assertEquals(1, p.removeDoneCallback(second.get(i)));
      } else {
        expected.add(Integer.toString(i));
      }
    }
    assertEquals(5, p.callbackCount());
    for (int i = 100; i < 120; i++) {
      p.addDoneCallback(logger(Integer.toString(i)));
      expected.add(Integer.toString(i));
    }
    assertEquals(25, p.callbackCount());
    p.complete("done");
    loop.runOnce();
    assertEquals(expected, log);
  }

  @Test
  void removalIsOnePass() {
    Promise<Object> p = loop.createPromise();
    int n = 1000;
    int[] equalsCalls = {0};
    List<Counted> callbacks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Counted c = new Counted(equalsCalls);
      callbacks.add(c);
      p.addDoneCallback(c);
    }
    assertEquals(1, p.removeDoneCallback(callbacks.get(n / 2)));
    // Each other registration is compared once; the removed one is the same object, not compared.
    assertEquals(n - 1, equalsCalls[0]);
    assertEquals(n - 1, p.callbackCount());
  }

  /** A consumer that counts the calls of its {@code equals}, and equals only itself. */
  private static final class Counted implements Consumer<Promise<Object>> {
    private final int[] equalsCalls;

    Counted(int[] equalsCalls) {
      this.equalsCalls = equalsCalls;
    }

    @Override
    public void accept(Promise<Object> p) {}

    @Override
    public boolean equals(Object o) {
      equalsCalls[0]++;
      return o == this;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  @Test
  void cancelledShieldsOfASharedPromiseLeaveItsCallbacks() {
    Promise<Object> shared = loop.createPromise();
    List<Promise<Object>> shields = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      shields.add(Aio.shield(shared));
    }
    assertEquals(20, shared.callbackCount());
    assertTrue(shields.get(0).cancel());
    assertTrue(shields.get(5).cancel());
    assertTrue(shields.get(19).cancel());
    assertEquals(17, shared.callbackCount());
    shared.complete("v");
    loop.runOnce();
    for (int i = 0; i < 20; i++) {
      Promise<Object> s = shields.get(i);
      if (i == 0 || i == 5 || i == 19) {
        assertTrue(s.isCancelled(), "shield " + i);
      } else {
        assertEquals("v", s.result(), "shield " + i);
      }
    }
  }

  @Test
  void shieldsLeavingAPromiseAreCountedAndDroppedTogetherNotSearchedOneByOne() {
    Promise<Object> shared = loop.createPromise();
    int n = 1000;
    List<Promise<Object>> shields = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shields.add(Aio.shield(shared));
    }
    p(shared, n, n);
    // Each cancelled shield is only counted while they are at most half of the list...
    for (int i = 0; i < 500; i++) {
      assertTrue(shields.get(i).cancel());
    }
    p(shared, 500, n);
    // ...and the one that makes them more than half drops them all in one pass.
    assertTrue(shields.get(500).cancel());
    p(shared, 499, 499);
    for (int i = 501; i < 750; i++) {
      assertTrue(shields.get(i).cancel());
    }
    p(shared, 250, 499);
    assertTrue(shields.get(750).cancel());
    p(shared, 249, 249);
    shared.complete("v");
    loop.runOnce();
    for (int i = 0; i < n; i++) {
      Promise<Object> s = shields.get(i);
      if (i <= 750) {
        assertTrue(s.isCancelled(), "shield " + i);
      } else {
        assertEquals("v", s.result(), "shield " + i);
      }
    }
  }

  /** Asserts how many callbacks {@code p} has and how many slots of its list are in use. */
  private static void p(Promise<?> p, int callbacks, int slots) {
    assertEquals(callbacks, p.callbackCount(), "callbacks");
    assertEquals(slots, p.callbackSlots(), "slots in use");
  }

  @Test
  void aCancelledShieldStillInTheListIsNotRunWhenThePromiseCompletes() {
    // 10 shields among 40 callbacks: cancelling all of them leaves them in the list (they are not
    // more than half of it), and a run of one would retrieve the shared promise's exception.
    Promise<Object> shared = loop.createPromise();
    List<Promise<Object>> shields = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      if (i % 4 == 0) {
        shields.add(Aio.shield(shared));
      } else {
        shared.addDoneCallback(logger(Integer.toString(i)));
      }
    }
    shields.forEach(s -> assertTrue(s.cancel()));
    p(shared, 30, 40);
    shared.fail(new IllegalStateException("nobody asked"));
    while (loop.runOnce()) {}
    assertEquals(30, log.size());
    assertTrue(shared.isExceptionUnretrieved(), "a cancelled shield ran and retrieved the failure");
    shared.markRetrieved();
  }

  @Test
  void manyWaitsOnOneSharedPromiseLeaveItWhenTheirOwnCompletes() {
    Promise<Object> shared = loop.createPromise();
    int n = 300;
    List<Promise<Object>> own = new ArrayList<>();
    List<Task<WaitResult<Promise<Object>>>> waits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Promise<Object> mine = loop.createPromise();
      own.add(mine);
      waits.add(loop.createTask(Aio.wait(List.of(shared, mine), ReturnWhen.FIRST_COMPLETED)));
    }
    while (loop.runOnce()) {}
    p(shared, n, n);
    for (int i = 0; i < n; i++) {
      own.get(i).complete(i);
    }
    while (loop.runOnce()) {}
    for (int i = 0; i < n; i++) {
      assertEquals(List.of(own.get(i)), List.copyOf(waits.get(i).result().done()), "wait " + i);
    }
    p(shared, 0, 0);
    // Every wait left shared: its completion wakes nobody.
    shared.complete("late");
    assertFalse(loop.runOnce());
  }

  @Test
  void asCompletedThatTimedOutLeavesTheSharedPromise() {
    Promise<Object> shared = loop.createPromise();
    int n = 100;
    List<Task<Object>> nexts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nexts.add(
          loop.createTask(Aio.asCompleted(List.<Awaitable<Object>>of(shared), Duration.ofSeconds(1)).get(0)));
    }
    loop.runOnce();
    p(shared, n, n);
    while (loop.runOnce()) {}
    for (int i = 0; i < n; i++) {
      Task<Object> t = nexts.get(i);
      assertTrue(t.failure() instanceof AsyncTimeoutException, "next " + i + ": " + t);
    }
    p(shared, 0, 0);
  }
}
