package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import java.io.PrintStream;

/**
 * The loop by hand. {@code Aio.run(c)} is shorthand for: create a loop, run it until
 * {@code c} completes, close it (which cancels the tasks left over). Doing it yourself lets you run
 * several coroutines on the same loop, one after the other. And without a running loop,
 * {@code Aio.createTask} has nowhere to schedule the task: it fails with a message that says so.
 *
 * <p>What to watch for: the task created in the first run is still alive in the second (same loop),
 * and {@code close()} cancels the one left behind, whose {@code finally} runs.
 */
public final class LoopByHand {
  private LoopByHand() {}

  @Async
  static Coroutine<String> step(String name, long millis) {
    await(Aio.sleep(millis));
    return done(name + " done");
  }

  @Async
  static Coroutine<Void> forever(PrintStream out) {
    try {
      await(Aio.sleep(3_600_000));
    } finally {
      out.println("forever: cancelled by close(), finally runs");
    }
    return done();
  }

  /** Runs the sample on {@code loop} ({@code EventLoop.create()} in {@link #main}), and closes it. */
  public static void run(PrintStream out, EventLoop loop) {
    try {
      out.println("first:  " + loop.runUntilComplete(LoopByHandAsync.step("first", 100)));
      // Loop methods work on the loop's thread between runs too: this task waits for the next run.
      var background = loop.createTask(LoopByHandAsync.forever(out), "forever");
      out.println("second: " + loop.runUntilComplete(LoopByHandAsync.step("second", 100)));
      out.println("the background task is done: " + background.isDone());
    } finally {
      loop.close();
    }
    out.println("loop closed: " + loop.isClosed());

    try {
      Aio.createTask(LoopByHandAsync.step("orphan", 100));
    } catch (IllegalStateException e) {
      out.println("createTask without a running loop: " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    run(System.out, EventLoop.create());
  }
}
