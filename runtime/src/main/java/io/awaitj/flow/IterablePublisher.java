package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.AsyncIterable;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import java.util.concurrent.Flow;

/**
 * {@link Flows#toPublisher}: an {@link AsyncIterable} as a {@link Flow.Publisher}, keeping the Reactive
 * Streams rules.
 *
 * <ul>
 *   <li>{@code subscribe} returns at once; {@code onSubscribe} comes first, from the loop's thread,
 *       then the other signals, all from the loop's thread, one at a time (serialized).
 *   <li>Demand: no more {@code onNext} than requested in total; a task of the loop reads the iterable
 *       while demand is left and ends when none is (no task waits for demand). Elements that are ready
 *       at once are handed out 256 at a time, the task yielding to the loop between (so a cancel or a
 *       request from another thread is seen). {@code request(n)} with
 *       {@code n <= 0} cancels and signals {@code onError} with an {@link IllegalArgumentException}
 *       (rule 3.9); demand adds up to {@link Long#MAX_VALUE}, which means unbounded (3.17).
 *   <li>{@code cancel()} stops the signals and closes the iterator (cancelling the reading task, if
 *       one waits for an element: the iterator's operators close their upstreams as it ends); a
 *       {@code request} or {@code cancel} after it does nothing.
 *   <li>{@code request} and {@code cancel} may be called from any thread, also from inside {@code
 *       onNext}: they hop onto the loop ({@link EventLoop#callSoonThreadsafe}), so a request from
 *       {@code onNext} never recurses.
 *   <li>A {@code null} element fails the subscription with a {@link NullPointerException} (2.13); so
 *       does a subscriber whose {@code onNext} throws: it is cancelled, and the exception reported to
 *       the loop's exception handler.
 * </ul>
 */
final class IterablePublisher<T> implements Flow.Publisher<T> {
  private final AsyncIterable<T> iterable;
  private final EventLoop loop;

  IterablePublisher(AsyncIterable<T> iterable, EventLoop loop) {
    this.iterable = iterable;
    this.loop = loop;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    if (subscriber == null) {
      throw new NullPointerException("subscriber (rule 1.9)");
    }
    Sub<T> s = new Sub<>(this, subscriber);
    loop.callSoonThreadsafe(s::start);
  }

  @Override
  public String toString() {
    return "Flows.toPublisher(" + iterable + ")";
  }

  /** One subscription. Its fields belong to the loop's thread. */
  static final class Sub<T> implements Flow.Subscription {
    private final IterablePublisher<T> p;
    private final Flow.Subscriber<? super T> subscriber;
    private Node<T> node;
    private long demand;
    /** Cancelled, failed or completed: no more signals. */
    private boolean done;
    private Task<Void> pump;

    Sub(IterablePublisher<T> p, Flow.Subscriber<? super T> subscriber) {
      this.p = p;
      this.subscriber = subscriber;
    }

    /** On the loop: onSubscribe, then the node (whose failure is the first signal after it). */
    void start() {
      try {
        subscriber.onSubscribe(this);
      } catch (Throwable e) {
        done = true;
        p.loop.callExceptionHandler("onSubscribe of " + subscriber + " threw", e);
        return;
      }
      if (done) {
        return; // cancelled inside onSubscribe
      }
      try {
        node = Flows.node(p.iterable);
      } catch (Throwable e) {
        fail(e);
      }
    }

    @Override
    public void request(long n) {
      p.loop.callSoonThreadsafe(() -> onRequest(n));
    }

    @Override
    public void cancel() {
      p.loop.callSoonThreadsafe(this::onCancel);
    }

    private void onRequest(long n) {
      if (done) {
        return;
      }
      if (n <= 0) {
        fail(new IllegalArgumentException(
            "request(" + n + "): a subscriber must request a positive number (rule 3.9)"));
        return;
      }
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      if (node != null && pump == null) {
        pump = p.loop.createTask(new Pump<>(this), "publisher of " + p.iterable);
      }
    }

    private void onCancel() {
      if (done) {
        return;
      }
      done = true;
      stop();
    }

    /** Ends the subscription: the pump cancelled, or the node closed by a task of its own. */
    private void stop() {
      Task<Void> t = pump;
      if (t != null) {
        // The pump closes the node as it ends; if the cancellation came before it ever ran, it did
        // not, and the callback does.
        t.cancel();
        t.addDoneCallback(x -> closeLeftover());
      } else {
        closeLeftover();
      }
    }

    /** Closes the node in a task of its own, unless the pump did. */
    private void closeLeftover() {
      Node<T> n = node;
      if (n != null) {
        node = null;
        p.loop.createTask(n.closeAsync(), "close of " + p.iterable);
      }
    }

    private void fail(Throwable e) {
      if (done) {
        return;
      }
      done = true;
      stop();
      try {
        subscriber.onError(e);
      } catch (Throwable t) {
        p.loop.callExceptionHandler("onError of " + subscriber + " threw", t);
      }
    }

    /** Hands {@code x} out; {@code false} if the subscriber threw and the subscription is over. */
    private boolean emit(Object x) {
      if (x == null) {
        failFromPump(new NullPointerException(
            "a null element cannot be published (Reactive Streams rule 2.13)"));
        return false;
      }
      demand--;
      try {
        @SuppressWarnings("unchecked")
        T t = (T) x;
        subscriber.onNext(t);
        return true;
      } catch (Throwable e) {
        done = true;
        p.loop.callExceptionHandler("onNext of " + subscriber + " threw: subscription cancelled", e);
        return false;
      }
    }

    /** From the pump, which then closes the node itself. */
    private void failFromPump(Throwable e) {
      if (done) {
        return;
      }
      done = true;
      try {
        subscriber.onError(e);
      } catch (Throwable t) {
        p.loop.callExceptionHandler("onError of " + subscriber + " threw", t);
      }
    }

    private void complete() {
      if (done) {
        return;
      }
      done = true;
      try {
        subscriber.onComplete();
      } catch (Throwable t) {
        p.loop.callExceptionHandler("onComplete of " + subscriber + " threw", t);
      }
    }
  }

  /**
   * The task that reads the node while there is demand: ends when there is none (the next request
   * starts another), at the end (onComplete), on a failure (onError), or cancelled (the node closed).
   */
  static final class Pump<T> extends Coroutine<Void> {
    private static final int PULLED = 1;
    private static final int CLOSED = 2;
    private static final int YIELDED = 3;
    /** Elements handed out without suspending before the pump yields to the loop. */
    private static final int YIELD_EVERY = 256;
    private final Sub<T> s;
    private int run;
    private Throwable cancelled;

    Pump(Sub<T> s) {
      this.s = s;
    }

    @Override
    protected Object step() throws Throwable {
      Node<T> n = s.node;
      switch (state) {
        case 0:
          break;
        case PULLED:
          {
            Object r;
            try {
              r = awaitResult();
            } catch (CancelledError e) {
              cancelled = e; // the node closed itself as it ended
              s.pump = null;
              s.node = null;
              throw e;
            } catch (Throwable e) {
              s.failFromPump(e); // the node closed itself as it ended
              s.pump = null;
              return null;
            }
            if (!handle(r)) {
              return close();
            }
            break;
          }
        case CLOSED:
          s.pump = null;
          s.node = null;
          try {
            awaitResult();
          } catch (Throwable e) {
            s.p.loop.callExceptionHandler("closing " + n + " for a cancelled subscription", e);
          }
          if (cancelled != null) {
            throw cancelled;
          }
          return null;
        case YIELDED:
          try {
            awaitResult();
          } catch (CancelledError e) {
            cancelled = e;
            return close();
          }
          break;
        default:
          throw illegalState();
      }
      while (true) {
        if (s.done) {
          return close();
        }
        if (s.demand == 0) {
          s.pump = null;
          return null;
        }
        Object r = n.poll();
        if (r == Node.WAIT) {
          state = PULLED;
          if (suspendOn(n.pull())) {
            return SUSPEND;
          }
          return step();
        }
        if (!handle(r)) {
          return close();
        }
        if (++run == YIELD_EVERY) {
          // Ready elements never suspend: let the loop run the rest (a cancel, other subscribers).
          run = 0;
          state = YIELDED;
          if (suspendOn(Aio.sleep(0))) {
            return SUSPEND;
          }
          return step();
        }
      }
    }

    /** Signals {@code r}; {@code false} when the node must be closed now. */
    private boolean handle(Object r) {
      if (r == Node.END) {
        s.complete();
        s.pump = null;
        s.node = null;
        return true; // nothing left to close; the loop sees done and closes (a no-op)
      }
      return s.emit(r) && !s.done;
    }

    private Object close() throws Throwable {
      state = CLOSED;
      Node<T> n = s.node;
      if (n == null) {
        s.pump = null;
        return null;
      }
      if (suspendOn(n.closeAsync())) {
        return SUSPEND;
      }
      return step();
    }
  }
}
