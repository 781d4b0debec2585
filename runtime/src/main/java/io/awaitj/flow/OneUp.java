package io.awaitj.flow;

import io.awaitj.Coroutine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A node that reads one upstream node and decides, element by element, without awaiting anything of
 * its own: map, filter, take, takeWhile, drop, chunked by count. Over a ready upstream its {@link
 * #poll0()} allocates nothing but what its function does.
 *
 * @param <T> the upstream's element type
 * @param <R> this node's element type
 */
abstract class OneUp<T, R> extends Node<R> {
  /** From {@link #after}: nothing to hand out for this one; read the next. */
  static final Object SKIP = new Object();

  final Node<T> up;

  OneUp(Node<T> up) {
    this.up = up;
  }

  /** Before each read of the upstream: {@code null} to read, or {@link #END} / {@link #STOP}. */
  Object before() {
    return null;
  }

  /** What to hand out for {@code r}, an element or {@link #END} of the upstream. */
  abstract Object after(Object r) throws Throwable;

  @Override
  final Object poll0() throws Throwable {
    while (true) {
      Object b = before();
      if (b != null) {
        return b;
      }
      Object r = up.poll();
      if (r == WAIT) {
        return WAIT;
      }
      Object x = after(r);
      if (x != SKIP) {
        return x;
      }
    }
  }

  @Override
  final Coroutine<Object> pull0() {
    return new Read(this);
  }

  @Override
  final Coroutine<Void> closeUpstream() {
    return up.closeAsync();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName().toLowerCase() + " of " + up;
  }

  /** {@link #pull0()}: polls, awaiting the upstream's pull when it must, until it has an answer. */
  static final class Read extends Coroutine<Object> {
    private final OneUp<?, ?> n;

    Read(OneUp<?, ?> n) {
      this.n = n;
    }

    @Override
    protected Object step() throws Throwable {
      if (state == 1) {
        Object x = n.after(awaitResult());
        if (x != SKIP) {
          return x;
        }
      }
      while (true) {
        Object x = n.poll0();
        if (x != WAIT) {
          return x;
        }
        state = 1;
        if (suspendOn(n.up.pull())) {
          return SUSPEND;
        }
        x = n.after(awaitResult());
        if (x != SKIP) {
          return x;
        }
      }
    }
  }

  static final class Map<T, R> extends OneUp<T, R> {
    private final Function<? super T, ? extends R> f;

    Map(Node<T> up, Function<? super T, ? extends R> f) {
      super(up);
      this.f = f;
    }

    @Override
    @SuppressWarnings("unchecked")
    Object after(Object r) {
      return r == END ? END : f.apply((T) r);
    }
  }

  static final class Filter<T> extends OneUp<T, T> {
    private final Predicate<? super T> p;

    Filter(Node<T> up, Predicate<? super T> p) {
      super(up);
      this.p = p;
    }

    @Override
    @SuppressWarnings("unchecked")
    Object after(Object r) {
      return r == END || p.test((T) r) ? r : SKIP;
    }
  }

  static final class Take<T> extends OneUp<T, T> {
    private long left;

    Take(Node<T> up, long n) {
      super(up);
      this.left = n;
    }

    @Override
    Object before() {
      return left <= 0 ? STOP : null;
    }

    @Override
    Object after(Object r) {
      if (r != END) {
        left--;
      }
      return r;
    }
  }

  static final class TakeWhile<T> extends OneUp<T, T> {
    private final Predicate<? super T> p;

    TakeWhile(Node<T> up, Predicate<? super T> p) {
      super(up);
      this.p = p;
    }

    @Override
    @SuppressWarnings("unchecked")
    Object after(Object r) {
      return r == END || p.test((T) r) ? r : STOP;
    }
  }

  static final class Drop<T> extends OneUp<T, T> {
    private long left;

    Drop(Node<T> up, long n) {
      super(up);
      this.left = n;
    }

    @Override
    Object after(Object r) {
      if (r != END && left > 0) {
        left--;
        return SKIP;
      }
      return r;
    }
  }

  /** Lists of {@code count} elements, the last one shorter if the upstream ends in the middle. */
  static final class Chunked<T> extends OneUp<T, List<T>> {
    private final int count;
    private ArrayList<T> chunk;
    private boolean upEnded;

    Chunked(Node<T> up, int count) {
      super(up);
      this.count = count;
    }

    @Override
    Object before() {
      return upEnded ? END : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    Object after(Object r) {
      if (r == END) {
        upEnded = true;
        return chunk == null ? END : take();
      }
      if (chunk == null) {
        chunk = new ArrayList<>(count);
      }
      chunk.add((T) r);
      return chunk.size() == count ? take() : SKIP;
    }

    private List<T> take() {
      List<T> c = chunk;
      chunk = null;
      return c;
    }
  }
}
