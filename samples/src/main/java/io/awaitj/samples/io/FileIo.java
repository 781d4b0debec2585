package io.awaitj.samples.io;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.io.AsyncFile;
import io.awaitj.io.AsyncFiles;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Files with {@link AsyncFiles}, awaitj's {@code aiofiles}. Every call is a coroutine; the
 * blocking file operation runs on a pool of file threads, never on the loop's thread, so other tasks
 * keep running meanwhile. A large file is streamed line by line with {@code async for}: only a small
 * buffer is held, whatever the file's size.
 *
 * <p>What to watch for: {@code java.nio.file.Files.readString} in an {@code @Async} body would block
 * the loop (javac's {@code awaitj-blocking} warning says so); {@code AsyncFiles.readString} does not.
 * The sample works in a temporary directory and deletes it.
 */
public final class FileIo {
  private FileIo() {}

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    Path dir = await(Aio.toThread(() -> Files.createTempDirectory("awaitj-sample-")));
    try {
      // Write and read back.
      Path notes = dir.resolve("notes.txt");
      await(AsyncFiles.writeString(notes, "first line\nsecond line\n"));
      await(AsyncFiles.writeString(notes, "third line\n", StandardOpenOption.APPEND));
      String text = await(AsyncFiles.readString(notes));
      out.println("read back " + text.lines().count() + " lines: " + text.lines().toList());

      // Positional reads and writes on an open file: async with.
      try (AsyncFile f = await(AsyncFiles.open(notes, StandardOpenOption.READ,
          StandardOpenOption.WRITE))) {
        await(f.write(0, "FIRST".getBytes(StandardCharsets.UTF_8)));
        byte[] head = await(f.read(0, 10));
        out.println("first 10 bytes after the write: " + new String(head, StandardCharsets.UTF_8));
        out.println("size: " + await(f.size()) + " bytes");
      }

      // A large file (about 7 MB), written in one go, then streamed line by line.
      Path big = dir.resolve("big.log");
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i <= 200_000; i++) {
        sb.append(i % 1000 == 0 ? "ERROR " : "INFO ").append("event ").append(i).append('\n');
      }
      await(AsyncFiles.writeString(big, sb));
      long lines = 0;
      long errors = 0;
      for (String line : AsyncFiles.lines(big)) { // async for: one chunk at a time
        lines++;
        if (line.startsWith("ERROR")) {
          errors++;
        }
      }
      out.println("streamed " + lines + " lines of big.log, " + errors + " errors");
    } finally {
      await(Aio.toThread(() -> deleteTree(dir)));
    }
    return done();
  }

  static Void deleteTree(Path dir) throws java.io.IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    return null;
  }

  public static void main(String[] args) {
    Aio.run(FileIoAsync.run(System.out));
  }
}
