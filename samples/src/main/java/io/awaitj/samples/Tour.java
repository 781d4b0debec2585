package io.awaitj.samples;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tour the README runs: @Async methods compiled by the awaitj processor in this module's normal
 * Maven build, run on the event loop.
 */
public final class Tour {
  private Tour() {}

  /** A worker that takes {@code millis} to produce its answer. */
  @Async
  static Coroutine<String> worker(String name, long millis) {
    await(Aio.sleep(millis));
    return done(name + " finished after " + millis + " ms");
  }

  /** Starts three workers concurrently and collects their results in order. */
  @Async
  static Coroutine<List<String>> main() {
    long start = System.nanoTime();
    List<Task<String>> tasks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      tasks.add(Aio.createTask(worker("worker-" + i, 100L * (4 - i))));
    }
    List<String> results = new ArrayList<>();
    for (Task<String> t : tasks) {
      results.add(await(t));
    }
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    results.add("all three in " + elapsed + " ms (concurrently, on one thread)");
    return done(results);
  }

  /** Runs the tour. */
  public static void main(String[] args) {
    System.out.println("awaitj tour");
    for (String line : Aio.run(TourAsync.main())) {
      System.out.println("  " + line);
    }
  }
}
