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
import java.util.function.Consumer;

/**
 * {@link Aio#asCompleted}: asyncio's {@code as_completed} (3.12). The combinator is the done callback
 * of every promise and the timer callback; finished promises (or, after the timeout, a marker per
 * promise still running) go into a FIFO queue, and each of the returned coroutines takes the next
 * entry from it, waiting if it is empty, with the hand-off rules of {@code asyncio.Queue.get}.
 */
final class AsCompleted<T> implements Consumer<Promise<?>>, Runnable {
  /** Queued in place of a promise when the timeout passed before it finished. */
  private static final Object TIMED_OUT = new Object();

  private final Promise<?>[] todo;
  private final Duration timeout;
  private int remaining;
  private boolean timedOut;
  private TimerHandle timer;

  /** Finished promises, and {@link #TIMED_OUT} markers, in completion order. */
  private final ArrayDeque<Object> done = new ArrayDeque<>();

  /** Coroutines waiting for {@link #done} to be non-empty, first come first served. */
  private final ArrayDeque<Promise<Void>> getters = new ArrayDeque<>();

  private AsCompleted(Promise<?>[] todo, Duration timeout) {
    this.todo = todo;
    this.timeout = timeout;
    this.remaining = todo.length;
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
    AsCompleted<T> c = new AsCompleted<>(todo, timeout);
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

  /** One of the promises is done. */
  @Override
  public void accept(Promise<?> p) {
    if (timedOut) {
      return;
    }
    remaining--;
    put(p);
    if (remaining == 0) {
      TimerHandle t = timer;
      if (t != null) {
        timer = null;
        t.cancel();
      }
    }
  }

  /** The timeout passed: every promise not done yet is reported as timed out. */
  @Override
  public void run() {
    timer = null;
    if (timedOut || remaining == 0) {
      return;
    }
    timedOut = true;
    for (Promise<?> p : todo) {
      p.removeCallback(this);
    }
    for (; remaining > 0; remaining--) {
      put(TIMED_OUT);
    }
  }

  private void put(Object entry) {
    done.add(entry);
    wakeUpNext();
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
    if (!done.isEmpty() && !getter.isCancelled()) {
      wakeUpNext();
    }
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
      Object entry = owner.done.poll();
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
