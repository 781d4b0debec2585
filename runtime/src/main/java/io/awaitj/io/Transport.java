package io.awaitj.io;

import io.awaitj.Coroutine;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * A bidirectional byte channel driven by the event loop: asyncio's transport. A transport calls its
 * {@link Protocol} when bytes arrive, when the peer ends its side, and when the connection is lost;
 * the protocol writes through it. {@link StreamReader} and {@link StreamWriter} are built on this layer,
 * which is public for protocol authors (a framing codec can be a {@link Protocol} without the streams'
 * buffering): {@link io.awaitj.Aio#createConnection} connects a protocol of one's own and returns its
 * transport, and {@link io.awaitj.Aio#createServer} gives each accepted connection a new protocol,
 * asyncio's {@code loop.create_connection} and {@code loop.create_server}.
 *
 * <p>Writes never block: what the channel does not take at once is buffered, and when the buffer grows
 * past its high-water mark the transport calls {@link Protocol#pauseWriting()}, then {@link
 * Protocol#resumeWriting()} once it has drained below its low-water mark.
 *
 * <p>Threading: every method belongs to the loop's thread of the transport's loop.
 */
public interface Transport {

  /**
   * Opens a TCP connection whose bytes go to a new protocol of {@code protocolFactory}'s: {@link
   * io.awaitj.Aio#createConnection(Supplier, String, int, ConnectionOptions)}, which says more.
   * Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  static Coroutine<Transport> connect(Supplier<? extends Protocol> protocolFactory, String host,
      int port, ConnectionOptions options) {
    return Streams.create(protocolFactory, host, port, null, options, null);
  }

  /**
   * As {@link #connect(Supplier, String, int, ConnectionOptions)}, over TLS when {@code ssl} is not
   * null: {@link io.awaitj.Aio#createConnection(Supplier, String, int, javax.net.ssl.SSLContext,
   * ConnectionOptions)}, which says more. Threading: creating the coroutine, any thread; it runs on
   * the loop's thread.
   */
  static Coroutine<Transport> connect(Supplier<? extends Protocol> protocolFactory, String host,
      int port, javax.net.ssl.SSLContext ssl, ConnectionOptions options) {
    return Streams.create(protocolFactory, host, port, null, options, ssl);
  }

  /**
   * Opens a Unix domain socket connection whose bytes go to a new protocol of {@code
   * protocolFactory}'s: {@link io.awaitj.Aio#createUnixConnection(Supplier, java.nio.file.Path,
   * ConnectionOptions)}. Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  static Coroutine<Transport> connectUnix(Supplier<? extends Protocol> protocolFactory,
      java.nio.file.Path path, ConnectionOptions options) {
    if (path == null) {
      throw new NullPointerException("path");
    }
    return Streams.create(protocolFactory, null, 0, Server.unixAddress(path), options, null);
  }

  /**
   * Writes the bytes between the buffer's position and its limit, and advances its position past
   * them. What the channel does not take at once is copied into the transport's buffer, so the caller
   * may reuse {@code data} as soon as this returns. Threading: the loop's thread.
   *
   * @throws IllegalStateException if {@link #writeEof()} or {@link #close()} was called before
   */
  void write(ByteBuffer data);

  /**
   * Closes the write side once the buffered bytes are sent (a TCP half-close): the peer reads end of
   * stream and may still write back. Threading: the loop's thread.
   *
   * @throws UnsupportedOperationException if {@link #canWriteEof()} is false
   */
  void writeEof();

  /** Whether {@link #writeEof()} is supported (not over TLS). Threading: the loop's thread. */
  boolean canWriteEof();

  /**
   * Closes the transport after the buffered bytes are sent, without waiting: no more data is read, and
   * the protocol's {@link Protocol#connectionLost} follows once the channel is closed. Idempotent.
   * Threading: the loop's thread.
   */
  void close();

  /**
   * Closes the transport at once, dropping the buffered bytes; {@link Protocol#connectionLost} follows.
   * Threading: the loop's thread.
   */
  void abort();

  /** Whether {@link #close()} or {@link #abort()} was called or the connection was lost. */
  boolean isClosing();

  /** Stops calling {@link Protocol#dataReceived} until {@link #resumeReading()}. Loop's thread. */
  void pauseReading();

  /** Resumes what {@link #pauseReading()} stopped. Threading: the loop's thread. */
  void resumeReading();

  /** Whether data is being read (not paused, not closing). Threading: the loop's thread. */
  boolean isReading();

  /** How many written bytes the transport holds, not yet taken by the channel. Loop's thread. */
  int writeBufferSize();

  /**
   * Sets the write buffer's water marks (defaults: 64 KiB and a quarter of that).
   * Threading: the loop's thread.
   *
   * @throws IllegalArgumentException unless {@code 0 <= low <= high}
   */
  void setWriteBufferLimits(int high, int low);

  /** The peer's address, or {@code null} if unknown. Threading: any thread. */
  SocketAddress remoteAddress();

  /** This end's address, or {@code null} if unknown. Threading: any thread. */
  SocketAddress localAddress();
}
