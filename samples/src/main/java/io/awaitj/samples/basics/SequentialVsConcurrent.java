package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
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
  static Coroutine<List<String>> oneByOne() {
    String a = await(download("a"));
    String b = await(download("b"));
    String c = await(download("c"));
    return done(List.of(a, b, c));
  }

  @Async
  static Coroutine<List<String>> withTasks() {
    Task<String> a = Aio.createTask(download("a"));
    Task<String> b = Aio.createTask(download("b"));
    Task<String> c = Aio.createTask(download("c"));
    return done(List.of(await(a), await(b), await(c)));
  }

  @Async
  static Coroutine<List<String>> withGather() {
    return done(await(Aio.gather(download("a"), download("b"), download("c"))));
  }

  /** Each way timed by {@link Timed#timed}, the tutorials' {@code async_timed}. */
  @Async
  public static Coroutine<Void> run(PrintStream out) {
    out.println("got " + await(Timed.timed("one by one", oneByOne(), out)));
    out.println("got " + await(Timed.timed("createTask", withTasks(), out)));
    out.println("got " + await(Timed.timed("gather", withGather(), out)));
    return done();
  }

  public static void main(String[] args) {
    Aio.run(SequentialVsConcurrentAsync.run(System.out));
  }
}
