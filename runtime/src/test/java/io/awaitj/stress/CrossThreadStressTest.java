package io.awaitj.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Task;
import io.awaitj.stress.StressSupport.Boom;
import io.awaitj.stress.StressSupport.Mismatches;
import io.awaitj.stress.StressSupport.Reports;
import io.awaitj.stress.StressSupport.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 4: eight threads completing what hundreds of tasks on one real-clock loop await.
 *
 * <p>Each awaiter task, in a loop, makes a request, hands it to the producer threads through a
 * blocking queue, and awaits it at once, so that some requests are already complete when awaited and
 * most are not. A request is a {@link CompletableFuture} the producer completes with a value, fails,
 * or cancels; a stage depending on such a future (which fails with a {@code CompletionException} the
 * runtime must unwrap); a loop promise the producer completes through {@code callSoonThreadsafe}; or
 * work run with {@code Aio.runInExecutor} on a pool. Every outcome must arrive exactly once, be the
 * right one, and be seen on the loop's thread. Some awaits are short sleeps on the real clock, which
 * the loop's wake-ups by other threads must never end early. Some are tasks that the producer
 * cancels through {@code Task.toCompletableFuture()}: the task, and the promise it waits on, must end
 * cancelled.
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
class CrossThreadStressTest {
  private static final String NAME = "cross-thread completions";
  private static final int PRODUCERS = 8;
  private static final int AWAITERS = 500;
  private static final int PER_AWAITER = 600;

  private static final byte VALUE = 0;
  private static final byte FAIL = 1;
  private static final byte CANCEL = 2;
  private static final byte DEPENDENT = 3;
  private static final byte DEPENDENT_FAIL = 4;
  private static final byte PROMISE = 5;
  private static final byte EXECUTOR = 6;
  private static final byte SLEEP = 7;
  private static final byte REMOTE_CANCEL = 8;
  private static final String[] MODES = {
    "value", "failure", "cancellation", "dependent stage", "failed dependent stage",
    "promise via callSoonThreadsafe", "runInExecutor", "real-clock sleep",
    "task cancelled through its CompletableFuture"
  };

  /** A request for a producer thread. */
  private record Request(long id, byte mode, CompletableFuture<Integer> future, Promise<Integer> promise) {}

  private static final Request POISON = new Request(-1, (byte) -1, null, null);

  @Test
  @Timeout(
      value = StressSupport.HANG_GUARD_SECONDS,
      unit = TimeUnit.SECONDS,
      threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void threadsCompletingWhatTheLoopAwaits() throws InterruptedException {
    long seed = StressSupport.seed(NAME);
    Reports reports = new Reports();
    Sample sample = new Sample(10);
    run(seed, reports, sample);
    sample.awaitCleared(NAME);
    reports.awaitNeverRetrieved(Set.of(), NAME);
  }

  private static int valueOf(long id) {
    return (int) (id * 31 + 7);
  }

  private static void run(long seed, Reports reports, Sample sample) throws InterruptedException {
    SplittableRandom rnd = new SplittableRandom(seed);
    Mismatches mismatches = new Mismatches();
    EventLoop loop = StressSupport.debugLoop(false, reports);
    LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    AtomicLong produced = new AtomicLong();
    List<Thread> producers = new ArrayList<>();
    for (int i = 0; i < PRODUCERS; i++) {
      Thread p = new Thread(() -> produce(queue, loop, produced), "stress-producer-" + i);
      p.setDaemon(true);
      p.start();
      producers.add(p);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "stress-executor");
      t.setDaemon(true);
      return t;
    });
    Thread loopThread = Thread.currentThread();
    int total = AWAITERS * PER_AWAITER;
    byte[] delivered = new byte[total];
    long[] byMode = new long[MODES.length];
    long[] inline = new long[1];
    AtomicLong wrongThread = new AtomicLong();
    long t0 = System.nanoTime();
    try {
      Coroutine<List<Integer>> main =
          new Coroutine<>() {
            @Override
            protected Object step() {
              switch (state) {
                case 0:
                  List<Task<Integer>> tasks = new ArrayList<>();
                  for (int a = 0; a < AWAITERS; a++) {
                    Awaiter w = new Awaiter(a, rnd.split(), queue, pool, loopThread, delivered, byMode,
                        inline, wrongThread, mismatches);
                    Task<Integer> t = Aio.createTask(w);
                    sample.offer(t);
                    tasks.add(t);
                  }
                  state = 1;
                  if (suspendOn(Aio.gather(tasks))) {
                    return SUSPEND;
                  }
                  // fall through
                case 1:
                  return awaitResult();
                default:
                  throw illegalState();
              }
            }
          };
      List<Integer> counts = loop.runUntilComplete(main);
      long took = System.nanoTime() - t0;
      mismatches.assertNone(NAME);
      assertEquals(0, wrongThread.get(), NAME + ": outcomes seen on another thread than the loop's");
      for (int c : counts) {
        assertEquals(PER_AWAITER, c, NAME + ": requests an awaiter saw");
      }
      long missing = 0;
      long twice = 0;
      for (byte d : delivered) {
        if (d == 0) {
          missing++;
        } else if (d > 1) {
          twice++;
        }
      }
      assertEquals(0, missing, NAME + ": outcomes never delivered");
      assertEquals(0, twice, NAME + ": outcomes delivered twice");
      StressSupport.assertLoopClean(loop, NAME);
      StringBuilder modes = new StringBuilder();
      for (int m = 0; m < MODES.length; m++) {
        modes.append(m == 0 ? "" : ", ").append(byMode[m]).append(' ').append(MODES[m]);
      }
      StressSupport.report(NAME,
          "%d outcomes delivered to %d tasks from %d threads (%s); %d were complete when awaited;"
              + " %s, %.0f per second",
          total, AWAITERS, PRODUCERS, modes, inline[0], StressSupport.ms(took), total / (took / 1e9));
      reports.assertNothingUnexpected(NAME);
    } finally {
      for (int i = 0; i < PRODUCERS; i++) {
        queue.add(POISON);
      }
      for (Thread p : producers) {
        p.join(10_000);
      }
      pool.shutdownNow();
      loop.close();
    }
    assertEquals(total - byMode[EXECUTOR] - byMode[SLEEP], produced.get(),
        NAME + ": requests the producers served");
  }

  private static void produce(LinkedBlockingQueue<Request> queue, EventLoop loop, AtomicLong produced) {
    while (true) {
      Request r;
      try {
        r = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (r == POISON) {
        return;
      }
      produced.incrementAndGet();
      switch (r.mode) {
        case VALUE:
        case DEPENDENT:
          r.future.complete(valueOf(r.id));
          break;
        case FAIL:
        case DEPENDENT_FAIL:
          r.future.completeExceptionally(new Boom(r.id));
          break;
        case CANCEL:
        case REMOTE_CANCEL:
          r.future.cancel(false);
          break;
        case PROMISE:
          loop.callSoonThreadsafe(() -> r.promise.complete(valueOf(r.id)));
          break;
        default:
          throw new AssertionError(r.mode);
      }
    }
  }

  /** Makes {@link #PER_AWAITER} requests one after the other and checks each outcome. */
  private static final class Awaiter extends Coroutine<Integer> {
    private final int index;
    private final SplittableRandom rnd;
    private final LinkedBlockingQueue<Request> queue;
    private final ExecutorService pool;
    private final Thread loopThread;
    private final byte[] delivered;
    private final long[] byMode;
    private final long[] inline;
    private final AtomicLong wrongThread;
    private final Mismatches mismatches;
    private int done;
    private long id;
    private byte mode;
    private long wakeAt;
    private Promise<Integer> never;

    Awaiter(int index, SplittableRandom rnd, LinkedBlockingQueue<Request> queue, ExecutorService pool,
        Thread loopThread, byte[] delivered, long[] byMode, long[] inline, AtomicLong wrongThread,
        Mismatches mismatches) {
      this.index = index;
      this.rnd = rnd;
      this.queue = queue;
      this.pool = pool;
      this.loopThread = loopThread;
      this.delivered = delivered;
      this.byMode = byMode;
      this.inline = inline;
      this.wrongThread = wrongThread;
      this.mismatches = mismatches;
    }

    @Override
    protected Object step() {
      if (state == 1) {
        check();
      }
      while (done < PER_AWAITER) {
        id = (long) index * PER_AWAITER + done;
        mode = (byte) rnd.nextInt(MODES.length);
        state = 1;
        boolean suspended;
        switch (mode) {
          case PROMISE:
            {
              Promise<Integer> p = loop().createPromise();
              queue.add(new Request(id, mode, null, p));
              suspended = suspendOn(p);
              break;
            }
          case SLEEP:
            {
              long d = rnd.nextInt(2_000_000);
              wakeAt = loop().nanoTime() + d;
              suspended = suspendOn(Aio.sleep(java.time.Duration.ofNanos(d)));
              break;
            }
          case REMOTE_CANCEL:
            {
              Promise<Integer> p = never = loop().createPromise();
              Task<Integer> inner = Aio.createTask(io.awaitj.Script.<Integer>of(x -> p));
              queue.add(new Request(id, mode, inner.toCompletableFuture(), null));
              suspended = suspendOn(inner);
              break;
            }
          case EXECUTOR:
            {
              long myId = id;
              suspended = suspendOn(Aio.runInExecutor(pool, () -> {
                if (Thread.currentThread() == loopThread) {
                  wrongThread.incrementAndGet();
                }
                return valueOf(myId);
              }));
              break;
            }
          default:
            {
              CompletableFuture<Integer> f = new CompletableFuture<>();
              CompletableFuture<Integer> awaited =
                  mode == DEPENDENT || mode == DEPENDENT_FAIL ? f.thenApply(v -> v + 1) : f;
              queue.add(new Request(id, mode, f, null));
              suspended = suspendOn(awaited);
            }
        }
        if (suspended) {
          return SUSPEND;
        }
        inline[0]++;
        check();
      }
      return done;
    }

    /** The outcome of request {@link #id} is in. */
    private void check() {
      if (Thread.currentThread() != loopThread) {
        wrongThread.incrementAndGet();
      }
      done++;
      delivered[(int) id]++;
      byMode[mode]++;
      Object value;
      try {
        value = awaitResult();
      } catch (Boom b) {
        if ((mode != FAIL && mode != DEPENDENT_FAIL) || b.id != id) {
          mismatches.add("request " + id + " (" + MODES[mode] + "): got " + b);
        }
        return;
      } catch (CancelledError e) {
        if (mode == REMOTE_CANCEL && !never.isCancelled()) {
          mismatches.add("request " + id + ": the task was cancelled, but not the promise it awaited");
        }
        if (mode != CANCEL && mode != REMOTE_CANCEL) {
          mismatches.add("request " + id + " (" + MODES[mode] + "): got " + e);
        }
        return;
      } catch (Throwable e) {
        mismatches.add("request " + id + " (" + MODES[mode] + "): got " + e);
        return;
      }
      if (mode == SLEEP) {
        long now = loop().nanoTime();
        if (value != null || now < wakeAt) {
          mismatches.add("request " + id + ": a sleep ended " + (wakeAt - now) + " ns early, with " + value);
        }
        return;
      }
      int expected = valueOf(id) + (mode == DEPENDENT ? 1 : 0);
      if ((mode != VALUE && mode != DEPENDENT && mode != PROMISE && mode != EXECUTOR)
          || !Integer.valueOf(expected).equals(value)) {
        mismatches.add("request " + id + " (" + MODES[mode] + "): got " + value + ", expected " + expected);
      }
    }
  }
}
