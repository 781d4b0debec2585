package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures (does not time) what the runtime's hot paths allocate, with the JVM's per-thread allocation
 * counter. Everything runs on the test thread, which is the loop's thread.
 *
 * <p>Each measurement is repeated and the minimum kept, after a warm-up: the counter is exact, so the
 * only noise is the JIT (code not yet compiled may allocate what escape analysis later removes), and
 * the minimum over runs after a warm-up removes it. Object sizes are measured too, not assumed, so the
 * bounds hold with any object layout (compressed or not, compact headers or not).
 *
 * <p>What the hot paths are allowed to allocate:
 *
 * <ul>
 *   <li>awaiting a completed promise: nothing;
 *   <li>a suspension and resumption through the loop (the task re-scheduled, one pass, the coroutine
 *       resumed): nothing;
 *   <li>{@code await(Aio.sleep(0))}: the {@link Sleep} coroutine, nothing else;
 *   <li>a ping-pong through promises: the two promises, nothing else;
 *   <li>{@code await(Aio.sleep(d))}: the {@link Sleep}, its {@link Sleep.TimerPromise} and its
 *       {@link TimerHandle}, nothing else.
 * </ul>
 */
class AllocationTest {
  /** Awaits of a completed promise per measured run. */
  private static final int AWAITS = 1_000_000;

  /** Round trips through the loop per measured run. */
  private static final int ROUNDS = 100_000;

  /** Total bound for a run that should allocate nothing per operation: fixed costs only. */
  private static final long NOTHING_PER_OPERATION = 64 * 1024;

  private static final int WARMUPS = 3;
  private static final int RUNS = 5;

  /** What awaited promises hold: preallocated, so no boxing is measured. */
  private static final Object VALUE = new Object();

  private static com.sun.management.ThreadMXBean threads;
  private static long probeOverhead;

  private EventLoop loop;

  @BeforeAll
  static void requireAllocationCounter() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean,
        "this JVM has no com.sun.management.ThreadMXBean");
    threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(
        threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
    if (!threads.isThreadAllocatedMemoryEnabled()) {
      threads.setThreadAllocatedMemoryEnabled(true);
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      long before = allocatedBytes();
      min = Math.min(min, allocatedBytes() - before);
    }
    probeOverhead = min;
  }

  @BeforeEach
  void newLoop() {
    loop = EventLoop.createVirtual();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test
  void awaitingACompletedPromiseAllocatesNothingPerAwait() {
    Promise<Object> completed = loop.createPromise();
    completed.complete(VALUE);
    long bytes =
        minAllocated(
            () -> {
              Object last = loop.runUntilComplete(new AwaitLoop(completed, AWAITS));
              assertSame(VALUE, last);
            });
    report("completed-promise await", bytes, AWAITS);
    assertTrue(
        bytes < NOTHING_PER_OPERATION,
        AWAITS + " awaits of a completed promise allocated " + bytes + " bytes; the fast path of"
            + " Coroutine.suspendOn must not allocate");
  }

  @Test
  void awaitingAnInlineCoroutineAllocatesAtMostTheCoroutine() {
    Promise<Object> completed = loop.createPromise();
    completed.complete(VALUE);
    long leafSize = sizeOf(() -> new AwaitOnce(completed));
    long bytes =
        minAllocated(
            () -> assertSame(VALUE, loop.runUntilComplete(new AwaitInlineLoop(completed, ROUNDS))));
    double perAwait = report("inline coroutine await (depth 1)", bytes, ROUNDS);
    assertTrue(
        perAwait <= leafSize + 0.5,
        "awaiting a coroutine that completes inline allocated " + perAwait + " bytes per await;"
            + " only the coroutine itself (" + leafSize + " bytes) is expected");
  }

  @Test
  void aRoundTripThroughTheLoopAllocatesNothing() {
    long bytes =
        minAllocated(
            () -> assertEquals(ROUNDS, loop.runUntilComplete(new AwaitLoop(Task.Yield.INSTANCE, ROUNDS, true))));
    report("round trip through the loop (await of the yield promise)", bytes, ROUNDS);
    assertTrue(
        bytes < NOTHING_PER_OPERATION,
        ROUNDS + " suspensions and resumptions through the loop allocated " + bytes + " bytes;"
            + " re-scheduling a task and resuming its coroutine must not allocate");
  }

  @Test
  void sleepZeroAllocatesOnlyItsSleepCoroutine() {
    long sleepSize = sizeOf(() -> Aio.sleep(Duration.ZERO));
    long bytes =
        minAllocated(() -> assertEquals(ROUNDS, loop.runUntilComplete(new SleepLoop(Duration.ZERO, ROUNDS))));
    double perRound = report("await Aio.sleep(0) (Sleep: " + sleepSize + " B)", bytes, ROUNDS);
    assertTrue(
        perRound <= sleepSize + 0.5,
        "a yield through Aio.sleep(0) allocated " + perRound + " bytes per round trip; only the Sleep"
            + " coroutine (" + sleepSize + " bytes) is expected");
  }

  @Test
  void pingPongAllocatesOnlyTheTwoPromises() {
    long promiseSize = sizeOf(() -> new Promise<Object>(loop));
    long bytes =
        minAllocated(
            () -> {
              Court court = new Court();
              loop.createTask(new Ponger(court, ROUNDS));
              assertEquals(ROUNDS, loop.runUntilComplete(new Pinger(court, ROUNDS)));
            });
    double perRound = report("ping-pong round trip (Promise: " + promiseSize + " B)", bytes, ROUNDS);
    assertTrue(
        perRound <= 2 * promiseSize + 0.5,
        "a ping-pong round trip allocated " + perRound + " bytes; only its two promises (2 x "
            + promiseSize + " bytes) are expected");
  }

  @Test
  void sleepWithADelayAllocatesTheSleepItsPromiseAndItsTimer() {
    Duration oneMs = Duration.ofMillis(1);
    long sleepSize = sizeOf(() -> Aio.sleep(oneMs));
    long promiseSize = sizeOf(() -> new Sleep.TimerPromise(loop));
    long timerSize = sizeOf(() -> new TimerHandle(loop, () -> {}, 0, 0));
    long expected = sleepSize + promiseSize + timerSize;
    long bytes = minAllocated(() -> assertEquals(ROUNDS, loop.runUntilComplete(new SleepLoop(oneMs, ROUNDS))));
    double perSleep =
        report(
            "await Aio.sleep(1ms) (Sleep " + sleepSize + " B + TimerPromise " + promiseSize
                + " B + TimerHandle " + timerSize + " B)",
            bytes,
            ROUNDS);
    assertTrue(
        perSleep <= expected + 0.5,
        "a sleep with a delay allocated " + perSleep + " bytes; only its Sleep, TimerPromise and"
            + " TimerHandle (" + expected + " bytes) are expected");
    assertEquals(0, loop.timerCount(), "every timer left the heap");
  }

  // ---------------------------------------------------------------------------------------------
  // Measurement.

  private static long allocatedBytes() {
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /** The fewest bytes {@code action} allocated in {@value #RUNS} runs, after {@value #WARMUPS}. */
  private static long minAllocated(Runnable action) {
    for (int i = 0; i < WARMUPS; i++) {
      action.run();
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < RUNS; i++) {
      long before = allocatedBytes();
      action.run();
      long bytes = allocatedBytes() - before - probeOverhead;
      min = Math.min(min, Math.max(0, bytes));
    }
    return min;
  }

  /** The size of one object made by {@code factory}: many are stored, so none can be optimised away. */
  private static long sizeOf(Supplier<?> factory) {
    int n = 10_000;
    Object[] keep = new Object[n];
    long bytes =
        minAllocated(
            () -> {
              for (int i = 0; i < n; i++) {
                keep[i] = factory.get();
              }
            });
    return Math.round((double) bytes / n);
  }

  private static double report(String what, long bytes, int operations) {
    double per = (double) bytes / operations;
    System.out.printf(
        "AllocationTest: %s: %d bytes for %d operations = %.3f B/op%n", what, bytes, operations, per);
    return per;
  }

  // ---------------------------------------------------------------------------------------------
  // Hand-written state machines, shaped as the processor emits them.

  /** {@code for (int i = 0; i < n; i++) last = await(p); return done(counting ? n : last);} */
  static final class AwaitLoop extends Coroutine<Object> {
    private final Promise<?> p;
    private final int n;
    private final boolean count;
    private int i;
    private Object last;

    AwaitLoop(Promise<?> p, int n) {
      this(p, n, false);
    }

    AwaitLoop(Promise<?> p, int n, boolean count) {
      this.p = p;
      this.n = n;
      this.count = count;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return count ? (Object) n : last;
            }
            state = 2;
            if (suspendOn(p)) {
              return SUSPEND;
            }
            // fall through
          case 2:
            last = awaitResult();
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** {@code return done(await(p));} */
  static final class AwaitOnce extends Coroutine<Object> {
    private final Promise<Object> p;

    AwaitOnce(Promise<Object> p) {
      this.p = p;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(p)) {
            return SUSPEND;
          }
          // fall through
        case 1:
          return awaitResult();
        default:
          throw illegalState();
      }
    }
  }

  /** {@code for (int i = 0; i < n; i++) last = await(awaitOnce(p)); return done(last);} */
  static final class AwaitInlineLoop extends Coroutine<Object> {
    private final Promise<Object> p;
    private final int n;
    private int i;
    private Object last;

    AwaitInlineLoop(Promise<Object> p, int n) {
      this.p = p;
      this.n = n;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return last;
            }
            state = 2;
            if (suspendOn(new AwaitOnce(p))) {
              return SUSPEND;
            }
            // fall through
          case 2:
            last = awaitResult();
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** {@code for (int i = 0; i < n; i++) await(Aio.sleep(delay)); return done(n);} */
  static final class SleepLoop extends Coroutine<Object> {
    private final Duration delay;
    private final int n;
    private int i;

    SleepLoop(Duration delay, int n) {
      this.delay = delay;
      this.n = n;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return n;
            }
            state = 2;
            if (suspendOn(Aio.sleep(delay))) {
              return SUSPEND;
            }
            // fall through
          case 2:
            awaitResult();
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** Where the two players of the ping-pong find each other's promise. */
  static final class Court {
    Promise<Object> ping;
    Promise<Object> pong;
  }

  /** {@code for (i < n) { court.pong = createPromise(); court.ping.complete(VALUE); await(court.pong); }} */
  static final class Pinger extends Coroutine<Object> {
    private final Court court;
    private final int n;
    private int i;

    Pinger(Court court, int n) {
      this.court = court;
      this.n = n;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return n;
            }
            Promise<Object> pong = loop().createPromise();
            court.pong = pong;
            court.ping.complete(VALUE);
            state = 2;
            if (suspendOn(pong)) {
              return SUSPEND;
            }
            // fall through
          case 2:
            assertSame(VALUE, awaitResult());
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** {@code for (i < n) { court.ping = createPromise(); b = await(court.ping); court.pong.complete(b); }} */
  static final class Ponger extends Coroutine<Object> {
    private final Court court;
    private final int n;
    private int i;

    Ponger(Court court, int n) {
      this.court = court;
      this.n = n;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= n) {
              return null;
            }
            Promise<Object> ping = loop().createPromise();
            court.ping = ping;
            state = 2;
            if (suspendOn(ping)) {
              return SUSPEND;
            }
            // fall through
          case 2:
            court.pong.complete(awaitResult());
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }
}
