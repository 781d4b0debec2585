package io.awaitj.io;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The writing side of a connection: asyncio's {@code StreamWriter}. {@link #write} never waits: what
 * the socket does not take at once is buffered; {@link #drain()} is the back-pressure, waiting while the
 * buffer is above its high-water mark. A writer of much data writes and drains in turn:
 *
 * <pre>{@code
 * for (byte[] chunk : chunks) {
 *   writer.write(chunk);
 *   await(writer.drain());
 * }
 * }</pre>
 *
 * <p>Cancelling a task waiting in {@code drain()} loses nothing: what was written stays buffered and is
 * sent, and the writer stays usable.
 *
 * <p>Threading: the loop's thread of its connection.
 */
public final class StreamWriter {
  private final StreamProtocol protocol;
  private final Transport transport;

  StreamWriter(StreamProtocol protocol) {
    this.protocol = protocol;
    this.transport = protocol.transport;
  }

  /**
   * Writes {@code data}; the array may be reused at once (what is not sent is copied). Threading: the
   * loop's thread.
   *
   * @throws IllegalStateException after {@link #writeEof()}
   */
  public void write(byte[] data) {
    transport.write(ByteBuffer.wrap(data));
  }

  /**
   * Writes {@code length} bytes of {@code data} from {@code offset}. Threading: the loop's thread.
   *
   * @throws IllegalStateException after {@link #writeEof()}
   */
  public void write(byte[] data, int offset, int length) {
    transport.write(ByteBuffer.wrap(data, offset, length));
  }

  /**
   * Writes {@code text} encoded as UTF-8. Threading: the loop's thread.
   *
   * @throws IllegalStateException after {@link #writeEof()}
   */
  public void write(String text) {
    transport.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Waits until the write buffer is at or below its low-water mark; returns at once (without
   * allocating) when it is not above the high-water mark. Threading: the loop's thread.
   *
   * @throws UncheckedIOException (when awaited) if the connection is lost: asyncio's {@code
   *     ConnectionResetError}, wrapping the error that ended it
   */
  public Coroutine<Void> drain() {
    if (protocol.lost) {
      return Aio.failed(lostError());
    }
    if (!protocol.writingPaused) {
      SharedReads.Drain d = sharedDrain;
      if (d == null) {
        d = new SharedReads.Drain(this);
        sharedDrain = d;
      }
      return d.call();
    }
    return new Drain();
  }

  /** The shared coroutine of a drain that finds writing not paused, made at the first drain. */
  private SharedReads.Drain sharedDrain;

  /**
   * For the shared drain, when awaited: {@code null} (done) if writing is not paused, {@link
   * StreamReader#NOT_YET} if it is; throws if the connection is lost.
   */
  Object drainNow() {
    if (protocol.lost) {
      throw lostError();
    }
    return protocol.writingPaused ? StreamReader.NOT_YET : null;
  }

  /** A drain that waits, for the shared drain. */
  Coroutine<Void> newDrain() {
    return new Drain();
  }

  private UncheckedIOException lostError() {
    Throwable cause = protocol.lostCause;
    SocketException e =
        new SocketException("connection lost" + (cause == null ? "" : ": " + cause.getMessage()));
    if (cause != null) {
      e.initCause(cause);
    }
    return new UncheckedIOException("drain() failed: the connection is closed", e);
  }

  /**
   * Closes the write side once the buffered bytes are sent (a TCP half-close): the peer reads the end
   * of the stream and can still answer. Threading: the loop's thread.
   *
   * @throws UnsupportedOperationException if {@link #canWriteEof()} is false (TLS)
   */
  public void writeEof() {
    if (!transport.canWriteEof()) {
      throw new UnsupportedOperationException(
          "writeEof() is not supported over TLS: close() the writer instead");
    }
    transport.writeEof();
  }

  /** Whether {@link #writeEof()} is supported. Threading: the loop's thread. */
  public boolean canWriteEof() {
    return transport.canWriteEof();
  }

  /**
   * Closes the connection once the buffered bytes are sent, without waiting; {@link #waitClosed()}
   * waits. Idempotent. Threading: the loop's thread.
   */
  public void close() {
    transport.close();
  }

  /** Whether the connection is closed or closing. Threading: the loop's thread. */
  public boolean isClosing() {
    return transport.isClosing();
  }

  /**
   * Waits until the connection is closed. Threading: the loop's thread.
   *
   * @throws UncheckedIOException (when awaited) if the connection ended with an error, as asyncio's
   *     {@code wait_closed} raises it
   */
  public Coroutine<Void> waitClosed() {
    return new WaitClosed(true);
  }

  /** The peer's address. Threading: any thread. */
  public SocketAddress remoteAddress() {
    return transport.remoteAddress();
  }

  /** This end's address. Threading: any thread. */
  public SocketAddress localAddress() {
    return transport.localAddress();
  }

  /** The transport underneath, for its buffer size and limits. Threading: the loop's thread. */
  public Transport transport() {
    return transport;
  }

  /** Waits for the connection to close: the end of {@link Connection#closeAsync()} too. */
  Coroutine<Void> waitClosed(boolean rethrow) {
    return new WaitClosed(rethrow);
  }

  @Override
  public String toString() {
    return "StreamWriter[" + transport + "]";
  }

  /** {@link #drain()} while paused: waits until writable again, then fails if the connection is lost. */
  private final class Drain extends Coroutine<Void> {
    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(protocol.writable().waitSet())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult();
          if (protocol.lost) {
            throw lostError();
          }
          return null;
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "StreamWriter.drain()";
    }
  }

  private final class WaitClosed extends Coroutine<Void> {
    private final boolean rethrow;

    WaitClosed(boolean rethrow) {
      this.rethrow = rethrow;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(protocol.closed().waitSet())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult();
          Throwable cause = protocol.lostCause;
          if (rethrow && cause != null) {
            if (cause instanceof java.io.IOException io) {
              throw new UncheckedIOException("the connection ended with an error: " + io, io);
            }
            if (cause instanceof RuntimeException re) {
              throw re;
            }
            throw new IllegalStateException("the connection ended with an error", cause);
          }
          return null;
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "StreamWriter.waitClosed()";
    }
  }
}
