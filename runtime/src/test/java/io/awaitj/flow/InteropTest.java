package io.awaitj.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Flows#fromPublisher} (by hand: the TCK's subscriber verification needs hooks inside the
 * subscriber) and the parts of {@link Flows#toPublisher} the TCK cannot see: the upstream closed on
 * cancel.
 */
@Timeout(60)
class InteropTest {

  @Test
  void fromPublisherReadsWhatAnotherThreadSubmits() {
    List<Integer> expected = IntStream.range(0, 500).boxed().collect(Collectors.toList());
    List<Integer> got = Aio.run(new Drive.Lazy<>(() -> {
      SubmissionPublisher<Integer> pub = new SubmissionPublisher<>();
      Thread t = new Thread(() -> {
        while (pub.getNumberOfSubscribers() == 0) {
          Thread.onSpinWait();
        }
        expected.forEach(pub::submit);
        pub.close();
      });
      t.start();
      return Flows.fromPublisher(pub, 8).toList();
    }));
    assertEquals(expected, got);
  }

  /** A publisher on the caller's thread that records requests and cancels; elements on request. */
  static final class Recording implements Flow.Publisher<Integer> {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    long requested;
    long sent;
    long maxOutstanding;
    private final int total;

    Recording(int total) {
      this.total = total;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Integer> s) {
      s.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          log.add("request " + n);
          requested += n;
          maxOutstanding = Math.max(maxOutstanding, requested - sent);
          while (sent < requested && sent < total) {
            s.onNext((int) sent++);
          }
          if (sent == total) {
            s.onComplete();
          }
        }

        @Override
        public void cancel() {
          log.add("cancel");
        }
      });
    }
  }

  @Test
  void fromPublisherRequestsAtMostItsPrefetch() {
    Recording pub = new Recording(20);
    List<Integer> got = Drive.virtual(() -> Flows.fromPublisher(pub, 4).toList());
    assertEquals(IntStream.range(0, 20).boxed().collect(Collectors.toList()), got);
    assertEquals("request 4", pub.log.get(0));
    assertTrue(pub.log.stream().skip(1).allMatch(e -> e.equals("request 2")), pub.log.toString());
    assertTrue(pub.maxOutstanding <= 4, "outstanding " + pub.maxOutstanding);
  }

  @Test
  void fromPublisherCancelsOnAnEarlyEnd() {
    Recording pub = new Recording(1000);
    assertEquals(List.of(0, 1, 2), Drive.virtual(() -> Flows.fromPublisher(pub, 4).take(3).toList()));
    assertEquals("cancel", pub.log.get(pub.log.size() - 1), pub.log.toString());
  }

  @Test
  void fromPublisherPassesAFailure() {
    Flow.Publisher<Integer> failing = s -> {
      s.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          s.onNext(1);
          s.onError(new Probe.Boom("publisher"));
        }

        @Override
        public void cancel() {}
      });
    };
    List<Integer> got = new ArrayList<>();
    Probe.Boom e = org.junit.jupiter.api.Assertions.assertThrows(Probe.Boom.class,
        () -> Drive.virtual(() -> Flows.fromPublisher(failing, 4).collect(got::add)));
    assertEquals("publisher", e.getMessage());
    assertEquals(List.of(1), got);
  }

  /** A subscriber that requests {@code n}, then cancels after {@code n} elements. */
  static final class TakeN implements Flow.Subscriber<Integer> {
    final List<Object> signals = new CopyOnWriteArrayList<>();
    private final long n;
    private Flow.Subscription s;

    TakeN(long n) {
      this.n = n;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.s = s;
      signals.add("subscribed");
      s.request(n);
    }

    @Override
    public void onNext(Integer item) {
      signals.add(item);
      if (signals.size() == n + 1) {
        s.cancel();
      }
    }

    @Override
    public void onError(Throwable t) {
      signals.add(t.getClass().getSimpleName());
    }

    @Override
    public void onComplete() {
      signals.add("complete");
    }
  }

  @Test
  void toPublisherCancelClosesTheUpstreamAndLeavesNoTask() {
    Probe<Integer> p = new Probe<>(Long.MAX_VALUE, i -> (int) i).delay(Duration.ofMillis(1));
    TakeN sub = new TakeN(3);
    EventLoop loop = EventLoop.createVirtual();
    try {
      Flows.toPublisher(Flows.from(p).map(i -> i * 10), loop).subscribe(sub);
      loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(1)));
      assertEquals(List.of("subscribed", 0, 10, 20), sub.signals);
      assertEquals(1, p.closes, "cancel closes the upstream");
      assertEquals(0, loop.allTasks().size(), "no task left: " + loop.allTasks());
    } finally {
      loop.close();
    }
  }

  @Test
  void toPublisherRequestZeroIsAnError() {
    Probe<Integer> p = Probe.ints(10);
    TakeN sub = new TakeN(0);
    EventLoop loop = EventLoop.createVirtual();
    try {
      Flows.toPublisher(Flows.from(p), loop).subscribe(sub);
      loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(1)));
      assertEquals(List.of("subscribed", "IllegalArgumentException"), sub.signals);
      assertEquals(0, loop.allTasks().size(), "no task left: " + loop.allTasks());
    } finally {
      loop.close();
    }
  }

  @Test
  void toPublisherCompletes() {
    TakeN sub = new TakeN(100);
    EventLoop loop = EventLoop.createVirtual();
    try {
      Flows.toPublisher(Flows.range(0, 3), loop).subscribe(sub);
      loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(1)));
      assertEquals(List.of("subscribed", 0, 1, 2, "complete"), sub.signals);
    } finally {
      loop.close();
    }
  }
}
