package io.awaitj.flow;

import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Running the tests' coroutines, and a consumer written as the processor writes an async for. */
final class Drive {
  private Drive() {}

  /** Runs what {@code make} makes (on the loop's thread) on a new virtual-clock loop. */
  static <T> T virtual(Supplier<Coroutine<T>> make) {
    EventLoop loop = EventLoop.createVirtual();
    try {
      return loop.runUntilComplete(new Lazy<>(make));
    } finally {
      loop.close();
    }
  }

  /** Makes its coroutine when it starts, on the loop's thread, and awaits it. */
  static final class Lazy<T> extends Coroutine<T> {
    private final Supplier<Coroutine<T>> make;

    Lazy(Supplier<Coroutine<T>> make) {
      this.make = make;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(make.get())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          return awaitResult();
        default:
          throw illegalState();
      }
    }
  }

  /**
   * {@code for (T x : iterable) { got.add(x); if (got.size() == limit) break; }} as the processor
   * lowers it: {@code await(it.hasNext())}, {@code it.next()}, and on the break {@code
   * await(it.closeAsync())}. Completes with the elements.
   */
  static final class ForLoop<T> extends Coroutine<List<T>> {
    private final AsyncIterator<T> it;
    private final int limit;
    final List<T> got = new ArrayList<>();

    ForLoop(AsyncIterator<T> it, int limit) {
      this.it = it;
      this.limit = limit;
    }

    @Override
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            state = 1;
            if (suspendOn(it.hasNext())) {
              return SUSPEND;
            }
            // fall through
          case 1:
            if (!this.<Boolean>awaitResult()) {
              return got;
            }
            got.add(it.next());
            if (got.size() == limit) {
              state = 2;
              if (suspendOn(it.closeAsync())) {
                return SUSPEND;
              }
              awaitResult();
              return got;
            }
            state = 0;
            continue;
          case 2:
            awaitResult();
            return got;
          default:
            throw illegalState();
        }
      }
    }
  }
}
