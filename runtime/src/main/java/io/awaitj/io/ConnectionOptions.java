package io.awaitj.io;

import java.time.Duration;

/**
 * Settings of connections and servers: the reader's limit, the writer's water marks, a connect
 * timeout, the server's backlog. Immutable: each {@code with} method returns a copy.
 *
 * <pre>{@code
 * ConnectionOptions o = ConnectionOptions.defaults()
 *     .withConnectTimeout(Duration.ofSeconds(5))
 *     .withLimit(1 << 20);
 * }</pre>
 *
 * <p>Threading: any thread.
 */
public final class ConnectionOptions {
  /**
   * The default TLS handshake timeout: asyncio's {@code ssl_handshake_timeout}, 60 seconds. Threading:
   * any thread.
   */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

  private static final ConnectionOptions DEFAULTS =
      new ConnectionOptions(StreamReader.DEFAULT_LIMIT, SocketTransport.DEFAULT_HIGH_WATER,
          SocketTransport.DEFAULT_HIGH_WATER / 4, null, 100, true, null,
          DEFAULT_HANDSHAKE_TIMEOUT);

  private final int limit;
  private final int highWater;
  private final int lowWater;
  private final Duration connectTimeout;
  private final int backlog;
  private final boolean noDelay;
  private final String serverHostname;
  private final Duration handshakeTimeout;

  private ConnectionOptions(int limit, int highWater, int lowWater, Duration connectTimeout,
      int backlog, boolean noDelay, String serverHostname, Duration handshakeTimeout) {
    this.limit = limit;
    this.highWater = highWater;
    this.lowWater = lowWater;
    this.connectTimeout = connectTimeout;
    this.backlog = backlog;
    this.noDelay = noDelay;
    this.serverHostname = serverHostname;
    this.handshakeTimeout = handshakeTimeout;
  }

  /**
   * The defaults: a 64 KiB reader limit, write water marks of 64 KiB and 16 KiB, no connect timeout,
   * a backlog of 100, {@code TCP_NODELAY} on (as asyncio sets it); over TLS, the host connected to
   * as the server's name and a handshake timeout of 60 seconds. Threading: any thread.
   */
  public static ConnectionOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The longest line or record a reader accepts, and the buffer size its flow control works around.
   * Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code limit <= 0}
   */
  public ConnectionOptions withLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("the limit must be positive: " + limit);
    }
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay,
        serverHostname, handshakeTimeout);
  }

  /**
   * The write buffer's water marks: {@code drain()} waits while more than {@code high} bytes are
   * buffered, until at most {@code low} are. Threading: any thread.
   *
   * @throws IllegalArgumentException unless {@code 0 <= low <= high}
   */
  public ConnectionOptions withWriteBufferLimits(int high, int low) {
    if (low < 0 || high < low) {
      throw new IllegalArgumentException(
          "write buffer limits need 0 <= low <= high: high " + high + ", low " + low);
    }
    return new ConnectionOptions(limit, high, low, connectTimeout, backlog, noDelay,
        serverHostname, handshakeTimeout);
  }

  /**
   * How long a connect may take, over all the addresses tried (and over TLS, the handshake too), before
   * it fails with an {@link io.awaitj.AsyncTimeoutException}; {@code null}: no limit (the system's own
   * connect timeout).
   * Threading: any thread.
   */
  public ConnectionOptions withConnectTimeout(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("the connect timeout is negative: " + timeout);
    }
    return new ConnectionOptions(limit, highWater, lowWater, timeout, backlog, noDelay,
        serverHostname, handshakeTimeout);
  }

  /**
   * The server's accept backlog. Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code backlog <= 0}
   */
  public ConnectionOptions withBacklog(int backlog) {
    if (backlog <= 0) {
      throw new IllegalArgumentException("the backlog must be positive: " + backlog);
    }
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay,
        serverHostname, handshakeTimeout);
  }

  /** Whether TCP connections set {@code TCP_NODELAY}. Threading: any thread. */
  public ConnectionOptions withNoDelay(boolean noDelay) {
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay,
        serverHostname, handshakeTimeout);
  }

  /**
   * The name a TLS client sends the server (SNI) and checks the server's certificate against, instead
   * of the host it connects to (asyncio's {@code server_hostname}): to connect to an address, or
   * through a tunnel, to a server whose certificate names another host. {@code null} (the default):
   * the host given to {@code openConnection}, whose certificate check an IP literal passes only if the
   * certificate lists that address (and which SNI does not carry). Ignored by plain TCP and by servers.
   * Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code name} is empty (hostname verification cannot be turned
   *     off this way: give the SSLContext a trust manager that decides instead)
   */
  public ConnectionOptions withServerHostname(String name) {
    if (name != null && name.isEmpty()) {
      throw new IllegalArgumentException("the server hostname is empty: give the name the server's"
          + " certificate is issued for, or null for the host connected to");
    }
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay, name,
        handshakeTimeout);
  }

  /**
   * How long a TLS handshake may take, from the TCP connection to its end, on clients and servers
   * (default {@link #DEFAULT_HANDSHAKE_TIMEOUT}, as asyncio's {@code ssl_handshake_timeout}): past it
   * the connection is aborted, and the connect fails with an {@link java.io.UncheckedIOException}
   * wrapping a {@link java.net.SocketTimeoutException}. {@code null}: no limit. The timeout runs on the
   * loop's clock: a virtual clock jumps to it as soon as the loop waits for a peer outside it, so
   * there the default ({@link #DEFAULT_HANDSHAKE_TIMEOUT} itself) does not apply, and a timeout given
   * here does (to test timeouts with). Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public ConnectionOptions withHandshakeTimeout(Duration timeout) {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("the handshake timeout must be positive: " + timeout
          + " (null for none)");
    }
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay,
        serverHostname, timeout);
  }

  /** The TLS server name, or {@code null} for the host connected to. Threading: any thread. */
  public String serverHostname() {
    return serverHostname;
  }

  /** The TLS handshake timeout, or {@code null}. Threading: any thread. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * The handshake timeout that applies on {@code loop}: none for the default on a virtual clock, which
   * would jump to it as soon as the loop waits for a peer outside it.
   */
  Duration handshakeTimeoutOn(io.awaitj.EventLoop loop) {
    if (handshakeTimeout == DEFAULT_HANDSHAKE_TIMEOUT && loop.isVirtualTime()) {
      return null;
    }
    return handshakeTimeout;
  }

  /** The reader's limit. Threading: any thread. */
  public int limit() {
    return limit;
  }

  /** The write buffer's high-water mark. Threading: any thread. */
  public int highWater() {
    return highWater;
  }

  /** The write buffer's low-water mark. Threading: any thread. */
  public int lowWater() {
    return lowWater;
  }

  /** The connect timeout, or {@code null}. Threading: any thread. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The server's backlog. Threading: any thread. */
  public int backlog() {
    return backlog;
  }

  /** Whether TCP connections set {@code TCP_NODELAY}. Threading: any thread. */
  public boolean noDelay() {
    return noDelay;
  }

  @Override
  public String toString() {
    return "ConnectionOptions[limit=" + limit + ", writeBuffer=" + highWater + "/" + lowWater
        + ", connectTimeout=" + connectTimeout + ", backlog=" + backlog + ", noDelay=" + noDelay
        + (serverHostname != null ? ", serverHostname=" + serverHostname : "")
        + ", handshakeTimeout=" + handshakeTimeout + "]";
  }
}
