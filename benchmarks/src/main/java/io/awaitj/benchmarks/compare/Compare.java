package io.awaitj.benchmarks.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The peer comparison: runs every {@link Scenario} on awaitj and on each peer that takes part in it,
 * each run in a fresh process (a JVM for awaitj, Kotlin, virtual threads and {@code
 * CompletableFuture}; {@code node} and {@code python3} for the scripts), interleaved round by round
 * (awaitj, peer 1, peer 2, ..., awaitj, peer 1, ...), and prints for each scenario the median and the
 * spread (least and greatest) of every figure, then one line per figure: awaitj's median, the best
 * peer's, and their ratio.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.awaitj.benchmarks.compare.Compare [--quick]
 *     [--rounds N] [--only sleep,heap,...] [--java PATH_TO_JAVA] [--node NODE] [--python PYTHON3]
 * </pre>
 *
 * {@code benchmarks/compare.sh} builds the jar with the Kotlin side (Maven profile {@code compare})
 * and runs this. A peer whose executable is absent (node, python3, a JDK without virtual threads, a
 * build without the Kotlin classes) is skipped with a message.
 */
public final class Compare {

  /** What to run. */
  static final class Options {
    Scenario.Size size = Scenario.Size.FULL;
    int rounds = 5;
    Set<Scenario> only = EnumSet.allOf(Scenario.class);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    String node = "node";
    String python = "python3";
    long timeoutSeconds = 900;
    /**
     * Extra JVM options for the forked JVMs (before the class name). The heap is touched when it is
     * committed (AlwaysPreTouch, from a small initial heap): until G1 has used every region once,
     * an allocating loop otherwise takes page faults on memory never touched before, which cost
     * awaitj's call + await 10 to 20 times its time in some runs and not in others (120 against
     * 9 ns/op here; 260 against 11.6 with -Xms1g).
     */
    List<String> jvmOptions = List.of("-Xms256m", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC");
  }

  /** One run of one implementation: its figures, or why there are none. */
  record Run(String impl, Map<String, String> values, String failure) {
    boolean ok() {
      return failure == null && !values.containsKey("status");
    }

    double value(String key) {
      String v = values.get(key);
      return v == null ? Double.NaN : Double.parseDouble(v);
    }
  }

  /** Everything measured for one scenario. */
  record Outcome(Scenario scenario, long[] params, Map<String, List<Run>> runs, Map<String, String> skipped,
      String loadBefore, String loadAfter, double seconds) {}

  private final Options options;
  private final Path scripts;
  private final Map<String, String> unavailable = new LinkedHashMap<>();

  Compare(Options options) throws IOException {
    this.options = options;
    this.scripts = Files.createTempDirectory("awaitj-peers");
    scripts.toFile().deleteOnExit();
    for (String name : List.of("peer.mjs", "peer.py")) {
      try (InputStream in = Compare.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("resource " + name + " missing from the class path");
        }
        Path p = scripts.resolve(name);
        Files.copy(in, p);
        p.toFile().deleteOnExit();
      }
    }
    probeAvailability();
  }

  /** The implementations that cannot run here, with the reason. */
  Map<String, String> unavailable() {
    return unavailable;
  }

  private void probeAvailability() {
    String javaVersion = version(List.of(options.java, "-version"));
    if (javaVersion == null) {
      throw new IllegalStateException("cannot run " + options.java);
    }
    Run vt = fork("probe", List.of(options.java, "-cp", options.classpath, PeerMain.class.getName(), "available"));
    if (!"true".equals(vt.values().get("virtual"))) {
      unavailable.put("virtual", "virtual threads need JDK 21 or later (" + javaVersion + ")");
    }
    if (!"true".equals(vt.values().get("kotlin"))) {
      unavailable.put("kotlin", "the Kotlin classes are not in the jar: build with -Pcompare"
          + " (benchmarks/compare.sh does)");
    }
    if (version(List.of(options.node, "--version")) == null) {
      unavailable.put("node", "'" + options.node + "' not found");
    }
    if (version(List.of(options.python, "--version")) == null) {
      unavailable.put("python", "'" + options.python + "' not found");
    }
  }

  /** The first line a command prints, or null if it cannot run. */
  static String version(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out.lines().findFirst().orElse("").trim();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** The command that runs {@code impl} on {@code scenario}. */
  List<String> command(Scenario scenario, String impl, long[] params) {
    List<String> c = new ArrayList<>();
    switch (impl) {
      case "node":
        c.addAll(List.of(options.node, "--expose-gc", "--max-old-space-size=4096",
            scripts.resolve("peer.mjs").toString()));
        break;
      case "python":
        c.addAll(List.of(options.python, scripts.resolve("peer.py").toString()));
        break;
      default:
        c.add(options.java);
        c.addAll(options.jvmOptions);
        c.addAll(List.of("-cp", options.classpath, PeerMain.class.getName()));
        break;
    }
    c.add(scenario.key);
    if (!impl.equals("node") && !impl.equals("python")) {
      c.add(impl);
    }
    for (long p : params) {
      c.add(Long.toString(p));
    }
    return c;
  }

  /** Runs a command and reads its {@code RESULT} line. */
  Run fork(String impl, List<String> command) {
    try {
      Path err = Files.createTempFile("awaitj-peer", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(options.timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Run(impl, Map.of(), "timed out after " + options.timeoutSeconds + " s");
        }
        String result = out.lines().filter(l -> l.startsWith("RESULT")).reduce((a, b) -> b).orElse(null);
        if (p.exitValue() != 0 || result == null) {
          List<String> lines = Files.readAllLines(err);
          String tail = lines.stream().skip(Math.max(0, lines.size() - 5)).collect(Collectors.joining(" | "));
          return new Run(impl, Map.of(), "exit " + p.exitValue() + (result == null ? ", no RESULT line" : "")
              + ": " + tail);
        }
        return new Run(impl, parse(result), null);
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return new Run(impl, Map.of(), "cannot start: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(impl, Map.of(), "interrupted");
    }
  }

  static Map<String, String> parse(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : line.substring("RESULT".length()).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  /** Checks a run's checksum and numbers; a run that fails the check becomes a failure. */
  static Run checked(Scenario scenario, long[] params, Run r) {
    if (r.failure() != null || r.values().containsKey("status")) {
      return r;
    }
    long expected = scenario.expectedChecksum(params);
    String got = r.values().get("checksum");
    if (got == null || Long.parseLong(got) != expected) {
      return new Run(r.impl(), r.values(), "WRONG CHECKSUM " + got + ", expected " + expected);
    }
    for (Scenario.Metric m : scenario.metrics) {
      String v = r.values().get(m.key());
      if (v != null && !Double.isFinite(Double.parseDouble(v))) {
        return new Run(r.impl(), r.values(), "not a number: " + m.key() + "=" + v);
      }
    }
    return r;
  }

  /** Runs one scenario: {@code rounds} rounds, each running every available implementation once. */
  Outcome run(Scenario scenario, int rounds, java.util.function.Consumer<String> progress) {
    long[] params = scenario.params(options.size);
    Map<String, String> skipped = new LinkedHashMap<>();
    List<String> impls = new ArrayList<>();
    for (String impl : scenario.impls) {
      if (unavailable.containsKey(impl)) {
        skipped.put(impl, unavailable.get(impl));
      } else {
        impls.add(impl);
      }
    }
    skipped.putAll(scenario.notRun);
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    impls.forEach(i -> runs.put(i, new ArrayList<>()));
    String loadBefore = loadAverage();
    long start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      for (String impl : impls) {
        Run r = checked(scenario, params, fork(impl, command(scenario, impl, params)));
        runs.get(impl).add(r);
        progress.accept(String.format(Locale.ROOT, "  %s round %d %-8s %s", scenario.key, round + 1, impl,
            r.failure() != null ? "FAILED: " + r.failure() : r.values()));
      }
    }
    return new Outcome(scenario, params, runs, skipped, loadBefore, loadAverage(),
        (System.nanoTime() - start) / 1e9);
  }

  // ---- statistics and printing

  /** Median, least and greatest of the successful runs' values of {@code key}; null if none. */
  static double[] stats(List<Run> runs, String key) {
    double[] v = runs.stream().filter(Run::ok).mapToDouble(r -> r.value(key))
        .filter(Double::isFinite).sorted().toArray();
    if (v.length == 0) {
      return null;
    }
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return new double[] {median, v[0], v[v.length - 1], v.length};
  }

  static String num(double v) {
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    } else if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    } else if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    } else if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** How an implementation did on one figure: "median [least-greatest]", or its status or failure. */
  static String cell(List<Run> runs, String key) {
    double[] s = stats(runs, key);
    if (s != null) {
      return s[3] > 1 ? num(s[0]) + " [" + num(s[1]) + "-" + num(s[2]) + "]" : num(s[0]);
    }
    for (Run r : runs) {
      if (r.values().containsKey("status")) {
        String depth = r.values().get("depth_reached");
        return r.values().get("status") + (depth == null ? "" : " at depth ~" + String.format(Locale.ROOT,
            "%,d", Long.parseLong(depth)));
      }
    }
    for (Run r : runs) {
      if (r.failure() != null) {
        return "FAILED";
      }
    }
    return "n/a";
  }

  /** The lines of the summary table for one scenario: one per figure. */
  static List<String[]> summary(Outcome o) {
    List<String[]> rows = new ArrayList<>();
    for (Scenario.Metric m : o.scenario().metrics) {
      List<Run> awaitj = o.runs().getOrDefault("awaitj", List.of());
      double[] a = stats(awaitj, m.key());
      String best = null;
      double[] bestStats = null;
      for (Map.Entry<String, List<Run>> e : o.runs().entrySet()) {
        if (e.getKey().equals("awaitj")) {
          continue;
        }
        double[] s = stats(e.getValue(), m.key());
        if (s != null && (bestStats == null || s[0] < bestStats[0])) {
          best = e.getKey();
          bestStats = s;
        }
      }
      String label = o.scenario().ordinal() + 1 + ". " + o.scenario().shortName + ": " + m.label() + " ("
          + m.unit() + ")";
      String peer = best == null ? "none completed" : cell(o.runs().get(best), m.key()) + " (" + best + ")";
      String ratio = a == null || bestStats == null || bestStats[0] == 0 ? "-"
          : String.format(Locale.ROOT, "%.2f", a[0] / bestStats[0]);
      boolean peerHasIt = o.runs().entrySet().stream().anyMatch(e -> !e.getKey().equals("awaitj")
          && e.getValue().stream().anyMatch(r -> r.values().containsKey(m.key()) || r.values().containsKey("status")
              || r.failure() != null));
      if (!peerHasIt) {
        peer = "-"; // a figure only awaitj reports
      }
      rows.add(new String[] {label, cell(awaitj, m.key()), peer, ratio});
    }
    return rows;
  }

  static String table(List<String[]> rows, String... header) {
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] w = new int[header.length];
    for (String[] r : all) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < all.size(); k++) {
      String[] r = all.get(k);
      b.append("| ");
      for (int i = 0; i < r.length; i++) {
        String pad = " ".repeat(w[i] - r[i].length());
        b.append(i == 0 ? r[i] + pad : pad + r[i]).append(" | ");
      }
      b.setLength(b.length() - 1);
      b.append('\n');
      if (k == 0) {
        b.append('|');
        for (int i = 0; i < r.length; i++) {
          b.append("-").append("-".repeat(w[i])).append(i == 0 ? "-|" : ":|");
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** The details of one scenario: every implementation, every figure. */
  static String details(Outcome o) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%d. %s  [load average %s -> %s; %.0f s]%n",
        o.scenario().ordinal() + 1, o.scenario().title(o.params()), o.loadBefore(), o.loadAfter(), o.seconds()));
    List<String[]> rows = new ArrayList<>();
    for (Map.Entry<String, List<Run>> e : o.runs().entrySet()) {
      String[] row = new String[o.scenario().metrics.size() + 1];
      row[0] = e.getKey();
      for (int i = 0; i < o.scenario().metrics.size(); i++) {
        row[i + 1] = cell(e.getValue(), o.scenario().metrics.get(i).key());
      }
      rows.add(row);
    }
    String[] header = new String[o.scenario().metrics.size() + 1];
    header[0] = "impl";
    for (int i = 0; i < o.scenario().metrics.size(); i++) {
      Scenario.Metric m = o.scenario().metrics.get(i);
      header[i + 1] = m.key() + " (" + m.unit() + ")";
    }
    b.append(table(rows, header));
    o.runs().forEach((impl, runs) -> runs.stream().filter(r -> r.failure() != null).findFirst()
        .ifPresent(r -> b.append("  ").append(impl).append(" failed: ").append(r.failure()).append('\n')));
    o.skipped().forEach((impl, why) -> b.append("  not run: ").append(impl).append(" (").append(why)
        .append(")\n"));
    return b.toString();
  }

  static Options parse(String[] args) {
    Options o = new Options();
    boolean roundsGiven = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick":
          o.size = Scenario.Size.QUICK;
          break;
        case "--smoke":
          o.size = Scenario.Size.SMOKE;
          break;
        case "--rounds":
          o.rounds = Integer.parseInt(args[++i]);
          roundsGiven = true;
          break;
        case "--only":
          o.only = EnumSet.noneOf(Scenario.class);
          for (String k : args[++i].split(",")) {
            o.only.add(Scenario.byKey(k.trim()));
          }
          break;
        case "--java":
          o.java = args[++i];
          break;
        case "--node":
          o.node = args[++i];
          break;
        case "--python":
          o.python = args[++i];
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i] + ": --quick, --rounds N, --only"
              + " " + Arrays.stream(Scenario.values()).map(s -> s.key).collect(Collectors.joining(","))
              + ", --java PATH, --node PATH, --python PATH");
      }
    }
    if (!roundsGiven) {
      o.rounds = o.size == Scenario.Size.FULL ? 5 : o.size == Scenario.Size.QUICK ? 3 : 1;
    }
    if (o.size != Scenario.Size.FULL) {
      o.timeoutSeconds = 300;
    }
    if (o.size == Scenario.Size.SMOKE) {
      o.jvmOptions = List.of("-Xmx1g", "-XX:+UseG1GC");
    }
    return o;
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    Compare c = new Compare(o);
    System.out.println("awaitj peer comparison, " + o.size.name().toLowerCase(Locale.ROOT) + " mode, "
        + o.rounds + " rounds, " + Instant.now());
    if (o.size == Scenario.Size.QUICK) {
      StringBuilder scaled = new StringBuilder();
      for (Scenario s : o.only) {
        long[] q = s.params(Scenario.Size.QUICK);
        long[] f = s.params(Scenario.Size.FULL);
        if (!Arrays.equals(q, f)) {
          scaled.append(scaled.length() == 0 ? "" : ", ").append(s.key).append(' ')
              .append(String.format(Locale.ROOT, "%,d", q[0])).append(" instead of ")
              .append(String.format(Locale.ROOT, "%,d", f[0]));
        }
      }
      System.out.println("QUICK MODE: counts scaled down (" + scaled + "; the micro scenarios warm up"
          + " for 200 ms of CPU instead of 2 s and measure 5 batches instead of 9); the full run is"
          + " without --quick");
    }
    System.out.println("machine: " + machine() + "; load average at start " + loadAverage());
    System.out.println("JVM peers: " + version(List.of(o.java, "-version")) + " (" + o.java + ", "
        + String.join(" ", o.jvmOptions) + "); node: " + orAbsent(version(List.of(o.node, "--version")))
        + "; python: " + orAbsent(version(List.of(o.python, "--version"))));
    c.unavailable().forEach((impl, why) -> System.out.println("SKIPPED " + impl + ": " + why));
    System.out.println();
    List<Outcome> outcomes = new ArrayList<>();
    for (Scenario s : o.only) {
      System.err.println(s.title(s.params(o.size)) + " ...");
      Outcome out = c.run(s, o.rounds, System.err::println);
      outcomes.add(out);
      System.out.println(details(out));
    }
    List<String[]> rows = new ArrayList<>();
    outcomes.forEach(out -> rows.addAll(summary(out)));
    System.out.println("Summary: medians of " + o.rounds + " interleaved rounds, [least-greatest];"
        + " every figure is lower-is-better; ratio = awaitj / best peer (below 1: awaitj is better)");
    System.out.print(table(rows, "scenario: figure", "awaitj", "best peer", "ratio"));
    System.out.printf(Locale.ROOT, "%ntotal %.0f s; load average at end %s%n",
        (System.nanoTime() - start) / 1e9, loadAverage());
  }

  private static String orAbsent(String v) {
    return v == null ? "absent" : v;
  }

  static String machine() {
    String cpu = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException | UncheckedIOException e) {
      // not Linux
    }
    long mem = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getTotalMemorySize();
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
        + mem / (1L << 30) + " GiB";
  }
}
