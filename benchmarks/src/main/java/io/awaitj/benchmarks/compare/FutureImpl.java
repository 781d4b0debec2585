package io.awaitj.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The scenarios as {@code CompletableFuture} chains: a task is a future, a sleep a {@link
 * CompletableFuture#delayedExecutor delayed} stage, a waiter a dependent stage of the gate, an await
 * {@code join()} of a completed future, a coroutine a stage derived from a completed one. It has no
 * yield and no queue, so it takes no part in those scenarios.
 */
final class FutureImpl implements Impl {
  private static int deepest = Integer.MAX_VALUE;

  private static long sum(List<CompletableFuture<Long>> futures) {
    long sum = 0;
    for (CompletableFuture<Long> f : futures) {
      sum += f.join();
    }
    return sum;
  }

  @Override
  public long sleep(int n, long millis) {
    return jitter(n, millis, 1);
  }

  @Override
  public long jitter(int n, long millis, int spread) {
    Executor[] later = new Executor[spread]; // one delayed executor per delay
    List<CompletableFuture<Long>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long id = i;
      int k = (int) ((i * 7919L) % spread);
      if (later[k] == null) {
        later[k] = CompletableFuture.delayedExecutor(Impl.delayOf(i, millis, spread), TimeUnit.MILLISECONDS);
      }
      fs.add(CompletableFuture.supplyAsync(() -> id, later[k]));
    }
    return sum(fs);
  }

  @Override
  public long heap(int n, long[] heapPerTask) {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    long before = Probe.usedHeap();
    List<CompletableFuture<Long>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long id = i;
      fs.add(gate.thenApply(v -> id));
    }
    heapPerTask[0] = (Probe.usedHeap() - before) / n;
    gate.complete(null);
    return sum(fs);
  }

  private static CompletableFuture<Long> rec(int n, long millis) {
    if (n < deepest) {
      deepest = n;
    }
    if (n == 0) {
      return CompletableFuture.supplyAsync(() -> 0L,
          CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }
    return rec(n - 1, millis).thenApply(below -> below + 1);
  }

  @Override
  public long recurse(int depth, long millis) {
    try {
      return rec(depth, millis).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  @Override
  public int deepest() {
    return deepest;
  }

  @Override
  public long gather(int n, int yields) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long queue(int n) {
    throw new UnsupportedOperationException();
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<Long>[] completed() {
    CompletableFuture<Long>[] futures = new CompletableFuture[Probe.PROMISES];
    for (int k = 0; k < futures.length; k++) {
      futures[k] = CompletableFuture.completedFuture((long) k);
    }
    return futures;
  }

  @Override
  public LongSupplier completedBatch(int ops) {
    return () -> {
      CompletableFuture<Long>[] futures = completed();
      long sum = 0;
      for (int i = 0; i < ops; i++) {
        sum += futures[i & (Probe.PROMISES - 1)].join();
      }
      return sum;
    };
  }

  @Override
  public LongSupplier noSuspendBatch(int ops) {
    return () -> {
      CompletableFuture<Long>[] futures = completed();
      long sum = 0;
      for (int i = 0; i < ops; i++) {
        long plus = i;
        sum += futures[i & (Probe.PROMISES - 1)].thenApply(v -> v + plus).join();
      }
      return sum;
    };
  }

  @Override
  public LongSupplier noAwaitBatch(int ops) {
    return () -> {
      long sum = 0;
      for (int i = 0; i < ops; i++) {
        sum += CompletableFuture.completedFuture(i + 1L).join();
      }
      return sum;
    };
  }

  @Override
  public long yieldLoop(int n) {
    throw new UnsupportedOperationException();
  }

  @Override
  public LongSupplier generatorBatch(int ops) {
    throw new UnsupportedOperationException();
  }
}
