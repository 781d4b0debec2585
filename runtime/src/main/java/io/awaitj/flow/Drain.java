package io.awaitj.flow;

import io.awaitj.Coroutine;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * The terminal operations: a coroutine that reads a node to its end (or until {@link #accept} says
 * stop, which closes the node) and completes with a result. A failure of the node arrives as it is
 * (the node has closed its upstream); a failure of the terminal's own function closes the node, then
 * is thrown.
 *
 * @param <R> the result type
 */
abstract class Drain<R> extends Coroutine<R> {
  private static final int PULLED = 1;
  private static final int CLOSED = 2;

  private final Node<?> node;
  private Throwable failure;
  private boolean stopped;

  Drain(Node<?> node) {
    this.node = node;
  }

  /** Takes one element; {@code false} to stop here (the node is closed, then {@link #result()}). */
  abstract boolean accept(Object e) throws Throwable;

  /** The result at the end, or after a stop. */
  abstract Object result() throws Throwable;

  @Override
  protected final Object step() throws Throwable {
    Node<?> n = node;
    switch (state) {
      case 0:
        break;
      case PULLED:
        {
          Object r = awaitResult();
          if (r == END) {
            return result();
          }
          if (!take(r)) {
            return close();
          }
          break;
        }
      case CLOSED:
        try {
          awaitResult();
        } catch (Throwable e) {
          if (failure == null) {
            failure = e;
          } else if (failure != e) {
            failure.addSuppressed(e);
          }
        }
        if (failure != null) {
          throw failure;
        }
        return result();
      default:
        throw illegalState();
    }
    while (true) {
      Object r = n.poll();
      if (r == WAIT) {
        state = PULLED;
        if (suspendOn(n.pull())) {
          return SUSPEND;
        }
        r = awaitResult();
      }
      if (r == END) {
        return result();
      }
      if (!take(r)) {
        return close();
      }
    }
  }

  private static final Object END = Node.END;
  private static final Object WAIT = Node.WAIT;

  private boolean take(Object r) {
    try {
      if (accept(r)) {
        return true;
      }
      stopped = true;
    } catch (Throwable e) {
      failure = e;
    }
    return false;
  }

  private Object close() throws Throwable {
    state = CLOSED;
    if (suspendOn(node.closeAsync())) {
      return SUSPEND;
    }
    return step();
  }

  /** Whether {@link #accept} stopped the reading. */
  final boolean stopped() {
    return stopped;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + " of " + node;
  }

  static final class ToList<T> extends Drain<List<T>> {
    private final ArrayList<T> list = new ArrayList<>();

    ToList(Node<T> node) {
      super(node);
    }

    @Override
    @SuppressWarnings("unchecked")
    boolean accept(Object e) {
      list.add((T) e);
      return true;
    }

    @Override
    Object result() {
      return list;
    }
  }

  static final class First<T> extends Drain<T> {
    private Object first;

    First(Node<T> node) {
      super(node);
    }

    @Override
    boolean accept(Object e) {
      first = e;
      return false;
    }

    @Override
    Object result() {
      if (!stopped()) {
        throw new NoSuchElementException("first(): the stream is empty");
      }
      return first;
    }
  }

  static final class Fold<T, A> extends Drain<A> {
    private final BiFunction<? super A, ? super T, ? extends A> f;
    private A acc;

    Fold(Node<T> node, A initial, BiFunction<? super A, ? super T, ? extends A> f) {
      super(node);
      this.acc = initial;
      this.f = f;
    }

    @Override
    @SuppressWarnings("unchecked")
    boolean accept(Object e) {
      acc = f.apply(acc, (T) e);
      return true;
    }

    @Override
    Object result() {
      return acc;
    }
  }

  static final class Reduce<T> extends Drain<T> {
    private final BinaryOperator<T> f;
    private T acc;
    private boolean any;

    Reduce(Node<T> node, BinaryOperator<T> f) {
      super(node);
      this.f = f;
    }

    @Override
    @SuppressWarnings("unchecked")
    boolean accept(Object e) {
      acc = any ? f.apply(acc, (T) e) : (T) e;
      any = true;
      return true;
    }

    @Override
    Object result() {
      if (!any) {
        throw new NoSuchElementException("reduce(...): the stream is empty");
      }
      return acc;
    }
  }

  static final class ForEach<T> extends Drain<Void> {
    private final Consumer<? super T> action;

    ForEach(Node<T> node, Consumer<? super T> action) {
      super(node);
      this.action = action;
    }

    @Override
    @SuppressWarnings("unchecked")
    boolean accept(Object e) {
      action.accept((T) e);
      return true;
    }

    @Override
    Object result() {
      return null;
    }
  }

  static final class Count extends Drain<Long> {
    private long n;

    Count(Node<?> node) {
      super(node);
    }

    @Override
    boolean accept(Object e) {
      n++;
      return true;
    }

    @Override
    Object result() {
      return n;
    }
  }
}
