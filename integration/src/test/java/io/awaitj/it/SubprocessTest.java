package io.awaitj.it;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import io.awaitj.io.Subprocess;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (cat, sh, sleep, yes) driven from @Async code on one loop. */
class SubprocessTest {

  // -----------------------------------------------------------------------------------------------
  // cat: fed on stdin, read on stdout.

  @Async
  static Coroutine<List<String>> catLines(List<String> lines) {
    Subprocess p = await(Aio.createSubprocessExec("cat"));
    for (String line : lines) {
      p.stdin().write(line + "\n");
    }
    await(p.stdin().drain());
    p.stdin().close();
    List<String> out = new ArrayList<>();
    for (String line : p.stdout()) {
      out.add(line);
    }
    out.add("eof=" + p.stdout().atEof());
    out.add("exit=" + await(p.waitExit()));
    return done(out);
  }

  @Test
  void catEchoesItsInput() {
    assertEquals(List.of("hello", "wörld", "", "x", "eof=true", "exit=0"),
        Aio.run(SubprocessTestAsync.catLines(List.of("hello", "wörld", "", "x"))));
  }

  /** README's example, verbatim. */
  @Async
  static Coroutine<String> sorted(List<String> lines) {
    try (Subprocess p = await(Aio.createSubprocessExec("sort"))) {
      for (String line : lines) {
        p.stdin().write(line + "\n");
        await(p.stdin().drain());          // back-pressure: the pipe's thread takes the bytes
      }
      p.stdin().close();                   // sort reads the end of its input
      StringBuilder out = new StringBuilder();
      for (String line : p.stdout()) {     // async for over the lines
        out.append(line).append('\n');
      }
      int code = await(p.waitExit());
      if (code != 0) {
        throw new IllegalStateException("sort exited with " + code);
      }
      return done(out.toString());
    }
  }

  @Test
  void readmeExample() {
    assertEquals("a\nb\nc\n", Aio.run(SubprocessTestAsync.sorted(List.of("c", "a", "b"))));
  }

  static final int MIB = 1024 * 1024;

  /** The bound asserted on the stdin writer's buffer: 1 MiB (with 64 KiB writes and drain). */
  static final int WRITE_BUFFER_BOUND = MIB;

  /** Reads stdout to its end: byte count, CRC, and the largest buffer the reader held. */
  @Async
  static Coroutine<long[]> drainAll(StreamReader reader) {
    CRC32 crc = new CRC32();
    long total = 0;
    long maxBuffered = 0;
    byte[] chunk;
    while ((chunk = await(reader.read(256 * 1024))).length > 0) {
      crc.update(chunk);
      total += chunk.length;
      maxBuffered = Math.max(maxBuffered, reader.buffered());
    }
    return done(new long[] {total, crc.getValue(), maxBuffered});
  }

  @Async
  static Coroutine<long[]> catThirtyTwoMiB() {
    Subprocess p = await(Aio.createSubprocessExec("cat"));
    Task<long[]> reading = Aio.createTask(SubprocessTestAsync.drainAll(p.stdout()));
    StreamWriter in = p.stdin();
    byte[] chunk = new byte[64 * 1024];
    CRC32 crc = new CRC32();
    long maxBuffer = 0;
    for (int i = 0; i < 32 * MIB / chunk.length; i++) {
      for (int j = 0; j < chunk.length; j++) {
        chunk[j] = (byte) (i * 31 + j * 7);
      }
      crc.update(chunk);
      in.write(chunk);
      maxBuffer = Math.max(maxBuffer, in.transport().writeBufferSize());
      await(in.drain());
    }
    in.close();
    long[] read = await(reading);
    int code = await(p.waitExit());
    return done(new long[] {read[0], read[1], crc.getValue(), maxBuffer, code});
  }

  @Test
  void thirtyTwoMiBThroughCatWithDrainStayBounded() {
    long[] r = Aio.run(SubprocessTestAsync.catThirtyTwoMiB());
    assertEquals(32L * MIB, r[0], "bytes read back");
    assertEquals(r[2], r[1], "CRC of what was read vs written");
    assertTrue(r[3] <= WRITE_BUFFER_BOUND,
        "stdin's write buffer reached " + r[3] + " bytes, above the bound of " + WRITE_BUFFER_BOUND);
    assertTrue(r[3] >= 64 * 1024, "a write is buffered before the thread takes it: " + r[3]);
    assertEquals(0, r[4]);
  }

  /** yes writes without end; nobody reads: the reader's flow control must stop the pipe's thread. */
  @Async
  static Coroutine<long[]> unreadYes() {
    Subprocess p = await(Aio.createSubprocessExec("yes"));
    await(Aio.sleep(Duration.ofMillis(400)));
    long first = p.stdout().buffered();
    await(Aio.sleep(Duration.ofMillis(400)));
    long second = p.stdout().buffered();
    Integer running = p.returnCode();
    // Reading resumes the pipe.
    byte[] some = await(p.stdout().readExactly(1024 * 1024));
    p.kill();
    int code = await(p.waitExit());
    return done(new long[] {first, second, running == null ? -1 : running, some.length, code});
  }

  @Test
  void aProcessWritingWithoutEndIsHeldByFlowControl() {
    long[] r = Aio.run(SubprocessTestAsync.unreadYes());
    long bound = 2L * StreamReader.DEFAULT_LIMIT + 2 * 64 * 1024;
    assertTrue(r[0] > 0, "yes wrote nothing?");
    assertTrue(r[0] <= bound, "buffered " + r[0] + " bytes, above " + bound);
    assertEquals(r[0], r[1], "the reader's buffer grew while paused");
    assertEquals(-1, r[2], "yes should still run, blocked on its full pipe");
    assertEquals(1024 * 1024, r[3]);
    assertEquals(137, r[4]);
  }

  // -----------------------------------------------------------------------------------------------
  // Exit codes, stderr, signals.

  @Async
  static Coroutine<List<Object>> exitThree() {
    Subprocess p = await(Aio.createSubprocessExec("sh", "-c", "exit 3"));
    List<Object> out = new ArrayList<>();
    out.add(p.returnCode());
    out.add(await(p.waitExit()));
    out.add(p.returnCode());
    out.add(await(p.waitExit()));
    return done(out);
  }

  @Test
  void exitCode() {
    List<Object> r = Aio.run(SubprocessTestAsync.exitThree());
    assertNull(r.get(0), "returnCode() before the exit is seen");
    assertEquals(List.of(3, 3, 3), r.subList(1, 4));
  }

  @Async
  static Coroutine<List<String>> stdoutAndStderr() {
    Subprocess p = await(Aio.createSubprocessExec(
        "sh", "-c", "echo out1; echo err1 >&2; echo out2; echo err2 >&2; exit 5"));
    List<String> out = new ArrayList<>();
    for (String line : p.stdout()) {
      out.add("out:" + line);
    }
    for (String line : p.stderr()) {
      out.add("err:" + line);
    }
    out.add("exit:" + await(p.waitExit()));
    return done(out);
  }

  @Test
  void stderrIsSeparate() {
    assertEquals(List.of("out:out1", "out:out2", "err:err1", "err:err2", "exit:5"),
        Aio.run(SubprocessTestAsync.stdoutAndStderr()));
  }

  @Async
  static Coroutine<List<Object>> signal(boolean kill) {
    // exec: the signal goes to sleep itself, the last holder of the pipes.
    Subprocess p = await(Aio.createSubprocessExec("sh", "-c", "echo before; exec sleep 60"));
    await(Aio.sleep(200)); // sh has written its line (nobody read it yet)
    long t0 = System.nanoTime();
    List<Object> out = new ArrayList<>();
    out.add(p.returnCode());
    if (kill) {
      p.kill();
    } else {
      p.terminate();
    }
    out.add(await(p.waitExit()));
    out.add((System.nanoTime() - t0) / 1_000_000_000L);
    // What the process wrote before it died is still there, then the end.
    out.add(await(p.stdout().readLine()));
    out.add(await(p.stdout().readLine()));
    return done(out);
  }

  @Test
  void killGivesTheJdksExitCode137() {
    List<Object> r = Aio.run(SubprocessTestAsync.signal(true));
    assertNull(r.get(0));
    assertEquals(137, r.get(1), "the JDK reports 128 + SIGKILL");
    assertEquals(0L, r.get(2), "seconds to exit");
    assertEquals("before", r.get(3));
    assertNull(r.get(4));
  }

  @Test
  void terminateGivesTheJdksExitCode143() {
    List<Object> r = Aio.run(SubprocessTestAsync.signal(false));
    assertEquals(143, r.get(1), "the JDK reports 128 + SIGTERM");
    assertEquals(0L, r.get(2), "seconds to exit");
    assertEquals("before", r.get(3));
    assertNull(r.get(4));
  }

  // -----------------------------------------------------------------------------------------------
  // communicate.

  @Async
  static Coroutine<Subprocess.Output> communicate(byte[] input, String... command) {
    Subprocess p = await(Aio.createSubprocessExec(command));
    return done(await(p.communicate(input)));
  }

  @Test
  void communicateWritesReadsAndWaits() {
    byte[] input = new byte[3 * MIB + 17];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i % 251);
    }
    Subprocess.Output o = Aio.run(SubprocessTestAsync.communicate(
        input, "sh", "-c", "cat; echo done >&2; exit 2"));
    assertEquals(2, o.exitCode());
    assertArrayEquals(input, o.stdout());
    assertEquals("done\n", o.stderrText());
  }

  @Test
  void communicateWithoutInputClosesStdin() {
    Subprocess.Output o = Aio.run(SubprocessTestAsync.communicate(null, "cat"));
    assertEquals(0, o.exitCode());
    assertEquals(0, o.stdout().length);
    assertEquals("", o.stderrText());
  }

  @Test
  void communicateIgnoresAProcessThatDoesNotRead() {
    Subprocess.Output o = Aio.run(SubprocessTestAsync.communicate(
        new byte[4 * MIB], "sh", "-c", "echo bye; exit 4"));
    assertEquals(4, o.exitCode());
    assertEquals("bye\n", o.stdoutText());
  }

  /** cat blocks (nobody reads its stdout): a drain cancelled by a timeout drops nothing written. */
  @Async
  static Coroutine<List<Object>> cancelledDrain() {
    Subprocess p = await(Aio.createSubprocessExec("cat"));
    byte[] data = new byte[2 * MIB];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 13 + (i >> 16));
    }
    p.stdin().write(data);
    List<Object> out = new ArrayList<>();
    try {
      await(Aio.waitFor(p.stdin().drain(), Duration.ofMillis(200)));
      out.add("drain returned");
    } catch (AsyncTimeoutException expected) {
      out.add("drain timed out");
    }
    out.add(p.stdin().transport().writeBufferSize() > 0);
    Task<long[]> reading = Aio.createTask(SubprocessTestAsync.drainAll(p.stdout()));
    await(p.stdin().drain());
    p.stdin().close();
    long[] read = await(reading);
    CRC32 crc = new CRC32();
    crc.update(data);
    out.add(read[0]);
    out.add(read[1] == crc.getValue());
    out.add(await(p.waitExit()));
    return done(out);
  }

  @Test
  void aCancelledDrainDropsNothing() {
    assertEquals(List.of("drain timed out", true, 2L * MIB, true, 0),
        Aio.run(SubprocessTestAsync.cancelledDrain()));
  }

  /** A process that exits without reading: drain() reports the broken pipe, as on a lost socket. */
  @Async
  static Coroutine<List<Object>> brokenStdin() {
    Subprocess p = await(Aio.createSubprocessExec("sh", "-c", "exit 0"));
    List<Object> out = new ArrayList<>();
    out.add(await(p.waitExit()));
    byte[] chunk = new byte[64 * 1024];
    long written = 0;
    try {
      while (written < 64L * MIB) {
        p.stdin().write(chunk);
        written += chunk.length;
        await(p.stdin().drain());
      }
      out.add("drain never failed");
    } catch (UncheckedIOException e) {
      out.add(e.getMessage());
    }
    out.add(p.stdin().isClosing());
    try {
      await(p.stdin().waitClosed());
      out.add("waitClosed returned");
    } catch (UncheckedIOException e) {
      out.add("waitClosed: " + e.getCause().getClass().getSimpleName());
    }
    return done(out);
  }

  @Test
  void writingToAProcessThatExitedFailsInDrain() {
    assertEquals(List.of(0, "drain() failed: the connection is closed", true, "waitClosed: IOException"),
        Aio.run(SubprocessTestAsync.brokenStdin()));
  }

  // -----------------------------------------------------------------------------------------------
  // Start failures, options, many at once.

  @Test
  void aMissingProgramIsAClearError() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Aio.run(SubprocessTestAsync.communicate(null, "no-such-program-awaitj", "arg")));
    assertTrue(e.getMessage().contains("[no-such-program-awaitj, arg]"), e.getMessage());
    assertTrue(e.getMessage().contains("exists and is executable"), e.getMessage());
  }

  @Test
  void anEmptyCommandIsRejectedAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> Aio.createSubprocessExec());
  }

  @Async
  static Coroutine<List<String>> withBuilder(Path dir) {
    ProcessBuilder b = new ProcessBuilder("sh", "-c", "pwd; echo $AWAITJ_TEST >&2")
        .directory(dir.toFile())
        .redirectErrorStream(true);
    b.environment().put("AWAITJ_TEST", "from-env");
    Subprocess p = await(Aio.createSubprocessExec(b));
    List<String> out = new ArrayList<>();
    try {
      p.stderr();
      out.add("stderr should not exist");
    } catch (IllegalStateException expected) {
      out.add("no stderr");
    }
    Subprocess.Output o = await(p.communicate(null));
    out.add(o.stdoutText());
    out.add(String.valueOf(o.stderr()));
    return done(out);
  }

  @Test
  void aProcessBuilderGivesDirectoryEnvironmentAndRedirects(@TempDir Path dir) throws Exception {
    Path real = dir.toRealPath();
    assertEquals(List.of("no stderr", real + "\nfrom-env\n", "null"),
        Aio.run(SubprocessTestAsync.withBuilder(real)));
    assertTrue(Files.isDirectory(real));
  }

  @Async
  static Coroutine<String> echo(int i) {
    Subprocess p = await(Aio.createSubprocessExec("echo", "n" + i));
    Subprocess.Output o = await(p.communicate(null));
    return done(o.exitCode() + ":" + o.stdoutText().trim());
  }

  @Async
  static Coroutine<List<String>> manyEchoes(int n) {
    List<Coroutine<String>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(SubprocessTestAsync.echo(i));
    }
    return done(await(Aio.gather(all)));
  }

  @Test
  void fiftyProcessesAtOnce() {
    List<String> r = Aio.run(SubprocessTestAsync.manyEchoes(50));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("0:n" + i);
    }
    assertEquals(expected, r);
  }

  // -----------------------------------------------------------------------------------------------
  // Cancellation, closing, threads.

  @Async
  static Coroutine<List<Object>> cancelWaits() {
    // exec: sleep replaces the shell, so that kill() ends the last holder of the stdout pipe (a child
    // left running would hold it open, and the last readLine would wait for that child).
    Subprocess p = await(Aio.createSubprocessExec("sh", "-c", "sleep 0.5; echo late; exec sleep 60"));
    List<Object> out = new ArrayList<>();
    try {
      await(Aio.waitFor(p.waitExit(), Duration.ofMillis(100)));
      out.add("waitExit returned");
    } catch (AsyncTimeoutException expected) {
      out.add("waitExit timed out");
    }
    try {
      await(Aio.waitFor(p.stdout().readLine(), Duration.ofMillis(50)));
      out.add("readLine returned");
    } catch (AsyncTimeoutException expected) {
      out.add("readLine timed out");
    }
    out.add(p.returnCode());
    out.add(await(p.stdout().readLine()));
    p.kill();
    out.add(await(p.waitExit()));
    out.add(await(p.stdout().readLine()));
    return done(out);
  }

  @Test
  void aCancelledWaitLeavesTheProcessRunningAndTheStreamsUsable() {
    List<Object> r = Aio.run(SubprocessTestAsync.cancelWaits());
    List<Object> expected = new ArrayList<>();
    expected.add("waitExit timed out");
    expected.add("readLine timed out");
    expected.add(null);
    expected.add("late");
    expected.add(137);
    expected.add(null);
    assertEquals(expected, r);
  }

  /** A child of the process keeps its stdout open: the exit is still seen when it happens. */
  @Async
  static Coroutine<List<Object>> childHoldsThePipe() {
    Subprocess p = await(Aio.createSubprocessExec("sh", "-c", "sleep 2 & sleep 0.3; echo bye; exit 3"));
    long t0 = System.nanoTime();
    List<Object> out = new ArrayList<>();
    out.add(await(p.waitExit()));
    out.add((System.nanoTime() - t0) / 1_000_000L < 1500);
    out.add(await(p.stdout().readLine()));
    // Whether the stdout reader now reaches its end at once or when sleep 2 ends depends on a race in
    // the JDK (see Subprocess's class comment): not asserted.
    return done(out);
  }

  @Test
  void aChildHoldingThePipeDoesNotDelayTheExit() {
    assertEquals(List.of(3, true, "bye"), Aio.run(SubprocessTestAsync.childHoldsThePipe()));
  }

  /** On a virtual clock a process is work the loop started: the clock stands still while it runs. */
  @Async
  static Coroutine<List<Object>> onVirtualTime() {
    double t0 = Aio.loop().time();
    Subprocess p = await(Aio.createSubprocessExec("sh", "-c", "sleep 0.3; echo hi"));
    Subprocess.Output o = await(Aio.waitFor(p.communicate(null), Duration.ofMillis(100)));
    List<Object> out = new ArrayList<>();
    out.add(o.stdoutText());
    out.add(Aio.loop().time() - t0);
    await(Aio.sleep(Duration.ofHours(1)));
    out.add(Aio.loop().time() - t0);
    return done(out);
  }

  @Test
  void aVirtualClockStandsStillWhileAProcessRuns() {
    long t0 = System.nanoTime();
    List<Object> r = Aio.runVirtual(SubprocessTestAsync.onVirtualTime());
    assertEquals("hi\n", r.get(0), "a 100 ms virtual timeout did not expire over a 300 ms process");
    assertEquals(0.0, r.get(1));
    assertEquals(3600.0, r.get(2));
    assertTrue(System.nanoTime() - t0 >= 300_000_000L, "the loop waited for the process for real");
  }

  @Async
  static Coroutine<List<Object>> closedByTryWithResources() {
    Subprocess kept;
    try (Subprocess p = await(Aio.createSubprocessExec("sleep", "60"))) {
      kept = p;
      await(Aio.sleep(10));
    }
    List<Object> out = new ArrayList<>();
    out.add(kept.returnCode());
    out.add(kept.process().isAlive());
    return done(out);
  }

  @Test
  void tryWithResourcesKillsAndWaits() {
    assertEquals(List.of(137, false), Aio.run(SubprocessTestAsync.closedByTryWithResources()));
  }

  static Set<String> pipeThreads(long pid) {
    Set<String> names = new java.util.TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("awaitj-subprocess-" + pid + "-")) {
        names.add(t.getName().substring(("awaitj-subprocess-" + pid + "-").length())
            + (t.isDaemon() ? "" : "(not daemon)"));
      }
    }
    return names;
  }

  @Async
  static Coroutine<List<Object>> threadsOfOneProcess() {
    Subprocess p = await(Aio.createSubprocessExec("cat"));
    List<Object> out = new ArrayList<>();
    out.add(pipeThreads(p.pid()));
    p.stdin().write("x\n");
    out.add(pipeThreads(p.pid()));
    p.stdin().close();
    out.add(await(p.stdout().readLine()));
    out.add(await(p.stdout().readLine()));
    out.add(await(p.waitExit()));
    await(p.stdin().waitClosed());
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!pipeThreads(p.pid()).isEmpty() && System.nanoTime() < deadline) {
      await(Aio.sleep(10));
    }
    out.add(pipeThreads(p.pid()));
    return done(out);
  }

  @Test
  void pipeThreadsAreNamedDaemonsThatEndWithThePipes() {
    List<Object> r = Aio.run(SubprocessTestAsync.threadsOfOneProcess());
    assertEquals(Set.of("stdout", "stderr"), r.get(0), "before a write: no stdin thread");
    assertEquals(Set.of("stdout", "stderr", "stdin"), r.get(1));
    assertEquals("x", r.get(2));
    assertNull(r.get(3));
    assertEquals(0, r.get(4));
    assertEquals(Set.of(), r.get(5));
  }

  @Async
  static Coroutine<Long> startYes() {
    Subprocess p = await(Aio.createSubprocessExec("yes"));
    await(Aio.sleep(200)); // the reader pauses the pipe
    return done(p.pid());
  }

  @Test
  void closingTheLoopDoesNotWaitForAPausedPipe() throws Exception {
    EventLoop loop = EventLoop.create();
    long pid = loop.runUntilComplete(SubprocessTestAsync.startYes());
    long t0 = System.nanoTime();
    loop.close();
    long closeMillis = (System.nanoTime() - t0) / 1_000_000;
    try {
      assertTrue(closeMillis < 500, "close took " + closeMillis + " ms");
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!pipeThreads(pid).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(Set.of(), pipeThreads(pid), "the paused thread ends once the loop is closed");
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // What the threads cost: prints the start overhead against ProcessBuilder.start() alone.

  @Async
  static Coroutine<Integer> startAndWait(int n) {
    int failures = 0;
    for (int i = 0; i < n; i++) {
      Subprocess p = await(Aio.createSubprocessExec("true"));
      if (await(p.waitExit()) != 0) {
        failures++;
      }
    }
    return done(failures);
  }

  @Test
  void startOverhead() throws Exception {
    int n = 200;
    AtomicInteger jdkFailures = new AtomicInteger();
    long jdk = Long.MAX_VALUE;
    long ours = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Process p = new ProcessBuilder("true").start();
        if (p.waitFor() != 0) {
          jdkFailures.incrementAndGet();
        }
        p.getInputStream().close();
        p.getErrorStream().close();
        p.getOutputStream().close();
      }
      jdk = Math.min(jdk, System.nanoTime() - t0);
      t0 = System.nanoTime();
      assertEquals(0, Aio.run(SubprocessTestAsync.startAndWait(n)));
      ours = Math.min(ours, System.nanoTime() - t0);
    }
    assertEquals(0, jdkFailures.get());
    System.out.printf("start+exit of 'true', best of 3 rounds of %d: ProcessBuilder %.3f ms,"
        + " Subprocess %.3f ms a process (%s)%n",
        n, jdk / 1e6 / n, ours / 1e6 / n, System.getProperty("java.version"));
    assertTrue(ours < 3 * jdk + 200_000_000L, "Subprocess " + ours + " ns vs " + jdk + " ns");
  }
}
