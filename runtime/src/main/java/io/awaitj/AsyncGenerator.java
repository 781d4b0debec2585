package io.awaitj;

/**
 * A stream of values produced over time: Python's async generator, C#'s {@code IAsyncEnumerable},
 * Kotlin's {@code Flow}. What an {@link Async} method declared to return {@code AsyncGenerator<T>}
 * returns, and what the operators of the runtime return; consumed with {@code for (T x : generator)}
 * in an {@code @Async} body (each step awaited) or through {@link #asyncIterator()} by hand.
 *
 * <p>A generator is single-use, as in Python: it runs once, lazily (nothing happens until the first
 * value is requested), and {@link #asyncIterator()} may be called once. Leaving the loop early closes
 * it ({@link AsyncIterator#closeAsync()}); {@link #closeAsync()} closes it too, and is what a
 * try-with-resources around it awaits.
 *
 * <p>Threading: the loop's thread of the task that iterates it.
 *
 * @param <T> the type of the values
 */
public interface AsyncGenerator<T> extends AsyncIterable<T>, AsyncCloseable {

  /**
   * The generator's iterator. Threading: the loop's thread.
   *
   * @throws IllegalStateException if called a second time: a generator runs once
   */
  @Override
  AsyncIterator<T> asyncIterator();

  /**
   * Closes the generator: if it started and did not finish, its {@code finally} blocks and async
   * closes run; if it never started, it never will. Idempotent. Threading: the loop's thread.
   */
  @Override
  Coroutine<Void> closeAsync();
}
