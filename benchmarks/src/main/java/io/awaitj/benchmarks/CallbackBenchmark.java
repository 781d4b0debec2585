package io.awaitj.benchmarks;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Many waiters on one promise: its callback list. One operation is the whole round for {@code
 * waiters} waiters (divide by it for the cost per waiter): they register, the promise completes, and
 * every callback runs. If registering one waiter costs a constant, the time per waiter is the same at
 * 1,000, 10,000 and 100,000; if it scans the list, the time per waiter grows with their number. The
 * same holds for waiters that leave before the promise completes ({@link #cancelledShields}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CallbackBenchmark {
  /** What the promise completes with: preallocated, so no boxing is measured. */
  static final Object VALUE = new Object();

  /** How many waiters one promise has. */
  @Param({"1000", "10000", "100000"})
  public int waiters;

  private EventLoop loop;

  /** A fresh loop per iteration, made on the thread that runs the iteration. */
  @Setup(Level.Iteration)
  public void setUp() {
    loop = EventLoop.createVirtual();
  }

  /** Closes the iteration's loop. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    loop.close();
  }

  /**
   * {@code waiters} calls of {@code addDoneCallback} on one pending promise (the same consumer each
   * time: every registration counts), then the promise completes and the loop runs every callback.
   *
   * @return how many callbacks ran
   */
  @Benchmark
  public int doneCallbacks() {
    Promise<Object> p = loop.createPromise();
    Counter counter = new Counter(waiters, loop.createPromise());
    for (int i = 0; i < waiters; i++) {
      p.addDoneCallback(counter);
    }
    p.complete(VALUE);
    loop.runUntilComplete(counter.finished);
    return counter.calls;
  }

  /**
   * A shared promise awaited by {@code waiters} tasks: the tasks are created and each suspends on the
   * promise (one callback each), then it completes and every task resumes and ends.
   *
   * @return the last task's result
   */
  @Benchmark
  public Object waitingTasks() {
    Promise<Object> gate = loop.createPromise();
    Promise<Object> last = null;
    for (int i = 0; i < waiters; i++) {
      last = loop.createTask(new AwaitGate(gate));
    }
    loop.runUntilComplete(new Open(gate));
    return loop.runUntilComplete(last);
  }

  /**
   * {@code waiters} shields of one pending promise, each cancelled in the order they were made (as
   * {@code waitFor(shield(shared), timeout)} in as many tasks all timing out), then the promise
   * completes. Each cancelled shield stops listening to the promise: if that searches its callbacks,
   * the round costs O(waiters²) (asyncio's {@code remove_done_callback} does); counted and dropped
   * together, O(waiters).
   *
   * @return how many shields were cancelled
   */
  @Benchmark
  public int cancelledShields() {
    Promise<Object> shared = loop.createPromise();
    Promise<?>[] shields = new Promise<?>[waiters];
    for (int i = 0; i < waiters; i++) {
      shields[i] = Aio.shield(shared);
    }
    int cancelled = 0;
    for (Promise<?> s : shields) {
      if (s.cancel()) {
        cancelled++;
      }
    }
    shared.complete(VALUE);
    loop.runUntilComplete(shared);
    return cancelled;
  }

  /** Counts its calls and completes {@code finished} at the last one. */
  static final class Counter implements Consumer<Promise<Object>> {
    final int expected;
    final Promise<Object> finished;
    int calls;

    Counter(int expected, Promise<Object> finished) {
      this.expected = expected;
      this.finished = finished;
    }

    @Override
    public void accept(Promise<Object> p) {
      if (++calls == expected) {
        finished.complete(VALUE);
      }
    }
  }

  /** {@code return await(gate);} */
  static final class AwaitGate extends Coroutine<Object> {
    private final Promise<Object> gate;

    AwaitGate(Promise<Object> gate) {
      this.gate = gate;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            state = 1;
            if (suspendOn(gate)) {
              return SUSPEND;
            }
            // fall through
          case 1:
            return awaitResult();
          default:
            throw illegalState();
        }
      }
    }
  }

  /**
   * Runs after every waiting task has started (they were created first, so they run first in the same
   * pass) and suspended on the gate: opens it. {@code gate.complete(VALUE); return null;}
   */
  static final class Open extends Coroutine<Object> {
    private final Promise<Object> gate;

    Open(Promise<Object> gate) {
      this.gate = gate;
    }

    @Override
    protected Object step() {
      gate.complete(VALUE);
      return null;
    }
  }
}
