package io.awaitj.io;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Where connections are assembled: a channel, a {@link SocketTransport} over it, a {@link
 * StreamProtocol}, and the {@link StreamReader} and {@link StreamWriter} the user sees. The entry
 * points are on {@link io.awaitj.Aio}.
 */
final class Streams {
  private Streams() {}

  /** The streams of a connected channel. */
  static Connection connection(EventLoop loop, SocketChannel channel, ConnectionOptions options)
      throws IOException {
    StreamReader reader = new StreamReader(loop, options.limit());
    StreamProtocol protocol = new StreamProtocol(reader, null);
    SocketTransport t = new SocketTransport(loop, channel, protocol);
    t.setWriteBufferLimits(options.highWater(), options.lowWater());
    return new Connection(reader, new StreamWriter(protocol));
  }

  /**
   * The transport of a connected channel, with the protocol {@code factory} makes (whose {@code
   * connectionMade} runs now); if the factory or {@code connectionMade} throws, the channel is closed.
   */
  static Transport transport(EventLoop loop, SocketChannel channel, ConnectionOptions options,
      java.util.function.Supplier<? extends Protocol> factory) throws IOException {
    SocketTransport t;
    try {
      t = new SocketTransport(loop, channel, protocol(factory));
    } catch (RuntimeException e) {
      channel.close();
      throw e;
    }
    t.setWriteBufferLimits(options.highWater(), options.lowWater());
    return t;
  }

  /** What a user's protocol factory made; a factory that gives {@code null} fails here. */
  static Protocol protocol(java.util.function.Supplier<? extends Protocol> factory) {
    Protocol p = factory.get();
    if (p == null) {
      throw new NullPointerException("the protocol factory " + factory + " returned null");
    }
    return p;
  }

  /**
   * TLS over a connected channel: its handshake starts now; {@code listener} learns how it ends, and
   * the streams are made (the protocol above the returned {@link SslProtocol}) once it succeeded; with
   * a {@code factory}, the protocol above is the one it makes instead.
   */
  static SslProtocol tls(EventLoop loop, SocketChannel channel, ConnectionOptions options,
      javax.net.ssl.SSLEngine engine, java.util.function.Supplier<? extends Protocol> factory,
      SslProtocol.Listener listener) throws IOException {
    Protocol protocol = factory != null
        ? protocol(factory)
        : new StreamProtocol(new StreamReader(loop, options.limit()), null);
    SslProtocol tls =
        new SslProtocol(loop, engine, protocol, options.handshakeTimeoutOn(loop), listener);
    SocketTransport t = new SocketTransport(loop, channel, tls);
    t.setWriteBufferLimits(options.highWater(), options.lowWater());
    return tls;
  }

  /** The streams of a connection whose protocol was made (after a TLS handshake). */
  static Connection connection(StreamProtocol protocol) {
    return new Connection(protocol.reader, new StreamWriter(protocol));
  }

  /** {@link io.awaitj.Aio#openConnection}: lazy, with the options' connect timeout if any. */
  static Coroutine<Connection> open(
      String host, int port, java.net.SocketAddress unix, ConnectionOptions options) {
    return open(host, port, unix, options, null);
  }

  /** As {@link #open(String, int, java.net.SocketAddress, ConnectionOptions)}, over TLS if {@code ssl}. */
  static Coroutine<Connection> open(String host, int port, java.net.SocketAddress unix,
      ConnectionOptions options, javax.net.ssl.SSLContext ssl) {
    return connect(host, port, unix, options, ssl, null);
  }

  /**
   * {@link io.awaitj.Aio#createConnection} and {@link io.awaitj.Aio#createUnixConnection}: as {@link
   * #open(String, int, java.net.SocketAddress, ConnectionOptions, javax.net.ssl.SSLContext)}, giving
   * the transport of the protocol {@code factory} makes.
   */
  static Coroutine<Transport> create(java.util.function.Supplier<? extends Protocol> factory,
      String host, int port, java.net.SocketAddress unix, ConnectionOptions options,
      javax.net.ssl.SSLContext ssl) {
    if (factory == null) {
      throw new NullPointerException("protocolFactory");
    }
    return connect(host, port, unix, options, ssl, factory);
  }

  /** The connect of streams ({@code factory} null) or of a protocol: lazy, with the options' timeout. */
  private static <R> Coroutine<R> connect(String host, int port, java.net.SocketAddress unix,
      ConnectionOptions options, javax.net.ssl.SSLContext ssl,
      java.util.function.Supplier<? extends Protocol> factory) {
    if (options == null) {
      throw new NullPointerException("options");
    }
    if (unix == null) {
      check(host, port, options);
    }
    return withTimeout(new Connect<R>(host, port, unix, options, ssl, factory), options);
  }

  private static void check(String host, int port, ConnectionOptions options) {
    if (options == null) {
      throw new NullPointerException("options");
    }
    if (host == null) {
      throw new NullPointerException("host");
    }
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  private static <R> Coroutine<R> withTimeout(Coroutine<R> c, ConnectionOptions options) {
    if (options.connectTimeout() != null) {
      return io.awaitj.Aio.waitFor(c, options.connectTimeout());
    }
    return c;
  }

  /**
   * {@link io.awaitj.Aio#startServer}: lazy; a host name is resolved on a thread. With {@code ssl},
   * every connection is TLS.
   */
  static Coroutine<Server> startServer(ConnectionHandler handler, String host, int port,
      ConnectionOptions options, javax.net.ssl.SSLContext ssl) {
    check(handler, options);
    return server(handler, null, host, port, options, ssl);
  }

  /** {@link io.awaitj.Aio#createServer}: as {@link #startServer}, with a protocol factory. */
  static Coroutine<Server> createServer(java.util.function.Supplier<? extends Protocol> factory,
      String host, int port, ConnectionOptions options, javax.net.ssl.SSLContext ssl) {
    check(factory, options);
    return server(null, factory, host, port, options, ssl);
  }

  /** The start of a TCP server, once its handler or protocol factory and options are checked. */
  private static Coroutine<Server> server(ConnectionHandler handler,
      java.util.function.Supplier<? extends Protocol> factory, String host, int port,
      ConnectionOptions options, javax.net.ssl.SSLContext ssl) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (ssl != null) {
      SslProtocol.serverEngine(ssl); // an SSLContext not initialized fails here, not per connection
    }
    return new StartServer(handler, factory, host, port, null, options, ssl);
  }

  /** {@link io.awaitj.Aio#startUnixServer}: lazy. */
  static Coroutine<Server> startUnixServer(
      ConnectionHandler handler, java.nio.file.Path path, ConnectionOptions options) {
    check(handler, options);
    return unixServer(handler, null, path, options);
  }

  /** {@link io.awaitj.Aio#createUnixServer}: as {@link #startUnixServer}, with a protocol factory. */
  static Coroutine<Server> createUnixServer(java.util.function.Supplier<? extends Protocol> factory,
      java.nio.file.Path path, ConnectionOptions options) {
    check(factory, options);
    return unixServer(null, factory, path, options);
  }

  private static Coroutine<Server> unixServer(ConnectionHandler handler,
      java.util.function.Supplier<? extends Protocol> factory, java.nio.file.Path path,
      ConnectionOptions options) {
    if (path == null) {
      throw new NullPointerException("path");
    }
    return new StartServer(handler, factory, null, 0, path, options, null);
  }

  private static void check(
      java.util.function.Supplier<? extends Protocol> factory, ConnectionOptions options) {
    if (factory == null) {
      throw new NullPointerException("protocolFactory");
    }
    if (options == null) {
      throw new NullPointerException("options");
    }
  }

  private static void check(ConnectionHandler handler, ConnectionOptions options) {
    if (handler == null) {
      throw new NullPointerException("handler");
    }
    if (options == null) {
      throw new NullPointerException("options");
    }
  }

  /** Removes the socket file a Unix server left behind (asyncio does the same), never another file. */
  static void removeStaleSocket(java.nio.file.Path path) throws IOException {
    if (!java.nio.file.Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Object mode;
    try {
      mode = java.nio.file.Files.getAttribute(
          path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return; // cannot tell: leave it, and let bind report the address in use
    }
    if (mode instanceof Integer m && (m & 0170000) == 0140000) {
      java.nio.file.Files.delete(path);
    }
  }

  /**
   * The start of a server: resolves the host if it is a name (state 1, on a thread), then binds.
   * A null or empty host listens on every interface.
   */
  private static final class StartServer extends Coroutine<Server> {
    private final ConnectionHandler handler;
    private final java.util.function.Supplier<? extends Protocol> factory;
    private final String host;
    private final int port;
    private final java.nio.file.Path unix;
    private final ConnectionOptions options;
    private final javax.net.ssl.SSLContext ssl;

    StartServer(ConnectionHandler handler, java.util.function.Supplier<? extends Protocol> factory,
        String host, int port, java.nio.file.Path unix, ConnectionOptions options,
        javax.net.ssl.SSLContext ssl) {
      this.handler = handler;
      this.factory = factory;
      this.host = host;
      this.port = port;
      this.unix = unix;
      this.options = options;
      this.ssl = ssl;
    }

    @Override
    protected Object step() {
      java.net.InetAddress[] hosts;
      switch (state) {
        case 0:
          if (unix != null) {
            try {
              removeStaleSocket(unix);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException("cannot remove the old socket file " + unix, e);
            }
            return bind(java.util.List.of(Server.unixAddress(unix)));
          }
          if (host == null || host.isEmpty()) {
            return bind(java.util.List.of(new java.net.InetSocketAddress(port)));
          }
          if (!Addresses.isLiteral(host)) {
            String h = host;
            io.awaitj.Promise<java.net.InetAddress[]> lookup =
                io.awaitj.Aio.toThread(() -> Addresses.resolve(h));
            state = 1;
            if (suspendOn(lookup)) {
              return SUSPEND;
            }
          } else {
            try {
              hosts = java.net.InetAddress.getAllByName(host);
            } catch (java.net.UnknownHostException e) {
              throw new java.io.UncheckedIOException("not an address: " + host, e);
            }
            return bind(addresses(hosts));
          }
          // fall through
        case 1:
          try {
            hosts = awaitResult();
          } catch (Throwable e) {
            Throwable t = e instanceof java.net.UnknownHostException ? e : e.getCause();
            if (t instanceof java.net.UnknownHostException u) {
              throw new java.io.UncheckedIOException("cannot resolve " + host + ": " + u.getMessage(), u);
            }
            throw e;
          }
          return bind(addresses(hosts));
        default:
          throw illegalState();
      }
    }

    private java.util.List<java.net.SocketAddress> addresses(java.net.InetAddress[] hosts) {
      java.util.List<java.net.SocketAddress> out = new java.util.ArrayList<>();
      for (java.net.InetAddress a : hosts) {
        out.add(new java.net.InetSocketAddress(a, port));
      }
      if (port == 0 && out.size() > 1) {
        // Port 0 on several addresses would give each its own port: listen on the first.
        return out.subList(0, 1);
      }
      return out;
    }

    private Server bind(java.util.List<java.net.SocketAddress> bind) {
      try {
        return Server.start(loop(), handler, factory, bind, options, unix, ssl);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot listen on " + (unix != null ? unix : bind) + ": " + e.getMessage(), e);
      }
    }

    @Override
    public String toString() {
      return (factory != null ? "Aio.createServer(" : "Aio.startServer(")
          + (unix != null ? unix : host + ":" + port) + ")";
    }
  }
}
