package io.awaitj.flow;

import io.awaitj.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.LongStream;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's publisher rules for {@link Flows#toPublisher}, over a stream of {@code
 * elements} numbers, on a real-clock loop running in a thread of its own (the TCK's subscribers call
 * from their threads). A TestNG class, run by the JUnit Platform's TestNG engine.
 */
public class PublisherTckTest extends FlowPublisherVerification<Long> {
  private EventLoop loop;
  private Thread thread;

  public PublisherTckTest() {
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
  public Flow.Publisher<Long> createFlowPublisher(long elements) {
    Iterable<Long> numbers = () -> LongStream.range(0, elements).boxed().iterator();
    return Flows.toPublisher(Flows.of(numbers), loop);
  }

  @Override
  public Flow.Publisher<Long> createFailedFlowPublisher() {
    return null; // signals a failure only once asked for an element: the TCK's test skips
  }
}
