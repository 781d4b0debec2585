package io.awaitj.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.EventLoop;
import io.awaitj.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Each operator's results, over ready sources and over sources that make the reader wait. */
class OperatorsTest {
  private static final Duration MS = Duration.ofMillis(1);

  @Test
  void mapFilterTakeOverAReadySource() {
    assertEquals(List.of(0, 4, 16, 36),
        Drive.virtual(() -> Flows.range(0, 100).filter(i -> i % 2 == 0).map(i -> i * i).take(4)
            .toList()));
  }

  @Test
  void mapFilterTakeOverAWaitingSource() {
    Probe<Integer> p = Probe.ints(100).delay(MS);
    assertEquals(List.of(0, 4, 16, 36),
        Drive.virtual(() -> Flows.from(p).filter(i -> i % 2 == 0).map(i -> i * i).take(4).toList()));
    assertEquals(7, p.pulled, "take(4) of the even numbers reads 0..6, not one more");
  }

  @Test
  void dropAndTakeWhile() {
    assertEquals(List.of(3, 4, 5),
        Drive.virtual(() -> Flows.of(1, 2, 3, 4, 5, 6, 1).drop(2).takeWhile(i -> i < 6).toList()));
    assertEquals(List.of(),
        Drive.virtual(() -> Flows.of(1, 2).drop(5).toList()));
    assertEquals(List.of(),
        Drive.virtual(() -> Flows.of(1, 2).take(0).toList()));
  }

  @Test
  void nullElementsPass() {
    List<String> in = new ArrayList<>();
    in.add("a");
    in.add(null);
    in.add("b");
    assertEquals(in, Drive.virtual(() -> Flows.of(in).buffer(2).toList()));
    assertEquals(in, Drive.virtual(() -> Flows.of(in).map(s -> s).toList()));
  }

  @Test
  void mapAsync() {
    assertEquals(List.of(10, 20, 30),
        Drive.virtual(() -> Flows.of(1, 2, 3).mapAsync(i -> Aio.sleep(MS, i * 10)).toList()));
  }

  @Test
  void flatMapReadsEachInnerInTurn() {
    assertEquals(List.of(0, 0, 1, 0, 1, 2),
        Drive.virtual(() -> Flows.of(1, 2, 3).flatMap(n -> Flows.from(Probe.ints(n).delay(MS)))
            .toList()));
    assertEquals(List.of(0, 0, 1),
        Drive.virtual(() -> Flows.of(1, 0, 2).flatMap(n -> Flows.range(0, n)).toList()));
  }

  @Test
  void zipPairsAndEndsWithTheShorter() {
    Probe<Integer> longer = Probe.ints(10).delay(MS);
    assertEquals(List.of("a0", "b1", "c2"),
        Drive.virtual(() -> Flows.of("a", "b", "c").zip(longer, (s, i) -> s + i).toList()));
    assertTrue(longer.closed(), "the longer side is closed when the shorter ends");
  }

  @Test
  void chunkedByCount() {
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6)),
        Drive.virtual(() -> Flows.range(0, 7).chunked(3).toList()));
    assertEquals(List.of(List.of(0, 1), List.of(2, 3)),
        Drive.virtual(() -> Flows.from(Probe.ints(4).delay(MS)).chunked(2).toList()));
  }

  @Test
  void chunkedByTimeOnAVirtualClock() {
    // Elements at 0.1, 0.2, 0.3, 1.5, 1.6, 5.0 s; windows of up to 10, closed 1 s after their first.
    long[] at = {100, 200, 300, 1500, 1600, 5000};
    Probe<Integer> p = Probe.ints(6).delay(i -> Duration.ofMillis(at[(int) i] - (i == 0 ? 0 : at[(int) i - 1])));
    List<String> seen = new ArrayList<>();
    Drive.virtual(() -> Flows.from(p).chunked(10, Duration.ofSeconds(1))
        .collect(l -> seen.add(l + "@" + Math.round(EventLoop.running().time() * 1000))));
    assertEquals(List.of("[0, 1, 2]@1100", "[3, 4]@2500", "[5]@5000"), seen);
    assertTrue(p.closed());
  }

  @Test
  void chunkedByTimeHandsOutFullListsAtOnce() {
    assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4)),
        Drive.virtual(() -> Flows.range(0, 5).chunked(2, Duration.ofSeconds(10)).toList()));
  }

  @Test
  void timeoutBetweenElements() {
    long[] delays = {100, 100, 2000};
    Probe<Integer> p = Probe.ints(3).delay(i -> Duration.ofMillis(delays[(int) i]));
    List<String> seen = new ArrayList<>();
    AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class,
        () -> Drive.virtual(() -> Flows.from(p).timeout(Duration.ofSeconds(1))
            .collect(x -> seen.add(x + "@" + Math.round(EventLoop.running().time() * 1000)))));
    assertEquals(List.of("0@100", "1@200"), seen);
    assertTrue(e.getMessage().contains("PT1S"), e.getMessage());
    assertTrue(p.closed(), "the upstream is closed when the timeout fails the stream");
  }

  @Test
  void timeoutLetsTimelyElementsPass() {
    assertEquals(List.of(0, 1, 2),
        Drive.virtual(() -> Flows.from(Probe.ints(3).delay(Duration.ofMillis(900)))
            .timeout(Duration.ofSeconds(1)).toList()));
  }

  @Test
  void intervalTicksOnTheLoopsClock() {
    List<String> seen = new ArrayList<>();
    Drive.virtual(() -> Flows.interval(Duration.ofSeconds(2)).take(3)
        .collect(k -> seen.add(k + "@" + Math.round(EventLoop.running().time()))));
    assertEquals(List.of("0@2", "1@4", "2@6"), seen);
  }

  @Test
  void terminals() {
    assertEquals(3, Drive.virtual(() -> Flows.of(3, 4).first()));
    assertThrows(NoSuchElementException.class, () -> Drive.virtual(() -> Flows.of().first()));
    assertEquals(10, Drive.virtual(() -> Flows.range(0, 5).reduce(Integer::sum)));
    assertThrows(NoSuchElementException.class,
        () -> Drive.virtual(() -> Flows.<Integer>of().reduce(Integer::sum)));
    assertEquals("xabc", Drive.virtual(() -> Flows.of("a", "b", "c").fold("x", String::concat)));
    assertEquals(5L, Drive.virtual(() -> Flows.from(Probe.ints(5).delay(MS)).count()));
  }

  @Test
  void aStreamRunsOnce() {
    AsyncStream<Integer> s = Flows.range(0, 3);
    s.map(i -> i);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.map(i -> i).toList());
    assertTrue(e.getMessage().contains("runs once"), e.getMessage());
  }

  @Test
  void asyncForOverAStream() {
    assertEquals(List.of(1, 2, 3),
        Drive.virtual(() -> new Drive.ForLoop<>(Flows.range(0, 10).map(i -> i + 1).asyncIterator(), 3)));
  }

  @Test
  void mergeReadsEverySource() {
    Probe<Integer> a = Probe.ints(5).delay(Duration.ofMillis(3));
    Probe<Integer> b = new Probe<>(5, i -> 100 + (int) i).delay(Duration.ofMillis(5));
    List<Integer> got = Drive.virtual(() -> Flows.merge(2, a, b, Flows.of(1000)).toList());
    assertEquals(11, got.size());
    List<Integer> sorted = new ArrayList<>(got);
    sorted.sort(null);
    assertEquals(List.of(0, 1, 2, 3, 4, 100, 101, 102, 103, 104, 1000), sorted);
    // a's at 3, 6, 9, ... ms, b's at 5, 10, ... ms: they come in time order.
    assertTrue(got.indexOf(0) < got.indexOf(100) && got.indexOf(100) < got.indexOf(1),
        "elements come in time order: " + got);
    assertTrue(a.closed() && b.closed());
  }

  @Test
  void aConsumerCanRunTwoStreamsAndLeavesNoTask() {
    List<Integer> got = Drive.virtual(() -> Script.<List<Integer>>of(
        x -> Flows.merge(4, Flows.range(0, 3), Flows.range(10, 13)).buffer(1).toList(),
        list -> {
          assertEquals(1, Aio.allTasks().size(), "only the driver is left: " + Aio.allTasks());
          return list;
        }));
    assertEquals(6, got.size());
  }

  @Test
  void closingAStreamNeverReadClosesItsSources() {
    int[] closes = new int[2];
    AsyncStream<Integer> s = Flows.merge(1, generator(closes, 0), Flows.from(generator(closes, 1)))
        .map(i -> i);
    Drive.virtual(() -> s.closeAsync());
    assertEquals(List.of(1, 1), List.of(closes[0], closes[1]));
    Drive.virtual(() -> s.closeAsync());
    assertEquals(List.of(1, 1), List.of(closes[0], closes[1]), "closing twice closes once");
  }

  /** A generator that was never run, whose close counts in {@code closes[i]}. */
  private static io.awaitj.AsyncGenerator<Integer> generator(int[] closes, int i) {
    return new io.awaitj.AsyncGenerator<Integer>() {
      @Override
      public io.awaitj.AsyncIterator<Integer> asyncIterator() {
        throw new AssertionError("never read");
      }

      @Override
      public io.awaitj.Coroutine<Void> closeAsync() {
        closes[i]++;
        return Aio.done();
      }
    };
  }
}
