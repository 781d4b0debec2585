package io.awaitj.samples.sync;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import io.awaitj.sync.Queue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Producer and consumers over a bounded {@link Queue}. A full queue makes {@code put}
 * wait (back-pressure: the fast producer is held to the consumers' pace); {@code join()} waits until
 * every item put has been marked done with {@code taskDone()}; then the consumers, idle in
 * {@code get()}, are cancelled.
 *
 * <p>What to watch for: the producer's "put" times spread out once the queue (size 2) is full; it
 * finishes long before the last item is processed, and join returns only after that.
 */
public final class ProducerConsumer {
  private ProducerConsumer() {}

  @Async
  static Coroutine<Void> producer(Queue<Integer> queue, Stopwatch watch, PrintStream out) {
    for (int i = 1; i <= 6; i++) {
      await(queue.put(i)); // waits while the queue is full
      out.println("put " + i + " at " + watch);
    }
    out.println("producer done at " + watch);
    return done();
  }

  @Async
  static Coroutine<Void> consumer(String name, Queue<Integer> queue, Stopwatch watch,
      PrintStream out) {
    while (true) {
      int item = await(queue.get());
      await(Aio.sleep(1000)); // processing takes a second
      out.println(name + " processed " + item + " at " + watch);
      queue.taskDone();
    }
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Stopwatch watch = Timed.start();
    Queue<Integer> queue = new Queue<>(2);
    List<Task<Void>> consumers = new ArrayList<>();
    consumers.add(Aio.createTask(consumer("c1", queue, watch, out)));
    consumers.add(Aio.createTask(consumer("c2", queue, watch, out)));
    await(producer(queue, watch, out));
    await(queue.join());
    out.println("join returned at " + watch + ": every item processed");
    for (Task<Void> c : consumers) {
      c.cancel();
    }
    await(Aio.gatherSettled(consumers));
    return done();
  }

  public static void main(String[] args) {
    Aio.run(ProducerConsumerAsync.run(System.out));
  }
}
