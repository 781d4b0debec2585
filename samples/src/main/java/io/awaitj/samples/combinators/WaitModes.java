package io.awaitj.samples.combinators;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.ReturnWhen;
import io.awaitj.Task;
import io.awaitj.WaitResult;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code Aio.wait} returns which tasks are done and which are pending, and never throws
 * their failures: you inspect each task ({@code isSuccess()}, {@code result()}, {@code exception()}).
 * {@code ALL_COMPLETED} waits for all, {@code FIRST_EXCEPTION} stops at the first failure,
 * {@code FIRST_COMPLETED} at the first task done, leaving the rest running, for you to cancel.
 *
 * <p>What to watch for: the done and pending sets are sets (no order), so the sample walks its own
 * list of tasks and asks each which set it is in.
 */
public final class WaitModes {
  private WaitModes() {}

  @Async
  static Coroutine<String> job(String name, long millis, boolean fail) {
    await(Aio.sleep(millis));
    if (fail) {
      throw new IllegalStateException(name + " broke");
    }
    return done(name + " ok");
  }

  /** Ordinary Java (not a template), so it calls the generated WaitModesAsync.job. */
  static List<Task<String>> start() {
    return List.of(
        Aio.createTask(WaitModesAsync.job("a", 1000, false), "a"),
        Aio.createTask(WaitModesAsync.job("b", 2000, true), "b"),
        Aio.createTask(WaitModesAsync.job("c", 3000, false), "c"));
  }

  static void report(List<Task<String>> tasks, WaitResult<Task<String>> w, PrintStream out) {
    for (Task<String> t : tasks) {
      String state;
      if (w.pending().contains(t)) {
        state = "pending";
      } else if (t.isSuccess()) {
        state = "result " + t.result();
      } else {
        state = "exception " + t.exception().getMessage();
      }
      out.println("  " + t.name() + ": " + state);
    }
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    List<Task<String>> tasks = start();
    WaitResult<Task<String>> w = await(Aio.wait(tasks, ReturnWhen.ALL_COMPLETED));
    out.println("ALL_COMPLETED after " + watch + ":");
    report(tasks, w, out);

    watch = Timed.start();
    tasks = start();
    w = await(Aio.wait(tasks, ReturnWhen.FIRST_EXCEPTION));
    out.println("FIRST_EXCEPTION after " + watch + ":");
    report(tasks, w, out);
    for (Task<String> t : w.pending()) {
      t.cancel();
    }

    watch = Timed.start();
    tasks = start();
    w = await(Aio.wait(tasks, ReturnWhen.FIRST_COMPLETED));
    out.println("FIRST_COMPLETED after " + watch + ":");
    report(tasks, w, out);
    for (Task<String> t : w.pending()) {
      t.cancel();
    }
    await(Aio.wait(tasks)); // let the cancellations land
    for (Task<String> t : tasks) {
      out.println("  " + t.name() + " cancelled: " + t.isCancelled());
    }
    return done();
  }

  public static void main(String[] args) {
    Aio.run(WaitModesAsync.run(System.out));
  }
}
