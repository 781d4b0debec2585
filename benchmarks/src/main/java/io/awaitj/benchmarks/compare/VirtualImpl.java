package io.awaitj.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * The scenarios on virtual threads (JDK 21 and later; looked up at run time, so this compiles for
 * Java 17): a task is a virtual thread, a sleep {@code Thread.sleep}, a yield {@code Thread.yield},
 * the queue an {@link ArrayBlockingQueue} between two virtual threads.
 */
final class VirtualImpl implements Impl {
  private static volatile int deepest = Integer.MAX_VALUE;

  /** Whether this JDK has virtual threads. */
  static boolean available() {
    try {
      Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static ExecutorService executor() {
    try {
      return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException("virtual threads need JDK 21 or later", e);
    }
  }

  private static long sum(List<Future<Long>> futures) throws Exception {
    long sum = 0;
    for (Future<Long> f : futures) {
      try {
        sum += f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error err) {
          throw err; // a StackOverflowError is a result of the recursion scenario
        }
        throw e;
      }
    }
    return sum;
  }

  @Override
  public long sleep(int n, long millis) throws Exception {
    return jitter(n, millis, 1);
  }

  @Override
  public long jitter(int n, long millis, int spread) throws Exception {
    ExecutorService ex = executor();
    try {
      List<Future<Long>> fs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long id = i;
        long delay = Impl.delayOf(i, millis, spread);
        fs.add(ex.submit(() -> {
          Thread.sleep(delay);
          return id;
        }));
      }
      return sum(fs);
    } finally {
      ex.shutdown();
    }
  }

  @Override
  public long heap(int n, long[] heapPerTask) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch waiting = new CountDownLatch(n);
    long before = Probe.usedHeap();
    ExecutorService ex = executor();
    try {
      List<Future<Long>> fs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long id = i;
        fs.add(ex.submit(() -> {
          waiting.countDown();
          gate.await();
          return id;
        }));
      }
      waiting.await();
      heapPerTask[0] = (Probe.usedHeap() - before) / n;
      gate.countDown();
      return sum(fs);
    } finally {
      ex.shutdown();
    }
  }

  private static long rec(int n, long millis) throws InterruptedException {
    if (n < deepest) {
      deepest = n;
    }
    if (n == 0) {
      Thread.sleep(millis);
      return 0;
    }
    return rec(n - 1, millis) + 1;
  }

  @Override
  public long recurse(int depth, long millis) throws Exception {
    ExecutorService ex = executor();
    try {
      return sum(List.of(ex.submit(() -> rec(depth, millis))));
    } finally {
      ex.shutdown();
    }
  }

  @Override
  public int deepest() {
    return deepest;
  }

  @Override
  public long gather(int n, int yields) throws Exception {
    ExecutorService ex = executor();
    try {
      List<Future<Long>> fs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long id = i;
        fs.add(ex.submit(() -> {
          long done = 0;
          for (int y = 0; y < yields; y++) {
            Thread.yield();
            done++;
          }
          return id + done;
        }));
      }
      return sum(fs);
    } finally {
      ex.shutdown();
    }
  }

  @Override
  public long queue(int n) throws Exception {
    BlockingQueue<Integer> q = new ArrayBlockingQueue<>(64);
    ExecutorService ex = executor();
    try {
      Future<Long> producer = ex.submit(() -> {
        for (int i = 0; i < n; i++) {
          q.put(i);
        }
        return 0L;
      });
      Future<Long> consumer = ex.submit(() -> {
        long sum = 0;
        for (int i = 0; i < n; i++) {
          sum += q.take();
        }
        return sum;
      });
      return sum(List.of(producer, consumer));
    } finally {
      ex.shutdown();
    }
  }

  @Override
  public LongSupplier completedBatch(int ops) {
    throw new UnsupportedOperationException();
  }

  @Override
  public LongSupplier noSuspendBatch(int ops) {
    throw new UnsupportedOperationException();
  }

  @Override
  public LongSupplier noAwaitBatch(int ops) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long yieldLoop(int n) throws Exception {
    ExecutorService ex = executor();
    try {
      return sum(List.of(ex.submit(() -> {
        long count = 0;
        for (int i = 0; i < n; i++) {
          Thread.yield();
          count++;
        }
        return count;
      })));
    } finally {
      ex.shutdown();
    }
  }

  @Override
  public LongSupplier generatorBatch(int ops) {
    throw new UnsupportedOperationException();
  }
}
