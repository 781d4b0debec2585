package io.awaitj.samples.structured;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.AsyncIterable;
import io.awaitj.AsyncIterator;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import io.awaitj.sync.Queue;
import io.awaitj.sync.QueueShutDownException;
import java.io.PrintStream;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Python's {@code async for} is an ordinary {@code for} over an {@link AsyncIterable}
 * inside an {@code @Async} method: each step awaits the iterator's {@code hasNext()}. Two iterables:
 * pages of results fetched one at a time over a (simulated) network, and a queue drained by a
 * consumer until the producer shuts it down.
 *
 * <p>What to watch for: the loop body sees each page as soon as it arrives; nothing is fetched
 * before the loop asks for it.
 */
public final class AsyncFor {
  private AsyncFor() {}

  /** Pages of a paginated API: each {@code hasNext()} fetches the next page, 0.5 s each. */
  static final class Pages implements AsyncIterable<List<String>> {
    private final int count;

    Pages(int count) {
      this.count = count;
    }

    @Override
    public AsyncIterator<List<String>> asyncIterator() {
      return new AsyncFor_PageIteratorAsync(count);
    }
  }

  /** The iterator: an abstract class because its {@code hasNext} is an {@code @Async} method. */
  abstract static class PageIterator implements AsyncIterator<List<String>> {
    private final int count;
    private int page;
    private List<String> current;

    PageIterator(int count) {
      this.count = count;
    }

    @Async
    @Override
    public Coroutine<Boolean> hasNext() {
      if (page == count) {
        return done(false);
      }
      await(Aio.sleep(500)); // the request for the next page
      page++;
      current = List.of("item " + page + "a", "item " + page + "b");
      return done(true);
    }

    @Override
    public List<String> next() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      List<String> c = current;
      current = null;
      return c;
    }
  }

  /** A queue's items until it is shut down, as an {@code AsyncIterable}. */
  static <T> AsyncIterable<T> drain(Queue<T> queue) {
    return () -> new AsyncFor_QueueIteratorAsync<>(queue);
  }

  abstract static class QueueIterator<T> implements AsyncIterator<T> {
    private final Queue<T> queue;
    private T item;

    QueueIterator(Queue<T> queue) {
      this.queue = queue;
    }

    @Async
    @Override
    public Coroutine<Boolean> hasNext() {
      try {
        item = await(queue.get());
        queue.taskDone();
        return done(true);
      } catch (QueueShutDownException e) {
        return done(false); // shut down and empty: the end of the iteration
      }
    }

    @Override
    public T next() {
      return item;
    }
  }

  @Async
  static Coroutine<Void> produce(Queue<Integer> queue) {
    for (int i = 1; i <= 3; i++) {
      await(Aio.sleep(300));
      await(queue.put(i));
    }
    queue.shutdown(); // consumers get the items left, then the iteration ends
    return done();
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    for (List<String> page : new Pages(3)) {
      out.println("page " + page + " at " + watch);
    }

    watch = Timed.start();
    Queue<Integer> queue = new Queue<>();
    Task<Void> producer = Aio.createTask(produce(queue));
    for (int item : drain(queue)) {
      out.println("consumed " + item + " at " + watch);
    }
    await(producer);
    out.println("queue drained and shut down at " + watch);
    return done();
  }

  public static void main(String[] args) {
    Aio.run(AsyncForAsync.run(System.out));
  }
}
