package io.awaitj.samples.structured;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.AsyncCloseable;
import io.awaitj.Async;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import java.io.PrintStream;

/**
 * Python's {@code async with} is a try-with-resources over an {@link AsyncCloseable}: its
 * {@code closeAsync(failure)} (Python's {@code __aexit__}) is awaited when the block ends, normally,
 * by an exception, or by cancellation, and is told which.
 *
 * <p>What to watch for: "exiting" comes after "inside" in all three cases, and the close itself
 * awaits (a sleep standing for, say, flushing to a socket) before the exception goes on.
 */
public final class AsyncWith {
  private AsyncWith() {}

  /**
   * A resource with an asynchronous open and close. Its {@code @Async} instance method makes the
   * class abstract: the processor generates {@code AsyncWith_ResourceAsync}, which is instantiated.
   */
  abstract static class Resource implements AsyncCloseable {
    final String name;
    final PrintStream out;

    Resource(String name, PrintStream out) {
      this.name = name;
      this.out = out;
    }

    @Async
    static Coroutine<Resource> open(String name, PrintStream out) {
      await(Aio.sleep(100));
      out.println(name + ": entering");
      return done(new AsyncWith_ResourceAsync(name, out));
    }

    @Override
    public Coroutine<Void> closeAsync() {
      return closeAsync(null);
    }

    @Async
    @Override
    public Coroutine<Void> closeAsync(Throwable failure) {
      await(Aio.sleep(100));
      out.println(name + ": exiting, " + (failure == null ? "normally"
          : "with " + failure.getClass().getSimpleName()));
      return done();
    }
  }

  @Async
  static Coroutine<Void> use(String name, String how, PrintStream out) {
    try (Resource r = await(Resource.open(name, out))) {
      out.println(r.name + ": inside");
      if (how.equals("fail")) {
        throw new IllegalStateException("something broke");
      }
      if (how.equals("wait")) {
        await(Aio.sleep(60_000)); // cancelled while here
      }
    }
    return done();
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    await(use("normal", "", out));

    try {
      await(use("failing", "fail", out));
    } catch (IllegalStateException e) {
      out.println("caught: " + e.getMessage());
    }

    Task<Void> task = Aio.createTask(use("cancelled", "wait", out));
    await(Aio.sleep(500));
    task.cancel();
    try {
      await(task);
    } catch (CancelledError e) {
      out.println("the task was cancelled: " + task.isCancelled());
    }
    return done();
  }

  public static void main(String[] args) {
    Aio.run(AsyncWithAsync.run(System.out));
  }
}
