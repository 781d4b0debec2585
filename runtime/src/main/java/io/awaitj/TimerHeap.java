package io.awaitj;

import java.util.Arrays;

/**
 * A binary min-heap of timers ordered by (deadline, sequence), each timer knowing its index so that a
 * cancelled timer leaves the heap at once in O(log n): nothing accumulates, nothing is rebuilt.
 */
final class TimerHeap {
  private TimerHandle[] heap = new TimerHandle[16];
  private int size;

  int size() {
    return size;
  }

  TimerHandle peek() {
    return size == 0 ? null : heap[0];
  }

  void add(TimerHandle t) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    heap[i] = t;
    t.heapIndex = i;
    siftUp(i);
  }

  TimerHandle poll() {
    if (size == 0) {
      return null;
    }
    TimerHandle top = heap[0];
    removeAt(0);
    return top;
  }

  void remove(TimerHandle t) {
    int i = t.heapIndex;
    if (i >= 0 && i < size && heap[i] == t) {
      removeAt(i);
    }
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      heap[i].heapIndex = -1;
      heap[i] = null;
    }
    size = 0;
  }

  private void removeAt(int i) {
    TimerHandle removed = heap[i];
    removed.heapIndex = -1;
    int last = --size;
    if (i != last) {
      TimerHandle moved = heap[last];
      heap[i] = moved;
      moved.heapIndex = i;
      heap[last] = null;
      siftDown(i);
      if (heap[i] == moved) {
        siftUp(i);
      }
    } else {
      heap[last] = null;
    }
  }

  private void siftUp(int i) {
    TimerHandle t = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TimerHandle p = heap[parent];
      if (!t.before(p)) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = t;
    t.heapIndex = i;
  }

  private void siftDown(int i) {
    TimerHandle t = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].before(heap[child])) {
        child = right;
      }
      if (!heap[child].before(t)) {
        break;
      }
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = t;
    t.heapIndex = i;
  }
}
