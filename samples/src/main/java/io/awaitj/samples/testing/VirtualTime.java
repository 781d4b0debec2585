package io.awaitj.samples.testing;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Promise;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Virtual time, for tests. {@code Aio.runVirtual} (or a loop made by
 * {@code EventLoop.createVirtual()}) jumps to the next timer whenever nothing is ready, so an hour of
 * sleeps and timeouts runs in milliseconds, always in the same order. A program that can never
 * finish is reported as a deadlock, with the task dump, instead of hanging.
 *
 * <p>What to watch for: the simulated hour and the real milliseconds it took; the first line of the
 * deadlock report. (Every other sample's test runs that sample on a virtual loop, which is how their
 * printed times can be checked exactly.)
 */
public final class VirtualTime {
  private VirtualTime() {}

  /** A job that polls every minute for an hour, with a 5-minute timeout on each poll. */
  @Async
  static Coroutine<String> hourOfPolling() {
    Stopwatch watch = Timed.start();
    int polls = 0;
    int timeouts = 0;
    while (watch.seconds() < 3600) {
      try {
        await(Aio.waitFor(Aio.sleep(Duration.ofMinutes(polls % 10 == 9 ? 6 : 1)),
            Duration.ofMinutes(5)));
        polls++;
      } catch (AsyncTimeoutException e) {
        timeouts++;
        polls++;
      }
    }
    return done(polls + " polls, " + timeouts + " timeouts, simulated " + watch);
  }

  @Async
  static Coroutine<Void> stuck() {
    Promise<String> nobodyCompletes = Aio.createPromise();
    await(nobodyCompletes);
    return done();
  }

  /** Runs both demonstrations on virtual loops of their own, whatever clock the caller uses. */
  public static void run(PrintStream out) {
    long start = System.nanoTime();
    String result = Aio.runVirtual(VirtualTimeAsync.hourOfPolling());
    long realMillis = (System.nanoTime() - start) / 1_000_000;
    out.println(result);
    out.println("real time under 5 s: " + (realMillis < 5000));

    try {
      Aio.runVirtual(VirtualTimeAsync.stuck());
    } catch (IllegalStateException e) {
      String message = e.getMessage();
      out.println("reported: " + message.substring(0, message.indexOf(',')));
    }
  }

  public static void main(String[] args) {
    run(System.out);
  }
}
