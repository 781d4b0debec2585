package io.awaitj;

import java.time.Duration;

/**
 * {@link Aio#sleep(Duration)}: a coroutine that, awaited, puts the awaiting coroutine's task to sleep
 * (a zero or negative delay: yields to the loop for one pass, asyncio's {@code sleep(0)}). Cancelling
 * the task while it sleeps ends the sleep with the cancellation.
 *
 * <p>An await of a sleep does not start it as a coroutine of its own: {@link Coroutine#suspendOn}
 * recognises it and suspends the awaiting coroutine itself ({@link Task#sleep}), the task being its
 * own timer. So a sleeping task holds no sleep object, timer or promise, and a sleep of zero delay
 * allocates nothing: {@code sleep(0)} returns {@link #YIELD}, one shared instance. A sleep is still
 * single-use (an await marks it used), except {@link #YIELD}, which has no state: each await of it
 * yields once. Debug mode makes a new instance for every {@code sleep(0)}, so that one never awaited
 * is reported. A sleep wrapped in a task ({@link EventLoop#createTask}) runs as the task's coroutine
 * ({@link #step()}); the loop wraps a copy of {@link #YIELD}.
 */
final class Sleep<T> extends Coroutine<T> {
  /** {@code sleep(0)}: shared, never started, never changed. */
  static final Sleep<Void> YIELD = new Sleep<>(0, null);

  static {
    // Made while a debug loop ran, it would be tracked as never awaited.
    YIELD.settleDebugTracking();
  }

  /** The delay in nanoseconds (saturated); zero or less yields for one pass. */
  private final long nanos;
  private final T value;

  private Sleep(long nanos, T value) {
    this.nanos = nanos;
    this.value = value;
  }

  /** A sleep of {@code delay} returning {@code value}. */
  static <T> Coroutine<T> of(Duration delay, T value) {
    return ofNanos(EventLoop.deadlineAfter(0, delay), value);
  }

  /** A sleep of {@code millis} milliseconds, without a {@link Duration} on the way. */
  static Coroutine<Void> millis(long millis) {
    return ofNanos(
        millis <= 0 ? 0 : millis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000,
        null);
  }

  @SuppressWarnings("unchecked")
  private static <T> Coroutine<T> ofNanos(long nanos, T value) {
    if (nanos <= 0 && value == null && !(Debug.DEFAULT || EventLoop.DEBUG_LOOPS.get() > 0)) {
      return (Coroutine<T>) YIELD;
    }
    return new Sleep<>(nanos, value);
  }

  /** A fresh sleep of the same delay and value, for a task: {@link #YIELD} cannot be started. */
  Sleep<T> copy() {
    return new Sleep<>(nanos, value);
  }

  /**
   * {@code parent} awaits this sleep: marks it used (unless it is {@link #YIELD}) and puts the task to
   * sleep, with {@code parent} as the coroutine to resume.
   *
   * @return {@code true}: the parent suspends
   */
  boolean awaitedBy(Coroutine<?> parent) {
    Task<?> t = parent.requireTask();
    if (this != YIELD) {
      if (task != null) {
        throw alreadyAwaited(this);
      }
      task = t;
      settleDebugTracking();
      finished();
    }
    t.sleep(parent, nanos, value);
    return true;
  }

  /** As the outermost coroutine of a task: the task sleeps, with this coroutine to resume. */
  @Override
  protected Object step() {
    switch (state) {
      case 0:
        state = 1;
        task.sleep(this, nanos, value);
        return SUSPEND;
      case 1:
        return awaitResult();
      default:
        throw illegalState();
    }
  }

  @Override
  public String toString() {
    return "Aio.sleep(" + Duration.ofNanos(Math.max(0, nanos)) + ")";
  }
}
