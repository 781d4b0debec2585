package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.AsyncGenerator;
import io.awaitj.AsyncIterable;
import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A stream of values with operators, Kotlin's {@code Flow} for awaitj: made by {@link Flows} ({@code
 * Flows.of(...)}, {@code range}, {@code interval}, {@code merge}, {@code fromPublisher}), transformed
 * by the operators below (each returns a new stream that reads this one), and consumed by a terminal
 * coroutine ({@link #toList()}, {@link #first()}, {@link #fold}, {@link #reduce}, {@link #collect},
 * {@link #count()}) or by {@code for (T x : stream)} in an {@code @Async} body:
 *
 * <pre>{@code
 * List<String> names = await(Flows.of(users).filter(User::active).map(User::name).take(10).toList());
 * }</pre>
 *
 * <p><b>Single use, lazy, as a generator.</b> A stream is an {@link AsyncGenerator}: it runs once, and
 * nothing happens until its first element is asked for. An operator takes its upstream over: the
 * upstream may not be iterated or given to a second operator ({@link IllegalStateException}), and
 * closing the operator's stream closes it.
 *
 * <p><b>Closing and cancellation.</b> The iterator of every operator closes its upstream iterators when
 * it is closed ({@link AsyncIterator#closeAsync()}, which a loop left early awaits), when it ends early
 * ({@link #take}, {@link #takeWhile}, {@link #zip}, {@link #first()}), and when it ends by a failure:
 * its function's, its upstream's, or the {@link io.awaitj.CancelledError} of the consuming task,
 * cancelled while it waits for an element. Operators that own tasks ({@link #buffer}, {@link
 * Flows#merge}, {@link #chunked(int, Duration)}) cancel them on close and wait until they have
 * finished, so cancelling the consuming task closes every upstream and leaves no task pending.
 *
 * <p><b>Cost.</b> Every operator's iterator answers {@code hasNext()} with a shared coroutine (see
 * {@link io.awaitj.Coroutine.Shared}) and asks its upstream without awaiting first: over a source whose
 * elements are ready ({@link Flows#of(Iterable)}, {@link Flows#range}), {@link #map} and {@link
 * #filter} allocate nothing per element beyond what their functions return. An element that must be
 * waited for costs a coroutine per operator; an {@link AsyncIterable} not made by {@link Flows} is read
 * through its {@code hasNext()}, a coroutine per element.
 *
 * <p>Elements may be {@code null}, except through {@link Flows#toPublisher} (Reactive Streams forbid it).
 *
 * <p>Threading: building a stream works on any thread; iterating it, closing it and the terminal
 * coroutines run on the loop's thread of the task that consumes it. Functions passed to operators run
 * there, on the loop: they must not block.
 *
 * @param <T> the element type
 */
public final class AsyncStream<T> implements AsyncGenerator<T> {
  private final Supplier<? extends Node<T>> open;
  /** What closing a stream never iterated closes: the streams it would have read. */
  private final Object[] upstreams;
  private final String name;
  private Node<T> node;
  private boolean used;
  private boolean closedUnopened;

  AsyncStream(String name, Supplier<? extends Node<T>> open, Object... upstreams) {
    this.name = name;
    this.open = open;
    this.upstreams = upstreams;
  }

  /**
   * Marks the stream used: by an operator built on it, a terminal, or an iteration.
   *
   * @throws IllegalStateException if it was used already
   */
  void claim() {
    if (used) {
      throw new IllegalStateException(
          "the stream " + this + " was already iterated or given to an operator: a stream runs once");
    }
    used = true;
  }

  /** The node of a stream claimed before ({@link #claim()}), made at the first call. */
  Node<T> open() {
    if (node == null) {
      if (closedUnopened) {
        throw new IllegalStateException("the stream " + this + " was closed before it was read");
      }
      node = open.get();
    }
    return node;
  }

  /** {@link #claim()}, then {@link #open()}. */
  Node<T> node() {
    claim();
    return open();
  }

  /**
   * The stream's iterator; see the class comment. Threading: the loop's thread.
   *
   * @throws IllegalStateException if called a second time, or after the stream was given to an
   *     operator: a stream runs once
   */
  @Override
  public AsyncIterator<T> asyncIterator() {
    return node();
  }

  /**
   * Closes the stream: its iterator if it was iterated (and so everything upstream), else the streams
   * it would have read; a stream closed before its first element never runs. Idempotent. Threading:
   * the loop's thread.
   */
  @Override
  public Coroutine<Void> closeAsync() {
    if (node != null) {
      return node.closeAsync();
    }
    if (closedUnopened) {
      return Aio.done();
    }
    closedUnopened = true;
    used = true;
    return Closer.of(upstreams);
  }

  private <R> AsyncStream<R> then(String op, Supplier<? extends Node<R>> make) {
    claim();
    return new AsyncStream<>(op + " of " + name, make, this);
  }

  // ---------------------------------------------------------------------------------------------
  // Operators.

  /**
   * Each element through {@code f}. Threading: build on any thread; {@code f} runs on the loop.
   */
  public <R> AsyncStream<R> map(Function<? super T, ? extends R> f) {
    requireNonNull(f);
    return then("map", () -> new OneUp.Map<>(open(), f));
  }

  /**
   * Each element through an async function, one element at a time, in order: the next element is
   * read once {@code f}'s coroutine for this one has completed. Threading: build on any thread; {@code
   * f} and its coroutines run on the loop.
   */
  public <R> AsyncStream<R> mapAsync(Function<? super T, ? extends Coroutine<? extends R>> f) {
    requireNonNull(f);
    return then("mapAsync", () -> new MapAsync<>(open(), f));
  }

  /**
   * The elements for which {@code p} holds. Threading: build on any thread; {@code p} runs on the
   * loop.
   */
  public AsyncStream<T> filter(Predicate<? super T> p) {
    requireNonNull(p);
    return then("filter", () -> new OneUp.Filter<>(open(), p));
  }

  /**
   * The first {@code n} elements; then the upstream is closed (without asking it for one more).
   * Threading: build on any thread.
   *
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public AsyncStream<T> take(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("take(n) needs n >= 0: " + n);
    }
    return then("take", () -> new OneUp.Take<>(open(), n));
  }

  /**
   * The elements up to, not including, the first for which {@code p} fails; then the upstream is
   * closed. Threading: build on any thread; {@code p} runs on the loop.
   */
  public AsyncStream<T> takeWhile(Predicate<? super T> p) {
    requireNonNull(p);
    return then("takeWhile", () -> new OneUp.TakeWhile<>(open(), p));
  }

  /**
   * The elements after the first {@code n}. Threading: build on any thread.
   *
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public AsyncStream<T> drop(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("drop(n) needs n >= 0: " + n);
    }
    return then("drop", () -> new OneUp.Drop<>(open(), n));
  }

  /**
   * For each element, every element of the async iterable {@code f} returns for it, one iterable
   * after the other (Kotlin's {@code flatMapConcat}). The inner iterables may wait as they like, so
   * {@code f} may start asynchronous work: it is the async form. Closing closes the inner iterable
   * being read, then the upstream. Threading: build on any thread; {@code f} runs on the loop.
   */
  public <R> AsyncStream<R> flatMap(Function<? super T, ? extends AsyncIterable<? extends R>> f) {
    requireNonNull(f);
    return then("flatMap", () -> new FlatMap<>(open(), f));
  }

  /**
   * Pairs of this stream's and {@code other}'s elements, in order, combined by {@code f}; ends when
   * either ends, closing the other. Threading: build on any thread; {@code f} runs on the loop.
   */
  public <U, R> AsyncStream<R> zip(AsyncIterable<U> other,
      BiFunction<? super T, ? super U, ? extends R> f) {
    requireNonNull(other);
    requireNonNull(f);
    claim();
    Flows.claim(other);
    return new AsyncStream<R>("zip of " + name,
        () -> new Zip<T, U, R>(open(), Flows.claimedNode(other), f), this, other);
  }

  /**
   * Lists of {@code count} consecutive elements; the last list holds what is left, if fewer.
   * Threading: build on any thread.
   *
   * @throws IllegalArgumentException if {@code count <= 0}
   */
  public AsyncStream<List<T>> chunked(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("chunked(count) needs count > 0: " + count);
    }
    return this.<List<T>>then("chunked", () -> new OneUp.Chunked<T>(open(), count));
  }

  /**
   * Lists of up to {@code count} elements: a list is handed out as soon as it holds {@code count}, or
   * when {@code span} has passed since its first element came (on the loop's clock), whichever is
   * first; no empty list, and the last list holds what came before the end. This stream is read by a
   * task of the operator's into a queue of {@code count} elements, so the timer never interrupts it; a
   * failure of this stream drops the list being gathered and is thrown. Threading: build on any thread.
   *
   * @throws IllegalArgumentException if {@code count <= 0} or {@code span} is not positive
   */
  public AsyncStream<List<T>> chunked(int count, Duration span) {
    if (count <= 0) {
      throw new IllegalArgumentException("chunked(count, span) needs count > 0: " + count);
    }
    if (span == null || span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("chunked(count, span) needs a positive span: " + span);
    }
    return this.<List<T>>then("chunked", () -> new Buffered.TimedChunks<T>(open(), count, span));
  }

  /**
   * Fails with {@link io.awaitj.AsyncTimeoutException} when an element takes longer than {@code limit}
   * to come once asked for (the limit applies to each element, not to the whole stream; the wait is
   * cancelled, and the upstream closed). Threading: build on any thread.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public AsyncStream<T> timeout(Duration limit) {
    if (limit == null || limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("timeout(limit) needs a positive limit: " + limit);
    }
    return then("timeout", () -> new TimeoutNode<>(open(), limit));
  }

  /**
   * Reads this stream ahead of the consumer: a task of the operator's, started at the first request,
   * reads it into a queue of {@code capacity} elements (and holds at most one more, read and waiting
   * for room). Failures and the end pass through the queue in order. Closing cancels the task, which
   * closes this stream. Threading: build on any thread.
   *
   * @throws IllegalArgumentException if {@code capacity <= 0}
   */
  @SuppressWarnings("unchecked")
  public AsyncStream<T> buffer(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("buffer(capacity) needs capacity > 0: " + capacity);
    }
    return then("buffer", () -> new Buffered<T>("buffer", capacity, new Node<?>[] {open()}));
  }

  // ---------------------------------------------------------------------------------------------
  // Terminal coroutines.

  /**
   * A coroutine that reads the whole stream and completes with its elements. Threading: create on any
   * thread; await on the loop.
   */
  public Coroutine<List<T>> toList() {
    return new Drain.ToList<>(node());
  }

  /**
   * A coroutine that completes with the first element, then closes the stream. Threading: create on
   * any thread; await on the loop.
   *
   * @throws NoSuchElementException (when awaited) if the stream is empty
   */
  public Coroutine<T> first() {
    return new Drain.First<>(node());
  }

  /**
   * A coroutine that folds the elements into {@code initial} with {@code f}, in order, and completes
   * with the result. Threading: create on any thread; await on the loop, where {@code f} runs.
   */
  public <A> Coroutine<A> fold(A initial, BiFunction<? super A, ? super T, ? extends A> f) {
    requireNonNull(f);
    return new Drain.Fold<>(node(), initial, f);
  }

  /**
   * A coroutine that combines the elements with {@code f}, the first as the start. Threading: create
   * on any thread; await on the loop, where {@code f} runs.
   *
   * @throws NoSuchElementException (when awaited) if the stream is empty
   */
  public Coroutine<T> reduce(BinaryOperator<T> f) {
    requireNonNull(f);
    return new Drain.Reduce<>(node(), f);
  }

  /**
   * A coroutine that gives each element to {@code action}, in order: Kotlin's {@code collect} (the
   * name {@code forEach} is {@link Iterable}'s, which an async iterable cannot run). Threading: create on any thread;
   * await on the loop, where {@code action} runs.
   */
  public Coroutine<Void> collect(Consumer<? super T> action) {
    requireNonNull(action);
    return new Drain.ForEach<>(node(), action);
  }

  /**
   * A coroutine that reads the whole stream and completes with the number of elements. Threading:
   * create on any thread; await on the loop.
   */
  public Coroutine<Long> count() {
    return new Drain.Count(node());
  }

  @Override
  public String toString() {
    return name;
  }

  private static void requireNonNull(Object o) {
    if (o == null) {
      throw new NullPointerException("an operator's argument is null");
    }
  }
}
