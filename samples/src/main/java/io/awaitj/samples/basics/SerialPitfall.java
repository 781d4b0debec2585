package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic pitfall, {@code await(Aio.createTask(...))} inside a loop. Each task is
 * awaited before the next one is even created, so they run one after another: three times slower
 * than creating all the tasks first and awaiting them afterwards.
 *
 * <p>What to watch for: javac warns about the first loop ({@code awaitj-serial}); it is suppressed
 * here because showing the mistake is the point.
 */
public final class SerialPitfall {
  private SerialPitfall() {}

  @Async
  static Coroutine<Integer> fetch(int id) {
    await(Aio.sleep(1000));
    return done(id * 10);
  }

  @Async
  @SuppressWarnings("awaitj-serial")
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    List<Integer> serial = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      serial.add(await(Aio.createTask(fetch(id)))); // the mistake: waits here every time
    }
    out.println("await(createTask) in a loop:  " + serial + " in " + watch);

    watch = Timed.start();
    List<Task<Integer>> tasks = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      tasks.add(Aio.createTask(fetch(id))); // all three start ...
    }
    List<Integer> concurrent = new ArrayList<>();
    for (Task<Integer> t : tasks) {
      concurrent.add(await(t)); // ... and are collected here
    }
    out.println("create all, then await:       " + concurrent + " in " + watch);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(SerialPitfallAsync.run(System.out));
  }
}
