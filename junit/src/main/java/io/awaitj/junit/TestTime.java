package io.awaitj.junit;

import io.awaitj.EventLoop;
import io.awaitj.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The clock of a test's loop, stepped by hand: Kotlin's {@code TestCoroutineScheduler} for awaitj.
 * {@link #advanceBy} moves the clock forward, running everything that falls due on the way, and returns
 * once everything due at the new time has run, so that the test can look at the state at that time;
 * {@link #runCurrent()} runs what is due now; {@link #now()} reads the clock. From a coroutine running
 * on the loop, {@code await(time.advance(d))} does what {@code advanceBy(d)} does.
 *
 * <pre>{@code
 * Task<Void> ticker = loop.createTask(TickerTestAsync.tick(ticks)); // a tick every second
 * time.advanceBy(Duration.ofSeconds(10));
 * assertEquals(10, ticks.get());       // the tick due at 10 s has run
 * time.advanceBy(Duration.ofSeconds(10));
 * assertEquals(20, ticks.get());
 * assertEquals(Duration.ofSeconds(20), time.now());
 * }</pre>
 *
 * <p>"Everything due at a time has run" means: the loop is idle at that time ({@link
 * EventLoop#callWhenIdle}): no callback ready, no timer due, no work of the loop's running on another
 * thread; what those callbacks scheduled for the same time has run too. Unlike Kotlin's {@code
 * advanceTimeBy}, which stops short of the new time, the tasks due exactly at the new time have run.
 *
 * <p>On a real clock ({@code @AsyncTest(realTime = true)}) the same calls wait for the time to pass.
 * Given to a test by {@link AsyncTestExtension} as a parameter, one per test, for the test's loop.
 *
 * <p>Threading: the thread that runs the test, which the loop belongs to; {@link #now()} and {@link
 * #loop()} from any thread.
 */
public final class TestTime {
  private final EventLoop loop;
  /** The loop's clock when the test started: zero on a virtual clock. */
  private final long origin;
  /** The promises of {@link #advance} not done yet, cancelled if the test times out. */
  private final List<Promise<Void>> pending = new ArrayList<>();
  /** Set when the test's timeout has passed: stepping the clock is refused from then on. */
  private volatile String timedOut;

  TestTime(EventLoop loop) {
    this.loop = loop;
    this.origin = loop.isVirtualTime() ? 0 : loop.nanoTime();
  }

  /**
   * The loop this clock belongs to. Threading: any thread.
   *
   * @return the test's loop
   */
  public EventLoop loop() {
    return loop;
  }

  /**
   * Whether the clock is virtual (the default of {@link AsyncTest}). Threading: any thread.
   *
   * @return {@code true} for a virtual clock
   */
  public boolean isVirtual() {
    return loop.isVirtualTime();
  }

  /**
   * The time since the test started, on the loop's clock: on a virtual clock, the virtual time (which
   * starts at zero with the loop, before the first {@code @BeforeEach}). Threading: any thread.
   *
   * @return the time elapsed on the loop's clock
   */
  public Duration now() {
    return Duration.ofNanos(loop.nanoTime() - origin);
  }

  /**
   * Runs the loop until its clock has moved {@code delta} forward and everything due until then has
   * run, including what falls due exactly at the new time; tasks due later stay where they are. A
   * virtual clock jumps from timer to timer, taking no real time; a real one waits. Coroutines the
   * test awaits elsewhere ({@code runUntilComplete}) progress meanwhile, as every task of the loop does.
   *
   * <p>Threading: the test's thread, while the loop is not running; from a coroutine on the loop, await
   * {@link #advance(Duration)} instead.
   *
   * @param delta how far to move the clock; zero runs what is due now ({@link #runCurrent()})
   * @throws IllegalArgumentException if {@code delta} is negative
   * @throws IllegalStateException if the loop is running (call it from a coroutine: await {@link
   *     #advance(Duration)}), or if the test has timed out
   * @throws io.awaitj.CancelledError if the test's timeout passes meanwhile (the test then fails with
   *     the timeout)
   */
  public void advanceBy(Duration delta) {
    if (loop.isRunning()) {
      throw new IllegalStateException(
          "the loop is running: from a coroutine, await(time.advance(" + delta + ")) instead");
    }
    loop.runUntilComplete(advance(delta));
  }

  /**
   * Runs what is due now: every callback and task that is ready, and what they make ready at the same
   * time, without moving the clock; {@code advanceBy(Duration.ZERO)}. Threading: as {@link
   * #advanceBy}.
   *
   * @throws IllegalStateException as {@link #advanceBy}
   */
  public void runCurrent() {
    advanceBy(Duration.ZERO);
  }

  /**
   * A promise of the loop completed once the clock has moved {@code delta} forward from now and
   * everything due until then has run (as {@link #advanceBy} returns): for a coroutine on the loop,
   * {@code await(time.advance(Duration.ofSeconds(10)))}. Nothing happens until the loop runs; it is
   * cancelled if the test times out first. On a virtual clock, awaiting it is a sleep that wakes last
   * among what is due at its time.
   *
   * <p>Threading: the test's thread (the loop's), running the loop or not.
   *
   * @param delta how far to move the clock
   * @return a promise completed with {@code null} at that time, once the loop is idle
   * @throws IllegalArgumentException if {@code delta} is negative
   * @throws IllegalStateException if the test has timed out, or if called from another thread
   */
  public Promise<Void> advance(Duration delta) {
    if (delta.isNegative()) {
      throw new IllegalArgumentException("cannot move the clock back: " + delta);
    }
    String t = timedOut;
    if (t != null) {
      throw new IllegalStateException("the test has timed out: " + t);
    }
    Promise<Void> done = loop.createPromise();
    long now = loop.nanoTime();
    long nanos;
    try {
      nanos = delta.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    long target = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    pending.add(done);
    loop.callAt(
        target,
        () ->
            loop.callWhenIdle(
                () -> {
                  pending.remove(done);
                  if (!done.isDone()) {
                    done.complete(null);
                  }
                }));
    return done;
  }

  /** The test timed out ({@code message} says how): cancels what waits on the clock. Loop thread. */
  void timedOut(String message) {
    timedOut = message;
    for (Promise<Void> p : List.copyOf(pending)) {
      p.cancel("the test timed out");
    }
    pending.clear();
  }

  @Override
  public String toString() {
    return "TestTime[" + (isVirtual() ? "virtual" : "real") + ", now=" + now() + "]";
  }
}
