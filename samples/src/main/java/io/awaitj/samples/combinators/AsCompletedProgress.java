package io.awaitj.samples.combinators;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code Aio.asCompleted} hands out results in the order they finish, so each can be
 * handled as soon as it is there; with a timeout, the results not in by then throw
 * {@link AsyncTimeoutException} (nothing is cancelled).
 *
 * <p>What to watch for: the i-th coroutine of the list gives the i-th result to finish, not the
 * result of the i-th argument.
 */
public final class AsCompletedProgress {
  private AsCompletedProgress() {}

  @Async
  static Coroutine<String> fetch(String page, long millis) {
    await(Aio.sleep(millis));
    return done(page);
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    List<Coroutine<String>> pages =
        List.of(fetch("slow", 3000), fetch("fast", 1000), fetch("medium", 2000));
    for (Coroutine<String> next : Aio.asCompleted(pages)) {
      out.println("got " + await(next) + " at " + watch);
    }

    watch = Timed.start();
    List<Coroutine<String>> withTimeout = Aio.asCompleted(
        List.of(fetch("slow", 3000), fetch("fast", 1000), fetch("medium", 2000)),
        Duration.ofMillis(2500));
    for (Coroutine<String> next : withTimeout) {
      try {
        out.println("got " + await(next) + " at " + watch);
      } catch (AsyncTimeoutException e) {
        out.println("timed out at " + watch);
      }
    }
    return done();
  }

  public static void main(String[] args) {
    Aio.run(AsCompletedProgressAsync.run(System.out));
  }
}
