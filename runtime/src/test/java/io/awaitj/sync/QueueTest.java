package io.awaitj.sync;

import static io.awaitj.sync.SyncTesting.now;
import static io.awaitj.sync.SyncTesting.spawnLogging;
import static io.awaitj.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.Script;
import io.awaitj.Task;
import io.awaitj.sync.SyncTesting.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueueTest {

  static <T> Task<Object> getter(Queue<T> q, String name, List<String> log) {
    return spawnLogging(name, log, p -> q.get(), item -> log.add(name + " got " + item + "@" + now()));
  }

  static <T> Task<Object> putter(Queue<T> q, String name, T item, List<String> log) {
    return spawnLogging(name, log, p -> q.put(item), p -> log.add(name + " put " + item + "@" + now()));
  }

  static <T> List<T> drain(Queue<T> q) {
    List<T> out = new ArrayList<>();
    while (!q.isEmpty()) {
      out.add(q.getNowait());
    }
    return out;
  }

  @Test
  void fastPathsDoNotSuspendAndNowaitOperationsThrow() {
    Queue<String> q = new Queue<>();
    Queue<String> bounded = new Queue<>(1);
    Aio.runVirtual(
        Script.of(
            p -> {
              Coroutine<Void> put = q.put("x");
              assertEquals(0, q.size(), "lazy");
              return new Probe<>(put);
            },
            suspended -> {
              assertEquals(false, suspended);
              assertEquals(1, q.size());
              Probe<String> get = new Probe<>(q.get());
              return Script.of(r -> get, r -> get.value + "/" + r);
            },
            r -> {
              assertEquals("x/false", r);
              assertTrue(q.isEmpty());
              assertFalse(q.isFull());
              assertEquals(0, q.maxsize());
              assertThrows(QueueEmptyException.class, q::getNowait);
              bounded.putNowait("a");
              assertTrue(bounded.isFull());
              assertEquals(1, bounded.maxsize());
              QueueFullException e =
                  assertThrows(QueueFullException.class, () -> bounded.putNowait("b"));
              assertTrue(e.getMessage().contains("maxsize 1"));
              assertThrows(NullPointerException.class, () -> q.putNowait(null));
              assertThrows(NullPointerException.class, () -> q.put(null));
              assertEquals("Queue[maxsize=1, size=1, tasks=1]", bounded.toString());
              return null;
            }));
  }

  @Test
  void aBoundedPutWaitsForSpaceAndPuttersAreServedInOrder() {
    Queue<String> q = new Queue<>(2);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              for (String n : List.of("p1", "p2", "p3", "p4")) {
                putter(q, n, n, log);
              }
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              assertEquals(2, q.size());
              log.add("got " + q.getNowait()); // room for p3
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              log.add("got " + q.getNowait()); // room for p4
              return tick();
            }));
    assertEquals(
        List.of("p1 put p1@0", "p2 put p2@0", "got p1", "p3 put p3@1", "got p2", "p4 put p4@2"),
        log);
    assertEquals(List.of("p3", "p4"), drain(q));
  }

  @Test
  void gettersAreServedInOrder() {
    Queue<String> q = new Queue<>();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              for (String n : List.of("g1", "g2", "g3")) {
                getter(q, n, log);
              }
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              assertEquals("Queue[maxsize=0, size=0, getters:3]", q.toString());
              q.putNowait("a");
              q.putNowait("b");
              q.putNowait("c");
              return tick();
            }));
    assertEquals(List.of("g1 got a@1", "g2 got b@1", "g3 got c@1"), log);
  }

  @Test
  void aCancelledGetterIsSkipped() {
    Queue<String> q = new Queue<>();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Task<?> g1 = getter(q, "g1", log);
              getter(q, "g2", log);
              return tick(g1);
            },
            g1 -> {
              ((Task<?>) g1).cancel();
              q.putNowait("x"); // g1 has not run since: its cancelled waiter must be skipped
              return tick();
            }));
    assertEquals(List.of("g1 failed: CancelledError", "g2 got x@0"), log);
    assertEquals("Queue[maxsize=0, size=0, tasks=1]", q.toString());
  }

  @Test
  void aGetterWokenThenCancelledPassesTheItemOn() {
    Queue<String> q = new Queue<>();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Task<?> g1 = getter(q, "g1", log);
              getter(q, "g2", log);
              return tick(g1);
            },
            g1 -> {
              q.putNowait("x"); // wakes g1...
              ((Task<?>) g1).cancel(); // ...cancelled before it runs
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(List.of("g1 failed: CancelledError", "g2 got x@0"), log);
  }

  @Test
  void aPutterWokenThenCancelledPassesTheSpaceOn() {
    Queue<String> q = new Queue<>(1);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              q.putNowait("first");
              Task<?> p1 = putter(q, "p1", "a", log);
              putter(q, "p2", "b", log);
              return tick(p1);
            },
            p1 -> {
              log.add("got " + q.getNowait()); // wakes p1...
              ((Task<?>) p1).cancel(); // ...cancelled before it runs
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(List.of("got first", "p1 failed: CancelledError", "p2 put b@0"), log);
    assertEquals(List.of("b"), drain(q));
  }

  @Test
  void joinWaitsUntilEveryItemIsDone() {
    Queue<Integer> q = new Queue<>();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> new Probe<>(q.join()),
            suspended -> {
              assertEquals(false, suspended, "nothing unfinished: join returns at once");
              for (int i = 0; i < 3; i++) {
                q.putNowait(i);
              }
              Aio.createTask(
                  Script.of(
                      r -> q.get(), r -> Aio.sleep(Duration.ofSeconds(1)), r -> done(q),
                      r -> q.get(), r -> Aio.sleep(Duration.ofSeconds(1)), r -> done(q),
                      r -> q.get(), r -> Aio.sleep(Duration.ofSeconds(1)), r -> done(q)));
              return q.join();
            },
            p -> {
              log.add("joined@" + now());
              // asyncio raises ValueError, which the package's naming table maps to this
              IllegalArgumentException e =
                  assertThrows(IllegalArgumentException.class, q::taskDone);
              assertTrue(e.getMessage().contains("too many times"));
              assertTrue(q.isEmpty());
              return null;
            }));
    assertEquals(List.of("joined@3"), log);
  }

  private static Object done(Queue<?> q) {
    q.taskDone();
    return null;
  }

  @Test
  void priorityQueueHandsOutTheSmallestFirst() {
    PriorityQueue<Integer> q = new PriorityQueue<>();
    Random random = new Random(42);
    List<Integer> in = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int v = random.nextInt(50);
      in.add(v);
      q.putNowait(v);
    }
    in.sort(null);
    assertEquals(in, drain(q));

    PriorityQueue<String> byLength = new PriorityQueue<>(Comparator.comparing(String::length));
    for (String s : List.of("ccc", "a", "dddd", "bb")) {
      byLength.putNowait(s);
    }
    assertEquals(List.of("a", "bb", "ccc", "dddd"), drain(byLength));

    PriorityQueue<Object> natural = new PriorityQueue<>(3);
    assertThrows(ClassCastException.class, () -> natural.putNowait(new Object()));
    assertEquals(0, natural.size());
  }

  @Test
  void aBlockedPriorityGetterGetsTheSmallestOfWhatArrives() {
    PriorityQueue<Integer> q = new PriorityQueue<>(2);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              q.putNowait(9);
              q.putNowait(3);
              putter(q, "p", 1, log); // full: waits
              return tick();
            },
            p -> {
              log.add("got " + q.getNowait()); // 3: room for 1
              return tick();
            },
            p -> {
              log.add("got " + q.getNowait());
              log.add("got " + q.getNowait());
              return null;
            }));
    assertEquals(List.of("got 3", "p put 1@0", "got 1", "got 9"), log);
  }

  @Test
  void lifoQueueHandsOutTheNewestFirst() {
    LifoQueue<Integer> q = new LifoQueue<>(3);
    q.putNowait(1);
    q.putNowait(2);
    q.putNowait(3);
    assertTrue(q.isFull());
    assertEquals(List.of(3, 2, 1), drain(q));
    assertEquals("LifoQueue[maxsize=3, size=0, tasks=3]", q.toString());
  }

  @Test
  void shutdownFailsPutsAndWaitingGettersButLeavesItemsToGet() {
    Queue<String> empty = new Queue<>();
    Queue<String> full = new Queue<>(2);
    List<String> log = new ArrayList<>();
    Script<Object> main =
        Script.of(
            p -> {
              getter(empty, "g1", log);
              getter(empty, "g2", log);
              full.putNowait("a");
              full.putNowait("b");
              putter(full, "p", "c", log);
              return tick();
            },
            p -> {
              empty.shutdown();
              full.shutdown();
              assertThrows(QueueShutDownException.class, () -> full.putNowait("d"));
              return tick();
            },
            p -> {
              assertEquals(
                  List.of(
                      "g1 failed: QueueShutDownException",
                      "g2 failed: QueueShutDownException",
                      "p failed: QueueShutDownException"),
                  log);
              assertThrows(QueueShutDownException.class, empty::getNowait);
              return full.get(); // items put before the shutdown can still be taken
            },
            item -> {
              assertEquals("a", item);
              assertEquals("b", full.getNowait());
              Task<?> joiner = Aio.createTask(full.join()); // two items still unfinished
              return tick(joiner);
            },
            joiner -> {
              assertFalse(((Task<?>) joiner).isDone());
              full.taskDone();
              full.taskDone();
              return joiner;
            },
            p -> full.get()); // empty now, and shut down
    assertThrows(QueueShutDownException.class, () -> Aio.runVirtual(main));
  }

  @Test
  void aGetOfAShutDownEmptyQueueThrowsWhenAwaited() {
    Queue<String> q = new Queue<>();
    q.shutdown();
    assertEquals("Queue[maxsize=0, size=0, shutdown]", q.toString());
    QueueShutDownException e =
        assertThrows(QueueShutDownException.class, () -> Aio.runVirtual(q.get()));
    assertTrue(e.getMessage().contains("shut down and empty"));
    assertThrows(QueueShutDownException.class, () -> Aio.runVirtual(q.put("x")));
  }

  @Test
  void immediateShutdownDropsTheItemsWakesEveryoneAndReleasesJoin() {
    Queue<String> q = new Queue<>(3);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              q.putNowait("a");
              q.putNowait("b");
              q.putNowait("c");
              putter(q, "p", "d", log);
              spawnLogging("j", log, r -> q.join(), r -> log.add("joined@" + now()));
              return q.get(); // "a" is taken, not done
            },
            a -> {
              assertEquals("a", a);
              return tick(); // p puts "d" in the freed slot
            },
            p -> {
              assertEquals(List.of("p put d@0"), log);
              putter(q, "p2", "e", log);
              return tick();
            },
            p -> {
              q.shutdown(true);
              assertEquals(0, q.size());
              assertThrows(QueueShutDownException.class, q::getNowait);
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              // "a" is still unfinished: join waits for it
              assertEquals(List.of("p put d@0", "p2 failed: QueueShutDownException"), log);
              q.taskDone();
              return Aio.sleep(Duration.ofSeconds(1));
            }));
    assertEquals(
        List.of("p put d@0", "p2 failed: QueueShutDownException", "joined@1"), log);
  }

  @Test
  void immediateShutdownReleasesJoinAtOnceWhenNothingWasTaken() {
    Queue<String> q = new Queue<>();
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              q.putNowait("a");
              q.putNowait("b");
              spawnLogging("j", log, r -> q.join(), r -> log.add("joined@" + now()));
              return Aio.sleep(Duration.ofSeconds(1));
            },
            p -> {
              q.shutdown(true);
              return tick();
            }));
    assertEquals(List.of("joined@1"), log);
  }

  @Test
  void boundToTheLoopThatFirstWaited() {
    Queue<String> q = new Queue<>();
    Script.Step[] contend = {
      p -> tick(Aio.createTask(q.get())),
      t -> {
        q.putNowait("x");
        return t;
      }
    };
    Aio.runVirtual(Script.of(contend));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Aio.runVirtual(Script.of(contend)));
    assertTrue(e.getMessage().contains("Queue is bound to a different event loop"), e.getMessage());
  }

  @Test
  void putsCalledBeforeTheirAwaitsPutTheirOwnItemsInTheOrderAwaited() {
    Queue<String> q = new Queue<>();
    List<Coroutine<Void>> puts = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              puts.add(q.put("a")); // the shared put, holding "a"
              puts.add(q.put("b")); // a put of its own: the shared one is taken
              puts.add(q.put("c"));
              return puts.get(1);
            },
            p -> puts.get(0),
            p -> puts.get(2),
            p -> q.put("d"))); // the shared one again, free since "a" was put
    assertEquals(List.of("b", "a", "c", "d"), drain(q));
  }

  @Test
  void aSharedPutAwaitedTwiceFailsAndADroppedOneOnlyCostsItsSharing() {
    Queue<String> q = new Queue<>();
    List<Coroutine<Void>> puts = new ArrayList<>();
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      puts.add(q.put("a"));
                      return puts.get(0);
                    },
                    p -> puts.get(0))
                .onError(e -> e));
    assertTrue(r instanceof IllegalStateException, String.valueOf(r));
    assertTrue(((Throwable) r).getMessage().contains("awaited already"), ((Throwable) r).getMessage());
    assertEquals(List.of("a"), drain(q));
    Aio.runVirtual(
        Script.of(
            p -> {
              q.put("dropped"); // never awaited: holds the shared put for good
              return q.put("b");
            },
            p -> q.put("c"),
            p -> Aio.createTask(q.put("d"))));
    assertEquals(List.of("b", "c", "d"), drain(q));
  }

  @Test
  void aSharedPutIntoAFullQueueWaitsWithItsOwnItem() {
    Queue<String> q = new Queue<>(1);
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> q.put("a"),
            p -> {
              putter(q, "p", "b", log); // its put waits: the queue is full
              return tick();
            },
            p -> {
              log.add("got " + q.getNowait()); // room for p's "b"
              return tick();
            },
            p -> {
              log.add("got " + q.getNowait());
              return q.put("c"); // the shared put, free again, completes at once
            }));
    assertEquals(List.of("got a", "p put b@0", "got b"), log);
    assertEquals(List.of("c"), drain(q));
  }
}
