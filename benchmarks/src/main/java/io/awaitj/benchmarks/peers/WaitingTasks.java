package io.awaitj.benchmarks.peers;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A whole-process comparison for the workload awaitj is made for: a great many tasks that wait.
 *
 * <p>{@code n} tasks each wait on one shared gate, then on a 1 ms timer of their own, then return their
 * number. The program spawns all of them, lets them park on the gate, measures the heap they hold (a
 * full collection before and after), opens the gate, and collects the sum of their results. The
 * same workload runs on awaitj (code generated from {@link AwaitjWorkers}'s {@code @Async} methods),
 * on virtual threads (JDK 21 and later) and on platform threads.
 *
 * <p>Run each in a fresh JVM with the same fixed heap ({@code benchmarks/peers.sh} does), for example
 * {@code java -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar
 * io.awaitj.benchmarks.peers.WaitingTasks awaitj 1000000}. It prints one line: the time to spawn the
 * tasks and have them all waiting, the heap per waiting task, and the time from opening the gate to
 * the last result.
 */
public final class WaitingTasks {
  private WaitingTasks() {}

  /** What one run measured. */
  public record Report(String peer, int tasks, long sum, long spawnNanos, long heapBytesPerTask,
      long rssBytesPerTask, long drainNanos) {
    /** The line {@link #main} prints. */
    public String line() {
      return String.format(Locale.ROOT,
          "%-8s tasks=%,d spawn=%,d ms heap/task=%,d B rss/task=%s drain=%,d ms", peer, tasks,
          spawnNanos / 1_000_000, heapBytesPerTask,
          rssBytesPerTask < 0 ? "n/a" : String.format(Locale.ROOT, "%,d B", rssBytesPerTask),
          drainNanos / 1_000_000);
    }

    /** The sum every run must return: 0 + 1 + ... + (tasks - 1). */
    public long expectedSum() {
      return (long) tasks * (tasks - 1) / 2;
    }
  }

  /** One way to run the workload. */
  interface Peer {
    Report run(int tasks) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: WaitingTasks awaitj|virtual|platform TASKS");
      System.exit(2);
    }
    Report r = run(args[0], Integer.parseInt(args[1]));
    if (r.sum() != r.expectedSum()) {
      throw new AssertionError("wrong sum " + r.sum() + ", expected " + r.expectedSum());
    }
    System.out.println(r.line());
  }

  /** Runs the workload on {@code peer} ({@code awaitj}, {@code virtual} or {@code platform}). */
  public static Report run(String peer, int tasks) throws Exception {
    Peer p;
    switch (peer) {
      case "awaitj":
        p = AwaitjWorkers::measure;
        break;
      case "virtual":
        p = n -> ThreadWorkers.measure(n, true);
        break;
      case "platform":
        p = n -> ThreadWorkers.measure(n, false);
        break;
      default:
        throw new IllegalArgumentException("unknown peer '" + peer + "': awaitj, virtual or platform");
    }
    return p.run(tasks);
  }

  /** Memory in use: the heap after full collections, and the process's resident set (or -1). */
  record Memory(long heap, long rss) {
    static Memory now() {
      long heap = usedHeap();
      return new Memory(heap, residentSetBytes());
    }

    /** Per task, from {@code before} to this: heap bytes, and resident bytes (-1 if unknown). */
    long[] perTask(Memory before, int tasks) {
      int n = Math.max(1, tasks);
      return new long[] {
        Math.max(0, heap - before.heap) / n,
        rss < 0 || before.rss < 0 ? -1 : Math.max(0, rss - before.rss) / n
      };
    }
  }

  /** The resident set size of this process from /proc (Linux), or -1 where there is none. */
  static long residentSetBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The used heap after full collections, in bytes. */
  static long usedHeap() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
