package io.awaitj.stress;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.StressAccess;
import io.awaitj.Task;
import io.awaitj.stress.StressSupport.Mismatches;
import io.awaitj.stress.StressSupport.Sample;
import io.awaitj.sync.Event;
import io.awaitj.sync.Lock;
import io.awaitj.sync.Queue;
import io.awaitj.sync.QueueShutDownException;
import io.awaitj.sync.Semaphore;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Churn with the synchronisation primitives and the thread bridge, each job checking itself:
 *
 * <ul>
 *   <li>a lock round: a few tasks take one {@link Lock} (or one of the permits of a {@link
 *       Semaphore}) in turn, hold it across a sleep, and count; some are cancelled while waiting or
 *       while holding it (and then release it). Never more inside than permits; the count is the
 *       number that succeeded; the lock ends free, the semaphore with all its permits.
 *   <li>an event round: a few tasks wait for an {@link Event} that a timer sets; some are cancelled
 *       at random instants. A waiter cancelled at or before the set ends cancelled then; the others
 *       wake at the very instant of the set.
 *   <li>a queue pair: a producer puts numbered items into a small bounded {@link Queue}, a consumer
 *       takes them, both sleeping at random; the consumer may be cancelled, and then shuts the queue
 *       down, which must stop the producer. Items arrive in order; a consumer that was not cancelled
 *       got all of them.
 *   <li>{@code Aio.toThread}: the value must come back, on the loop's thread.
 * </ul>
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
final class SyncPool {
  private static final long MS = 1_000_000L;

  private final EventLoop loop;
  private final SplittableRandom rnd;
  private final Mismatches mismatches;
  private final Sample sample;
  int live;
  long lockRounds;
  long lockHolds;
  long lockCancelled;
  long queuePairs;
  long itemsDelivered;
  long consumersCancelled;
  long threadCalls;
  long eventRounds;
  long eventWaitersWoken;
  long eventWaitersCancelled;

  SyncPool(EventLoop loop, SplittableRandom rnd, Mismatches mismatches, Sample sample) {
    this.loop = loop;
    this.rnd = rnd;
    this.mismatches = mismatches;
    this.sample = sample;
  }

  private <T> Task<T> start(Coroutine<T> c, java.util.function.Consumer<Promise<T>> onDone) {
    Task<T> t = loop.createTask(c);
    live++;
    sample.offer(t);
    t.addDoneCallback(p -> {
      live--;
      onDone.accept(p);
    });
    return t;
  }

  // -----------------------------------------------------------------------------------------------
  // Lock rounds.

  void spawnLockRound() {
    lockRounds++;
    LockRound round = new LockRound(rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(3));
    int m = 2 + rnd.nextInt(6);
    round.remaining = m;
    for (int i = 0; i < m; i++) {
      long hold = rnd.nextInt(3) * MS + rnd.nextInt(1000);
      Task<Void> t = start(new LockUser(round, hold), p -> round.done(p));
      if (rnd.nextInt(10) < 3) {
        loop.callLater(Duration.ofNanos(rnd.nextInt(8) * MS + rnd.nextInt(1_000_000)), t::cancel);
      }
    }
  }

  /** A lock ({@code permits == 0}) or a semaphore of {@code permits} permits, and its users. */
  private final class LockRound {
    final Lock lock;
    final Semaphore semaphore;
    final int permits;
    int inside;
    int counter;
    int succeeded;
    int remaining;

    LockRound(int permits) {
      this.lock = permits == 0 ? new Lock() : null;
      this.semaphore = permits == 0 ? null : new Semaphore(permits);
      this.permits = Math.max(1, permits);
    }

    Coroutine<Void> acquire() {
      return lock != null ? lock.acquire() : semaphore.acquire();
    }

    void release() {
      if (lock != null) {
        lock.release();
      } else {
        semaphore.release();
      }
    }

    void done(Promise<Void> p) {
      if (p.isCancelled()) {
        lockCancelled++;
      } else if (p.isSuccess()) {
        succeeded++;
        lockHolds++;
      } else {
        mismatches.add("lock user failed: " + p.exception());
      }
      if (--remaining == 0) {
        if (lock != null && lock.isLocked()) {
          mismatches.add("lock round over, but the lock is still held: " + lock);
        }
        if (semaphore != null) {
          for (int i = 0; i < permits; i++) {
            if (!semaphore.tryAcquire()) {
              mismatches.add("semaphore round over, but only " + i + " of " + permits + " permits are free");
            }
          }
          if (semaphore.tryAcquire()) {
            mismatches.add("semaphore round over with more than " + permits + " permits");
          }
        }
        if (counter != succeeded) {
          mismatches.add("lock round: counted " + counter + ", but " + succeeded + " users succeeded");
        }
      }
    }
  }

  private final class LockUser extends Coroutine<Void> {
    private final LockRound round;
    private final long hold;

    LockUser(LockRound round, long hold) {
      this.round = round;
      this.hold = hold;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(round.acquire())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult(); // cancelled while waiting: the lock was not taken
          if (round.inside >= round.permits) {
            mismatches.add("more than " + round.permits + " tasks inside a lock round at once");
          }
          round.inside++;
          state = 2;
          if (suspendOn(Aio.sleep(Duration.ofNanos(hold)))) {
            return SUSPEND;
          }
          // fall through
        case 2:
          try {
            awaitResult();
          } finally {
            round.inside--;
            round.release();
          }
          round.counter++;
          return null;
        default:
          throw illegalState();
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Queue pairs.

  void spawnQueuePair() {
    queuePairs++;
    QueuePair pair = new QueuePair(rnd.split(), 1 + rnd.nextInt(3), 1 + rnd.nextInt(20));
    start(pair.new Producer(), p -> pair.producerDone(p));
    Task<Integer> consumer = start(pair.new Consumer(), p -> pair.consumerDone(p));
    if (rnd.nextInt(4) == 0) {
      // After its first step, so that its cancellation handler (which shuts the queue down) runs.
      loop.callLater(Duration.ofNanos(1 + rnd.nextInt(20) * MS + rnd.nextInt(1_000_000)), consumer::cancel);
    }
  }

  private final class QueuePair {
    final SplittableRandom r;
    final Queue<Integer> queue;
    final int n;
    int put;
    int received;
    boolean consumerCancelled;
    int doneCount;

    QueuePair(SplittableRandom r, int maxsize, int n) {
      this.r = r;
      this.queue = new Queue<>(maxsize);
      this.n = n;
    }

    long pause() {
      int k = r.nextInt(4);
      return k == 0 ? 0 : k == 1 ? 1 : r.nextInt(2 * (int) MS);
    }

    void producerDone(Promise<Integer> p) {
      if (!p.isSuccess()) {
        mismatches.add("queue producer ended " + (p.isCancelled() ? "cancelled" : p.exception()));
      } else if (!consumerCancelled && p.result() != n) {
        mismatches.add("queue producer put " + p.result() + " of " + n + " items without a shutdown");
      }
      bothDone();
    }

    void consumerDone(Promise<Integer> p) {
      if (p.isCancelled()) {
        consumersCancelled++;
      } else if (!p.isSuccess()) {
        mismatches.add("queue consumer failed: " + p.exception());
      } else if (p.result() != n) {
        mismatches.add("queue consumer got " + p.result() + " of " + n + " items");
      }
      itemsDelivered += received;
      bothDone();
    }

    void bothDone() {
      if (++doneCount == 2 && received > put) {
        mismatches.add("queue consumer received " + received + " items, but only " + put + " were put");
      }
    }

    final class Producer extends Coroutine<Integer> {
      @Override
      protected Object step() {
        while (true) {
          switch (state) {
            case 0:
              if (put == n) {
                return n;
              }
              state = 1;
              long p = pause();
              if (p > 0 && suspendOn(Aio.sleep(Duration.ofNanos(p)))) {
                return SUSPEND;
              }
              if (p == 0) {
                continue;
              }
              // fall through
            case 1:
              awaitResult();
              state = 2;
              try {
                if (suspendOn(queue.put(put))) {
                  return SUSPEND;
                }
              } catch (QueueShutDownException e) {
                return put;
              }
              // fall through
            case 2:
              try {
                awaitResult();
              } catch (QueueShutDownException e) {
                return put;
              }
              put++;
              state = 0;
              continue;
            default:
              throw illegalState();
          }
        }
      }
    }

    final class Consumer extends Coroutine<Integer> {
      @Override
      protected Object step() {
        try {
          return run();
        } catch (io.awaitj.CancelledError e) {
          consumerCancelled = true;
          queue.shutdown(true);
          throw e;
        }
      }

      private Object run() {
        while (true) {
          switch (state) {
            case 0:
              if (received == n) {
                return n;
              }
              state = 1;
              if (suspendOn(queue.get())) {
                return SUSPEND;
              }
              // fall through
            case 1:
              {
                int item = awaitResult();
                if (item != received) {
                  mismatches.add("queue consumer got item " + item + ", expected " + received);
                }
                received++;
                queue.taskDone();
                long p = pause();
                state = 2;
                if (p > 0 && suspendOn(Aio.sleep(Duration.ofNanos(p)))) {
                  return SUSPEND;
                }
                if (p == 0) {
                  state = 0;
                  continue;
                }
              }
              // fall through
            case 2:
              awaitResult();
              state = 0;
              continue;
            default:
              throw illegalState();
          }
        }
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Event rounds.

  void spawnEventRound() {
    eventRounds++;
    Event event = new Event();
    long now = loop.nanoTime();
    long setAt = now + (1 + rnd.nextInt(10)) * MS + rnd.nextInt(1_000_000);
    loop.callAt(setAt, event::set);
    int n = 1 + rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      long cancelAt = rnd.nextInt(3) == 0 ? now + 1 + rnd.nextInt(12 * (int) MS) : -1;
      if (cancelAt >= 0 && rnd.nextInt(4) == 0) {
        // The same instant: the set runs first (its timer was set first) and wakes the waiter, but
        // the cancellation comes before the woken waiter runs, and wins.
        cancelAt = setAt;
      }
      long c = cancelAt;
      Task<Void> t = start(event.waitSet(), p -> {
        long end = loop.nanoTime();
        boolean cancelled = c >= 0 && c <= setAt;
        if (cancelled ? !(p.isCancelled() && end == c) : !(p.isSuccess() && end == setAt)) {
          mismatches.add("event waiter (set at " + setAt + ", cancelled at " + c + ") ended "
              + (p.isCancelled() ? "cancelled" : p.isSuccess() ? "woken" : StressAccess.failureOf(p)) + " at " + end);
        } else if (cancelled) {
          eventWaitersCancelled++;
        } else {
          eventWaitersWoken++;
        }
      });
      if (c >= 0) {
        loop.callAt(c, t::cancel);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The thread bridge.

  void spawnToThread() {
    threadCalls++;
    long v = rnd.nextLong();
    Thread loopThread = Thread.currentThread();
    start(
        new Coroutine<Long>() {
          @Override
          protected Object step() {
            switch (state) {
              case 0:
                state = 1;
                if (suspendOn(Aio.toThread(() -> v))) {
                  return SUSPEND;
                }
                // fall through
              case 1:
                long got = awaitResult();
                if (got != v || Thread.currentThread() != loopThread) {
                  mismatches.add("toThread: got " + got + " on " + Thread.currentThread().getName()
                      + ", expected " + v + " on " + loopThread.getName());
                }
                return got;
              default:
                throw illegalState();
            }
          }
        },
        p -> {
          if (!p.isSuccess()) {
            mismatches.add("toThread task ended " + StressAccess.failureOf(p));
          }
        });
  }

  String summary() {
    return String.format(java.util.Locale.ROOT,
        "%d lock and semaphore rounds (%d holds, %d users cancelled), %d queue pairs (%d items, %d consumers cancelled),"
            + " %d event rounds (%d waiters woken, %d cancelled), %d toThread calls",
        lockRounds, lockHolds, lockCancelled, queuePairs, itemsDelivered, consumersCancelled, eventRounds,
        eventWaitersWoken, eventWaitersCancelled, threadCalls);
  }
}
