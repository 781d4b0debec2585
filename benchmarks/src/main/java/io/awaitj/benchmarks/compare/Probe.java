package io.awaitj.benchmarks.compare;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What every JVM peer of the comparison measures with, and how it reports: one {@code RESULT} line
 * of {@code key=value} pairs on standard output, which {@link Compare} reads. The Kotlin peers use it
 * too, so that the heap, the allocated bytes and the micro timings of every JVM peer are taken the
 * same way.
 */
public final class Probe {
  private Probe() {}

  /** The line a peer prints: {@code RESULT key=value ...}, in the order the values were put. */
  public static final class Report {
    private final Map<String, String> values = new LinkedHashMap<>();

    /** Adds a number (printed with up to three decimals). */
    public Report put(String key, double value) {
      values.put(key, format(value));
      return this;
    }

    /** Adds an integer. */
    public Report put(String key, long value) {
      values.put(key, Long.toString(value));
      return this;
    }

    /** Adds a word (no spaces). */
    public Report word(String key, String value) {
      values.put(key, value.replace(' ', '_'));
      return this;
    }

    /** The line. */
    public String line() {
      StringBuilder b = new StringBuilder("RESULT");
      values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
      return b.toString();
    }

    /** Prints the line. */
    public void print() {
      System.out.println(line());
      System.out.flush();
    }
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** The used heap after full collections, in bytes (the least of three). */
  public static long usedHeap() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Method TOTAL = totalMethod();

  private static Method totalMethod() {
    try {
      // com.sun.management.ThreadMXBean.getTotalThreadAllocatedBytes(), JDK 21 and later: counts
      // threads that have ended too. Looked up at run time, so this compiles for Java 17.
      Class<?> c = Class.forName("com.sun.management.ThreadMXBean");
      Method m = c.getMethod("getTotalThreadAllocatedBytes");
      m.invoke(THREADS);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Bytes allocated on the heap so far by all threads (virtual threads allocate on their carriers, a
   * {@code CompletableFuture} on its pool's threads). On JDK 17 the sum over the live threads.
   */
  public static long allocatedBytes() {
    if (TOTAL != null) {
      try {
        return (Long) TOTAL.invoke(THREADS);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) THREADS;
    long[] ids = t.getAllThreadIds();
    return Arrays.stream(t.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
  }

  /** CPU time of this process so far, all threads (JIT compiler and GC threads too), in nanoseconds. */
  public static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Bytes allocated on the heap by the calling thread so far (exact: the JVM's per-thread counter);
   * -1 if this JVM does not count.
   */
  public static long threadAllocatedBytes() {
    com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) THREADS;
    return t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()
        ? t.getThreadAllocatedBytes(Thread.currentThread().getId()) : -1;
  }

  /** CPU time of the calling thread so far, in nanoseconds. */
  public static long threadCpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /**
   * A micro measurement: runs {@code batch} (which performs {@code ops} operations on the calling
   * thread and returns a checksum) until it has used {@code warmupMillis} of this thread's CPU time,
   * then {@code batches} more times, and reports the median CPU time per operation of those (and the
   * median wall time: on a loaded machine the wall time also counts the time the thread waited for a
   * core), and the median bytes this thread allocated per operation (batch included: its loop, its
   * coroutines), with the checksum of the last batch.
   */
  public static Report micro(long warmupMillis, int batches, int ops, LongSupplier batch) {
    long end = threadCpuNanos() + warmupMillis * 1_000_000L;
    long check = 0;
    int warm = 0;
    do {
      check = batch.getAsLong();
      warm++;
    } while (threadCpuNanos() < end);
    double[] cpu = new double[batches];
    double[] wall = new double[batches];
    double[] bytes = new double[batches];
    for (int i = 0; i < batches; i++) {
      long a0 = threadAllocatedBytes();
      long c0 = threadCpuNanos();
      long t0 = System.nanoTime();
      long c = batch.getAsLong();
      wall[i] = (System.nanoTime() - t0) / (double) ops;
      cpu[i] = (threadCpuNanos() - c0) / (double) ops;
      bytes[i] = (threadAllocatedBytes() - a0) / (double) ops;
      if (c != check) {
        throw new AssertionError("batch checksum changed: " + c + " after " + check);
      }
    }
    Arrays.sort(cpu);
    Arrays.sort(wall);
    Arrays.sort(bytes);
    Report r = new Report().put("ns_per_op", cpu[batches / 2]).put("wall_ns_per_op", wall[batches / 2])
        .put("min_ns_per_op", cpu[0]);
    if (threadAllocatedBytes() >= 0) {
      r.put("bytes_per_op", bytes[batches / 2]);
    }
    return r.put("warmup_batches", warm).put("checksum", check);
  }

  /** How many completed promises the micro scenarios cycle through (promise k holds k). */
  public static final int PROMISES = 1024;

  /**
   * {@link #PROMISES} boxed values, value k holding k, boxed here once: what the generator scenario's
   * generators emit, cycling through them, so that an element costs no allocation of its own.
   */
  public static Long[] values() {
    Long[] values = new Long[PROMISES];
    for (int k = 0; k < PROMISES; k++) {
      values[k] = (long) k;
    }
    return values;
  }
}
