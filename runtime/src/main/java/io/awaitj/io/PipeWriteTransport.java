package io.awaitj.io;

import io.awaitj.EventLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The write side of a process's pipe (its stdin) as a write-only {@link Transport}: asyncio's {@code
 * _UnixWritePipeTransport}, over a JDK pipe, which blocks. {@link #write} copies the bytes into a
 * buffer and returns; a daemon thread, started by the first write, takes everything buffered at once
 * (it swaps the buffer for its spare one, empty), writes it to the pipe, and reports the count back to
 * the loop with one {@link EventLoop#callSoonThreadsafe} per batch. The two buffers are reused, so a
 * write allocates nothing once they have grown to the size of a batch (a buffer grown past {@link
 * #KEPT_BUFFER} by a burst is let go once written).
 *
 * <p>{@link #writeBufferSize()} counts the bytes handed over and not yet reported written (queued, or
 * in the thread's write): the water marks work on it as on a socket's buffer, so {@link
 * StreamWriter#drain()} holds a writer of much data to about the high-water mark plus one write.
 *
 * <p>The thread ends when the pipe is closed ({@link #writeEof()}, {@link #close()} or {@link #abort()},
 * after what is queued was written, except after {@code abort}), on a write error (the process closed
 * its stdin or exited: a broken pipe, which {@link Protocol#connectionLost} reports), and when the loop
 * is closed. A write blocked because the process does not read ends only when the process reads or
 * exits. {@link #ended} completes when the thread has ended, or at the close if it never started.
 *
 * <p>Threading: the {@link Transport} methods, the loop's thread; the rest says.
 */
final class PipeWriteTransport implements Transport {
  private final EventLoop loop;
  private final OutputStream out;
  private final Protocol protocol;
  private final String name;

  /** Completes when the thread has ended, or at the close if it never started (any thread). */
  final CompletableFuture<Void> ended = new CompletableFuture<>();

  /** The largest buffer kept for reuse once written. */
  static final int KEPT_BUFFER = 1024 * 1024;

  private static final byte[] EMPTY = new byte[0];

  // Shared with the thread, under the monitor of this.
  /** What the loop appends to: its first {@link #fillLength} bytes are not written yet. */
  private byte[] fill = EMPTY;
  private int fillLength;
  /** The other buffer: empty, or the one the thread is writing out. */
  private byte[] spare = EMPTY;
  /** Close the pipe once the queue is written. */
  private boolean closeRequested;
  /** Drop the queue and close the pipe. */
  private boolean aborted;

  // The loop's thread only.
  private Thread thread;
  private int pendingBytes;
  private int highWater = SocketTransport.DEFAULT_HIGH_WATER;
  private int lowWater = SocketTransport.DEFAULT_HIGH_WATER / 4;
  private boolean writingPaused;
  private boolean eofWritten;
  private boolean closing;
  private boolean lost;

  /** Calls {@link Protocol#connectionMade} now. */
  PipeWriteTransport(EventLoop loop, OutputStream out, Protocol protocol, String name) {
    this.loop = loop;
    this.out = out;
    this.protocol = protocol;
    this.name = name;
    protocol.connectionMade(this);
  }

  // ---------------------------------------------------------------------------------------------
  // On the loop's thread.

  @Override
  public void write(ByteBuffer data) {
    if (eofWritten) {
      throw new IllegalStateException(
          "cannot write after writeEof() or close(): the process's stdin is closed");
    }
    if (closing) {
      data.position(data.limit()); // as a socket's: a closing transport drops writes
      return;
    }
    int n = data.remaining();
    if (n == 0) {
      return;
    }
    pendingBytes += n;
    synchronized (this) {
      if (fillLength + n > fill.length) {
        byte[] b = new byte[Math.max(fillLength + n, Math.max(8192, fill.length * 2))];
        System.arraycopy(fill, 0, b, 0, fillLength);
        fill = b;
      }
      data.get(fill, fillLength, n);
      fillLength += n;
      notifyAll();
    }
    if (thread == null) {
      thread = new Thread(null, this::run, name, Subprocess.THREAD_STACK);
      thread.setDaemon(true);
      thread.start();
    }
    if (!writingPaused && pendingBytes > highWater) {
      writingPaused = true;
      protocol.pauseWriting();
    }
  }

  /** The thread wrote {@code n} bytes. */
  private void written(int n) {
    if (lost) {
      return;
    }
    pendingBytes -= n;
    if (writingPaused && pendingBytes <= lowWater) {
      writingPaused = false;
      protocol.resumeWriting();
    }
  }

  /** The thread closed the pipe after writing everything, or failed with {@code e}. */
  private void finished(IOException e) {
    if (lost) {
      return;
    }
    lost = true;
    closing = true;
    pendingBytes = 0;
    protocol.connectionLost(e);
  }

  /** Closes the pipe once what is queued is written: the process reads the end of its input. */
  @Override
  public void writeEof() {
    close();
  }

  @Override
  public boolean canWriteEof() {
    return true;
  }

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    eofWritten = true;
    requestClose(false);
  }

  @Override
  public void abort() {
    if (lost) {
      return;
    }
    closing = true;
    eofWritten = true;
    pendingBytes = 0;
    requestClose(true);
  }

  private void requestClose(boolean abort) {
    synchronized (this) {
      closeRequested = true;
      if (abort) {
        aborted = true;
        fillLength = 0;
      }
      notifyAll();
    }
    if (thread == null) {
      // Nothing was ever written: close here (a close of a pipe does not block), no thread needed.
      IOException failure = null;
      try {
        out.close();
      } catch (IOException e) {
        failure = e;
      }
      ended.complete(null);
      IOException f = failure;
      loop.callSoon(() -> finished(f));
    }
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public void pauseReading() {}

  @Override
  public void resumeReading() {}

  @Override
  public boolean isReading() {
    return false;
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
    if (!writingPaused && pendingBytes > highWater) {
      writingPaused = true;
      protocol.pauseWriting();
    }
  }

  @Override
  public SocketAddress remoteAddress() {
    return null;
  }

  @Override
  public SocketAddress localAddress() {
    return null;
  }

  @Override
  public String toString() {
    return "PipeWriteTransport[" + name + (closing ? ", closing" : "")
        + (pendingBytes > 0 ? ", buffered " + pendingBytes : "") + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // The pipe's thread.

  private void run() {
    IOException failure = null;
    try {
      for (;;) {
        byte[] batch;
        int length;
        synchronized (this) {
          while (fillLength == 0 && !closeRequested) {
            wait(1000);
            if (loop.isClosed()) {
              return;
            }
          }
          if (fillLength == 0 || aborted) {
            break; // closed, and everything buffered was written
          }
          batch = fill;
          length = fillLength;
          fill = spare;
          fillLength = 0;
          spare = null; // with the thread
        }
        out.write(batch, 0, length);
        out.flush();
        synchronized (this) {
          spare = batch.length > KEPT_BUFFER ? EMPTY : batch;
        }
        int n = length;
        if (!post(() -> written(n))) {
          return;
        }
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      return;
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        }
      }
      ended.complete(null);
    }
    IOException f = failure;
    post(() -> finished(f));
  }

  private boolean post(Runnable r) {
    try {
      loop.callSoonThreadsafe(r);
      return true;
    } catch (IllegalStateException closed) {
      return false;
    }
  }
}
