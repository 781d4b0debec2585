package io.awaitj.benchmarks;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.TimerHandle;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Timers: the heap under schedule/cancel (what every timeout that does not fire costs), timers run on
 * a virtual clock, and {@code Aio.sleep(d)} with a positive delay. Each invocation handles {@value
 * #TIMERS} timers, due in a shuffled order, so the heap is exercised rather than appended to.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TimerBenchmark {
  /** Timers per invocation. */
  public static final int TIMERS = 1_000;

  private static final Runnable NOOP = () -> {};
  private static final Duration ONE_MS = Duration.ofMillis(1);

  /** Delays 1..TIMERS ms, shuffled with a fixed seed; preallocated, so no Duration is measured. */
  private final Duration[] delays = new Duration[TIMERS];

  private final TimerHandle[] handles = new TimerHandle[TIMERS];
  private final Countdown countdown = new Countdown();
  private EventLoop loop;
  private EventLoop virtualLoop;

  /** Builds the shuffled delays. */
  @Setup(Level.Trial)
  public void makeDelays() {
    for (int i = 0; i < TIMERS; i++) {
      delays[i] = Duration.ofMillis(i + 1);
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = TIMERS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Duration d = delays[i];
      delays[i] = delays[j];
      delays[j] = d;
    }
  }

  /** Fresh loops per iteration, made on the thread that runs the iteration. */
  @Setup(Level.Iteration)
  public void setUp() {
    loop = EventLoop.create();
    virtualLoop = EventLoop.createVirtual();
  }

  /** Closes the iteration's loops. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    loop.close();
    virtualLoop.close();
  }

  /**
   * Schedules {@value #TIMERS} timers with {@code callLater}, then cancels them all in scheduling
   * order (not deadline order). One operation is one timer scheduled and cancelled.
   *
   * @return the last handle
   */
  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public Object scheduleAndCancel() {
    EventLoop l = loop;
    TimerHandle[] h = handles;
    for (int i = 0; i < TIMERS; i++) {
      h[i] = l.callLater(delays[i], NOOP);
    }
    for (int i = 0; i < TIMERS; i++) {
      h[i].cancel();
    }
    return h[TIMERS - 1];
  }

  /**
   * Schedules {@value #TIMERS} timers on a virtual-clock loop and runs the loop until all have fired.
   * One operation is one timer scheduled, due, and run.
   *
   * @return the virtual time at the end
   */
  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public long scheduleAndRun() {
    EventLoop l = virtualLoop;
    Promise<Object> done = l.createPromise();
    countdown.reset(TIMERS, done);
    for (int i = 0; i < TIMERS; i++) {
      l.callLater(delays[i], countdown);
    }
    l.runUntilComplete(done);
    return l.nanoTime();
  }

  /**
   * One task doing {@code await(Aio.sleep(Duration.ofMillis(1)))} {@value #TIMERS} times on a
   * virtual-clock loop. One operation is one sleep: timer, promise, suspension and resumption.
   *
   * @return the task's result
   */
  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public Object sleepLoop() {
    return virtualLoop.runUntilComplete(new SleepLoop(ONE_MS, TIMERS));
  }

  /** A timer callback that completes a promise when it has run a given number of times. */
  static final class Countdown implements Runnable {
    private int left;
    private Promise<Object> done;

    void reset(int n, Promise<Object> done) {
      this.left = n;
      this.done = done;
    }

    @Override
    public void run() {
      if (--left == 0) {
        done.complete(null);
      }
    }
  }

  /** {@code for (int i = 0; i < n; i++) await(Aio.sleep(delay)); return done(null);} */
  static final class SleepLoop extends Coroutine<Object> {
    private final Duration delay;
    private final int n;
    private int i;

    SleepLoop(Duration delay, int n) {
      this.delay = delay;
      this.n = n;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return null;
            }
            state = 2;
            if (suspendOn(Aio.sleep(delay))) {
              return SUSPEND;
            }
            // fall through
          case 2:
            awaitResult();
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }
}
