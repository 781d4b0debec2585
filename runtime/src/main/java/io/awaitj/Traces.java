package io.awaitj;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stack traces in the user's coordinates. A failure that leaves a coroutine's {@code step()} for the
 * first time gains, in its stack trace, one frame per coroutine of the chain it leaves: the
 * coroutine that threw, at the line of the state it ran, then each coroutine awaiting it, at the line
 * of its pending await, up the chain of inline awaits and on through the tasks that await the task
 * (through {@code gather}, {@code shield} and the other combinators when they are awaited by a task).
 *
 * <p>Where they go: in place of the first frame of one of those coroutines' classes (the {@code
 * step()} of the machine that threw, or of the one that awaited a coroutine that failed, such as
 * {@link Aio#failed}), which moves below them with everything under it, so the JVM's frames stay, unchanged
 * and in order, above and below the coroutines' frames. A failure that did not come from the
 * machine's code (a promise failed by a callback, a future completed on another thread) keeps its
 * trace on top, and the coroutines' frames go below it. Nothing of the JVM's trace is lost.
 *
 * <p>Once only: the frames a loop adds carry its mark as their module version ({@link
 * EventLoop#traceMark}; a trace prints no module version without a module name, so the mark does not
 * show), so a failure that goes on up the chain, is awaited again, or rethrown by a coroutine that
 * caught it, keeps the frames it gained first. The loop keeps nothing per failure: only the last one
 * it looked at ({@link EventLoop#lastTraced}), so that a failure going on up a chain of inline awaits
 * is not searched for the mark at each level. A failure without a stack trace (made with {@code writableStackTrace} false, as the
 * runtime's own cancellations are) is left alone. None of this runs unless a failure leaves a
 * coroutine: the path on which nothing fails pays nothing.
 *
 * <p>Threading: the loop's thread.
 */
final class Traces {
  private Traces() {}

  /** Numbers the loops' marks (see {@link EventLoop#traceMark}). */
  private static final AtomicLong MARKS = new AtomicLong();

  /** The most frames a trace gains: a chain deeper than that is cut (the innermost frames kept). */
  static final int MAX_FRAMES = 1024;

  /**
   * {@code e} leaves the {@code step()} of {@code c}, whose {@link Coroutine#state} is still the
   * state that threw: the first time, {@code e}'s trace gains the chain's frames.
   */
  static void leaving(Coroutine<?> c, Throwable e) {
    leaving(c, e, null, null);
  }

  /**
   * {@code e} leaves the body of a method that {@code c} called directly instead of awaiting its
   * machine ({@link Coroutine#tracedDirectly}): as {@link #leaving(Coroutine, Throwable)}, with the
   * frame {@code direct} of that body above {@code c}'s, in place of the first frame of the class
   * {@code machine} (the body's method) or of the chain's.
   */
  static void leavingDirect(Coroutine<?> c, Throwable e, String machine, StackTraceElement direct) {
    leaving(c, e, machine, direct);
  }

  private static void leaving(Coroutine<?> c, Throwable e, String directMachine, StackTraceElement direct) {
    Task<?> task = c.taskOrNull();
    if (task == null || e == null) {
      return;
    }
    EventLoop loop = task.loop;
    if (loop.lastTraced == e) {
      return; // the same failure going on up the chain
    }
    loop.lastTraced = e;
    try {
      StackTraceElement[] original = e.getStackTrace();
      if (original.length == 0) {
        return;
      }
      String mark = loop.traceMark;
      if (mark == null) {
        mark = "awaitj-loop-" + MARKS.incrementAndGet();
        loop.traceMark = mark;
      }
      for (StackTraceElement f : original) {
        if (mark.equals(f.getModuleVersion())) {
          return; // gained its frames already
        }
      }
      Set<String> machines = new java.util.HashSet<>();
      List<StackTraceElement> chain = chain(c, machines);
      if (direct != null) {
        chain.add(0, direct);
        machines.add(directMachine);
      }
      if (chain.isEmpty()) {
        return;
      }
      int at = original.length;
      for (int i = 0; i < original.length; i++) {
        if (machines.contains(original[i].getClassName())
            && !original[i].getMethodName().startsWith("lambda$")) {
          at = i;
          break;
        }
      }
      StackTraceElement[] rewritten = new StackTraceElement[original.length + chain.size()];
      System.arraycopy(original, 0, rewritten, 0, at);
      for (int i = 0; i < chain.size(); i++) {
        StackTraceElement f = chain.get(i);
        rewritten[at + i] =
            new StackTraceElement(f.getClassLoaderName(), f.getModuleName(), mark, f.getClassName(),
                f.getMethodName(), f.getFileName(), f.getLineNumber());
      }
      System.arraycopy(original, at, rewritten, at + chain.size(), original.length - at);
      e.setStackTrace(rewritten);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError ignored) {
      // A trace is a courtesy: the failure itself goes on as it was.
    }
  }

  /**
   * The frames of {@code c} and of the coroutines awaiting it, innermost first: up its chain of
   * inline awaits, then, from the outermost coroutine of its task, on through the tasks awaiting that
   * task. Coroutines that cannot say where they stand ({@link Coroutine#sourceFrame()} {@code null})
   * give no frame. The classes of those that do go to {@code machines}.
   */
  static List<StackTraceElement> chain(Coroutine<?> c, Set<String> machines) {
    List<StackTraceElement> out = new ArrayList<>();
    Set<Task<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Coroutine<?> k = c;
    while (k != null && out.size() < MAX_FRAMES) {
      StackTraceElement f = frameOf(k);
      if (f != null) {
        out.add(f);
        machines.add(k.getClass().getName());
      }
      Coroutine<?> up = k.caller;
      if (up == null) {
        Task<?> t = k.taskOrNull();
        if (t != null && t.coroutine() == k && seen.add(t)) {
          Task<?> awaiting = t.awaitingTask();
          up = awaiting == null || seen.contains(awaiting) ? null : awaiting.leaf();
        }
      }
      k = up;
    }
    return out;
  }

  /**
   * The frame of {@code c} ({@link Coroutine#sourceFrame()}), or {@code null} when it cannot say or
   * fails to: reports never fail for a trace.
   */
  static StackTraceElement frameOf(Coroutine<?> c) {
    try {
      return c.sourceFrame();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Where {@code c} stands, for debug mode's reports: its method and line, else its class. */
  static String where(Coroutine<?> c) {
    StackTraceElement f = frameOf(c);
    return f != null ? f.toString() : c.getClass().getName();
  }

  /**
   * {@code Task[name] in method(File.java:line)}, for debug mode's reports: where the task's chain
   * stands (a task that is done, its outermost coroutine at the line of its body).
   */
  static String describe(Task<?> t) {
    Coroutine<?> c = t.leaf();
    return "Task[" + t.name() + "] in " + where(c != null ? c : t.coroutine());
  }

  /** The frames of the chain of coroutines {@code t} runs, innermost first, without crossing to other tasks. */
  static List<StackTraceElement> stackOf(Task<?> t) {
    List<StackTraceElement> out = new ArrayList<>();
    for (Coroutine<?> k = t.leaf(); k != null && out.size() < MAX_FRAMES; k = k.caller) {
      StackTraceElement f = frameOf(k);
      if (f != null) {
        out.add(f);
      }
    }
    return out;
  }
}
