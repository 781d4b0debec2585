package io.awaitj.benchmarks.compare;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A million tasks with a timeout that does not fire: {@code TimeoutMain MODE N MILLIS} runs {@code N}
 * tasks that each do {@code await(Aio.waitFor(Aio.sleep(MILLIS), 30 s))} ({@code timed}), the same
 * with a timeout of its own, 30 s and the task's number in nanoseconds ({@code distinct}: as timeouts
 * of the time left until a deadline are), {@code await(Aio.sleep(MILLIS))} ({@code plain}), or a sleep of its own, MILLIS and the task's number
 * in nanoseconds ({@code jitter}: as sleeps of a random jitter are), all awaited, once in this JVM, and prints one {@code
 * RESULT} line as {@link PeerMain} does: the overhead (wall time less {@code MILLIS}), the process
 * CPU (the collector's threads too) and the CPU of the loop's thread (this one, {@code Aio.run}'s),
 * which a collector's pause or its decision to grow the heap does not add to. Run it in fresh JVMs, the two modes and the jars compared in turn. Only public API, so the
 * same source builds against an older runtime for a side-by-side run.
 */
public final class TimeoutMain {
  private TimeoutMain() {}

  /** The timeout of every task in {@code timed}: it never fires. */
  static final Duration LIMIT = Duration.ofSeconds(30);

  @Async
  static Coroutine<Long> timedSleeper(long id, long millis, boolean distinct) {
    await(Aio.waitFor(Aio.sleep(millis), distinct ? LIMIT.plusNanos(id) : LIMIT));
    return done(id);
  }

  @Async
  static Coroutine<Long> plainSleeper(long id, long millis, boolean jitter) {
    await(jitter ? Aio.sleep(Duration.ofMillis(millis).plusNanos(id)) : Aio.sleep(millis));
    return done(id);
  }

  @Async
  static Coroutine<Long> sleepers(int n, long millis, String mode) {
    List<Task<Long>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(
          Aio.createTask(
              mode.equals("plain") || mode.equals("jitter")
                  ? TimeoutMainAsync.plainSleeper(i, millis, mode.equals("jitter"))
                  : TimeoutMainAsync.timedSleeper(i, millis, mode.equals("distinct"))));
    }
    long sum = 0;
    for (Task<Long> t : tasks) {
      sum += await(t);
    }
    return done(sum);
  }

  /**
   * Runs one mode once; see the class comment.
   *
   * @param args {@code timed}, {@code distinct}, {@code plain} or {@code jitter}, the number of tasks, the sleep in
   *     milliseconds
   */
  public static void main(String[] args) {
    if (args.length != 3 || !List.of("timed", "distinct", "plain", "jitter").contains(args[0])) {
      System.err.println("usage: TimeoutMain timed|distinct|plain|jitter N MILLIS");
      System.exit(2);
    }
    int n = Integer.parseInt(args[1]);
    long millis = Long.parseLong(args[2]);
    long c0 = Probe.processCpuNanos();
    long l0 = Probe.threadCpuNanos();
    long t0 = System.nanoTime();
    long sum = Aio.run(TimeoutMainAsync.sleepers(n, millis, args[0]));
    long t1 = System.nanoTime();
    long l1 = Probe.threadCpuNanos();
    long c1 = Probe.processCpuNanos();
    double ms = (t1 - t0) / 1e6;
    new Probe.Report().word("mode", args[0]).put("overhead_ms", ms - millis).put("wall_ms", ms)
        .put("cpu_ms", (c1 - c0) / 1e6).put("loop_cpu_ms", (l1 - l0) / 1e6).put("checksum", sum).print();
  }
}
