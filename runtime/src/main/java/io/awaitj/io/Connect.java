package io.awaitj.io;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * The connect of {@link io.awaitj.Aio#openConnection}, {@link io.awaitj.Aio#openUnixConnection} and
 * {@link io.awaitj.Aio#createConnection}: a hand-written state machine. It resolves a host name on a thread (asyncio runs {@code getaddrinfo} in
 * an executor), then tries the addresses in order, each with a non-blocking connect whose completion
 * the loop's selector reports. Cancelled while connecting, it closes the channel it was connecting:
 * nothing leaks. With an {@link javax.net.ssl.SSLContext}, the connection is returned once its TLS
 * handshake succeeded ({@link SslProtocol}); a failed handshake closes the socket and fails the
 * connect, and a cancellation during the handshake aborts it. What it makes of the connected socket
 * is a {@link Connection} (streams), or, with a protocol factory, the {@link Transport} of the protocol
 * the factory makes ({@code R} is one or the other).
 *
 * <pre>
 *   state  where                                   resumes with
 *   0      start: a literal or a Unix path skips   -
 *          the lookup
 *   1      the lookup on a thread                  the addresses
 *   2      a connect pending on {@link #channel}   null, when the channel is connectable
 *   3      the TLS handshake on {@link #tls}         null, or the handshake's failure
 * </pre>
 */
final class Connect<R> extends Coroutine<R> {
  private final String host;
  private final int port;
  private final SocketAddress unix;
  private final ConnectionOptions options;
  private final javax.net.ssl.SSLContext ssl;

  /** The user's protocol factory, for a {@link Transport}; {@code null} for a {@link Connection}. */
  private final java.util.function.Supplier<? extends Protocol> factory;

  private SocketAddress[] addresses;
  private int next;
  private SocketChannel channel;
  private IOException failure;

  /** The TLS of the connection whose handshake runs (state 3), and what it completes. */
  private SslProtocol tls;
  private Promise<Void> handshake;

  Connect(String host, int port, SocketAddress unix, ConnectionOptions options,
      javax.net.ssl.SSLContext ssl, java.util.function.Supplier<? extends Protocol> factory) {
    this.factory = factory;
    this.host = host;
    this.port = port;
    this.unix = unix;
    this.options = options;
    this.ssl = ssl;
  }

  @Override
  protected Object step() {
    switch (state) {
      case 0:
        if (unix != null) {
          addresses = new SocketAddress[] {unix};
        } else if (Addresses.isLiteral(host)) {
          addresses = socketAddresses(literal());
        } else {
          String h = host;
          Promise<InetAddress[]> lookup = Aio.toThread(() -> Addresses.resolve(h));
          state = 1;
          if (suspendOn(lookup)) {
            return SUSPEND;
          }
          addresses = socketAddresses(awaitLookup());
        }
        break;
      case 1:
        addresses = socketAddresses(awaitLookup());
        break;
      case 2:
        try {
          awaitResult();
        } catch (Throwable e) {
          abandon(); // cancelled while connecting: close what was being connected
          throw e;
        }
        loop().removeWriter(channel);
        try {
          channel.finishConnect();
          return connected();
        } catch (IOException e) {
          failed(e);
        }
        break;
      case 3:
        return handshaken();
      default:
        throw illegalState();
    }
    // Try the addresses left, in order.
    while (next < addresses.length) {
      SocketAddress a = addresses[next++];
      try {
        channel = a instanceof InetSocketAddress i
            ? SocketChannel.open(i.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET)
            : SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        channel.configureBlocking(false);
        if (channel.connect(a)) {
          return connected();
        }
      } catch (IOException e) {
        failed(e);
        continue;
      }
      Promise<Void> ready = loop().createPromise();
      loop().addWriter(channel, () -> {
        if (!ready.isDone()) {
          ready.complete(null);
        }
      });
      state = 2;
      if (suspendOn(ready)) {
        return SUSPEND;
      }
    }
    throw new UncheckedIOException(
        "cannot connect to " + target() + ": " + failure.getMessage()
            + (addresses.length > 1 ? " (tried " + addresses.length + " addresses)" : ""),
        failure);
  }

  private InetAddress[] literal() {
    try {
      return InetAddress.getAllByName(host);
    } catch (java.net.UnknownHostException e) {
      throw new UncheckedIOException("not an address: " + host, e);
    }
  }

  private InetAddress[] awaitLookup() {
    try {
      return awaitResult();
    } catch (Throwable e) {
      Throwable t = e instanceof java.net.UnknownHostException ? e : e.getCause();
      if (t instanceof java.net.UnknownHostException u) {
        throw new UncheckedIOException("cannot resolve " + host + ": " + u.getMessage(), u);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot resolve " + host + ": " + io.getMessage(), io);
      }
      throw e; // a cancellation, or an unchecked failure
    }
  }

  private SocketAddress[] socketAddresses(InetAddress[] hosts) {
    if (hosts.length == 0) {
      throw new UncheckedIOException(new java.net.UnknownHostException("no address for " + host));
    }
    SocketAddress[] out = new SocketAddress[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      out[i] = new InetSocketAddress(hosts[i], port);
    }
    return out;
  }

  /**
   * The connection (or the transport), or for TLS {@link #SUSPEND} while its handshake runs (state 3).
   */
  private Object connected() {
    SocketChannel ch = channel;
    channel = null;
    try {
      if (unix == null && options.noDelay()) {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      if (ssl == null) {
        return factory == null
            ? Streams.connection(loop(), ch, options)
            : Streams.transport(loop(), ch, options, factory);
      }
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot set up the connection to " + target(), e);
    }
    Promise<Void> done = loop().createPromise();
    handshake = done;
    String name = options.serverHostname() != null ? options.serverHostname() : host;
    javax.net.ssl.SSLEngine engine;
    try {
      engine = SslProtocol.clientEngine(ssl, name, port);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
    try {
      tls = Streams.tls(loop(), ch, options, engine, factory, (t, failure) -> {
        if (!done.isDone()) {
          if (failure == null) {
            done.complete(null);
          } else {
            done.fail(failure);
          }
        }
      });
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot set up the connection to " + target(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch); // the protocol factory failed
      throw e;
    }
    state = 3;
    if (suspendOn(done)) {
      return SUSPEND;
    }
    return handshaken();
  }

  /** The handshake's outcome is in: the connection (or transport), or its failure (the socket closed). */
  private Object handshaken() {
    try {
      awaitResult(); // the handshake's failure, or the task's cancellation
    } catch (Throwable e) {
      abandonHandshake();
      throw e;
    }
    SslProtocol t = tls;
    tls = null;
    handshake = null;
    return factory == null ? Streams.connection((StreamProtocol) t.app) : t.appTransport();
  }

  /** The connect failed or was cancelled during the handshake: the socket is closed at once. */
  private void abandonHandshake() {
    SslProtocol t = tls;
    Promise<Void> h = handshake;
    tls = null;
    handshake = null;
    if (h != null && !h.isDone()) {
      h.cancel(); // no failure left for no one to retrieve
    }
    if (t != null) {
      t.appTransport().abort();
    }
  }

  private void failed(IOException e) {
    if (failure == null) {
      failure = e;
    } else {
      failure.addSuppressed(e);
    }
    abandon();
  }

  private void abandon() {
    SocketChannel ch = channel;
    channel = null;
    if (ch != null) {
      EventLoop loop = loop();
      loop.removeWriter(ch);
      closeQuietly(ch);
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing is all that is left to do
    }
  }

  private String target() {
    return unix != null ? unix.toString() : host + ":" + port;
  }

  @Override
  public String toString() {
    return (factory == null ? "Aio.openConnection(" : "Aio.createConnection(") + target() + ")";
  }
}
