package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import java.time.Duration;
import java.util.Iterator;

/** The nodes that read from outside a pipeline: Java iterables, ranges, a clock, any async iterator. */
final class Sources {
  private Sources() {}

  /** The elements of a Java {@link Iterator}: always ready, never waits. */
  static final class OfIterator<T> extends Node<T> {
    private final Iterator<? extends T> it;

    OfIterator(Iterator<? extends T> it) {
      this.it = it;
    }

    @Override
    Object poll0() {
      return it.hasNext() ? it.next() : END;
    }

    @Override
    Coroutine<Object> pull0() {
      throw new AssertionError("a Java iterator never waits");
    }

    @Override
    Coroutine<Void> closeUpstream() {
      return Aio.done();
    }

    @Override
    public String toString() {
      return "Flows.of(...)";
    }
  }

  /** {@code start, start + 1, ..., end - 1}: always ready. */
  static final class Range extends Node<Integer> {
    private int next;
    private final int end;

    Range(int start, int end) {
      this.next = start;
      this.end = end;
    }

    @Override
    Object poll0() {
      return next < end ? Integer.valueOf(next++) : END;
    }

    @Override
    Coroutine<Object> pull0() {
      throw new AssertionError("a range never waits");
    }

    @Override
    Coroutine<Void> closeUpstream() {
      return Aio.done();
    }

    @Override
    public String toString() {
      return "Flows.range(..., " + end + ")";
    }
  }

  /**
   * {@code 0, 1, 2, ...}, the element {@code k} at {@code (k + 1) * period} after the first request, on
   * the loop's clock (fixed rate: a consumer that falls behind gets the late elements at once).
   */
  static final class Interval extends Node<Long> {
    private final long periodNanos;
    private long start;
    private long k;
    private boolean started;

    Interval(Duration period) {
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("the period must be positive: " + period);
      }
      this.periodNanos = period.toNanos();
    }

    @Override
    Object poll0() {
      return WAIT;
    }

    @Override
    Coroutine<Object> pull0() {
      long now = Aio.loop().nanoTime();
      if (!started) {
        started = true;
        start = now;
      }
      long due = start + (k + 1) * periodNanos;
      Object value = k++;
      return Aio.sleep(Duration.ofNanos(Math.max(0, due - now)), value);
    }

    @Override
    Coroutine<Void> closeUpstream() {
      return Aio.done();
    }

    @Override
    public String toString() {
      return "Flows.interval(" + Duration.ofNanos(periodNanos) + ")";
    }
  }

  /**
   * Any other {@link AsyncIterator}: each element through its {@code hasNext()} (a coroutine of this
   * node's per element: it cannot know an element is ready without awaiting).
   */
  static final class OfAsyncIterator<T> extends Node<T> {
    private final AsyncIterator<? extends T> it;

    OfAsyncIterator(AsyncIterator<? extends T> it) {
      this.it = it;
    }

    @Override
    Object poll0() {
      return WAIT;
    }

    @Override
    Coroutine<Object> pull0() {
      return new Step(it);
    }

    @Override
    Coroutine<Void> closeUpstream() {
      return it.closeAsync();
    }

    @Override
    public String toString() {
      return "Flows.of(" + it + ")";
    }

    /** {@code await(it.hasNext()) ? it.next() : END}. */
    static final class Step extends Coroutine<Object> {
      private final AsyncIterator<?> it;

      Step(AsyncIterator<?> it) {
        this.it = it;
      }

      @Override
      protected Object step() {
        switch (state) {
          case 0:
            state = 1;
            if (suspendOn(it.hasNext())) {
              return SUSPEND;
            }
            // fall through
          case 1:
            return this.<Boolean>awaitResult() ? it.next() : END;
          default:
            throw illegalState();
        }
      }
    }
  }
}
