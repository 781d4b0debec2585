package io.awaitj;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Package-private state of the runtime, opened to the stress tests of {@code io.awaitj.stress}, which
 * check that nothing is left behind: tasks registered on the loop, timers in its heap, work counted as
 * running on other threads.
 */
public final class StressAccess {
  private StressAccess() {}

  /** How many tasks the loop still holds in its list of live tasks. */
  public static int liveTaskCount(EventLoop loop) {
    return loop.liveTaskCount();
  }

  /** How many timers are in the loop's heap. */
  public static int timerCount(EventLoop loop) {
    return loop.timerCount();
  }

  /**
   * The failure of {@code promise} without marking it retrieved, so that debug mode still reports it
   * when the promise is collected; {@code null} unless it failed.
   */
  public static Throwable failureOf(Promise<?> promise) {
    return promise.failure();
  }

  /**
   * How many operations on other threads the loop still waits for ({@code EventLoop.pendingExternal},
   * a private field, read by reflection: a leak there would make a virtual-time loop wait forever
   * instead of reporting a deadlock).
   */
  public static int pendingExternal(EventLoop loop) {
    try {
      Field f = EventLoop.class.getDeclaredField("pendingExternal");
      f.setAccessible(true);
      return ((AtomicInteger) f.get(loop)).get();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("EventLoop.pendingExternal is gone: update StressAccess", e);
    }
  }
}
