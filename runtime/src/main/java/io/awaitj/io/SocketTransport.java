package io.awaitj.io;

import io.awaitj.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A {@link Transport} over a non-blocking {@link SocketChannel} (TCP or Unix domain) watched by the
 * loop's selector: asyncio's {@code _SelectorSocketTransport}.
 *
 * <p>Memory: an idle connection holds this object, its channel and its selection key; no buffer. Reads
 * go through one buffer per loop thread ({@link #READ_BUFFER}), which the protocol copies from, so a
 * thousand idle connections do not hold a thousand read buffers.
 *
 * <p>Reads straight into a waiting {@code read(byte[])}: when the channel becomes readable while the
 * {@link StreamReader} of a plain stream connection has a {@code read(byte[])} waiting and nothing
 * buffered, the transport does not read: it wakes that read ({@link StreamReader#socketReadable()}),
 * which reads the socket itself when its task runs ({@link #readInto}), into the caller's array through
 * the thread's read buffer. The bytes are copied once in user space instead of twice (into the reader's
 * buffer, then into the caller's array), the reader's buffer is never touched (with a thousand busy
 * connections, a thousand 64 KiB buffers: memory the copies found cold), and a read cancelled after
 * the wake-up leaves the bytes in the socket, so that nothing is consumed and the caller's array is not
 * written. Writes go straight to the channel;
 * only what it does not take is copied, into {@link #pending} (a small write into the last waiting
 * buffer, if it has room: {@link #COALESCE}), and sent with gathering writes of at most {@link
 * #MAX_GATHER} buffers when the channel is writable again.
 *
 * <p>Threading: the loop's thread.
 */
final class SocketTransport implements Transport {
  /** The size of a read: asyncio's {@code max_size}. */
  static final int READ_SIZE = 64 * 1024;

  /** The read buffer of the loop running on this thread: one callback runs at a time. */
  private static final ThreadLocal<ByteBuffer> READ_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(READ_SIZE));

  static final int DEFAULT_HIGH_WATER = 64 * 1024;

  /**
   * A write of fewer bytes than this that has to wait joins the last waiting buffer, which is made
   * this large: a writer of many small pieces (one that does not await {@code drain()}) leaves a few
   * buffers, not one per piece, for the gathering write to walk at each writable event.
   */
  static final int COALESCE = 4096;

  /** The most buffers one gathering write hands the channel: Linux's {@code IOV_MAX}. */
  static final int MAX_GATHER = 1024;

  private final EventLoop loop;
  private final SocketChannel channel;
  private final Protocol protocol;

  /** The reader callback, made once. */
  private final Runnable onReadable = this::readReady;

  /** The writer callback, made at the first write the socket does not take whole. */
  private Runnable onWritable;

  /** Bytes written and not yet sent, oldest first; {@code null} while none are. */
  private ArrayDeque<ByteBuffer> pending;
  private int pendingBytes;
  private ByteBuffer[] gather;

  private int highWater = DEFAULT_HIGH_WATER;
  private int lowWater = DEFAULT_HIGH_WATER / 4;
  private boolean writingPaused;

  private boolean reading;
  private boolean readPaused;
  private boolean eofWritten;
  private boolean eofPending;
  private boolean closing;
  private boolean lost;
  private final SocketAddress remote;
  private final SocketAddress local;

  /**
   * The reader of a plain stream connection, which a waiting {@code read(byte[])} may read the socket
   * for (see the class comment); {@code null} for other protocols (TLS reads records, not the stream).
   */
  private final StreamReader direct;

  /**
   * The reader read the socket since the last readiness callback: the callback the selector queued
   * in the same pass (before that read drained the socket) leaves the socket alone, instead of a read
   * that would find nothing. If it was not queued, the next report is skipped once and the
   * level-triggered selector reports the channel again on the pass after.
   */
  private boolean readByReader;

  /**
   * Starts the transport on a connected channel, which it puts in non-blocking mode: calls {@link
   * Protocol#connectionMade} now and watches the channel for reading.
   */
  SocketTransport(EventLoop loop, SocketChannel channel, Protocol protocol) throws IOException {
    this.loop = loop;
    this.channel = channel;
    this.protocol = protocol;
    channel.configureBlocking(false);
    this.remote = channel.getRemoteAddress();
    this.local = channel.getLocalAddress();
    this.direct = protocol instanceof StreamProtocol sp ? sp.reader : null;
    reading = true; // so that a pauseReading() inside connectionMade is honoured, as in asyncio
    protocol.connectionMade(this);
    if (!closing && !readPaused) {
      loop.addReader(channel, onReadable);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading.

  private void readReady() {
    if (closing || !reading) {
      return;
    }
    if (direct != null) {
      if (readByReader) {
        readByReader = false;
        return;
      }
      if (direct.socketReadable()) {
        return; // a waiting read(byte[]) reads the socket itself
      }
    }
    ByteBuffer buf = READ_BUFFER.get();
    buf.clear();
    int n;
    try {
      n = channel.read(buf);
    } catch (IOException e) {
      fatal(e);
      return;
    }
    if (n > 0) {
      buf.flip();
      protocol.dataReceived(buf);
    } else if (n < 0) {
      endOfStream();
    }
  }

  /** The peer ended its side: the protocol decides whether this side stays open for writing. */
  private void endOfStream() {
    reading = false;
    loop.removeReader(channel);
    if (!protocol.eofReceived()) {
      close();
    } else if (eofWritten) {
      // Both sides are done: nothing more can happen on this connection.
      close();
    }
  }

  /**
   * Reads up to {@code max} bytes from the socket into {@code dst}, for the reader's waiting {@code
   * read(byte[])} that {@link StreamReader#socketReadable()} woke (see the class comment): the count;
   * 0 if nothing was there or the transport is not reading (paused, closing, failed: an error is
   * reported as a read's would be, through {@code connectionLost}); -1 at the end of the stream, which
   * the protocol was told of ({@code eofReceived}), as a readiness callback would have.
   */
  int readInto(byte[] dst, int max) {
    if (closing || !reading || readPaused) {
      return 0;
    }
    ByteBuffer buf = READ_BUFFER.get();
    buf.clear();
    if (max < buf.capacity()) {
      buf.limit(max);
    }
    int n;
    try {
      n = channel.read(buf);
    } catch (IOException e) {
      fatal(e);
      return 0;
    }
    if (n > 0) {
      readByReader = true;
      buf.flip();
      buf.get(dst, 0, n);
      return n;
    }
    if (n < 0) {
      endOfStream();
      return -1;
    }
    return 0;
  }

  @Override
  public void pauseReading() {
    if (reading && !readPaused) {
      readPaused = true;
      loop.removeReader(channel);
    }
  }

  @Override
  public void resumeReading() {
    if (readPaused) {
      readPaused = false;
      if (reading && !closing) {
        loop.addReader(channel, onReadable);
      }
    }
  }

  @Override
  public boolean isReading() {
    return reading && !readPaused && !closing;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing.

  @Override
  public void write(ByteBuffer data) {
    if (eofWritten || eofPending) {
      throw new IllegalStateException("cannot write after writeEof(): the write side is closed");
    }
    if (closing) {
      // asyncio ignores writes to a closing transport (and logs after a few); nothing can send them.
      data.position(data.limit());
      return;
    }
    if (!data.hasRemaining()) {
      return;
    }
    if (pending == null) {
      try {
        channel.write(data);
      } catch (IOException e) {
        fatal(e);
        return;
      }
      if (!data.hasRemaining()) {
        return;
      }
      pending = new ArrayDeque<>();
      Runnable w = onWritable;
      if (w == null) {
        w = this::writeReady;
        onWritable = w;
      }
      loop.addWriter(channel, w);
    }
    int n = data.remaining();
    ByteBuffer last = pending.peekLast();
    if (n < COALESCE && last != null && last.capacity() - last.limit() >= n) {
      int at = last.limit();
      last.limit(at + n);
      last.put(at, data, data.position(), n);
      data.position(data.limit());
    } else {
      ByteBuffer copy = ByteBuffer.allocate(n < COALESCE ? COALESCE : n);
      copy.put(data).flip();
      pending.addLast(copy);
    }
    pendingBytes += n;
    maybePauseWriting();
  }

  /** How many buffers hold the bytes waiting to be sent: for tests. */
  int pendingBuffers() {
    return pending == null ? 0 : pending.size();
  }

  private void writeReady() {
    if (lost || pending == null) {
      return;
    }
    int n = Math.min(pending.size(), MAX_GATHER);
    if (gather == null || gather.length < n) {
      gather = new ByteBuffer[Math.max(n, 8)];
    }
    int g = 0;
    for (ByteBuffer b : pending) {
      if (g == n) {
        break;
      }
      gather[g++] = b;
    }
    long written;
    try {
      written = channel.write(gather, 0, n);
    } catch (IOException e) {
      java.util.Arrays.fill(gather, null);
      fatal(e);
      return;
    }
    java.util.Arrays.fill(gather, 0, n, null);
    pendingBytes -= (int) written;
    while (!pending.isEmpty() && !pending.peekFirst().hasRemaining()) {
      pending.pollFirst();
    }
    if (pending.isEmpty()) {
      pending = null;
      loop.removeWriter(channel);
      if (writingPaused) {
        writingPaused = false;
        protocol.resumeWriting();
      }
      if (eofPending) {
        eofPending = false;
        shutdownOutput();
      }
      if (closing) {
        finishClose(null);
      }
    } else if (writingPaused && pendingBytes <= lowWater) {
      writingPaused = false;
      protocol.resumeWriting();
    }
  }

  private void maybePauseWriting() {
    if (!writingPaused && pendingBytes > highWater) {
      writingPaused = true;
      protocol.pauseWriting();
    }
  }

  @Override
  public void writeEof() {
    if (closing || eofWritten || eofPending) {
      return;
    }
    if (pending == null) {
      shutdownOutput();
    } else {
      eofPending = true;
    }
  }

  private void shutdownOutput() {
    eofWritten = true;
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      fatal(e);
      return;
    }
    if (!reading && !readPaused) {
      // The peer ended its side already.
      close();
    }
  }

  @Override
  public boolean canWriteEof() {
    return true;
  }

  @Override
  public int writeBufferSize() {
    return pendingBytes;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    if (low < 0 || high < low) {
      throw new IllegalArgumentException(
          "write buffer limits need 0 <= low <= high: high " + high + ", low " + low);
    }
    highWater = high;
    lowWater = low;
    maybePauseWriting();
  }

  // ---------------------------------------------------------------------------------------------
  // Closing.

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    stopReading();
    if (pending == null) {
      finishClose(null);
    }
  }

  @Override
  public void abort() {
    if (lost) {
      return;
    }
    closing = true;
    stopReading();
    finishClose(null);
  }

  /** An I/O error: the connection is over, the protocol learns why. */
  private void fatal(IOException e) {
    if (lost) {
      return;
    }
    closing = true;
    stopReading();
    finishClose(e);
  }

  private void stopReading() {
    if (reading && !readPaused) {
      loop.removeReader(channel);
    }
    reading = false;
  }

  /** Unwatches and closes the channel, then tells the protocol (on the next pass, as asyncio does). */
  private void finishClose(Throwable cause) {
    if (lost) {
      return;
    }
    lost = true;
    loop.removeReader(channel);
    loop.removeWriter(channel);
    pending = null;
    pendingBytes = 0;
    try {
      channel.close();
    } catch (IOException e) {
      if (cause == null) {
        cause = e;
      }
    }
    Throwable c = cause;
    loop.callSoon(() -> protocol.connectionLost(c));
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public SocketAddress localAddress() {
    return local;
  }

  @Override
  public String toString() {
    return "SocketTransport[" + local + " -> " + remote + (closing ? ", closing" : "")
        + (pendingBytes > 0 ? ", buffered " + pendingBytes : "") + "]";
  }
}
