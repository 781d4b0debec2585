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

  /**
   * Releases what the iteration holds when it ends before the iterator is exhausted: Python's {@code
   * aclose()}. Closing an {@link AsyncGenerator}'s iterator runs the generator's {@code finally}
   * blocks and async closes; an operator's iterator closes the iterators it reads from. Calling it
   * after the end, or twice, does nothing. The default does nothing.
   *
   * <p>Threading: as {@link #hasNext()}.
   */
  default Coroutine<Void> closeAsync() {
    return Aio.done();
  }
}
