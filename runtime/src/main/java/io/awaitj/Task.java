package io.awaitj;

/**
 * A coroutine scheduled to run on a loop: asyncio's {@code Task}. Created by {@link
 * Aio#createTask(Coroutine)}; the task runs its coroutine step by step, each time the thing it awaits is
 * done, and completes with the coroutine's result.
 *
 * <p>A task is a {@link Promise}: it can be awaited any number of times, polled with {@link #isDone()},
 * {@link #result()} and {@link #exception()}, given done callbacks, and turned into a {@link
 * java.util.concurrent.CompletableFuture} for code outside the loop. It cannot be completed from
 * outside: {@link #complete} and {@link #fail} throw.
 *
 * <p>{@link #cancel()} follows asyncio: if the task waits on a promise, that promise is cancelled, so
 * the coroutine receives a {@link CancelledError} at its await; otherwise the error is thrown in at the
 * next step. The coroutine may catch it; then {@link #uncancel()} tells the task the request was handled.
 *
 * <p>Threading: as for every {@link Promise}, {@link #toCompletableFuture()} and the queries work from
 * any thread, and what changes the task belongs to the loop's thread and fails fast elsewhere; to
 * cancel a task from another thread, cancel the future of {@code toCompletableFuture()} or use {@link
 * EventLoop#callSoonThreadsafe(Runnable)}.
 *
 * @param <T> the result type
 */
public final class Task<T> extends Promise<T> {
  private final long id;
  private String name;

  /** The outermost coroutine: what the task was created with. */
  private final Coroutine<T> coroutine;

  /*
   * The task's states, as the fields below and Promise's status encode them. The task is where the
   * last column says: the loop runs it (runReady(), one step) when it comes out of its ready queue.
   *
   *   state      status     leaf            leafFresh  waitingOn         where the task is
   *   ---------  ---------  --------------  ---------  ----------------  --------------------------------
   *   created    PENDING    coroutine       true       null              the loop's ready queue
   *   running    PENDING    as it was,      false      null              on the stack: loop.currentTask
   *                         until waitOn
   *   suspended  PENDING    the coroutine   false      the pending       a callback of waitingOn (for
   *                         that awaited               promise awaited   Yield.INSTANCE: the ready queue)
   *   woken      PENDING    the coroutine   false      that promise,     the ready queue, put there by
   *                         that awaited               now done          waitingOn's callbacks
   *   done       SUCCEEDED  null            false      null              nowhere: off the live list, its
   *              FAILED                                                  own callbacks scheduled
   *              CANCELLED
   *
   * runReady() moves created, suspended on Yield.INSTANCE, or woken to running; drive() ends a run in
   * suspended (the chain awaited a pending promise: waitOn) or done (the outermost coroutine returned
   * or threw: finish). From created to done, the task is on the loop's live list (prevLive, nextLive).
   *
   * Beside the state, pending cancellation:
   *   mustCancel, cancelMessage  a CancelledError (with that message) to throw in at the next step:
   *                              set by cancel() when there is no waitingOn to cancel, or it refuses
   *                              (already done: woken; or Yield.INSTANCE); cleared when delivered
   *                              (step), when passed on to the promise the chain suspends on (drive),
   *                              when the task ends cancelled instead of succeeding (finish), or by
   *                              uncancel() dropping the last request.
   *   cancelRequests             cancel() calls on the not-done task, less uncancel() calls.
   * And, only while running: inlineDepth (nested inline starts) and bounced (a start too deep to run
   * inline, handed back to drive()).
   */

  /** The innermost coroutine of the chain: the one to resume next. */
  private Coroutine<?> leaf;

  /** Whether {@link #leaf} is still to be started: true only until the first step. */
  private boolean leafFresh = true;

  /** What the task waits on, if suspended or woken. */
  private Promise<?> waitingOn;

  private boolean mustCancel;
  private String cancelMessage;
  private int cancelRequests;

  /** How many coroutines are being started inline, one inside the other, right now. */
  int inlineDepth;

  /** A coroutine whose inline start bounced: the driver starts it. */
  private Coroutine<?> bounced;

  // The loop's list of live tasks (intrusive, so registering a task allocates nothing).
  Task<?> prevLive;
  Task<?> nextLive;

  Task(EventLoop loop, Coroutine<T> coroutine, String name, long id) {
    super(loop);
    this.coroutine = coroutine;
    this.leaf = coroutine;
    this.name = name;
    this.id = id;
    coroutine.task = this;
    coroutine.settleDebugTracking();
  }

  /** The task's name: the one it was given, or {@code Task-N}. Threading: any thread. */
  public String name() {
    String n = name;
    if (n == null) {
      n = "Task-" + id;
      name = n;
    }
    return n;
  }

  /**
   * Renames the task. Threading: the loop's thread.
   *
   * @throws IllegalStateException if called from another thread
   */
  public void setName(String name) {
    loop.checkThread("rename a task");
    this.name = name;
  }

  /** The coroutine the task runs. Threading: any thread. */
  public Coroutine<T> coroutine() {
    return coroutine;
  }

  /**
   * Requests cancellation; see the class comment. Does nothing to a task that is already done.
   * Threading: the loop's thread; see the class comment for other threads.
   *
   * @return {@code false} if the task was already done
   * @throws IllegalStateException if called from another thread
   */
  @Override
  public boolean cancel() {
    return cancel(null);
  }

  /**
   * As {@link #cancel()}, with a message carried by the {@link CancelledError}. Threading: the loop's
   * thread.
   */
  @Override
  public boolean cancel(String message) {
    loop.checkThread(
        "cancel a task",
        "from other threads, cancel the future of toCompletableFuture(), or use"
            + " loop().callSoonThreadsafe(...)");
    if (isDone()) {
      return false;
    }
    cancelRequests++;
    Promise<?> w = waitingOn;
    if (w != null && w.cancel(message)) {
      return true;
    }
    mustCancel = true;
    cancelMessage = message;
    return true;
  }

  /**
   * How many cancellation requests are pending (asyncio's {@code cancelling()}). Threading: any thread;
   * from another thread, a snapshot.
   */
  public int cancelling() {
    return cancelRequests;
  }

  /**
   * Marks one cancellation request as handled, for code that catches {@link CancelledError} and goes
   * on (asyncio's {@code uncancel()}). When none is left, a cancellation not yet delivered is dropped.
   *
   * Threading: the loop's thread.
   *
   * @return the number of requests still pending
   * @throws IllegalStateException if called from another thread
   */
  public int uncancel() {
    loop.checkThread("uncancel a task");
    if (cancelRequests > 0) {
      cancelRequests--;
      if (cancelRequests == 0) {
        mustCancel = false;
      }
    }
    return cancelRequests;
  }

  /** Always throws: a task completes with its coroutine's result. Threading: any thread. */
  @Override
  public void complete(T value) {
    throw new IllegalStateException("a Task completes with its coroutine; complete() is not allowed");
  }

  /** Always throws: a task completes with its coroutine's result. Threading: any thread. */
  @Override
  public void fail(Throwable exception) {
    throw new IllegalStateException("a Task completes with its coroutine; fail() is not allowed");
  }

  @Override
  public String toString() {
    return "Task[" + name() + ", " + describeState() + ", " + coroutine.getClass().getName() + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // The driver.

  /** Records what the innermost coroutine {@code c} now waits on, and registers the wake-up. */
  void waitOn(Promise<?> promise, Coroutine<?> c) {
    if (promise.loop != loop && promise.loop != null) {
      throw new IllegalStateException(
          "cannot await " + promise + ": it belongs to another event loop than " + this);
    }
    leaf = c;
    waitingOn = promise;
    if (loop.weakTasks != null) {
      loop.debugSuspended(this, c, promise);
    }
    if (promise == Yield.INSTANCE) {
      loop.schedule(this);
    } else {
      promise.addCallback(this);
    }
  }

  /** Defers the start of {@code child} to the driver, because inline starts are nested too deep. */
  void bounceTo(Coroutine<?> child) {
    bounced = child;
  }

  /**
   * One step, as the loop's ready queue runs it: resumes the innermost coroutine with what it waited
   * for. Called by the loop only.
   */
  @Override
  void runReady() {
    if (isDone()) {
      return;
    }
    Coroutine<?> c = leaf;
    Promise<?> w = waitingOn;
    waitingOn = null;
    Throwable failNow = null;
    if (mustCancel) {
      mustCancel = false;
      if (w != null) {
        // The awaited outcome is consumed, as asyncio's __wakeup does, and replaced by the
        // cancellation: a failure of w must not be reported as never retrieved.
        w.markRetrieved();
      }
      // As asyncio's __step: when what the task waited on ended cancelled itself (a first cancel()
      // reached it, a later one found it done and set mustCancel), that cancellation is delivered,
      // with its message; a new one, with the latest message, only replaces any other outcome.
      CancelledError e =
          w != null && w.isCancelled()
              ? w.cancelledError()
              : CancelledError.delivered(cancelMessage);
      if (leafFresh) {
        failNow = e;
      } else {
        c.deliver(null, e);
      }
    } else if (w != null && w != Yield.INSTANCE) {
      w.deliverTo(c);
    } else if (!leafFresh) {
      c.deliver(null, null);
    }
    leafFresh = false;
    EventLoop l = loop;
    Task<?> previous = l.currentTask;
    l.currentTask = this;
    try {
      drive(c, failNow);
    } finally {
      l.currentTask = previous;
    }
  }

  /**
   * Runs {@code c}, then, as coroutines finish, their callers, until the chain suspends or the
   * outermost coroutine is done. A loop, not recursion: this is the trampoline.
   */
  private void drive(Coroutine<?> c, Throwable failNow) {
    while (true) {
      Object r;
      Throwable failure = failNow;
      failNow = null;
      if (failure != null) {
        r = null;
      } else {
        inlineDepth = 0;
        try {
          r = c.step();
        } catch (Throwable t) {
          r = null;
          failure = t;
        }
        if (r == Coroutine.SUSPEND && failure == null) {
          Coroutine<?> b = bounced;
          if (b != null) {
            // Start it here, as if inline. Not a suspension: a cancellation requested meanwhile
            // stays pending until the chain really suspends, or ends the task when it finishes.
            bounced = null;
            c = b;
            continue;
          }
          if (waitingOn != null) {
            if (mustCancel && waitingOn.cancel(cancelMessage)) {
              mustCancel = false;
            }
            return;
          }
          r = null;
          failure =
              new IllegalStateException(
                  c.getClass().getName() + ".step() returned SUSPEND without awaiting anything");
        }
      }
      Coroutine<?> parent = c.caller;
      c.finished();
      if (parent == null) {
        finish(r, failure);
        return;
      }
      parent.deliver(r, failure);
      c = parent;
    }
  }

  private void finish(Object value, Throwable failure) {
    leaf = null;
    loop.unlinkTask(this);
    if (failure instanceof CancelledError ce) {
      setResult(CANCELLED, ce.getMessage(), null);
    } else if (failure != null) {
      setResult(FAILED, null, failure);
    } else if (mustCancel) {
      mustCancel = false;
      setResult(CANCELLED, cancelMessage, null);
    } else {
      setResult(SUCCEEDED, value, null);
    }
  }

  /** The promise a task waits on during {@code Aio.sleep(0)}: one trip through the loop. */
  static final class Yield extends Promise<Void> {
    static final Yield INSTANCE = new Yield();

    private Yield() {
      super(null);
    }

    @Override
    public boolean cancel(String message) {
      return false;
    }

    @Override
    public void complete(Void value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void fail(Throwable exception) {
      throw new UnsupportedOperationException();
    }
  }
}
