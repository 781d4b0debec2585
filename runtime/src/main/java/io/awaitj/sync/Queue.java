package io.awaitj.sync;

import io.awaitj.Coroutine;
import java.util.ArrayDeque;

/**
 * A FIFO queue between coroutines: asyncio's {@code Queue}, with Python 3.13's {@link #shutdown}.
 *
 * <p>{@code new Queue<>()} is unbounded; {@code new Queue<>(maxsize)} with {@code maxsize > 0} holds at
 * most that many items, and {@link #put} waits while it is full. {@link #get} waits while it is empty.
 * Waiting getters and putters are served in FIFO order; a waiter woken and then cancelled before it
 * could run passes its wake-up to the next. As in asyncio, an item put while a woken getter is on its
 * way may be taken by a {@code get} that did not wait (and likewise for space and putters): waiters
 * are woken in order, but a woken waiter that finds nothing waits again, at the back.
 *
 * <p>Each item put counts as an unfinished task until a consumer calls {@link #taskDone()} for it;
 * {@link #join()} waits until none is unfinished.
 *
 * <p>Subclasses change the order through three hooks, asyncio's {@code _init}, {@code _put} and {@code
 * _get}: {@link #init}, {@link #putItem} and {@link #getItem} (see {@link PriorityQueue} and {@link
 * LifoQueue}). Items may not be {@code null}.
 *
 * @param <T> the type of the items
 */
public class Queue<T> extends LoopBound {
  private final int maxsize;

  /** Items held: each putItem adds one, each getItem takes one. */
  private int size;

  /** The base FIFO storage, made by {@link #init}. */
  private ArrayDeque<T> items;

  final WaitQueue getters = new WaitQueue(this);
  final WaitQueue putters = new WaitQueue(this);

  private int unfinished;

  /** Set exactly while {@link #unfinished} is zero. */
  private final Event finished = new Event("Queue");

  private boolean shutdown;

  /** The shared coroutine of {@link #get()}, made at its first call; {@code null} until then. */
  private Get.Now<T> sharedGet;

  /** The shared coroutine of {@link #put}, made on first use. */
  private Put.Now<T> sharedPut;

  /**
   * An unbounded queue.
   *
   * <p>Threading: any thread.
   */
  public Queue() {
    this(0);
  }

  /**
   * A queue holding at most {@code maxsize} items; {@code maxsize <= 0} means unbounded. Calls {@link
   * #init(int)}.
   *
   * <p>Threading: any thread.
   */
  public Queue(int maxsize) {
    this.maxsize = maxsize;
    finished.set();
    init(maxsize);
  }

  // ---------------------------------------------------------------------------------------------
  // The hooks.

  /**
   * Creates the storage: asyncio's {@code _init}. Called by the constructor, before a subclass's own
   * constructor and field initializers have run: assign storage fields here and declare them without
   * initializers (an initializer would run afterwards and overwrite them). A subclass overriding one of
   * the three hooks overrides all three.
   *
   * @param maxsize as given to the constructor
   */
  protected void init(int maxsize) {
    items = new ArrayDeque<>();
  }

  /** Stores one item: asyncio's {@code _put}. Called only when the queue is not full. */
  protected void putItem(T item) {
    items.addLast(item);
  }

  /** Removes and returns the next item: asyncio's {@code _get}. Called only when not empty. */
  protected T getItem() {
    return items.pollFirst();
  }

  // ---------------------------------------------------------------------------------------------
  // The API.

  /**
   * How many items the queue holds: asyncio's {@code qsize()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final int size() {
    return size;
  }

  /**
   * The capacity given at construction; {@code 0} or less means unbounded.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final int maxsize() {
    return maxsize;
  }

  /**
   * Whether the queue holds no item.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final boolean isEmpty() {
    return size == 0;
  }

  /**
   * Whether the queue holds {@link #maxsize()} items; never for an unbounded queue.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final boolean isFull() {
    return maxsize > 0 && size >= maxsize;
  }

  /**
   * Puts {@code item} in, waiting for space while the queue is full. Lazy: nothing happens until the
   * coroutine is awaited. If the task is cancelled while waiting, nothing is put. When no other put's
   * coroutine is waiting to be awaited, the coroutine is this queue's shared put coroutine (see {@link
   * io.awaitj.Coroutine.Shared}), holding {@code item} until it is awaited: an await that completes at
   * once allocates nothing. Unlike a get's, it performs one put only: awaited again, it fails with an
   * {@link IllegalStateException}, as any coroutine awaited twice. In debug mode each call makes a new
   * coroutine.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws QueueShutDownException (when awaited) if the queue is shut down, or is shut down while
   *     the put waits
   */
  public final Coroutine<Void> put(T item) {
    requireItem(item);
    Put.Now<T> p = sharedPut;
    if (p == null) {
      p = new Put.Now<>(this);
      sharedPut = p;
    }
    return p.call(item);
  }

  /**
   * Puts {@code item} in if there is space, without waiting, and wakes the first waiting getter.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws QueueFullException if the queue is full
   * @throws QueueShutDownException if the queue is shut down
   */
  public final void putNowait(T item) {
    requireItem(item);
    if (shutdown) {
      throw new QueueShutDownException("put into a Queue that is shut down: stop producing");
    }
    if (isFull()) {
      throw new QueueFullException(
          "Queue is full (maxsize " + maxsize + "): await put(...) to wait for space");
    }
    putItem(item);
    size++;
    unfinished++;
    finished.clear();
    getters.wakeNext(true);
  }

  /**
   * Takes the next item out, waiting while the queue is empty. Lazy: nothing happens until the
   * coroutine is awaited. If the task is cancelled while waiting, nothing is taken. The coroutine is this
   * queue's one shared coroutine (see {@link io.awaitj.Coroutine.Shared}): an await that completes at once
   * allocates nothing, and it may be awaited again, each await one operation (in debug mode
   * each call makes a new one).
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws QueueShutDownException (when awaited) if the queue is shut down and empty, or becomes so
   *     while the get waits
   */
  public final Coroutine<T> get() {
    Get.Now<T> g = sharedGet;
    if (g == null) {
      g = new Get.Now<>(this);
      sharedGet = g;
    }
    return g.call();
  }

  /**
   * Takes the next item out if there is one, without waiting, and wakes the first waiting putter.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws QueueEmptyException if the queue is empty
   * @throws QueueShutDownException if the queue is empty and shut down
   */
  public final T getNowait() {
    if (size == 0) {
      if (shutdown) {
        throw new QueueShutDownException(
            "get from a Queue that is shut down and empty: no more items will come");
      }
      throw new QueueEmptyException("Queue is empty: await get() to wait for an item");
    }
    T item = getItem();
    size--;
    putters.wakeNext(true);
    return item;
  }

  /**
   * Marks one item taken out as processed: asyncio's {@code task_done()}. When every item put has been
   * marked, {@link #join()} returns.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalArgumentException if called more times than items were put (asyncio's {@code
   *     ValueError})
   */
  public final void taskDone() {
    if (unfinished <= 0) {
      throw new IllegalArgumentException(
          "taskDone() called too many times: call it once for each item taken out of the Queue");
    }
    unfinished--;
    if (unfinished == 0) {
      finished.set();
    }
  }

  /**
   * Waits until every item put has been marked by {@link #taskDone()}; returns at once if none is
   * unfinished when awaited.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final Coroutine<Void> join() {
    return finished.waitSet();
  }

  /**
   * {@code shutdown(false)}: see {@link #shutdown(boolean)}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public final void shutdown() {
    shutdown(false);
  }

  /**
   * Shuts the queue down (Python 3.13): every put from now on throws {@link QueueShutDownException},
   * and so does every get once the queue is empty. Waiting putters and getters are all woken, and
   * throw unless there is room or an item for them; waiting getters of a shut-down queue find it empty
   * and throw.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @param immediate also drop the items left, counting each as done for {@link #join()} (which
   *     returns if that leaves none unfinished), so that gets throw at once
   */
  public final void shutdown(boolean immediate) {
    shutdown = true;
    if (immediate) {
      while (size > 0) {
        getItem();
        size--;
        if (unfinished > 0) {
          unfinished--;
        }
      }
      if (unfinished == 0) {
        finished.set();
      }
    }
    // Every getter and putter must look again, and see the shutdown.
    getters.wake(Integer.MAX_VALUE, true);
    putters.wake(Integer.MAX_VALUE, true);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(getClass().getSimpleName()).append("[maxsize=").append(maxsize);
    b.append(", size=").append(size);
    if (!getters.isEmpty()) {
      b.append(", getters:").append(getters.size());
    }
    if (!putters.isEmpty()) {
      b.append(", putters:").append(putters.size());
    }
    if (unfinished > 0) {
      b.append(", tasks=").append(unfinished);
    }
    if (shutdown) {
      b.append(", shutdown");
    }
    return b.append(']').toString();
  }

  private static <T> T requireItem(T item) {
    if (item == null) {
      throw new NullPointerException(
          "a Queue does not hold null: wrap the value (for example in an Optional) or use a marker");
    }
    return item;
  }

  /** {@link #put}: while full, wait among the putters; then put without waiting. */
  private static final class Put<T> extends Waiter<Void> {
    private final Queue<T> q;
    private final T item;

    Put(Queue<T> q, T item) {
      this.q = q;
      this.item = item;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          break;
        case 1:
          resumeWait();
          break;
        default:
          throw illegalState();
      }
      if (q.isFull()) {
        if (q.shutdown) {
          throw new QueueShutDownException("put into a Queue that is shut down: stop producing");
        }
        state = 1;
        return park(q.putters);
      }
      q.putNowait(item);
      return null;
    }

    @Override
    void waitCancelled(boolean woken) {
      if (woken && !q.isFull()) {
        q.putters.wakeNext(true); // there is space we will not use
      }
    }

    @Override
    public String toString() {
      return "put() into " + q;
    }

    /**
     * {@link Queue#put}, shared (see {@link io.awaitj.Coroutine.Shared}) between the calls whose
     * coroutines are awaited one at a time, the common case: it holds the item of the one call made and
     * not awaited yet; an await puts it at once if there is space, allocating nothing, or hands it to
     * a new {@link Put}, which waits. A call made while it holds an item gets a {@link Put} of its own.
     */
    static final class Now<T> extends Coroutine.Shared<Void> {
      private final Queue<T> q;

      /** The item of the call not awaited yet, or {@code null}. */
      private T item;

      Now(Queue<T> q) {
        this.q = q;
      }

      /** What {@link Queue#put} returns for {@code item}. */
      Coroutine<Void> call(T item) {
        if (this.item != null) {
          return new Put<>(q, item); // the shared one waits for the await of an earlier call
        }
        this.item = item;
        return forCall();
      }

      @Override
      protected Object now() {
        T it = take();
        if (q.isFull()) {
          item = it; // changed nothing: fresh() hands it on
          return WAIT;
        }
        q.putNowait(it);
        return null;
      }

      @Override
      protected Coroutine<Void> fresh() {
        return new Put<>(q, take());
      }

      private T take() {
        T it = item;
        if (it == null) {
          throw new IllegalStateException(
              "this put() coroutine was awaited already: call put(item) for each item");
        }
        item = null;
        return it;
      }

      @Override
      public String toString() {
        return "put(" + item + ") into " + q;
      }
    }
  }

  /** {@link #get}: while empty, wait among the getters; then get without waiting. */
  private static final class Get<T> extends Waiter<T> {
    private final Queue<T> q;

    Get(Queue<T> q) {
      this.q = q;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          break;
        case 1:
          resumeWait();
          break;
        default:
          throw illegalState();
      }
      if (q.size == 0) {
        if (q.shutdown) {
          throw new QueueShutDownException(
              "get from a Queue that is shut down and empty: no more items will come");
        }
        state = 1;
        return park(q.getters);
      }
      return q.getNowait();
    }

    @Override
    void waitCancelled(boolean woken) {
      if (woken && q.size > 0) {
        q.getters.wakeNext(true); // there is an item we will not take
      }
    }

    @Override
    public String toString() {
      return "get() from " + q;
    }

    /**
     * {@link Queue#get()}, shared (see {@link io.awaitj.Coroutine.Shared}): an await takes an item at once if
     * there is one, allocating nothing; otherwise it runs a new {@link Get}, which waits.
     */
    static final class Now<T> extends Coroutine.Shared<T> {
      private final Queue<T> q;

      Now(Queue<T> q) {
        this.q = q;
      }

        /** What the primitive returns for one call ({@link #forCall()}). */
      Coroutine<T> call() {
        return forCall();
      }

    @Override
      protected Object now() {
        return q.size == 0 ? WAIT : q.getNowait();
      }

      @Override
      protected Coroutine<T> fresh() {
        return new Get<>(q);
      }

      @Override
      public String toString() {
        return "get() from " + q;
      }
    }
  }
}
