package io.awaitj.benchmarks;

import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.TimerHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Timeouts: {@code n} timers of one delay, as the timeouts of a server's requests are. {@link
 * #cancelled}: made, then cancelled in the order they were made (what a timeout that does not fire
 * costs: it is cancelled when its work ends, oldest first); {@link #fired}: made on a virtual-clock
 * loop and run until all have fired. The time is of one invocation, {@code n} timers; divide by
 * {@code n} for one. Compare {@link TimerBenchmark}, whose timers have a thousand different delays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TimeoutBenchmark {
  private static final Runnable NOOP = () -> {};

  /** The delay of every timer of {@link #cancelled}: they are all cancelled long before. */
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** The delay of every timer of {@link #fired}. */
  private static final Duration ONE_MS = Duration.ofMillis(1);

  /** Timers per invocation. */
  @Param({"1000", "100000", "1000000"})
  public int n;

  private TimerHandle[] handles;
  private final TimerBenchmark.Countdown countdown = new TimerBenchmark.Countdown();
  private EventLoop loop;
  private EventLoop virtualLoop;

  /** The array of handles, once. */
  @Setup(Level.Trial)
  public void makeArray() {
    handles = new TimerHandle[n];
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
   * Makes {@code n} timers of 30 s, then cancels them oldest first.
   *
   * @return the last handle
   */
  @Benchmark
  public Object cancelled() {
    EventLoop l = loop;
    TimerHandle[] h = handles;
    int count = n;
    for (int i = 0; i < count; i++) {
      h[i] = l.callLater(LIMIT, NOOP);
    }
    for (int i = 0; i < count; i++) {
      h[i].cancel();
    }
    return h[count - 1];
  }

  /**
   * Makes {@code n} timers of 1 ms on a virtual-clock loop and runs it until all have fired.
   *
   * @return the virtual time at the end
   */
  @Benchmark
  public long fired() {
    EventLoop l = virtualLoop;
    Promise<Object> done = l.createPromise();
    int count = n;
    countdown.reset(count, done);
    for (int i = 0; i < count; i++) {
      l.callLater(ONE_MS, countdown);
    }
    l.runUntilComplete(done);
    return l.nanoTime();
  }
}
