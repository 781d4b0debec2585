package io.awaitj.io;

import io.awaitj.AsyncCloseable;
import io.awaitj.Coroutine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open file, read and written at explicit positions: aiofiles' file object over a {@link
 * FileChannel}. Made by {@link AsyncFiles#open}; close it with {@code await(file.closeAsync())}, or
 * declare it in a {@code try}-with-resources of an {@code @Async} method, which does.
 *
 * <p>Every operation returns a lazy coroutine: nothing happens until it is awaited; then the blocking
 * {@code FileChannel} call runs on awaitj's file threads (a bounded pool shared by all loops, see
 * {@link AsyncFiles}), never on the loop's thread, and the awaiting task resumes on its loop. A
 * virtual clock stands still while an operation runs. Operations awaited by different tasks at the
 * same time run concurrently, in no particular order: positional I/O needs none, but two overlapping
 * writes awaited together leave either one's bytes.
 *
 * <h2>Cancellation</h2>
 *
 * When the task awaiting an operation is cancelled, the await ends at once with a {@link
 * io.awaitj.CancelledError}, and the operation either had not started, and does nothing at all, or
 * was already running and runs to its end on its thread, its result dropped. So a cancelled {@link
 * #write(long, byte[])} has written either nothing or all its bytes (unless it fails, as any write may:
 * a failure after the cancellation is reported to the loop's {@linkplain
 * io.awaitj.EventLoop#callExceptionHandler exception handler}, never lost silently); a cancelled read
 * may still fill its buffer. The file stays open and usable after a cancelled operation. {@link
 * #closeAsync()} waits for every operation still running, so the channel is never closed under one,
 * and once the close is awaited no cancelled operation touches the file or its buffers any more.
 *
 * <p>Failures are unchecked: an {@link java.io.IOException} is thrown as an {@link
 * java.io.UncheckedIOException} whose message names the file; an operation on a closed file throws
 * {@link IllegalStateException}.
 *
 * <p>Threading: any thread may call the methods, which only make coroutines (and check that the file
 * is open); the coroutines run on the loop of the task that awaits them.
 */
public final class AsyncFile implements AsyncCloseable {
  /** The bit of {@link #ops} set once a close has begun; the rest counts operations under way. */
  private static final int CLOSED = 1 << 30;

  private final FileChannel channel;
  private final Path path;

  /** {@link #CLOSED}, plus the operations submitted and not finished on their thread. Any thread. */
  private final AtomicInteger ops = new AtomicInteger();

  /** Completed when the channel is closed (or failed to close). */
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  AsyncFile(FileChannel channel, Path path) {
    this.channel = channel;
    this.path = path;
  }

  /**
   * The path the file was opened with. Threading: any thread.
   *
   * @return the path
   */
  public Path path() {
    return path;
  }

  /**
   * Whether no close has begun. Threading: any thread; from another thread than the loop's, a
   * snapshot.
   *
   * @return {@code true} until {@link #closeAsync()} is first awaited
   */
  public boolean isOpen() {
    return (ops.get() & CLOSED) == 0;
  }

  /**
   * Reads up to {@code max} bytes starting at {@code position}: as many as there are before the end
   * of the file, up to {@code max}, in an array of exactly that length; an empty array at or past the
   * end. Threading: any thread may call it; it runs when awaited, on the awaiting task's loop.
   *
   * @param position where to start, {@code >= 0}
   * @param max the most bytes to read, {@code >= 0}
   * @return a coroutine of the bytes read
   * @throws IllegalArgumentException if {@code position} or {@code max} is negative
   * @throws IllegalStateException if the file is closed (also when awaited)
   */
  public Coroutine<byte[]> read(long position, int max) {
    checkPosition(position);
    if (max < 0) {
      throw new IllegalArgumentException("max < 0: " + max);
    }
    return call(new Op<>(this, Op.READ_ARRAY, position, max, null, "read"));
  }

  /**
   * Reads bytes starting at {@code position} into {@code dst}, from its position up to its limit,
   * with one {@link FileChannel#read(ByteBuffer, long)}: the count read, which may be fewer than
   * {@code dst} has room for, or {@code -1} at or past the end of the file. Until the await ends,
   * the buffer belongs to the file's thread; if the awaiting task is cancelled, until {@link
   * #closeAsync()} has been awaited. Threading: any thread may call it; it runs when awaited, on the
   * awaiting task's loop.
   *
   * @param dst the buffer to fill
   * @param position where to start, {@code >= 0}
   * @return a coroutine of the number of bytes read, or {@code -1} at the end
   * @throws IllegalArgumentException if {@code position} is negative or {@code dst} read-only
   * @throws IllegalStateException if the file is closed (also when awaited)
   */
  public Coroutine<Integer> read(ByteBuffer dst, long position) {
    checkPosition(position);
    if (dst.isReadOnly()) {
      throw new IllegalArgumentException("read into a read-only buffer");
    }
    return call(new Op<>(this, Op.READ_BUFFER, position, 0, dst, "read"));
  }

  /**
   * Writes all of {@code bytes} at {@code position}, extending the file if needed. The array must not
   * change until the await ends. Threading: any thread may call it; it runs when awaited, on the
   * awaiting task's loop.
   *
   * @param position where to write, {@code >= 0}
   * @param bytes what to write
   * @return a coroutine that completes once every byte is written (to the OS: see {@link #force})
   * @throws IllegalArgumentException if {@code position} is negative
   * @throws IllegalStateException if the file is closed (also when awaited)
   */
  public Coroutine<Void> write(long position, byte[] bytes) {
    return write(ByteBuffer.wrap(bytes), position);
  }

  /**
   * Writes all of {@code src}, from its position up to its limit, at {@code position}; the buffer's
   * position ends at its limit. Until the await ends the buffer belongs to the file's thread; if the
   * awaiting task is cancelled, until {@link #closeAsync()} has been awaited. Threading: any thread
   * may call it; it runs when awaited, on the awaiting task's loop.
   *
   * @param src what to write
   * @param position where to write, {@code >= 0}
   * @return a coroutine that completes once every byte is written (to the OS: see {@link #force})
   * @throws IllegalArgumentException if {@code position} is negative
   * @throws IllegalStateException if the file is closed (also when awaited)
   */
  public Coroutine<Void> write(ByteBuffer src, long position) {
    checkPosition(position);
    return call(new Op<>(this, Op.WRITE, position, 0, src, "write"));
  }

  /**
   * The file's current size in bytes. Threading: any thread may call it; it runs when awaited, on the
   * awaiting task's loop.
   *
   * @return a coroutine of the size
   * @throws IllegalStateException if the file is closed (also when awaited)
   */
  public Coroutine<Long> size() {
    return call(new Op<>(this, Op.SIZE, 0, 0, null, "size"));
  }

  /**
   * Truncates the file to {@code size} bytes; a file already that small or smaller is left as it is.
   * Threading: any thread may call it; it runs when awaited, on the awaiting task's loop.
   *
   * @param size the new size, {@code >= 0}
   * @return a coroutine that completes when the file is truncated
   * @throws IllegalArgumentException if {@code size} is negative
   * @throws IllegalStateException if the file is closed (also when awaited)
   */
  public Coroutine<Void> truncate(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size < 0: " + size);
    }
    return call(new Op<>(this, Op.TRUNCATE, size, 0, null, "truncate"));
  }

  /**
   * Forces what was written to the storage device: {@link FileChannel#force(boolean)}. Threading:
   * any thread may call it; it runs when awaited, on the awaiting task's loop.
   *
   * @param metaData whether to force the file's metadata too
   * @return a coroutine that completes when the data is on the device
   * @throws IllegalStateException if the file is closed (also when awaited)
   */
  public Coroutine<Void> force(boolean metaData) {
    return call(new Op<>(this, Op.FORCE, 0, metaData ? 1 : 0, null, "force"));
  }

  /**
   * Closes the file: once every operation under way has finished (including those whose awaiting
   * task was cancelled), closes the channel. Closing again is allowed: a later close waits for the
   * same close and does nothing else. If the task awaiting the close is cancelled, the close still
   * happens. Threading: any thread may call it; it runs when awaited, on the awaiting task's loop;
   * the channel is closed on a file thread.
   *
   * @return a coroutine that completes when the channel is closed
   */
  @Override
  public Coroutine<Void> closeAsync() {
    return new Close(this);
  }

  @Override
  public String toString() {
    return "AsyncFile[" + path + (isOpen() ? "]" : ", closed]");
  }

  // ---------------------------------------------------------------------------------------------

  private static void checkPosition(long position) {
    if (position < 0) {
      throw new IllegalArgumentException("position < 0: " + position);
    }
  }

  private <T> Coroutine<T> call(Op<T> op) {
    if (!isOpen()) {
      throw Errors.closed(path, op.what());
    }
    return new FileCall<>(op);
  }

  /** An operation begins (loop's thread); throws if a close has begun. */
  void opBegin(String what) {
    while (true) {
      int s = ops.get();
      if ((s & CLOSED) != 0) {
        throw Errors.closed(path, what);
      }
      if (ops.compareAndSet(s, s + 1)) {
        return;
      }
    }
  }

  /** An operation is over, on its thread: the last one after a close has begun closes the channel. */
  void opEnd() {
    if (ops.decrementAndGet() == CLOSED) {
      closeChannel();
    }
  }

  /**
   * Begins the close if none has begun: at once on a file thread if no operation is under way,
   * otherwise when the last one ends. Any thread.
   */
  void startClose() {
    while (true) {
      int s = ops.get();
      if ((s & CLOSED) != 0) {
        return;
      }
      if (ops.compareAndSet(s, s | CLOSED)) {
        if (s == 0) {
          FileWorkers.execute(this::closeChannel);
        }
        return;
      }
    }
  }

  private void closeChannel() {
    try {
      channel.close();
      closed.complete(null);
    } catch (IOException e) {
      closed.completeExceptionally(Errors.wrap(e, path, "close"));
    } catch (RuntimeException | Error e) {
      closed.completeExceptionally(e);
    }
  }

  /** {@link #closeAsync()}: begins the close, and waits for it on a copy of {@link #closed}. */
  private static final class Close extends Coroutine<Void> {
    private final AsyncFile file;

    Close(AsyncFile file) {
      this.file = file;
    }

    @Override
    @SuppressWarnings("fallthrough") // the suspension point falls through to its resume label
    protected Object step() {
      switch (state) {
        case 0:
          file.startClose();
          state = 1;
          // A copy: cancelling this await must not cancel the close, which other closes may await.
          if (suspendOn(loop().wrapWork(file.closed.copy()))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          return awaitResult();
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "closeAsync() of " + file;
    }
  }

  /** One operation on the channel; its kind says which. */
  private static final class Op<T> extends FileJob<T> {
    static final int READ_ARRAY = 0;
    static final int READ_BUFFER = 1;
    static final int WRITE = 2;
    static final int SIZE = 3;
    static final int TRUNCATE = 4;
    static final int FORCE = 5;

    private final AsyncFile file;
    private final int kind;
    private final long position;
    private final int count;
    private final ByteBuffer buffer;
    private final String what;

    Op(AsyncFile file, int kind, long position, int count, ByteBuffer buffer, String what) {
      super(file.path);
      this.file = file;
      this.kind = kind;
      this.position = position;
      this.count = count;
      this.buffer = buffer;
      this.what = what;
    }

    @Override
    String what() {
      return what;
    }

    @Override
    boolean changesFile() {
      return kind == WRITE || kind == TRUNCATE || kind == FORCE;
    }

    @Override
    void begin() {
      file.opBegin(what);
    }

    @Override
    void finished() {
      file.opEnd();
    }

    @Override
    @SuppressWarnings("unchecked")
    T work() throws IOException {
      FileChannel ch = file.channel;
      switch (kind) {
        case READ_ARRAY:
          return (T) readArray(ch);
        case READ_BUFFER:
          return (T) Integer.valueOf(ch.read(buffer, position));
        case WRITE:
          long p = position;
          while (buffer.hasRemaining()) {
            p += ch.write(buffer, p);
          }
          return null;
        case SIZE:
          return (T) Long.valueOf(ch.size());
        case TRUNCATE:
          ch.truncate(position);
          return null;
        case FORCE:
          ch.force(count != 0);
          return null;
        default:
          throw new AssertionError(kind);
      }
    }

    private byte[] readArray(FileChannel ch) throws IOException {
      long left = ch.size() - position;
      if (left <= 0 || count == 0) {
        return EMPTY;
      }
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, left));
      long p = position;
      while (b.hasRemaining()) {
        int n = ch.read(b, p);
        if (n < 0) {
          break; // the file shrank meanwhile
        }
        p += n;
      }
      byte[] a = b.array();
      return b.position() == a.length ? a : Arrays.copyOf(a, b.position());
    }
  }

  private static final byte[] EMPTY = new byte[0];
}
