package io.awaitj;

import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Debug mode's bookkeeping: failed promises nobody asked about, coroutines nobody awaited, slow
 * callbacks. None of it runs unless debug mode is on, so the normal paths pay one branch at most.
 */
final class Debug {
  /**
   * Whether coroutines are tracked from creation (so that one never awaited can be reported), and
   * whether new loops start in debug mode. Initialised from {@code -Dawaitj.debug=true}.
   */
  static volatile boolean ENABLED = Boolean.getBoolean("awaitj.debug");

  private static final System.Logger LOG = System.getLogger("io.awaitj");
  private static final Cleaner CLEANER = Cleaner.create();

  /** Where reports without a loop go (coroutines never awaited). Replaceable by tests. */
  static volatile Consumer<String> globalReports = message -> LOG.log(System.Logger.Level.WARNING, message);

  private static final Map<Object, Tracker> TRACKERS = new WeakHashMap<>();

  private Debug() {}

  /** What is remembered of a tracked object; it must not reference the object itself. */
  private static final class Tracker implements Runnable {
    final String description;
    final Throwable error;
    final EventLoop loop;
    final Throwable creationSite;
    volatile boolean settled;

    Tracker(String description, Throwable error, EventLoop loop, Throwable creationSite) {
      this.description = description;
      this.error = error;
      this.loop = loop;
      this.creationSite = creationSite;
    }

    @Override
    public void run() {
      if (settled) {
        return;
      }
      if (loop != null) {
        loop.callExceptionHandler(description + " exception was never retrieved", error);
      } else {
        StringBuilder b = new StringBuilder("coroutine ").append(description).append(" was never awaited");
        if (creationSite != null) {
          b.append("; created at");
          for (StackTraceElement e : creationSite.getStackTrace()) {
            b.append("\n\tat ").append(e);
          }
        }
        globalReports.accept(b.toString());
      }
    }
  }

  static void trackCoroutine(Coroutine<?> c) {
    Tracker t = new Tracker(c.getClass().getName(), null, null, new Throwable("created here"));
    synchronized (TRACKERS) {
      TRACKERS.put(c, t);
    }
    CLEANER.register(c, t);
  }

  static void coroutineStarted(Coroutine<?> c) {
    settle(c);
  }

  static void promiseFailed(Promise<?> p) {
    String what = p instanceof Task<?> t ? t.toString() : "Promise";
    Tracker t = new Tracker(what, p.failure(), p.loop, null);
    synchronized (TRACKERS) {
      TRACKERS.put(p, t);
    }
    CLEANER.register(p, t);
  }

  static void promiseRetrieved(Promise<?> p) {
    settle(p);
  }

  private static void settle(Object o) {
    Tracker t;
    synchronized (TRACKERS) {
      t = TRACKERS.remove(o);
    }
    if (t != null) {
      t.settled = true;
    }
  }

  /** Whether {@code o}, a failed promise or a coroutine not started yet, is still tracked. For tests. */
  static boolean isTracked(Object o) {
    synchronized (TRACKERS) {
      return TRACKERS.containsKey(o);
    }
  }

  static void slowCallback(EventLoop loop, Object item, long nanos) {
    loop.callExceptionHandler(
        String.format(Locale.ROOT, "Executing %s took %.3f seconds", item, nanos / 1e9), null);
  }
}
