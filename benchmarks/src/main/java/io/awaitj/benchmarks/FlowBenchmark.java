package io.awaitj.benchmarks;

import io.awaitj.EventLoop;
import io.awaitj.flow.Flows;
import java.util.ArrayList;
import java.util.List;
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
 * The cost per element of {@code io.awaitj.flow}'s operators over a ready source: {@code
 * Flows.of(list).map(f).filter(p).toList()} over {@value #ELEMENTS} elements boxed beforehand, {@code
 * f} returning its element, {@code p} keeping every other one; one operation is one element of the
 * source. What {@code gc.alloc.rate.norm} sees is the result list's growing array (half a million
 * references, copied as the {@code ArrayList} grows by half: about 6.5 B per source element); the
 * operators themselves allocate nothing per element ({@code FlowAllocationTest} in the runtime).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FlowBenchmark {
  /** Elements per invocation. */
  public static final int ELEMENTS = 1_000_000;

  private final List<Integer> source = new ArrayList<>(ELEMENTS);
  private EventLoop loop;

  /** The source, boxed once. */
  @Setup
  public void fill() {
    for (int i = 0; i < ELEMENTS; i++) {
      source.add(i);
    }
  }

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

  /** {@code map + filter + toList} over a million ready elements. */
  @Benchmark
  @OperationsPerInvocation(ELEMENTS)
  public List<Integer> mapFilterToList() {
    return loop.runUntilComplete(
        Flows.of(source).map(i -> i).filter(i -> (i & 1) == 0).toList());
  }
}
