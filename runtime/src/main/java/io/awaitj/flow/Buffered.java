package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.sync.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes whose upstreams are read by tasks of their own into a bounded {@link Queue}: {@code
 * buffer} (one upstream), {@code merge} (several, concurrently) and {@code chunked} by time. The tasks
 * start at the first request; each reads its upstream and puts what it reads into the queue, waiting
 * while the queue is full, so at most {@code capacity} elements are queued and each task holds at most
 * one more, read and waiting for room. Each task closes its upstream when it ends, however it ends.
 * Closing the node (early, by a failure, or by the consuming task's cancellation) cancels the tasks and
 * waits until they have finished: no task of the node outlives its close.
 *
 * @param <T> the element type handed out
 */
class Buffered<T> extends Node<T> {
  /** Queued for the end of an upstream. */
  static final Object END_ITEM = new Object();
  /** Queued for a {@code null} element (a queue holds no {@code null}). */
  static final Object NULL_ITEM = new Object();

  /** Queued for the failure of an upstream. */
  static final class Failed {
    final Throwable cause;

    Failed(Throwable cause) {
      this.cause = cause;
    }
  }

  final Node<?>[] ups;
  final Queue<Object> queue;
  private final String name;
  /** The producer tasks, once started. */
  private Task<?>[] tasks;
  /** How many upstreams ended. */
  int ended;

  Buffered(String name, int capacity, Node<?>[] ups) {
    if (capacity <= 0) {
      throw new IllegalArgumentException(name + ": the capacity must be positive: " + capacity);
    }
    this.name = name;
    this.ups = ups;
    this.queue = new Queue<>(capacity);
  }

  /** Starts the producers, once. The loop's thread, in a task. */
  final void start() {
    if (tasks == null) {
      Task<?>[] t = new Task<?>[ups.length];
      for (int i = 0; i < ups.length; i++) {
        t[i] = Aio.createTask(new Producer(ups[i], queue), name + " producer " + i);
      }
      tasks = t;
    }
  }

  /** The producer tasks, or {@code null} before the first request. For tests. */
  final Task<?>[] tasks() {
    return tasks;
  }

  /** What to hand out for an item taken from the queue: an element, END, or {@link OneUp#SKIP}. */
  final Object unwrap(Object item) throws Throwable {
    if (item == END_ITEM) {
      ended++;
      return ended == ups.length ? END : OneUp.SKIP;
    }
    if (item == NULL_ITEM) {
      return null;
    }
    if (item instanceof Failed f) {
      throw f.cause;
    }
    return item;
  }

  @Override
  Object poll0() throws Throwable {
    start();
    while (true) {
      if (ended == ups.length) {
        return END;
      }
      if (queue.isEmpty()) {
        return WAIT;
      }
      Object x = unwrap(queue.getNowait());
      if (x != OneUp.SKIP) {
        return x;
      }
    }
  }

  @Override
  Coroutine<Object> pull0() {
    return new Take();
  }

  @Override
  final Coroutine<Void> closeUpstream() {
    Task<?>[] t = tasks;
    if (t == null) {
      return Closer.of((Object[]) ups); // never started: the upstreams are ours to close
    }
    return Closer.of((Object[]) t); // each producer closes its upstream as it ends
  }

  @Override
  public String toString() {
    return name + " of " + ups.length + " upstream(s), " + queue;
  }

  /** Waits for items until one is to be handed out. */
  private final class Take extends Coroutine<Object> {
    @Override
    protected Object step() throws Throwable {
      if (state == 1) {
        Object x = unwrap(awaitResult());
        if (x != OneUp.SKIP) {
          return x;
        }
      }
      while (true) {
        Object x = poll0();
        if (x != WAIT) {
          return x;
        }
        state = 1;
        if (suspendOn(queue.get())) {
          return SUSPEND;
        }
        x = unwrap(awaitResult());
        if (x != OneUp.SKIP) {
          return x;
        }
      }
    }
  }

  /**
   * A producer task: reads its upstream into the queue until the end or a failure (both queued), then
   * closes the upstream; cancelled, it closes the upstream and ends cancelled.
   */
  static final class Producer extends Coroutine<Void> {
    private static final int PULLED = 1;
    private static final int PUT = 2;
    private static final int CLOSED = 3;

    private final Node<?> up;
    private final Queue<Object> queue;
    private Object item;
    private boolean last;
    private Throwable failure;

    Producer(Node<?> up, Queue<Object> queue) {
      this.up = up;
      this.queue = queue;
    }

    @Override
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          break;
        case PULLED:
          {
            Object r;
            try {
              r = awaitResult();
            } catch (CancelledError e) {
              failure = e;
              return close();
            } catch (Throwable e) {
              item = new Failed(e);
              last = true;
              return put();
            }
            item = wrap(r);
            return put();
          }
        case PUT:
          try {
            awaitResult();
          } catch (CancelledError e) {
            failure = e;
            return close();
          } catch (Throwable e) {
            return close(); // the queue is shut down: nobody reads any more
          }
          if (last) {
            return close();
          }
          break;
        case CLOSED:
          try {
            awaitResult();
          } catch (Throwable e) {
            if (failure == null) {
              failure = e;
            } else if (failure != e) {
              failure.addSuppressed(e);
            }
          }
          if (failure != null) {
            throw failure;
          }
          return null;
        default:
          throw illegalState();
      }
      while (true) {
        Object r = up.poll();
        if (r == WAIT) {
          state = PULLED;
          if (suspendOn(up.pull())) {
            return SUSPEND;
          }
          return step();
        }
        item = wrap(r);
        if (queue.isFull()) {
          return put();
        }
        queue.putNowait(item);
        item = null;
        if (last) {
          return close();
        }
      }
    }

    private Object wrap(Object r) {
      if (r == END) {
        last = true;
        return END_ITEM;
      }
      return r == null ? NULL_ITEM : r;
    }

    private Object put() throws Throwable {
      Object i = item;
      item = null;
      state = PUT;
      if (suspendOn(queue.put(i))) {
        return SUSPEND;
      }
      return step();
    }

    private Object close() throws Throwable {
      state = CLOSED;
      if (suspendOn(up.closeAsync())) {
        return SUSPEND;
      }
      return step();
    }

    @Override
    public String toString() {
      return "producer of " + up;
    }
  }

  /**
   * {@code chunked(count, time)}: a list as soon as {@code count} elements came, or when {@code span}
   * has passed since the first element of the list (a list never waits for its first element with a
   * timer), the last one with what came before the end. The upstream is read by a producer task into
   * a queue of {@code count}: the timer cancels only a wait on the queue, which loses nothing.
   */
  static final class TimedChunks<T> extends Buffered<List<T>> {
    private final int count;
    private final Duration span;

    @SuppressWarnings("unchecked")
    TimedChunks(Node<T> up, int count, Duration span) {
      super("chunked", count, new Node<?>[] {up});
      if (span == null || span.isNegative() || span.isZero()) {
        throw new IllegalArgumentException("the time span must be positive: " + span);
      }
      this.count = count;
      this.span = span;
    }

    @Override
    Object poll0() {
      start();
      return ended == ups.length ? END : WAIT;
    }

    @Override
    Coroutine<Object> pull0() {
      return new Window();
    }

    /** Gathers one list. */
    private final class Window extends Coroutine<Object> {
      private List<Object> list;
      private long deadline;

      @Override
      protected Object step() throws Throwable {
        while (true) {
          switch (state) {
            case 0:
              {
                if (list != null && list.size() == count) {
                  return list;
                }
                if (list == null) {
                  state = 1;
                  if (suspendOn(queue.get())) {
                    return SUSPEND;
                  }
                } else {
                  long left = deadline - loop().nanoTime();
                  if (left <= 0) {
                    return list;
                  }
                  state = 2;
                  if (suspendOn(Aio.waitFor(queue.get(), Duration.ofNanos(left)))) {
                    return SUSPEND;
                  }
                }
                continue;
              }
            case 1:
            case 2:
              {
                Object item;
                try {
                  item = awaitResult();
                } catch (AsyncTimeoutException e) {
                  if (state == 2) {
                    return list;
                  }
                  throw e;
                }
                state = 0;
                Object x = unwrap(item);
                if (x == END) {
                  return list == null ? END : list;
                }
                if (list == null) {
                  list = new ArrayList<>(count);
                  deadline = loop().nanoTime() + span.toNanos();
                }
                list.add(x);
                continue;
              }
            default:
              throw illegalState();
          }
        }
      }
    }
  }
}
