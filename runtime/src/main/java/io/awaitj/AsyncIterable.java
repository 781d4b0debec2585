package io.awaitj;

import java.util.Iterator;

/**
 * Something an {@link Async} method can iterate with an ordinary {@code for (T x : iterable)}, each
 * step awaited: Python's {@code async for}. Inside an {@code @Async} body the processor turns the loop
 * into {@code await(it.hasNext())} / {@code it.next()} on {@link #asyncIterator()}.
 *
 * <p>It extends {@link Iterable} only so that the template type-checks; the synchronous {@link
 * #iterator()} is never called by generated code and throws if called.
 *
 * @param <T> the element type
 */
public interface AsyncIterable<T> extends Iterable<T> {

  /**
   * A new iterator over the elements. Threading: implementations say; the generated code calls it on
   * the loop's thread.
   */
  AsyncIterator<T> asyncIterator();

  /**
   * Always throws: an async iterable is iterated by a for loop inside an {@link Async} method, where
   * each step is awaited. Threading: any thread.
   */
  @Override
  default Iterator<T> iterator() {
    throw new IllegalStateException(
        getClass().getName() + " is an AsyncIterable: iterate it with a for loop inside an @Async"
            + " method (each step is awaited), or call asyncIterator() and await hasNext()");
  }
}
