package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;

/**
 * {@code Aio.createTask} schedules a coroutine at once, but the loop is single-threaded:
 * the task first runs when the code that created it awaits something. So "main start / main end"
 * print before any task's output, and awaiting the tasks one after another still takes only as long
 * as the slowest.
 *
 * <p>What to watch for: the tasks start in the order they were created, at the first await of
 * {@code run}; they finish in the order of their delays; the awaits in {@code run} just collect them.
 */
public final class CreateTask {
  private CreateTask() {}

  @Async
  static Coroutine<Integer> work(String name, long millis, Stopwatch watch, PrintStream out) {
    out.println(name + " starts at " + watch);
    await(Aio.sleep(millis));
    out.println(name + " ends at " + watch);
    return done((int) millis);
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    out.println("main start");
    Task<Integer> slow = Aio.createTask(work("slow", 2000, watch, out), "slow");
    Task<Integer> fast = Aio.createTask(work("fast", 1000, watch, out), "fast");
    out.println("main end: " + slow.name() + " and " + fast.name() + " are scheduled, not run yet");
    int s = await(slow);
    out.println("awaited slow (" + s + ") at " + watch);
    int f = await(fast); // already done: returns at once
    out.println("awaited fast (" + f + ") at " + watch);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(CreateTaskAsync.run(System.out));
  }
}
