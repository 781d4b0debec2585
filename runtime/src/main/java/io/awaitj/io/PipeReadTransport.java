package io.awaitj.io;

import io.awaitj.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The read side of a process's pipe (its stdout or stderr) as a read-only {@link Transport}: asyncio's
 * {@code _UnixReadPipeTransport}, over a JDK pipe, which blocks. One daemon thread per pipe reads it
 * and hands each chunk to the loop with one {@link EventLoop#callSoonThreadsafe} (one hop per chunk of
 * up to {@link #CHUNK} bytes, never per byte or per line), where the protocol is fed.
 *
 * <p>Two chunk buffers alternate: the thread reads into one while the loop feeds the other, and waits
 * when both are with the loop. Flow control: {@link #pauseReading()} (the {@link StreamReader} calls it
 * past twice its limit) makes the thread stop before its next read, so a process that writes without
 * end fills the OS pipe and blocks, and the memory held is bounded by the reader's buffer plus two
 * chunks.
 *
 * <p>The thread ends at the end of the pipe (the process and every child holding it closed it), on an
 * error, after {@link #close()} or {@link #abort()} once its read in progress returns, and when the
 * loop is closed. {@link #ended} completes then.
 *
 * <p>Threading: the {@link Transport} methods, the loop's thread; the rest says.
 */
final class PipeReadTransport implements Transport {
  /** The most a chunk holds: Linux's default pipe capacity. */
  static final int CHUNK = 64 * 1024;

  /** How often a thread paused by flow control looks whether the loop was closed, in ms. */
  private static final long CLOSED_CHECK_MILLIS = 1000;

  private final EventLoop loop;
  private final InputStream in;
  private final Protocol protocol;
  private final String name;

  /** Completes when the thread has ended (any thread). */
  final CompletableFuture<Void> ended = new CompletableFuture<>();

  // Shared with the thread, under the monitor of this.
  private boolean paused;
  private boolean stopped;
  /** The chunk slots not with the loop: the thread reads into one of them. */
  private final Slot[] free = {new Slot(), new Slot()};
  private int freeCount = 2;

  // The loop's thread only.
  private boolean closing;
  private boolean lost;

  /** Calls {@link Protocol#connectionMade} now; the thread starts with {@link #start()}. */
  PipeReadTransport(EventLoop loop, InputStream in, Protocol protocol, String name) {
    this.loop = loop;
    this.in = in;
    this.protocol = protocol;
    this.name = name;
    protocol.connectionMade(this);
  }

  /** Starts the reading thread. Threading: the loop's thread. */
  void start() {
    Thread t = new Thread(null, this::run, name, Subprocess.THREAD_STACK);
    t.setDaemon(true);
    t.start();
  }

  // ---------------------------------------------------------------------------------------------
  // The pipe's thread.

  private void run() {
    try {
      for (;;) {
        Slot slot;
        synchronized (this) {
          while ((paused || freeCount == 0) && !stopped) {
            wait(CLOSED_CHECK_MILLIS);
            if (loop.isClosed()) {
              stopped = true;
            }
          }
          if (stopped) {
            break;
          }
          slot = free[--freeCount];
          free[freeCount] = null;
        }
        int n;
        try {
          n = in.read(slot.bytes);
        } catch (IOException e) {
          synchronized (this) {
            if (stopped) {
              break; // closed from the loop: the error is that close
            }
          }
          post(() -> failed(e));
          break;
        }
        if (n < 0) {
          post(this::endOfStream);
          break;
        }
        if (n > 0) {
          slot.length = n;
          if (!post(slot)) {
            break;
          }
        } else {
          giveBack(slot);
        }
      }
    } catch (InterruptedException e) {
      // nobody interrupts this thread but the JVM's end: stop
    } finally {
      closeQuietly();
      ended.complete(null);
    }
  }

  /** Hands {@code r} to the loop; {@code false} if the loop is closed (the thread then ends). */
  private boolean post(Runnable r) {
    try {
      loop.callSoonThreadsafe(r);
      return true;
    } catch (IllegalStateException closed) {
      return false;
    }
  }

  private synchronized void giveBack(Slot slot) {
    free[freeCount++] = slot;
    notifyAll();
  }

  private void closeQuietly() {
    try {
      in.close();
    } catch (IOException ignored) {
      // the pipe is done with either way
    }
  }

  /** A chunk buffer, and the loop's job of feeding it: reused, so a hop allocates only its handle. */
  private final class Slot implements Runnable {
    final byte[] bytes = new byte[CHUNK];
    final ByteBuffer view = ByteBuffer.wrap(bytes);
    int length;

    /** On the loop's thread: feeds the chunk, then gives the buffer back to the pipe's thread. */
    @Override
    public void run() {
      try {
        if (!closing) {
          view.clear().limit(length);
          protocol.dataReceived(view);
        }
      } finally {
        giveBack(this);
      }
    }

    @Override
    public String toString() {
      return name + ": " + length + " bytes";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // On the loop's thread.

  private void endOfStream() {
    if (closing) {
      return;
    }
    protocol.eofReceived();
    close();
  }

  private void failed(IOException e) {
    if (lost) {
      return;
    }
    closing = true;
    lost = true;
    protocol.connectionLost(e);
  }

  @Override
  public void pauseReading() {
    synchronized (this) {
      paused = true;
    }
  }

  @Override
  public void resumeReading() {
    synchronized (this) {
      if (paused) {
        paused = false;
        notifyAll();
      }
    }
  }

  @Override
  public boolean isReading() {
    synchronized (this) {
      return !paused && !closing;
    }
  }

  /**
   * Stops reading: the thread ends once its read in progress returns, and closes the pipe (a process
   * that writes to it then gets a broken pipe). Bytes already fed stay in the reader. Idempotent.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
    if (!lost) {
      lost = true;
      loop.callSoon(() -> protocol.connectionLost(null));
    }
  }

  @Override
  public void abort() {
    close();
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public void write(ByteBuffer data) {
    throw new UnsupportedOperationException(name + " is a read-only pipe");
  }

  @Override
  public void writeEof() {
    throw new UnsupportedOperationException(name + " is a read-only pipe");
  }

  @Override
  public boolean canWriteEof() {
    return false;
  }

  @Override
  public int writeBufferSize() {
    return 0;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    throw new UnsupportedOperationException(name + " is a read-only pipe");
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
    return "PipeReadTransport[" + name + (closing ? ", closed" : "") + "]";
  }
}
