package io.awaitj.samples.basics;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A timing wrapper, the asyncio tutorials' {@code @async_timed()} decorator. Python wraps
 * the coroutine function; in Java the wrapper is an {@code @Async} method that takes the coroutine
 * and awaits it: {@code await(Timed.timed("fetch", fetch(url), out))}. Other samples reuse it, and
 * {@link Stopwatch} for their elapsed times.
 *
 * <p>What to watch for: the time comes from the loop's clock ({@code Aio.loop().time()}), not from
 * {@code System.nanoTime()}. On the real clock it is the same thing; on a virtual clock
 * ({@code Aio.runVirtual}, the samples' tests) it is simulated time, so "1.0 s" is exact and the
 * printed output is the same on every run.
 */
public final class Timed {
  private Timed() {}

  /** Elapsed time on the running loop's clock, printed to a tenth of a second. */
  public static final class Stopwatch {
    private final double start = Aio.loop().time();

    /** Seconds since the stopwatch started, on the loop's clock. */
    public double seconds() {
      return Aio.loop().time() - start;
    }

    /** The elapsed time rounded to 0.1 s, as {@code "1.0 s"}. */
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.1f s", seconds());
    }
  }

  /** Starts a stopwatch on the running loop's clock. */
  public static Stopwatch start() {
    return new Stopwatch();
  }

  /**
   * Awaits {@code coroutine}, printing when it starts and how long it took, also when it fails:
   * {@code async_timed}. The coroutine is lazy, so its clock starts here, where it is awaited.
   */
  @Async
  public static <T> Coroutine<T> timed(String name, Coroutine<T> coroutine, PrintStream out) {
    out.println("starting " + name);
    Stopwatch watch = start();
    try {
      return done(await(coroutine));
    } finally {
      out.println("finished " + name + " in " + watch);
    }
  }

  @Async
  static Coroutine<Integer> slowSquare(int x, long millis) {
    await(Aio.sleep(millis));
    return done(x * x);
  }

  /** Times two coroutines awaited one after the other, then the whole. */
  @Async
  public static Coroutine<Void> run(PrintStream out) {
    int a = await(timed("square(3)", slowSquare(3, 1000), out));
    int b = await(timed("square(4)", slowSquare(4, 2000), out));
    out.println("results: " + a + ", " + b);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(TimedAsync.run(System.out));
  }
}
