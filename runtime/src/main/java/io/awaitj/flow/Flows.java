package io.awaitj.flow;

import io.awaitj.AsyncCloseable;
import io.awaitj.AsyncIterable;
import io.awaitj.EventLoop;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Where {@link AsyncStream}s come from: Java iterables and arrays, ranges, a clock, any {@link
 * AsyncIterable} (an {@code @Async} generator, a {@code StreamReader}'s lines, ...), several streams
 * merged, and a {@link Flow.Publisher}; and the way back out to a {@link Flow.Publisher}.
 *
 * <pre>{@code
 * @Async
 * static Coroutine<List<Integer>> evenSquares() {
 *   return Flows.range(0, 100).filter(i -> i % 2 == 0).map(i -> i * i).take(5).toList();
 * }
 * }</pre>
 *
 * <p>Threading: every method builds a stream or a publisher on any thread, and runs nothing; see
 * {@link AsyncStream} for where streams run.
 */
public final class Flows {
  private Flows() {}

  /**
   * A stream of {@code iterable}'s elements, from a new {@link java.util.Iterator} made when the stream
   * is first read; each is ready at once, without waiting. Threading: any thread; the iterator is
   * used on the loop.
   */
  public static <T> AsyncStream<T> of(Iterable<? extends T> iterable) {
    if (iterable instanceof AsyncIterable<?>) {
      throw new IllegalArgumentException(
          "Flows.of(Iterable) was given an AsyncIterable, whose iterator() throws: call"
              + " Flows.from(asyncIterable)");
    }
    if (iterable == null) {
      throw new NullPointerException("iterable");
    }
    return new AsyncStream<>("Flows.of(" + iterable.getClass().getSimpleName() + ")",
        () -> new Sources.OfIterator<T>(iterable.iterator()));
  }

  /** A stream of {@code elements}, in order, each ready at once. Threading: any thread. */
  @SafeVarargs
  public static <T> AsyncStream<T> of(T... elements) {
    List<T> list = Arrays.asList(elements);
    return new AsyncStream<>("Flows.of(...)", () -> new Sources.OfIterator<T>(list.iterator()));
  }

  /**
   * A stream of the elements of an {@link AsyncIterable}: an {@link AsyncStream} is returned as it is;
   * anything else is read through one {@link AsyncIterable#asyncIterator()}, made when the stream is
   * first read, and closed with the stream. Closing the stream before it is read closes {@code
   * iterable} if it is {@link AsyncCloseable} (a generator). Threading: any thread.
   */
  public static <T> AsyncStream<T> from(AsyncIterable<T> iterable) {
    if (iterable instanceof AsyncStream<T> s) {
      return s;
    }
    if (iterable == null) {
      throw new NullPointerException("iterable");
    }
    return new AsyncStream<>("Flows.from(" + iterable + ")",
        () -> new Sources.OfAsyncIterator<T>(iterable.asyncIterator()),
        iterable instanceof AsyncCloseable ? iterable : null);
  }

  /**
   * {@code start, start + 1, ..., end - 1}, each ready at once; empty if {@code end <= start}.
   * Threading: any thread.
   */
  public static AsyncStream<Integer> range(int start, int end) {
    return new AsyncStream<>("Flows.range(" + start + ", " + end + ")",
        () -> new Sources.Range(start, end));
  }

  /**
   * {@code 0, 1, 2, ...} for ever, element {@code k} at {@code (k + 1) * period} after the first
   * request, on the loop's clock (virtual time too): Kotlin's ticker. Fixed rate: a consumer that
   * falls behind gets the late elements at once. End it with {@link AsyncStream#take} or by closing.
   * Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code period} is not positive
   */
  public static AsyncStream<Long> interval(Duration period) {
    if (period == null || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("interval needs a positive period: " + period);
    }
    return new AsyncStream<>("Flows.interval(" + period + ")", () -> new Sources.Interval(period));
  }

  /**
   * The elements of all {@code sources}, read concurrently, in the order they come: one task per
   * source (started at the first request) puts its elements into a queue of {@code capacity}, waiting
   * while it is full, so at most {@code capacity} elements wait in the queue and one more in each
   * task. The stream ends when every source has ended; the first failure of a source is thrown once
   * the elements queued before it are handed out, and closes the others. Closing the stream, or
   * cancelling the task that reads it, cancels the tasks and closes every source. Threading: any
   * thread.
   *
   * @throws IllegalArgumentException if {@code capacity <= 0}
   */
  @SafeVarargs
  @SuppressWarnings("unchecked")
  public static <T> AsyncStream<T> merge(int capacity, AsyncIterable<? extends T>... sources) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("merge needs capacity > 0: " + capacity);
    }
    AsyncIterable<? extends T>[] s = sources.clone();
    for (AsyncIterable<? extends T> a : s) {
      if (a == null) {
        throw new NullPointerException("a source of merge is null");
      }
    }
    for (AsyncIterable<? extends T> a : s) {
      claim(a);
    }
    return new AsyncStream<T>("Flows.merge(" + s.length + " sources)",
        () -> {
          Node<?>[] nodes = new Node<?>[s.length];
          for (int i = 0; i < s.length; i++) {
            nodes[i] = claimedNode(s[i]);
          }
          return new Buffered<T>("merge", capacity, nodes);
        },
        (Object[]) s);
  }

  /**
   * {@code iterable} as a {@link Flow.Publisher}; see {@link IterablePublisher} for the rules it keeps.
   * Each subscriber reads the iterable through an iterator of its own, on {@code loop}: an {@link
   * AsyncStream} or a generator, which runs once, serves one subscriber (a second receives {@code
   * onError} with an {@link IllegalStateException}).
   *
   * <p>Threading: any thread; the subscribers' signals come from {@code loop}'s thread, and their
   * {@code request} and {@code cancel} may be called from any thread.
   */
  public static <T> Flow.Publisher<T> toPublisher(AsyncIterable<T> iterable, EventLoop loop) {
    if (iterable == null || loop == null) {
      throw new NullPointerException(iterable == null ? "iterable" : "loop");
    }
    return new IterablePublisher<>(iterable, loop);
  }

  /**
   * A stream of what {@code publisher} publishes, read on the loop of the task that reads the stream:
   * it subscribes at the first request, requests {@code prefetch} elements and then half of that each
   * time half were taken, so at most {@code prefetch} elements are ever requested and not taken.
   * {@code onNext}, {@code onError} and {@code onComplete} may come from any thread; the elements are
   * handed out on the loop. Closing the stream early (a loop left, {@link AsyncStream#take}, the
   * reading task cancelled) cancels the subscription.
   *
   * <p>Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code prefetch <= 0}
   */
  public static <T> AsyncStream<T> fromPublisher(Flow.Publisher<? extends T> publisher, int prefetch) {
    if (publisher == null) {
      throw new NullPointerException("publisher");
    }
    if (prefetch <= 0) {
      throw new IllegalArgumentException("fromPublisher needs prefetch > 0: " + prefetch);
    }
    return new AsyncStream<>("Flows.fromPublisher(" + publisher + ")",
        () -> new PublisherNode<T>(publisher, prefetch));
  }

  // ---------------------------------------------------------------------------------------------

  /** The node reading {@code iterable}: a stream's own, or one over its async iterator. */
  @SuppressWarnings("unchecked")
  static <T> Node<T> node(AsyncIterable<? extends T> iterable) {
    if (iterable instanceof AsyncStream<?> s) {
      return (Node<T>) s.node();
    }
    return new Sources.OfAsyncIterator<T>(iterable.asyncIterator());
  }

  /** Marks {@code iterable} used by an operator, if it is a stream: see {@link AsyncStream#claim()}. */
  static void claim(AsyncIterable<?> iterable) {
    if (iterable instanceof AsyncStream<?> s) {
      s.claim();
    }
  }

  /** As {@link #node}, for an iterable {@link #claim}ed before. */
  @SuppressWarnings("unchecked")
  static <T> Node<T> claimedNode(AsyncIterable<? extends T> iterable) {
    if (iterable instanceof AsyncStream<?> s) {
      return (Node<T>) s.open();
    }
    return new Sources.OfAsyncIterator<T>(iterable.asyncIterator());
  }

  /** Throws {@code e} as it is, checked or not. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
