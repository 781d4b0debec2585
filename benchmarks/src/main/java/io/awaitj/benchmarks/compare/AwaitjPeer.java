package io.awaitj.benchmarks.compare;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static io.awaitj.Aio.emit;
import static io.awaitj.Aio.finish;

import io.awaitj.Aio;
import io.awaitj.AsyncGenerator;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Promise;
import io.awaitj.Task;
import io.awaitj.sync.Event;
import io.awaitj.sync.Queue;
import java.util.ArrayList;
import java.util.List;

/**
 * The awaitj side of every scenario of the comparison, written as a user writes it: {@code @Async}
 * methods, compiled by the processor into {@code AwaitjPeerAsync}. Each scenario method returns the
 * checksum that every peer of the scenario must compute (see {@link Scenario}).
 */
final class AwaitjPeer {
  private AwaitjPeer() {}

  // ---- sleep: n tasks each sleeping `millis` (jitter: Impl.delayOf(i, millis, spread)), all awaited

  @Async
  static Coroutine<Long> sleeper(long id, long millis) {
    await(Aio.sleep(millis));
    return done(id);
  }

  @Async
  static Coroutine<Long> sleepers(int n, long millis, int spread) {
    List<Task<Long>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(Aio.createTask(sleeper(i, Impl.delayOf(i, millis, spread))));
    }
    long sum = 0;
    for (Task<Long> t : tasks) {
      sum += await(t);
    }
    return done(sum);
  }

  // ---- heap: n tasks waiting on one gate

  @Async
  static Coroutine<Long> waiter(Event gate, long id) {
    await(gate.waitSet());
    return done(id);
  }

  @Async
  static Coroutine<Long> waiters(int n, long[] heapPerTask) {
    Event gate = new Event();
    long before = Probe.usedHeap();
    List<Task<Long>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(Aio.createTask(waiter(gate, i)));
    }
    await(Aio.sleep(0)); // one pass of the loop: every task runs until it waits on the gate
    heapPerTask[0] = (Probe.usedHeap() - before) / n;
    gate.set();
    long sum = 0;
    for (Task<Long> t : tasks) {
      sum += await(t);
    }
    return done(sum);
  }

  // ---- recursion: depth n, the leaf sleeps

  static int deepest = Integer.MAX_VALUE;

  @Async
  static Coroutine<Long> recurse(int n, long millis) {
    if (n < deepest) {
      deepest = n;
    }
    if (n == 0) {
      await(Aio.sleep(millis));
      return done(0L);
    }
    long below = await(recurse(n - 1, millis));
    return done(below + 1);
  }

  // ---- gather: n tasks each yielding `yields` times

  @Async
  static Coroutine<Long> yielder(long id, int yields) {
    int done = 0;
    for (int i = 0; i < yields; i++) {
      await(Aio.sleep(0));
      done++;
    }
    return done(id + done);
  }

  @Async
  static Coroutine<Long> gatherYielders(int n, int yields) {
    List<Task<Long>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(Aio.createTask(yielder(i, yields)));
    }
    List<Long> results = await(Aio.gather(tasks));
    long sum = 0;
    for (long r : results) {
      sum += r;
    }
    return done(sum);
  }

  // ---- queue: one producer, one consumer, a bounded queue of 64

  @Async
  static Coroutine<Void> produce(Queue<Integer> q, int n) {
    for (int i = 0; i < n; i++) {
      await(q.put(i));
    }
    return done();
  }

  @Async
  static Coroutine<Long> consume(Queue<Integer> q, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += await(q.get());
    }
    return done(sum);
  }

  @Async
  static Coroutine<Long> pipe(int n) {
    Queue<Integer> q = new Queue<>(64);
    Task<Void> producer = Aio.createTask(produce(q, n));
    long sum = await(consume(q, n));
    await(producer);
    return done(sum);
  }

  // ---- completed: await of a completed promise

  @Async
  static Coroutine<Long> awaitCompleted(int ops) {
    List<Promise<Long>> promises = completed();
    long sum = 0;
    for (int i = 0; i < ops; i++) {
      sum += await(promises.get(i & (Probe.PROMISES - 1)));
    }
    return done(sum);
  }

  /** Probe.PROMISES completed promises of the running loop, promise k holding k. */
  static List<Promise<Long>> completed() {
    List<Promise<Long>> promises = new ArrayList<>(Probe.PROMISES);
    for (int k = 0; k < Probe.PROMISES; k++) {
      Promise<Long> p = Aio.createPromise();
      p.complete((long) k);
      promises.add(p);
    }
    return promises;
  }

  // ---- nosuspend: call + await of a coroutine that awaits a completed promise

  @Async
  static Coroutine<Long> plusCompleted(Promise<Long> p, long i) {
    long value = await(p);
    return done(value + i);
  }

  @Async
  static Coroutine<Long> callNoSuspend(int ops) {
    List<Promise<Long>> promises = completed();
    long sum = 0;
    for (int i = 0; i < ops; i++) {
      sum += await(plusCompleted(promises.get(i & (Probe.PROMISES - 1)), i));
    }
    return done(sum);
  }

  // ---- noawait: call + await of a coroutine with no await

  @Async
  static Coroutine<Long> plusOne(long i) {
    return done(i + 1);
  }

  @Async
  static Coroutine<Long> callNoAwait(int ops) {
    long sum = 0;
    for (int i = 0; i < ops; i++) {
      sum += await(plusOne(i));
    }
    return done(sum);
  }

  // ---- yield: one task yielding n times

  @Async
  static Coroutine<Long> yieldLoop(int n) {
    long count = 0;
    for (int i = 0; i < n; i++) {
      await(Aio.sleep(0));
      count++;
    }
    return done(count);
  }

  // ---- generator: an async generator consumed by async for

  /** Probe.PROMISES boxed values, value k holding k: emitted again and again, boxed once. */
  static final Long[] VALUES = Probe.values();

  @Async
  static AsyncGenerator<Long> numbers(int ops) {
    Long[] values = VALUES;
    for (int i = 0; i < ops; i++) {
      emit(values[i & (Probe.PROMISES - 1)]);
    }
    return finish();
  }

  @Async
  static Coroutine<Long> sumGenerated(int ops) {
    long sum = 0;
    for (long v : numbers(ops)) {
      sum += v;
    }
    return done(sum);
  }
}
