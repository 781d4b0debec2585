package io.awaitj.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Script;
import io.awaitj.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Closing, failures and cancellation through every operator: each test reads a {@link Probe} through
 * one operator and checks that the probe's iterator was closed exactly once, was not read after that,
 * and (where the operator owns tasks) that no task is left.
 */
@org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class LifecycleTest {
  private static final Duration MS = Duration.ofMillis(1);

  /** One operator on a stream of ints, by name. */
  record Op(String name, Function<AsyncStream<Integer>, AsyncStream<?>> apply) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Op> operators() {
    return Stream.of(
        new Op("map", s -> s.map(i -> i)),
        new Op("mapAsync", s -> s.mapAsync(i -> Aio.sleep(MS, i))),
        new Op("filter", s -> s.filter(i -> true)),
        new Op("take", s -> s.take(1_000_000)),
        new Op("takeWhile", s -> s.takeWhile(i -> true)),
        new Op("drop", s -> s.drop(1)),
        new Op("flatMap", s -> s.flatMap(i -> Flows.of(i, i))),
        new Op("zip", s -> s.zip(Flows.range(0, 1_000_000), (a, b) -> a)),
        new Op("chunked", s -> s.chunked(1)),
        new Op("chunkedByTime", s -> s.chunked(2, Duration.ofSeconds(1))),
        new Op("timeout", s -> s.timeout(Duration.ofSeconds(10))),
        new Op("buffer", s -> s.buffer(3)),
        new Op("merge", s -> Flows.merge(2, s, Flows.range(0, 2))));
  }

  static Stream<Arguments> operatorsAndSpeeds() {
    return operators().flatMap(o -> Stream.of(Arguments.of(o, true), Arguments.of(o, false)));
  }

  private static Probe<Integer> probe(boolean ready) {
    Probe<Integer> p = new Probe<>(Long.MAX_VALUE, i -> (int) i);
    return ready ? p : p.delay(MS);
  }

  private static void assertClosedOnce(Probe<?> p) {
    assertEquals(1, p.closes, "the probe's iterator is closed once");
    assertFalse(p.readAfterClose, "the probe was read after its close");
  }

  @ParameterizedTest(name = "{0}, ready {1}")
  @MethodSource("operatorsAndSpeeds")
  void aLoopLeftEarlyClosesTheUpstream(Op op, boolean ready) {
    Probe<Integer> p = probe(ready);
    List<?> got = Drive.virtual(() -> Script.<List<?>>of(
        x -> new Drive.ForLoop<>(op.apply.apply(Flows.from(p)).asyncIterator(), 3),
        list -> {
          assertEquals(1, Aio.allTasks().size(), "tasks left: " + Aio.allTasks());
          return list;
        }));
    assertEquals(3, got.size());
    assertClosedOnce(p);
  }

  @ParameterizedTest(name = "{0}, ready {1}")
  @MethodSource("operatorsAndSpeeds")
  void firstClosesTheUpstream(Op op, boolean ready) {
    Probe<Integer> p = probe(ready);
    Drive.virtual(() -> op.apply.apply(Flows.from(p)).first());
    assertClosedOnce(p);
  }

  @ParameterizedTest(name = "{0}, ready {1}")
  @MethodSource("operatorsAndSpeeds")
  void aFailureOfTheUpstreamArrivesAndLeavesNothingOpen(Op op, boolean ready) {
    Probe<Integer> p = probe(ready).failAt(5);
    Probe.Boom e = assertThrows(Probe.Boom.class, () -> Drive.virtual(() -> Script.of(
        x -> op.apply.apply(Flows.from(p)).count())));
    assertEquals("element 5 failed", e.getMessage());
    assertClosedOnce(p);
  }

  @ParameterizedTest(name = "{0}, ready {1}")
  @MethodSource("operatorsAndSpeeds")
  void aFailureOfTheConsumerClosesTheUpstream(Op op, boolean ready) {
    Probe<Integer> p = probe(ready);
    int[] n = {0};
    Probe.Boom e = assertThrows(Probe.Boom.class, () -> Drive.virtual(
        () -> op.apply.apply(Flows.from(p)).collect(x -> {
          if (++n[0] == 4) {
            throw new Probe.Boom("consumer");
          }
        })));
    assertEquals("consumer", e.getMessage());
    assertClosedOnce(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operators")
  void cancellingTheConsumingTaskClosesEverythingAndLeavesNoTask(Op op) {
    // Two sources merged, then the operator: the cancellation lands in the operator's wait or in
    // merge's, and must close both sources and end merge's tasks. (Sources that wait: with a ready
    // source the virtual clock would never reach the time of the cancellation.)
    Probe<Integer> p = probe(false);
    Probe<Integer> q = probe(false);
    List<Object> report = new ArrayList<>();
    Drive.virtual(() -> Script.of(
        // (in an array: the script would await a task it is handed)
        x -> new Object[] {
            Aio.createTask(op.apply.apply(Flows.merge(1, Flows.from(p), Flows.from(q))).count())},
        a -> {
          Task<?> t = (Task<?>) ((Object[]) a)[0];
          report.add(t);
          return Aio.sleep(Duration.ofMillis(50), t);
        },
        t -> {
          assertFalse(((Task<?>) t).isDone());
          ((Task<?>) t).cancel();
          return Aio.gatherSettled((Task<?>) t);
        },
        r -> {
          report.add(Aio.allTasks().size());
          return null;
        }));
    assertTrue(((Task<?>) report.get(0)).isCancelled());
    assertEquals(1, report.get(1), "only the driver is left");
    assertClosedOnce(p);
    assertClosedOnce(q);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operators")
  void cancellingWhileTheOperatorItselfWaitsClosesTheUpstream(Op op) {
    Probe<Integer> p = probe(false);
    List<Object> report = new ArrayList<>();
    Drive.virtual(() -> Script.of(
        x -> new Object[] {Aio.createTask(op.apply.apply(Flows.from(p)).count())},
        a -> Aio.sleep(Duration.ofMillis(50), ((Object[]) a)[0]),
        t -> {
          report.add(t);
          ((Task<?>) t).cancel();
          return Aio.gatherSettled((Task<?>) t);
        },
        r -> {
          report.add(Aio.allTasks().size());
          return null;
        }));
    assertTrue(((Task<?>) report.get(0)).isCancelled());
    assertEquals(1, report.get(1), "only the driver is left");
    assertClosedOnce(p);
  }

  @Test
  void takeClosesWithoutReadingOneMore() {
    Probe<Integer> p = probe(false);
    assertEquals(List.of(0, 1, 2), Drive.virtual(() -> Flows.from(p).take(3).toList()));
    assertEquals(3, p.pulled);
    assertClosedOnce(p);
  }

  @Test
  void aFunctionThatThrowsClosesTheUpstream() {
    for (Function<AsyncStream<Integer>, AsyncStream<?>> f : List.<Function<AsyncStream<Integer>, AsyncStream<?>>>of(
        s -> s.map(LifecycleTest::boomAt3),
        s -> s.filter(i -> boomAt3(i) >= 0),
        s -> s.takeWhile(i -> boomAt3(i) >= 0),
        s -> s.mapAsync(i -> Aio.done(boomAt3(i))),
        s -> s.flatMap(i -> Flows.of(boomAt3(i))),
        s -> s.zip(Flows.range(0, 100), (a, b) -> boomAt3(a)))) {
      for (boolean ready : new boolean[] {true, false}) {
        Probe<Integer> p = probe(ready);
        assertThrows(Probe.Boom.class, () -> Drive.virtual(() -> f.apply(Flows.from(p)).toList()));
        assertClosedOnce(p);
      }
    }
  }

  private static int boomAt3(int i) {
    if (i == 3) {
      throw new Probe.Boom("function");
    }
    return i;
  }

  @Test
  void flatMapClosesTheInnerIterableBeingRead() {
    Probe<Integer> outer = probe(false);
    List<Probe<Integer>> inners = new ArrayList<>();
    Drive.virtual(() -> new Drive.ForLoop<>(Flows.from(outer).flatMap(i -> {
      Probe<Integer> in = probe(false);
      inners.add(in);
      return in;
    }).asyncIterator(), 5));
    assertEquals(1, inners.size());
    assertClosedOnce(inners.get(0));
    assertClosedOnce(outer);
  }

  @Test
  void zipClosesBothSides() {
    Probe<Integer> a = probe(false);
    Probe<Integer> b = probe(true);
    Drive.virtual(() -> Flows.from(a).zip(b, Integer::sum).take(2).toList());
    assertClosedOnce(a);
    assertClosedOnce(b);
  }

  @Test
  void mergeHoldsAtMostItsCapacityPlusOnePerSource() {
    Probe<Integer> a = probe(true);
    Probe<Integer> b = probe(false);
    Probe<Integer> c = probe(true);
    List<Long> pulled = new ArrayList<>();
    Drive.virtual(() -> new SlowReader(Flows.merge(4, a, b, c).asyncIterator(), 3,
        () -> pulled.add(a.pulled + b.pulled + c.pulled)));
    // After each element taken (1, 2, 3), the sources have read the taken ones, 4 queued, 1 each held.
    assertEquals(List.of(1L + 4 + 3, 2L + 4 + 3, 3L + 4 + 3), pulled);
    assertClosedOnce(a);
    assertClosedOnce(b);
    assertClosedOnce(c);
  }

  @Test
  void bufferHoldsAtMostItsCapacityPlusOne() {
    Probe<Integer> a = probe(false);
    List<Long> pulled = new ArrayList<>();
    Drive.virtual(() -> new SlowReader(Flows.from(a).buffer(5).asyncIterator(), 3,
        () -> pulled.add(a.pulled)));
    assertEquals(List.of(1L + 5 + 1, 2L + 5 + 1, 3L + 5 + 1), pulled);
    assertClosedOnce(a);
  }

  /** Takes {@code n} elements, sleeping a second after each, then calling {@code check}; then closes. */
  static final class SlowReader extends io.awaitj.Coroutine<Void> {
    private final io.awaitj.AsyncIterator<?> it;
    private final Runnable check;
    private int left;

    SlowReader(io.awaitj.AsyncIterator<?> it, int n, Runnable check) {
      this.it = it;
      this.left = n;
      this.check = check;
    }

    @Override
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            if (left == 0) {
              state = 3;
              if (suspendOn(it.closeAsync())) {
                return SUSPEND;
              }
              continue;
            }
            state = 1;
            if (suspendOn(it.hasNext())) {
              return SUSPEND;
            }
            // fall through
          case 1:
            assertTrue(this.<Boolean>awaitResult());
            it.next();
            left--;
            state = 2;
            if (suspendOn(Aio.sleep(Duration.ofSeconds(1)))) {
              return SUSPEND;
            }
            // fall through
          case 2:
            awaitResult();
            check.run();
            state = 0;
            continue;
          case 3:
            awaitResult();
            return null;
          default:
            throw illegalState();
        }
      }
    }
  }
}
