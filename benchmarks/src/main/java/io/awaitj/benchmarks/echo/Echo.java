package io.awaitj.benchmarks.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The echo benchmark of issue 12: awaitj's streams against asyncio streams, asyncio on uvloop, Node's
 * {@code net}, Netty 4.2 and blocking sockets on virtual threads, side by side in one run. Run by
 * {@code benchmarks/echo.sh}; see {@code benchmarks/README.md} for the figures and how to read them.
 *
 * <p>Each round starts every server afresh for every scenario, in a process of its own, in an order
 * that rotates from round to round, and runs the same client ({@link EchoClient}, a process of its
 * own) against it. Per scenario it reports the round trips per second the client saw (median over
 * rounds) and the server's CPU time per round trip (user + system, from {@code /proc}; the client's
 * CPU is the same program for every server, so this is the figure that separates the servers on a
 * machine whose cores the client shares). The idle scenario opens 5,000 connections and reports what
 * they added to the server's resident memory and, where the runtime can say, to its heap after a
 * collection.
 *
 * <pre>
 *   Echo --java JAVA --jar JAR [--quick] [--rounds N] [--only awaitj,netty,...]
 * </pre>
 */
public final class Echo {
  private Echo() {}

  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  record Scenario(String name, int size, int connections) {}

  record Peer(String name, List<String> command, String missing) {}

  record Sample(double perSecond, double cpuMicrosPerTrip) {}

  public static void main(String[] args) throws Exception {
    String java = "java";
    String jar = null;
    boolean quick = false;
    int rounds = -1;
    List<String> only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--java" -> java = args[++i];
        case "--jar" -> jar = args[++i];
        case "--quick" -> quick = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--only" -> only = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (jar == null) {
      throw new IllegalArgumentException("--jar is needed: the benchmarks jar");
    }
    if (rounds < 0) {
      rounds = quick ? 1 : 3;
    }
    double warmup = quick ? 1 : 2;
    double seconds = quick ? 2 : 5;
    int idle = 5000;

    Path dir = Files.createTempDirectory("awaitj-echo");
    Path py = extract(dir, "echo_server.py");
    Path mjs = extract(dir, "echo_server.mjs");
    List<String> jvm = List.of(java, "-cp", jar);
    List<Peer> peers = new ArrayList<>();
    peers.add(new Peer("awaitj", cat(jvm, "io.awaitj.benchmarks.echo.EchoServers", "awaitj"), null));
    peers.add(new Peer("netty", cat(jvm, "io.awaitj.benchmarks.echo.EchoServers", "netty"), null));
    peers.add(new Peer("virtual", cat(jvm, "io.awaitj.benchmarks.echo.EchoServers", "virtual"),
        Runtime.version().feature() >= 21 || javaFeature(java) >= 21 ? null
            : "virtual threads need JDK 21 or later"));
    peers.add(new Peer("node", List.of("node", "--expose-gc", mjs.toString()),
        works(List.of("node", "--version")) ? null : "node is not on the PATH"));
    peers.add(new Peer("asyncio", List.of("python3", py.toString()),
        works(List.of("python3", "--version")) ? null : "python3 is not on the PATH"));
    String uvPython = uvloopPython();
    peers.add(new Peer("uvloop", uvPython == null ? List.of() : List.of(uvPython, py.toString(),
        "--uvloop"), uvPython == null ? "no python3 with uvloop here (Debian: apt-get install"
            + " python3-uvloop, for /usr/bin/python3)" : null));
    List<Peer> run = new ArrayList<>();
    for (Peer p : peers) {
      if (only != null && !only.contains(p.name())) {
        continue;
      }
      if (p.missing() != null) {
        System.out.println("skipped " + p.name() + ": " + p.missing());
      } else {
        run.add(p);
      }
    }
    List<Scenario> scenarios = List.of(
        new Scenario("1 KiB, 1 connection", 1024, 1),
        new Scenario("64 KiB, 1 connection", 65536, 1),
        new Scenario("1 KiB, 1,000 connections", 1024, 1000),
        new Scenario("64 KiB, 1,000 connections", 65536, 1000));
    System.out.printf(Locale.ROOT, "echo benchmark: %d round(s), %.0f s warm-up + %.0f s measured"
        + " per scenario, client %s; servers: %s%n", rounds, warmup, seconds, java,
        run.stream().map(Peer::name).toList());

    Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    Map<String, List<double[]>> memory = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < run.size(); k++) {
        Peer p = run.get((k + round) % run.size());
        for (Scenario s : scenarios) {
          Sample x = load(p, s, jvm, warmup, seconds);
          samples.computeIfAbsent(s.name(), n -> new LinkedHashMap<>())
              .computeIfAbsent(p.name(), n -> new ArrayList<>()).add(x);
          System.out.printf(Locale.ROOT, "  round %d %-8s %-26s %,12.0f trips/s %8.2f us CPU/trip%n",
              round + 1, p.name(), s.name(), x.perSecond(), x.cpuMicrosPerTrip());
        }
        double[] m = idle(p, jvm, idle);
        memory.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(m);
        System.out.printf(Locale.ROOT, "  round %d %-8s %,d idle connections: %,.0f B RSS, %s heap"
            + " per connection%n", round + 1, p.name(), idle, m[0],
            m[1] < 0 ? "-" : String.format(Locale.ROOT, "%,.0f B", m[1]));
      }
    }

    System.out.println();
    System.out.println("medians; ratios are awaitj's figure over the peer's (trips/s: above 1 is"
        + " awaitj ahead; CPU and memory: below 1 is awaitj ahead)");
    for (Scenario s : scenarios) {
      Map<String, List<Sample>> byPeer = samples.get(s.name());
      Sample a = median(byPeer.get("awaitj"));
      System.out.println(s.name());
      for (Map.Entry<String, List<Sample>> e : byPeer.entrySet()) {
        Sample m = median(e.getValue());
        System.out.printf(Locale.ROOT, "  %-8s %,12.0f trips/s %8.2f us CPU/trip%s%n", e.getKey(),
            m.perSecond(), m.cpuMicrosPerTrip(), a == null || e.getKey().equals("awaitj") ? ""
                : String.format(Locale.ROOT, "   awaitj/peer: trips %.2f, CPU %.2f",
                    a.perSecond() / m.perSecond(), a.cpuMicrosPerTrip() / m.cpuMicrosPerTrip()));
      }
    }
    System.out.println(idle + " idle connections, per connection");
    double[] am = memory.containsKey("awaitj") ? medianOf(memory.get("awaitj")) : null;
    for (Map.Entry<String, List<double[]>> e : memory.entrySet()) {
      double[] m = medianOf(e.getValue());
      System.out.printf(Locale.ROOT, "  %-8s %,8.0f B RSS  %10s heap%s%n", e.getKey(), m[0],
          m[1] < 0 ? "-" : String.format(Locale.ROOT, "%,.0f B", m[1]),
          am == null || e.getKey().equals("awaitj") ? ""
              : String.format(Locale.ROOT, "   awaitj/peer: RSS %.2f%s", am[0] / m[0],
                  m[1] > 0 && am[1] > 0 ? String.format(Locale.ROOT, ", heap %.2f", am[1] / m[1])
                      : ""));
    }
  }

  /** One load scenario against a fresh server. */
  private static Sample load(Peer p, Scenario s, List<String> jvm, double warmup, double seconds)
      throws Exception {
    try (ServerProcess server = new ServerProcess(p)) {
      long cpu0 = server.cpuTicks();
      List<String> client = cat(jvm, "io.awaitj.benchmarks.echo.EchoClient", "run",
          String.valueOf(server.port), String.valueOf(s.size()), String.valueOf(s.connections()),
          String.valueOf(warmup), String.valueOf(seconds));
      Process c = new ProcessBuilder(client).redirectErrorStream(true).start();
      String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!c.waitFor(10, TimeUnit.MINUTES) || c.exitValue() != 0 || !out.startsWith("MSGS ")) {
        throw new IllegalStateException("the client failed against " + p.name() + ": " + out);
      }
      long cpu = server.cpuTicks() - cpu0;
      String[] f = out.split(" ");
      long msgs = Long.parseLong(f[1]);
      double secs = Double.parseDouble(f[3]);
      long total = Long.parseLong(f[5]);
      return new Sample(msgs / secs, cpu * 1e6 / TICKS_PER_SECOND / Math.max(1, total));
    }
  }

  /** Opens {@code n} idle connections: bytes of RSS and of heap (-1: not known) per connection. */
  private static double[] idle(Peer p, List<String> jvm, int n) throws Exception {
    try (ServerProcess server = new ServerProcess(p)) {
      Thread.sleep(500);
      long heap0 = server.heap();
      // After the collection that heap() runs, a JVM (G1) gives memory back to the system on a thread
      // of its own, within about 100 ms: a baseline read at once counted, for some servers, megabytes
      // that then left during the connections (Netty: 73 MB resident right after the collection, 60 MB
      // 100 ms later, which made 5,000 connections look 13 MB smaller).
      long rss0 = server.settledRss();
      Process c = new ProcessBuilder(cat(jvm, "io.awaitj.benchmarks.echo.EchoClient", "idle",
          String.valueOf(server.port), String.valueOf(n))).redirectErrorStream(true).start();
      BufferedReader r = new BufferedReader(
          new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      if (line == null || !line.equals("OPEN " + n)) {
        c.destroyForcibly();
        throw new IllegalStateException("the idle client failed against " + p.name() + ": " + line);
      }
      Thread.sleep(1000);
      long rss1 = server.settledRss();
      long heap1 = server.heap();
      c.getOutputStream().close();
      c.waitFor(1, TimeUnit.MINUTES);
      return new double[] {
        (rss1 - rss0) / (double) n, heap0 < 0 ? -1 : (heap1 - heap0) / (double) n
      };
    }
  }

  /** A server in a process of its own: started, its port read, stopped by closing its stdin. */
  private static final class ServerProcess implements AutoCloseable {
    final Process process;
    final int port;
    private final BufferedReader out;
    private final OutputStream in;

    ServerProcess(Peer p) throws IOException {
      process = new ProcessBuilder(p.command()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = process.getOutputStream();
      String line = out.readLine();
      if (line == null || !line.startsWith("PORT ")) {
        process.destroyForcibly();
        throw new IllegalStateException(p.name() + " did not start: " + line);
      }
      port = Integer.parseInt(line.substring(5).trim());
    }

    long cpuTicks() throws IOException {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    long rss() throws IOException {
      for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** The resident memory once it stops moving: unchanged over 300 ms (at most 5 s of waiting). */
    long settledRss() throws IOException, InterruptedException {
      long last = rss();
      int same = 0;
      for (int i = 0; i < 50 && same < 3; i++) {
        Thread.sleep(100);
        long now = rss();
        same = now == last ? same + 1 : 0;
        last = now;
      }
      return last;
    }

    long heap() throws IOException {
      in.write("mem\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      String line = out.readLine();
      if (line == null || !line.startsWith("HEAP ")) {
        throw new IllegalStateException("no heap figure: " + line);
      }
      return Long.parseLong(line.substring(5).trim());
    }

    @Override
    public void close() throws InterruptedException {
      try {
        in.close();
      } catch (IOException ignored) {
        // gone already
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  private static Sample median(List<Sample> xs) {
    if (xs == null || xs.isEmpty()) {
      return null;
    }
    double[] a = xs.stream().mapToDouble(Sample::perSecond).sorted().toArray();
    double[] b = xs.stream().mapToDouble(Sample::cpuMicrosPerTrip).sorted().toArray();
    return new Sample(a[a.length / 2], b[b.length / 2]);
  }

  private static double[] medianOf(List<double[]> xs) {
    double[] a = xs.stream().mapToDouble(x -> x[0]).sorted().toArray();
    double[] b = xs.stream().mapToDouble(x -> x[1]).sorted().toArray();
    return new double[] {a[a.length / 2], b[b.length / 2]};
  }

  private static List<String> cat(List<String> a, String... b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  private static Path extract(Path dir, String name) throws IOException {
    try (InputStream in = Echo.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource " + name + " missing from the class path");
      }
      Path p = dir.resolve(name);
      Files.write(p, in.readAllBytes());
      return p;
    }
  }

  private static boolean works(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** A python3 that has uvloop: the one on the PATH, or Debian's, or {@code null}. */
  private static String uvloopPython() {
    for (String py : List.of("python3", "/usr/bin/python3")) {
      if (works(List.of(py, "-c", "import uvloop"))) {
        return py;
      }
    }
    return null;
  }

  private static int javaFeature(String command) {
    try {
      Process p = new ProcessBuilder(command, "-version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }
}
