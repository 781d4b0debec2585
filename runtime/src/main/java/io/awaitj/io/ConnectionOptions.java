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
  private static final ConnectionOptions DEFAULTS =
      new ConnectionOptions(StreamReader.DEFAULT_LIMIT, SocketTransport.DEFAULT_HIGH_WATER,
          SocketTransport.DEFAULT_HIGH_WATER / 4, null, 100, true);

  private final int limit;
  private final int highWater;
  private final int lowWater;
  private final Duration connectTimeout;
  private final int backlog;
  private final boolean noDelay;

  private ConnectionOptions(
      int limit, int highWater, int lowWater, Duration connectTimeout, int backlog, boolean noDelay) {
    this.limit = limit;
    this.highWater = highWater;
    this.lowWater = lowWater;
    this.connectTimeout = connectTimeout;
    this.backlog = backlog;
    this.noDelay = noDelay;
  }

  /**
   * The defaults: a 64 KiB reader limit, write water marks of 64 KiB and 16 KiB, no connect timeout,
   * a backlog of 100, {@code TCP_NODELAY} on (as asyncio sets it). Threading: any thread.
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
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay);
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
    return new ConnectionOptions(limit, high, low, connectTimeout, backlog, noDelay);
  }

  /**
   * How long a connect may take, over all the addresses tried, before it fails with an {@link
   * io.awaitj.AsyncTimeoutException}; {@code null}: no limit (the system's own connect timeout).
   * Threading: any thread.
   */
  public ConnectionOptions withConnectTimeout(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("the connect timeout is negative: " + timeout);
    }
    return new ConnectionOptions(limit, highWater, lowWater, timeout, backlog, noDelay);
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
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay);
  }

  /** Whether TCP connections set {@code TCP_NODELAY}. Threading: any thread. */
  public ConnectionOptions withNoDelay(boolean noDelay) {
    return new ConnectionOptions(limit, highWater, lowWater, connectTimeout, backlog, noDelay);
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
        + "]";
  }
}
