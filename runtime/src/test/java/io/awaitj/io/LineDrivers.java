package io.awaitj.io;

import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written state machines that iterate an {@link AsyncIterator} as an {@code @Async} for loop
 * would: {@code while (await(it.hasNext())) use(it.next());}.
 */
final class LineDrivers {
  private LineDrivers() {}

  /** What to do with each line. */
  interface Sink {
    void accept(String line);
  }

  /** Iterates {@code it} to its end, handing each line to {@code sink}; returns the count. */
  static final class Drain extends Coroutine<Long> {
    private final AsyncIterator<String> it;
    private final Sink sink;
    private final long limit;
    private long count;

    Drain(AsyncIterator<String> it, Sink sink) {
      this(it, sink, Long.MAX_VALUE);
    }

    /** Stops after {@code limit} lines, as a {@code break} would. */
    Drain(AsyncIterator<String> it, Sink sink, long limit) {
      this.it = it;
      this.sink = sink;
      this.limit = limit;
    }

    @Override
    @SuppressWarnings("fallthrough")
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            if (count >= limit) {
              return count;
            }
            state = 1;
            if (suspendOn(it.hasNext())) {
              return SUSPEND;
            }
            // fall through
          case 1:
            if (!this.<Boolean>awaitResult()) {
              return count;
            }
            sink.accept(it.next());
            count++;
            state = 0;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** All the lines of {@code it}. */
  static Coroutine<List<String>> collect(AsyncIterator<String> it) {
    List<String> out = new ArrayList<>();
    Drain d = new Drain(it, out::add);
    return new Then<>(d, out);
  }

  /** Awaits {@code first}, then returns {@code value}. */
  static final class Then<T> extends Coroutine<T> {
    private final Coroutine<?> first;
    private final T value;

    Then(Coroutine<?> first, T value) {
      this.first = first;
      this.value = value;
    }

    @Override
    @SuppressWarnings("fallthrough")
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(first)) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult();
          return value;
        default:
          throw illegalState();
      }
    }
  }
}
