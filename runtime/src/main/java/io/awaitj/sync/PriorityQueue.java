package io.awaitj.sync;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A {@link Queue} that hands out the smallest item first: asyncio's {@code PriorityQueue}, a binary heap
 * as Python's {@code heapq}. Items are ordered by their natural order, or by a {@link Comparator};
 * equal items come out in no particular order (put a sequence number in the item for FIFO among
 * equals). Only the storage hooks differ from {@link Queue}.
 *
 * @param <T> the type of the items
 */
public class PriorityQueue<T> extends Queue<T> {
  /** {@code null}: natural order. */
  private final Comparator<? super T> comparator;

  // Assigned by init(), called from Queue's constructor: no initializers, which would overwrite them.
  private Object[] heap;
  private int n;

  /**
   * An unbounded queue in natural order; items must be {@link Comparable}.
   *
   * <p>Threading: any thread.
   */
  public PriorityQueue() {
    this(0, null);
  }

  /**
   * A queue of at most {@code maxsize} items ({@code <= 0}: unbounded), in natural order.
   *
   * <p>Threading: any thread.
   */
  public PriorityQueue(int maxsize) {
    this(maxsize, null);
  }

  /**
   * An unbounded queue ordered by {@code comparator}.
   *
   * <p>Threading: any thread.
   */
  public PriorityQueue(Comparator<? super T> comparator) {
    this(0, comparator);
  }

  /**
   * A queue of at most {@code maxsize} items ({@code <= 0}: unbounded), ordered by {@code comparator}
   * ({@code null}: natural order).
   *
   * <p>Threading: any thread.
   */
  public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
    super(maxsize);
    this.comparator = comparator;
  }

  @Override
  protected void init(int maxsize) {
    heap = new Object[maxsize > 0 ? Math.min(maxsize, 16) : 16];
    n = 0;
  }

  /**
   * @throws ClassCastException in natural order, if {@code item} is not {@link Comparable} (the queue
   *     is left unchanged)
   */
  @Override
  protected void putItem(T item) {
    if (comparator == null && !(item instanceof Comparable)) {
      throw new ClassCastException(
          item.getClass().getName() + " is not Comparable: give the PriorityQueue a Comparator");
    }
    if (n == heap.length) {
      heap = Arrays.copyOf(heap, n * 2);
    }
    // Sift up: move parents down into the hole until item fits.
    int k = n;
    while (k > 0) {
      int parent = (k - 1) >>> 1;
      Object p = heap[parent];
      if (compare(item, p) >= 0) {
        break;
      }
      heap[k] = p;
      k = parent;
    }
    heap[k] = item;
    n++;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected T getItem() {
    Object top = heap[0];
    int last = --n;
    Object x = heap[last];
    heap[last] = null;
    if (last > 0) {
      // Sift down: move the smaller child up into the hole until x fits.
      int k = 0;
      int half = last >>> 1;
      while (k < half) {
        int child = 2 * k + 1;
        Object c = heap[child];
        int right = child + 1;
        if (right < last && compare(heap[right], c) < 0) {
          child = right;
          c = heap[child];
        }
        if (compare(x, c) <= 0) {
          break;
        }
        heap[k] = c;
        k = child;
      }
      heap[k] = x;
    }
    return (T) top;
  }

  @SuppressWarnings("unchecked")
  private int compare(Object a, Object b) {
    if (comparator != null) {
      return comparator.compare((T) a, (T) b);
    }
    return ((Comparable<Object>) a).compareTo(b);
  }
}
