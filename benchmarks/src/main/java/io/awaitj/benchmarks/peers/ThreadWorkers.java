package io.awaitj.benchmarks.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@link WaitingTasks} workload on threads: one virtual thread per task (JDK 21 and later; looked
 * up at run time, so this compiles for Java 17) or one platform thread per task.
 */
final class ThreadWorkers {
  private ThreadWorkers() {}

  /** Whether this JDK has virtual threads. */
  static boolean hasVirtualThreads() {
    try {
      Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  static WaitingTasks.Report measure(int n, boolean virtual) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch waiting = new CountDownLatch(n);
    WaitingTasks.Memory before = WaitingTasks.Memory.now();
    long start = System.nanoTime();
    ExecutorService executor = virtual
        ? (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null)
        : Executors.newCachedThreadPool();
    try {
      List<Future<Long>> tasks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long id = i;
        tasks.add(executor.submit(() -> {
          waiting.countDown();
          gate.await();
          Thread.sleep(1);
          return id;
        }));
      }
      waiting.await();
      long spawned = System.nanoTime();
      long[] perTask = WaitingTasks.Memory.now().perTask(before, n);
      long opened = System.nanoTime();
      gate.countDown();
      long sum = 0;
      for (Future<Long> t : tasks) {
        sum += t.get();
      }
      long drained = System.nanoTime();
      return new WaitingTasks.Report(virtual ? "virtual" : "platform", n, sum, spawned - start,
          perTask[0], perTask[1], drained - opened);
    } finally {
      executor.shutdown();
    }
  }
}
