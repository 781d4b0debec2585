package io.awaitj.samples.cancellation;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Async;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Cancellation. {@code task.cancel()} makes a {@link CancelledError} come out of the
 * task's current await; {@code finally} blocks run. {@code CancelledError} is an {@code Error}, so a
 * {@code catch (Exception e)} does not swallow it (in Python it is a {@code BaseException} for the
 * same reason). Async closes run too ({@code AsyncWith} shows a resource closed by a cancellation).
 * {@code Aio.shield} protects an operation from the cancellation of the one awaiting it.
 *
 * <p>What to watch for: the worker's {@code catch (Exception e)} never prints; the shielded save
 * completes after the timeout of the request that awaited it; keep the task itself to get its result,
 * as in asyncio.
 */
public final class Cancellation {
  private Cancellation() {}

  @Async
  static Coroutine<Void> worker(Stopwatch watch, PrintStream out) {
    try {
      for (int i = 1; ; i++) {
        await(Aio.sleep(1000));
        out.println("worker: step " + i + " at " + watch);
      }
    } catch (Exception e) {
      out.println("worker: never printed, CancelledError is not an Exception");
      return done();
    } finally {
      out.println("worker: finally runs at " + watch);
    }
  }

  @Async
  static Coroutine<String> save(Stopwatch watch, PrintStream out) {
    await(Aio.sleep(2000));
    out.println("save: written at " + watch);
    return done("saved");
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    Task<Void> task = Aio.createTask(worker(watch, out), "worker");
    await(Aio.sleep(2500));
    out.println("cancel() at " + watch + ": " + task.cancel("enough"));
    try {
      await(task);
    } catch (CancelledError e) {
      out.println("awaiting it: CancelledError(" + e.getMessage() + "), cancelled = "
          + task.isCancelled());
    }

    watch = Timed.start();
    Task<String> saving = Aio.createTask(save(watch, out), "save");
    try {
      // The timeout cancels what it awaits: the shield, not the task behind it.
      await(Aio.waitFor(Aio.shield(saving), Duration.ofMillis(500)));
    } catch (AsyncTimeoutException e) {
      out.println("request timed out at " + watch + "; the shielded save goes on");
    }
    // The shield itself is cancelled now (awaiting it would throw CancelledError); the task is not.
    out.println("save: " + await(saving) + ", at " + watch);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(CancellationAsync.run(System.out));
  }
}
