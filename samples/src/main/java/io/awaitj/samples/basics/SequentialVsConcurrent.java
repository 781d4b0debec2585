package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.util.List;

/**
 * Three one-second downloads awaited one by one take about 3 s; started as tasks, or
 * handed to {@code gather}, they run concurrently and take about 1 s, on one thread.
 *
 * <p>What to watch for: {@code await(download(...))} runs the download to its end before the next line
 * starts; {@code Aio.createTask} schedules it at once and lets the caller go on, so the three sleeps
 * overlap.
 */
public final class SequentialVsConcurrent {
  private SequentialVsConcurrent() {}

  /** Stands for a download that takes a second. */
  @Async
  static Coroutine<String> download(String name) {
    await(Aio.sleep(1000));
    return done(name + ".zip");
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    String a = await(download("a"));
    String b = await(download("b"));
    String c = await(download("c"));
    out.println("one by one:   " + List.of(a, b, c) + " in " + watch);

    watch = Timed.start();
    Task<String> ta = Aio.createTask(download("a"));
    Task<String> tb = Aio.createTask(download("b"));
    Task<String> tc = Aio.createTask(download("c"));
    out.println("createTask:   " + List.of(await(ta), await(tb), await(tc)) + " in " + watch);

    watch = Timed.start();
    List<String> all = await(Aio.gather(download("a"), download("b"), download("c")));
    out.println("gather:       " + all + " in " + watch);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(SequentialVsConcurrentAsync.run(System.out));
  }
}
