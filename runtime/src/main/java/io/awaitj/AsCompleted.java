package io.awaitj;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * {@link Aio#asCompleted}: asyncio's {@code as_completed} (3.12). The combinator is the done callback
 * of every promise, queued as itself when one completes ({@link Promise#notifiedBy}: nothing is
 * allocated per completion; it is a promise for that alone, never completed and never handed out),
 * and the timer callback; finished promises (or, after the timeout, a marker per promise still
 * running) go into a FIFO queue, and each of the returned coroutines takes the next entry from it,
 * waiting if it is empty, with the hand-off rules of {@code asyncio.Queue.get}.
 */
final class AsCompleted<T> extends Promise<Void> implements Runnable {
  /** Queued in place of a promise when the timeout passed before it finished. */
  private static final Object TIMED_OUT = new Object();

  private final Promise<?>[] todo;
  private final Duration timeout;
  private boolean timedOut;
  private TimerHandle timer;

  /*
   * The queue, in one array of one slot per promise (each promise is put once: itself when its
   * callback runs, or a TIMED_OUT marker when the timeout passes first), made at the first completion
   * or at the timeout:
   *
   *   [0, taken)         taken by the coroutines (cleared)
   *   [taken, put)       put, not taken yet: asyncio's queue of finished futures
   *   [put, notified)    promises whose completion queued this combinator, in that order, not run
   *                      yet: the loop runs them in the same order, so a run puts the slot at put
   *
   * When the timeout passes, [put, todo.length) become markers, the promises of [put, notified)
   * included: their queued runs find timedOut set and do nothing. Until then, todo.length - put
   * promises remain.
   */
  private Object[] entries;
  private int taken;
  private int put;
  private int notified;

  /** Coroutines waiting for {@link #done} to be non-empty, first come first served. */
  private final ArrayDeque<Promise<Void>> getters = new ArrayDeque<>();

  private AsCompleted(EventLoop loop, Promise<?>[] todo, Duration timeout) {
    super(loop);
    this.todo = todo;
    this.timeout = timeout;
  }

  /** Starts the combinator and returns its coroutines, one per distinct awaitable. */
  static <T> List<Coroutine<T>> start(
      Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout) {
    if (awaitables == null) {
      throw new NullPointerException("awaitables");
    }
    // asyncio makes a set of them: each awaitable counts once, compared by identity. A shared
    // coroutine (Aio.sleep(0), Lock.acquire(), ...) stands for a new coroutine at each call, as
    // Python's would be: it counts each time.
    Set<Awaitable<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Awaitable<?>> distinct = new ArrayList<>(awaitables.size());
    for (Awaitable<?> a : awaitables) {
      if (a == null) {
        throw new NullPointerException("an awaitable in the collection is null");
      }
      if (Coroutine.isShared(a) || seen.add(a)) {
        distinct.add(a);
      }
    }
    Awaitable<?>[] array = distinct.toArray(new Awaitable<?>[0]);
    EventLoop loop = EventLoop.loopOf(array);
    loop.checkThread("call Aio.asCompleted");
    Promise<?>[] todo = new Promise<?>[array.length];
    for (int i = 0; i < array.length; i++) {
      todo[i] = loop.ensureFuture(array[i]);
    }
    AsCompleted<T> c = new AsCompleted<>(loop, todo, timeout);
    for (Promise<?> p : todo) {
      p.addCallback(c);
    }
    if (todo.length > 0 && timeout != null) {
      c.timer = loop.callLater(timeout, c);
    }
    return c.new Results();
  }

  /**
   * The read-only list of {@link Aio#asCompleted}. Its coroutines are made on first access, as
   * Python's generator makes them on iteration, so that a caller who takes only the first results
   * leaves no coroutine that was made but never awaited.
   */
  private final class Results extends AbstractList<Coroutine<T>> implements RandomAccess {
    private final Object[] made = new Object[todo.length];

    @Override
    @SuppressWarnings("unchecked")
    public Coroutine<T> get(int index) {
      Objects.checkIndex(index, made.length);
      Object c = made[index];
      if (c == null) {
        c = new Next<T>(AsCompleted.this);
        made[index] = c;
      }
      return (Coroutine<T>) c;
    }

    @Override
    public int size() {
      return made.length;
    }
  }

  /** The completion of {@code p} queued this combinator: its run, next in that order, is for it. */
  @Override
  void notifiedBy(Promise<?> p) {
    Object[] e = entries;
    if (e == null) {
      e = new Object[todo.length];
      entries = e;
    }
    e[notified++] = p;
  }

  /** One of the promises is done: the one at {@code put} (see {@link #notifiedBy}). */
  @Override
  void runReady() {
    if (timedOut) {
      return;
    }
    put++;
    wakeUpNext();
    if (put == todo.length) {
      TimerHandle t = timer;
      if (t != null) {
        timer = null;
        t.cancel();
      }
    }
  }

  /** After the timeout it no longer listens to the promises. */
  @Override
  boolean stoppedListening() {
    return timedOut;
  }

  /** The timeout passed: every promise not done yet is reported as timed out. */
  @Override
  public void run() {
    timer = null;
    if (timedOut || put == todo.length) {
      return;
    }
    timedOut = true;
    for (Promise<?> p : todo) {
      p.dropListener(this);
    }
    Object[] e = entries;
    if (e == null) {
      e = new Object[todo.length];
      entries = e;
    }
    while (put < todo.length) {
      e[put++] = TIMED_OUT;
      wakeUpNext();
    }
  }

  /** Takes the next entry put, or returns {@code null} if there is none. */
  private Object poll() {
    if (taken == put) {
      return null;
    }
    Object entry = entries[taken];
    entries[taken++] = null;
    return entry;
  }

  private void wakeUpNext() {
    Promise<Void> g;
    while ((g = getters.poll()) != null) {
      if (!g.isDone()) {
        g.complete(null);
        return;
      }
    }
  }

  /** A waiting getter gave up (its task was cancelled): hand its turn on, as {@code Queue.get} does. */
  private void getterFailed(Promise<Void> getter) {
    getter.cancel();
    getters.remove(getter);
    if (taken < put && !getter.isCancelled()) {
      wakeUpNext();
    }
  }

  @Override
  public String toString() {
    return "Aio.asCompleted(" + todo.length + " awaitables)[" + put + " done"
        + (timedOut ? ", timed out" : "") + "]";
  }

  /** The i-th coroutine of {@link Aio#asCompleted}: takes the next finished promise and unwraps it. */
  private static final class Next<T> extends Coroutine<T> {
    private final AsCompleted<?> owner;
    private Promise<Void> getter;

    Next(AsCompleted<?> owner) {
      this.owner = owner;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          break;
        case 1:
          try {
            awaitResult();
          } catch (Throwable e) {
            Promise<Void> g = getter;
            getter = null;
            owner.getterFailed(g);
            throw e;
          }
          getter = null;
          break;
        case 2:
          return awaitResult();
        default:
          throw illegalState();
      }
      Object entry = owner.poll();
      if (entry == null) {
        Promise<Void> g = loop().createPromise();
        owner.getters.add(g);
        getter = g;
        state = 1;
        suspendOn(g);
        return SUSPEND;
      }
      if (entry == TIMED_OUT) {
        state = 3;
        throw new AsyncTimeoutException(
            "Aio.asCompleted: the timeout of " + owner.timeout + " passed before this result was in");
      }
      state = 2;
      if (suspendOn((Promise<?>) entry)) {
        return SUSPEND;
      }
      return awaitResult();
    }

    @Override
    public String toString() {
      return "Aio.asCompleted(...).next";
    }
  }
}
