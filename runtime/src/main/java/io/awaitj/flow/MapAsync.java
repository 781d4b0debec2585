package io.awaitj.flow;

import io.awaitj.Coroutine;
import java.util.function.Function;

/**
 * {@code mapAsync}: each element through an async function, one at a time, in order. Every element
 * takes a coroutine of this node's beside the function's own.
 */
final class MapAsync<T, R> extends Node<R> {
  private final Node<T> up;
  private final Function<? super T, ? extends Coroutine<? extends R>> f;

  MapAsync(Node<T> up, Function<? super T, ? extends Coroutine<? extends R>> f) {
    this.up = up;
    this.f = f;
  }

  @Override
  Object poll0() {
    return WAIT;
  }

  @Override
  Coroutine<Object> pull0() {
    return new Step();
  }

  @Override
  Coroutine<Void> closeUpstream() {
    return up.closeAsync();
  }

  @Override
  public String toString() {
    return "mapAsync of " + up;
  }

  /** Reads one element, then awaits the function's coroutine for it. */
  private final class Step extends Coroutine<Object> {
    @Override
    @SuppressWarnings("unchecked")
    protected Object step() {
      Object r;
      switch (state) {
        case 0:
          r = up.poll();
          if (r == WAIT) {
            state = 1;
            if (suspendOn(up.pull())) {
              return SUSPEND;
            }
            r = awaitResult();
          }
          return apply(r);
        case 1:
          return apply(awaitResult());
        case 2:
          return awaitResult();
        default:
          throw illegalState();
      }
    }

    @SuppressWarnings("unchecked")
    private Object apply(Object r) {
      if (r == END) {
        return END;
      }
      Coroutine<? extends R> c = f.apply((T) r);
      state = 2;
      if (suspendOn(c)) {
        return SUSPEND;
      }
      return awaitResult();
    }
  }
}
