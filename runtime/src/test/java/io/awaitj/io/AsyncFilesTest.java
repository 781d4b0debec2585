package io.awaitj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.Script;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AsyncFiles}: whole-file reads and writes, errors, laziness, virtual time, a huge file. */
class AsyncFilesTest {
  @TempDir Path dir;

  @Test
  void stringsRoundTripInUtf8() throws IOException {
    Path f = dir.resolve("a.txt");
    String text = "h\u00e9llo \u20ac \ud83d\ude00\nsecond line\r\n";
    Aio.run(AsyncFiles.writeString(f, text));
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
    assertEquals(text, Aio.run(AsyncFiles.readString(f)));
  }

  @Test
  void stringsRoundTripInAnotherCharset() throws IOException {
    Path f = dir.resolve("latin.txt");
    Files.write(f, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals("caf\u00e9", Aio.run(AsyncFiles.readString(f, StandardCharsets.ISO_8859_1)));
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> Aio.run(AsyncFiles.readString(f)));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("charset"), e.getMessage());
  }

  @Test
  void bytesRoundTripAndOptions() throws IOException {
    Path f = dir.resolve("b.bin");
    byte[] data = new byte[200_000];
    new Random(1).nextBytes(data);
    Aio.run(AsyncFiles.write(f, data));
    assertArrayEquals(data, Aio.run(AsyncFiles.readAllBytes(f)));
    // Default options replace the content; APPEND appends; CREATE_NEW refuses an existing file.
    Aio.run(AsyncFiles.write(f, new byte[] {1, 2}));
    Aio.run(AsyncFiles.write(f, new byte[] {3}, StandardOpenOption.APPEND));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
    Aio.run(AsyncFiles.writeString(f, "x", StandardOpenOption.APPEND));
    assertArrayEquals(new byte[] {1, 2, 3, 'x'}, Files.readAllBytes(f));
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class,
            () -> Aio.run(AsyncFiles.write(f, data, StandardOpenOption.CREATE_NEW)));
    assertTrue(e.getMessage().contains("already exists: " + f), e.getMessage());
  }

  @Test
  void emptyFile() throws IOException {
    Path f = dir.resolve("empty");
    Aio.run(AsyncFiles.write(f, new byte[0]));
    assertTrue(Files.exists(f));
    assertEquals("", Aio.run(AsyncFiles.readString(f)));
    assertEquals(0, Aio.run(AsyncFiles.readAllBytes(f)).length);
  }

  @Test
  void aMissingFileIsNamedInTheMessage() {
    Path f = dir.resolve("no/such.txt");
    for (Coroutine<?> c :
        java.util.List.of(AsyncFiles.readString(f), AsyncFiles.readAllBytes(f), AsyncFiles.open(f))) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Aio.run(c));
      assertInstanceOf(NoSuchFileException.class, e.getCause());
      assertTrue(e.getMessage().startsWith("no such file: " + f), e.getMessage());
      assertTrue(e.getMessage().contains("check the path"), e.getMessage());
    }
    UncheckedIOException w =
        assertThrows(UncheckedIOException.class, () -> Aio.run(AsyncFiles.writeString(f, "x")));
    assertTrue(w.getMessage().contains(f.toString()), w.getMessage());
  }

  @Test
  void nothingHappensUntilAwaited() {
    Path f = dir.resolve("lazy.txt");
    Coroutine<Void> write = AsyncFiles.writeString(f, "x");
    AsyncFiles.readString(dir.resolve("missing")); // not awaited: no error
    assertFalse(Files.exists(f));
    Aio.run(write);
    assertTrue(Files.exists(f));
    assertThrows(IllegalStateException.class, () -> Aio.run(write), "a coroutine runs once");
  }

  @Test
  void aVirtualClockStandsStillWhileFilesAreRead() throws IOException {
    Path f = dir.resolve("big.bin");
    byte[] data = new byte[32 << 20];
    new Random(2).nextBytes(data);
    Files.write(f, data);
    double[] times = new double[2];
    byte[] read =
        Aio.runVirtual(
            Script.of(
                p -> {
                  times[0] = Aio.loop().time();
                  // Reading 32 MiB takes far more than 1 ms of real time, and none of virtual time.
                  return Aio.waitFor(AsyncFiles.readAllBytes(f), Duration.ofMillis(1));
                },
                p -> {
                  times[1] = Aio.loop().time();
                  return p;
                }));
    assertArrayEquals(data, read);
    assertEquals(times[0], times[1]);
    // And a timer that is due later still comes after the read, at its own time.
    String s =
        Aio.runVirtual(
            Script.of(
                p -> Aio.gather(Aio.createTask(AsyncFiles.readString(f, StandardCharsets.ISO_8859_1)),
                    Aio.createTask(Aio.sleep(Duration.ofSeconds(5), "slept"))),
                p -> ((java.util.List<?>) p).get(1) + "@" + Aio.loop().time()));
    assertEquals("slept@5.0", s);
  }

  /**
   * A ~200 MB file, counted with {@link AsyncFiles#lines} in a child JVM whose heap is 32 MB: it must
   * stream. The lines mix ASCII with 2-, 3- and 4-byte characters and all three terminators.
   */
  @Test
  void aFileLargerThanTheHeapIsStreamed() throws Exception {
    Path f = dir.resolve("huge.txt");
    long count = 0;
    long sum = 0;
    String[] pieces = {"abc", "\u00e9\u00e8", "\u20ac", "\ud83d\ude00", "0123456789", " "};
    String[] terminators = {"\n", "\r\n", "\r"};
    Random r = new Random(3);
    StringBuilder line = new StringBuilder();
    boolean previousCr = false;
    try (BufferedWriter w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(f), StandardCharsets.UTF_8), 1 << 16)) {
      while (Files.size(f) < 200_000_000L || count == 0) {
        for (int i = 0; i < 10_000; i++) {
          line.setLength(0);
          int n = r.nextInt(40);
          for (int j = 0; j < n; j++) {
            line.append(pieces[r.nextInt(pieces.length)]);
          }
          String s = line.toString();
          w.write(s);
          // After a \r, an empty line ended by \n would make a \r\n: one terminator, not two.
          int t = previousCr && s.isEmpty() ? 1 + r.nextInt(2) : r.nextInt(3);
          w.write(terminators[t]);
          previousCr = t == 2;
          count++;
          sum = LineCountMain.mix(sum, s);
        }
        w.flush();
      }
    }
    assertTrue(Files.size(f) > 200_000_000L);
    String cp =
        codeSource(LineCountMain.class) + File.pathSeparator + codeSource(AsyncFiles.class);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-cp", cp, LineCountMain.class.getName(), f.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String[] fields = out.split(" ");
    assertEquals(count + " " + sum, fields[0] + " " + fields[1], out);
    assertTrue(Long.parseLong(fields[2]) < Files.size(f) / 4, "the child's heap: " + out);
  }

  private static String codeSource(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
