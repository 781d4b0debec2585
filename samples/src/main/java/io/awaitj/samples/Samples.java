package io.awaitj.samples;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.samples.basics.CreateTask;
import io.awaitj.samples.basics.CreateTaskAsync;
import io.awaitj.samples.basics.LazyCoroutines;
import io.awaitj.samples.basics.LazyCoroutinesAsync;
import io.awaitj.samples.basics.LoopByHand;
import io.awaitj.samples.basics.Promises;
import io.awaitj.samples.basics.PromisesAsync;
import io.awaitj.samples.basics.SequentialVsConcurrent;
import io.awaitj.samples.basics.SequentialVsConcurrentAsync;
import io.awaitj.samples.basics.SerialPitfall;
import io.awaitj.samples.basics.SerialPitfallAsync;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.TimedAsync;
import io.awaitj.samples.cancellation.Cancellation;
import io.awaitj.samples.cancellation.CancellationAsync;
import io.awaitj.samples.combinators.AsCompletedProgress;
import io.awaitj.samples.combinators.AsCompletedProgressAsync;
import io.awaitj.samples.combinators.GatherResults;
import io.awaitj.samples.combinators.GatherResultsAsync;
import io.awaitj.samples.combinators.Timeouts;
import io.awaitj.samples.combinators.TimeoutsAsync;
import io.awaitj.samples.combinators.WaitModes;
import io.awaitj.samples.combinators.WaitModesAsync;
import io.awaitj.samples.interop.BlockingCalls;
import io.awaitj.samples.interop.BlockingCallsAsync;
import io.awaitj.samples.interop.Futures;
import io.awaitj.samples.interop.FuturesAsync;
import io.awaitj.samples.io.ChatServer;
import io.awaitj.samples.io.ChatServerAsync;
import io.awaitj.samples.io.FileIo;
import io.awaitj.samples.io.FileIoAsync;
import io.awaitj.samples.io.HttpRequests;
import io.awaitj.samples.io.HttpRequestsAsync;
import io.awaitj.samples.structured.AsyncFor;
import io.awaitj.samples.structured.AsyncForAsync;
import io.awaitj.samples.structured.AsyncGenerators;
import io.awaitj.samples.structured.AsyncGeneratorsAsync;
import io.awaitj.samples.structured.AsyncWith;
import io.awaitj.samples.structured.AsyncWithAsync;
import io.awaitj.samples.structured.TaskGroups;
import io.awaitj.samples.structured.TaskGroupsAsync;
import io.awaitj.samples.sync.Primitives;
import io.awaitj.samples.sync.PrimitivesAsync;
import io.awaitj.samples.sync.ProducerConsumer;
import io.awaitj.samples.sync.ProducerConsumerAsync;
import io.awaitj.samples.testing.VirtualTime;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every sample, in the order the tour runs them. Each sample's own {@code main} runs it on the real
 * clock; the tour and the tests run it through {@link Sample#run}, on a loop they choose: the tour
 * on the real clock, {@code SamplesTest} on a virtual one wherever the sample sleeps.
 */
public final class Samples {
  private Samples() {}

  /** Runs a sample, printing to {@code out}, on a loop made by {@code newLoop}. */
  @FunctionalInterface
  public interface Runner {
    void run(PrintStream out, Supplier<EventLoop> newLoop) throws Exception;
  }

  /**
   * One sample.
   *
   * @param type the sample's class, whose simple name {@code Tour} and {@code -Dsample=} take
   * @param idiom what it shows, for the tour's header
   * @param realClockOnly whether it needs the real clock (work on threads that should take time)
   * @param runner how to run it
   */
  public record Sample(Class<?> type, String idiom, boolean realClockOnly, Runner runner) {
    /** The class's simple name. */
    public String name() {
      return type.getSimpleName();
    }

    /** Runs it on a loop made by {@code newLoop}. */
    public void run(PrintStream out, Supplier<EventLoop> newLoop) throws Exception {
      runner.run(out, newLoop);
    }
  }

  /** A sample whose body is one coroutine: run until complete on a new loop, which is then closed. */
  static Runner coroutine(Function<PrintStream, Coroutine<Void>> body) {
    return (out, newLoop) -> {
      EventLoop loop = newLoop.get();
      try {
        loop.runUntilComplete(body.apply(out));
      } finally {
        loop.close();
      }
    };
  }

  static Sample sample(Class<?> type, String idiom, Function<PrintStream, Coroutine<Void>> body) {
    return new Sample(type, idiom, false, coroutine(body));
  }

  public static final List<Sample> ALL = List.of(
      sample(SequentialVsConcurrent.class, "one by one vs concurrently (createTask, gather)",
          SequentialVsConcurrentAsync::run),
      sample(LazyCoroutines.class, "a coroutine runs only when awaited, and only once",
          LazyCoroutinesAsync::run),
      sample(CreateTask.class, "createTask schedules at once; the task runs at the next await",
          CreateTaskAsync::run),
      sample(SerialPitfall.class, "await(createTask(...)) in a loop runs one after another",
          SerialPitfallAsync::run),
      sample(GatherResults.class, "gather: argument order, failures, gatherSettled",
          GatherResultsAsync::run),
      sample(AsCompletedProgress.class, "asCompleted: results as they finish, with a timeout",
          AsCompletedProgressAsync::run),
      sample(WaitModes.class, "wait: ALL_COMPLETED, FIRST_EXCEPTION, FIRST_COMPLETED",
          WaitModesAsync::run),
      sample(Timeouts.class, "waitFor and the timeout scope", TimeoutsAsync::run),
      sample(Promises.class, "a Promise (asyncio's Future) completed by a coroutine and a callback",
          PromisesAsync::run),
      new Sample(LoopByHand.class, "the loop by hand: create, run until complete, close", false,
          (out, newLoop) -> LoopByHand.run(out, newLoop.get())),
      new Sample(BlockingCalls.class, "blocking calls: on the loop vs toThread / runInExecutor", true,
          coroutine(BlockingCallsAsync::run)),
      sample(Timed.class, "a timing wrapper, the tutorials' async_timed", TimedAsync::run),
      new Sample(HttpRequests.class, "HTTP with HttpClient against a server started on 127.0.0.1",
          true, coroutine(HttpRequestsAsync::run)),
      sample(FileIo.class, "files: write, read back, stream a large file line by line",
          FileIoAsync::run),
      sample(AsyncWith.class, "async with: an AsyncCloseable exited normally, by exception, by cancel",
          AsyncWithAsync::run),
      sample(AsyncFor.class, "async for: pages fetched over time, a queue drained", AsyncForAsync::run),
      sample(AsyncGenerators.class, "async generators: pages over HTTP, leaving early, operators, a file",
          AsyncGeneratorsAsync::run),
      sample(ProducerConsumer.class, "Queue: producer/consumers, back-pressure, join",
          ProducerConsumerAsync::run),
      sample(Primitives.class, "Semaphore, Event, Lock, Condition, Barrier", PrimitivesAsync::run),
      sample(TaskGroups.class, "TaskGroup: structured concurrency", TaskGroupsAsync::run),
      sample(Futures.class, "interop: CompletableFuture in, CompletableFuture out", FuturesAsync::run),
      sample(Cancellation.class, "cancel, finally, CancelledError is not an Exception, shield",
          CancellationAsync::run),
      new Sample(VirtualTime.class, "virtual time: an hour in milliseconds, a deadlock reported", false,
          (out, newLoop) -> VirtualTime.run(out)),
      sample(ChatServer.class, "a chat server and three clients over TCP on 127.0.0.1",
          ChatServerAsync::run));

  /** The sample called {@code name} (case-insensitive). */
  public static Sample named(String name) {
    for (Sample s : ALL) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no sample named " + name + "; the samples: "
        + ALL.stream().map(Sample::name).toList());
  }
}
