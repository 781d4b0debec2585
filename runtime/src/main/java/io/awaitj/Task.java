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
   * last column says: the loop runs it (runReady()) when it comes out of its ready queue.
   *
   *   state      status     leaf            leafFresh  waitingOn          where the task is
   *   ---------  ---------  --------------  ---------  -----------------  ------------------------------
   *   created    PENDING    coroutine       true       null               the loop's ready queue
   *   running    PENDING    as it was,      false      null               on the stack: loop.currentTask
   *                         until it waits
   *   suspended  PENDING    the coroutine   false      the pending        a callback of waitingOn (for
   *                         that awaited               promise awaited    Yield.INSTANCE: the ready queue)
   *   sleeping   PENDING    the coroutine   false      its SleepQueue,    that queue, in the loop's timers
   *                         that awaited               or itself (see     (off the list of live tasks)
   *                         the sleep                  SleepQueue)
   *              PENDING    as above        false      SLEEP_DUE          the ready queue, as its timer:
   *                                                                       running it fires the sleep
   *                                                                       (waitingOn becomes Yield.INSTANCE,
   *                                                                       the task goes to the back)
   *              PENDING    as above        false      SLEEP_DUE_         the ready queue twice, as its
   *                                                    CANCELLED          timer (which does nothing but
   *                                                                       become SLEEP_CANCELLED) and
   *                                                                       behind it as itself
   *              PENDING    as above        false      SLEEP_CANCELLED    the ready queue: resumes with
   *                                                                       the cancellation
   *   woken      PENDING    the coroutine   false      that promise,      the ready queue, put there by
   *                         that awaited               now done           waitingOn's callbacks
   *   done       SUCCEEDED  null            false      null               nowhere: off the live list, its
   *              FAILED                                                   own callbacks scheduled
   *              CANCELLED
   *
   * runReady() moves created, suspended on Yield.INSTANCE, woken, or a sleep that ended (fired or
   * cancelled) to running; drive() ends a run in suspended or sleeping (the chain awaited a pending
   * promise: waitOn; or a sleep: sleep) or done (the outermost coroutine returned or threw: finish).
   * A sleep is asyncio's: its timer, when due, completes the sleep (runs in the pass it is due) and
   * that wakes the task (which runs in the next pass); cancelled, it wakes the task with the
   * cancellation. A sleep's value is delivered to the coroutine that awaits it when the sleep starts
   * (Coroutine.deliver); only a cancellation replaces it. A sleep of zero waits on Yield.INSTANCE.
   * From created to done, the task is on the loop's live list (prevLive, nextLive), except while it
   * sleeps: then the same links hold it in its sleep queue (TimerHeap.SleepQueue) and the loop finds
   * it there.
   *
   * Beside the state, pending cancellation:
   *   mustCancel, pendingCancelMessage()  a CancelledError (with that message, kept in Promise.result
   *                              while the task is pending) to throw in at the next step: set by cancel()
   *                              when there is no waitingOn to cancel, or it refuses (already done:
   *                              woken; or Yield.INSTANCE); cleared when delivered (step), when passed on
   *                              to what the chain suspends on (drive), when the task ends cancelled
   *                              instead of succeeding (finish), or by uncancel() dropping the last
   *                              request. A sleep cancelled keeps the first message in the same place,
   *                              and a later cancel() only sets mustCancel, as the cancelled timer
   *                              promise of a sleep kept its own message in asyncio.
   *   cancelRequests             cancel() calls on the not-done task, less uncancel() calls.
   * Only while running, kept by the loop (one task runs at a time): EventLoop.inlineDepth (nested
   * inline starts), EventLoop.bounced (a start too deep to run inline, handed back to drive()) and
   * EventLoop.inlineBase (the coroutine drive() steps, whose own starts are not counted).
   */

  /** The innermost coroutine of the chain: the one to resume next. */
  private Coroutine<?> leaf;

  /** Whether {@link #leaf} is still to be started: true only until the first step. */
  private boolean leafFresh = true;

  /** What the task waits on, if suspended, sleeping or woken (see the table). */
  private Promise<?> waitingOn;

  private boolean mustCancel;
  private int cancelRequests;

  /*
   * The loop's list of live tasks (intrusive, so registering a task allocates nothing); while the task
   * sleeps, its sleep queue's FIFO instead.
   */
  Task<?> prevLive;
  Task<?> nextLive;

  /** While sleeping: when the sleep ends, and its sequence number among the loop's timers. */
  long sleepDeadline;

  long sleepSequence;

  Task(EventLoop loop, Coroutine<T> coroutine, String name, long id) {
    super(loop);
    this.coroutine = coroutine;
    this.leaf = coroutine;
    this.name = name;
    this.id = id;
    coroutine.task = this;
    coroutine.settleDebugTracking();
  }

  /**
   * The innermost coroutine of the chain, as it was when the task last suspended or resumed ({@code
   * null} once the task is done): the start of {@link #stack()}.
   */
  Coroutine<?> leaf() {
    return leaf;
  }

  /** What the task waits on while suspended, sleeping or woken; {@code null} otherwise. */
  Promise<?> waitingOn() {
    return waitingOn;
  }

  /**
   * While the task sleeps: what it waits on, its queue or itself, as {@link TimerHeap.SleepQueue} keeps
   * it (written only if it changes, so that a task the queue's end passes is written once).
   */
  void sleepingOn(Promise<?> w) {
    if (waitingOn != w) {
      waitingOn = w;
    }
  }

  /** Whether {@code w}, what this task waits on, is its sleep: its queue, or itself. */
  private boolean isSleep(Promise<?> w) {
    return w == this || w instanceof TimerHeap.SleepQueue;
  }

  /** The task's number on its loop: tasks made later have larger ones. */
  long id() {
    return id;
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
    if (w != null && cancelWait(w, message)) {
      return true;
    }
    mustCancel = true;
    if (w != SLEEP_CANCELLED && w != SLEEP_DUE_CANCELLED) {
      result = message; // pendingCancelMessage(); a cancelled sleep keeps its first message
    }
    return true;
  }

  /**
   * Cancels what the task waits on, {@code w}: a promise, or its sleep (taken out of the timers, the
   * task scheduled to receive the cancellation).
   *
   * @return whether {@code w} was cancelled now (otherwise it was done, or cannot be cancelled)
   */
  private boolean cancelWait(Promise<?> w, String message) {
    if (isSleep(w)) {
      loop.cancelSleep(this);
      waitingOn = SLEEP_CANCELLED;
    } else if (w == SLEEP_DUE) {
      waitingOn = SLEEP_DUE_CANCELLED;
    } else {
      return w.cancel(message);
    }
    result = message; // pendingCancelMessage()
    loop.schedule(this);
    return true;
  }

  /** The message of the pending cancellation: see the table. */
  private String pendingCancelMessage() {
    return (String) result;
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

  /**
   * The task's chain of coroutines, innermost first, each as the frame of its method at the source
   * line where it stands: the await it waits at (asyncio's {@code get_stack()}, in Java's order). A
   * task that is running shows its chain as it was when it last resumed; one not started yet, its
   * coroutine at its first line; a task that is done, nothing. Coroutines that cannot say where they
   * stand (see {@link Coroutine#sourceFrame()}) are left out.
   *
   * <p>Threading: the loop's thread, or any thread while the loop is not running.
   *
   * @throws IllegalStateException if called from another thread while the loop runs
   */
  public java.util.List<StackTraceElement> stack() {
    if (loop.isRunning()) {
      loop.checkThread("read the stack of a task");
    }
    return Traces.stackOf(this);
  }

  /**
   * Prints the task, what it is doing and its {@link #stack()} to {@code out} (asyncio's {@code
   * print_stack()}): a first line such as {@code Task[fetch] waiting on Task[parse]}, then one
   * {@code \tat} line per coroutine, innermost first, as a Java stack trace prints them. Threading:
   * as {@link #stack()}.
   */
  public void printStack(java.io.PrintStream out) {
    if (loop.isRunning()) {
      loop.checkThread("print the stack of a task");
    }
    StringBuilder b = new StringBuilder();
    dump(b);
    out.print(b);
    out.flush();
  }

  /** Appends the task's {@link #printStack} text to {@code b}. */
  void dump(StringBuilder b) {
    dump(b, null);
  }

  /**
   * As {@link #dump(StringBuilder)}, given the queue of every sleeping task when the caller has them
   * ({@code EventLoop.dumpTasks}, for all the tasks at once: otherwise each sleeping task inside its
   * queue would walk to an end of it to find it).
   */
  void dump(StringBuilder b, java.util.Map<Task<?>, TimerHeap.SleepQueue> sleepQueues) {
    b.append("Task[").append(name()).append("] ").append(activity(sleepQueues)).append('\n');
    java.util.List<StackTraceElement> frames = Traces.stackOf(this);
    for (StackTraceElement f : frames) {
      b.append("\tat ").append(f).append('\n');
    }
    if (frames.isEmpty() && leaf != null) {
      b.append("\tin ").append(leaf.getClass().getName()).append(" (no source frame)\n");
    }
  }

  /** What the task is doing, for {@link #printStack}: running, waiting (and on what), ready, done. */
  String activity() {
    return activity(null);
  }

  private String activity(java.util.Map<Task<?>, TimerHeap.SleepQueue> sleepQueues) {
    if (isDone()) {
      return "done, " + describeState();
    }
    if (loop.currentTask == this) {
      return "running";
    }
    if (leafFresh) {
      return "created, not started yet";
    }
    Promise<?> w = waitingOn;
    if (w == null) {
      return "running";
    }
    if (isSleep(w)) {
      TimerHeap.SleepQueue q =
          w instanceof TimerHeap.SleepQueue s ? s : sleepQueues != null ? sleepQueues.get(this) : null;
      return "sleeping: " + (q != null ? q : TimerHeap.SleepQueue.of(this));
    }
    if (w == SLEEP_DUE || w == SLEEP_DUE_CANCELLED || w == SLEEP_CANCELLED || w == Yield.INSTANCE) {
      return "ready: " + w;
    }
    if (w.isDone()) {
      return "ready: what it awaited is done";
    }
    return "waiting on " + (w instanceof Task<?> t ? "Task[" + t.name() + "]" : w.toString());
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

  /**
   * The innermost coroutine {@code c} awaits a sleep of {@code nanos} (zero or less: a yield) that
   * returns {@code value}: {@link Sleep}, without a coroutine or a promise of its own.
   */
  void sleep(Coroutine<?> c, long nanos, Object value) {
    c.deliver(value, null);
    if (nanos <= 0) {
      waitOn(Yield.INSTANCE, c);
      return;
    }
    leaf = c;
    EventLoop l = loop;
    TimerHeap.SleepQueue q = l.addSleeper(this, nanos); // sets waitingOn
    if (l.weakTasks != null) {
      l.debugSuspended(this, c, q);
    }
  }

  /** The loop took this sleeping task out of the timers: its sleep is due. */
  void sleepDue() {
    waitingOn = SLEEP_DUE;
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
    Promise<?> w = waitingOn;
    if (w == SLEEP_DUE) {
      // The sleep's timer: the sleep is over, and the task resumes on the next pass.
      waitingOn = Yield.INSTANCE;
      loop.schedule(this);
      return;
    }
    if (w == SLEEP_DUE_CANCELLED) {
      // The timer of a sleep cancelled since it came due: nothing; the task is queued behind it.
      waitingOn = SLEEP_CANCELLED;
      return;
    }
    Coroutine<?> c = leaf;
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
              : CancelledError.delivered(pendingCancelMessage());
      if (leafFresh) {
        failNow = e;
      } else {
        c.deliver(null, e);
      }
    } else if (w == SLEEP_CANCELLED) {
      c.deliver(null, CancelledError.delivered(pendingCancelMessage()));
    } else if (w == null) {
      if (!leafFresh) {
        c.deliver(null, null);
      }
    } else if (w != Yield.INSTANCE) {
      // (A yield's value was delivered when it began: Task.sleep.)
      w.deliverTo(c);
    }
    leafFresh = false;
    EventLoop l = loop;
    Task<?> previous = l.currentTask;
    l.currentTask = this;
    try {
      drive(c, failNow);
    } finally {
      l.currentTask = previous;
      l.inlineBase = null; // holds no finished coroutine; a nested run's caller counts (safe)
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
        loop.inlineDepth = 0;
        loop.inlineBase = c;
        try {
          r = c.step();
        } catch (Throwable t) {
          r = null;
          failure = t;
          Traces.leaving(c, t);
        }
        if (r == Coroutine.SUSPEND && failure == null) {
          Coroutine<?> b = loop.bounced;
          if (b != null) {
            // Start it here, as if inline. Not a suspension: a cancellation requested meanwhile
            // stays pending until the chain really suspends, or ends the task when it finishes.
            loop.bounced = null;
            c = b;
            continue;
          }
          Promise<?> w = waitingOn;
          if (w != null) {
            if (mustCancel && cancelWait(w, pendingCancelMessage())) {
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
      setResult(CANCELLED, ce.getMessage());
    } else if (failure != null) {
      setResult(FAILED, failure);
    } else if (mustCancel) {
      mustCancel = false;
      setResult(CANCELLED, pendingCancelMessage());
    } else {
      setResult(SUCCEEDED, value);
    }
  }

  /** Its timer is due: see the table. */
  private static final Yield SLEEP_DUE = new Yield("the timer of a sleep, due");

  /** Its timer is due and the sleep was cancelled since: see the table. */
  private static final Yield SLEEP_DUE_CANCELLED = new Yield("the timer of a sleep, due, cancelled");

  /** The sleep was cancelled: see the table. */
  private static final Yield SLEEP_CANCELLED = new Yield("a sleep, cancelled");

  /**
   * The promise a task waits on during {@code Aio.sleep(0)}, one trip through the loop
   * ({@link #INSTANCE}), and the markers of a sleep's states (see the table): never done, belonging
   * to no loop.
   */
  static final class Yield extends Promise<Void> {
    static final Yield INSTANCE = new Yield("Aio.sleep(0)");

    private final String what;

    private Yield(String what) {
      super(null);
      this.what = what;
    }

    @Override
    public String toString() {
      return "Yield[" + what + "]";
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
