package io.awaitj.io;

import io.awaitj.AsyncIterable;
import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The reading side of a connection: asyncio's {@code StreamReader}. Bytes that arrive are buffered
 * here; each read takes from the buffer, waiting for more when it needs to.
 *
 * <p>Every read is lazy (nothing happens until it is awaited) and consumes nothing until it can
 * complete: a read cancelled while it waits (a task cancelled, a {@code waitFor} or timeout scope that
 * expires) leaves every byte in the buffer and the reader usable. Bytes that arrived before the
 * connection failed are returned first; the failure is thrown by the read that would have to wait for
 * more. One task at a time may wait on a reader: a second read while one waits throws {@link
 * IllegalStateException}.
 *
 * <p>Flow control: when more than twice the limit is buffered the reader pauses its transport, which
 * stops reading from the socket (the peer's writes then back up: TCP's own back-pressure), and resumes
 * it once the buffer is back at the limit or a read waits for more.
 *
 * <p>{@link #read}, {@link #readLine()}, {@link #readExactly} and the lines' {@code hasNext()} return
 * one coroutine shared by their calls (a {@code Coroutine.Shared}, as {@code Queue.get()} does): a read
 * the buffer satisfies at once allocates nothing but what it returns; one that must wait makes a
 * coroutine of its own. In debug mode each call makes a new, single-use coroutine.
 *
 * <p>The reader is an {@link AsyncIterable} over its lines ({@link #readLine()}), for {@code async
 * for}: {@code for (String line : reader) { ... }} in an {@code @Async} method.
 *
 * <p>Threading: the loop's thread of its connection.
 */
public final class StreamReader implements AsyncIterable<String> {
  /** The default limit: asyncio's 64 KiB. */
  public static final int DEFAULT_LIMIT = 64 * 1024;

  /** What an attempt answers when the read must wait. */
  static final Object NOT_YET = new Object();

  private final EventLoop loop;
  private final int limit;
  private Transport transport;

  private byte[] buf = EMPTY;
  private int start;
  private int end;
  private static final byte[] EMPTY = new byte[0];

  private boolean eof;
  private Throwable exception;
  private boolean paused;

  /** The promise the waiting read suspends on; {@code null} while no read waits. */
  private Promise<Void> waiter;

  /** The kind of read waiting ({@code -1}: none) and its count. */
  private int waitingKind = -1;
  private int waitingN;

  /*
   * The shared coroutines of the reads (see Coroutine.Shared): a read that completes at once, the
   * common case when data streams in, allocates nothing but what it returns. One per read kind, made at
   * the first call and again when the count changes (a shared coroutine's arguments never change:
   * one made for read(10) and awaited later still reads 10).
   */
  private SharedReads.Now<String> sharedLine;
  private SharedReads.Now<byte[]> sharedRead;
  private SharedReads.Now<byte[]> sharedExactly;
  private SharedReads.Now<Integer> sharedInto;

  /**
   * Where the search of readUntil or readLine resumes: the bytes before it were searched for {@link
   * #searchedFor} ({@link #NEWLINE} for readLine; another separator searches from the start). So a
   * line or a part that comes in many small pieces is searched once, not again from its start at
   * each piece (which would make a line of n bytes sent a byte at a time cost n²/2 comparisons).
   */
  private int searched;
  private byte[] searchedFor;

  /** What readLine searches for, as {@link #searchedFor}. */
  private static final byte[] NEWLINE = {'\n'};

  /** See {@link #bytesSearched()}. */
  private long bytesSearched;

  /**
   * A reader fed by hand ({@link #feedData}, {@link #feedEof}), not yet attached to a transport:
   * asyncio's {@code StreamReader()}, for protocol authors and tests.
   *
   * <p>Threading: the loop's thread.
   *
   * @param limit the longest line or record {@link #readLine} and {@link #readUntil} accept, and the
   *     buffer size that flow control works around
   * @throws IllegalArgumentException if {@code limit <= 0}
   */
  public StreamReader(EventLoop loop, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("the limit must be positive: " + limit);
    }
    this.loop = loop;
    this.limit = limit;
  }

  /**
   * The socket of a plain connection, which a waiting {@code read(byte[])} reads itself (see {@link
   * #socketReadable()}); {@code null} for a reader fed by hand, TLS, pipes.
   */
  private SocketTransport socket;

  /**
   * The socket became readable while a {@code read(byte[])} waited with nothing buffered: the woken
   * read reads the socket when it resumes, and the transport leaves the socket alone until then.
   */
  private boolean socketReady;

  /** The transport to pause and resume; set when the connection is made. */
  void setTransport(Transport transport) {
    this.transport = transport;
    this.socket = transport instanceof SocketTransport st ? st : null;
  }

  /**
   * The socket is readable (the transport asks before it reads): if a {@code read(byte[])} waits with
   * nothing buffered, wakes it to read the socket itself, straight into its caller's array, and answers
   * {@code true}: the transport does not read. Also {@code true} while a read so woken has yet to run.
   * A read cancelled once woken reads nothing: the bytes stay in the socket, for the next read.
   */
  boolean socketReadable() {
    if (socketReady) {
      return true;
    }
    Promise<Void> w = waiter;
    if (waitingKind != INTO || w == null || w.isDone() || start != end || eof || exception != null) {
      return false;
    }
    socketReady = true;
    w.complete(null);
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Feeding, by the transport's protocol.

  /**
   * Appends the bytes between {@code data}'s position and limit to the buffer and wakes the waiting
   * read. Threading: the loop's thread.
   *
   * @throws IllegalStateException after {@link #feedEof()}
   */
  public void feedData(ByteBuffer data) {
    if (eof) {
      throw new IllegalStateException("feedData after feedEof");
    }
    int n = data.remaining();
    if (n == 0) {
      return;
    }
    if (start == end && waitingKind == READ && waitingN >= n) {
      // A read(max) waits for what this is: an array of exactly these bytes, which the read then
      // takes as its result without copying it again (see take).
      buf = new byte[n];
      start = 0;
      end = 0;
      searched = 0;
    } else if (end + n > buf.length) {
      makeRoom(n);
    }
    data.get(buf, end, n);
    end += n;
    wake();
    if (!paused && transport != null && end - start > 2 * limit) {
      paused = true;
      transport.pauseReading();
    }
  }

  private void makeRoom(int n) {
    int size = end - start;
    if (size + n <= buf.length && start >= buf.length / 2) {
      System.arraycopy(buf, start, buf, 0, size);
    } else {
      int capacity = Math.max(size + n, Math.max(1024, buf.length * 2));
      byte[] b = new byte[capacity];
      System.arraycopy(buf, start, b, 0, size);
      buf = b;
    }
    searched -= start;
    start = 0;
    end = size;
  }

  /** The stream ended: reads return what is buffered, then the end. Threading: the loop's thread. */
  public void feedEof() {
    eof = true;
    wake();
  }

  /**
   * The connection failed: reads return what is buffered, then throw {@code cause}. Threading: the
   * loop's thread.
   */
  public void setException(Throwable cause) {
    exception = cause;
    wake();
  }

  /** The failure set by {@link #setException}, or {@code null}. Threading: the loop's thread. */
  public Throwable exception() {
    return exception;
  }

  private void wake() {
    Promise<Void> w = waiter;
    if (w != null && !w.isDone()) {
      w.complete(null);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading.

  /**
   * Reads up to {@code max} bytes, waiting until at least one is there; an empty array at the end of
   * the stream. {@code max} below zero reads until the end of the stream. Threading: the loop's thread.
   *
   * @throws UncheckedIOException (when awaited) if the connection failed and nothing is buffered
   */
  public Coroutine<byte[]> read(int max) {
    SharedReads.Now<byte[]> r = sharedRead;
    if (r == null || r.n != max) {
      r = new SharedReads.Now<>(this, Op.READ, max, null);
      sharedRead = r;
    }
    return r.call();
  }

  /**
   * Reads up to {@code buffer.length} bytes into {@code buffer}, waiting until at least one is there
   * (as {@link java.io.InputStream#read(byte[])} does): the count, or {@code -1} at the end of the
   * stream. A loop that reads into one buffer allocates nothing per read but the count's box (the
   * coroutine is shared while the same buffer is passed). The buffer is written only by the read that
   * completes; a cancelled read leaves it as it was. On a TCP or Unix connection without TLS, a read
   * that waits with nothing buffered takes the bytes straight from the socket into {@code buffer}
   * when it resumes, without passing them through the reader's own buffer. Threading: the loop's
   * thread.
   *
   * @throws UncheckedIOException (when awaited) if the connection failed and nothing is buffered
   * @throws IllegalArgumentException if {@code buffer} is empty
   */
  public Coroutine<Integer> read(byte[] buffer) {
    if (buffer.length == 0) {
      throw new IllegalArgumentException("read(byte[]) needs a buffer of at least one byte");
    }
    SharedReads.Now<Integer> r = sharedInto;
    if (r == null || r.n != buffer.length || r.sep() != buffer) {
      r = new SharedReads.Now<>(this, INTO, buffer.length, buffer);
      sharedInto = r;
    }
    return r.call();
  }

  /**
   * Reads one line, decoded as UTF-8, without its terminator ({@code \n} or {@code \r\n}); the last
   * line may have none. {@code null} at the end of the stream, as {@link java.io.BufferedReader} does.
   * Threading: the loop's thread.
   *
   * @throws LimitOverrunException (when awaited) if the line is longer than the limit; the line is
   *     dropped
   */
  public Coroutine<String> readLine() {
    SharedReads.Now<String> r = sharedLine;
    if (r == null) {
      r = new SharedReads.Now<>(this, Op.LINE, 0, null);
      sharedLine = r;
    }
    return r.call();
  }

  /**
   * Reads exactly {@code n} bytes. Threading: the loop's thread.
   *
   * @throws IncompleteReadException (when awaited) if the stream ends first; it holds the bytes read
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public Coroutine<byte[]> readExactly(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("readExactly needs a count of 0 or more: " + n);
    }
    SharedReads.Now<byte[]> r = sharedExactly;
    if (r == null || r.n != n) {
      r = new SharedReads.Now<>(this, Op.EXACTLY, n, null);
      sharedExactly = r;
    }
    return r.call();
  }

  /**
   * Reads through the first {@code separator}, which the result ends with. Threading: the loop's
   * thread.
   *
   * @throws LimitOverrunException (when awaited) if more than the limit is buffered without the
   *     separator, or the record with it is longer than the limit; the bytes stay in the reader
   * @throws IncompleteReadException (when awaited) if the stream ends first; it holds the bytes read
   * @throws IllegalArgumentException if {@code separator} is empty
   */
  public Coroutine<byte[]> readUntil(byte[] separator) {
    if (separator.length == 0) {
      throw new IllegalArgumentException("readUntil needs a separator of at least one byte");
    }
    return new Op<>(Op.UNTIL, 0, separator.clone());
  }

  /**
   * Whether the stream ended and every byte was read. Threading: the loop's thread.
   */
  public boolean atEof() {
    return eof && start == end;
  }

  /** Whether {@link #feedEof()} was called. */
  boolean atEofFed() {
    return eof;
  }

  /** How many bytes are buffered. Threading: the loop's thread. */
  public int buffered() {
    return end - start;
  }

  /** The limit given at construction. Threading: any thread. */
  public int limit() {
    return limit;
  }

  /**
   * An iterator over the remaining lines, each as {@link #readLine()} reads it, for {@code async for}.
   * Threading: the loop's thread.
   */
  @Override
  public AsyncIterator<String> asyncIterator() {
    return new Lines();
  }

  /** One attempt of a read: its result, or {@link #NOT_YET} to wait for more. */
  Object attempt(int kind, int n, byte[] sep) {
    int size = end - start;
    switch (kind) {
      case Op.READ:
        if (n == 0) {
          return EMPTY;
        }
        if (n < 0) {
          if (!eof) {
            return NOT_YET;
          }
          return take(size);
        }
        if (size > 0) {
          return take(Math.min(n, size));
        }
        return eof ? EMPTY : NOT_YET;
      case INTO:
        if (size > 0) {
          int k = Math.min(n, size);
          System.arraycopy(buf, start, sep, 0, k);
          consume(k);
          return k;
        }
        return eof ? -1 : NOT_YET;
      case Op.LINE:
        return line();
      case Op.EXACTLY:
        if (size >= n) {
          return take(n);
        }
        if (eof) {
          throw new IncompleteReadException(take(size), n);
        }
        return NOT_YET;
      case Op.UNTIL:
        return until(sep);
      default:
        throw new AssertionError(kind);
    }
  }

  private Object line() {
    int nl = indexOf((byte) '\n', searchedFor == NEWLINE ? Math.max(start, searched) : start);
    if (nl >= 0) {
      searched = 0;
      int len = nl + 1 - start;
      if (len > limit) {
        consume(len);
        throw new LimitOverrunException(
            "a line of " + len + " bytes is longer than the reader's limit of " + limit
                + " bytes: raise the limit (ConnectionOptions.withLimit) or read with read(n)", len);
      }
      int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
      String s = new String(buf, start, lineEnd - start, StandardCharsets.UTF_8);
      consume(len);
      return s;
    }
    searched = end; // the next search need not look here again
    searchedFor = NEWLINE;
    int size = end - start;
    if (size > limit) {
      consume(size);
      throw new LimitOverrunException(
          "more than the reader's limit of " + limit + " bytes came without a line terminator:"
              + " the line is dropped; raise the limit (ConnectionOptions.withLimit) or read with"
              + " read(n)", size);
    }
    if (eof) {
      if (size == 0) {
        return null;
      }
      int lineEnd = buf[end - 1] == '\r' ? end - 1 : end;
      String s = new String(buf, start, lineEnd - start, StandardCharsets.UTF_8);
      consume(size);
      return s;
    }
    return NOT_YET;
  }

  private Object until(byte[] sep) {
    if (sep != searchedFor && !Arrays.equals(sep, searchedFor)) {
      searched = 0; // what was searched for another separator may hold this one
      searchedFor = sep;
    }
    int from = Math.max(start, searched);
    int at = indexOf(sep, from);
    if (at >= 0) {
      int len = at + sep.length - start;
      if (len > limit) {
        throw new LimitOverrunException(
            "the separator was found after " + len + " bytes, more than the reader's limit of "
                + limit + " bytes: the bytes stay in the reader", len);
      }
      searched = 0;
      return take(len);
    }
    // The next search need not look again where the separator cannot start.
    searched = Math.max(start, end - sep.length + 1);
    int size = end - start;
    if (size > limit) {
      throw new LimitOverrunException(
          size + " bytes came without the separator, more than the reader's limit of " + limit
              + " bytes: the bytes stay in the reader", size);
    }
    if (eof) {
      searched = 0;
      throw new IncompleteReadException(take(size), -1);
    }
    return NOT_YET;
  }

  private int indexOf(byte b, int from) {
    bytesSearched += end - from;
    byte[] a = buf;
    for (int i = from, e = end; i < e; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private int indexOf(byte[] sep, int from) {
    bytesSearched += end - from;
    byte first = sep[0];
    int last = end - sep.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < sep.length; j++) {
        if (buf[i + j] != sep[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private byte[] take(int n) {
    if (n > 0 && start == 0 && n == end && n == buf.length) {
      // Everything, in an array of exactly its size (feedData made it for a waiting read): hand it
      // over instead of copying it.
      byte[] out = buf;
      buf = EMPTY;
      consume(n);
      return out;
    }
    byte[] out = n == 0 ? EMPTY : Arrays.copyOfRange(buf, start, start + n);
    consume(n);
    return out;
  }

  /**
   * How many bytes the searches of readLine and readUntil have looked at, at most (each counts the
   * bytes from where it starts to the end of the buffer): for tests.
   */
  long bytesSearched() {
    return bytesSearched;
  }

  private void consume(int n) {
    start += n;
    if (start == end) {
      start = 0;
      end = 0;
      searched = 0;
      if (buf.length > 4 * limit) {
        buf = EMPTY; // a burst grew the buffer far past the limit: let it go
      }
    }
    if (paused && end - start <= limit) {
      paused = false;
      transport.resumeReading();
    }
  }

  /** Starts a wait for more data, from a read that could not complete. */
  private Promise<Void> beginWait(int kind, int n) {
    String what = READ_NAMES[kind] + "()";
    if (exception != null) {
      Throwable e = exception;
      if (e instanceof IOException io) {
        throw new UncheckedIOException(what + " failed: the connection failed: " + io.getMessage(), io);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(what + " failed: the connection failed", e);
    }
    if (waiter != null) {
      throw new IllegalStateException(
          what + " called while another task is waiting to read this stream: one reader at a time"
              + " (hand the data over with a Queue, or await the first read)");
    }
    // The waiter first: a transport that delivered data inside resumeReading() must find it.
    Promise<Void> w = loop.createPromise();
    waiter = w;
    waitingKind = kind;
    waitingN = n;
    if (paused) {
      paused = false;
      transport.resumeReading();
    }
    return w;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("StreamReader[");
    b.append(end - start).append(" bytes");
    if (eof) {
      b.append(", eof");
    }
    if (exception != null) {
      b.append(", exception=").append(exception);
    }
    if (waiter != null) {
      b.append(", waiting");
    }
    if (socketReady) {
      b.append(", socket readable");
    }
    if (paused) {
      b.append(", paused");
    }
    return b.append(']').toString();
  }

  /** A read: tries, and waits for more data until the attempt completes. */
  private void endWait() {
    waiter = null;
    waitingKind = -1;
  }

  /** A new waiting read, for {@link SharedReads.Now#fresh()}. */
  <T> Coroutine<T> newOp(int kind, int n, byte[] sep) {
    return new Op<>(kind, n, sep);
  }

  static final int READ = 0;
  static final int LINE = 1;
  static final int EXACTLY = 2;
  static final int UNTIL = 3;
  static final int INTO = 4;
  static final String[] READ_NAMES = {"read", "readLine", "readExactly", "readUntil", "read"};

  private final class Op<T> extends Coroutine<T> {
    static final int READ = StreamReader.READ;
    static final int LINE = StreamReader.LINE;
    static final int EXACTLY = StreamReader.EXACTLY;
    static final int UNTIL = StreamReader.UNTIL;
    private static final String[] NAMES = READ_NAMES;

    private final int kind;
    private final int n;
    private final byte[] sep;

    Op(int kind, int n, byte[] sep) {
      this.kind = kind;
      this.n = n;
      this.sep = sep;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          break;
        case 1:
          endWait();
          boolean fromSocket = socketReady;
          socketReady = false;
          awaitResult(); // throws the task's cancellation; nothing was consumed
          if (fromSocket && kind == INTO && start == end && socket != null) {
            // Woken by socketReadable(): straight from the socket into the caller's array.
            int k = socket.readInto(sep, n);
            if (k > 0) {
              return k;
            }
            // 0: nothing there after all, or not reading (wait again); -1: eof, which attempt sees
          }
          break;
        default:
          throw illegalState();
      }
      for (;;) {
        Object r = attempt(kind, n, sep);
        if (r != NOT_YET) {
          return r;
        }
        state = 1;
        if (suspendOn(beginWait(kind, n))) {
          return SUSPEND;
        }
        endWait();
      }
    }

    @Override
    public String toString() {
      return "StreamReader." + NAMES[kind] + "()";
    }
  }

  /** The lines, for {@code async for}. */
  final class Lines implements AsyncIterator<String> {
    private String next;
    private boolean has;

    /** The shared hasNext(): a line already buffered is taken without allocating. */
    private final SharedReads.HasNext sharedHasNext = new SharedReads.HasNext(this);

    /** For the shared hasNext(): takes a buffered line, or answers {@link #NOT_YET}. */
    Object tryNext() {
      Object r = line();
      if (r == NOT_YET) {
        return NOT_YET;
      }
      next = (String) r;
      has = r != null;
      return has ? Boolean.TRUE : Boolean.FALSE;
    }

    @Override
    public Coroutine<Boolean> hasNext() {
      return sharedHasNext.call();
    }

    Coroutine<Boolean> waitingHasNext() {
      return new Coroutine<Boolean>() {
        private Coroutine<String> read;

        @Override
        protected Object step() {
          switch (state) {
            case 0:
              read = readLine();
              state = 1;
              if (suspendOn(read)) {
                return SUSPEND;
              }
              // fall through
            case 1:
              String line = awaitResult();
              next = line;
              has = line != null;
              return has;
            default:
              throw illegalState();
          }
        }
      };
    }

    @Override
    public String next() {
      if (!has) {
        throw new NoSuchElementException("await hasNext() first; it answered false or was not called");
      }
      has = false;
      String s = next;
      next = null;
      return s;
    }
  }
}
