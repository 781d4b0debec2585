package io.awaitj;

import java.util.NoSuchElementException;

/**
 * The iterator of an {@link AsyncIterable}. Python's {@code __anext__} both fetches and signals the
 * end with {@code StopAsyncIteration}; here {@link #hasNext()} awaits the next element (or learns there
 * is none) and {@link #next()} returns it without waiting.
 *
 * @param <T> the element type
 */
public interface AsyncIterator<T> {

  /**
   * Waits until the next element is available, and answers whether there is one. Threading:
   * implementations say; the generated code calls it on the loop's thread.
   */
  Coroutine<Boolean> hasNext();

  /**
   * The element that the last {@link #hasNext()} made available. Threading: as {@link #hasNext()}.
   *
   * @throws NoSuchElementException if {@link #hasNext()} did not answer {@code true} before
   */
  T next();
}
