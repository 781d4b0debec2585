package io.awaitj.samples.interop;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Interop with ordinary Java. {@code await} takes any {@code CompletionStage}, completed
 * on any thread; the coroutine resumes on the loop's thread. The other way, a task (any promise) is
 * handed to code that knows nothing of awaitj as a {@code CompletableFuture}.
 *
 * <p>What to watch for: the thread names. Work runs on "worker", the coroutine always continues on
 * the loop's thread, and the legacy code blocks on its own thread, never on the loop's.
 */
public final class Futures {
  private Futures() {}

  /** Ordinary Java: a service with a {@code CompletableFuture} API, running on its own thread. */
  static CompletableFuture<Integer> legacyLookup(ExecutorService worker, String key) {
    return CompletableFuture.supplyAsync(() -> {
      sleepQuietly(200); // blocking is fine here: this is a worker thread, not the loop
      return key.length() * 7;
    }, worker);
  }

  /** Ordinary Java that blocks until a future is done: it must never run on the loop's thread. */
  static String legacyReport(CompletableFuture<String> future) {
    return "legacy code joined the future: " + future.join();
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Async
  static Coroutine<String> compute(String key) {
    await(Aio.sleep(100));
    return done(key.toUpperCase());
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    String loopThread = Thread.currentThread().getName();
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "worker"));
    try {
      int value = await(legacyLookup(worker, "answer"));
      out.println("awaited a CompletableFuture completed on another thread: " + value);
      out.println("resumed on the loop's thread: "
          + Thread.currentThread().getName().equals(loopThread));

      Task<String> task = Aio.createTask(compute("from a task"));
      CompletableFuture<String> future = task.toCompletableFuture();
      // Hand the future to blocking legacy code, on the worker thread, and await its answer.
      String report = await(CompletableFuture.supplyAsync(() -> legacyReport(future), worker));
      out.println(report);
    } finally {
      worker.shutdown();
    }
    return done();
  }

  public static void main(String[] args) {
    Aio.run(FuturesAsync.run(System.out));
  }
}
