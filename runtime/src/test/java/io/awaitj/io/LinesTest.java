package io.awaitj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.AsyncIterator;
import io.awaitj.Result;
import io.awaitj.Script;
import io.awaitj.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AsyncFiles#lines}: terminators, decoding across chunks, errors, cancellation. */
class LinesTest {
  @TempDir Path dir;

  private List<String> lines(String content, int chunk) throws IOException {
    Path f = dir.resolve("l" + chunk + ".txt");
    Files.write(f, content.getBytes(StandardCharsets.UTF_8));
    return Aio.run(
        LineDrivers.collect(new Lines(f, StandardCharsets.UTF_8, chunk).asyncIterator()));
  }

  private static List<String> bufferedReader(String content) {
    return new BufferedReader(new StringReader(content)).lines().collect(Collectors.toList());
  }

  @Test
  void eachTerminatorAndAFinalLineWithout() throws IOException {
    assertEquals(List.of("a", "b", "c", "d"), lines("a\nb\r\nc\rd", Lines.CHUNK));
    assertEquals(List.of("a", "b", "c"), lines("a\nb\r\nc\r", Lines.CHUNK));
    assertEquals(List.of("a", "", "b"), lines("a\r\r\nb\n", Lines.CHUNK));
    assertEquals(List.of("", "", ""), lines("\n\r\n\r", Lines.CHUNK));
    assertEquals(List.of("only"), lines("only", Lines.CHUNK));
  }

  @Test
  void anEmptyFileHasNoLines() throws IOException {
    assertEquals(List.of(), lines("", Lines.CHUNK));
    assertEquals(List.of(), lines("", 16));
  }

  @Test
  void aCrLfSplitByAChunkBoundaryIsOneTerminator() throws IOException {
    for (int at = 10; at < 20; at++) {
      String s = "x".repeat(at) + "\r\n" + "y" + "\r" + "\n\n";
      assertEquals(bufferedReader(s), lines(s, 16), "\\r at " + at);
    }
  }

  /**
   * A 2-, 3- and 4-byte character whose first byte is at each of the last three positions of the
   * first chunk (and of the default chunk), so that the chunk ends inside it.
   */
  @Test
  void multiByteCharactersAcrossTheChunkBoundary() throws IOException {
    for (String ch : new String[] {"\u00e9", "\u20ac", "\ud83d\ude00"}) {
      int len = ch.getBytes(StandardCharsets.UTF_8).length;
      for (int chunk : new int[] {16, Lines.CHUNK}) {
        for (int back = 1; back <= 3; back++) {
          String s = "a".repeat(chunk - back) + ch + "b\n" + ch + ch + "\n";
          assertEquals(chunk - back + len, ("a".repeat(chunk - back) + ch)
              .getBytes(StandardCharsets.UTF_8).length);
          assertEquals(List.of("a".repeat(chunk - back) + ch + "b", ch + ch), lines(s, chunk),
              ch + " at " + (chunk - back) + " of " + chunk);
        }
      }
    }
  }

  /** Random text of every kind of character and terminator, read as BufferedReader reads it. */
  @Test
  void randomTextMatchesBufferedReader() throws IOException {
    String[] pieces = {"a", "bc", "\u00e9", "\u20ac", "\ud83d\ude00", "\n", "\r", "\r\n", "\n\n"};
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(300);
      for (int i = 0; i < n; i++) {
        b.append(pieces[r.nextInt(pieces.length)]);
      }
      String s = b.toString();
      int chunk = 16 + r.nextInt(40);
      assertEquals(bufferedReader(s), lines(s, chunk), "round " + round + ", chunk " + chunk);
    }
  }

  @Test
  void malformedUtf8FailsNamingTheFile() throws IOException {
    Path f = dir.resolve("bad.txt");
    Files.write(f, new byte[] {'o', 'k', '\n', (byte) 0xff, '\n'});
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class,
            () -> Aio.run(LineDrivers.collect(AsyncFiles.lines(f).asyncIterator())));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("at byte 3"),
        e.getMessage());
    // A truncated character at the very end is malformed too.
    Files.write(f, new byte[] {'o', 'k', (byte) 0xe2, (byte) 0x82});
    assertThrows(UncheckedIOException.class,
        () -> Aio.run(LineDrivers.collect(AsyncFiles.lines(f).asyncIterator())));
  }

  @Test
  void aMissingFileFailsNamingIt() {
    Path f = dir.resolve("missing.txt");
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class,
            () -> Aio.run(LineDrivers.collect(AsyncFiles.lines(f).asyncIterator())));
    assertTrue(e.getMessage().startsWith("no such file: " + f), e.getMessage());
  }

  @Test
  void nextWithoutHasNextThrows() throws IOException {
    Path f = dir.resolve("n.txt");
    Files.writeString(f, "a\nb\n");
    AsyncIterator<String> it = AsyncFiles.lines(f).asyncIterator();
    assertThrows(NoSuchElementException.class, it::next);
    List<Object> seen = new ArrayList<>();
    Aio.run(
        Script.of(
            p -> it.hasNext(),
            p -> {
              seen.add(it.next());
              assertThrows(NoSuchElementException.class, it::next);
              return it.hasNext();
            },
            p -> it.hasNext(), // asking again does not skip a line
            p -> {
              seen.add(it.next());
              return it.hasNext();
            },
            p -> seen.add(p)));
    assertEquals(List.of("a", "b", false), seen);
  }

  /**
   * A task iterating is cancelled while its {@code hasNext()} waits for a chunk: the task ends
   * cancelled, and another iterating the same iterator afterwards gets every line that was not
   * handed out yet, none lost and none twice.
   */
  @Test
  void cancellingAWaitingHasNextLosesNoLine() throws Exception {
    Path f = dir.resolve("c.txt");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("line-" + i);
    }
    Files.writeString(f, String.join("\n", expected));
    AsyncIterator<String> it = new Lines(f, StandardCharsets.UTF_8, 16).asyncIterator();
    List<String> out = new ArrayList<>();
    List<Object> seen = new ArrayList<>();
    CountDownLatch[] release = new CountDownLatch[1];
    Task<?>[] t = new Task<?>[1];
    Aio.run(
        Script.of(
            p -> new LineDrivers.Drain(it, out::add, 5),
            p -> {
              release[0] = AsyncFileTest.holdFileThreads();
              t[0] = Aio.createTask(new LineDrivers.Drain(it, out::add));
              return Aio.sleep(0);
            },
            p -> {
              assertFalse(t[0].isDone());
              t[0].cancel();
              return Aio.gatherSettled(t[0]);
            },
            p -> {
              seen.add(((Result<?>) ((List<?>) p).get(0)).isCancelled());
              // The next iteration starts waiting while the chunk is still queued.
              t[0] = Aio.createTask(new LineDrivers.Drain(it, out::add));
              return Aio.sleep(0);
            },
            p -> {
              assertFalse(t[0].isDone());
              release[0].countDown();
              return t[0];
            }));
    assertEquals(List.of(true), seen);
    assertEquals(expected, out);
  }
  /**
   * The loop's thread allocates nothing per line (the lines are made on the file threads): a million
   * short lines cost it less than a byte each, what the loop, the iterator and each 64 KiB chunk's
   * coroutine, job and promise come to. A {@code hasNext()} that made a coroutine per line would cost
   * 16 B or more a line.
   */
  @Test
  void theLoopAllocatesNothingPerLine() throws IOException {
    io.awaitj.AllocatedBytes.require();
    Path f = dir.resolve("million.txt");
    int n = 1_000_000;
    Files.write(f, "ab\n".repeat(n).getBytes(StandardCharsets.US_ASCII));
    long[] count = new long[1];
    LineDrivers.Sink sink = l -> count[0]++;
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      count[0] = 0;
      long before = io.awaitj.AllocatedBytes.now();
      Aio.run(new LineDrivers.Drain(AsyncFiles.lines(f).asyncIterator(), sink));
      best = Math.min(best, io.awaitj.AllocatedBytes.now() - before);
      assertEquals(n, count[0]);
    }
    assertTrue(best < n, best + " B on the loop's thread for " + n + " lines");
  }
}
