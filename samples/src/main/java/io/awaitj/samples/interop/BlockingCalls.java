package io.awaitj.samples.interop;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Blocking code and the loop. A blocking call (here {@code Thread.sleep}, standing for
 * JDBC, a legacy client, heavy computation) made on the loop's thread stops everything else on the
 * loop: the ticker task does not tick. Moved to a thread with {@code Aio.toThread} (asyncio's
 * {@code to_thread}) or {@code Aio.runInExecutor} (an executor of your choosing), it runs while the
 * loop goes on. Debug mode reports the callback that held the loop too long.
 *
 * <p>What to watch for: 0 ticks while the call blocks the loop, several while it runs in a thread;
 * the debug report names the task that blocked. This sample runs on the real clock: on a virtual
 * clock, the time of work on other threads does not count (the clock stands still).
 */
public final class BlockingCalls {
  private BlockingCalls() {}

  /** A blocking call: javac's {@code awaitj-blocking} warning catches such calls in @Async bodies. */
  static String blockingLookup(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "looked up";
  }

  static final class Ticker {
    int ticks;
  }

  @Async
  static Coroutine<Void> tick(Ticker ticker) {
    while (true) {
      await(Aio.sleep(50));
      ticker.ticks++;
    }
  }

  @Async
  static Coroutine<String> onTheLoop() {
    return done(blockingLookup(500)); // wrong: blocks the loop for 0.5 s
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    AtomicReference<String> report = new AtomicReference<>();
    Aio.loop().setDebug(true);
    Aio.loop().setSlowCallbackDuration(Duration.ofMillis(200));
    Aio.loop().setExceptionHandler((message, exception) -> {
      if (message.contains("took") && report.get() == null) {
        report.set(message);
      }
    });

    Ticker ticker = new Ticker();
    Task<Void> ticking = Aio.createTask(tick(ticker), "ticker");
    await(Aio.sleep(0)); // let the ticker start

    int before = ticker.ticks;
    await(Aio.createTask(onTheLoop(), "blocker"));
    out.println("blocking call on the loop:   " + (ticker.ticks - before) + " ticks meanwhile");
    String slow = report.get();
    out.println("debug mode reported: " + (slow == null ? "nothing"
        : slow.substring(0, slow.indexOf(" took")) + " took ... seconds"));

    before = ticker.ticks;
    String r = await(Aio.toThread(() -> blockingLookup(500)));
    out.println("Aio.toThread:                " + r + ", ticker kept ticking: "
        + (ticker.ticks - before >= 2));

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      before = ticker.ticks;
      r = await(Aio.runInExecutor(pool, () -> blockingLookup(500)));
      out.println("Aio.runInExecutor:           " + r + ", ticker kept ticking: "
          + (ticker.ticks - before >= 2));
    } finally {
      pool.shutdown();
    }
    ticking.cancel();
    await(Aio.gatherSettled(ticking)); // let it finish: a task left running is cancelled by close()
    Aio.loop().setDebug(false);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(BlockingCallsAsync.run(System.out));
  }
}
