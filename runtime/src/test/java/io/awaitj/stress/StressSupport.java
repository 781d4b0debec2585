package io.awaitj.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.awaitj.EventLoop;
import io.awaitj.StressAccess;
import io.awaitj.Task;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the stress tests share: the seed, the duration of the long mode, the exception handler that
 * counts debug-mode reports, the leak checks.
 *
 * <p>Randomness is seeded. Every test prints its seed; {@code -Dawaitj.stress.seed=S} reruns with S.
 * {@code -Dawaitj.stress.seconds=N} makes the churn test run for N seconds instead of a few.
 */
final class StressSupport {
  private StressSupport() {}

  /**
   * The stress tests' time limit, in seconds: a hang guard, not a speed check. It only stops a run
   * that no longer progresses (a loop spinning forever) from holding the build, so it sits far above
   * any honest run on a loaded machine: the million-task storm took 22 s here at a low load and went
   * past the former 120 s at a load of 16 on this shared 2-core machine. Speed is measured by the
   * benchmarks, never by a unit test; a stuck virtual clock is caught without any limit
   * (runUntilComplete reports the deadlock).
   */
  static final long HANG_GUARD_SECONDS = 30 * 60;

  /** One seed per JVM, so that one property reruns every test the same way. */
  static final long SEED = chooseSeed();

  private static long chooseSeed() {
    Long s = Long.getLong("awaitj.stress.seed");
    return s != null ? s : ThreadLocalRandom.current().nextLong();
  }

  /** The seed of one test: the run's seed mixed with the test's name; prints how to rerun. */
  static long seed(String test) {
    System.out.println("[stress] " + test + ": seed " + SEED + " (rerun with -Dawaitj.stress.seed=" + SEED + ")");
    return SEED * 0x9E3779B97F4A7C15L + test.hashCode();
  }

  /** The churn test's duration: {@code -Dawaitj.stress.seconds}, or {@code defaultSeconds}. */
  static double seconds(double defaultSeconds) {
    String s = System.getProperty("awaitj.stress.seconds");
    return s == null || s.isBlank() ? defaultSeconds : Double.parseDouble(s);
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  static void report(String test, String format, Object... args) {
    System.out.println("[stress] " + test + ": " + String.format(Locale.ROOT, format, args));
  }

  /** A loop in debug mode (failures never retrieved are reported), with {@code reports} as handler. */
  static EventLoop debugLoop(boolean virtual, Reports reports) {
    EventLoop loop = virtual ? EventLoop.createVirtual() : EventLoop.create();
    loop.setDebug(true);
    // A garbage-collection pause must not count as a slow callback.
    loop.setSlowCallbackDuration(Duration.ofHours(1));
    loop.setExceptionHandler(reports);
    return loop;
  }

  /**
   * Counts the loop's reports. A report that a {@link Boom} was never retrieved is expected for the
   * failures a test leaves unretrieved on purpose, once each; anything else is unexpected. Reports of
   * collected promises come from the Cleaner's thread.
   */
  static final class Reports implements EventLoop.ExceptionHandler {
    final ConcurrentHashMap<Long, Boolean> neverRetrieved = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final AtomicInteger duplicates = new AtomicInteger();

    @Override
    public void handle(String message, Throwable exception) {
      if (exception instanceof Boom b && message.endsWith("exception was never retrieved")) {
        if (neverRetrieved.putIfAbsent(b.id, Boolean.TRUE) != null) {
          duplicates.incrementAndGet();
        }
        return;
      }
      if (unexpected.size() < 20) {
        unexpected.add(message + (exception == null ? "" : ": " + exception));
      }
    }

    /**
     * Runs the collector until {@code expected} Boom failures were reported never retrieved, then a
     * few more times, and checks that exactly those were reported and nothing else.
     */
    void awaitNeverRetrieved(java.util.Set<Long> expected, String what) {
      collectUntil(() -> neverRetrieved.size() >= expected.size(),
          what + ": " + expected.size() + " failures left unretrieved must be reported by debug mode; got "
              + neverRetrieved.size());
      collectSomeMore();
      assertEquals(expected, neverRetrieved.keySet(), what + ": failures reported as never retrieved");
      assertEquals(0, duplicates.get(), what + ": failures reported twice");
      assertNothingUnexpected(what);
    }

    void assertNothingUnexpected(String what) {
      if (!unexpected.isEmpty()) {
        fail(what + ": unexpected reports from the loop: " + unexpected);
      }
    }
  }

  /** A recognisable failure without a stack trace (cheap to make by the hundred thousand). */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long id;

    Boom(long id) {
      super("boom #" + id, null, false, false);
      this.id = id;
    }
  }

  /** Fails unless the loop holds no task and no timer. Call after the run, before closing the loop. */
  static void assertLoopClean(EventLoop loop, String what) {
    List<Task<?>> left = loop.allTasks();
    if (!left.isEmpty()) {
      fail(what + ": " + left.size() + " tasks left registered on the loop, e.g. "
          + left.subList(0, Math.min(5, left.size())));
    }
    assertEquals(0, StressAccess.liveTaskCount(loop), what + ": live task count");
    assertEquals(0, StressAccess.timerCount(loop), what + ": timers left in the heap");
    assertEquals(0, StressAccess.pendingExternal(loop), what + ": operations on other threads still counted");
  }

  /** Samples weak references to tasks; {@link #awaitCleared} checks that they were collected. */
  static final class Sample {
    private final List<WeakReference<Object>> refs = new ArrayList<>();
    private final int every;
    private long seen;

    Sample(int every) {
      this.every = every;
    }

    void offer(Object o) {
      if (seen++ % every == 0) {
        refs.add(new WeakReference<>(o));
      }
    }

    int size() {
      return refs.size();
    }

    void awaitCleared(String what) {
      collectUntil(() -> refs.stream().allMatch(r -> r.get() == null),
          what + ": finished tasks still reachable: "
              + refs.stream().filter(r -> r.get() != null).count() + " of " + refs.size());
    }
  }

  /**
   * How many full collections {@link #collectUntil} runs before it gives up: a count, not a time, so
   * that a loaded machine (slower collections, less CPU for the threads that report) does not fail
   * it. Each is followed by a 20 ms pause for the Cleaner's reports: at least a minute in all.
   */
  private static final int GC_ROUNDS = 3_000;

  /** Runs the collector until {@code condition} holds; fails after {@link #GC_ROUNDS} collections. */
  static void collectUntil(BooleanSupplier condition, String what) {
    for (int round = 0; !condition.getAsBoolean(); round++) {
      if (round == GC_ROUNDS) {
        fail("after " + GC_ROUNDS + " garbage collections, still not done: " + what);
      }
      System.gc();
      sleepQuietly(20);
    }
  }

  static void collectSomeMore() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      sleepQuietly(30);
    }
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Collects mismatches without throwing inside loop callbacks; keeps the first few messages. */
  static final class Mismatches {
    private final List<String> first = new ArrayList<>();
    private long count;

    void add(String message) {
      count++;
      if (first.size() < 10) {
        first.add(message);
      }
    }

    long count() {
      return count;
    }

    void assertNone(String what) {
      if (count > 0) {
        fail(what + ": " + count + " mismatches, first ones:\n  " + String.join("\n  ", first));
      }
    }
  }
}
