package io.awaitj.benchmarks;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Awaits that never leave {@code step()}: a promise that is already completed, and a coroutine that runs
 * to its end inline. One operation is one await by the outermost coroutine; each invocation runs one task
 * that performs {@value #AWAITS} of them in its own loop, so the task's creation is amortised to noise.
 *
 * <p>Every awaited value goes into JMH's {@link Blackhole}: otherwise the JIT sees that the loop of
 * awaits of one completed promise computes nothing, and folds it away (JDK 25 reported 0.03 ns per
 * await, for no await at all).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AwaitBenchmark {
  /** Awaits per invocation. */
  public static final int AWAITS = 10_000;

  /** What the completed promise holds: preallocated, so no boxing is measured. */
  static final Object VALUE = new Object();

  /** The parameter of {@link #inlineCoroutine}, in its own state so the other benchmark is not run per depth. */
  @State(Scope.Thread)
  public static class ChainDepth {
    /** How many coroutines, one awaiting the next, each await of the outer loop starts. */
    @Param({"1", "10"})
    public int depth;
  }

  private EventLoop loop;
  private Promise<Object> completed;

  /**
   * A fresh loop per iteration, made on the thread that runs the iteration (a loop belongs to the thread
   * that made it).
   */
  @Setup(Level.Iteration)
  public void setUp() {
    loop = EventLoop.create();
    completed = loop.createPromise();
    completed.complete(VALUE);
  }

  /** Closes the iteration's loop. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    loop.close();
  }

  /**
   * One coroutine awaiting an already completed promise {@value #AWAITS} times: the fast path, which
   * must neither suspend nor allocate.
   *
   * @return the last awaited value
   */
  @Benchmark
  @OperationsPerInvocation(AWAITS)
  public Object completedPromise(Blackhole bh) {
    return loop.runUntilComplete(new AwaitPromiseLoop(completed, AWAITS, bh));
  }

  /**
   * One coroutine awaiting, {@value #AWAITS} times, a fresh chain of {@code depth} coroutines whose
   * innermost awaits the completed promise: every link runs inline and finishes without suspending.
   * The only allocation expected is the chain's coroutine objects themselves.
   *
   * @param chain the depth of the chain
   * @return the last awaited value
   */
  @Benchmark
  @OperationsPerInvocation(AWAITS)
  public Object inlineCoroutine(ChainDepth chain, Blackhole bh) {
    return loop.runUntilComplete(new AwaitChainLoop(completed, chain.depth, AWAITS, bh));
  }

  /**
   * {@code for (int i = 0; i < n; i++) { last = await(p); bh.consume(last); } return done(last);}: the
   * hand-written form of what the processor emits for a loop around an await (its locals aside, which
   * the processor keeps in fields).
   */
  static final class AwaitPromiseLoop extends Coroutine<Object> {
    private final Promise<Object> p;
    private final int n;
    private final Blackhole bh;
    private int i;
    private Object last;

    AwaitPromiseLoop(Promise<Object> p, int n, Blackhole bh) {
      this.p = p;
      this.n = n;
      this.bh = bh;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        Object awaited = SUSPEND; // what awaitNow gave, for the resume label it falls through into
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return last;
            }
            state = 2;
            if ((awaited = awaitNow(p)) == SUSPEND) {
              return SUSPEND;
            }
            // fall through
          case 2:
            last = awaitedValue(awaited);
            bh.consume(last);
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /**
   * {@code for (int i = 0; i < n; i++) { last = await(chain(depth, p)); bh.consume(last); } return
   * done(last);}
   */
  static final class AwaitChainLoop extends Coroutine<Object> {
    private final Promise<Object> p;
    private final int depth;
    private final int n;
    private final Blackhole bh;
    private int i;
    private Object last;

    AwaitChainLoop(Promise<Object> p, int depth, int n, Blackhole bh) {
      this.p = p;
      this.depth = depth;
      this.n = n;
      this.bh = bh;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        Object awaited = SUSPEND; // what awaitNow gave, for the resume label it falls through into
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return last;
            }
            state = 2;
            if ((awaited = awaitNow(new Chain(depth, p))) == SUSPEND) {
              return SUSPEND;
            }
            // fall through
          case 2:
            last = awaitedValue(awaited);
            bh.consume(last);
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /**
   * {@code chain(d, p)}: {@code return done(d == 1 ? await(p) : await(chain(d - 1, p)));}, a coroutine
   * that completes inline when {@code p} is completed.
   */
  static final class Chain extends Coroutine<Object> {
    private final int d;
    private final Promise<Object> p;

    Chain(int d, Promise<Object> p) {
      this.d = d;
      this.p = p;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      Object awaited = SUSPEND;
      switch (state) {
        case 0:
          state = 1;
          if ((awaited = awaitNow(d == 1 ? p : new Chain(d - 1, p))) == SUSPEND) {
            return SUSPEND;
          }
          // fall through
        case 1:
          return awaitedValue(awaited);
        default:
          throw illegalState();
      }
    }
  }
}
