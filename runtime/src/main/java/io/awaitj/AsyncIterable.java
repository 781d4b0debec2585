package io.awaitj;

/**
 * Something an {@link Async} method can iterate with {@code for (T x : iterable)} where each step is
 * awaited: Python's {@code async for}.
 *
 * @param <T> the element type
 */
public interface AsyncIterable<T> {

  /** A new iterator over the elements. */
  AsyncIterator<T> asyncIterator();
}
