package io.awaitj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.Result;
import io.awaitj.Script;
import io.awaitj.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AsyncFile}: positional reads and writes, the end of the file, close, cancellation. */
class AsyncFileTest {
  @TempDir Path dir;

  private static final StandardOpenOption[] RW = {
    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE
  };

  @Test
  void positionalReadsAndWrites() throws IOException {
    Path f = dir.resolve("p.bin");
    AsyncFile[] file = new AsyncFile[1];
    ByteBuffer buf = ByteBuffer.allocate(8);
    List<Object> seen = new ArrayList<>();
    Aio.run(
        Script.of(
            p -> AsyncFiles.open(f, RW),
            p -> {
              file[0] = (AsyncFile) p;
              return file[0].write(4, "world".getBytes(StandardCharsets.US_ASCII));
            },
            p -> file[0].write(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)), 0),
            p -> file[0].size(),
            p -> {
              seen.add(p); // 9
              return file[0].read(0, 100);
            },
            p -> {
              seen.add(new String((byte[]) p, StandardCharsets.ISO_8859_1));
              return file[0].read(5, 3);
            },
            p -> {
              seen.add(new String((byte[]) p, StandardCharsets.ISO_8859_1)); // "orl"
              return file[0].read(9, 10);
            },
            p -> {
              seen.add(((byte[]) p).length); // at the end: empty
              return file[0].read(100, 10);
            },
            p -> {
              seen.add(((byte[]) p).length); // past the end: empty
              return file[0].read(buf, 6);
            },
            p -> {
              seen.add(p); // 3: "rld"
              return file[0].read(buf, 9);
            },
            p -> {
              seen.add(p); // -1 at the end
              return file[0].truncate(3);
            },
            p -> file[0].force(true),
            p -> file[0].size(),
            p -> {
              seen.add(p);
              return file[0].closeAsync();
            }));
    assertEquals(
        List.of(9L, "hi\0\0world", "orl", 0, 0, 3, -1, 3L), seen);
    assertArrayEquals("rld".getBytes(StandardCharsets.US_ASCII),
        java.util.Arrays.copyOf(buf.array(), 3));
    assertArrayEquals(new byte[] {'h', 'i', 0}, Files.readAllBytes(f));
  }

  @Test
  void aLargeWriteWritesEverything() throws IOException {
    Path f = dir.resolve("large.bin");
    byte[] data = new byte[10 << 20];
    new java.util.Random(5).nextBytes(data);
    AsyncFile[] file = new AsyncFile[1];
    byte[] back =
        Aio.run(
            Script.of(
                p -> AsyncFiles.open(f, RW),
                p -> (file[0] = (AsyncFile) p).write(1, data),
                p -> file[0].read(1, data.length + 10),
                p -> Script.of(q -> file[0].closeAsync(), q -> p)));
    assertArrayEquals(data, back);
    assertEquals(data.length + 1, Files.size(f));
  }

  @Test
  void useAfterCloseIsAClearErrorAndClosingTwiceIsFine() throws IOException {
    Path f = dir.resolve("c.txt");
    Files.writeString(f, "abc");
    AsyncFile[] file = new AsyncFile[1];
    Coroutine<?>[] madeBefore = new Coroutine<?>[1];
    Aio.run(
        Script.of(
            p -> AsyncFiles.open(f),
            p -> {
              file[0] = (AsyncFile) p;
              assertTrue(file[0].isOpen());
              madeBefore[0] = file[0].read(0, 1);
              return file[0].closeAsync();
            },
            p -> file[0].closeAsync(),
            p -> {
              assertFalse(file[0].isOpen());
              return madeBefore[0];
            })
            .onError(e -> {
              assertTrue(e instanceof IllegalStateException, e.toString());
              assertTrue(e.getMessage().contains("AsyncFile of " + f + " is closed"), e.getMessage());
              return null;
            }));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> file[0].read(0, 1));
    assertTrue(e.getMessage().contains("cannot read: the AsyncFile of " + f + " is closed"),
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> file[0].size());
    assertThrows(IllegalStateException.class, () -> file[0].write(0, new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> AsyncFile.class.cast(file[0]).read(-1, 1));
  }

  /**
   * Occupies every file thread until {@code release} opens, so that the next operations wait in the
   * pool's queue. Returns once all are held.
   */
  static CountDownLatch holdFileThreads() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(FileWorkers.THREADS);
    for (int i = 0; i < FileWorkers.THREADS; i++) {
      FileWorkers.execute(
          () -> {
            held.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    assertTrue(held.await(30, TimeUnit.SECONDS));
    return release;
  }

  /**
   * A read and a write cancelled while they wait for a file thread: both tasks end cancelled, the
   * write writes nothing, nothing is reported to the loop's exception handler, the file stays usable,
   * and a close awaited while the cancelled operations are still queued waits for them.
   */
  @Test
  void cancellingPendingOperations() throws Exception {
    Path f = dir.resolve("cancel.txt");
    Files.writeString(f, "original");
    AsyncFile[] file = new AsyncFile[1];
    CountDownLatch[] release = new CountDownLatch[1];
    List<Task<?>> tasks = new ArrayList<>();
    List<String> reports = new ArrayList<>();
    List<Object> seen = new ArrayList<>();
    Aio.run(
        Script.of(
            p -> {
              Aio.loop().setExceptionHandler((m, e) -> reports.add(m + ": " + e));
              return AsyncFiles.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            },
            p -> {
              file[0] = (AsyncFile) p;
              release[0] = holdFileThreads();
              tasks.add(Aio.createTask(file[0].read(0, 100)));
              tasks.add(Aio.createTask(file[0].write(0, "CHANGED!".getBytes(StandardCharsets.UTF_8))));
              return Aio.sleep(0); // both start, and wait in the pool's queue
            },
            p -> {
              for (Task<?> t : tasks) {
                assertFalse(t.isDone());
                t.cancel();
              }
              return Aio.gatherSettled(tasks.get(0), tasks.get(1));
            },
            p -> {
              for (Object r : (List<?>) p) {
                seen.add(((Result<?>) r).isCancelled());
              }
              release[0].countDown();
              return file[0].read(0, 100);
            },
            p -> {
              seen.add(new String((byte[]) p, StandardCharsets.UTF_8));
              // Again, and this time close while the cancelled operations are still queued.
              release[0] = holdFileThreads();
              tasks.set(0, Aio.createTask(file[0].write(0, "NEWER...".getBytes(StandardCharsets.UTF_8))));
              return Aio.sleep(0);
            },
            p -> {
              tasks.get(0).cancel();
              new Thread(() -> {
                    try {
                      Thread.sleep(200);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    release[0].countDown();
                  })
                  .start();
              return file[0].closeAsync();
            },
            p -> {
              seen.add(file[0].isOpen());
              return Aio.gatherSettled(tasks.get(0));
            },
            p -> {
              seen.add(((Result<?>) ((List<?>) p).get(0)).isCancelled());
              return null;
            }));
    assertEquals(List.of(true, true, "original", false, true), seen);
    assertEquals("original", Files.readString(f), "a write cancelled before it started writes nothing");
    assertEquals(List.of(), reports);
  }

  /** An open whose task is cancelled while it waits: the task ends cancelled, nothing is reported. */
  @Test
  void cancellingAPendingOpen() throws Exception {
    Path f = dir.resolve("o.txt");
    Files.writeString(f, "x");
    List<Object> seen = new ArrayList<>();
    CountDownLatch[] release = new CountDownLatch[1];
    Task<?>[] t = new Task<?>[1];
    Aio.run(
        Script.of(
            p -> {
              release[0] = holdFileThreads();
              t[0] = Aio.createTask(AsyncFiles.open(f));
              return Aio.sleep(0);
            },
            p -> {
              t[0].cancel();
              release[0].countDown();
              return Aio.gatherSettled(t[0]);
            },
            p -> {
              seen.add(((Result<?>) ((List<?>) p).get(0)).isCancelled());
              return AsyncFiles.readString(f);
            },
            p -> seen.add(p)));
    assertEquals(List.of(true, "x"), seen);
  }
  /**
   * An open that is running (blocked opening a FIFO no one writes to yet) when its task is cancelled:
   * the task ends cancelled, and once the open completes, the channel it opened is closed, which the
   * writer sees as a broken pipe.
   */
  @Test
  void aRunningOpenThatIsCancelledClosesItsChannel() throws Exception {
    Path fifo = dir.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0 && Files.exists(fifo), "mkfifo");
    List<Object> seen = new ArrayList<>();
    Task<?>[] t = new Task<?>[1];
    Aio.run(
        Script.of(
            p -> {
              t[0] = Aio.createTask(AsyncFiles.open(fifo, StandardOpenOption.READ));
              return Aio.sleep(java.time.Duration.ofMillis(100)); // the open blocks in open(2)
            },
            p -> {
              assertFalse(t[0].isDone());
              t[0].cancel();
              return Aio.gatherSettled(t[0]);
            },
            p -> seen.add(((Result<?>) ((List<?>) p).get(0)).isCancelled())));
    assertEquals(List.of(true), seen);
    // The writer unblocks the open; the reader's end must then be closed: writes fail.
    try (java.io.OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
      IOException broken = null;
      for (int i = 0; i < 300 && broken == null; i++) {
        try {
          out.write(1);
          out.flush();
          Thread.sleep(10);
        } catch (IOException e) {
          broken = e;
        }
      }
      assertTrue(broken != null, "the channel of the cancelled open was left open");
    } catch (IOException closing) {
      // closing a broken pipe may fail too
    }
  }
  /**
   * A write that is running (blocked opening a FIFO) when its task is cancelled, and then fails (the
   * reader leaves at once: a broken pipe): the failure is not lost, it goes to the loop's exception
   * handler, naming the file.
   */
  @Test
  void aWriteThatFailsAfterItsTaskWasCancelledIsReported() throws Exception {
    Path fifo = dir.resolve("wfifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0 && Files.exists(fifo), "mkfifo");
    List<String> reports = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch reported = new CountDownLatch(1);
    List<Object> seen = new ArrayList<>();
    Task<?>[] t = new Task<?>[1];
    Aio.run(
        Script.of(
            p -> {
              Aio.loop().setExceptionHandler(
                  (m, e) -> {
                    reports.add(m + " | " + e.getMessage());
                    reported.countDown();
                  });
              t[0] = Aio.createTask(AsyncFiles.write(fifo, new byte[1 << 20]));
              return Aio.sleep(java.time.Duration.ofMillis(100)); // the write blocks in open(2)
            },
            p -> {
              assertFalse(t[0].isDone());
              t[0].cancel();
              return Aio.gatherSettled(t[0]);
            },
            p -> seen.add(((Result<?>) ((List<?>) p).get(0)).isCancelled())));
    assertEquals(List.of(true), seen);
    java.nio.channels.FileChannel.open(fifo, StandardOpenOption.READ).close();
    assertTrue(reported.await(10, TimeUnit.SECONDS), "the failure of the cancelled write was lost");
    assertEquals(1, reports.size(), reports.toString());
    assertTrue(reports.get(0).startsWith(
        "write on " + fifo + " failed after the task awaiting it was cancelled | write on " + fifo),
        reports.get(0));
  }
}
