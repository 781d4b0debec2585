package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loop's chunked ready queue against {@link ArrayDeque}, across chunk boundaries. */
class ReadyQueueTest {
  @Test
  void isFirstInFirstOutAcrossChunks() {
    ReadyQueue q = new ReadyQueue();
    int n = 3 * ReadyQueue.CHUNK + 7;
    for (int i = 0; i < n; i++) {
      q.add(i);
    }
    assertEquals(n, q.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, q.poll());
    }
    assertTrue(q.isEmpty());
    assertNull(q.poll());
  }

  @Test
  void matchesADequeUnderRandomAddsAndPolls() {
    Random r = new Random(10);
    ReadyQueue q = new ReadyQueue();
    ArrayDeque<Object> model = new ArrayDeque<>();
    int next = 0;
    for (int round = 0; round < 2000; round++) {
      // Bursts up to several chunks, drained partly or wholly, so the ends cross chunks both ways,
      // the queue empties (both ends reset) and spare chunks are taken and kept.
      int adds = r.nextInt(r.nextBoolean() ? 8 : 3 * ReadyQueue.CHUNK);
      for (int i = 0; i < adds; i++) {
        q.add(next);
        model.add(next);
        next++;
      }
      int polls = r.nextInt(model.size() + 2);
      for (int i = 0; i < polls; i++) {
        assertEquals(model.poll(), q.poll());
      }
      assertEquals(model.size(), q.size());
      if (round % 97 == 0) {
        List<Object> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertEquals(new ArrayList<>(model), seen);
      }
    }
    while (!model.isEmpty()) {
      assertEquals(model.poll(), q.poll());
    }
    assertTrue(q.isEmpty());
  }

  @Test
  void clearDropsEverything() {
    ReadyQueue q = new ReadyQueue();
    for (int i = 0; i < 2 * ReadyQueue.CHUNK; i++) {
      q.add(i);
    }
    q.clear();
    assertEquals(0, q.size());
    assertNull(q.poll());
    q.add("a");
    q.add("b");
    assertEquals("a", q.poll());
    assertEquals("b", q.poll());
    List<Object> seen = new ArrayList<>();
    q.forEach(seen::add);
    assertTrue(seen.isEmpty());
  }

  @Test
  void aSteadyQueueOfAnyLengthAllocatesNothing() {
    AllocatedBytes.require();
    Object item = new Object();
    ReadyQueue q = new ReadyQueue();
    int length = 5 * ReadyQueue.CHUNK + 3; // the ends cross chunks, which the head gives the tail
    for (int i = 0; i < length; i++) {
      q.add(item);
    }
    long min = Long.MAX_VALUE;
    for (int run = 0; run < 8; run++) {
      long before = AllocatedBytes.now();
      for (int i = 0; i < 20 * ReadyQueue.CHUNK; i++) {
        q.add(q.poll());
      }
      min = Math.min(min, AllocatedBytes.now() - before);
    }
    assertEquals(length, q.size());
    // The counter's own call allocates nothing on the JDKs measured (AllocationTest's probe).
    assertTrue(min <= 64, "a queue of constant length allocated " + min + " B in 20 chunks' turns");
  }

  @Test
  void aSecondBurstAsLargeAsTheFirstAllocatesNothing() {
    AllocatedBytes.require();
    Object item = new Object();
    ReadyQueue q = new ReadyQueue();
    int burst = 200 * ReadyQueue.CHUNK; // a million sleeping tasks' wake-ups need ~1000 chunks
    long min = Long.MAX_VALUE;
    for (int run = 0; run < 6; run++) {
      long before = AllocatedBytes.now();
      for (int i = 0; i < burst; i++) {
        q.add(item);
      }
      while (q.poll() != null) {}
      long bytes = AllocatedBytes.now() - before;
      if (run > 0) {
        min = Math.min(min, bytes);
      }
    }
    assertTrue(min <= 64, "a burst of " + burst + " after one as large allocated " + min + " B");
  }
}
