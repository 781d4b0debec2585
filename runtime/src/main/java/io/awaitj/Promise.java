package io.awaitj;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A result that will be available later: asyncio's {@code Future}. Made by {@link
 * EventLoop#createPromise()}, completed once by {@link #complete}, {@link #fail} or {@link #cancel()},
 * and awaitable any number of times.
 *
 * <p>Threading: a promise belongs to its loop. {@link #toCompletableFuture()}, {@link #loop()} and the
 * state queries ({@link #isDone()}, {@link #isCancelled()}, {@link #isSuccess()}) work from any thread
 * (the queries give a snapshot, which from another thread may lag behind the loop). Everything else
 * belongs to the loop's thread and fails fast with an {@link IllegalStateException} elsewhere: from
 * another thread, wait for or read the outcome through {@link #toCompletableFuture()}, and complete,
 * cancel or add callbacks through {@link EventLoop#callSoonThreadsafe(Runnable)}. Once the loop is
 * closed, the outcome may be read from any thread.
 *
 * <p>Completion never runs callbacks in the completer's frame: it schedules them on the loop, in the
 * order they were added, as asyncio does.
 *
 * @param <T> the result type
 */
public non-sealed class Promise<T> extends Ready implements Awaitable<T> {
  static final byte PENDING = 0;
  static final byte SUCCEEDED = 1;
  static final byte FAILED = 2;
  static final byte CANCELLED = 3;

  /** The loop the promise belongs to; {@code null} only for the shared completed constants. */
  final EventLoop loop;

  private byte status;

  /*
   * The outcome, one field for every status (a promise is done once, so the kinds never meet):
   *
   *   status     result
   *   ---------  ----------------------------------------------------------------------
   *   PENDING    null; in a Task, the message of its pending cancellation (Task.cancelMessage)
   *   SUCCEEDED  the value
   *   FAILED     the Throwable
   *   CANCELLED  the cancellation message, a String or null
   */
  Object result;

  /**
   * The callbacks, in the order they were added: {@code null}; one callback; up to {@link #SMALL} of
   * them in an {@code Object[SMALL]}, {@code null}-terminated (found by a scan of at most four slots);
   * or more in a {@link CallbackList}, which keeps their count, so that adding one is O(1) amortised
   * however many there are.
   */
  private Object callbacks;

  /** The slots of the small array of callbacks; more callbacks move to a {@link CallbackList}. */
  private static final int SMALL = 4;

  /**
   * More than {@link #SMALL} callbacks: {@code items[0..size)}, in the order they were added, and
   * {@code null} beyond. Only a promise with many waiters has one (a task or promise awaited by
   * many tasks, or given many done callbacks), so the count costs no field in every promise and task
   * (a task's 80 bytes have no room left for it: an int would make it 88).
   */
  private static final class CallbackList {
    Object[] items;
    int size;

    /**
     * How many of {@code items[0..size)} are listeners that stopped listening ({@link
     * #dropListener}) and are still in the list: they are dropped in one pass when they are more
     * than half of it, and skipped until then.
     */
    int stopped;

    CallbackList(Object[] small, Object cb) {
      items = Arrays.copyOf(small, SMALL * 2);
      items[SMALL] = cb;
      size = SMALL + 1;
    }

    void add(Object cb) {
      Object[] a = items;
      int n = size;
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
        items = a;
      }
      a[n] = cb;
      size = n + 1;
    }
  }

  /**
   * Of a failed promise, until its exception is retrieved ({@link #markRetrieved} clears both): {@link
   * #UNRETRIEVED}, always (asyncio's {@code _log_traceback}); {@link #DEBUG_TRACKED}, if debug mode
   * tracks it too. One byte for both, so that a task is no larger than before the first was added.
   */
  private byte retrieval;

  private static final byte UNRETRIEVED = 1;
  private static final byte DEBUG_TRACKED = 2;

  Promise(EventLoop loop) {
    this.loop = loop;
  }

  /** A promise already succeeded with {@code value}, belonging to no loop. */
  static <T> Promise<T> succeeded(T value) {
    Promise<T> p = new Promise<>(null);
    p.status = SUCCEEDED;
    p.result = value;
    return p;
  }

  /** The loop this promise belongs to. Threading: any thread. */
  public final EventLoop loop() {
    return loop;
  }

  /** Whether the promise has a result, a failure, or was cancelled. Threading: any thread (a snapshot). */
  public final boolean isDone() {
    return status != PENDING;
  }

  /** Whether the promise was cancelled. Threading: any thread (a snapshot). */
  public final boolean isCancelled() {
    return status == CANCELLED;
  }

  /**
   * Whether the promise completed with a value (not a failure, not cancelled). Threading: any thread (a
   * snapshot).
   */
  public final boolean isSuccess() {
    return status == SUCCEEDED;
  }

  /**
   * Whether the promise failed and nobody has retrieved its exception yet: nothing awaited it, read
   * {@link #result()}, {@link #exception()} or {@link #toResult()}, completed a {@link
   * #toCompletableFuture()} with it, or handed it on (a combinator such as {@link Aio#gather} or a
   * {@link TaskGroup} that received it). A failed task for which this stays {@code true} is asyncio's
   * "exception was never retrieved", which debug mode reports when the task is garbage-collected; this
   * query lets a test harness check it at a moment of its choosing. Asking does not retrieve it, and a
   * cancelled promise is never unretrieved.
   *
   * <p>Threading: any thread (a snapshot).
   */
  public final boolean isExceptionUnretrieved() {
    return (retrieval & UNRETRIEVED) != 0;
  }

  /**
   * The result. Rethrows the failure if the promise failed, throws {@link CancelledError} if it was
   * cancelled. Threading: the loop's thread, or any thread once the loop is closed.
   *
   * @throws IllegalStateException if the promise is not done yet, or if called from another thread
   *     while the loop is open (use {@link #toCompletableFuture()} there)
   */
  @SuppressWarnings("unchecked")
  public final T result() {
    checkReader("read the result of");
    switch (status) {
      case SUCCEEDED:
        return (T) result;
      case FAILED:
        markRetrieved();
        throw sneakyThrow((Throwable) result);
      case CANCELLED:
        throw cancelledError();
      default:
        throw new IllegalStateException("result is not set: " + this + " is still pending");
    }
  }

  /**
   * The failure, or {@code null} if the promise succeeded. Threading: as {@link #result()}.
   *
   * @throws CancelledError if the promise was cancelled
   * @throws IllegalStateException if the promise is not done yet, or if called from another thread
   *     while the loop is open
   */
  public final Throwable exception() {
    checkReader("read the exception of");
    switch (status) {
      case SUCCEEDED:
        return null;
      case FAILED:
        markRetrieved();
        return (Throwable) result;
      case CANCELLED:
        throw cancelledError();
      default:
        throw new IllegalStateException("exception is not set: " + this + " is still pending");
    }
  }

  /**
   * The outcome as a {@link Result}; cancellation is a failure with a {@link CancelledError}.
   * Threading: as {@link #result()}.
   *
   * @throws IllegalStateException if the promise is not done yet, or if called from another thread
   *     while the loop is open
   */
  public final Result<T> toResult() {
    checkReader("read the outcome of");
    switch (status) {
      case SUCCEEDED:
        return Result.success(resultUnchecked());
      case FAILED:
        markRetrieved();
        return Result.failure((Throwable) result);
      case CANCELLED:
        return Result.failure(cancelledError());
      default:
        throw new IllegalStateException(this + " is still pending");
    }
  }

  /**
   * Completes the promise with {@code value} and schedules its callbacks. Threading: the loop's thread;
   * from another thread, {@code loop().callSoonThreadsafe(() -> promise.complete(value))}.
   *
   * @throws IllegalStateException if it is already done, or if called from another thread
   */
  public void complete(T value) {
    checkPending("complete");
    setResult(SUCCEEDED, value);
  }

  /**
   * Completes the promise with a failure and schedules its callbacks. Threading: as {@link
   * #complete}.
   *
   * @throws IllegalStateException if it is already done, or if called from another thread
   */
  public void fail(Throwable exception) {
    if (exception == null) {
      throw new NullPointerException("exception");
    }
    if (exception instanceof CancelledError) {
      throw new IllegalArgumentException(
          "a promise cannot fail with CancelledError: call cancel() instead");
    }
    checkPending("fail");
    setResult(FAILED, exception);
  }

  /**
   * Cancels the promise: if it is still pending, it becomes cancelled and its callbacks are scheduled.
   * Threading: the loop's thread; from another thread, cancel the future of {@link
   * #toCompletableFuture()} or use {@link EventLoop#callSoonThreadsafe(Runnable)}.
   *
   * @return {@code false} if it was already done
   * @throws IllegalStateException if called from another thread
   */
  public boolean cancel() {
    return cancel(null);
  }

  /**
   * Cancels the promise with a message carried by the {@link CancelledError} its awaiters receive.
   * Threading: as {@link #cancel()}.
   *
   * @return {@code false} if it was already done
   * @throws IllegalStateException if called from another thread
   */
  public boolean cancel(String message) {
    if (loop != null) {
      loop.checkThread(
          "cancel a promise",
          "from other threads, cancel the future of toCompletableFuture(), or use"
              + " loop().callSoonThreadsafe(...)");
    }
    if (status != PENDING) {
      return false;
    }
    setResult(CANCELLED, message);
    return true;
  }

  /**
   * Adds a callback run (on the loop, soon) when the promise is done; if it is done already, the
   * callback is scheduled now. Callbacks run in the order they were added; adding one costs the same
   * however many the promise has (O(1) amortised). Threading: the loop's thread; from another thread, use {@link
   * #toCompletableFuture()} (and its {@code whenComplete}), or add the callback through {@link
   * EventLoop#callSoonThreadsafe(Runnable)}.
   *
   * @throws IllegalStateException if called from another thread
   */
  public final void addDoneCallback(Consumer<? super Promise<T>> callback) {
    if (callback == null) {
      throw new NullPointerException("callback");
    }
    checkLoopThread("add a done callback to");
    addCallback(callback);
  }

  /**
   * Removes every registration of {@code callback} (the same object, or one {@code equals} to it),
   * keeping the others in their order: one pass over the promise's callbacks, as asyncio's {@code
   * remove_done_callback}. Threading: as {@link #addDoneCallback}.
   *
   * @return how many were removed
   * @throws IllegalStateException if called from another thread
   */
  public final int removeDoneCallback(Consumer<? super Promise<T>> callback) {
    checkLoopThread("remove a done callback of");
    return removeCallback(callback);
  }

  /**
   * A {@link CompletableFuture} that completes when this promise does, for code outside the loop.
   * Cancelling the future cancels this promise (on the loop's thread).
   *
   * <p>Threading: any thread. From another thread the registration goes through the loop's inbox
   * ({@link EventLoop#callSoonThreadsafe}), which wakes the loop; the future completes when the loop
   * runs (a loop that is not running completes nothing). The future is never left pending by a
   * close: if the loop is closed, or closes before the promise completes (even while this call
   * races with {@link EventLoop#close()} on another thread), the future is completed from the
   * promise's final state, at once or at the end of the close: a promise still pending then can
   * never complete, and the future fails with an {@link IllegalStateException}.
   */
  public final CompletableFuture<T> toCompletableFuture() {
    PromiseFuture<T> f = new PromiseFuture<>(this);
    EventLoop l = loop;
    if (l == null) {
      copyOutcomeTo(f); // a shared constant: done
    } else if (l.inLoopThread()) {
      f.run();
    } else {
      l.postRegistration(f);
    }
    return f;
  }

  /**
   * What {@link #toCompletableFuture()} returns. It is also the job that registers it with its promise
   * on the loop's thread, and the promise's done callback that completes it.
   */
  static final class PromiseFuture<T> extends CompletableFuture<T>
      implements Runnable, Consumer<Promise<T>> {
    private final Promise<T> promise;

    PromiseFuture(Promise<T> promise) {
      this.promise = promise;
    }

    /**
     * On the loop's thread, or in {@link EventLoop#close()} on the closing thread: waits for the
     * promise, known to the loop until it is reached, so that a close settles it. Once the loop is
     * closed, settles it at once.
     */
    @Override
    public void run() {
      EventLoop l = promise.loop;
      if (l.isClosed()) {
        settle();
        return;
      }
      l.registered(this);
      promise.addCallback(this);
    }

    /** The promise's done callback, on the loop's thread. */
    @Override
    public void accept(Promise<T> done) {
      promise.loop.reached(this);
      done.copyOutcomeTo(this);
    }

    /** Completes this future from the promise's state, final by now (the loop is closed). */
    void settle() {
      promise.copyOutcomeTo(this);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean r = super.cancel(mayInterruptIfRunning);
      EventLoop l = promise.loop;
      if (r && l != null && !l.isClosed()) {
        try {
          l.callSoonThreadsafe(() -> promise.cancel());
        } catch (IllegalStateException closedMeanwhile) {
          // the loop closed (or is closing) after the check: too late to cancel
        }
      }
      return r;
    }
  }

  /** Completes {@code f} with this promise's outcome; fails it if the promise is still pending. */
  final void copyOutcomeTo(CompletableFuture<? super T> f) {
    switch (status) {
      case SUCCEEDED:
        f.complete(resultUnchecked());
        break;
      case FAILED:
        markRetrieved();
        f.completeExceptionally((Throwable) result);
        break;
      case CANCELLED:
        f.cancel(false);
        break;
      default:
        f.completeExceptionally(
            new IllegalStateException(
                "the event loop of " + this + " was closed before it completed: it never will"));
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "@" + Integer.toHexString(hashCode()) + "[" + describeState() + "]";
  }

  final String describeState() {
    switch (status) {
      case SUCCEEDED:
        return "result=" + result;
      case FAILED:
        return "exception=" + result;
      case CANCELLED:
        return "cancelled";
      default:
        return "pending";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Runtime internals.

  @SuppressWarnings("unchecked")
  final T resultUnchecked() {
    return (T) result;
  }

  /** The failure, without marking it retrieved; {@code null} unless failed. */
  final Throwable failure() {
    return status == FAILED ? (Throwable) result : null;
  }

  final CancelledError cancelledError() {
    return CancelledError.delivered((String) result);
  }

  /** The cancellation message; only meaningful when cancelled. */
  final String cancelMessage() {
    return status == CANCELLED ? (String) result : null;
  }

  /** Hands the outcome to an awaiting coroutine. */
  final void deliverTo(Coroutine<?> c) {
    switch (status) {
      case SUCCEEDED:
        c.deliver(result, null);
        break;
      case FAILED:
        markRetrieved();
        c.deliver(null, (Throwable) result);
        break;
      default:
        c.deliver(null, cancelledError());
    }
  }

  /** Completes this promise with the outcome of {@code other}, which is done. */
  final void copyFrom(Promise<? extends T> other) {
    checkPending("complete");
    if (other.status == FAILED) {
      // The failure is handed on: this promise is now the one whose exception must be retrieved.
      other.markRetrieved();
    }
    setResult(other.status, other.result);
  }

  /** Fails fast unless on the loop's thread. */
  final void checkLoopThread(String what) {
    // The message is built only on failure: this check is on the path of every done callback.
    if (loop != null && !loop.inLoopThread()) {
      loop.checkThread(
          what + " a promise",
          "from other threads, use toCompletableFuture(), or loop().callSoonThreadsafe(...)");
    }
  }

  /** Fails fast unless on the loop's thread or the loop is closed (then the state is final). */
  private void checkReader(String what) {
    EventLoop l = loop;
    if (l != null && !l.inLoopThread() && !l.isClosed()) {
      l.checkThread(
          what + " a promise",
          "from other threads, use toCompletableFuture(), or read it once the loop is closed");
    }
  }

  void checkPending(String what) {
    if (status != PENDING) {
      throw new IllegalStateException("cannot " + what + " " + this + ": it is already done");
    }
  }

  /**
   * Completes the promise: {@code outcome} is the value, the {@code Throwable} or the cancellation
   * message, as the table on {@link #result} says.
   */
  final void setResult(byte newStatus, Object outcome) {
    if (loop != null) {
      loop.checkThread("complete a promise");
    }
    status = newStatus;
    result = outcome;
    if (newStatus == FAILED) {
      retrieval = UNRETRIEVED;
    }
    if (newStatus == FAILED && loop != null && loop.debug) {
      retrieval = UNRETRIEVED | DEBUG_TRACKED;
      Debug.promiseFailed(this);
    }
    onDone();
    Object cbs = callbacks;
    if (cbs != null) {
      callbacks = null;
      if (cbs instanceof CallbackList list) {
        Object[] items = list.items;
        boolean skip = list.stopped > 0;
        for (int i = 0, n = list.size; i < n; i++) {
          Object cb = items[i];
          if (!(skip && hasStopped(cb))) {
            schedule(cb);
          }
        }
      } else if (cbs instanceof Object[] array) {
        for (Object cb : array) {
          if (cb == null) {
            break;
          }
          schedule(cb);
        }
      } else {
        schedule(cbs);
      }
    }
  }

  /**
   * Never called for a plain promise: only a {@link Task} (its step) and the runtime's listening
   * promises (Gather, Shield, WaitFor's and Aio.wait's waiters, AsCompleted, TaskGroup's task
   * listener: the callback they were registered as) are ever in the loop's ready queue (see {@link
   * Ready}), and they override this.
   */
  @Override
  void runReady() {
    throw new IllegalStateException(this + " is not a task: the loop runs no other promise");
  }

  /** Hook for subclasses run when the promise becomes done, before callbacks are scheduled. */
  void onDone() {}

  /**
   * Records that the failure was retrieved ({@link #isExceptionUnretrieved()} becomes false), so debug
   * mode does not report it. Debug mode's report is keyed on whether the
   * promise is tracked, not on the loop's current mode: debug mode may be switched off in between.
   */
  final void markRetrieved() {
    byte r = retrieval;
    retrieval = 0;
    if ((r & DEBUG_TRACKED) != 0) {
      Debug.promiseRetrieved(this);
    }
  }

  /**
   * Registers a callback: a {@link Task} to wake, one of the runtime's listening promises (run as
   * themselves, see {@link #schedule}), or a {@code Consumer<Promise>}.
   */
  final void addCallback(Object cb) {
    if (status != PENDING) {
      schedule(cb);
      return;
    }
    Object cbs = callbacks;
    if (cbs == null) {
      callbacks = cb;
    } else if (cbs instanceof CallbackList list) {
      list.add(cb);
    } else if (cbs instanceof Object[] small) {
      int n = smallCount(small);
      if (n < SMALL) {
        small[n] = cb;
      } else {
        callbacks = new CallbackList(small, cb);
      }
    } else {
      Object[] small = new Object[SMALL];
      small[0] = cbs;
      small[1] = cb;
      callbacks = small;
    }
  }

  /**
   * How many callbacks are registered (each registration counts), without the listeners that
   * stopped listening: for tests.
   */
  final int callbackCount() {
    Object cbs = callbacks;
    int n = countOf(cbs);
    if (cbs instanceof CallbackList list && list.stopped > 0) {
      for (int i = 0, size = n; i < size; i++) {
        if (hasStopped(list.items[i])) {
          n--;
        }
      }
    }
    return n;
  }

  /** How many slots of the callbacks' array are in use, listeners that stopped included: for tests. */
  final int callbackSlots() {
    return countOf(callbacks);
  }

  /** How many callbacks {@code cbs} (a value of {@link #callbacks}) holds. */
  private static int countOf(Object cbs) {
    if (cbs == null) {
      return 0;
    }
    if (cbs instanceof CallbackList list) {
      return list.size;
    }
    return cbs instanceof Object[] small ? smallCount(small) : 1;
  }

  /**
   * The array whose first {@link #countOf} slots hold callbacks {@code cbs} (a value of {@link
   * #callbacks}): the small array or the list's; {@code null} for one callback or none.
   */
  private static Object[] arrayOf(Object cbs) {
    if (cbs instanceof CallbackList list) {
      return list.items;
    }
    return cbs instanceof Object[] small ? small : null;
  }

  /** How many callbacks the small array holds: its slots before the first {@code null}. */
  private static int smallCount(Object[] small) {
    int n = 0;
    while (n < SMALL && small[n] != null) {
      n++;
    }
    return n;
  }

  /**
   * A task waiting for this promise, directly or through the runtime's listening promises registered
   * as its callbacks (gather, shield, wait_for...): the first found; {@code null} if none. For stack
   * traces, which follow a failure into the task that awaits it.
   */
  final Task<?> awaitingTask() {
    return awaitingTask(0);
  }

  private Task<?> awaitingTask(int depth) {
    Object cbs = callbacks;
    if (cbs == null || depth > 8) {
      return null;
    }
    Object[] all = arrayOf(cbs);
    if (all == null) {
      all = new Object[] {cbs};
    }
    int n = countOf(cbs);
    for (int i = 0; i < n; i++) {
      if (all[i] instanceof Task<?> t) {
        return t;
      }
    }
    for (int i = 0; i < n; i++) {
      Object cb = all[i];
      if (cb instanceof Promise<?> p && !(cb instanceof Task<?>) && !p.stoppedListening()) {
        Task<?> t = p.awaitingTask(depth + 1);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  /**
   * Removes every registration of {@code cb} (the same object, or one {@code equals} to it), keeping
   * the others in their order: one pass over the callbacks, as asyncio's {@code
   * remove_done_callback}.
   *
   * @return how many registrations were removed
   */
  final int removeCallback(Object cb) {
    Object cbs = callbacks;
    if (cbs == null) {
      return 0;
    }
    Object[] array = arrayOf(cbs);
    if (array == null) {
      if (cbs == cb || cbs.equals(cb)) {
        callbacks = null;
        return 1;
      }
      return 0;
    }
    return keepOnly(cbs, array, countOf(cbs), cb);
  }

  /**
   * Stops notifying {@code listener}, one of the runtime's listening promises registered as a callback
   * of this one, whose {@link #stoppedListening()} has just become true for good. Among a few
   * callbacks it is removed at once ({@link #removeCallback}). Among many it is only counted, skipped
   * when this promise completes, and dropped with every other such listener in one pass once they
   * are more than half of the list: so that N listeners leaving a promise that N listen to (N shields
   * of one promise cancelled, N waits on one promise timing out) cost O(N) in all, where a search for
   * each would cost O(N²).
   */
  final void dropListener(Promise<?> listener) {
    Object cbs = callbacks;
    if (!(cbs instanceof CallbackList list)) {
      removeCallback(listener);
      return;
    }
    if (++list.stopped * 2 > list.size) {
      keepOnly(cbs, list.items, list.size, null);
    }
  }

  /**
   * Whether {@code cb}, a callback of a promise, is a listener that stopped listening (see {@link
   * #dropListener}).
   */
  private static boolean hasStopped(Object cb) {
    return cb instanceof Promise<?> p && p.stoppedListening();
  }

  /**
   * True once this promise, one of the runtime's listening promises, has stopped listening to the
   * promises it was registered on (see {@link #dropListener}): it is never registered again after
   * that. False for every other promise.
   */
  boolean stoppedListening() {
    return false;
  }

  /**
   * One of the runtime's listening promises that stops listening by {@link #stopListeningTo}: a
   * shield, a wait's or a zero-timeout waitFor's waiter.
   */
  abstract static class Listener<T> extends Promise<T> {
    /** Whether it stopped listening, for good. */
    private boolean stopped;

    Listener(EventLoop loop) {
      super(loop);
    }

    /**
     * Stops listening, for good, and so stops {@code p}'s notifying this listener ({@link
     * #dropListener}); called once for each promise it was registered on that it leaves.
     */
    final void stopListeningTo(Promise<?> p) {
      stopped = true;
      p.dropListener(this);
    }

    @Override
    final boolean stoppedListening() {
      return stopped;
    }
  }

  /**
   * Keeps, of the {@code n} callbacks {@code cbs} holds in {@code array}, those that are not {@code
   * remove} (nor {@code equals} to it) and, in a list, not listeners that stopped listening: one
   * pass, keeping their order. Gives the list's space back when most of it is free.
   *
   * @return how many registrations of {@code remove} were removed
   */
  private int keepOnly(Object cbs, Object[] array, int n, Object remove) {
    CallbackList list = cbs instanceof CallbackList l ? l : null;
    boolean dropStopped = list != null && list.stopped > 0;
    int w = 0;
    int removed = 0;
    for (int r = 0; r < n; r++) {
      Object x = array[r];
      if (remove != null && (x == remove || x.equals(remove))) {
        removed++;
      } else if (!(dropStopped && hasStopped(x))) {
        array[w++] = x;
      }
    }
    Arrays.fill(array, w, n, null);
    if (w == 0) {
      callbacks = null;
    } else if (list != null) {
      list.size = w;
      list.stopped = 0;
      if (w < array.length / 4 && array.length > SMALL * 4) {
        // Most waiters left (cancelled waits on a long-lived promise): give back the space.
        list.items = Arrays.copyOf(array, Math.max(SMALL * 2, w * 2));
      }
    }
    return removed;
  }

  /**
   * Puts a registered callback in the loop's ready queue. A promise is queued as itself: a task
   * waiting on this one, or one of the runtime's promises that listen to others (Gather, Shield,
   * WaitFor's and Aio.wait's waiters, AsCompleted, TaskGroup's task listener), told first which
   * promise is done ({@link #notifiedBy}); a user's {@code Consumer} takes two slots, itself and this
   * promise, and allocates nothing.
   */
  @SuppressWarnings("unchecked")
  private void schedule(Object cb) {
    EventLoop l = loop != null ? loop : EventLoop.running();
    if (cb instanceof Promise<?> listener) {
      listener.notifiedBy(this);
      l.schedule(listener);
    } else {
      l.scheduleDoneCallback((Consumer<Object>) cb, this);
    }
  }

  /**
   * This promise, registered as a callback of {@code done} ({@link #addCallback}), is queued because
   * {@code done} completed: a listener records which promise its next run is for. Nothing for a task.
   * The loop runs its queued entries in the order they were queued, so a listener keeps these in a
   * FIFO and its run takes the oldest: {@code notifiedBy(a); notifiedBy(b)} means that the next two
   * runs are for {@code a}, then {@code b}.
   */
  void notifiedBy(Promise<?> done) {}

  /** Throws any throwable without declaring it. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }
}
