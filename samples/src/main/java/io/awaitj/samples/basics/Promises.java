package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Promise;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A {@link Promise} is asyncio's {@code Future}: a value that is not there yet, completed
 * by someone else. One coroutine completes it after 2 s while another awaits it; then a plain
 * callback completes one from {@code callLater}.
 *
 * <p>What to watch for: the waiter does nothing until the promise completes, and resumes at once
 * when it does. A promise is completed once; {@code complete} or {@code fail} on the loop's thread.
 */
public final class Promises {
  private Promises() {}

  @Async
  static Coroutine<Void> completeLater(Promise<String> promise, Stopwatch watch, PrintStream out) {
    await(Aio.sleep(2000));
    out.println("setter: completing the promise at " + watch);
    promise.complete("the answer");
    return done();
  }

  @Async
  static Coroutine<Void> waiter(Promise<String> promise, Stopwatch watch, PrintStream out) {
    out.println("waiter: waiting, done = " + promise.isDone());
    String value = await(promise);
    out.println("waiter: got '" + value + "' at " + watch);
    return done();
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    Promise<String> promise = Aio.createPromise();
    Task<Void> setter = Aio.createTask(completeLater(promise, watch, out));
    await(waiter(promise, watch, out));
    await(setter);

    // A callback completes it: loop.callLater is asyncio's call_later.
    Promise<Integer> fromCallback = Aio.createPromise();
    Aio.loop().callLater(Duration.ofMillis(500), () -> fromCallback.complete(42));
    out.println("callLater completed it with " + await(fromCallback) + " at " + watch);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(PromisesAsync.run(System.out));
  }
}
