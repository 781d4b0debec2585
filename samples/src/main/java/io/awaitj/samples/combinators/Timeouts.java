package io.awaitj.samples.combinators;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Timeout;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code Aio.waitFor} (asyncio's {@code wait_for}) and the timeout scope
 * {@code try (Timeout t = Aio.timeout(d))} (asyncio's {@code async with asyncio.timeout(d)}). When the
 * time is up, the slow operation is cancelled (its {@code finally} runs) and the caller gets an
 * {@link AsyncTimeoutException}.
 *
 * <p>What to watch for: "slow operation cancelled" prints before the timeout is reported: the
 * timeout waits for the cancelled work to finish unwinding.
 */
public final class Timeouts {
  private Timeouts() {}

  @Async
  static Coroutine<String> slowOperation(PrintStream out) {
    try {
      await(Aio.sleep(10_000));
      return done("finished");
    } finally {
      out.println("slow operation cancelled, its finally runs");
    }
  }

  @Async
  @SuppressWarnings("try") // the Timeout variable is used only for its scope
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    try {
      await(Aio.waitFor(slowOperation(out), Duration.ofSeconds(1)));
    } catch (AsyncTimeoutException e) {
      out.println("waitFor timed out after " + watch);
    }

    watch = Timed.start();
    String fast = await(Aio.waitFor(Aio.sleep(Duration.ofMillis(500), "fast"), Duration.ofSeconds(1)));
    out.println("waitFor in time: " + fast + " after " + watch);

    watch = Timed.start();
    try (Timeout t = Aio.timeout(Duration.ofMillis(1500))) {
      out.println("in the timeout scope");
      await(slowOperation(out));
      out.println("never printed");
    } catch (AsyncTimeoutException e) {
      out.println("timeout scope expired after " + watch);
    }
    return done();
  }

  public static void main(String[] args) {
    Aio.run(TimeoutsAsync.run(System.out));
  }
}
