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
   *   state      status     leaf            phase      waitingOn          where the task is
   *   ---------  ---------  --------------  ---------  -----------------  ------------------------------
   *   created    PENDING    coroutine       FRESH      null               the loop's ready queue
   *   running    PENDING    as it was,      NONE       null               on the stack: loop.currentTask
   *                         until it waits
   *   suspended  PENDING    the coroutine   NONE       the pending        a callback of waitingOn (for
   *                         that awaited               promise awaited    Yield.INSTANCE: the ready queue)
   *   sleeping   PENDING    the coroutine   SLEEPING   itself             its SleepQueue, in the loop's
   *                         that awaited                                  timers (off the list of live
   *                         the sleep                                     tasks)
   *              PENDING    as above        DUE        itself             the ready queue, as its timer:
   *                                                                       running it fires the sleep
   *                                                                       (the phase becomes WOKEN, the
   *                                                                       task goes to the back)
   *              PENDING    as above        WOKEN      itself             the ready queue: resumes as
   *                                                                       after Yield.INSTANCE
   *              PENDING    as above        DUE_       itself             the ready queue twice, as its
   *                                         CANCELLED                     timer (which does nothing but
   *                                                                       become SLEEP_CANCELLED) and
   *                                                                       behind it as itself
   *              PENDING    as above        SLEEP_     itself             the ready queue: resumes with
   *                                         CANCELLED                     the cancellation
   *   woken      PENDING    the coroutine   NONE       that promise,      the ready queue, put there by
   *                         that awaited               now done           waitingOn's callbacks
   *   done       SUCCEEDED  null            NONE       null               nowhere: off the live list, its
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
   * Why a sleep's states are a byte and waitingOn the task itself, not marker objects or the queue:
   * a task that sleeps long is usually in the old generation, and every reference stored into an old
   * object that points into another heap region (a shared marker, the queue) costs G1 a dirty card,
   * which someone must refine (at a million tasks waking, the loop thread itself, for about as long
   * as the wake-ups take). A reference to the task itself, a null or a byte costs nothing.
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

  /**
   * {@link #FRESH} until the first step ({@link #leaf} is still to be started), then {@link #NONE},
   * or where the task stands in a sleep: see the table.
   */
  private byte phase = FRESH;

  /** {@link #phase}: none of the others. */
  private static final byte NONE = 0;

  /** {@link #phase}: created, not started. */
  private static final byte FRESH = 1;

  /** {@link #phase}: in a sleep queue. */
  private static final byte SLEEPING = 2;

  /** {@link #phase}: the sleep is due; in the ready queue as its timer. */
  private static final byte DUE = 3;

  /** {@link #phase}: the sleep is over; in the ready queue, to resume. */
  private static final byte WOKEN = 4;

  /** {@link #phase}: the sleep was cancelled after it came due; in the ready queue twice. */
  private static final byte DUE_CANCELLED = 5;

  /** {@link #phase}: the sleep was cancelled; in the ready queue, to resume with the cancellation. */
  private static final byte SLEEP_CANCELLED = 6;

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

  /**
   * While sleeping: when the sleep ends, and its sequence number among the loop's timers (in a queue of
   * its delay), or its index in the timers' heap (in the heap itself: negative, see {@code
   * TimerHeap.NOT_IN_HEAP}).
   */
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
    if (phase != SLEEP_CANCELLED && phase != DUE_CANCELLED) {
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
    byte ph = phase;
    if (ph == SLEEPING) {
      loop.cancelSleep(this);
      phase = SLEEP_CANCELLED;
    } else if (ph == DUE) {
      phase = DUE_CANCELLED;
    } else if (w == this) {
      return false; // a sleep that is over, or already cancelled
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
    byte ph = phase;
    if (ph == FRESH) {
      return "created, not started yet";
    }
    Promise<?> w = waitingOn;
    if (w == null) {
      return "running";
    }
    if (ph == SLEEPING) {
      TimerHeap.SleepQueue q = sleepQueues != null ? sleepQueues.get(this) : loop.sleepQueueOf(this);
      return "sleeping: " + (q != null ? q
          : "Aio.sleep timer of its own, due in " + java.time.Duration.ofNanos(sleepDeadline - loop.nanoTime()));
    }
    if (ph == DUE) {
      return "ready: Yield[the timer of a sleep, due]";
    }
    if (ph == WOKEN) {
      return "ready: " + Yield.INSTANCE; // as a yield: the next step resumes it
    }
    if (ph == DUE_CANCELLED) {
      return "ready: Yield[the timer of a sleep, due, cancelled]";
    }
    if (ph == SLEEP_CANCELLED) {
      return "ready: Yield[a sleep, cancelled]";
    }
    if (w == Yield.INSTANCE) {
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
    waitingOn = this; // see the table: a reference to itself costs no card
    phase = SLEEPING;
    EventLoop l = loop;
    TimerHeap.SleepQueue q = l.addSleeper(this, nanos);
    if (l.weakTasks != null) {
      l.debugSuspended(this, c, q != null ? q : this); // (in the heap: it waits on itself)
    }
  }

  /** The loop took this sleeping task out of the timers: its sleep is due. */
  void sleepDue() {
    phase = DUE;
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
    byte ph = phase;
    if (ph == DUE) {
      // The sleep's timer: the sleep is over, and the task resumes on the next pass.
      phase = WOKEN;
      loop.schedule(this);
      return;
    }
    if (ph == DUE_CANCELLED) {
      // The timer of a sleep cancelled since it came due: nothing; the task is queued behind it.
      phase = SLEEP_CANCELLED;
      return;
    }
    boolean fresh = ph == FRESH;
    Promise<?> w = waitingOn;
    if (w == this) {
      w = null; // a sleep's end (WOKEN, or SLEEP_CANCELLED): no promise to read
    }
    Coroutine<?> c = leaf;
    waitingOn = null;
    phase = NONE;
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
      if (fresh) {
        failNow = e;
      } else {
        c.deliver(null, e);
      }
    } else if (ph == SLEEP_CANCELLED) {
      c.deliver(null, CancelledError.delivered(pendingCancelMessage()));
    } else if (ph == WOKEN) {
      // (A sleep's value was delivered when it began: Task.sleep.)
    } else if (w == null) {
      if (!fresh) {
        c.deliver(null, null);
      }
    } else if (w != Yield.INSTANCE) {
      // (A yield's value was delivered when it began: Task.sleep.)
      w.deliverTo(c);
    }
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

  /**
   * The promise a task waits on during {@code Aio.sleep(0)}, one trip through the loop
   * ({@link #INSTANCE}): never done, belonging to no loop.
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
