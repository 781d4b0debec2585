package io.awaitj;

import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Debug mode's bookkeeping: failed promises nobody asked about, coroutines nobody awaited, tasks
 * destroyed while pending, slow callbacks. None of it runs unless debug mode is on, so the normal paths
 * pay one branch at most.
 *
 * <p>Debug mode is a setting of each loop ({@link EventLoop#setDebug}); {@link #DEFAULT}, read once from
 * the system property {@code awaitj.debug}, is only where new loops start. A coroutine is tracked when
 * it is created while a loop in debug mode runs in the creating thread, or, created outside any running
 * loop, when {@link #DEFAULT} is on; a never-awaited coroutine is reported to that loop's exception
 * handler, or, without a loop, logged.
 *
 * <p>Trackers never reference what they track (the cleaner could not run otherwise). Those of
 * coroutines and tasks are unregistered from the cleaner when the coroutine starts or the task
 * finishes, so that the collector has nothing left to process for the usual case.
 */
final class Debug {
  /** Whether new loops start in debug mode: {@code -Dawaitj.debug=true}, read once. */
  static final boolean DEFAULT = Boolean.getBoolean("awaitj.debug");

  private static final System.Logger LOG = System.getLogger("io.awaitj");
  private static final Cleaner CLEANER = Cleaner.create();

  private static final Map<Object, Tracker> TRACKERS = new WeakHashMap<>();

  /** How many frames of a creation site are kept: enough to find the caller, bounded in cost. */
  private static final int SITE_FRAMES = 12;

  /** The runtime's classes whose frames a creation site leaves out. */
  private static final Set<String> RUNTIME_FRAMES =
      Set.of(
          "io.awaitj.Debug", "io.awaitj.Coroutine", "io.awaitj.EventLoop", "io.awaitj.Task",
          "io.awaitj.Aio", "io.awaitj.TaskGroup");

  private static final StackWalker WALKER = StackWalker.getInstance();

  private Debug() {}

  /** Whether a coroutine created now, in this thread, is tracked until it is started. */
  static boolean tracksNewCoroutines(EventLoop running) {
    return running != null ? running.debug : DEFAULT;
  }

  /**
   * Where something is being created: inside a task, the task and its coroutine, which costs no stack
   * walk (a walk per coroutine made debug mode too slow at a million tasks); elsewhere (a plain
   * callback, code outside the loop), the caller's stack without the runtime's frames.
   */
  static Object creationSite(EventLoop running) {
    Task<?> t = running != null ? running.currentTask : null;
    if (t != null) {
      return new TaskSite(t.name(), Traces.where(t.coroutine()));
    }
    return stack();
  }

  /** A creation site inside a task. */
  private record TaskSite(String task, String coroutine) {
    @Override
    public String toString() {
      return "in Task[" + task + "], whose coroutine is " + coroutine;
    }
  }

  /** The caller's stack without the runtime's frames, at most {@link #SITE_FRAMES} frames. */
  static StackTraceElement[] stack() {
    return WALKER.walk(
        frames ->
            frames
                .dropWhile(f -> RUNTIME_FRAMES.contains(f.getClassName()))
                .limit(SITE_FRAMES)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new));
  }

  static void appendSite(StringBuilder b, String what, Object site) {
    if (site instanceof StackTraceElement[] stack) {
      b.append("; ").append(what).append(" at");
      for (StackTraceElement e : stack) {
        b.append("\n\tat ").append(e);
      }
    } else if (site != null) {
      b.append("; ").append(what).append(' ').append(site);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Coroutines never awaited.

  /**
   * What is remembered of a tracked coroutine, which the coroutine itself holds until it is started
   * (see {@code Coroutine.resumeValue}); reported by the cleaner if the coroutine is collected first.
   */
  static final class CoroutineTracker implements Runnable {
    private final String description;
    private final EventLoop loop;
    private final Object creationSite;
    private Cleaner.Cleanable cleanable;
    private boolean started;

    private CoroutineTracker(String description, EventLoop loop, Object creationSite) {
      this.description = description;
      this.loop = loop;
      this.creationSite = creationSite;
    }

    /** The coroutine is started (or refused): unregisters the tracker; nothing is reported. */
    void settle() {
      started = true;
      cleanable.clean(); // runs run() here, once, which then reports nothing
    }

    @Override
    public void run() {
      if (started) {
        return;
      }
      StringBuilder b = new StringBuilder("coroutine ").append(description).append(" was never awaited");
      appendSite(b, "created", creationSite);
      if (loop != null) {
        loop.callExceptionHandler(b.toString(), null);
      } else {
        LOG.log(System.Logger.Level.WARNING, b.toString());
      }
    }
  }

  /** Tracks {@code c}, created while {@code loop} (or no loop: {@code null}) runs in this thread. */
  static CoroutineTracker trackCoroutine(Coroutine<?> c, EventLoop loop) {
    // A machine's frame reads only its state (0 here) and constants: safe before its constructor ran.
    CoroutineTracker t = new CoroutineTracker(Traces.where(c), loop, creationSite(loop));
    t.cleanable = CLEANER.register(c, t);
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // Generators started and never finished or closed.

  /**
   * What is remembered of a generator that started in debug mode (never the generator itself);
   * reported by the cleaner if the generator is collected before it finished or was closed: its
   * {@code finally} blocks and async closes never ran.
   */
  static final class GeneratorTracker implements Runnable {
    private final String description;
    private final EventLoop loop;
    private final Object startSite;
    private Cleaner.Cleanable cleanable;
    private boolean settled;

    private GeneratorTracker(String description, EventLoop loop, Object startSite) {
      this.description = description;
      this.loop = loop;
      this.startSite = startSite;
    }

    /** The generator finished or was closed: unregisters the tracker; nothing is reported. */
    void settle() {
      settled = true;
      cleanable.clean();
    }

    @Override
    public void run() {
      if (settled) {
        return;
      }
      StringBuilder b = new StringBuilder("async generator ").append(description)
          .append(" was started and never finished or closed, so its finally blocks and async closes"
              + " never ran: leave its for loop in an @Async method (which closes it), or await its"
              + " closeAsync()");
      appendSite(b, "started", startSite);
      loop.callExceptionHandler(b.toString(), null);
    }
  }

  /** Tracks generator {@code g}, started now on {@code loop}, which is in debug mode. */
  static GeneratorTracker trackGenerator(Coroutine<?> g, EventLoop loop) {
    GeneratorTracker t = new GeneratorTracker(Traces.where(g), loop, creationSite(loop));
    t.cleanable = CLEANER.register(g, t);
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // Failures never retrieved.

  /** What is remembered of a failed promise; it must not reference the promise itself. */
  private static final class Tracker implements Runnable {
    final String description;
    final Throwable error;
    final EventLoop loop;
    volatile boolean settled;

    Tracker(String description, Throwable error, EventLoop loop) {
      this.description = description;
      this.error = error;
      this.loop = loop;
    }

    @Override
    public void run() {
      if (!settled) {
        loop.callExceptionHandler(description + " exception was never retrieved", error);
      }
    }
  }

  static void promiseFailed(Promise<?> p) {
    String what = p instanceof Task<?> t ? Traces.describe(t) : "Promise";
    Tracker t = new Tracker(what, p.failure(), p.loop);
    synchronized (TRACKERS) {
      TRACKERS.put(p, t);
    }
    CLEANER.register(p, t);
  }

  static void promiseRetrieved(Promise<?> p) {
    Tracker t;
    synchronized (TRACKERS) {
      t = TRACKERS.remove(p);
    }
    if (t != null) {
      t.settled = true;
    }
  }

  /**
   * Whether {@code o}, a failed promise or a coroutine not started yet, is still tracked. For tests.
   */
  static boolean isTracked(Object o) {
    if (o instanceof Coroutine<?> c) {
      return c.debugTracker() != null;
    }
    synchronized (TRACKERS) {
      return TRACKERS.containsKey(o);
    }
  }

  static void slowCallback(EventLoop loop, Object item, long nanos) {
    loop.callExceptionHandler(
        String.format(Locale.ROOT, "Executing %s took %.3f seconds",
            item instanceof Task<?> t ? Traces.describe(t) : item, nanos / 1e9), null);
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks destroyed while pending (asyncio's "Task was destroyed but it is pending!").

  /**
   * What debug mode remembers of a task its loop holds weakly: names and classes only, never the task,
   * its coroutines or what it waits on, so that the task can be collected. Updated at each suspension
   * without allocating; reported by the cleaner if the task is collected before it finishes.
   */
  static final class TaskTracker implements Runnable {
    private final EventLoop loop;
    private final String task;
    private final Class<?> coroutine;
    private final Object creationSite;
    private volatile Class<?> suspendedIn;
    private volatile int suspendedAtState;
    private volatile Class<?> waitingOn;
    private Cleaner.Cleanable cleanable;
    private boolean finished;

    private TaskTracker(EventLoop loop, String task, Class<?> coroutine, Object site) {
      this.loop = loop;
      this.task = task;
      this.coroutine = coroutine;
      this.creationSite = site;
    }

    /** The task's innermost coroutine {@code c} now waits on {@code promise}. */
    void suspended(Coroutine<?> c, Promise<?> promise) {
      suspendedIn = c.getClass();
      suspendedAtState = c.state;
      waitingOn = promise.getClass();
    }

    /** The task finished: unregisters the tracker; nothing is reported. */
    void settle() {
      finished = true;
      cleanable.clean();
    }

    @Override
    public void run() {
      if (finished) {
        return;
      }
      StringBuilder b =
          new StringBuilder("Task was destroyed but it is pending! ")
              .append(task)
              .append(", coroutine ")
              .append(coroutine.getName());
      Class<?> in = suspendedIn;
      if (in == null) {
        b.append(", never started");
      } else {
        b.append(", suspended in ")
            .append(in.getName())
            .append(" at state ")
            .append(suspendedAtState)
            .append(", waiting on a ")
            .append(waitingOn.getName())
            .append(" that nothing else referenced, so it could never complete");
      }
      appendSite(b, "task created", creationSite);
      loop.callExceptionHandler(b.toString(), null);
    }
  }

  /** Starts tracking {@code t}, which its loop holds weakly; the cleaner reports it if it is lost. */
  static TaskTracker trackTask(Task<?> t) {
    TaskTracker tracker =
        new TaskTracker(
            t.loop, "Task[" + t.name() + "]", t.coroutine().getClass(), creationSite(t.loop));
    tracker.cleanable = CLEANER.register(t, tracker);
    return tracker;
  }
}
