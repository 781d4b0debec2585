package io.awaitj.benchmarks;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Suspension and resumption through the loop: yielding with {@code Aio.sleep(0)}, a ping-pong between
 * two tasks through promises, and starting tasks. Each invocation performs {@value #ROUNDS} operations.
 *
 * <p>The yield and ping-pong run on a real-clock loop (what production code runs on) and on a
 * virtual-clock one: both run the same code, except that the real loop reads {@code System.nanoTime()}
 * once per pass, so the difference is the price of that read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LoopBenchmark {
  /** Operations per invocation. */
  public static final int ROUNDS = 10_000;

  /** The ball of the ping-pong: preallocated, so no boxing is measured. */
  static final Object BALL = new Object();

  private EventLoop loop;

  /** A fresh loop per iteration, made on the thread that runs the iteration. */
  @Setup(Level.Iteration)
  public void setUp() {
    loop = EventLoop.create();
  }

  /** Closes the iteration's loop. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    loop.close();
  }

  /** A loop on the clock given by the parameter, for the benchmarks that compare both. */
  @State(Scope.Thread)
  public static class ClockedLoop {
    /** {@code real}: {@link EventLoop#create()}; {@code virtual}: {@link EventLoop#createVirtual()}. */
    @Param({"real", "virtual"})
    public String clock;

    EventLoop loop;

    /** A fresh loop per iteration, made on the thread that runs the iteration. */
    @Setup(Level.Iteration)
    public void setUp() {
      loop = clock.equals("virtual") ? EventLoop.createVirtual() : EventLoop.create();
    }

    /** Closes the iteration's loop. */
    @TearDown(Level.Iteration)
    public void tearDown() {
      loop.close();
    }
  }

  /**
   * One task doing {@code await(Aio.sleep(0))} {@value #ROUNDS} times. One operation is one round trip
   * through the loop: suspend, one pass of the loop, resume.
   *
   * @param clocked the loop to run on
   * @return the task's result
   */
  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public Object yieldLoop(ClockedLoop clocked) {
    return clocked.loop.runUntilComplete(new YieldLoop(ROUNDS));
  }

  /**
   * Two tasks passing a ball through promises, {@value #ROUNDS} times each way: each side creates the
   * promise it then awaits, the other side completes it. One operation is one round trip (two
   * suspensions, two resumptions, two promises).
   *
   * @param clocked the loop to run on
   * @return the pinger's result
   */
  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public Object pingPong(ClockedLoop clocked) {
    EventLoop l = clocked.loop;
    Court court = new Court();
    l.createTask(new Ponger(court, ROUNDS));
    return l.runUntilComplete(new Pinger(court, ROUNDS));
  }

  /**
   * {@value #ROUNDS} tasks created, each running a coroutine that returns at once, all run in one pass
   * of the loop. One operation is one task created, run to its end, and completed.
   *
   * @return the last task's result
   */
  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public Object createTask() {
    Task<Object> last = null;
    for (int i = 0; i < ROUNDS; i++) {
      last = loop.createTask(new Return(BALL));
    }
    return loop.runUntilComplete(last);
  }

  /** {@code for (int i = 0; i < n; i++) await(Aio.sleep(Duration.ZERO)); return done(n);} */
  static final class YieldLoop extends Coroutine<Object> {
    private final int n;
    private int i;

    YieldLoop(int n) {
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
              return BALL;
            }
            state = 2;
            if (suspendOn(Aio.sleep(Duration.ZERO))) {
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

  /** Where the two players of the ping-pong find each other's promise. */
  static final class Court {
    /** What the ponger awaits; completed by the pinger. */
    Promise<Object> ping;

    /** What the pinger awaits; completed by the ponger. */
    Promise<Object> pong;
  }

  /**
   * {@code for (i < n) { court.pong = createPromise(); court.ping.complete(BALL); await(court.pong); }}.
   * Runs after the ponger has published its first {@code ping}.
   */
  static final class Pinger extends Coroutine<Object> {
    private final Court court;
    private final int n;
    private int i;
    private Object last;

    Pinger(Court court, int n) {
      this.court = court;
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
              return last;
            }
            Promise<Object> pong = loop().createPromise();
            court.pong = pong;
            court.ping.complete(BALL);
            state = 2;
            if (suspendOn(pong)) {
              return SUSPEND;
            }
            // fall through
          case 2:
            last = awaitResult();
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** {@code for (i < n) { court.ping = createPromise(); b = await(court.ping); court.pong.complete(b); }} */
  static final class Ponger extends Coroutine<Object> {
    private final Court court;
    private final int n;
    private int i;

    Ponger(Court court, int n) {
      this.court = court;
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
            Promise<Object> ping = loop().createPromise();
            court.ping = ping;
            state = 2;
            if (suspendOn(ping)) {
              return SUSPEND;
            }
            // fall through
          case 2:
            Object ball = awaitResult();
            court.pong.complete(ball);
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** {@code return done(value);} */
  static final class Return extends Coroutine<Object> {
    private final Object value;

    Return(Object value) {
      this.value = value;
    }

    @Override
    protected Object step() {
      return value;
    }
  }
}
