package io.awaitj.io;

import io.awaitj.AsyncIterable;
import io.awaitj.Coroutine;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Files without blocking the loop: what asyncio users take from {@code aiofiles}. Whole-file reads and
 * writes ({@link #readString}, {@link #writeString}, {@link #readAllBytes}, {@link #write}), a file
 * streamed line by line ({@link #lines}) and an open file read and written at positions ({@link
 * #open}, {@link AsyncFile}).
 *
 * <p>Every method returns a lazy coroutine (or iterable): as {@link io.awaitj.Aio#sleep}, nothing
 * happens until it is awaited (iterated), and a coroutine runs once. Failures are unchecked: an
 * {@link java.io.IOException} is thrown as an {@link java.io.UncheckedIOException} whose message names
 * the file and says what to do (for a {@link java.nio.file.NoSuchFileException}, "no such file:
 * <i>path</i> ..."), with the original as its cause.
 *
 * <h2>Mechanism, and the measurement that chose it</h2>
 *
 * An awaited operation runs blocking {@link FileChannel} (or {@link Files}) calls on awaitj's file
 * threads: one pool for the JVM, shared by every loop, of at most {@code io.awaitj.fileThreads}
 * daemon threads (by default twice the processors, at least 4 and at most 16), started on demand and
 * stopped when idle; more operations than threads wait in the pool's queue. The loop's thread never
 * blocks on a file, no thread is started beyond that bound, and the job that runs an operation is
 * itself the {@code CompletableFuture} handed to {@link io.awaitj.EventLoop#wrapWork}, so the
 * awaiting task resumes on its loop and a virtual clock stands still while the operation runs.
 *
 * <p>The alternative, an {@link java.nio.channels.AsynchronousFileChannel} opened on the same pool
 * with a completion handler bridged by {@code wrapWork}, was measured against it with {@code
 * benchmarks/.../FilesBenchmark} (JMH, JDK 17, 2 shared cores, 1 fork, 3 warm-up and 6 measured
 * iterations of 1 s; one operation is one positional read into a reused heap buffer of a 1 MiB
 * file in the page cache, awaited by a coroutine on a real-clock loop, the next read after it):
 *
 * <pre>
 *                       4 KiB read              64 KiB read
 *                       ns/op       B/op        ns/op       B/op
 *  FileChannel job      33,600±31k  257         43,100±11k  264
 *  runInExecutor+lambda 39,700±6k   276         47,800±4k   288
 *  AsynchronousFileCh.  38,300±12k  283         44,100±2k   288
 * </pre>
 *
 * The times are the same within their errors (the hand-over to a pool thread and back to the loop,
 * about 40 µs here, dominates; on Linux {@code AsynchronousFileChannel} itself runs a blocking read on
 * its pool), and the {@code FileChannel} job allocates the least (24-31 B per operation fewer). It
 * also fits cancellation better: a job not started yet is skipped, where an {@code
 * AsynchronousFileChannel} operation, once submitted, cannot be withdrawn; and "write everything" is
 * one job instead of a completion handler that resubmits. So the {@code FileChannel} job was chosen.
 *
 * <h2>Cancellation</h2>
 *
 * If the task awaiting an operation is cancelled, the await ends at once with a {@link
 * io.awaitj.CancelledError}. An operation that had not started yet does nothing; one already running
 * runs to its end on its thread, its result dropped. So a cancelled {@link #write} or {@link
 * #writeString} has written nothing, or the whole content (a {@code TRUNCATE_EXISTING} write that is
 * cut short by a failure leaves what the failure left, as {@link Files#write} does); the failure of a
 * write that ends after its cancellation is reported to the loop's {@linkplain
 * io.awaitj.EventLoop#callExceptionHandler exception handler} rather than lost. A cancelled {@link
 * #open} closes the channel it may have opened. See {@link AsyncFile} and {@link #lines} for theirs.
 *
 * <p>Threading: every method may be called from any thread: it only makes the coroutine, which runs on
 * the loop of the task that awaits it.
 */
public final class AsyncFiles {
  private AsyncFiles() {}

  /**
   * Reads a whole file as UTF-8: {@link Files#readString(Path)}. Threading: any thread may call it;
   * it runs when awaited, on the awaiting task's loop.
   *
   * @param path the file
   * @return a coroutine of the file's text
   * @throws java.io.UncheckedIOException when awaited, if the file cannot be read or is not UTF-8
   */
  public static Coroutine<String> readString(Path path) {
    return readString(path, StandardCharsets.UTF_8);
  }

  /**
   * Reads a whole file in {@code charset}: {@link Files#readString(Path, Charset)}; malformed input
   * fails. Threading: any thread may call it; it runs when awaited, on the awaiting task's loop.
   *
   * @param path the file
   * @param charset its charset
   * @return a coroutine of the file's text
   * @throws java.io.UncheckedIOException when awaited, if the file cannot be read or decoded
   */
  public static Coroutine<String> readString(Path path, Charset charset) {
    check(path);
    check(charset, "charset");
    return new FileCall<>(new WholeFile<String>(path, WholeFile.READ_STRING, null, charset, null));
  }

  /**
   * Writes {@code text} in UTF-8: {@link Files#writeString(Path, CharSequence, OpenOption...)}; with no
   * options, the file is created or replaced ({@code CREATE}, {@code TRUNCATE_EXISTING}, {@code
   * WRITE}). The text must not change until the await ends. Threading: any thread may call it; it
   * runs when awaited, on the awaiting task's loop.
   *
   * @param path the file
   * @param text what to write
   * @param options how to open the file, as {@link Files#write(Path, byte[], OpenOption...)} takes them
   * @return a coroutine that completes once everything is written
   * @throws java.io.UncheckedIOException when awaited, if the file cannot be written
   */
  public static Coroutine<Void> writeString(Path path, CharSequence text, OpenOption... options) {
    check(path);
    check(text, "text");
    return new FileCall<>(
        new WholeFile<Void>(path, WholeFile.WRITE_STRING, text, null, options.clone()));
  }

  /**
   * Reads a whole file: {@link Files#readAllBytes(Path)}. Threading: any thread may call it; it runs
   * when awaited, on the awaiting task's loop.
   *
   * @param path the file
   * @return a coroutine of the file's bytes
   * @throws java.io.UncheckedIOException when awaited, if the file cannot be read (or is larger than
   *     an array can hold)
   */
  public static Coroutine<byte[]> readAllBytes(Path path) {
    check(path);
    return new FileCall<>(new WholeFile<byte[]>(path, WholeFile.READ_BYTES, null, null, null));
  }

  /**
   * Writes {@code bytes}: {@link Files#write(Path, byte[], OpenOption...)}; with no options, the file
   * is created or replaced. The array must not change until the await ends. Threading: any thread may
   * call it; it runs when awaited, on the awaiting task's loop.
   *
   * @param path the file
   * @param bytes what to write
   * @param options how to open the file
   * @return a coroutine that completes once everything is written
   * @throws java.io.UncheckedIOException when awaited, if the file cannot be written
   */
  public static Coroutine<Void> write(Path path, byte[] bytes, OpenOption... options) {
    check(path);
    check(bytes, "bytes");
    return new FileCall<>(new WholeFile<Void>(path, WholeFile.WRITE_BYTES, bytes, null,
        options.clone()));
  }

  /**
   * The lines of a UTF-8 file, streamed: each iteration ({@link AsyncIterable#asyncIterator()}) reads
   * the file from its start in chunks of {@value Lines#CHUNK} bytes, so a file of any size, larger
   * than the heap too, is read with a bounded buffer (plus the longest line). Lines end as {@link
   * java.io.BufferedReader#readLine()} ends them: at {@code \n}, {@code \r\n} or {@code \r}, which are
   * not part of the line; a last line without a terminator is a line; an empty file has none.
   * Characters are decoded across chunk boundaries; malformed UTF-8 fails the iteration with an
   * {@link java.io.UncheckedIOException}.
   *
   * <p>Each iterator opens the file for each chunk it reads and closes it before handing the chunk's
   * lines over: an iteration left early (a {@code break}, an exception, a cancellation) leaves no file
   * open. A file that changes during an iteration is read at the positions reached so far. {@code
   * hasNext()} of a line already read allocates nothing. If the task awaiting {@code hasNext()} is
   * cancelled, the chunk being read is kept: the next {@code hasNext()} waits for it, so no line is
   * skipped; a read failure is thrown by every later {@code hasNext()}.
   *
   * <p>Threading: any thread may call it and {@code asyncIterator()}; an iterator's methods belong to
   * the loop of the task that iterates it.
   *
   * @param path the file
   * @return the lines, for an {@code @Async} for loop
   */
  public static AsyncIterable<String> lines(Path path) {
    return lines(path, StandardCharsets.UTF_8);
  }

  /**
   * As {@link #lines(Path)}, in {@code charset}. Threading: as {@link #lines(Path)}.
   *
   * @param path the file
   * @param charset its charset
   * @return the lines, for an {@code @Async} for loop
   */
  public static AsyncIterable<String> lines(Path path, Charset charset) {
    check(path);
    check(charset, "charset");
    return new Lines(path, charset, Lines.CHUNK);
  }

  /**
   * Opens a file for positional reads and writes: {@link FileChannel#open(Path, OpenOption...)}, with
   * the same options ({@code READ} if none are given). If the task awaiting the open is cancelled, a
   * channel it opened is closed. Threading: any thread may call it; it runs when awaited, on the
   * awaiting task's loop.
   *
   * @param path the file
   * @param options how to open it
   * @return a coroutine of the open file, to be closed with {@link AsyncFile#closeAsync()}
   * @throws java.io.UncheckedIOException when awaited, if the file cannot be opened
   */
  public static Coroutine<AsyncFile> open(Path path, OpenOption... options) {
    check(path);
    return new FileCall<>(new WholeFile<AsyncFile>(path, WholeFile.OPEN, null, null,
        options.clone()));
  }

  private static void check(Path path) {
    check(path, "path");
  }

  private static void check(Object o, String what) {
    if (o == null) {
      throw new NullPointerException(what);
    }
  }

  /** One whole-file operation; its kind says which. */
  private static final class WholeFile<T> extends FileJob<T> {
    static final int READ_STRING = 0;
    static final int READ_BYTES = 1;
    static final int WRITE_STRING = 2;
    static final int WRITE_BYTES = 3;
    static final int OPEN = 4;

    private static final String[] WHAT = {"readString", "readAllBytes", "writeString", "write", "open"};

    private final int kind;
    private final Object data;
    private final Charset charset;
    private final OpenOption[] options;

    WholeFile(Path path, int kind, Object data, Charset charset, OpenOption[] options) {
      super(path);
      this.kind = kind;
      this.data = data;
      this.charset = charset;
      this.options = options;
    }

    @Override
    String what() {
      return WHAT[kind];
    }

    @Override
    boolean changesFile() {
      return kind == WRITE_STRING || kind == WRITE_BYTES;
    }

    @Override
    @SuppressWarnings("unchecked")
    T work() throws IOException {
      switch (kind) {
        case READ_STRING:
          return (T) Files.readString(path, charset);
        case READ_BYTES:
          return (T) Files.readAllBytes(path);
        case WRITE_STRING:
          Files.writeString(path, (CharSequence) data, options);
          return null;
        case WRITE_BYTES:
          Files.write(path, (byte[]) data, options);
          return null;
        case OPEN:
          Set<OpenOption> set = new HashSet<>(options.length + 1);
          for (OpenOption o : options) {
            set.add(o);
          }
          if (set.isEmpty()) {
            set.add(StandardOpenOption.READ);
          }
          return (T) new AsyncFile(FileChannel.open(path, set), path);
        default:
          throw new AssertionError(kind);
      }
    }

    /** An open that ended after its await was cancelled: nobody will close the file, so close it. */
    @Override
    void lateResult(T value) {
      if (value instanceof AsyncFile f) {
        f.startClose();
      }
    }

    /** The open completed, but the cancelled await never received the file: close it. */
    @Override
    void abandoned() {
      if (kind == OPEN && isDone() && !isCancelled() && !isCompletedExceptionally()) {
        ((AsyncFile) getNow(null)).startClose();
      }
    }
  }
}
