package io.awaitj.io;

import io.awaitj.AsyncIterable;
import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/** {@link AsyncFiles#lines}: the lines of a file, read a chunk at a time on the file threads. */
final class Lines implements AsyncIterable<String> {
  /** Bytes read per chunk. */
  static final int CHUNK = 64 * 1024;

  private final Path path;
  private final Charset charset;
  private final int chunk;

  /** {@code chunk}: bytes per read; tests pass small ones to put characters across many boundaries. */
  Lines(Path path, Charset charset, int chunk) {
    if (chunk < 16) {
      throw new IllegalArgumentException("chunk < 16: " + chunk);
    }
    this.path = path;
    this.charset = charset;
    this.chunk = chunk;
  }

  /**
   * A new iterator, which reads the file from its start. Threading: any thread; the iterator belongs
   * to the loop of the task that iterates it.
   */
  @Override
  public AsyncIterator<String> asyncIterator() {
    return new Reader(path, charset, chunk);
  }

  @Override
  public String toString() {
    return "AsyncFiles.lines(" + path + ")";
  }

  /**
   * The iterator. Its buffers are used by one {@link Chunk} job at a time, on a file thread, and by
   * the loop's thread only between jobs: the job's completion, seen through the loop's inbox, orders
   * the job's writes before the loop's reads, and the submission orders the loop's writes before the
   * next job.
   */
  static final class Reader implements AsyncIterator<String> {
    private final Path path;
    private final ByteBuffer bytes;
    private final CharBuffer chars;
    private final CharsetDecoder decoder;
    private final StringBuilder partial = new StringBuilder();
    /** The lines of the last chunk; reused from chunk to chunk. */
    private final ArrayList<String> lines = new ArrayList<>();
    private final Fetch.Now now = new Fetch.Now(this);

    /** The next line of {@link #lines} to hand out. */
    private int index;
    /** The file position of the next read. */
    private long position;
    /** The last chunk ended with {@code \r}: a {@code \n} starting the next one ends no line. */
    private boolean pendingCr;
    private boolean eof;
    /** A failure of a read, thrown by every {@code hasNext()} after it. */
    private RuntimeException failure;
    /** {@code hasNext()} answered {@code true} and {@link #next()} has not taken the line yet. */
    private boolean ready;
    /** The job reading a chunk, until an await of it has seen it done. Loop's thread only. */
    private Chunk inFlight;

    Reader(Path path, Charset charset, int chunk) {
      this.path = path;
      this.bytes = ByteBuffer.allocate(chunk);
      this.decoder =
          charset.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      this.chars = CharBuffer.allocate((int) Math.ceil(chunk * (double) decoder.maxCharsPerByte()));
    }

    /**
     * Waits for the next line, if it is not read yet. Threading: the loop of the task that iterates.
     */
    @Override
    public Coroutine<Boolean> hasNext() {
      return now.call();
    }

    /** The line {@link #hasNext()} made available. Threading: as {@link #hasNext()}. */
    @Override
    public String next() {
      if (!ready) {
        throw new NoSuchElementException(
            "next() without hasNext() answering true before, on the lines of " + path);
      }
      ready = false;
      String line = lines.get(index);
      lines.set(index++, null); // the line belongs to the caller now
      return line;
    }

    /** The answer of {@code hasNext()} if it is known without reading: TRUE, FALSE, or WAIT. */
    Object answer(Object wait) {
      if (inFlight != null) {
        return wait;
      }
      if (failure != null) {
        throw failure;
      }
      if (index < lines.size()) {
        ready = true;
        return Boolean.TRUE;
      }
      return eof ? Boolean.FALSE : wait;
    }

    /** Reads chunks until one gives lines, or the end. A file thread. */
    void fill() {
      lines.clear();
      index = 0;
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        while (lines.isEmpty() && !eof) {
          int n = ch.read(bytes, position);
          boolean end = n < 0;
          if (n > 0) {
            position += n;
          }
          bytes.flip();
          decode(end);
          bytes.compact();
          if (end) {
            eof = true;
            if (partial.length() > 0) {
              lines.add(partial.toString());
              partial.setLength(0);
            }
          }
        }
      } catch (CharacterCodingException e) {
        failure = Errors.wrap(e, path, "lines, at byte " + (position - bytes.remaining()));
      } catch (IOException e) {
        failure = Errors.wrap(e, path, "lines");
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    /** Decodes {@link #bytes} into {@link #chars} and splits them into lines. */
    private void decode(boolean end) throws CharacterCodingException {
      while (true) {
        CoderResult r = decoder.decode(bytes, chars, end);
        if (r.isError()) {
          r.throwException();
        }
        split();
        if (!r.isOverflow()) {
          break;
        }
      }
      if (end) {
        while (decoder.flush(chars).isOverflow()) {
          split();
        }
        split();
      }
    }

    /** Moves the lines ended in {@link #chars} to {@link #lines}, the rest to {@link #partial}. */
    private void split() {
      char[] a = chars.array();
      int end = chars.position();
      int start = 0;
      for (int i = 0; i < end; i++) {
        char c = a[i];
        if (c == '\n' || c == '\r') {
          if (c == '\n' && pendingCr && i == start && partial.length() == 0) {
            pendingCr = false; // the \n of a \r\n
            start = i + 1;
            continue;
          }
          pendingCr = c == '\r';
          if (partial.length() == 0) {
            lines.add(i == start ? "" : new String(a, start, i - start));
          } else {
            partial.append(a, start, i - start);
            lines.add(partial.toString());
            partial.setLength(0);
          }
          start = i + 1;
        } else {
          pendingCr = false;
        }
      }
      if (start < end) {
        pendingCr = false;
        partial.append(a, start, end - start);
      }
      chars.clear();
    }

    @Override
    public String toString() {
      return "iterator of AsyncFiles.lines(" + path + ")";
    }
  }

  /** Reads the next chunk of a {@link Reader}; completes normally, the reader holds any failure. */
  static final class Chunk extends CompletableFuture<Void> implements Runnable {
    private final Reader reader;

    Chunk(Reader reader) {
      this.reader = reader;
    }

    @Override
    public void run() {
      try {
        reader.fill();
      } finally {
        complete(null);
      }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  /**
   * {@code hasNext()} that must read: waits for the chunk in flight, or submits one, until the
   * answer is known. The await is of a copy of the chunk's future, so that a cancelled await leaves
   * the chunk to be read, and waited for by the next {@code hasNext()}.
   */
  static final class Fetch extends Coroutine<Boolean> {
    private final Reader reader;

    Fetch(Reader reader) {
      this.reader = reader;
    }

    @Override
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            Object r = reader.answer(SUSPEND);
            if (r != SUSPEND) {
              return r;
            }
            if (reader.inFlight == null) {
              reader.inFlight = new Chunk(reader);
              FileWorkers.execute(reader.inFlight);
            }
            state = 1;
            if (suspendOn(loop().wrapWork(reader.inFlight.copy()))) {
              return SUSPEND;
            }
            continue;
          case 1:
            awaitResult(); // throws CancelledError if the task was cancelled: the chunk stays in flight
            reader.inFlight = null;
            state = 0;
            continue;
          default:
            throw illegalState();
        }
      }
    }

    @Override
    public String toString() {
      return "hasNext() of " + reader;
    }

    /** {@code hasNext()}, shared: answers at once, allocating nothing, when a line is read already. */
    static final class Now extends Coroutine.Shared<Boolean> {
      private final Reader reader;

      Now(Reader reader) {
        this.reader = reader;
      }

      Coroutine<Boolean> call() {
        return forCall();
      }

      @Override
      protected Object now() {
        return reader.answer(WAIT);
      }

      @Override
      protected Coroutine<Boolean> fresh() {
        return new Fetch(reader);
      }

      @Override
      public String toString() {
        return "hasNext() of " + reader;
      }
    }
  }
}
