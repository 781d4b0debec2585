package io.awaitj.io;

import io.awaitj.AsyncCloseable;
import io.awaitj.Coroutine;

/**
 * An open connection: its {@link StreamReader} and {@link StreamWriter}, as {@code
 * asyncio.open_connection} returns them; made by {@link io.awaitj.Aio#openConnection}. In a
 * try-with-resources of an {@code @Async} method it is closed, and the close awaited, when the block
 * ends:
 *
 * <pre>{@code
 * try (Connection c = await(Aio.openConnection("127.0.0.1", port))) {
 *   c.writer().write("hello\n");
 *   String answer = await(c.reader().readLine());
 * }
 * }</pre>
 *
 * <p>Threading: the loop's thread of the loop that opened it.
 */
public final class Connection implements AsyncCloseable {
  private final StreamReader reader;
  private final StreamWriter writer;

  Connection(StreamReader reader, StreamWriter writer) {
    this.reader = reader;
    this.writer = writer;
  }

  /**
   * Opens a TCP connection to {@code host}:{@code port}: {@link io.awaitj.Aio#openConnection(String,
   * int, ConnectionOptions)}, which says more. Threading: creating the coroutine, any thread; it runs
   * on the loop's thread.
   */
  public static Coroutine<Connection> open(String host, int port, ConnectionOptions options) {
    return Streams.open(host, port, null, options);
  }

  /**
   * Opens a TLS connection to {@code host}:{@code port} when {@code ssl} is not null (a TCP connection
   * when it is): {@link io.awaitj.Aio#openConnection(String, int, javax.net.ssl.SSLContext,
   * ConnectionOptions)}, which says more. Threading: creating the coroutine, any thread; it runs on
   * the loop's thread.
   */
  public static Coroutine<Connection> open(
      String host, int port, javax.net.ssl.SSLContext ssl, ConnectionOptions options) {
    return Streams.open(host, port, null, options, ssl);
  }

  /**
   * Opens a Unix domain socket connection to {@code path}: {@link
   * io.awaitj.Aio#openUnixConnection(java.nio.file.Path, ConnectionOptions)}. Threading: creating the
   * coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<Connection> openUnix(java.nio.file.Path path, ConnectionOptions options) {
    if (path == null) {
      throw new NullPointerException("path");
    }
    return Streams.open(null, 0, Server.unixAddress(path), options);
  }

  /** The reading side. Threading: the loop's thread. */
  public StreamReader reader() {
    return reader;
  }

  /** The writing side. Threading: the loop's thread. */
  public StreamWriter writer() {
    return writer;
  }

  /**
   * Closes the connection (after the buffered bytes are sent) and waits until it is closed. An error
   * that ended the connection is not thrown here: the reads and {@code drain()} report it. Threading:
   * the loop's thread.
   */
  @Override
  public Coroutine<Void> closeAsync() {
    writer.close();
    return writer.waitClosed(false);
  }

  @Override
  public String toString() {
    return "Connection[" + writer.transport() + "]";
  }
}
