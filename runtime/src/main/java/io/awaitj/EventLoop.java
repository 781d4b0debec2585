package io.awaitj;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A single-threaded event loop: asyncio's loop, in the shape of {@code base_events.py}.
 *
 * <p>State: a FIFO queue of ready callbacks, the timers ordered by (deadline, sequence number) (a
 * heap, in which the timers and sleeps of one delay are one FIFO: see {@code TimerHeap}), and one
 * thread-safe inbox. One method, {@link #runOnce()}, runs callbacks: it moves the inbox and the
 * due timers to the ready queue, then runs exactly the callbacks that were ready when the pass began.
 * When nothing is ready the loop waits on a {@link Selector} until the next deadline or a wake-up from
 * another thread, so cross-thread completions (and, later, socket readiness) share one wait.
 *
 * <p>A loop made by {@link #createVirtual()} has a virtual clock: when nothing is ready, time jumps to
 * the next timer, so an hour of sleeps takes no time and the order of events is deterministic. Work
 * the loop runs on other threads ({@link Aio#toThread}, {@link Aio#runInExecutor}) takes no virtual
 * time: while some runs, the clock stands still and the loop waits for it for real. An awaited {@link
 * java.util.concurrent.CompletionStage} (or one made a promise by {@link Aio#fromStage}) is an event
 * from outside, which may never come: it holds the clock only while no timer is set. When nothing is ready, the loop first takes the completions that
 * have already arrived from other threads (without blocking), then jumps to the next timer; so {@code
 * waitFor(stage, timeout)} times out on a stage that never completes. With no timer set, the loop waits
 * for such an event for real. If it has nothing at all left that could make progress while {@link
 * #runUntilComplete} waits, it throws instead of hanging.
 *
 * <p>The clock is a {@code long} of nanoseconds that never reaches its end ({@code Long.MAX_VALUE}): a
 * deadline that would fall at or past it (a sleep or timeout of more than what is left of about 292
 * years from the clock's origin) saturates to it and is never reached, on either kind of clock. Such a
 * sleep never ends by itself and such a timeout never expires; a virtual clock does not jump there (with
 * nothing else to do, {@code runUntilComplete} reports a deadlock). Deadlines before the end keep their
 * exact order.
 *
 * <p>Threading: the loop's thread is the one that created it, or the one that last ran it. Each
 * method's comment gives its rule: {@link #callSoonThreadsafe(Runnable)} is the entry for other
 * threads; {@link #stop()}, {@link #close()} (of a loop not running), {@link #runUntilComplete} and
 * {@link #runForever()} (of a loop not running), {@link #callExceptionHandler}, {@link
 * #defaultExecutor()}, {@link #createPromise()} and the queries work from any thread; everything else
 * belongs to the loop's thread and fails fast elsewhere with an {@link IllegalStateException} that
 * says to use {@code callSoonThreadsafe}.
 */
public final class EventLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.awaitj");
  private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();

  /** How many passes {@link #close()} runs for callbacks still ready once every task is done. */
  private static final int CLOSING_PASSES = 100;

  /**
   * The end of the clock: a deadline that is never reached ({@link Timeout#NO_DEADLINE}). Deadlines
   * that would fall at or past it (a delay longer than what is left of the clock's {@code long} of
   * nanoseconds, about 292 years from its origin) saturate to it.
   */
  static final long NEVER = Long.MAX_VALUE;

  /** The default threshold above which debug mode reports a slow callback. */
  public static final Duration DEFAULT_SLOW_CALLBACK = Duration.ofMillis(100);

  private final boolean virtualTime;
  /** Volatile so that {@link #nanoTime()} may be read from any thread; written only on a jump. */
  private volatile long virtualNow;

  /*
   * The ready queue: what the next pass runs, in the order it became ready (FIFO). One element type,
   * Ready, and one virtual call to run an element: runReady() (in runItem). The kinds:
   *
   *   element               put there by                                      runReady()
   *   --------------------  ------------------------------------------------  -----------------------
   *   Task                  createTask; the completion of the promise the     one step of its
   *                         task waits on (Promise.schedule); its await of    coroutine
   *                         Task.Yield.INSTANCE (Task.waitOn)
   *   Handle                callSoon; callSoonThreadsafe, through the inbox   its Runnable, unless
   *                         (drainInbox)                                      cancelled
   *   TimerHandle           runOnce, when its deadline has come (from the     its Runnable, unless
   *                         timer heap)                                       cancelled
   *   a Consumer, then its  the completion of a promise: one pair for each    consumer.accept(promise)
   *   promise (two slots)   Consumer done callback (Promise.schedule,          (not a Ready: see below)
   *                         scheduleDoneCallback)
   *   a listening promise   the completion of a promise it listens to         its reaction to the
   *                         (Promise.notifiedBy): Gather, Shield, WaitFor's   completion
   *                         waiter, Aio.wait's waiter, AsCompleted,
   *                         TaskGroup's listener
   *
   * A task or a listening promise is in the queue as itself, so re-scheduling it allocates nothing;
   * a Consumer done callback takes two slots, the Consumer and then the promise it is given, so that
   * it too allocates nothing (no Consumer is a Ready: Ready is package-private, and the Consumers of
   * this package are lambdas and the like, so a slot that is not a Ready starts such a pair); a
   * Handle or TimerHandle is made for one run. An element's toString says what it is (for a pair,
   * describe(consumer, promise)): debug mode's slow-callback report and the exception handler's
   * message print it. In chunks that are never copied (see ReadyQueue). Loop thread only.
   */
  private final ReadyQueue ready = new ReadyQueue();

  /**
   * The timers of callLater and callAt, and the sleeping tasks, those of a relative delay in the FIFO of
   * their delay (see TimerHeap). Loop thread only.
   */
  private final TimerHeap timers = new TimerHeap(this);

  /** The sequence number of the next timer or sleep: the order of equal deadlines. */
  private long timerSequence;

  /**
   * The handles of {@link #callSoonThreadsafe}, from any thread: moved to {@link #ready}, in the order
   * they came, at the start of each pass and after each wait.
   */
  private final ConcurrentLinkedQueue<Handle> inbox = new ConcurrentLinkedQueue<>();
  private volatile Selector selector;

  /**
   * How many channels have a reader or a writer watched ({@link #addReader}, {@link #addWriter}): while
   * any has, each pass polls the selector, and a loop with nothing else to do waits on it. Loop thread
   * only.
   */
  private int ioWatches;

  /** False while the loop sleeps in the selector: a cross-thread submit must wake it. */
  private final AtomicBoolean awake = new AtomicBoolean(true);

  /** Operations on other threads whose result will come back through the inbox. */
  private final AtomicInteger pendingExternal = new AtomicInteger();

  /**
   * Those of {@link #pendingExternal} that are work this loop started ({@link Aio#toThread}, {@link
   * Aio#runInExecutor}): a virtual clock stands still for them. The others are awaited {@link
   * java.util.concurrent.CompletionStage}s, events from outside, which do not hold the clock.
   */
  private final AtomicInteger pendingWork = new AtomicInteger();

  /** The loop's thread: the one that created it, or the one that last ran it. */
  private volatile Thread owner;
  private volatile boolean running;
  private boolean stopping;
  private volatile boolean closed;

  /** Set when {@link #close()} begins: a {@link Submission} that starts after it fails instead. */
  private volatile boolean closing;

  /*
   * Set by close() once its tasks are done, before it runs the inbox a last time: from then on
   * callSoonThreadsafe refuses (throws). A caller that put its handle in the inbox rereads it after:
   * still clear, the handle went in before it was set, and close's last drain (which polls until the
   * inbox is empty, after setting it) finds it if no pass of the loop took it first; set, the caller
   * takes its handle back out (ConcurrentLinkedQueue.remove: true for one thread only, and not once a
   * drain polled it), or else a drain has it and it runs. So every handle either runs or its caller
   * learns it will not, with no lock on the loop's side: two volatile reads on the caller's.
   */
  private volatile boolean refusing;

  /**
   * Futures of {@link Promise#toCompletableFuture()} registered on the loop's thread whose promise has
   * not reached them yet: close() settles those left from the promise's final state. Held weakly: a
   * future nobody holds, of a promise nobody holds, is nobody's concern (and does not keep a task
   * alive past debug mode's report of a task destroyed while pending). Loop thread only.
   */
  private java.util.WeakHashMap<Promise.PromiseFuture<?>, Boolean> promiseFutures;

  /**
   * Futures of {@link Promise#toCompletableFuture()} whose registration the loop refused (it was
   * closing): close() settles them once the loop is closed, unless their caller saw it closed first.
   */
  private final ConcurrentLinkedQueue<Promise.PromiseFuture<?>> settleWhenClosed =
      new ConcurrentLinkedQueue<>();

  Task<?> currentTask;

  /*
   * Of the task running now (one runs at a time), kept here rather than in every task: how many
   * coroutines are being started inline, one inside the other (Coroutine.startInline), and a
   * coroutine whose inline start bounced, which Task.drive starts; and the coroutine Task.drive is
   * stepping, at the bottom of the Java stack, whose own inline starts are not counted (null when no
   * task runs). Loop thread only.
   */
  int inlineDepth;
  Coroutine<?> bounced;
  Coroutine<?> inlineBase;

  /*
   * The tasks not done, unless debug mode holds them weakly (weakTasks): a list threaded through the
   * tasks (Task.prevLive, Task.nextLive), in no particular order (allTasks sorts), except the sleeping
   * ones, which the same links hold in their sleep queue (TimerHeap). liveTaskCount counts both. Loop
   * thread only.
   *
   * A task made inside another goes right after it in the list, others at the head. Why: tasks often
   * come in bursts from one task, and then each of them sleeps or waits, leaving the list in the order
   * they were made. Behind their maker, the first made is the last of the list, and the list closes
   * over it with a null; at the head, it would close over the maker, an older object in another heap
   * region, a reference stored into each task's neighbour that G1 must refine (a million sleepers:
   * some 250,000 cards, refined by the loop thread while it puts the tasks to sleep).
   */
  private Task<?> liveTasks;
  private int liveTaskCount;
  private long taskIds;

  boolean debug = Debug.DEFAULT;

  /**
   * How many open loops are in debug mode: while none is (and the default is off), creating a coroutine
   * skips the thread-local lookup of the running loop. Bookkeeping, not a setting; a debug loop that is
   * never closed only keeps that lookup on.
   */
  static final AtomicInteger DEBUG_LOOPS = new AtomicInteger();

  /**
   * The tasks created in debug mode, which the loop holds weakly (not in {@link #liveTasks}), as asyncio
   * does, each with what the cleaner reports if it is collected while pending; {@code null} until
   * debug mode first creates a task. Loop thread only.
   */
  java.util.WeakHashMap<Task<?>, Debug.TaskTracker> weakTasks;

  /**
   * This loop's mark on the frames {@link Traces} adds to a failure's stack trace, as their module
   * version, so that each failure gains them once; {@code null} until a failure first leaves a
   * coroutine. Loop thread only.
   */
  String traceMark;

  /**
   * The last failure {@link Traces} looked at (a failure going on up a chain of inline awaits is not
   * searched for {@link #traceMark} again at each level); {@code null} until one. Loop thread only.
   */
  Throwable lastTraced;

  /**
   * The callbacks of {@link #callWhenIdle}, in the order they were added: moved to {@link #ready} the
   * next time the loop is idle. {@code null} until the first. Loop thread only.
   */
  private ArrayDeque<Handle> idle;

  /** Told of each task {@link #createTask} makes ({@link #setTaskListener}); loop thread only. */
  private Consumer<? super Task<?>> taskListener;

  private long slowCallbackNanos = DEFAULT_SLOW_CALLBACK.toNanos();
  private volatile ExceptionHandler exceptionHandler;
  private volatile ExecutorService defaultExecutor;

  /** Whether {@link #defaultExecutor} is the loop's own (shut down on close) or a user's. Guarded by this. */
  private boolean defaultExecutorOwned;

  private EventLoop(boolean virtualTime) {
    this.virtualTime = virtualTime;
    this.owner = Thread.currentThread();
    if (debug) {
      DEBUG_LOOPS.incrementAndGet();
    }
  }

  /**
   * A loop on the real clock, belonging to the calling thread until another runs it.
   *
   * <p>Threading: any thread.
   */
  public static EventLoop create() {
    return new EventLoop(false);
  }

  /**
   * A loop on a virtual clock, for tests: see the class comment. Its clock starts at zero. It belongs
   * to the calling thread until another runs it.
   *
   * <p>Threading: any thread.
   */
  public static EventLoop createVirtual() {
    return new EventLoop(true);
  }

  /**
   * The loop running in the current thread. Threading: any thread (each has its own answer).
   *
   * @throws IllegalStateException if there is none
   */
  public static EventLoop running() {
    EventLoop l = RUNNING.get();
    if (l == null) {
      throw new IllegalStateException(
          "no running event loop in thread " + Thread.currentThread().getName()
              + ": call this from code run by Aio.run(...) or EventLoop.runUntilComplete(...)");
    }
    return l;
  }

  /** The loop running in the current thread, or {@code null}. */
  static EventLoop runningOrNull() {
    return RUNNING.get();
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling.

  /**
   * Schedules {@code callback} to run on the next pass, after those already ready (FIFO). Threading:
   * the loop's thread; from other threads, {@link #callSoonThreadsafe(Runnable)}.
   *
   * @throws IllegalStateException if called from another thread, or if the loop is closed
   */
  public Handle callSoon(Runnable callback) {
    checkThread("callSoon");
    checkOpen();
    Handle h = new Handle(callback);
    ready.add(h);
    return h;
  }

  /**
   * Schedules {@code callback} to run once {@code delay} has passed on this loop's clock. A delay that
   * reaches past the end of the clock (see {@link #callAt}) means never. Threading: the
   * loop's thread; from other threads, schedule it through {@link #callSoonThreadsafe(Runnable)}.
   *
   * @throws IllegalStateException if called from another thread, or if the loop is closed
   */
  public TimerHandle callLater(Duration delay, Runnable callback) {
    checkThread("callLater");
    return callAfter(nanoTime(), delayNanos(delay), callback);
  }

  /**
   * {@code callLater} of {@code nanos} ({@link #delayNanos}) from {@code now}: the timer goes at the end
   * of the queue of its delay (see {@link TimerHeap}), unless its deadline is {@link #NEVER}. Loop
   * thread only.
   *
   * @throws IllegalStateException if the loop is closed
   */
  TimerHandle callAfter(long now, long nanos, Runnable callback) {
    checkOpen();
    long deadline = deadlineAfterNanos(now, nanos);
    if (deadline != NEVER) {
      return timers.addLater(callback, nanos, deadline, timerSequence++);
    }
    TimerHandle t = new TimerHandle(this, callback, deadline, timerSequence++);
    timers.add(t);
    return t;
  }

  /**
   * Schedules {@code callback} at {@code deadlineNanos} of {@link #nanoTime()}. {@code Long.MAX_VALUE}
   * ({@link Timeout#NO_DEADLINE}, where deadlines that overflow the clock saturate) is the end of the
   * clock and is never reached: such a timer never runs, and a virtual clock never jumps to it.
   * Threading: as {@link #callLater}.
   *
   * @throws IllegalStateException if called from another thread, or if the loop is closed
   */
  public TimerHandle callAt(long deadlineNanos, Runnable callback) {
    checkThread("callAt");
    checkOpen();
    TimerHandle t = new TimerHandle(this, callback, deadlineNanos, timerSequence++);
    timers.add(t);
    return t;
  }

  /**
   * Schedules {@code callback} from any thread, waking the loop if it sleeps: the entry for other
   * threads. Threading: any thread.
   *
   * <p>A callback this method accepted (it returned) runs, unless its handle is cancelled: on the
   * loop's thread while the loop runs, or, if the loop closes first, during {@link #close()}, on the
   * closing thread, which runs what is left in the inbox once the loop's tasks are done (the loop's
   * own methods still work then, but what they schedule is dropped when the close ends). A loop that
   * is never run again and never closed keeps it pending, as asyncio does. Once {@code close()} has
   * started that last run, this method refuses: it throws, and the callback never runs. There is no
   * third outcome, even for a call that races with {@code close()} on another thread.
   *
   * @throws IllegalStateException if the loop is closed, or closing and past running its inbox (the
   *     callback will not run)
   */
  public Handle callSoonThreadsafe(Runnable callback) {
    Handle h = new Handle.Posted(callback);
    if (!post(h)) {
      throw new IllegalStateException(
          "event loop is closed: the callback given to callSoonThreadsafe will not run (" + callback
              + "); submit to a loop that is not closed");
    }
    return h;
  }

  /**
   * Puts {@code h} in the inbox and wakes the loop, unless the loop refuses (see {@link #refusing}).
   * Any thread.
   *
   * @return {@code true} if {@code h} will run; {@code false} if it never will
   */
  private boolean post(Handle h) {
    if (refusing) {
      return false;
    }
    inbox.add(h);
    wakeUp();
    // Set meanwhile: h went in after close's last drain began, unless a drain has it already.
    return !refusing || !inbox.remove(h);
  }

  /**
   * Runs {@code coroutine} as a task of this loop, from any thread, and returns a future of its
   * outcome: asyncio's {@code asyncio.run_coroutine_threadsafe(coro, loop)}. The task is created on
   * the loop's thread, through {@link #callSoonThreadsafe(Runnable)} (which wakes the loop), and the
   * future completes with the task's result, or exceptionally with its exception as it is (no {@code
   * CompletionException} around it; {@code get()} wraps it in an {@code ExecutionException}, as for
   * any future), or is cancelled if the task is. Cancelling the future cancels the task, on the loop's
   * thread; a future cancelled before the task starts means the coroutine never runs.
   *
   * <p>If the loop is closed, or closes before it starts the task, the future fails with an {@link
   * IllegalStateException} that says so; closing the loop while the task runs cancels the task (see
   * {@link #close()}), and so the future. A loop that is not running yet starts the task when it runs;
   * one that never runs again and is never closed leaves the future pending, as asyncio does.
   *
   * <p>Threading: any thread; meant for threads other than the loop's. On the loop's thread, create a
   * task ({@link #createTask(Coroutine)}) and await it instead: blocking on the future there ({@code
   * get()}, {@code join()}) would stop the loop that must complete it.
   *
   * @param coroutine a coroutine not started yet
   * @return a future completed on the loop's thread with the task's outcome
   * @throws IllegalStateException if the coroutine was started already (awaited, or given to a task)
   */
  public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
    if (coroutine == null) {
      throw new NullPointerException("coroutine");
    }
    if (coroutine.isStarted()) {
      throw new IllegalStateException(
          "coroutine already awaited: " + coroutine + " was started before; a coroutine runs once");
    }
    Submission<T> f = new Submission<>(this, coroutine);
    if (!post(new Handle.Posted(f))) {
      f.failClosed(coroutine); // a submission that runs during close() fails itself (isClosing)
    }
    return f;
  }

  /**
   * Schedules {@code callback} to run the next time the loop is idle: when no callback is ready, no
   * timer is due and no work the loop started on another thread ({@link Aio#toThread}, {@link
   * #wrapWork}) is running, the moment a virtual clock would jump to its next timer, a real loop would
   * wait, or {@link #runUntilComplete} would report a deadlock. Everything due at the current time has
   * run by then, and what those callbacks scheduled at the same time too. The callbacks added before
   * that moment run together in one pass, in the order they were added; one added while they run waits
   * for the loop's next idle moment. Not asyncio's; for test harnesses that step a virtual clock by
   * hand (awaitj-junit's {@code TestTime}): {@code callAt(t, () -> callWhenIdle(r))} runs {@code r}
   * once everything due up to {@code t} has run, before the clock moves past {@code t}.
   *
   * <p>Threading: the loop's thread.
   *
   * @return a handle whose {@link Handle#cancel()} withdraws the callback
   * @throws IllegalStateException if called from another thread, or if the loop is closed
   */
  public Handle callWhenIdle(Runnable callback) {
    checkThread("callWhenIdle");
    checkOpen();
    Handle h = new Handle(callback);
    if (idle == null) {
      idle = new ArrayDeque<>();
    }
    idle.add(h);
    return h;
  }

  /** The loop's clock, in seconds: asyncio's {@code loop.time()}. Threading: any thread. */
  public double time() {
    return nanoTime() / 1e9;
  }

  /** The loop's clock, in nanoseconds; the time base of {@link #callAt}. Threading: any thread. */
  public long nanoTime() {
    return virtualTime ? virtualNow : System.nanoTime();
  }

  /** Whether this loop runs on a virtual clock. Threading: any thread. */
  public boolean isVirtualTime() {
    return virtualTime;
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks and promises.

  /**
   * Wraps {@code coroutine} in a task scheduled to start on the next pass. Threading: the loop's
   * thread; from other threads, create it inside {@link #callSoonThreadsafe(Runnable)}.
   *
   * @throws IllegalStateException if called from another thread, if the loop is closed, or if the
   *     coroutine was started already
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine) {
    return createTask(coroutine, null);
  }

  /** As {@link #createTask(Coroutine)}, with a name. Threading: the loop's thread. */
  public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    checkThread("createTask");
    checkOpen();
    if (coroutine.isStarted()) {
      throw new IllegalStateException(
          "coroutine already awaited: " + coroutine + " was started before; a coroutine runs once");
    }
    if (coroutine instanceof Sleep<T> sleep && Sleep.isShared(sleep)) {
      coroutine = sleep.copy(); // a shared sleep is never started: the task runs a copy of it
    } else if (coroutine instanceof Coroutine.Shared<T> shared) {
      coroutine = shared.fresh(); // a shared coroutine is never started itself
    }
    Task<T> t = new Task<>(this, coroutine, name, ++taskIds);
    linkTask(t);
    ready.add(t);
    Consumer<? super Task<?>> listener = taskListener;
    if (listener != null) {
      listener.accept(t);
    }
    return t;
  }

  /**
   * A new pending promise of this loop: asyncio's {@code loop.create_future()}. Threading: any thread
   * (the promise itself then belongs to the loop's thread, see {@link Promise}).
   */
  public <T> Promise<T> createPromise() {
    return new Promise<>(this);
  }

  /**
   * The tasks of this loop that are not done yet, newest first. Threading: the loop's thread, or any
   * thread while the loop is not running.
   *
   * @throws IllegalStateException if called from another thread while the loop runs
   */
  public List<Task<?>> allTasks() {
    if (running) {
      checkThread("list the tasks");
    }
    List<Task<?>> list = new ArrayList<>(liveTaskCount());
    for (Task<?> t = liveTasks; t != null; t = t.nextLive) {
      list.add(t);
    }
    if (timers.sleepers() > 0) {
      if (weakTasks != null) {
        List<Task<?>> sleeping = new ArrayList<>();
        timers.addSleepersTo(sleeping);
        for (Task<?> t : sleeping) {
          if (!weakTasks.containsKey(t)) {
            list.add(t);
          }
        }
      } else {
        timers.addSleepersTo(list);
      }
    }
    list.sort((a, b) -> Long.compare(b.id(), a.id())); // newest first
    if (weakTasks != null) {
      list.addAll(weakTasks.keySet());
    }
    return list;
  }

  /**
   * Sets the listener told of every task this loop creates from now on ({@link #createTask}, and so
   * {@link Aio#createTask}, {@link TaskGroup}, {@link #runUntilComplete} of a coroutine and the
   * combinators that wrap coroutines in tasks), as it is created, before it first runs; {@code null}
   * removes it. One listener per loop: setting one replaces the other. An exception it throws reaches
   * the code that creates the task, which is then created and scheduled all the same. For test
   * harnesses and tracing: awaitj-junit keeps the tasks of a test to report those whose failure
   * nobody retrieved ({@link Promise#isExceptionUnretrieved()}).
   *
   * <p>Threading: the loop's thread; the listener is called on it.
   *
   * @throws IllegalStateException if called from another thread
   */
  public void setTaskListener(Consumer<? super Task<?>> listener) {
    checkThread("set the task listener");
    this.taskListener = listener;
  }

  /**
   * A dump of the tasks of this loop that are not done (Kotlin's {@code dumpCoroutines}, asyncio's
   * {@code all_tasks()} with each task's {@code print_stack()}): a first line counting them, then,
   * oldest first, each task as {@link Task#printStack} prints it: its name, whether it runs, waits
   * (and on what) or is ready, and its chain of coroutines at their source lines. Part of the
   * message of the deadlock a virtual-time loop reports; logged (level {@code INFO}, logger {@code
   * io.awaitj}, the oldest 100 tasks) when {@link #close()} cancels tasks left in debug mode.
   *
   * <p>Threading: as {@link #allTasks()}.
   *
   * @throws IllegalStateException if called from another thread while the loop runs
   */
  public String dumpTasks() {
    return dumpTasks(Integer.MAX_VALUE);
  }

  /** How many tasks {@link #close()} prints in debug mode, at most. */
  private static final int CLOSE_DUMP_TASKS = 100;

  /** {@link #dumpTasks()}, printing the oldest {@code max} tasks and counting the others. */
  String dumpTasks(int max) {
    List<Task<?>> tasks = allTasks();
    tasks.sort((a, b) -> Long.compare(a.id(), b.id()));
    StringBuilder b = new StringBuilder();
    b.append(tasks.size()).append(tasks.size() == 1 ? " task" : " tasks").append(" not done:\n");
    java.util.Map<Task<?>, TimerHeap.SleepQueue> sleepQueues =
        timers.sleepers() > 0 ? timers.sleepQueues() : null;
    for (int i = 0; i < tasks.size() && i < max; i++) {
      tasks.get(i).dump(b, sleepQueues);
    }
    if (tasks.size() > max) {
      b.append("... and ").append(tasks.size() - max).append(" more\n");
    }
    return b.toString();
  }

  /**
   * The task whose coroutine is running now, or {@code null}. Threading: any thread; from another
   * thread, a snapshot.
   */
  public Task<?> currentTask() {
    return currentTask;
  }

  // ---------------------------------------------------------------------------------------------
  // Running.

  /**
   * Runs the loop until {@code awaitable} is done and returns its result, rethrowing its failure as
   * it is (not wrapped). A coroutine is first wrapped in a task; that happens only once the loop is
   * known to be able to run, so a refused call leaves the coroutine unused, as asyncio checks before
   * {@code ensure_future}.
   *
   * <p>Interrupting the thread cancels {@code awaitable} (its task, for a coroutine), as {@code
   * asyncio.run} cancels its main task on Ctrl-C: the loop runs on while it finishes (its {@code
   * finally} blocks may await), and this method then throws its {@link CancelledError}, or returns
   * if it caught the cancellation. Each further interrupt cancels it again. The thread's interrupt
   * status is clear while the loop runs and set again when this method returns or throws.
   *
   * <p>Threading: any thread may run a loop that is not running; it becomes the loop's thread.
   *
   * @throws IllegalStateException if the loop is closed or already running, or if another loop runs
   *     in this thread (await the awaitable there instead, or create a task on that loop)
   * @throws IllegalArgumentException if {@code awaitable} is a promise of another loop
   */
  @SuppressWarnings("unchecked")
  public <T> T runUntilComplete(Awaitable<T> awaitable) {
    if (awaitable == null) {
      throw new NullPointerException("awaitable");
    }
    enter("run");
    try {
      Promise<T> p;
      if (awaitable instanceof Coroutine<T> c) {
        p = createTask(c);
      } else {
        p = (Promise<T>) awaitable;
        if (p.loop != null && p.loop != this) {
          throw new IllegalArgumentException(
              "cannot run this event loop until " + p + " is done: it belongs to another event loop,"
                  + " which alone can complete it");
        }
      }
      while (!p.isDone()) {
        if (takeInterrupt()) {
          // asyncio.run cancels its main task on Ctrl-C; an interrupt is Java's request to stop.
          p.cancel("the thread running the event loop was interrupted");
          continue;
        }
        if (!runOnce() && !p.isDone()) {
          throw new IllegalStateException(
              "deadlock: nothing is ready, no timer is set (before the end of the clock) and"
                  + " nothing runs on another thread, so " + p + " can never complete\n"
                  + dumpTasks());
        }
      }
      return p.result();
    } finally {
      exit();
    }
  }

  /**
   * Runs the loop until {@link #stop()} is called, or until the thread is interrupted (after the
   * current pass; the thread's interrupt status is set again when this method returns). Threading:
   * as {@link #runUntilComplete}.
   *
   * @throws IllegalStateException if the loop is closed or already running, or if another loop runs
   *     in this thread
   */
  public void runForever() {
    enter("run");
    try {
      while (!stopping && !takeInterrupt()) {
        runOnce();
      }
    } finally {
      stopping = false;
      exit();
    }
  }

  /**
   * Makes {@link #runForever()} return after the current pass. Threading: any thread; from another
   * thread the request goes through {@link #callSoonThreadsafe(Runnable)}, which wakes the loop.
   *
   * @throws IllegalStateException if called from another thread and the loop is closed (or closing:
   *     as {@link #callSoonThreadsafe(Runnable)})
   */
  public void stop() {
    if (inLoopThread()) {
      stopping = true;
    } else {
      callSoonThreadsafe(() -> stopping = true);
    }
  }

  /** Whether the loop is running. Threading: any thread. */
  public boolean isRunning() {
    return running;
  }

  /** Whether {@link #close()} has begun (or ended). */
  boolean isClosing() {
    return closing;
  }

  /** Whether the loop is closed. Threading: any thread. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the loop: cancels the tasks still alive and lets them finish (their {@code finally} blocks
   * and async closes run), shuts the default executor down and releases the selector. Idempotent.
   *
   * <p>Then, on the calling thread, it runs the callbacks of {@link #callSoonThreadsafe} still
   * waiting (each caller was told its callback would run), while that method starts to refuse new
   * ones; and it completes the futures of {@link Promise#toCompletableFuture()} that are not done,
   * from their promise's final state (one still pending fails them with an {@link
   * IllegalStateException}). No callback accepted from another thread is dropped, and no such future
   * is left pending.
   *
   * <p>Threading: any thread may close a loop that is not running (when tasks are left, closing runs
   * the loop on the calling thread until they are done).
   *
   * @throws IllegalStateException if the loop is running, or if tasks are left and another loop runs
   *     in this thread (closing would have to run this one inside it); the loop is then left as it was
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (running) {
      throw new IllegalStateException(
          "cannot close a running event loop: stop it first, or close it after it returns");
    }
    boolean work =
        liveTaskCount > 0
            || (weakTasks != null && !weakTasks.isEmpty())
            || !ready.isEmpty()
            || !inbox.isEmpty();
    if (work) {
      enter("close"); // checks, before anything is cancelled, that this loop can run here
    }
    closing = true; // past the checks that leave the loop as it was
    try {
      if (work && debug && (liveTaskCount > 0 || (weakTasks != null && !weakTasks.isEmpty()))
          && LOG.isLoggable(System.Logger.Level.INFO)) {
        LOG.log(System.Logger.Level.INFO,
            "Closing the loop cancels the tasks not done yet: " + dumpTasks(CLOSE_DUMP_TASKS));
      }
      if (work) {
        cancelAllTasks();
      }
    } finally {
      try {
        refusing = true;
        runPosted();
      } finally {
        release(work);
      }
    }
  }

  /** The end of {@link #close()}: marks the loop closed and releases what it holds. */
  private void release(boolean entered) {
    if (entered) {
      exit();
    }
    closed = true;
    if (debug) {
      DEBUG_LOOPS.decrementAndGet();
    }
    synchronized (this) { // against createDefaultExecutor() on another thread
      ExecutorService e = defaultExecutor;
      if (e != null && defaultExecutorOwned) {
        e.shutdownNow();
      }
    }
    Selector s = selector;
    if (s != null) {
      closeChannels(s);
      try {
        s.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the selector failed", e);
      }
    }
    ready.clear();
    timers.clear();
    if (idle != null) {
      idle.clear();
    }
    settlePromiseFutures();
  }

  /**
   * For {@link #close()}, once its tasks are done and {@link #refusing} is set: runs the callbacks of
   * {@link #callSoonThreadsafe} still waiting, those its bounded passes left in the ready queue and
   * then those in the inbox, until it is empty. Their callers were told they would run.
   */
  private void runPosted() {
    List<Handle> left = new ArrayList<>();
    ready.forEach(
        item -> {
          if (item instanceof Handle.Posted h) {
            left.add(h);
          }
        });
    for (Handle h : left) {
      runItem(h, null);
    }
    Handle h;
    while ((h = inbox.poll()) != null) {
      runItem(h, null);
    }
  }

  /**
   * For {@link #close()}, once the loop is closed: completes the futures of {@link
   * Promise#toCompletableFuture()} that their promise has not reached, from its final state (a
   * promise still pending fails them).
   */
  private void settlePromiseFutures() {
    java.util.WeakHashMap<Promise.PromiseFuture<?>, Boolean> registered = promiseFutures;
    if (registered != null) {
      promiseFutures = null;
      for (Promise.PromiseFuture<?> f : new ArrayList<>(registered.keySet())) {
        f.settle();
      }
    }
    Promise.PromiseFuture<?> f;
    while ((f = settleWhenClosed.poll()) != null) {
      f.settle();
    }
  }

  /** A future of {@link Promise#toCompletableFuture()} registered with its promise. Loop thread. */
  void registered(Promise.PromiseFuture<?> f) {
    if (promiseFutures == null) {
      promiseFutures = new java.util.WeakHashMap<>();
    }
    promiseFutures.put(f, Boolean.TRUE);
  }

  /** A future of {@link Promise#toCompletableFuture()} that its promise reached. Loop thread. */
  void reached(Promise.PromiseFuture<?> f) {
    if (promiseFutures != null) {
      promiseFutures.remove(f);
    }
  }

  /**
   * Registers {@code f} with its promise on the loop's thread, through the inbox: {@code false} if
   * the loop refused (it is closing); {@code f} is then settled once the loop is closed. Any thread.
   */
  boolean postRegistration(Promise.PromiseFuture<?> f) {
    if (post(new Handle.Posted(f))) {
      return true;
    }
    settleWhenClosed.add(f);
    if (closed && settleWhenClosed.remove(f)) {
      f.settle(); // closed: the promise's state is final, and close() may have polled already
    }
    return false;
  }

  /**
   * Cancels all live tasks and runs the loop until they are done, then runs the callbacks that are
   * ready (the done callbacks of the tasks that finished last), as asyncio.run does on exit. The loop
   * has been entered.
   */
  private void cancelAllTasks() {
    List<Task<?>> toCancel = allTasks();
    for (Task<?> t : toCancel) {
      t.cancel();
    }
    while (liveTaskCount > 0 || (weakTasks != null && !weakTasks.isEmpty())) {
      if (!runOnce()) {
        break;
      }
    }
    // Completions schedule their callbacks: those of the tasks that finished last, and what they
    // schedule in turn, are still to run. Run them, without waiting for anything else; a bounded
    // number of passes, so that a callback rescheduling itself cannot hold the close forever.
    for (int i = 0; i < CLOSING_PASSES && runReadyPass(); i++) {
      // another pass
    }
    for (Task<?> t : toCancel) {
      if (t.isDone() && !t.isCancelled() && t.failure() != null) {
        // exception() marks the failure retrieved: debug mode must not report it a second time.
        callExceptionHandler("unhandled exception during shutdown in " + t, t.exception());
      }
    }
  }

  /**
   * Makes the current thread the loop's and marks the loop running, after checking that it may run:
   * {@code what} ("run" or "close") names the operation in the messages.
   */
  private void enter(String what) {
    checkOpen();
    if (running) {
      throw new IllegalStateException(
          "close".equals(what)
              ? "cannot close a running event loop: stop it first, or close it after it returns"
              : "this event loop is already running");
    }
    EventLoop other = RUNNING.get();
    if (other != null) {
      throw new IllegalStateException(
          "cannot " + what + " an event loop while another loop is running in this thread"
              + ("close".equals(what)
                  ? " (closing runs the loop until its cancelled tasks are done): close it after"
                      + " the running loop's run returns"
                  : ": await the work in the running loop instead, or create a task on it"));
    }
    owner = Thread.currentThread();
    running = true;
    RUNNING.set(this);
  }

  private void exit() {
    running = false;
    RUNNING.remove();
    interruptToHandle = false;
    if (interrupted) {
      interrupted = false;
      Thread.currentThread().interrupt(); // the caller of the run sees it, as it was
    }
  }

  /**
   * Whether the thread running the loop was interrupted during this run ({@link #noteInterrupt}):
   * its interrupt status is cleared while the loop runs, or every wait on the selector would return at
   * once and the loop would spin, and set again when the run returns ({@link #exit}). Loop thread
   * only.
   */
  private boolean interrupted;

  /** An interrupt taken into {@link #interrupted} that the run has not acted on yet. */
  private boolean interruptToHandle;

  /** Takes the thread's interrupt status, if set, into {@link #interrupted}. */
  private void noteInterrupt() {
    if (Thread.interrupted()) {
      interrupted = true;
      interruptToHandle = true;
    }
  }

  /** Whether the thread was interrupted since the run last asked (see {@link #interrupted}). */
  private boolean takeInterrupt() {
    noteInterrupt();
    boolean t = interruptToHandle;
    interruptToHandle = false;
    return t;
  }

  /**
   * One pass of the loop: waits (or jumps, on a virtual clock) until something is ready, then runs the
   * callbacks that were ready when the pass began.
   *
   * @return {@code false} if nothing was ready and nothing could ever become ready (the loop is idle
   *     for good); {@code true} otherwise
   */
  boolean runOnce() {
    drainInbox();
    if (ioWatches > 0 && (!ready.isEmpty() || virtualTime)) {
      // Watched channels are polled on every pass (asyncio selects with a zero timeout when callbacks
      // are ready); on a virtual clock, before time may jump, so that I/O already there comes first.
      pollIo();
    }
    if (idle != null && !idle.isEmpty() && ready.isEmpty() && !stopping) {
      readyIdleCallbacks();
    }
    if (ready.isEmpty() && !stopping) {
      // NEVER: no timer, or (the heap is ordered) every timer left is at the end of the clock.
      long next = timers.firstDeadline();
      if (virtualTime) {
        // The inbox was drained above: completions that already arrived are ready, no jump then.
        // I/O, like an awaited stage, is an event from outside: it holds the clock only while no
        // timer is set.
        if (next != NEVER && pendingWork.get() == 0) {
          if (next > virtualNow) {
            virtualNow = next;
          }
        } else if (next == NEVER && pendingExternal.get() == 0 && liveIoWatches() == 0) {
          return false;
        } else {
          sleep(-1);
        }
      } else if (next == NEVER) {
        // Any thread may still submit work through callSoonThreadsafe: a real loop waits for it.
        sleep(-1);
      } else {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          sleep(wait);
        }
      }
    }
    if (timers.size() > 0) {
      // The clock is read only when a timer could be due (asyncio does the same).
      long now = nanoTime();
      Ready due;
      while ((due = timers.pollDue(now)) != null) {
        if (due instanceof Task<?> t) {
          // A sleep is due: back on the list of live tasks, in the ready queue as its own timer.
          relinkLive(t);
          t.sleepDue();
        }
        ready.add(due);
      }
    }
    int n = ready.size();
    for (int i = 0; i < n; i++) {
      Object item = ready.poll();
      Object promise = null;
      if (!(item instanceof Ready)) {
        promise = ready.poll(); // a Consumer done callback's second slot
        i++;
      }
      if (debug) {
        long t0 = System.nanoTime();
        runItem(item, promise);
        long took = System.nanoTime() - t0;
        if (took > slowCallbackNanos) {
          Debug.slowCallback(this, promise == null ? item : describe(item, promise), took);
        }
      } else {
        runItem(item, promise);
      }
    }
    return true;
  }

  /**
   * Moves the callbacks of {@link #callWhenIdle} to the ready queue if the loop is idle: nothing is
   * ready (the caller checked), no timer is due and no work of the loop's runs on another thread.
   */
  private void readyIdleCallbacks() {
    if (pendingWork.get() != 0) {
      return;
    }
    long next = timers.firstDeadline();
    if (next != NEVER && next <= nanoTime()) {
      return;
    }
    Handle h;
    while ((h = idle.poll()) != null) {
      ready.add(h);
    }
  }

  /**
   * Runs the callbacks that are ready now, without waiting and without moving the clock or the
   * timers. For {@link #close()}.
   *
   * @return whether anything was ready
   */
  private boolean runReadyPass() {
    drainInbox();
    int n = ready.size();
    for (int i = 0; i < n; i++) {
      Object item = ready.poll();
      Object promise = null;
      if (!(item instanceof Ready)) {
        promise = ready.poll();
        i++;
      }
      runItem(item, promise);
    }
    return n > 0;
  }

  /**
   * Runs one element of the ready queue: a {@link Ready}, or (with {@code promise} not {@code null})
   * a {@code Consumer} done callback of {@code promise}.
   */
  @SuppressWarnings("unchecked")
  private void runItem(Object item, Object promise) {
    try {
      if (promise == null) {
        ((Ready) item).runReady();
      } else {
        ((Consumer<Object>) item).accept(promise);
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      callExceptionHandler(
          "exception in callback " + (promise == null ? item : describe(item, promise)), e);
    }
  }

  /** How a {@code Consumer} done callback in the ready queue names itself in reports. */
  private static String describe(Object consumer, Object promise) {
    return "DoneCallback[" + consumer + " of " + promise + "]";
  }

  private void drainInbox() {
    Handle h;
    while ((h = inbox.poll()) != null) {
      ready.add(h);
    }
  }

  /** Waits on the selector up to {@code nanos} ({@code -1}: until woken). */
  private void sleep(long nanos) {
    Selector s = selector;
    try {
      if (s == null) {
        s = Selector.open();
        selector = s;
      }
      awake.set(false);
      noteInterrupt(); // an interrupt status left set would end every select at once
      if (inbox.isEmpty()) {
        // The selector hands each ready channel to onSelected, without the selected-key set.
        if (nanos < 0) {
          s.select(onSelected);
        } else {
          long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
          s.select(onSelected, millis);
        }
      } else if (ioWatches > 0) {
        s.selectNow(onSelected);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("event loop selector failed", e);
    } finally {
      awake.set(true);
    }
    drainInbox();
  }

  /** Polls the selector without waiting and queues the callbacks of the channels ready. */
  private void pollIo() {
    try {
      selector.selectNow(onSelected);
    } catch (IOException e) {
      throw new UncheckedIOException("event loop selector failed", e);
    }
  }

  /** What the selector calls for each channel ready: made once. */
  private final java.util.function.Consumer<SelectionKey> onSelected = this::selected;

  /** Queues the callbacks of a channel the selector found ready. */
  private void selected(SelectionKey key) {
    IoWatch w = (IoWatch) key.attachment();
    if (w == null || !key.isValid()) {
      return;
    }
    int ops = key.readyOps();
    if ((ops & w.readOps()) != 0) {
      queueIo(w.reader);
    }
    if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
      queueIo(w.writer);
    }
  }

  private void queueIo(IoWatch.Callback c) {
    if (c.callback != null && !c.queued) {
      c.queued = true;
      ready.add(c);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Watching channels: asyncio's add_reader / add_writer.

  /**
   * Calls {@code callback} on the loop's thread each time {@code channel} is ready to be read (or, for
   * a {@link java.nio.channels.ServerSocketChannel}, to accept), until {@link #removeReader}: asyncio's
   * {@code add_reader}. The selector is level-triggered: while the channel stays readable, the callback
   * runs once per pass of the loop. A channel has at most one reader; adding one replaces the other.
   * The channel must be in non-blocking mode; it is registered with this loop's selector, which the
   * loop keeps until the channel is closed. While any channel is watched, a loop with nothing else to
   * do waits for it; on a virtual clock, I/O holds the clock only while no timer is set, as an awaited
   * {@link CompletionStage} does.
   *
   * <p>This is the layer the streams of {@code io.awaitj.io} are built on, public for protocol authors.
   * Threading: the loop's thread.
   *
   * @throws IllegalStateException if called from another thread or the loop is closed
   * @throws java.nio.channels.IllegalBlockingModeException if the channel is in blocking mode
   * @throws UncheckedIOException if the channel is closed (its cause a {@link
   *     java.nio.channels.ClosedChannelException})
   */
  public void addReader(SelectableChannel channel, Runnable callback) {
    watch(channel, callback, true);
  }

  /**
   * Calls {@code callback} on the loop's thread each time {@code channel} can be written (or, for a
   * socket whose connect is pending, when the connect can be finished), until {@link #removeWriter}:
   * asyncio's {@code add_writer}. The rest is as {@link #addReader}. Threading: the loop's thread.
   */
  public void addWriter(SelectableChannel channel, Runnable callback) {
    watch(channel, callback, false);
  }

  /**
   * Stops calling the reader of {@code channel}; a callback queued for this pass does not run either.
   * Threading: the loop's thread.
   *
   * @return whether a reader was watched
   */
  public boolean removeReader(SelectableChannel channel) {
    return unwatch(channel, true);
  }

  /**
   * Stops calling the writer of {@code channel}, as {@link #removeReader}. Threading: the loop's
   * thread.
   *
   * @return whether a writer was watched
   */
  public boolean removeWriter(SelectableChannel channel) {
    return unwatch(channel, false);
  }

  private void watch(SelectableChannel channel, Runnable callback, boolean read) {
    checkThread(read ? "addReader" : "addWriter");
    checkOpen();
    if (channel == null || callback == null) {
      throw new NullPointerException(channel == null ? "channel" : "callback");
    }
    try {
      Selector s = selector;
      if (s == null) {
        s = Selector.open();
        selector = s;
      }
      SelectionKey key = channel.keyFor(s);
      IoWatch w;
      if (key == null || !key.isValid()) {
        w = new IoWatch(channel);
        // A cancelled key stays registered until the next select; select to let it go.
        if (key != null) {
          s.selectNow(onSelected);
        }
        key = channel.register(s, 0, w);
        w.key = key;
      } else {
        w = (IoWatch) key.attachment();
      }
      boolean was = w.reader.callback != null || w.writer.callback != null;
      (read ? w.reader : w.writer).callback = callback;
      key.interestOps(w.interest());
      if (!was) {
        ioWatches++;
      }
    } catch (ClosedChannelException e) {
      throw new UncheckedIOException("cannot watch a closed channel: " + channel, e);
    } catch (IOException e) {
      throw new UncheckedIOException("event loop selector failed", e);
    }
  }

  private boolean unwatch(SelectableChannel channel, boolean read) {
    checkThread(read ? "removeReader" : "removeWriter");
    Selector s = selector;
    if (s == null || channel == null) {
      return false;
    }
    SelectionKey key = channel.keyFor(s);
    if (key == null) {
      return false;
    }
    IoWatch w = (IoWatch) key.attachment();
    IoWatch.Callback c = read ? w.reader : w.writer;
    if (c.callback == null) {
      return false;
    }
    c.callback = null;
    if (w.reader.callback == null && w.writer.callback == null) {
      ioWatches--;
    }
    if (key.isValid()) {
      key.interestOps(w.interest());
    }
    return true;
  }

  /**
   * How many channels are watched, counting again: a channel closed while watched leaves {@link
   * #ioWatches} too high, and only a loop about to report a deadlock needs the exact figure.
   */
  private int liveIoWatches() {
    if (ioWatches == 0) {
      return 0;
    }
    int n = 0;
    for (SelectionKey key : selector.keys()) {
      if (key.isValid() && key.channel().isOpen() && key.interestOps() != 0) {
        n++;
      }
    }
    ioWatches = n;
    return n;
  }

  /**
   * Closes the channels still registered with the selector, for {@link #close()}: the loop's
   * connections and servers that nothing closed.
   */
  private void closeChannels(Selector s) {
    for (SelectionKey key : s.keys()) {
      try {
        key.channel().close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a channel failed", e);
      }
    }
    ioWatches = 0;
  }

  private void wakeUp() {
    if (!awake.get() && awake.compareAndSet(false, true)) {
      Selector s = selector;
      if (s != null) {
        s.wakeup();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Debug mode and error reporting.

  /**
   * Turns debug mode on or off for this loop (default: the system property {@code awaitj.debug}, read
   * once when the runtime is loaded). In debug mode the loop reports, to its exception handler:
   * callbacks that hold it longer than {@link #setSlowCallbackDuration}; failed tasks and promises whose
   * exception nobody retrieved before they were garbage-collected; coroutines created while it runs (in
   * its thread) and collected without ever being awaited, with where they were created; and tasks
   * destroyed while pending (asyncio's "Task was destroyed but it is pending!"), with their coroutine,
   * where they wait and where they were created. For that last report the loop holds the tasks created
   * in debug mode weakly, as asyncio holds all its tasks: a task that nothing can wake any more (it waits
   * on a promise nobody else references) is collected and reported instead of being kept until {@link
   * #close()} cancels it. Without debug mode the loop holds its tasks strongly, in a list that costs no
   * allocation per task. A coroutine created outside any running loop is tracked if the system property
   * is set, and reported through the {@code io.awaitj} logger. Threading: the loop's thread.
   *
   * @throws IllegalStateException if called from another thread
   */
  public void setDebug(boolean enabled) {
    checkThread("set debug mode");
    if (enabled != debug && !closed) {
      DEBUG_LOOPS.addAndGet(enabled ? 1 : -1);
    }
    this.debug = enabled;
  }

  /** Whether debug mode is on. Threading: any thread (from another thread, a snapshot). */
  public boolean isDebug() {
    return debug;
  }

  /**
   * The duration above which debug mode reports a callback as slow. Threading: the loop's thread.
   *
   * @throws IllegalStateException if called from another thread
   */
  public void setSlowCallbackDuration(Duration threshold) {
    checkThread("set the slow-callback duration");
    this.slowCallbackNanos = threshold.toNanos();
  }

  /** Receives errors the loop cannot hand to anyone: asyncio's exception handler. */
  @FunctionalInterface
  public interface ExceptionHandler {
    /**
     * Handles one report.
     *
     * @param message what happened
     * @param exception the exception, or {@code null}
     */
    void handle(String message, Throwable exception);
  }

  /**
   * Sets the handler for errors; {@code null} restores the default, which logs them. Threading: any
   * thread; the handler may be called from any thread (reports of debug mode come from a cleaner
   * thread).
   */
  public void setExceptionHandler(ExceptionHandler handler) {
    this.exceptionHandler = handler;
  }

  /** Reports an error through the exception handler. Threading: any thread. */
  public void callExceptionHandler(String message, Throwable exception) {
    ExceptionHandler h = exceptionHandler;
    if (h != null) {
      try {
        h.handle(message, exception);
        return;
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "exception in the event loop's exception handler", e);
      }
    }
    if (exception == null) {
      LOG.log(System.Logger.Level.WARNING, message);
    } else {
      LOG.log(System.Logger.Level.ERROR, message, exception);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Threads.

  /**
   * How many threads the loop's own default executor runs at most: {@code min(32, processors + 4)},
   * asyncio's bound (its {@code ThreadPoolExecutor}'s default {@code max_workers}).
   */
  public static final int DEFAULT_EXECUTOR_THREADS =
      Math.min(32, Runtime.getRuntime().availableProcessors() + 4);

  /**
   * The loop's default executor, used by {@link Aio#toThread} and to resolve host names: the one given
   * to {@link #setDefaultExecutor}, or else the loop's own, made on first use: at most {@link
   * #DEFAULT_EXECUTOR_THREADS} daemon threads, started as work comes and ended after a minute idle,
   * work beyond them queued (as asyncio's default executor, so that a burst of blocking calls cannot
   * start thousands of threads); it is shut down when the loop closes. Work that waits for other work
   * of the same executor can deadlock once every thread waits: give such work an executor of its own
   * ({@link Aio#runInExecutor}). Threading: any thread.
   *
   * @throws IllegalStateException if it does not exist yet and the loop is closed
   */
  public ExecutorService defaultExecutor() {
    ExecutorService e = defaultExecutor;
    if (e == null) {
      return createDefaultExecutor();
    }
    return e;
  }

  /**
   * Makes {@code executor} the loop's default executor (asyncio's {@code set_default_executor}) for
   * the work submitted from now on. The loop does not shut it down: the executor stays its creator's.
   * The loop's own default executor, if it made one already, is shut down once its work is done.
   * Threading: any thread.
   *
   * @throws NullPointerException if {@code executor} is null
   * @throws IllegalStateException if the loop is closed
   */
  public synchronized void setDefaultExecutor(ExecutorService executor) {
    if (executor == null) {
      throw new NullPointerException("executor");
    }
    checkOpen();
    ExecutorService previous = defaultExecutor;
    boolean ownPrevious = defaultExecutorOwned;
    defaultExecutor = executor;
    defaultExecutorOwned = false;
    if (previous != null && ownPrevious) {
      previous.shutdown();
    }
  }

  private synchronized ExecutorService createDefaultExecutor() {
    ExecutorService e = defaultExecutor;
    if (e == null) {
      checkOpen();
      AtomicInteger n = new AtomicInteger();
      ThreadFactory f =
          r -> {
            Thread t = new Thread(r, "awaitj-executor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      ThreadPoolExecutor pool = new ThreadPoolExecutor(DEFAULT_EXECUTOR_THREADS,
          DEFAULT_EXECUTOR_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f);
      pool.allowCoreThreadTimeOut(true);
      e = pool;
      defaultExecutor = e;
      defaultExecutorOwned = true;
    }
    return e;
  }

  /**
   * {@link Aio#fromStage}: a promise of this loop with the outcome of {@code stage}. A stage already
   * complete gives a promise already done, settled here; any other goes through {@link #promiseOf}.
   * Threading: the loop's thread.
   */
  <T> Promise<T> wrapStage(CompletionStage<T> stage) {
    if (stage == null) {
      throw new NullPointerException("the stage is null");
    }
    CompletableFuture<T> future = stage.toCompletableFuture();
    if (!future.isDone()) {
      return promiseOf(future, stage, false);
    }
    Promise<T> p = new Promise<>(this);
    T value;
    try {
      value = future.join();
    } catch (CancellationException | CompletionException e) {
      settle(p, null, e);
      return p;
    }
    p.complete(value);
    return p;
  }

  /**
   * A promise of this loop completed, on the loop's thread, with the outcome of {@code future}, which
   * may complete on any thread. Cancelling the promise cancels the future, and {@code stage} too if it
   * is another {@link Future} ({@code null}: none). {@code ownWork}: the future is work this loop
   * started, for which a virtual clock stands still (see the class comment).
   */
  <T> Promise<T> promiseOf(CompletableFuture<T> future, CompletionStage<?> stage, boolean ownWork) {
    ExternalPromise<T> p = new ExternalPromise<>(this, future, stage, ownWork);
    pendingExternal.incrementAndGet();
    if (ownWork) {
      pendingWork.incrementAndGet();
    }
    future.whenComplete(p);
    return p;
  }

  /**
   * A promise of this loop settled, on the loop's thread, with the outcome of {@code work}: work this
   * loop's code started on another thread (a blocking call on an executor, a completion handler of an
   * {@link java.nio.channels.AsynchronousFileChannel}), which completes {@code work} on any thread. A
   * virtual clock stands still while such work runs, as it does for {@link Aio#toThread}; use {@link
   * Aio#fromStage} instead for events from outside, which may never come. Cancelling the promise
   * cancels {@code work}. A library's bridge to a thread, public for the same authors as {@link
   * #addReader}.
   *
   * <p>Threading: the loop's thread.
   *
   * @throws IllegalStateException if called from another thread
   */
  public <T> Promise<T> wrapWork(CompletableFuture<T> work) {
    checkThread("wrapWork");
    if (work == null) {
      throw new NullPointerException("work");
    }
    return promiseOf(work, null, true);
  }

  /** Work counted by {@link #promiseOf} is over. Any thread. */
  private void externalDone(boolean ownWork) {
    pendingExternal.decrementAndGet();
    if (ownWork) {
      pendingWork.decrementAndGet();
    }
  }

  /**
   * Completes {@code p} with a future's outcome: its value, or {@code error} as a future reports it
   * (unwrapped; a cancellation cancels {@code p}). Threading: the loop's thread.
   */
  private static <T> void settle(Promise<T> p, T value, Throwable error) {
    if (error == null) {
      p.complete(value);
      return;
    }
    Throwable cause = unwrap(error);
    if (cause instanceof CancellationException || cause instanceof CancelledError) {
      p.cancel(STAGE_CANCELLED);
    } else {
      p.fail(cause);
    }
  }

  /** The message of the cancellation of a promise whose stage was cancelled. */
  static final String STAGE_CANCELLED = "the awaited CompletionStage was cancelled";

  /**
   * A promise for a future completed on another thread: cancelling it cancels the future too, and the
   * stage it came from if that is another {@link Future} (as asyncio's {@code wrap_future} chains
   * cancellation). It is itself the future's completion action and the job the loop's inbox runs, so
   * the way back to the loop allocates no closure of its own.
   */
  private static final class ExternalPromise<T> extends Promise<T>
      implements BiConsumer<T, Throwable>, Runnable {
    private final CompletableFuture<T> future;
    private final CompletionStage<?> stage;
    private final boolean ownWork;
    /**
     * The future's outcome: written by the thread that completes it, read on the loop's thread, which
     * the inbox's queue orders after the write.
     */
    private T value;
    private Throwable error;

    ExternalPromise(
        EventLoop loop, CompletableFuture<T> future, CompletionStage<?> stage, boolean ownWork) {
      super(loop);
      this.future = future;
      this.stage = stage;
      this.ownWork = ownWork;
    }

    /** The future completed, on any thread: hands the outcome to the loop through its inbox. */
    @Override
    public void accept(T v, Throwable e) {
      value = v;
      error = e;
      try {
        loop.callSoonThreadsafe(this);
      } catch (IllegalStateException closed) {
        loop.externalDone(ownWork);
      }
    }

    /** On the loop's thread, from the inbox: settles this promise unless it was cancelled meanwhile. */
    @Override
    public void run() {
      loop.externalDone(ownWork);
      T v = value;
      Throwable e = error;
      value = null;
      error = null;
      if (!isDone()) {
        settle(this, v, e);
      }
    }

    @Override
    void onDone() {
      if (isCancelled()) {
        future.cancel(false);
        if (stage != future && stage instanceof Future<?> other) {
          try {
            other.cancel(false);
          } catch (UnsupportedOperationException e) {
            // A stage that cannot be cancelled (a minimalCompletionStage): its copy was.
          }
        }
      }
    }
  }

  /**
   * The failure itself, without the {@code CompletionException} that dependent stages wrap it in. An
   * exception the work itself threw, whatever its class, is kept as it is.
   */
  private static Throwable unwrap(Throwable e) {
    if (e instanceof CompletionException && e.getCause() != null) {
      return e.getCause();
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // Internals used by promises and tasks.

  /** Puts {@code item} at the end of the ready queue. Loop thread only. */
  void schedule(Ready item) {
    ready.add(item);
  }

  /**
   * Puts a {@code Consumer} done callback of {@code promise}, done, at the end of the ready queue: two
   * slots, the consumer and the promise, and no object made. {@code consumer} is not a {@link Ready}
   * (see the table on {@link #ready}). Loop thread only.
   */
  void scheduleDoneCallback(Consumer<?> consumer, Promise<?> promise) {
    ready.add(consumer);
    ready.add(promise);
  }

  void removeTimer(TimerHandle t) {
    timers.remove(t);
  }

  /**
   * Puts the running task {@code t} to sleep for {@code nanos} (positive) from now: off the list of
   * live tasks, into the timers.
   *
   * @return the sleep queue it is in, or {@code null} if it is in the timers' heap itself
   */
  TimerHeap.SleepQueue addSleeper(Task<?> t, long nanos) {
    removeLive(t); // (unless debug mode holds it weakly) it stays counted
    return timers.addSleeper(t, nanos, deadlineAfterNanos(nanoTime(), nanos), timerSequence++);
  }

  /** The sleep queue of the sleeping task {@code t}, for a dump; {@code null} if it has none. */
  TimerHeap.SleepQueue sleepQueueOf(Task<?> t) {
    return timers.queueOf(t);
  }

  /** Ends the sleep of {@code t} before its deadline (it is cancelled). */
  void cancelSleep(Task<?> t) {
    timers.removeSleeper(t);
    relinkLive(t);
  }

  /** Puts {@code t} at the head of the list of live tasks. */
  private void pushLive(Task<?> t) {
    Task<?> head = liveTasks;
    t.nextLive = head;
    if (head != null) {
      head.prevLive = t;
    }
    liveTasks = t;
  }

  /**
   * Takes {@code t} off the list of live tasks and frees its links.
   *
   * @return {@code false} if it is not listed: debug mode holds it weakly
   */
  private boolean removeLive(Task<?> t) {
    Task<?> prev = t.prevLive;
    Task<?> next = t.nextLive;
    if (prev != null) {
      prev.nextLive = next;
    } else if (liveTasks == t) {
      liveTasks = next;
    } else {
      return false;
    }
    if (next != null) {
      next.prevLive = prev;
    }
    t.prevLive = null;
    t.nextLive = null;
    return true;
  }

  /** Puts {@code t}, whose sleep ended, back on the list of live tasks (unless debug mode holds it). */
  private void relinkLive(Task<?> t) {
    if (weakTasks == null || !weakTasks.containsKey(t)) {
      pushLive(t);
    }
  }

  void linkTask(Task<?> t) {
    if (debug) {
      // Held weakly, so that a task nothing can ever wake is collected and reported.
      if (weakTasks == null) {
        weakTasks = new java.util.WeakHashMap<>();
      }
      weakTasks.put(t, Debug.trackTask(t));
      return;
    }
    Task<?> maker = currentTask;
    if (maker != null && (maker.prevLive != null || liveTasks == maker)) {
      // Right after the task that makes it (see liveTasks).
      Task<?> next = maker.nextLive;
      t.prevLive = maker;
      t.nextLive = next;
      if (next != null) {
        next.prevLive = t;
      }
      maker.nextLive = t;
    } else {
      pushLive(t);
    }
    liveTaskCount++;
  }

  void unlinkTask(Task<?> t) {
    if (removeLive(t)) {
      liveTaskCount--;
    } else if (weakTasks != null) {
      Debug.TaskTracker tracker = weakTasks.remove(t);
      if (tracker != null) {
        tracker.settle();
      }
    }
  }

  /** Number of live tasks (for tests and leak checks). */
  int liveTaskCount() {
    return weakTasks == null ? liveTaskCount : liveTaskCount + weakTasks.size();
  }

  /** Debug mode: {@code t}'s innermost coroutine {@code c} now waits on {@code promise}. */
  void debugSuspended(Task<?> t, Coroutine<?> c, Promise<?> promise) {
    Debug.TaskTracker tracker = weakTasks.get(t);
    if (tracker != null) {
      tracker.suspended(c, promise);
    }
  }

  /** Number of timers scheduled (for tests and leak checks). */
  int timerCount() {
    return timers.size();
  }

  /** Whether the current thread is the loop's. */
  boolean inLoopThread() {
    return Thread.currentThread() == owner;
  }

  void checkThread(String what) {
    if (Thread.currentThread() != owner) {
      throw wrongThread(what, "use callSoonThreadsafe(...) from other threads");
    }
  }

  /** As {@link #checkThread(String)}, saying what to do instead. */
  void checkThread(String what, String instead) {
    if (Thread.currentThread() != owner) {
      throw wrongThread(what, instead);
    }
  }

  private IllegalStateException wrongThread(String what, String instead) {
    Thread o = owner;
    return new IllegalStateException(
        "cannot " + what + " from thread " + Thread.currentThread().getName()
            + ": this event loop belongs to thread " + o.getName() + "; " + instead);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("event loop is closed");
    }
  }

  /**
   * {@code now + delay} in nanoseconds, a negative delay counting as zero, saturating to {@link #NEVER}
   * on overflow.
   */
  static long deadlineAfter(long now, Duration delay) {
    return deadlineAfterNanos(now, delayNanos(delay));
  }

  /**
   * {@code delay} in nanoseconds for {@link #deadlineAfterNanos}: a negative delay counts as zero, and
   * one too long for a {@code long} is -1 (past the end of the clock).
   */
  static long delayNanos(Duration delay) {
    if (delay.isNegative()) {
      return 0;
    }
    try {
      return delay.toNanos();
    } catch (ArithmeticException e) {
      return -1;
    }
  }

  /**
   * {@code now + nanos}, saturating to {@link #NEVER} on overflow; {@code nanos} is not negative, or -1
   * for a delay too long for a {@code long} ({@link #delayNanos}), which is {@link #NEVER} too.
   */
  static long deadlineAfterNanos(long now, long nanos) {
    if (nanos < 0) {
      return NEVER;
    }
    long d = now + nanos;
    return d < now ? NEVER : d;
  }

  /** The loop of {@code awaitable} if it is a promise of a loop, otherwise the running loop. */
  static EventLoop loopOf(Awaitable<?> awaitable) {
    return awaitable instanceof Promise<?> p && p.loop != null ? p.loop : EventLoop.running();
  }

  /**
   * The loop of the first promise among {@code awaitables}, or the running loop if there is none;
   * asyncio takes the loop of the first future too.
   */
  static EventLoop loopOf(Awaitable<?>[] awaitables) {
    for (Awaitable<?> a : awaitables) {
      if (a instanceof Promise<?> p && p.loop != null) {
        return p.loop;
      }
    }
    return EventLoop.running();
  }

  /**
   * asyncio's {@code ensure_future}: a promise of this loop as it is, a coroutine in a new task of
   * this loop. Threading: the loop's thread (a task is created).
   */
  @SuppressWarnings("unchecked")
  <T> Promise<T> ensureFuture(Awaitable<T> awaitable) {
    if (awaitable instanceof Promise<?> p) {
      if (p.loop != this && p.loop != null) {
        throw new IllegalArgumentException(
            p + " belongs to another event loop: all promises must belong to the loop they are"
                + " combined on");
      }
      return (Promise<T>) p;
    }
    if (awaitable == null) {
      throw new NullPointerException("an awaitable is null");
    }
    return createTask((Coroutine<T>) awaitable);
  }
}
