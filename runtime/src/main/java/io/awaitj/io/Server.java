package io.awaitj.io;

import io.awaitj.AsyncCloseable;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Task;
import io.awaitj.sync.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A listening server: asyncio's {@code Server}, made by {@link io.awaitj.Aio#startServer} or {@link
 * io.awaitj.Aio#createServer}. It accepts connections as soon as it is started; each runs its {@link
 * ConnectionHandler} as a task of its own or, for {@code createServer}, is a {@link Transport} with a
 * new {@link Protocol} of the factory's.
 *
 * <pre>{@code
 * try (Server server = await(Aio.startServer(this::handle, "127.0.0.1", 0))) {
 *   System.out.println("listening on " + server.port());
 *   await(server.serveForever());
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops accepting; the connections already accepted go on. {@link #waitClosed()}
 * returns when the server is closed and every connection's handler has finished and its connection is
 * closed (Python 3.12's rule; with a protocol factory, once each protocol got {@link
 * Protocol#connectionLost}); {@link #closeClients()} and {@link #abortClients()} end them (Python
 * 3.13). A Unix domain server removes its socket file when it closes.
 *
 * <p>Over TLS (a server started with an {@link SSLContext}), a connection's handler starts once its
 * handshake succeeded; a connection whose handshake is still running counts as a connection for
 * {@link #waitClosed()}, {@link #closeClients()} and {@link #abortClients()} (which abort it). A failed
 * handshake (a client that does not trust the certificate, speaks no TLS, or is too slow: {@link
 * ConnectionOptions#withHandshakeTimeout}) closes that connection and nothing else; as asyncio does for
 * such I/O errors, which a client can cause at will, it is logged at {@code DEBUG} level ({@code
 * System.Logger} {@code io.awaitj.io.Server}) and reported to the loop's exception handler only in
 * debug mode ({@link EventLoop#setDebug}). An unexpected exception (not an {@code IOException}) is
 * always reported.
 *
 * <p>Threading: the loop's thread of the loop that started it.
 */
public final class Server implements AsyncCloseable {
  /** Connections accepted per readiness callback, before other callbacks get their turn. */
  private static final int ACCEPTS_PER_CALLBACK = 100;

  private static final System.Logger LOG = System.getLogger(Server.class.getName());

  private final EventLoop loop;
  private final ConnectionHandler handler;

  /** For {@link io.awaitj.Aio#createServer}: makes each connection's protocol; else {@code null}. */
  private final java.util.function.Supplier<? extends Protocol> factory;
  private final ConnectionOptions options;
  private final List<ServerSocketChannel> channels = new ArrayList<>();
  private final Path unixPath;
  private final SSLContext ssl;
  private final List<SocketAddress> addresses = new ArrayList<>();

  /**
   * The connections whose handler runs or whose transport is not closed yet: {@link StreamProtocol}s,
   * or {@link Tracked}s with a protocol factory.
   */
  private final Set<Protocol> active = new LinkedHashSet<>();

  /** The TLS connections whose handshake runs: not yet in {@link #active}. */
  private final Set<SslProtocol> handshaking = new LinkedHashSet<>();

  /** What the TLS connections report their handshake to, made once. */
  private final SslProtocol.Listener handshakeListener = this::handshakeDone;

  private boolean serving;
  /** Whether this server created its Unix socket file, which it then removes when it closes. */
  private boolean ownsSocketFile;
  /** Set when the server is closed and no connection is left: what waitClosed waits for. */
  private final Event closed = new Event();
  /** Set when the server is closed: what serveForever waits for. */
  private final Event stopped = new Event();

  private Server(EventLoop loop, ConnectionHandler handler,
      java.util.function.Supplier<? extends Protocol> factory, ConnectionOptions options,
      Path unixPath, SSLContext ssl) {
    this.loop = loop;
    this.handler = handler;
    this.factory = factory;
    this.options = options;
    this.unixPath = unixPath;
    this.ssl = ssl;
  }

  /**
   * Starts a TCP server: {@link io.awaitj.Aio#startServer(ConnectionHandler, String, int,
   * ConnectionOptions)}, which says more. Threading: creating the coroutine, any thread; it runs on
   * the loop's thread.
   */
  public static Coroutine<Server> start(
      ConnectionHandler handler, String host, int port, ConnectionOptions options) {
    return Streams.startServer(handler, host, port, options, null);
  }

  /**
   * Starts a TCP server whose connections are each a {@link Transport} with a new protocol of {@code
   * protocolFactory}'s: {@link io.awaitj.Aio#createServer(java.util.function.Supplier, String, int,
   * ConnectionOptions)}, which says more. Threading: creating the coroutine, any thread; it runs on
   * the loop's thread.
   */
  public static Coroutine<Server> create(java.util.function.Supplier<? extends Protocol> protocolFactory,
      String host, int port, ConnectionOptions options) {
    return Streams.createServer(protocolFactory, host, port, options, null);
  }

  /**
   * Starts a TLS server when {@code ssl} is not null (a TCP server when it is): {@link
   * io.awaitj.Aio#startServer(ConnectionHandler, String, int, SSLContext, ConnectionOptions)}, which
   * says more. Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws IllegalStateException if {@code ssl} is not initialized
   */
  public static Coroutine<Server> start(ConnectionHandler handler, String host, int port,
      SSLContext ssl, ConnectionOptions options) {
    return Streams.startServer(handler, host, port, options, ssl);
  }

  /**
   * Starts a Unix domain socket server: {@link io.awaitj.Aio#startUnixServer(ConnectionHandler, Path,
   * ConnectionOptions)}. Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<Server> startUnix(
      ConnectionHandler handler, Path path, ConnectionOptions options) {
    return Streams.startUnixServer(handler, path, options);
  }

  /**
   * Starts a TCP server, TLS when {@code ssl} is not null, whose connections are each a {@link
   * Transport} with a new protocol of {@code protocolFactory}'s: {@link
   * io.awaitj.Aio#createServer(java.util.function.Supplier, String, int, SSLContext,
   * ConnectionOptions)}, which says more. Threading: creating the coroutine, any thread; it runs on
   * the loop's thread.
   *
   * @throws IllegalStateException if {@code ssl} is not initialized
   */
  public static Coroutine<Server> create(java.util.function.Supplier<? extends Protocol> protocolFactory,
      String host, int port, SSLContext ssl, ConnectionOptions options) {
    return Streams.createServer(protocolFactory, host, port, options, ssl);
  }

  /**
   * Starts a Unix domain socket server whose connections are each a {@link Transport} with a new
   * protocol of {@code protocolFactory}'s: {@link
   * io.awaitj.Aio#createUnixServer(java.util.function.Supplier, Path, ConnectionOptions)}. Threading:
   * creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<Server> createUnix(
      java.util.function.Supplier<? extends Protocol> protocolFactory, Path path,
      ConnectionOptions options) {
    return Streams.createUnixServer(protocolFactory, path, options);
  }

  /** Binds and starts accepting on each address (on the loop's thread). */
  static Server start(EventLoop loop, ConnectionHandler handler,
      java.util.function.Supplier<? extends Protocol> factory, List<SocketAddress> bind,
      ConnectionOptions options, Path unixPath, SSLContext ssl) throws IOException {
    Server s = new Server(loop, handler, factory, options, unixPath, ssl);
    try {
      for (SocketAddress a : bind) {
        ServerSocketChannel ch = unixPath != null
            ? ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
            : ServerSocketChannel.open(
                ((InetSocketAddress) a).getAddress() instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6
                    : java.net.StandardProtocolFamily.INET);
        s.channels.add(ch);
        if (unixPath == null) {
          ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        ch.bind(a, options.backlog());
        if (unixPath != null) {
          s.ownsSocketFile = true;
        }
        ch.configureBlocking(false);
        s.addresses.add(ch.getLocalAddress());
      }
    } catch (IOException | RuntimeException e) {
      s.closeChannels();
      throw e;
    }
    s.serving = true;
    for (ServerSocketChannel ch : s.channels) {
      loop.addReader(ch, () -> s.accept(ch));
    }
    return s;
  }

  /** {@link #connectionMade}, made once for all the connections. */
  private final java.util.function.Consumer<StreamProtocol> onMade = this::connectionMade;

  private void accept(ServerSocketChannel server) {
    for (int i = 0; i < ACCEPTS_PER_CALLBACK && serving; i++) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        // Out of descriptors, or the like: asyncio logs it and goes on accepting.
        loop.callExceptionHandler("Server " + this + " failed to accept a connection", e);
        return;
      }
      if (ch == null) {
        return;
      }
      try {
        if (unixPath == null && options.noDelay()) {
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        Protocol p = factory != null
            ? new Tracked(this, Streams.protocol(factory))
            : new StreamProtocol(new StreamReader(loop, options.limit()), onMade);
        if (ssl == null) {
          SocketTransport t = new SocketTransport(loop, ch, p);
          t.setWriteBufferLimits(options.highWater(), options.lowWater());
        } else {
          startTls(ch, p);
        }
      } catch (IOException | RuntimeException e) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // nothing else to release
        }
        loop.callExceptionHandler("Server " + this + " failed to set up a connection"
            + (factory != null ? " (its protocol factory or connectionMade threw)" : ""), e);
      }
    }
  }

  /** A TLS connection: its handler starts (connectionMade) once the handshake succeeded. */
  private void startTls(SocketChannel ch, Protocol p) throws IOException {
    SslProtocol tls = new SslProtocol(loop, SslProtocol.serverEngine(ssl), p,
        options.handshakeTimeoutOn(loop), handshakeListener);
    handshaking.add(tls);
    try {
      SocketTransport t = new SocketTransport(loop, ch, tls);
      t.setWriteBufferLimits(options.highWater(), options.lowWater());
    } catch (IOException | RuntimeException e) {
      handshaking.remove(tls);
      throw e;
    }
  }

  /** A TLS handshake ended: the connection is in {@link #active} (success) or closing (failure). */
  private void handshakeDone(SslProtocol tls, UncheckedIOException failure) {
    handshaking.remove(tls);
    if (failure != null && !tls.abortedLocally()) {
      String message = failure.getMessage() + ", on " + this;
      if (loop.isDebug()) {
        loop.callExceptionHandler(message, failure);
      } else {
        LOG.log(System.Logger.Level.DEBUG, message, failure);
      }
    }
    maybeClosed();
  }

  /** A connection is up: its handler starts as a task; its end closes the connection. */
  private void connectionMade(StreamProtocol p) {
    active.add(p);
    StreamWriter writer = new StreamWriter(p);
    Coroutine<Void> c;
    try {
      c = handler.handle(p.reader, writer);
    } catch (RuntimeException e) {
      loop.callExceptionHandler("the ConnectionHandler of " + this + " threw", e);
      p.transport.abort();
      loop.createTask(forget(p));
      return;
    }
    if (c == null) {
      loop.callExceptionHandler("the ConnectionHandler of " + this + " returned null instead of a"
          + " coroutine", new NullPointerException("handler result"));
      p.transport.abort();
      loop.createTask(forget(p));
      return;
    }
    Task<Void> task = loop.createTask(new Handled(this, p, c));
    p.handlerTask = task;
  }

  /** Forgets a connection whose handler never started, once it is closed. */
  private Coroutine<Void> forget(StreamProtocol p) {
    return new Handled(this, p, null);
  }

  void connectionDone(Protocol p) {
    active.remove(p);
    maybeClosed();
  }

  private void maybeClosed() {
    if (!serving && active.isEmpty() && handshaking.isEmpty()) {
      closed.set();
    }
  }

  /**
   * Stops accepting connections and closes the listening sockets (a Unix server also removes its
   * socket file); connections already accepted go on. Idempotent. Threading: the loop's thread.
   */
  public void close() {
    if (!serving && channels.isEmpty()) {
      return;
    }
    serving = false;
    closeChannels();
    stopped.set();
    maybeClosed();
  }

  private void closeChannels() {
    for (ServerSocketChannel ch : channels) {
      if (loop.isRunning() || !loop.isClosed()) {
        try {
          loop.removeReader(ch);
        } catch (IllegalStateException ignored) {
          // not on the loop's thread (a failed start): closing the channel is enough
        }
      }
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing else to release
      }
    }
    channels.clear();
    if (ownsSocketFile) {
      ownsSocketFile = false;
      try {
        Files.deleteIfExists(unixPath);
      } catch (IOException ignored) {
        // a socket file left behind is removed by the next start
      }
    }
  }

  /** Closes every connection, after what was written to it is sent. Threading: the loop's thread. */
  public void closeClients() {
    abortHandshakes();
    for (Protocol p : new ArrayList<>(active)) {
      transportOf(p).close();
    }
  }

  /** Aborts the TLS connections whose handshake runs: nothing was written to them. */
  private void abortHandshakes() {
    for (SslProtocol tls : new ArrayList<>(handshaking)) {
      tls.appTransport().abort();
    }
  }

  /** Closes every connection at once, dropping what is buffered. Threading: the loop's thread. */
  public void abortClients() {
    abortHandshakes();
    for (Protocol p : new ArrayList<>(active)) {
      transportOf(p).abort();
    }
  }

  private static Transport transportOf(Protocol p) {
    return p instanceof StreamProtocol sp ? sp.transport : ((Tracked) p).transport;
  }

  /**
   * A connection of a server with a protocol factory: the user's protocol, which it calls on, and
   * the server's record of the connection ({@link #active}) from {@code connectionMade} to {@code
   * connectionLost}, so that {@link #waitClosed()}, {@link #closeClients()} and {@link
   * #abortClients()} reach it.
   */
  private static final class Tracked implements Protocol {
    private final Server server;
    private final Protocol user;
    Transport transport;

    Tracked(Server server, Protocol user) {
      this.server = server;
      this.user = user;
    }

    @Override
    public void connectionMade(Transport t) {
      transport = t;
      user.connectionMade(t); // if it throws, the server closes the socket and reports it
      server.active.add(this);
    }

    @Override
    public void dataReceived(java.nio.ByteBuffer data) {
      user.dataReceived(data);
    }

    @Override
    public boolean eofReceived() {
      return user.eofReceived();
    }

    @Override
    public void connectionLost(Throwable cause) {
      try {
        user.connectionLost(cause);
      } finally {
        server.connectionDone(this);
      }
    }

    @Override
    public void pauseWriting() {
      user.pauseWriting();
    }

    @Override
    public void resumeWriting() {
      user.resumeWriting();
    }

    @Override
    public String toString() {
      return String.valueOf(user);
    }
  }

  /**
   * Waits until the server is closed and every connection it accepted is done: its handler finished
   * and the connection closed. Threading: the loop's thread.
   */
  public Coroutine<Void> waitClosed() {
    return closed.waitSet();
  }

  /**
   * Waits until the server is closed; cancelling the waiting task closes it: asyncio's {@code
   * serve_forever}. Threading: the loop's thread.
   */
  public Coroutine<Void> serveForever() {
    return new ServeForever(this);
  }

  /** {@link #close()}, then {@link #waitClosed()}. Threading: the loop's thread. */
  @Override
  public Coroutine<Void> closeAsync() {
    close();
    return waitClosed();
  }

  /** Whether the server accepts connections. Threading: the loop's thread. */
  public boolean isServing() {
    return serving;
  }

  /**
   * The port the server listens on (the first, if it listens on several addresses): the one the
   * system chose when started with port 0. Threading: any thread.
   *
   * @throws IllegalStateException for a Unix domain server
   */
  public int port() {
    if (unixPath != null) {
      throw new IllegalStateException("a Unix domain server has no port: it listens on " + unixPath);
    }
    return ((InetSocketAddress) addresses.get(0)).getPort();
  }

  /** The addresses the server listens on. Threading: any thread. */
  public List<SocketAddress> addresses() {
    return List.copyOf(addresses);
  }

  /**
   * How many connections are open (over TLS, those whose handshake runs too). Threading: the loop's
   * thread.
   */
  public int connectionCount() {
    return active.size() + handshaking.size();
  }

  @Override
  public String toString() {
    return "Server" + addresses + (serving ? "" : " (closed)") + ", connections: " + active.size();
  }

  static SocketAddress unixAddress(Path path) {
    return UnixDomainSocketAddress.of(path);
  }

  /**
   * A connection's task: runs the handler, then closes the connection (aborts it if the handler
   * failed) and waits until it is closed, so that {@link #waitClosed()} means closed.
   */
  private static final class Handled extends Coroutine<Void> {
    private final Server server;
    private final StreamProtocol p;
    private final Coroutine<Void> body;

    Handled(Server server, StreamProtocol p, Coroutine<Void> body) {
      this.server = server;
      this.p = p;
      this.body = body;
    }

    @Override
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          if (body != null) {
            state = 1;
            if (suspendOn(body)) {
              return SUSPEND;
            }
          }
          // fall through
        case 1:
          if (body != null) {
            try {
              awaitResult();
              p.transport.close();
            } catch (Throwable e) {
              p.transport.abort();
              server.connectionDone(p);
              if (e instanceof io.awaitj.CancelledError) {
                throw e;
              }
              server.loop.callExceptionHandler(
                  "the ConnectionHandler of " + server + " failed for the connection from "
                      + p.transport.remoteAddress(), e);
              return null;
            }
          }
          state = 2;
          if (suspendOn(p.closed().waitSet())) {
            return SUSPEND;
          }
          // fall through
        case 2:
          try {
            awaitResult();
          } finally {
            server.connectionDone(p);
          }
          return null;
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "connection from " + p.transport.remoteAddress() + " to " + server;
    }
  }

  /** {@link #serveForever()}: waits for the close; a cancellation closes the server. */
  private static final class ServeForever extends Coroutine<Void> {
    private final Server server;

    ServeForever(Server server) {
      this.server = server;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          if (!server.serving) {
            throw new IllegalStateException("serveForever() on a closed server: " + server);
          }
          state = 1;
          if (suspendOn(server.stopped.waitSet())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          try {
            awaitResult();
          } catch (RuntimeException | Error e) {
            server.close();
            throw e;
          }
          return null;
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "Server.serveForever(" + server + ")";
    }
  }
}
