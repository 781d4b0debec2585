package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Timers of a relative delay (callLater, and the timeouts of Aio.timeout, Aio.waitFor, Timeout's
 * reschedule(Duration)) wait in the FIFO of their delay, beside the tasks sleeping it (see TimerHeap):
 * checked against a model that orders every timer and sleep by (deadline, sequence) whatever holds
 * it. A planted bug may loop forever, so each test has a time limit in a thread of its own; every
 * loop a test uses is made on that thread, which becomes the loop's.
 */
@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class TimerQueueTest {
  private static final Runnable NOOP = () -> {};

  /** A timer or a sleep as the model sees it. */
  private record Entry(long deadline, long sequence, Object what, long delay) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingLong(Entry::deadline).thenComparingLong(Entry::sequence);

  /** A coroutine that is never run: its task only stands in the sleep queues of a bare heap. */
  private static final class Never extends Coroutine<Object> {
    @Override
    protected Object step() {
      throw illegalState();
    }
  }

  @Test
  void timersSleepsAndCancellationsFireInDeadlineThenSequenceOrderAsAModelSays() {
    EventLoop loop = EventLoop.createVirtual(); // made here: this thread is the loop's
    try {
      Random r = new Random(41);
      for (int round = 0; round < 300; round++) {
        runModel(loop, new Random(r.nextLong()), round);
      }
    } finally {
      loop.close();
    }
  }

  /**
   * One random run on a bare {@link TimerHeap}: callLater with a few delays, callAt anywhere around
   * the clock, sleeps, cancellations (first, inner, last of a queue, a timer twice, a timer that has
   * fired), the clock moving on and, now and then, back.
   */
  private static void runModel(EventLoop loop, Random r, int round) {
    TimerHeap heap = new TimerHeap(loop);
    PriorityQueue<Entry> model = new PriorityQueue<>(ORDER);
    List<Entry> live = new ArrayList<>();
    List<TimerHandle> gone = new ArrayList<>();
    // One round in three draws from many delays: more queues than the table keeps for timers whose
    // delay is new, so some timers go to the heap and some delays get their queue on a repeat.
    long[] delays = round % 3 == 2 ? manyDelays(r) : new long[] {1, 5, 5_000, 12_345, 1L << 40};
    long now = r.nextInt(3) == 0 ? -1_000_000 : 0; // a real clock may read negative
    long sequence = 0;
    int ops = 20 + r.nextInt(400);
    for (int op = 0; op < ops; op++) {
      String at = "round " + round + ", op " + op;
      int kind = r.nextInt(100);
      if (kind < 30) {
        long delay = delays[r.nextInt(delays.length)];
        long deadline = EventLoop.deadlineAfterNanos(now, delay);
        TimerHandle t = heap.addLater(NOOP, delay, deadline, sequence);
        add(model, live, new Entry(deadline, sequence++, t, delay));
      } else if (kind < 40) {
        long deadline = now + r.nextInt(20_000) - 5_000;
        TimerHandle t = new TimerHandle(loop, NOOP, deadline, sequence);
        heap.add(t);
        add(model, live, new Entry(deadline, sequence++, t, -1));
      } else if (kind < 60) {
        long delay = delays[r.nextInt(delays.length)];
        long deadline = EventLoop.deadlineAfterNanos(now, delay);
        Task<Object> t = new Task<>(loop, new Never(), null, sequence);
        heap.addSleeper(t, delay, deadline, sequence);
        add(model, live, new Entry(deadline, sequence++, t, delay));
      } else if (kind < 80 && !live.isEmpty()) {
        Entry e = pickToCancel(r, live);
        cancel(heap, e);
        model.remove(e);
        live.remove(e);
        if (e.what instanceof TimerHandle t) {
          gone.add(t);
          if (r.nextBoolean()) {
            heap.remove(t); // twice: nothing more
          }
        }
      } else if (kind < 83 && !gone.isEmpty()) {
        heap.remove(gone.get(r.nextInt(gone.size()))); // cancelled or fired already: nothing
      } else if (kind < 87) {
        now -= r.nextInt(10_000); // a clock set back
      } else {
        now += r.nextInt(r.nextBoolean() ? 100 : 20_000);
        Ready due;
        while ((due = heap.pollDue(now)) != null) {
          Entry e = model.poll();
          assertTrue(e != null && e.deadline <= now, at + ": nothing was due, yet " + due);
          assertSame(e.what, due, at + ": fired in (deadline, sequence) order");
          live.remove(e);
          if (due instanceof TimerHandle t) {
            gone.add(t);
          } else {
            Task<?> t = (Task<?>) due;
            assertTrue(t.prevLive == null && t.nextLive == null, at + ": a woken task's links are free");
          }
        }
        Entry next = model.peek();
        assertTrue(next == null || next.deadline > now, at + ": " + next + " was due and did not fire");
      }
      assertEquals(model.size(), heap.size(), at + ": timers and sleepers");
      assertEquals(
          model.isEmpty() ? EventLoop.NEVER : model.peek().deadline, heap.firstDeadline(), at);
      if (op % 16 == 0) {
        checkQueues(heap, live, at);
      }
    }
    // Every timer and sleep left fires, in order, once the clock reaches its deadline.
    Ready due;
    while ((due = heap.pollDue(Long.MAX_VALUE)) != null) {
      assertSame(model.poll().what, due, "round " + round + ", the end");
    }
    assertTrue(model.isEmpty(), "round " + round + ": left " + model);
    assertEquals(0, heap.size());
    for (TimerHandle t : gone) {
      assertEquals(-1, t.heapIndex, "round " + round + ": " + t + " left");
    }
  }

  /** The five delays of the other rounds and 120 more, from 1 ns to 60 µs: few repeat often. */
  private static long[] manyDelays(Random r) {
    long[] delays = new long[125];
    long[] five = {1, 5, 5_000, 12_345, 1L << 40};
    System.arraycopy(five, 0, delays, 0, 5);
    for (int i = 5; i < delays.length; i++) {
      delays[i] = 1 + r.nextInt(60_000);
    }
    return delays;
  }

  private static void add(PriorityQueue<Entry> model, List<Entry> live, Entry e) {
    model.add(e);
    live.add(e);
  }

  /**
   * An entry to cancel: mostly the first or the last of its delay's entries (the ends of a queue, found
   * differently from an inner one), otherwise any.
   */
  private static Entry pickToCancel(Random r, List<Entry> live) {
    Entry any = live.get(r.nextInt(live.size()));
    int end = r.nextInt(3);
    if (end == 2 || any.delay < 0) {
      return any;
    }
    Entry pick = any;
    for (Entry e : live) {
      boolean sameQueue = e.delay == any.delay && e.what.getClass() == any.what.getClass();
      if (sameQueue && (end == 0 ? ORDER.compare(e, pick) < 0 : ORDER.compare(e, pick) > 0)) {
        pick = e;
      }
    }
    return pick;
  }

  private static void cancel(TimerHeap heap, Entry e) {
    if (e.what instanceof TimerHandle t) {
      heap.remove(t);
    } else {
      heap.removeSleeper((Task<?>) e.what);
    }
  }

  /**
   * Every live timer of a relative delay is in the queue of that delay (unless the clock went back and
   * sent it to the heap), each queue's timers are in deadline order, and every sleeping task's queue
   * is found.
   */
  private static void checkQueues(TimerHeap heap, List<Entry> live, String at) {
    for (Entry e : live) {
      if (e.what instanceof TimerHandle t) {
        if (t.heapIndex == TimerHandle.IN_QUEUE) {
          assertEquals(e.delay, t.queue().delay, at + ": " + e);
          assertTrue(t.prev == null || t.prev.deadline <= t.deadline, at + ": queue order");
          assertTrue(t.next == null || t.next.deadline >= t.deadline, at + ": queue order");
          assertTrue(t.prev != null || t.queue().firstTimer == t, at + ": first of its queue");
          assertTrue(t.next != null || t.queue().lastTimer == t, at + ": last of its queue");
        } else {
          assertTrue(t.heapIndex >= 0, at + ": " + e + " is nowhere");
        }
      } else {
        Task<?> t = (Task<?>) e.what;
        TimerHeap.SleepQueue q = heap.queueOf(t);
        if (q == null) {
          assertTrue(t.sleepSequence < -1, at + ": " + e + " is in no queue, yet not in the heap");
        } else {
          assertEquals(e.delay, q.delay, at + ": " + e);
        }
      }
    }
  }

  @Test
  void callLaterAndTimeoutsOfOneDelayShareAQueueAndLeaveItWhenCancelled() {
    EventLoop loop = EventLoop.createVirtual();
    try {
      List<String> fired = new ArrayList<>();
      TimerHandle a = loop.callLater(Duration.ofSeconds(30), () -> fired.add("a"));
      TimerHandle at = loop.callAt(loop.nanoTime() + Duration.ofSeconds(30).toNanos(), () -> {});
      TimerHandle b = loop.callLater(Duration.ofSeconds(30), () -> fired.add("b"));
      TimerHandle c = loop.callLater(Duration.ofSeconds(30), () -> fired.add("c"));
      TimerHandle other = loop.callLater(Duration.ofSeconds(31), () -> fired.add("other"));
      for (TimerHandle t : List.of(a, b, c, other)) {
        assertEquals(TimerHandle.IN_QUEUE, t.heapIndex);
        assertSame(loop, t.loop());
      }
      assertSame(a.queue(), b.queue());
      assertSame(a.queue(), c.queue());
      assertNotSame(a.queue(), other.queue());
      assertTrue(at.heapIndex >= 0, "callAt's timer is in the heap itself");
      assertSame(loop, at.loop());
      assertEquals(5, loop.timerCount());
      b.cancel(); // an inner one
      b.cancel();
      at.cancel();
      assertTrue(b.heapIndex == -1 && b.prev == null && b.next == null);
      assertSame(c, a.next);
      assertEquals(3, loop.timerCount());
      a.cancel(); // the first
      assertSame(c, c.queue().firstTimer);
      loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(40)));
      assertEquals(List.of("c", "other"), fired);
      assertEquals(0, loop.timerCount());
      c.cancel(); // fired already: nothing
      assertEquals(0, loop.timerCount());
    } finally {
      loop.close();
    }
  }

  @Test
  void aTimerOfANewDelayGoesToTheHeapOnceTheTableHoldsManyQueuesAndARepeatedDelayGetsOne() {
    EventLoop loop = EventLoop.createVirtual();
    try {
      List<String> fired = new ArrayList<>();
      List<TimerHandle> first = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        first.add(loop.callLater(Duration.ofNanos(1_000 + i), () -> {}));
      }
      for (TimerHandle t : first) {
        assertEquals(TimerHandle.IN_QUEUE, t.heapIndex, "a queue for each of the first 32 delays");
      }
      TimerHandle a = loop.callLater(Duration.ofNanos(5_000), () -> fired.add("a"));
      TimerHandle b = loop.callLater(Duration.ofNanos(5_001), () -> fired.add("b"));
      TimerHandle c = loop.callLater(Duration.ofNanos(5_000), () -> fired.add("c"));
      TimerHandle d = loop.callLater(Duration.ofNanos(5_000), () -> fired.add("d"));
      assertTrue(a.heapIndex >= 0, "a new delay: the heap");
      assertTrue(b.heapIndex >= 0, "another new delay: the heap");
      assertSame(loop, a.loop());
      assertEquals(TimerHandle.IN_QUEUE, c.heapIndex, "its delay repeats: a queue");
      assertSame(c.queue(), d.queue());
      assertEquals(36, loop.timerCount());
      first.forEach(TimerHandle::cancel);
      // Due at the same instant, a (heap) and c, d (queue) fire in the order they were set.
      loop.runUntilComplete(Aio.sleep(Duration.ofMillis(1)));
      assertEquals(List.of("a", "c", "d", "b"), fired);
      assertEquals(0, loop.timerCount());
    } finally {
      loop.close();
    }
  }

  @Test
  void delaysRepeatingInACycleGetTheirQueuesAtTheirSecondTimer() {
    EventLoop loop = EventLoop.createVirtual();
    try {
      // 1,000 delays of whole milliseconds in a scattered order that repeats (a jitter): each
      // comes back after the 999 others. Only the first timer of each delay past the first 32 may
      // go to the heap; a table of the delays seen lately that forgot one whenever another hashed
      // to its slot sent 96.8% of them there, every round.
      int inHeap = 0;
      java.util.Set<Object> queues = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (int i = 0; i < 5_000; i++) {
        TimerHandle t = loop.callLater(Duration.ofMillis(2_000 + (i * 7_919L) % 1_000), () -> {});
        if (t.heapIndex == TimerHandle.IN_QUEUE) {
          queues.add(t.queue());
        } else {
          inHeap++;
        }
      }
      assertEquals(968, inHeap, "the first timer of each delay past the first 32");
      assertEquals(1_000, queues.size());
      assertEquals(5_000, loop.timerCount());
    } finally {
      loop.close();
    }
  }

  @Test
  void aRepeatedDelayGetsAQueueOnlyWhileItsLastTimerWaits() {
    EventLoop loop = EventLoop.createVirtual();
    try {
      for (int i = 0; i < 32; i++) {
        loop.callLater(Duration.ofHours(1).plusNanos(i), () -> {});
      }
      List<String> fired = new ArrayList<>();
      Duration d = Duration.ofMillis(5);
      assertTrue(loop.callLater(d, () -> fired.add("a")).heapIndex >= 0, "new: the heap");
      loop.runUntilComplete(Aio.sleep(Duration.ofMillis(6)));
      assertEquals(List.of("a"), fired);
      // Seen, but its timer is over: a queue would hold this one alone.
      assertTrue(loop.callLater(d, () -> fired.add("b")).heapIndex >= 0, "its last timer fired: the heap");
      TimerHandle c = loop.callLater(d, () -> fired.add("c"));
      assertEquals(TimerHandle.IN_QUEUE, c.heapIndex, "its last timer waits: a queue");
      loop.runUntilComplete(Aio.sleep(Duration.ofMillis(6)));
      assertEquals(List.of("a", "b", "c"), fired);
      TimerHandle e = loop.callLater(d, () -> fired.add("e"));
      assertEquals(TimerHandle.IN_QUEUE, e.heapIndex, "its queue is kept, empty, in the table");
      assertSame(c.queue(), e.queue());
      assertEquals(33, loop.timerCount());
    } finally {
      loop.close();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(
      value = 30,
      unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void theDelaysSeenLatelyAreForgottenPastTwoThousandOthersSoTheirSetNeverFills() {
    EventLoop loop = EventLoop.createVirtual(); // made here, in the test's own thread: the loop's
    try {
      for (int i = 0; i < 32; i++) {
        loop.callLater(Duration.ofNanos(1_000 + i), () -> {});
      }
      // 20,000 new delays, once each: all in the heap, the set of delays seen emptied ten times
      // (a set that never emptied would fill and its probe never end).
      TimerHandle first = loop.callLater(Duration.ofMillis(1), () -> {});
      for (int i = 1; i <= 20_000; i++) {
        assertTrue(loop.callLater(Duration.ofMillis(1).plusNanos(i), () -> {}).heapIndex >= 0, "new: " + i);
      }
      assertTrue(first.heapIndex >= 0);
      TimerHandle again = loop.callLater(Duration.ofMillis(1), () -> {});
      assertTrue(again.heapIndex >= 0, "seen 20,000 delays ago: forgotten, the heap again");
      TimerHandle last = loop.callLater(Duration.ofMillis(1).plusNanos(20_000), () -> {});
      assertEquals(TimerHandle.IN_QUEUE, last.heapIndex, "seen just now: a queue");
      assertEquals(
          TimerHandle.IN_QUEUE, loop.callLater(Duration.ofMillis(1), () -> {}).heapIndex, "seen again: a queue");
      assertEquals(20_036, loop.timerCount());
    } finally {
      loop.close();
    }
  }

  @Test
  void aTimerCancelledFromAnotherThreadNeverRunsAndLeavesItsQueue() throws Exception {
    EventLoop loop = EventLoop.createVirtual();
    try {
      List<String> fired = new ArrayList<>();
      List<TimerHandle> timers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String name = "t" + i;
        timers.add(loop.callLater(Duration.ofSeconds(30), () -> fired.add(name)));
      }
      CompletableFuture<Void> cancelled =
          CompletableFuture.runAsync(
              () -> {
                timers.get(0).cancel(); // the first
                timers.get(2).cancel(); // an inner one
                timers.get(4).cancel(); // the last
              });
      cancelled.get(10, TimeUnit.SECONDS);
      for (int i : new int[] {0, 2, 4}) {
        assertTrue(timers.get(i).isCancelled(), "marked at once");
      }
      assertEquals(5, loop.timerCount(), "the removals wait for the loop");
      loop.runUntilComplete(Aio.sleep(0));
      assertEquals(2, loop.timerCount());
      assertSame(timers.get(3), timers.get(1).next);
      loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(31)));
      assertEquals(List.of("t1", "t3"), fired);
      assertEquals(0, loop.timerCount());
    } finally {
      loop.close();
    }
  }

  @Test
  void timeoutsOfARelativeDelayWaitInTheQueueAndAnAbsoluteOneInTheHeap() {
    EventLoop loop = EventLoop.createVirtual();
    try {
      List<Object> seen = new ArrayList<>();
      Task<Object> task =
          loop.createTask(
              Script.of(
                  x -> {
                    io.awaitj.Timeout relative = Aio.timeout(Duration.ofSeconds(30));
                    io.awaitj.Timeout absolute = Aio.timeoutAt(loop.nanoTime() + 30_000_000_000L);
                    seen.add(loop.timerCount());
                    relative.reschedule(Duration.ofSeconds(5));
                    seen.add(loop.timerCount());
                    relative.reschedule(loop.nanoTime() + 1);
                    absolute.reschedule(Duration.ofSeconds(5));
                    seen.add(loop.timerCount());
                    relative.reschedule(Duration.ZERO); // expires on the next pass, as callSoon
                    absolute.reschedule((Duration) null);
                    seen.add(loop.timerCount());
                    return Aio.sleep(Duration.ofSeconds(1));
                  }));
      loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(2)));
      assertEquals(List.of(2, 2, 2, 0), seen);
      assertTrue(task.isCancelled(), "the zero delay expired the timeout at once");
      assertEquals(0, loop.timerCount());
    } finally {
      loop.close();
    }
  }
}
