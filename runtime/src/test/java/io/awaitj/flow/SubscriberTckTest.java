package io.awaitj.flow;

import io.awaitj.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's subscriber rules (blackbox) for {@link Flows#fromPublisher}: each test's
 * subscriber is the one the stream gives a publisher that only captures it, while a task of a
 * real-clock loop (in a thread of its own) reads the stream to its end. A TestNG class, run by the
 * JUnit Platform's TestNG engine.
 */
public class SubscriberTckTest extends FlowSubscriberBlackboxVerification<Integer> {
  private EventLoop loop;
  private Thread thread;

  public SubscriberTckTest() {
    super(new TestEnvironment(500));
  }

  @BeforeClass
  public void startLoop() throws Exception {
    CompletableFuture<EventLoop> made = new CompletableFuture<>();
    thread = new Thread(() -> {
      EventLoop l = EventLoop.create();
      made.complete(l);
      l.runForever();
      l.close();
    }, "tck-loop");
    thread.setDaemon(true);
    thread.start();
    loop = made.get();
  }

  @AfterClass
  public void stopLoop() throws Exception {
    loop.callSoonThreadsafe(loop::stop);
    thread.join(10_000);
  }

  @Override
  public Flow.Subscriber<Integer> createFlowSubscriber() {
    CompletableFuture<Flow.Subscriber<? super Integer>> captured = new CompletableFuture<>();
    Flow.Publisher<Integer> capture = captured::complete;
    AsyncStream<Integer> stream = Flows.fromPublisher(capture, 4);
    loop.callSoonThreadsafe(() -> loop.createTask(stream.count(), "tck reader"));
    try {
      @SuppressWarnings("unchecked")
      Flow.Subscriber<Integer> s = (Flow.Subscriber<Integer>) captured.get(5, TimeUnit.SECONDS);
      return s;
    } catch (Exception e) {
      throw new AssertionError("the stream did not subscribe", e);
    }
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
