package io.awaitj.flow;

import io.awaitj.AsyncIterable;
import io.awaitj.Coroutine;
import java.util.function.Function;

/**
 * {@code flatMap}: for each element of the upstream, every element of the iterable the function
 * returns, one inner iterable after the other. Closing closes the inner iterable being read, then the
 * upstream.
 */
final class FlatMap<T, R> extends Node<R> {
  private final Node<T> up;
  private final Function<? super T, ? extends AsyncIterable<? extends R>> f;
  /** The inner iterable being read, or {@code null} between two. */
  private Node<?> inner;

  FlatMap(Node<T> up, Function<? super T, ? extends AsyncIterable<? extends R>> f) {
    this.up = up;
    this.f = f;
  }

  @Override
  Object poll0() {
    while (true) {
      Object r = once();
      if (r != AGAIN) {
        return r;
      }
    }
  }

  /** Marks "read on": from {@link #step}. */
  private static final Object AGAIN = new Object();

  /**
   * One poll of the inner iterable, or of the upstream when there is none: an element or END to hand
   * out, WAIT, or AGAIN.
   */
  @SuppressWarnings("unchecked")
  private Object once() {
    Node<?> in = inner;
    if (in != null) {
      Object r = in.poll();
      if (r != END) {
        return r; // an element, or WAIT
      }
      inner = null;
      return AGAIN;
    }
    Object r = up.poll();
    if (r == WAIT || r == END) {
      return r;
    }
    open(r);
    return AGAIN;
  }

  @SuppressWarnings("unchecked")
  private void open(Object r) {
    inner = Flows.node(f.apply((T) r));
  }

  @Override
  Coroutine<Object> pull0() {
    return new Read();
  }

  @Override
  Coroutine<Void> closeUpstream() {
    Node<?> in = inner;
    inner = null;
    return Closer.of(in, up);
  }

  @Override
  public String toString() {
    return "flatMap of " + up;
  }

  /** Polls; when it must wait, awaits the inner iterable's pull or the upstream's. */
  private final class Read extends Coroutine<Object> {
    /** Whether the await in flight is of the inner iterable (else of the upstream). */
    private boolean fromInner;

    @Override
    protected Object step() {
      if (state == 1) {
        Object x = resumed(awaitResult());
        if (x != AGAIN) {
          return x;
        }
      }
      while (true) {
        Object x = poll0();
        if (x != WAIT) {
          return x;
        }
        fromInner = inner != null;
        state = 1;
        if (suspendOn(fromInner ? inner.pull() : up.pull())) {
          return SUSPEND;
        }
        x = resumed(awaitResult());
        if (x != AGAIN) {
          return x;
        }
      }
    }

    private Object resumed(Object r) {
      if (fromInner) {
        if (r != END) {
          return r;
        }
        inner = null;
        return AGAIN;
      }
      if (r == END) {
        return END;
      }
      open(r);
      return AGAIN;
    }
  }
}
