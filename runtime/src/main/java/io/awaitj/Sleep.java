package io.awaitj;

import java.time.Duration;

/**
 * {@link Aio#sleep(Duration)}: a coroutine that, awaited, puts the awaiting coroutine's task to sleep
 * (a zero or negative delay: yields to the loop for one pass, asyncio's {@code sleep(0)}). Cancelling
 * the task while it sleeps ends the sleep with the cancellation.
 *
 * <p>An await of a sleep does not start it as a coroutine of its own: {@link Coroutine#suspendOn}
 * recognises it and suspends the awaiting coroutine itself ({@link Task#sleep}), the task being its
 * own timer. So a sleeping task holds no sleep object, timer or promise. A sleep without a value
 * ({@code sleep(d)}, not {@code sleep(d, value)}) is moreover shared: it has no state but its delay,
 * so {@code sleep(0)} returns {@link #YIELD}, and a sleep of another delay one instance per delay
 * from a small table ({@link #SHARED}), and an await of a sleep allocates nothing. A shared sleep is
 * never marked used: each await of it sleeps once, and {@link #isStarted()} stays {@code false}. A
 * sleep with a value is single-use (an await marks it used), as every other coroutine. Debug mode
 * makes a new instance for every call, so that one never awaited is reported and one awaited twice
 * fails. A sleep wrapped in a task ({@link EventLoop#createTask}) runs as the task's coroutine
 * ({@link #step()}); the loop wraps a copy of a shared one.
 */
final class Sleep<T> extends Coroutine<T> {
  /** {@code sleep(0)}: shared, never started, never changed. */
  static final Sleep<Void> YIELD = new Sleep<>(0, null, true);

  /**
   * The shared sleeps of other delays, at a slot chosen by their delay: a table of immutable objects
   * that any thread may read and fill. A slot holding another delay is overwritten (the displaced
   * sleep stays valid wherever it is held), so a program sleeping more delays than slots at once only
   * allocates a sleep now and then. Written and read without synchronization: a thread sees either
   * {@code null}, or a sleep whose final fields it sees as constructed; one that sees an older entry
   * or none makes its own.
   */
  private static final Sleep<?>[] SHARED = new Sleep<?>[64];

  static {
    // Made while a debug loop ran, it would be tracked as never awaited.
    YIELD.settleDebugTracking();
  }

  /** The delay in nanoseconds (saturated); zero or less yields for one pass. */
  private final long nanos;
  private final T value;

  /** Shared: never started, never marked used (see the class comment). */
  private final boolean shared;

  private Sleep(long nanos, T value, boolean shared) {
    this.nanos = nanos;
    this.value = value;
    this.shared = shared;
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
    if (value != null || Debug.DEFAULT || EventLoop.DEBUG_LOOPS.get() > 0) {
      return new Sleep<>(nanos, value, false);
    }
    if (nanos <= 0) {
      return (Coroutine<T>) YIELD;
    }
    int slot = (int) ((nanos * 0x9E3779B97F4A7C15L) >>> 58); // 6 bits: SHARED.length
    Sleep<?> s = SHARED[slot];
    if (s == null || s.nanos != nanos) {
      s = new Sleep<>(nanos, null, true);
      // Made while a debug loop started on this thread, it would be tracked as never awaited.
      s.settleDebugTracking();
      SHARED[slot] = s;
    }
    return (Coroutine<T>) s;
  }

  /** Whether {@code a} is a shared sleep: {@link #YIELD}, or one of {@link #SHARED}. */
  static boolean isShared(Awaitable<?> a) {
    return a instanceof Sleep<?> s && s.shared;
  }

  /** A fresh sleep of the same delay and value, for a task: a shared sleep cannot be started. */
  Sleep<T> copy() {
    return new Sleep<>(nanos, value, false);
  }

  /**
   * {@code parent} awaits this sleep: marks it used (unless it is shared) and puts the task to sleep,
   * with {@code parent} as the coroutine to resume.
   *
   * @return {@code true}: the parent suspends
   */
  boolean awaitedBy(Coroutine<?> parent) {
    Task<?> t = parent.requireTask();
    if (!shared) {
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
