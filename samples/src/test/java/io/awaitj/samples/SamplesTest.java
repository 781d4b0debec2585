package io.awaitj.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.EventLoop;
import io.awaitj.junit.AsyncLoop;
import io.awaitj.samples.Samples.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every sample and checks its exact output against {@code expected/<Name>.txt} (test resources),
 * so that the samples cannot rot. Each runs on its test's loop, given by awaitj-junit's {@link
 * AsyncLoop}: a virtual clock, where the elapsed times they print are exact; the few that need the
 * real clock (work on other threads that must take time) print nothing that depends on it.
 *
 * <p>After changing a sample on purpose, run with {@code -Dsamples.update=true} to rewrite the
 * expected files, and review the diff.
 */
class SamplesTest {
  static final Path EXPECTED = Path.of("src/test/resources/io/awaitj/samples/expected");

  static Stream<String> names() {
    return Samples.ALL.stream().map(Sample::name);
  }

  /** The samples that run on a virtual clock. */
  static Stream<String> onVirtualClock() {
    return Samples.ALL.stream().filter(s -> !s.realClockOnly()).map(Sample::name);
  }

  /** The samples that need the real clock (work on other threads that must take time). */
  static Stream<String> onRealClock() {
    return Samples.ALL.stream().filter(Sample::realClockOnly).map(Sample::name);
  }

  /**
   * What {@code sample} prints, run on {@code loop}: the test's own, given by awaitj-junit's {@link
   * AsyncLoop}, which fails the test if a task of the sample failed and nobody retrieved its
   * exception, and closes the loop after the test (a sample's runner closes it first). The loop reports
   * to a handler that keeps what it is told, warnings without an exception included (the extension's
   * handler, which this one replaces, only logs those): a sample that leaves an error for the loop's
   * exception handler (a handler task that failed, an exception never retrieved) fails here, even if
   * what it printed is right. A sample asks for one loop; a second would escape the extension's
   * checks, so it is refused.
   */
  static String run(Sample sample, EventLoop loop) throws Exception {
    List<String> reports = Collections.synchronizedList(new ArrayList<>());
    loop.setExceptionHandler((message, e) -> reports.add(message + (e == null ? "" : ": " + e)));
    AtomicBoolean given = new AtomicBoolean();
    Supplier<EventLoop> once = () -> {
      assertFalse(given.getAndSet(true), sample.name() + " asked for a second loop");
      return loop;
    };
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      sample.run(out, once);
    }
    assertEquals(List.of(), List.copyOf(reports), sample.name() + " left errors to the loop's handler");
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static String expected(String name) throws IOException {
    try (InputStream in = SamplesTest.class.getResourceAsStream("expected/" + name + ".txt")) {
      assertNotNull(in, "no expected output for " + name + ": run with -Dsamples.update=true");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("onVirtualClock")
  @AsyncLoop
  @Timeout(120)
  void printsExactlyWhatItShould(String name, EventLoop loop) throws Exception {
    check(name, loop);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("onRealClock")
  @AsyncLoop(realTime = true)
  @Timeout(120)
  void printsExactlyWhatItShouldOnTheRealClock(String name, EventLoop loop) throws Exception {
    check(name, loop);
  }

  /** Runs the sample {@code name} on {@code loop} and compares what it prints with its file. */
  static void check(String name, EventLoop loop) throws Exception {
    String actual = run(Samples.named(name), loop);
    if (Boolean.getBoolean("samples.update")) {
      Files.writeString(EXPECTED.resolve(name + ".txt"), actual);
      return;
    }
    assertEquals(expected(name), actual, name + "'s output");
  }

  /** Each sample is a program of its own: a public class with a {@code public static void main}. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void hasAMain(String name) throws Exception {
    Class<?> type = Samples.named(name).type();
    Method main = type.getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(type.getModifiers()),
        name);
  }

  @Test
  void theTourRunsTheNamedSamplesUnderHeaders() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Tour.run(List.of("timed", "SerialPitfall"), out, EventLoop::createVirtual);
    }
    assertEquals("awaitj tour: 2 samples\n\n"
            + "== 12. Timed: a timing wrapper, the tutorials' async_timed"
            + " (io/awaitj/samples/basics/Timed.java)\n"
            + expected("Timed")
            + "\n== 4. SerialPitfall: await(createTask(...)) in a loop runs one after another"
            + " (io/awaitj/samples/basics/SerialPitfall.java)\n"
            + expected("SerialPitfall"),
        bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  @Test
  void anUnknownNameListsTheSamples() {
    var e = assertThrows(IllegalArgumentException.class, () -> Samples.named("Nope"));
    assertTrue(e.getMessage().startsWith("no sample named Nope; the samples: [SequentialVsConcurrent,"),
        e.getMessage());
  }
}
