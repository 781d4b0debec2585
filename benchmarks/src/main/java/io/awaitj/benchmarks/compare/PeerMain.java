package io.awaitj.benchmarks.compare;

import java.util.Arrays;

/**
 * The entry point of one forked JVM of the comparison: {@code PeerMain SCENARIO IMPL PARAMS...} runs
 * one scenario once on one JVM implementation ({@code awaitj}, {@code kotlin}, {@code virtual},
 * {@code cf}; {@code javac}, and {@code awaitj} again, for the javac scenarios) and prints one {@code
 * RESULT} line. The timings and memory figures are taken here, around the implementation's method,
 * the same way for each.
 */
public final class PeerMain {
  private PeerMain() {}

  /** The Kotlin implementation, compiled by the Kotlin Maven plugin (profile {@code compare}). */
  static final String KOTLIN_CLASS = "io.awaitj.benchmarks.compare.KotlinPeer";

  /** Whether the Kotlin implementation is on the class path. */
  static boolean kotlinAvailable() {
    try {
      // The class, and the libraries it needs (a jar built without the profile lacks them).
      Class.forName(KOTLIN_CLASS, true, PeerMain.class.getClassLoader());
      Class.forName("kotlinx.coroutines.BuildersKt", true, PeerMain.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static Impl impl(String name) throws ReflectiveOperationException {
    switch (name) {
      case "awaitj":
        return new AwaitjImpl();
      case "virtual":
        return new VirtualImpl();
      case "cf":
        return new FutureImpl();
      case "kotlin":
        return (Impl) Class.forName(KOTLIN_CLASS).getConstructor().newInstance();
      default:
        throw new IllegalArgumentException("no JVM implementation '" + name + "'");
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("available")) {
      // What this JVM and class path can run: asked once by the harness.
      new Probe.Report().word("virtual", Boolean.toString(VirtualImpl.available()))
          .word("kotlin", Boolean.toString(kotlinAvailable())).print();
      return;
    }
    if (args.length < 2) {
      System.err.println("usage: PeerMain SCENARIO IMPL PARAMS...");
      System.exit(2);
    }
    long[] p = Arrays.stream(args, 2, args.length).mapToLong(Long::parseLong).toArray();
    run(args[0], args[1], p).print();
    // Pools of the peers (the CompletableFuture delayer, virtual-thread carriers) must not keep the
    // process alive.
    System.exit(0);
  }

  /** A run of an implementation's method: what it returned, and its wall, CPU and allocation. */
  private record Span(long result, long nanos, long cpuNanos, long bytes) {}

  /** A scenario's body: returns its checksum. */
  private interface Body {
    long run() throws Exception;
  }

  /** Runs {@code body} once, measuring it (bytes allocated, then CPU, then wall time, read around it). */
  private static Span measure(Body body) throws Exception {
    long a0 = Probe.allocatedBytes();
    long c0 = Probe.processCpuNanos();
    long t0 = System.nanoTime();
    long result = body.run();
    long t1 = System.nanoTime();
    long c1 = Probe.processCpuNanos();
    long a1 = Probe.allocatedBytes();
    return new Span(result, t1 - t0, c1 - c0, a1 - a0);
  }

  /** Runs {@code scenario} once on {@code implName} with the parameters {@code p}. */
  static Probe.Report run(String scenario, String implName, long[] p) throws Exception {
    if (scenario.equals("javac")) {
      return JavacScenario.run(implName, (int) p[0]);
    }
    if (scenario.equals("javac-warm")) {
      return JavacScenario.warm(implName, (int) p[0], (int) p[1], (int) p[2]);
    }
    Impl impl = impl(implName);
    Probe.Report r = new Probe.Report();
    switch (scenario) {
      case "sleep": {
        Span m = measure(() -> impl.sleep((int) p[0], p[1]));
        double ms = m.nanos() / 1e6;
        return r.put("overhead_ms", ms - p[1]).put("wall_ms", ms)
            .put("cpu_ms", m.cpuNanos() / 1e6).put("checksum", m.result());
      }
      case "jitter": {
        Span m = measure(() -> impl.jitter((int) p[0], p[1], (int) p[2]));
        double ms = m.nanos() / 1e6;
        return r.put("overhead_ms", ms - (p[1] + p[2] - 1)).put("wall_ms", ms)
            .put("cpu_ms", m.cpuNanos() / 1e6).put("checksum", m.result());
      }
      case "heap": {
        long[] perTask = new long[1];
        long sum = impl.heap((int) p[0], perTask);
        return r.put("heap_per_task", perTask[0]).put("checksum", sum);
      }
      case "recursion": {
        try {
          Span m = measure(() -> impl.recurse((int) p[0], p[1]));
          return r.put("wall_ms", m.nanos() / 1e6).put("cpu_ms", m.cpuNanos() / 1e6)
              .put("checksum", m.result());
        } catch (StackOverflowError e) {
          return r.word("status", "StackOverflowError").put("depth_reached", p[0] - impl.deepest());
        }
      }
      case "gather": {
        double ops = p[0] * p[1];
        Span m = measure(() -> impl.gather((int) p[0], (int) p[1]));
        return r.put("ns_per_yield", m.nanos() / ops).put("cpu_ns_per_yield", m.cpuNanos() / ops)
            .put("bytes_per_yield", m.bytes() / ops).put("checksum", m.result());
      }
      case "queue": {
        double ops = p[0];
        Span m = measure(() -> impl.queue((int) p[0]));
        return r.put("ns_per_item", m.nanos() / ops).put("cpu_ns_per_item", m.cpuNanos() / ops)
            .put("bytes_per_item", m.bytes() / ops).put("checksum", m.result());
      }
      case "completed":
        return Probe.micro(p[1], (int) p[2], (int) p[0], impl.completedBatch((int) p[0]));
      case "nosuspend":
        return Probe.micro(p[1], (int) p[2], (int) p[0], impl.noSuspendBatch((int) p[0]));
      case "noawait":
        return Probe.micro(p[1], (int) p[2], (int) p[0], impl.noAwaitBatch((int) p[0]));
      case "generator":
        return Probe.micro(p[1], (int) p[2], (int) p[0], impl.generatorBatch((int) p[0]));
      case "yield": {
        Span m = measure(() -> impl.yieldLoop((int) p[0]));
        return r.put("ms", m.nanos() / 1e6).put("cpu_ms", m.cpuNanos() / 1e6)
            .put("bytes_per_yield", m.bytes() / (double) p[0]).put("checksum", m.result());
      }
      default:
        throw new IllegalArgumentException("unknown scenario '" + scenario + "'");
    }
  }
}
