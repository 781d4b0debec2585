package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated code at scale: a million nested awaits (recursion), and ten million awaits of a completed
 * promise in a loop, which must allocate nothing per iteration. Allocation is measured (bytes), not
 * timed.
 */
class ScaleTest {
  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("""
        package scale;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import io.awaitj.Promise;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public final class Deep {
          private Deep() {}

          @Async
          public static Coroutine<Integer> depth(int n) {
            if (n == 0) {
              return done(0);
            }
            return done(await(depth(n - 1)) + 1);
          }

          @Async
          public static Coroutine<Long> spin(Promise<Object> ready, int n) {
            long count = 0;
            for (int i = 0; i < n; i++) {
              if (await(ready) != null) {
                count++;
              }
            }
            return done(count);
          }
        }
        """);
  }

  @Test
  void aMillionDeepRecursionCompletes() {
    Coroutine<?> c = Compiled.call(compiled.load("scale.DeepAsync"), "depth", 1_000_000);
    assertEquals(1_000_000, Aio.runVirtual(c));
  }

  @Test
  void awaitingACompletedPromiseInALoopAllocatesNothingPerIteration() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      EventLoop loop = EventLoop.createVirtual();
      Promise<Object> ready = loop.createPromise();
      ready.complete("x");
      Coroutine<?> spin = Compiled.call(compiled.load("scale.DeepAsync"), "spin", ready, 10_000_000);
      long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
      Object result = loop.runUntilComplete(spin);
      long allocated = bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
      loop.close();
      assertEquals(10_000_000L, result);
      best = Math.min(best, allocated);
    }
    // An absolute limit, not one computed from the code under test. What a run allocates once (the
    // task, the boxed Long, the running loop's thread-local entry) measured 136 bytes on JDK 17.0.15
    // and Temurin 25.0.3 alike; the limit is for that per-run part only, and 64 KiB is well under one
    // byte per await, while anything allocated per await would be at least 10,000,000 x 16 bytes.
    assertTrue(best < 64 * 1024, "allocated " + best + " bytes for 10,000,000 awaits");
  }
}
