package io.awaitj.samples.combinators;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Result;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code Aio.gather} runs awaitables concurrently and returns their results in argument
 * order, whatever order they finish in. With the default semantics the first failure fails the
 * gather at once (the others keep running); {@code gatherSettled}, asyncio's
 * {@code return_exceptions=True}, waits for all and returns each outcome as a {@link Result}.
 *
 * <p>What to watch for: "finished" lines come out in completion order (3, 1, 2), the result list in
 * argument order (1, 2, 3).
 */
public final class GatherResults {
  private GatherResults() {}

  @Async
  static Coroutine<Integer> job(int id, long millis, PrintStream out) {
    await(Aio.sleep(millis));
    if (id < 0) {
      out.println("job " + id + " fails");
      throw new IllegalArgumentException("job " + id + " cannot run");
    }
    out.println("job " + id + " finished");
    return done(id);
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    List<Integer> results =
        await(Aio.gather(job(1, 2000, out), job(2, 3000, out), job(3, 1000, out)));
    out.println("gather: " + results + " in " + watch);

    watch = Timed.start();
    try {
      await(Aio.gather(job(4, 2000, out), job(-1, 1000, out)));
    } catch (IllegalArgumentException e) {
      out.println("gather failed at " + watch + ": " + e.getMessage());
    }
    // job 4 was not cancelled: it finishes while this sleep runs.
    await(Aio.sleep(1500));

    watch = Timed.start();
    List<Result<Integer>> settled =
        await(Aio.gatherSettled(job(5, 2000, out), job(-2, 1000, out)));
    for (Result<Integer> r : settled) {
      out.println(r.isSuccess() ? "settled: value " + r.value()
          : "settled: failure " + r.exception().getMessage());
    }
    out.println("gatherSettled in " + watch);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(GatherResultsAsync.run(System.out));
  }
}
