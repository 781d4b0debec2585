package io.awaitj.samples.structured;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.TaskGroup;
import io.awaitj.TaskGroupException;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;

/**
 * {@link TaskGroup}, asyncio's structured concurrency. The block does not end until every
 * task of the group is done; when one fails, the group cancels the others, and its close throws all
 * the failures together as a {@link TaskGroupException}.
 *
 * <p>What to watch for: after "b fails", "c cancelled" prints at 1.0 s, long before c's 5 s; the
 * group's exception lists every failure, not the cancellations.
 */
public final class TaskGroups {
  private TaskGroups() {}

  @Async
  static Coroutine<String> child(String name, long millis, boolean fail, Stopwatch watch,
      PrintStream out) {
    try {
      await(Aio.sleep(millis));
    } catch (CancelledError e) {
      out.println(name + " cancelled at " + watch);
      throw e; // never swallow a cancellation
    }
    if (fail) {
      out.println(name + " fails at " + watch);
      throw new IllegalStateException(name + " failed");
    }
    out.println(name + " done at " + watch);
    return done(name);
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    Task<String> a;
    Task<String> b;
    try (TaskGroup group = new TaskGroup()) {
      a = group.createTask(child("a", 1000, false, watch, out));
      b = group.createTask(child("b", 2000, false, watch, out));
      out.println("both started; the block ends, the group waits for them");
    }
    out.println("group done at " + watch + ": " + a.result() + ", " + b.result());

    watch = Timed.start();
    try (TaskGroup group = new TaskGroup()) {
      group.createTask(child("a", 500, false, watch, out));
      group.createTask(child("b", 1000, true, watch, out));
      group.createTask(child("c", 5000, false, watch, out));
      group.createTask(child("d", 1000, true, watch, out));
    } catch (TaskGroupException e) {
      out.println("group failed at " + watch + " with " + e.exceptions().size() + " failures:");
      for (Throwable t : e.exceptions()) {
        out.println("  " + t.getMessage());
      }
    }
    return done();
  }

  public static void main(String[] args) {
    Aio.run(TaskGroupsAsync.run(System.out));
  }
}
