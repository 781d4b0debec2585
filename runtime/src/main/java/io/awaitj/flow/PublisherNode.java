package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Flows#fromPublisher}: the node that subscribes to a {@link Flow.Publisher} and hands its
 * elements out on the loop. The subscriber's signals may come from any thread: they go into a
 * concurrent queue and complete the future the waiting pull awaits (a {@link CompletableFuture},
 * whose completion from another thread resumes the task on its loop). Every {@code request} and
 * {@code cancel} is made on the loop's thread, so they are serial (rule 2.7), the first one too: {@code
 * onSubscribe} hops onto the loop to make it.
 */
final class PublisherNode<T> extends Node<T> {
  /** Queued for {@code onComplete}. */
  private static final Object COMPLETE = new Object();

  /** Queued for {@code onError}. */
  private static final class Error {
    final Throwable cause;

    Error(Throwable cause) {
      this.cause = cause;
    }
  }

  private final Flow.Publisher<? extends T> publisher;
  private final int prefetch;
  /** Elements taken before the next request of {@link #batch}. */
  private final int batch;
  private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicReference<CompletableFuture<Void>> waiter = new AtomicReference<>();

  /** The reading task's loop: set before subscribing, read by the subscriber on any thread. */
  private volatile EventLoop loop;
  /** The loop's thread only, from here on. */
  private Flow.Subscription subscription;
  private boolean subscribed;
  private boolean closedHere;
  private int taken;

  PublisherNode(Flow.Publisher<? extends T> publisher, int prefetch) {
    this.publisher = publisher;
    this.prefetch = prefetch;
    this.batch = Math.max(1, prefetch / 2);
  }

  private void subscribeOnce() {
    if (!subscribed) {
      subscribed = true;
      loop = Aio.loop();
      publisher.subscribe(new Subscriber());
    }
  }

  @Override
  Object poll0() throws Throwable {
    subscribeOnce();
    Object item = inbox.poll();
    if (item == null) {
      return WAIT;
    }
    if (item == COMPLETE) {
      subscription = null;
      return END;
    }
    if (item instanceof Error e) {
      subscription = null;
      throw e.cause;
    }
    if (++taken == batch) {
      taken = 0;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(batch);
      }
    }
    return item;
  }

  @Override
  Coroutine<Object> pull0() {
    return new Wait();
  }

  @Override
  Coroutine<Void> closeUpstream() {
    closedHere = true;
    Flow.Subscription s = subscription;
    subscription = null;
    if (s != null) {
      s.cancel();
    }
    inbox.clear();
    return Aio.done();
  }

  @Override
  public String toString() {
    return "Flows.fromPublisher(" + publisher + ")";
  }

  private void wake() {
    CompletableFuture<Void> w = waiter.getAndSet(null);
    if (w != null) {
      w.complete(null);
    }
  }

  /** Waits until the inbox has something, then polls. */
  private final class Wait extends Coroutine<Object> {
    @Override
    protected Object step() throws Throwable {
      while (true) {
        if (state == 1) {
          awaitResult();
        }
        Object x = poll0();
        if (x != WAIT) {
          return x;
        }
        CompletableFuture<Void> w = new CompletableFuture<>();
        waiter.set(w);
        if (!inbox.isEmpty()) {
          waiter.set(null); // came meanwhile
          state = 0;
          continue;
        }
        state = 1;
        if (suspendOn(w)) {
          return SUSPEND;
        }
      }
    }
  }

  /** The subscriber: any thread. */
  private final class Subscriber implements Flow.Subscriber<T> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      if (s == null) {
        throw new NullPointerException("onSubscribe(null) (rule 2.13)");
      }
      loop.callSoonThreadsafe(() -> {
        if (closedHere || subscription != null) {
          s.cancel(); // closed already, or a second subscription (rule 2.5)
          return;
        }
        subscription = s;
        s.request(prefetch);
      });
    }

    @Override
    public void onNext(T item) {
      if (item == null) {
        throw new NullPointerException("onNext(null) (rule 2.13)");
      }
      inbox.add(item);
      wake();
    }

    @Override
    public void onError(Throwable t) {
      if (t == null) {
        throw new NullPointerException("onError(null) (rule 2.13)");
      }
      inbox.add(new Error(t));
      wake();
    }

    @Override
    public void onComplete() {
      inbox.add(COMPLETE);
      wake();
    }
  }
}
