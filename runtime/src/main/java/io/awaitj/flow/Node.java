package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.AsyncIterator;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import java.util.NoSuchElementException;

/**
 * The iterator of every stream of this package: one node of a pipeline, reading the nodes upstream of
 * it. Beside the {@link AsyncIterator} protocol, nodes talk to each other through two calls that
 * allocate nothing when an element is ready:
 *
 * <ul>
 *   <li>{@link #poll()}: the next element if it is there now, {@link #END} if there is none and will
 *       be none, or {@link #WAIT}: the caller must then await {@link #pull()}, which waits. A poll that
 *       answers {@code WAIT} may have left work for that pull (a failure to throw after closing the
 *       upstream, an early end to close it for).
 *   <li>{@link #pull()}: a coroutine that waits for the next element, or {@link #END}.
 * </ul>
 *
 * <p>A subclass implements {@link #poll0()}, {@link #pull0()} (called only after {@code poll0()}
 * answered {@code WAIT}) and {@link #closeUpstream()}. {@code poll0()} and {@code pull0()}'s coroutine
 * may answer {@link #STOP}: the node ends before its upstream did (take, takeWhile, zip, first), and
 * its upstream is closed before the end is reported. Whatever a node's own code throws, and whatever
 * its upstream's pull throws (a {@link CancelledError} of the consuming task too), ends the node: its
 * upstream is closed, then the failure is rethrown. Closing is idempotent ({@link #closeAsync()}).
 *
 * <p>Threading: the loop's thread of the task that iterates it.
 *
 * @param <T> the element type
 */
abstract class Node<T> implements AsyncIterator<T> {
  /** {@link #poll()}: nothing now, await {@link #pull()}. */
  static final Object WAIT = new Marker("WAIT");
  /** No element, and none will come. */
  static final Object END = new Marker("END");
  /** From {@link #poll0()} or {@link #pull0()}: the node ends early; close the upstream, then END. */
  static final Object STOP = new Marker("STOP");

  /** No element will come any more: after {@link #END}, a failure or a close. */
  boolean finished;
  /** {@link #closeUpstream()} was called (or the node never needs it). */
  private boolean closed;
  /** A failure {@link #poll()} caught, for the next {@link #pull()} to throw after closing. */
  private Throwable pendingFailure;
  /** {@link #poll0()} answered {@link #STOP}: the next {@link #pull()} closes, then ends. */
  private boolean pendingStop;

  /** {@link #hasNext()}'s answer waiting for {@link #next()}. */
  private Object current;
  private boolean ready;
  private Fresh.HasNext shared;

  /** The next element, {@link #END}, {@link #STOP} or {@link #WAIT}; may throw. */
  abstract Object poll0() throws Throwable;

  /** After {@link #poll0()} answered {@code WAIT}: a coroutine answering an element, END or STOP. */
  abstract Coroutine<Object> pull0() throws Throwable;

  /** Closes what this node reads from (iterators, tasks). Called at most once. */
  abstract Coroutine<Void> closeUpstream();

  /** See the class comment. Never throws. */
  final Object poll() {
    if (finished) {
      return END;
    }
    if (pendingFailure != null || pendingStop) {
      return WAIT;
    }
    Object r;
    try {
      r = poll0();
    } catch (Throwable e) {
      pendingFailure = e;
      return WAIT;
    }
    if (r == STOP) {
      pendingStop = true;
      return WAIT;
    }
    if (r == END) {
      finished = true;
    }
    return r;
  }

  /** See the class comment: a new coroutine each call, to await at once. */
  final Coroutine<Object> pull() {
    return new Pull(this);
  }

  /**
   * Closes the node, and so everything upstream of it: Python's {@code aclose()}. Idempotent; after it
   * the node has no more elements. Threading: the loop's thread.
   */
  @Override
  public final Coroutine<Void> closeAsync() {
    finished = true;
    if (closed) {
      return Aio.done();
    }
    closed = true;
    current = null;
    ready = false;
    return closeUpstream();
  }

  /** Waits for the next element. Threading: the loop's thread of the iterating task. */
  @Override
  public final Coroutine<Boolean> hasNext() {
    Fresh.HasNext h = shared;
    if (h == null) {
      h = new Fresh.HasNext(this);
      shared = h;
    }
    return h.call();
  }

  /** The element the last {@link #hasNext()} made available. Threading: as {@link #hasNext()}. */
  @Override
  @SuppressWarnings("unchecked")
  public final T next() {
    if (!ready) {
      throw new NoSuchElementException("next() without hasNext() answering true before, on " + this);
    }
    ready = false;
    Object r = current;
    current = null;
    return (T) r;
  }

  /** Keeps {@code r} for {@link #next()}, or answers the end. */
  final Boolean answer(Object r) {
    if (r == END) {
      return Boolean.FALSE;
    }
    current = r;
    ready = true;
    return Boolean.TRUE;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }

  /** {@link #hasNext()} that waits: awaits {@link #pull()}. */
  static final class Fresh extends Coroutine<Boolean> {
    private final Node<?> node;

    Fresh(Node<?> node) {
      this.node = node;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(node.pull())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          return node.answer(awaitResult());
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "hasNext() of " + node;
    }

    /** The node of {@link #hasNext()}: answers at once, allocating nothing, when an element is ready. */
    // Nested here: Coroutine.Shared is visible to Coroutine subclasses only.
    static final class HasNext extends Coroutine.Shared<Boolean> {
      private final Node<?> node;

      HasNext(Node<?> node) {
        this.node = node;
      }

      Coroutine<Boolean> call() {
        return forCall();
      }

      @Override
      protected Object now() {
        Object r = node.poll();
        return r == Node.WAIT ? WAIT : node.answer(r); // Node.WAIT: WAIT here is Shared's
      }

      @Override
      protected Coroutine<Boolean> fresh() {
        return new Fresh(node);
      }

      @Override
      public String toString() {
        return "hasNext() of " + node;
      }
    }
  }

  /**
   * {@link #pull()}: polls once more, else awaits {@link #pull0()}; on STOP or a failure, closes the
   * upstream first.
   */
  static final class Pull extends Coroutine<Object> {
    private final Node<?> node;
    private Object result;
    private Throwable failure;

    Pull(Node<?> node) {
      this.node = node;
    }

    @Override
    protected Object step() throws Throwable {
      Node<?> n = node;
      switch (state) {
        case 0:
          {
            Object r = n.poll();
            if (r != WAIT) {
              return r;
            }
            if (n.pendingFailure != null) {
              failure = n.pendingFailure;
              n.pendingFailure = null;
              return close();
            }
            if (n.pendingStop) {
              n.pendingStop = false;
              result = END;
              return close();
            }
            Coroutine<Object> c;
            try {
              c = n.pull0();
            } catch (Throwable e) {
              failure = e;
              return close();
            }
            state = 1;
            if (suspendOn(c)) {
              return SUSPEND;
            }
          }
          // fall through
        case 1:
          {
            Object r;
            try {
              r = awaitResult();
            } catch (Throwable e) {
              failure = e;
              return close();
            }
            if (r == STOP) {
              result = END;
              return close();
            }
            if (r == END) {
              n.finished = true;
            }
            return r;
          }
        case 2:
          try {
            awaitResult();
          } catch (Throwable e) {
            if (failure == null) {
              failure = e;
            } else if (failure != e) {
              failure.addSuppressed(e);
            }
          }
          return finish();
        default:
          throw illegalState();
      }
    }

    private Object close() throws Throwable {
      state = 2;
      Coroutine<Void> c;
      try {
        c = node.closeAsync();
      } catch (Throwable e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
        return finish();
      }
      if (suspendOn(c)) {
        return SUSPEND;
      }
      return step();
    }

    private Object finish() throws Throwable {
      if (failure != null) {
        throw failure;
      }
      return result;
    }

    @Override
    public String toString() {
      return "pull from " + node;
    }
  }

  /** The markers' class: a name for debugging. */
  private static final class Marker {
    private final String name;

    Marker(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
