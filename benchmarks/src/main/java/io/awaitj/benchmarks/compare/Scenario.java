package io.awaitj.benchmarks.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The scenarios of the peer comparison, each with the implementations that take part in it (the
 * others are listed with the reason), its parameters in the three sizes (the full run, the quick run
 * and the test's smoke run), the checksum every implementation must compute, and the figures it
 * reports. Every figure is "lower is better".
 */
enum Scenario {
  SLEEP("sleep", "many tasks sleeping", List.of("awaitj", "kotlin", "virtual", "cf", "node", "python"),
      Map.of(),
      new long[] {1_000_000, 2000}, new long[] {50_000, 2000}, new long[] {100, 20},
      p -> String.format(Locale.ROOT, "%,d tasks each sleeping %,d ms", p[0], p[1]),
      p -> p[0] * (p[0] - 1) / 2,
      List.of(new Metric("overhead_ms", "wall beyond the sleep", "ms"), new Metric("wall_ms", "wall", "ms"),
          new Metric("cpu_ms", "CPU time of the process", "ms"))),
  HEAP("heap", "heap", List.of("awaitj", "kotlin", "virtual", "cf", "node", "python"),
      Map.of(),
      new long[] {1_000_000}, new long[] {20_000}, new long[] {100},
      p -> String.format(Locale.ROOT, "%,d tasks waiting on one gate", p[0]),
      p -> p[0] * (p[0] - 1) / 2,
      List.of(new Metric("heap_per_task", "bytes per waiting task (heap after GC; python: tracemalloc)", "B"))),
  RECURSION("recursion", "deep recursion, sleeping leaf", List.of("awaitj", "kotlin", "virtual", "cf", "node", "python"),
      Map.of(),
      new long[] {1_000_000, 1}, new long[] {1_000_000, 1}, new long[] {100, 1},
      p -> String.format(Locale.ROOT, "recursion %,d deep, the leaf sleeps %d ms", p[0], p[1]),
      p -> p[0],
      List.of(new Metric("wall_ms", "wall", "ms"), new Metric("cpu_ms", "CPU time of the process", "ms"))),
  GATHER("gather", "gather of tasks that yield", List.of("awaitj", "kotlin", "virtual", "node", "python"),
      Map.of("cf", "a CompletableFuture has no yield"),
      new long[] {100_000, 10}, new long[] {10_000, 10}, new long[] {100, 10},
      p -> String.format(Locale.ROOT, "gather of %,d tasks x %d yields", p[0], p[1]),
      p -> p[0] * (p[0] - 1) / 2 + p[0] * p[1],
      List.of(new Metric("ns_per_yield", "wall time per yield", "ns"),
          new Metric("cpu_ns_per_yield", "CPU time (process) per yield", "ns"),
          new Metric("bytes_per_yield", "bytes allocated per yield (JVM only)", "B"))),
  QUEUE("queue", "bounded queue, producer to consumer", List.of("awaitj", "kotlin", "virtual", "python"),
      Map.of("cf", "no queue of CompletableFutures in the JDK",
          "node", "Node has no standard async queue"),
      new long[] {10_000_000}, new long[] {1_000_000}, new long[] {1000},
      p -> String.format(Locale.ROOT, "queue of 64 (Kotlin: Channel(64)), %,d items", p[0]),
      p -> p[0] * (p[0] - 1) / 2,
      List.of(new Metric("ns_per_item", "wall time per item", "ns"),
          new Metric("cpu_ns_per_item", "CPU time (process) per item", "ns"),
          new Metric("bytes_per_item", "bytes allocated per item (JVM only; boxed Integer included)", "B"))),
  COMPLETED("completed", "await of a completed promise", List.of("awaitj", "kotlin", "cf", "node", "python"),
      Map.of("virtual", "a blocking get() of a completed future is the cf figure"),
      new long[] {1_000_000, 2000, 9}, new long[] {200_000, 200, 5}, new long[] {1000, 0, 1},
      p -> "await of a completed promise (Kotlin: Deferred; cf: join())",
      p -> cycled(p[0], false),
      List.of(new Metric("ns_per_op", "CPU time per await", "ns"),
          new Metric("wall_ns_per_op", "wall time per await", "ns"))),
  NOSUSPEND("nosuspend", "call + await, completes without suspending", List.of("awaitj", "kotlin", "cf", "node", "python"),
      Map.of(),
      new long[] {1_000_000, 2000, 9}, new long[] {200_000, 200, 5}, new long[] {1000, 0, 1},
      p -> "call + await of a coroutine that awaits a completed promise (does not suspend)",
      p -> cycled(p[0], true),
      List.of(new Metric("ns_per_op", "CPU time per call + await", "ns"),
          new Metric("wall_ns_per_op", "wall time per call + await", "ns"))),
  NOAWAIT("noawait", "call + await, no await inside", List.of("awaitj", "kotlin", "cf", "node", "python"),
      Map.of(),
      new long[] {1_000_000, 2000, 9}, new long[] {200_000, 200, 5}, new long[] {1000, 0, 1},
      p -> "call + await of a coroutine with no await",
      p -> p[0] + p[0] * (p[0] - 1) / 2,
      List.of(new Metric("ns_per_op", "CPU time per call + await", "ns"),
          new Metric("wall_ns_per_op", "wall time per call + await", "ns"))),
  YIELD("yield", "yield loop", List.of("awaitj", "kotlin", "virtual", "node", "python"),
      Map.of("cf", "a CompletableFuture has no yield"),
      new long[] {10_000_000}, new long[] {200_000}, new long[] {1000},
      p -> String.format(Locale.ROOT,
          "await(Aio.sleep(0)) loop (Kotlin yield(), Thread.yield(), setImmediate, sleep(0)): first %,d", p[0]),
      p -> p[0],
      List.of(new Metric("ms", "wall time for the first N iterations, cold", "ms"),
          new Metric("cpu_ms", "CPU time (process) for them", "ms"),
          new Metric("bytes_per_yield", "bytes allocated per yield (JVM only)", "B"))),
  JAVAC("javac", "javac 50 @Async methods", List.of("awaitj", "javac"),
      Map.of(),
      new long[] {50}, new long[] {50}, new long[] {3},
      p -> String.format(Locale.ROOT,
          "javac of %d @Async methods with the processor (awaitj) vs without (javac)", p[0]),
      p -> p[0] + 2,
      List.of(new Metric("ms", "compile time in a fresh JVM; peer = same source, no processor", "ms"),
          new Metric("cpu_ms", "CPU time of the compile (process)", "ms"),
          new Metric("gen_ratio", "generated lines / template lines", "x"))),
  GENERATOR("generator", "async generator, async for", List.of("awaitj", "kotlin", "node", "python"),
      Map.of("virtual", "a thread has no generator", "cf", "a CompletableFuture has no generator"),
      new long[] {1_000_000, 2000, 9}, new long[] {200_000, 300, 5}, new long[] {1000, 0, 1},
      p -> "elements of an async generator consumed by async for (Kotlin: flow {} collected;"
          + " Node: async function*, for await; python: async def with yield, async for)",
      p -> cycled(p[0], false),
      List.of(new Metric("ns_per_op", "CPU time per element", "ns"),
          new Metric("wall_ns_per_op", "wall time per element", "ns"),
          new Metric("bytes_per_op", "bytes allocated per element, the elements boxed before (JVM only)", "B"))),
  JAVAC_WARM("javac-warm", "javac warm, 50 @Async methods", List.of("awaitj", "javac"),
      Map.of(),
      new long[] {50, 10, 5}, new long[] {50, 4, 3}, new long[] {3, 1, 1},
      p -> String.format(Locale.ROOT, "javac of %d @Async methods in one JVM, %d compiles then the median"
          + " of %d, the processor loaded afresh each time (awaitj) vs without it (javac)", p[0], p[1], p[2]),
      p -> p[0] + 2,
      List.of(new Metric("ms", "compile time in a warm JVM (build tool's daemon); peer = no processor", "ms"),
          new Metric("cpu_ms", "CPU time of the compile (process)", "ms"))),
  JITTER("jitter", "many tasks sleeping different delays", List.of("awaitj", "kotlin", "virtual", "cf", "node", "python"),
      Map.of(),
      new long[] {1_000_000, 2000, 1000}, new long[] {50_000, 2000, 1000}, new long[] {100, 20, 10},
      p -> String.format(Locale.ROOT, "%,d tasks, task i sleeping %,d + (i * 7919) %% %d ms (%d delays, scattered)",
          p[0], p[1], p[2], p[2]),
      p -> p[0] * (p[0] - 1) / 2,
      List.of(new Metric("overhead_ms", "wall beyond the longest sleep", "ms"), new Metric("wall_ms", "wall", "ms"),
          new Metric("cpu_ms", "CPU time of the process", "ms")));

  /**
   * The checksum of the micro scenarios: the sum over i below ops of (i % Probe.PROMISES), plus i if
   * {@code plusIndex}.
   */
  static long cycled(long ops, boolean plusIndex) {
    long sum = 0;
    for (long i = 0; i < ops; i++) {
      sum += (i & (Probe.PROMISES - 1)) + (plusIndex ? i : 0);
    }
    return sum;
  }

  /** A figure a scenario reports. */
  record Metric(String key, String label, String unit) {}

  /** The size of a run. */
  enum Size {
    FULL, QUICK, SMOKE
  }

  final String key;
  final String shortName;
  final List<String> impls;
  final Map<String, String> notRun;
  private final long[] full;
  private final long[] quick;
  private final long[] smoke;
  private final Function<long[], String> title;
  private final Function<long[], Long> checksum;
  final List<Metric> metrics;

  Scenario(String key, String shortName, List<String> impls, Map<String, String> notRun, long[] full,
      long[] quick, long[] smoke, Function<long[], String> title, Function<long[], Long> checksum,
      List<Metric> metrics) {
    this.key = key;
    this.shortName = shortName;
    this.impls = impls;
    this.notRun = notRun;
    this.full = full;
    this.quick = quick;
    this.smoke = smoke;
    this.title = title;
    this.checksum = checksum;
    this.metrics = metrics;
  }

  long[] params(Size size) {
    switch (size) {
      case FULL:
        return full.clone();
      case QUICK:
        return quick.clone();
      default:
        return smoke.clone();
    }
  }

  String title(long[] params) {
    return title.apply(params);
  }

  long expectedChecksum(long[] params) {
    return checksum.apply(params);
  }

  static Scenario byKey(String key) {
    for (Scenario s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + key + "'");
  }
}
