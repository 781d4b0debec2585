package io.awaitj;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/**
 * The JVM's count of the bytes the calling thread has allocated, for the allocation tests: exact and
 * independent of the machine's load, unlike time. Every allocation test reads it here.
 */
public final class AllocatedBytes {
  private static com.sun.management.ThreadMXBean threads;

  private AllocatedBytes() {}

  /**
   * Makes sure the count can be read, turning it on if it is off; on a JVM without it, the calling
   * test is skipped (an assumption fails).
   */
  public static void require() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
        "this JVM has no com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(t.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
    if (!t.isThreadAllocatedMemoryEnabled()) {
      t.setThreadAllocatedMemoryEnabled(true);
    }
    threads = t;
    // A counter that does not count would let every "allocates nothing" check pass: check it here.
    long before = now();
    sink = new byte[4096];
    long counted = now() - before;
    if (counted < 4096) {
      throw new AssertionError("the allocation counter counted " + counted + " B for a 4,096-byte array");
    }
  }

  /** Keeps the array {@link #require} allocates reachable, so that the JIT cannot remove it. */
  @SuppressWarnings("unused")
  private static volatile Object sink;

  /** The bytes the calling thread has allocated so far ({@link #require} first). */
  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
  public static long now() {
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
