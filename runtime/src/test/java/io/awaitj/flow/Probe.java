package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.AsyncIterable;
import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.function.LongFunction;

/**
 * An upstream for the tests: an {@link AsyncIterable} (not made by {@link Flows}) that counts the
 * elements read from it and records its close. Its elements are {@code element(i)} for {@code i <
 * size}; each comes after {@code delay(i)} (zero: at once, without suspending); the element {@code
 * failAt} fails instead with {@link Boom}.
 */
final class Probe<T> implements AsyncIterable<T> {
  /** The failure a probe throws. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom(String message) {
      super(message);
    }
  }

  private final long size;
  private final LongFunction<T> element;
  private LongFunction<Duration> delay = i -> Duration.ZERO;
  private long failAt = -1;

  /** Elements handed out by next(). */
  long pulled;
  /** closeAsync() calls. */
  int closes;
  /** Whether hasNext() was called after a close (a bug of the reader). */
  boolean readAfterClose;
  private boolean iterated;

  Probe(long size, LongFunction<T> element) {
    this.size = size;
    this.element = element;
  }

  static Probe<Integer> ints(int size) {
    return new Probe<>(size, i -> (int) i);
  }

  Probe<T> delay(LongFunction<Duration> d) {
    this.delay = d;
    return this;
  }

  Probe<T> delay(Duration d) {
    return delay(i -> d);
  }

  Probe<T> failAt(long i) {
    this.failAt = i;
    return this;
  }

  boolean closed() {
    return closes > 0;
  }

  @Override
  public AsyncIterator<T> asyncIterator() {
    if (iterated) {
      throw new IllegalStateException("probe iterated twice");
    }
    iterated = true;
    return new AsyncIterator<T>() {
      private long i;
      private boolean ready;

      @Override
      public Coroutine<Boolean> hasNext() {
        if (closes > 0) {
          readAfterClose = true;
        }
        if (i == failAt) {
          return Aio.failed(new Boom("element " + i + " failed"));
        }
        boolean more = i < size;
        ready = more;
        Duration d = more ? delay.apply(i) : Duration.ZERO;
        return d.isZero() ? Aio.done(more) : Aio.sleep(d, more);
      }

      @Override
      public T next() {
        if (!ready) {
          throw new NoSuchElementException();
        }
        ready = false;
        pulled++;
        return element.apply(i++);
      }

      @Override
      public Coroutine<Void> closeAsync() {
        closes++;
        return Aio.done();
      }
    };
  }

  @Override
  public String toString() {
    return "probe";
  }
}
