package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import java.io.PrintStream;

/**
 * A coroutine does nothing until it is awaited, as in Python: calling an {@code @Async}
 * method only makes the coroutine. And a coroutine runs once: awaiting it a second time is an error.
 *
 * <p>What to watch for: "greet: running" appears only after "made the coroutine, nothing ran yet".
 * To run something twice, call the method twice (two coroutines), or wrap it in a task, which may be
 * awaited any number of times.
 */
public final class LazyCoroutines {
  private LazyCoroutines() {}

  @Async
  static Coroutine<String> greet(String who, PrintStream out) {
    out.println("greet: running");
    await(Aio.sleep(100));
    return done("hello, " + who);
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Coroutine<String> greeting = greet("world", out);
    out.println("made the coroutine, nothing ran yet: started = " + greeting.isStarted());
    out.println("awaited: " + await(greeting));
    try {
      await(greeting);
    } catch (IllegalStateException e) {
      out.println("awaited again: " + e.getMessage());
    }
    // A task is a promise: awaiting it again returns the same result.
    var task = Aio.createTask(greet("task", out));
    out.println("task, first await: " + await(task));
    out.println("task, second await: " + await(task));
    return done();
  }

  public static void main(String[] args) {
    Aio.run(LazyCoroutinesAsync.run(System.out));
  }
}
