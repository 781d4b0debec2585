package io.awaitj.sync;

import java.util.ArrayDeque;

/**
 * A {@link Queue} that hands out the most recently put item first: asyncio's {@code LifoQueue}. Only
 * the storage hooks differ; waiting, bounds, {@code join} and shutdown are the queue's.
 *
 * @param <T> the type of the items
 */
public class LifoQueue<T> extends Queue<T> {
  // Assigned by init(), called from Queue's constructor: no initializer, which would overwrite it.
  private ArrayDeque<T> stack;

  /**
   * An unbounded LIFO queue.
   *
   * <p>Threading: any thread.
   */
  public LifoQueue() {
    super(0);
  }

  /**
   * A LIFO queue of at most {@code maxsize} items ({@code <= 0}: unbounded).
   *
   * <p>Threading: any thread.
   */
  public LifoQueue(int maxsize) {
    super(maxsize);
  }

  @Override
  protected void init(int maxsize) {
    stack = new ArrayDeque<>();
  }

  @Override
  protected void putItem(T item) {
    stack.addLast(item);
  }

  @Override
  protected T getItem() {
    return stack.pollLast();
  }
}
