package io.awaitj.it;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import io.awaitj.sync.Queue;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A bounded {@link Queue}'s back-pressure observed on the test's virtual clock ({@code
 * awaitj-junit}'s {@link AsyncTest}): a producer as fast as it can be, a consumer taking one item a
 * second; at 10 s and at 20 s the producer has put exactly what the consumer took plus the queue's
 * size. The queue and the consumer start in {@code @BeforeEach} on the test's loop, and stop in
 * {@code @AfterEach}.
 */
class QueueTimelineTest {
  static final int MAXSIZE = 3;

  private Queue<Integer> queue;
  private final AtomicInteger consumed = new AtomicInteger();
  private Task<Void> consumer;

  /** Puts {@code count} items as fast as the queue takes them, counting them in {@code produced}. */
  @Async
  static Coroutine<Void> produce(Queue<Integer> queue, int count, AtomicInteger produced) {
    for (int i = 0; i < count; i++) {
      await(queue.put(i));
      produced.incrementAndGet();
    }
    return done();
  }

  /** Takes an item a second, for ever, marking each done. */
  @Async
  static Coroutine<Void> consume(Queue<Integer> queue, AtomicInteger consumed) {
    while (true) {
      await(Aio.sleep(Duration.ofSeconds(1)));
      await(queue.get());
      consumed.incrementAndGet();
      queue.taskDone();
    }
  }

  @BeforeEach
  void startTheConsumer(EventLoop loop) {
    queue = new Queue<>(MAXSIZE);
    consumer = loop.createTask(QueueTimelineTestAsync.consume(queue, consumed));
  }

  @AfterEach
  void stopTheConsumer(TestTime time) {
    consumer.cancel();
    time.runCurrent();
  }

  @AsyncTest(timeout = 60)
  void aFullQueueHoldsTheProducerBackToTheConsumersPace(EventLoop loop, TestTime time) {
    AtomicInteger produced = new AtomicInteger();
    Task<Void> producer = loop.createTask(QueueTimelineTestAsync.produce(queue, 100, produced));
    time.runCurrent();
    assertEquals(MAXSIZE, produced.get(), "the producer did not stop at a full queue");
    assertTrue(queue.isFull());
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(10, consumed.get());
    assertEquals(10 + MAXSIZE, produced.get());
    assertTrue(queue.isFull());
    time.advanceBy(Duration.ofSeconds(10));
    assertEquals(20, consumed.get());
    assertEquals(20 + MAXSIZE, produced.get());
    assertFalse(producer.isDone());
    producer.cancel();
    time.runCurrent();
  }

  @AsyncTest(timeout = 60)
  void joinReturnsWhenTheLastItemIsDone(EventLoop loop, TestTime time) {
    AtomicInteger produced = new AtomicInteger();
    loop.runUntilComplete(QueueTimelineTestAsync.produce(queue, 5, produced));
    // Five items in a queue of three: the last put returned when the consumer took the second, at 2 s.
    assertEquals(Duration.ofSeconds(2), time.now());
    Task<Void> join = loop.createTask(queue.join());
    time.advanceBy(Duration.ofSeconds(2));
    assertEquals(4, consumed.get());
    assertFalse(join.isDone(), "join returned with an item left");
    time.advanceBy(Duration.ofSeconds(1));
    assertEquals(5, consumed.get());
    assertTrue(join.isDone(), "join did not return once the last item was done");
  }
}
