package io.awaitj.io;

import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.TimerHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over a transport, through the JDK's {@link SSLEngine}: asyncio's {@code sslproto.SSLProtocol}.
 * It is the {@link Protocol} of the socket transport below, to which it writes records, and offers a
 * {@link Transport} ({@link AppTransport}) to the protocol above (a {@link StreamProtocol}), which
 * reads and writes application data. The protocol above is made ({@link Protocol#connectionMade}) only
 * once the handshake succeeded; the {@link Listener} learns the handshake's outcome (the client's
 * connect awaits it; the server starts the handler or reports the failure).
 *
 * <h2>Buffers</h2>
 *
 * <ul>
 *   <li>Incoming records are unwrapped straight from the socket transport's read buffer; only a
 *       record cut by the end of a read is copied, into {@link #netIn} (one per connection, made for
 *       the first cut record, a record long, kept), and completed from the next read.
 *   <li>Decrypted bytes go into the loop thread's {@link Buffers#appIn}, handed to the protocol above
 *       at once (which copies what it keeps, as {@link Protocol#dataReceived} says): an idle connection
 *       holds no application buffer.
 *   <li>Records to send are wrapped into the loop thread's {@link Buffers#netOut} (a few records
 *       long, so a large write goes down in few socket writes) and handed to the socket transport,
 *       which copies only what the socket does not take.
 *   <li>Application data written before the handshake is done (or while a renegotiation holds
 *       the engine) is copied into {@link #backlog}, sent once the engine takes it.
 * </ul>
 *
 * A buffer the engine finds too small (BUFFER_OVERFLOW) is grown to the session's size, once; a record
 * that needs more bytes (BUFFER_UNDERFLOW) waits in {@link #netIn} for the next read. The loop thread's
 * buffers are borrowed only within one call from the loop and never across a call into user code that
 * could reach another connection's TLS: {@link AppTransport#resumeReading()}, the one call that would
 * deliver data from inside a read of the protocol above, delivers on the next pass instead.
 *
 * <h2>Delegated tasks</h2>
 *
 * The engine's delegated tasks of the handshake (certificate checks, key exchange, signatures) run on
 * a thread ({@link TaskPool}), not on the loop's: measured warm (500 handshakes in a row on one loop,
 * EC P-256 keys, JDK 17, two cores), they take 0.6 to 0.9 ms on the client's side and 1.1 to 1.4 ms on
 * the server's, per handshake, a stall every other connection of the loop would wait out, while the
 * hop to a thread and back did not change the time per connection (4.4 to 5.7 ms either way). Meanwhile
 * the connection neither wraps nor unwraps: what arrives waits in {@link #netIn}. After the handshake
 * the tasks (a TLS 1.3 session ticket's, tens of microseconds) run inline.
 *
 * <h2>Closing</h2>
 *
 * {@link AppTransport#close()} sends what is buffered, then close_notify, then closes the socket without
 * waiting for the peer's close_notify (as Netty does by default; TLS 1.3 does not require the wait).
 * The peer's close_notify is the end of the stream for the protocol above, and the connection is
 * then closed as asyncio does (no half-close over TLS: {@link AppTransport#canWriteEof()} is false).
 * A TCP end of stream without close_notify is taken as the end of the stream too (asyncio's
 * {@code suppress_ragged_eofs}), unless it cuts a record, which is an error. Closing during the
 * handshake aborts.
 *
 * <p>Threading: the loop's thread.
 */
final class SslProtocol implements Protocol {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** Records wrapped into {@link Buffers#netOut} before it is handed to the socket transport. */
  private static final int RECORDS_PER_WRITE = 4;

  /** The outcome of a handshake. */
  interface Listener {
    /**
     * The handshake succeeded ({@code failure} null; the protocol above was made just before) or
     * failed (the connection is closed or closing). Called once, on the loop's thread.
     */
    void handshakeDone(SslProtocol tls, UncheckedIOException failure);
  }

  /** The buffers of the loop running on this thread; see the class comment. */
  private static final class Buffers {
    ByteBuffer appIn = ByteBuffer.allocate(0);
    ByteBuffer netOut = ByteBuffer.allocate(0);
    int packetSize;

    void fit(SSLEngine engine) {
      int app = engine.getSession().getApplicationBufferSize();
      int packet = engine.getSession().getPacketBufferSize();
      if (appIn.capacity() < app) {
        appIn = ByteBuffer.allocate(app);
      }
      if (packetSize < packet) {
        packetSize = packet;
      }
      if (netOut.capacity() < RECORDS_PER_WRITE * packet) {
        netOut = ByteBuffer.allocate(RECORDS_PER_WRITE * packet);
      }
    }
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private final EventLoop loop;
  private final SSLEngine engine;
  final Protocol app;
  private final AppTransport appTransport = new AppTransport();
  private final Duration handshakeTimeout;
  private Listener listener;

  /** The socket transport below. */
  private Transport transport;

  /** A record cut by the end of a read, waiting for the rest (write mode); null until needed. */
  private ByteBuffer netIn;

  /** Application data not yet taken by the engine; null while none is. */
  private ArrayDeque<ByteBuffer> backlog;
  private int backlogBytes;

  private TimerHandle timer;
  private boolean handshakeDone;
  /** The protocol above was made: it gets data and its connectionLost. */
  private boolean appMade;
  private boolean appReadPaused;
  private boolean closing;
  /** close() came while the backlog was not sent: close_notify follows it. */
  private boolean shutdownPending;
  /** Closed by {@link AppTransport#abort()} (the server's abortClients, a cancelled connect). */
  private boolean aborted;
  private boolean lost;
  private boolean peerEof;
  private boolean eofDelivered;
  private boolean stashScheduled;
  /** Delegated tasks run on a thread: no wrap or unwrap until they are done. */
  private boolean tasksRunning;
  /** The error that ended the connection, for the protocol above's connectionLost. */
  private Throwable failure;

  private final Runnable processStash = this::processStash;

  SslProtocol(EventLoop loop, SSLEngine engine, Protocol app, Duration handshakeTimeout,
      Listener listener) {
    this.loop = loop;
    this.engine = engine;
    this.app = app;
    this.handshakeTimeout = handshakeTimeout;
    this.listener = listener;
  }

  /**
   * A client engine for {@code serverName}: SNI with that name (unless it is an IP literal) and
   * hostname verification ({@code "HTTPS"}, RFC 2818's rules) on.
   *
   * @throws IllegalStateException if the context is not initialized
   */
  static SSLEngine clientEngine(SSLContext ssl, String serverName, int port) {
    SSLEngine e = newEngine(ssl, serverName, port);
    e.setUseClientMode(true);
    SSLParameters p = e.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!Addresses.isLiteral(serverName)) {
      try {
        p.setServerNames(List.of(new SNIHostName(serverName)));
      } catch (IllegalArgumentException notAHostName) {
        // No SNI for a name SNI cannot carry; the certificate is still checked against it.
      }
    }
    e.setSSLParameters(p);
    return e;
  }

  /**
   * A server engine.
   *
   * @throws IllegalStateException if the context is not initialized
   */
  static SSLEngine serverEngine(SSLContext ssl) {
    SSLEngine e = newEngine(ssl, null, -1);
    e.setUseClientMode(false);
    return e;
  }

  private static SSLEngine newEngine(SSLContext ssl, String host, int port) {
    try {
      return host == null ? ssl.createSSLEngine() : ssl.createSSLEngine(host, port);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "the SSLContext is not initialized: call its init(keyManagers, trustManagers, random)"
              + " before opening TLS connections with it", e);
    }
  }

  /** The transport the protocol above writes to. */
  Transport appTransport() {
    return appTransport;
  }

  /** Whether {@link AppTransport#abort()} closed it (not a failure of the peer or the network). */
  boolean abortedLocally() {
    return aborted;
  }

  /** The peer's address. */
  SocketAddress remoteAddress() {
    return transport == null ? null : transport.remoteAddress();
  }

  // ---------------------------------------------------------------------------------------------
  // Protocol: what the socket transport calls.

  @Override
  public void connectionMade(Transport transport) {
    this.transport = transport;
    BUFFERS.get().fit(engine);
    if (handshakeTimeout != null) {
      timer = loop.callLater(handshakeTimeout, this::handshakeTimedOut);
    }
    try {
      engine.beginHandshake();
    } catch (SSLException e) {
      fatal(e);
      return;
    }
    wrap(EMPTY); // the ClientHello, for a client
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    // First complete a record cut by the last read, a bounded chunk at a time.
    while (data.hasRemaining() && netIn != null && netIn.position() > 0 && canUnwrap()) {
      if (!netIn.hasRemaining()) {
        growNetIn(netIn.capacity() * 2);
      }
      int n = Math.min(data.remaining(), netIn.remaining());
      int limit = data.limit();
      data.limit(data.position() + n);
      netIn.put(data);
      data.limit(limit);
      netIn.flip();
      unwrap(netIn);
      netIn.compact();
    }
    if (data.hasRemaining() && (netIn == null || netIn.position() == 0) && canUnwrap()) {
      unwrap(data); // the common case: straight from the read buffer
    }
    if (data.hasRemaining() && !closing && !lost) {
      stash(data);
    } else {
      data.position(data.limit());
    }
  }

  @Override
  public boolean eofReceived() {
    if (!handshakeDone) {
      fatal(new SSLHandshakeException("the peer closed the connection during the TLS handshake"));
      return false;
    }
    peerEof = true;
    if (netIn != null && netIn.position() > 0 && !canUnwrap()) {
      return true; // reading is paused with records held: the end of stream follows them
    }
    endOfStream();
    return false;
  }

  @Override
  public void connectionLost(Throwable cause) {
    lost = true;
    cancelTimer();
    backlog = null;
    backlogBytes = 0;
    Throwable c = cause != null ? cause : failure;
    if (!handshakeDone) {
      if (c == null) {
        c = new SSLHandshakeException("the connection was closed during the TLS handshake");
      }
      notifyFailure(c);
    } else if (appMade) {
      appMade = false;
      app.connectionLost(c);
    }
  }

  @Override
  public void pauseWriting() {
    if (appMade) {
      app.pauseWriting();
    }
  }

  @Override
  public void resumeWriting() {
    if (appMade) {
      app.resumeWriting();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Unwrapping.

  private boolean canUnwrap() {
    return !lost && !closing && !tasksRunning && !(handshakeDone && appReadPaused);
  }

  /** Unwraps the records in {@code in} while it holds whole ones and reading goes on. */
  private void unwrap(ByteBuffer in) {
    Buffers b = BUFFERS.get();
    while (in.hasRemaining() && canUnwrap()) {
      ByteBuffer out = b.appIn;
      out.clear();
      SSLEngineResult r;
      try {
        r = engine.unwrap(in, out);
      } catch (SSLException e) {
        fatal(e);
        return;
      }
      switch (r.getStatus()) {
        case BUFFER_OVERFLOW:
          b.appIn = ByteBuffer.allocate(
              Math.max(engine.getSession().getApplicationBufferSize(), out.capacity() * 2));
          continue;
        case BUFFER_UNDERFLOW:
          return; // a cut record: the caller keeps it (dataReceived grows netIn when it is full)
        case CLOSED:
          deliver(out, r);
          handshakeStatus(r);
          inboundClosed();
          return;
        case OK:
        default:
          break;
      }
      deliver(out, r);
      handshakeStatus(r);
      if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
          && r.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
        return; // no progress: wait for more
      }
    }
  }

  private void deliver(ByteBuffer out, SSLEngineResult r) {
    if (r.bytesProduced() > 0 && appMade && !closing) {
      out.flip();
      app.dataReceived(out);
    }
  }

  /** After a wrap or an unwrap: the handshake's own work, and the end of the handshake. */
  private void handshakeStatus(SSLEngineResult r) {
    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      finished();
    }
    HandshakeStatus hs = engine.getHandshakeStatus();
    if (hs == HandshakeStatus.NEED_WRAP || hs == HandshakeStatus.NEED_TASK) {
      wrap(EMPTY);
    } else if (hs == HandshakeStatus.NOT_HANDSHAKING && !handshakeDone && !lost && !closing) {
      finished(); // a handshake that ended without a FINISHED result
    }
    if (backlog != null && handshakeDone && !lost) {
      flushBacklog();
    }
  }

  /** Keeps the bytes of a cut record (or, while reading is paused, of every unread record). */
  private void stash(ByteBuffer data) {
    int held = netIn == null ? 0 : netIn.position();
    int need = held + data.remaining();
    if (netIn == null || netIn.capacity() < need) {
      growNetIn(Math.max(need, engine.getSession().getPacketBufferSize()));
    }
    netIn.put(data);
  }

  private void growNetIn(int capacity) {
    ByteBuffer b = ByteBuffer.allocate(capacity);
    if (netIn != null) {
      netIn.flip();
      b.put(netIn);
    }
    netIn = b;
  }

  /** Unwraps what {@link #netIn} holds, after reading resumed; then the end of stream, if it came. */
  private void processStash() {
    stashScheduled = false;
    if (netIn != null && netIn.position() > 0 && canUnwrap()) {
      netIn.flip();
      unwrap(netIn);
      netIn.compact();
    }
    if (peerEof && canUnwrap()) {
      endOfStream();
    }
  }

  /** The TCP stream ended (after the handshake) and every whole record was read. */
  private void endOfStream() {
    if (netIn != null && netIn.position() > 0) {
      fatal(new SSLException("the connection ended in the middle of a TLS record: the data is"
          + " truncated (" + netIn.position() + " bytes of a record were received)"));
      return;
    }
    deliverEof();
  }

  /** The peer's close_notify came. */
  private void inboundClosed() {
    if (!handshakeDone) {
      fatal(new SSLHandshakeException("the peer closed the connection during the TLS handshake"));
      return;
    }
    deliverEof();
  }

  private void deliverEof() {
    if (eofDelivered || !appMade) {
      return;
    }
    eofDelivered = true;
    // No half-close over TLS, as in asyncio: whatever the protocol above answers, the connection closes.
    app.eofReceived();
    appTransport.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Wrapping.

  /**
   * Wraps {@code src} (application data, or nothing) into records and hands them to the socket
   * transport, doing the handshake's wraps and tasks on the way; stops when {@code src} is used up
   * and the engine wants no wrap, or when it must unwrap first (the rest of {@code src} stays).
   */
  private void wrap(ByteBuffer src) {
    Buffers b = BUFFERS.get();
    ByteBuffer out = b.netOut;
    out.clear();
    try {
      for (;;) {
        if (lost) {
          return;
        }
        HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == HandshakeStatus.NEED_TASK) {
          if (tasksRunning || !runDelegatedTasks()) {
            break; // on a thread: tasksDone() goes on
          }
          continue;
        }
        if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
          break; // the peer's turn
        }
        if (!src.hasRemaining() && hs != HandshakeStatus.NEED_WRAP) {
          break;
        }
        if (out.remaining() < b.packetSize) {
          send(out);
        }
        SSLEngineResult r = engine.wrap(src, out);
        switch (r.getStatus()) {
          case BUFFER_OVERFLOW:
            if (out.position() > 0) {
              send(out);
            } else {
              b.netOut = ByteBuffer.allocate(Math.max(out.capacity() * 2,
                  RECORDS_PER_WRITE * engine.getSession().getPacketBufferSize()));
              b.packetSize = Math.max(b.packetSize, engine.getSession().getPacketBufferSize());
              out = b.netOut;
            }
            continue;
          case CLOSED:
            send(out);
            src.position(src.limit()); // the engine is closed for writing: nothing more goes out
            return;
          case OK:
          default:
            break;
        }
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
          send(out); // the last handshake message goes before anything the protocol above writes
          finished();
          out = b.netOut; // it may have wrapped, with the same buffer, which it left empty
          continue;
        }
        if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
            && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK
            && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
          break; // no progress
        }
      }
      send(out);
    } catch (SSLException e) {
      send(out);
      fatal(e);
    }
  }

  private void send(ByteBuffer out) {
    out.flip();
    if (out.hasRemaining() && !lost) {
      transport.write(out);
    }
    out.clear();
  }

  /**
   * Runs the engine's delegated tasks: inline after the handshake (a session ticket's are cheap), on
   * the loop's default executor during it (certificate checks, key exchange and signatures: see the
   * class comment), after which {@link #tasksDone} goes on.
   *
   * @return whether they ran (inline); {@code false} if they run on a thread
   */
  private boolean runDelegatedTasks() {
    Runnable first = engine.getDelegatedTask();
    if (first == null) {
      return true;
    }
    if (handshakeDone) {
      Runnable task = first;
      do {
        task.run();
      } while ((task = engine.getDelegatedTask()) != null);
      return true;
    }
    tasksRunning = true;
    CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
      Runnable task = first;
      do {
        task.run();
      } while ((task = engine.getDelegatedTask()) != null);
    }, TaskPool.EXECUTOR);
    loop.wrapWork(work).addDoneCallback(this::tasksDone);
    return false;
  }

  /**
   * The threads of the handshakes' delegated tasks, shared by every loop: CPU-bound work, so as many
   * threads as processors at most (a burst of handshakes queues instead of making a thread each, as
   * the loop's default executor would), which end after a while idle.
   */
  private static final class TaskPool {
    static final ExecutorService EXECUTOR = create();

    private static ExecutorService create() {
      AtomicInteger n = new AtomicInteger();
      int threads = Runtime.getRuntime().availableProcessors();
      ThreadPoolExecutor e = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "awaitj-tls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      e.allowCoreThreadTimeOut(true);
      return e;
    }
  }

  /** The delegated tasks ran on a thread: the handshake goes on, on the loop's thread. */
  private void tasksDone(Promise<Void> work) {
    tasksRunning = false;
    if (lost || closing) {
      return;
    }
    if (work.isCancelled()) {
      return; // the loop is closing, and its channels with it
    }
    if (!work.isSuccess()) {
      Throwable e = work.exception();
      fatal(new SSLException("a delegated task of the TLS handshake failed: " + e, e));
      return;
    }
    wrap(EMPTY);
    if (!handshakeDone && !lost && !closing && !tasksRunning
        && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
      finished();
    }
    if (backlog != null && handshakeDone && !lost) {
      flushBacklog();
    }
    processStash();
  }

  /** Sends the application data held back, as far as the engine takes it. */
  private void flushBacklog() {
    while (backlog != null && !lost) {
      ByteBuffer first = backlog.peekFirst();
      int before = first.remaining();
      wrap(first);
      backlogBytes -= before - first.remaining();
      if (first.hasRemaining()) {
        return; // the engine holds it back (a renegotiation): the next unwrap goes on
      }
      backlog.pollFirst();
      if (backlog.isEmpty()) {
        backlog = null;
      }
    }
    if (backlog == null && shutdownPending) {
      shutdownPending = false;
      shutdown();
    }
  }

  private void hold(ByteBuffer data) {
    if (backlog == null) {
      backlog = new ArrayDeque<>();
    }
    int n = data.remaining();
    ByteBuffer copy = ByteBuffer.allocate(n);
    copy.put(data).flip();
    backlog.addLast(copy);
    backlogBytes += n;
  }

  // ---------------------------------------------------------------------------------------------
  // The handshake's end, and failures.

  private void finished() {
    if (handshakeDone || lost || closing) {
      return; // a post-handshake message (a TLS 1.3 session ticket) reports FINISHED again
    }
    handshakeDone = true;
    cancelTimer();
    appMade = true;
    app.connectionMade(appTransport);
    Listener l = listener;
    listener = null;
    if (l != null) {
      l.handshakeDone(this, null);
    }
    if (appReadPaused && !lost) {
      transport.pauseReading();
    }
  }

  private void handshakeTimedOut() {
    timer = null;
    if (handshakeDone || lost || closing) {
      return;
    }
    closing = true;
    SocketTimeoutException e = new SocketTimeoutException(
        "the TLS handshake did not complete within " + describe(handshakeTimeout)
            + ": the peer may not speak TLS, or is slow (ConnectionOptions.withHandshakeTimeout)");
    failure = e;
    transport.abort();
    notifyFailure(e);
  }

  /**
   * The engine failed (or the peer broke the protocol): sends the alert the engine has for the peer,
   * if any, then closes the socket. The protocol above learns it through connectionLost; during the
   * handshake, the listener does.
   */
  private void fatal(IOException e) {
    if (lost || (closing && failure != null)) {
      return;
    }
    closing = true;
    failure = e;
    cancelTimer();
    if (!engine.isOutboundDone()) {
      engine.closeOutbound();
      Buffers b = BUFFERS.get();
      ByteBuffer out = b.netOut;
      out.clear();
      for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
        try {
          SSLEngineResult r = engine.wrap(EMPTY, out);
          if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesProduced() == 0) {
            break;
          }
        } catch (SSLException ignored) {
          break; // no alert to send: close all the same
        }
      }
      send(out);
    }
    transport.close();
    if (!handshakeDone) {
      notifyFailure(e);
    }
  }

  private void notifyFailure(Throwable cause) {
    Listener l = listener;
    listener = null;
    if (l != null) {
      l.handshakeDone(this, handshakeError(cause));
    }
  }

  /** The exception of a failed handshake: says what failed and, where it can, what to do. */
  private UncheckedIOException handshakeError(Throwable cause) {
    String who = engine.getUseClientMode()
        ? "TLS handshake with " + engine.getPeerHost() + " at " + remoteAddress()
        : "TLS handshake with the client at " + remoteAddress();
    String msg = who + " failed: " + cause.getMessage() + hint(cause);
    IOException io;
    if (cause instanceof IOException i) {
      io = i;
    } else {
      io = new SSLHandshakeException(String.valueOf(cause.getMessage()));
      io.initCause(cause);
    }
    return new UncheckedIOException(msg, io);
  }

  private String hint(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof java.security.cert.CertificateException
          && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
        return " (the certificate does not name " + engine.getPeerHost() + ": connect with a name it"
            + " was issued for, or give that name with ConnectionOptions.withServerHostname)";
      }
      if (t instanceof java.security.cert.CertPathBuilderException
          || t instanceof java.security.cert.CertPathValidatorException
          || m.contains("PKIX path")) {
        return " (the server's certificate is not trusted: initialize the SSLContext with a"
            + " TrustManagerFactory over a KeyStore that holds the certificate or its CA)";
      }
      if (m.contains("plaintext connection")) {
        return " (the peer does not speak TLS)";
      }
      if (m.contains("no cipher suites in common") || m.contains("No available authentication")) {
        return engine.getUseClientMode()
            ? " (the server offers nothing this SSLContext accepts)"
            : " (the server's SSLContext may have no key: initialize it with a KeyManagerFactory)";
      }
    }
    return "";
  }

  private static String describe(Duration d) {
    return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  private void cancelTimer() {
    TimerHandle t = timer;
    timer = null;
    if (t != null) {
      t.cancel();
    }
  }

  /** Sends close_notify, then closes the socket (after what it holds is sent). */
  private void shutdown() {
    if (!engine.isOutboundDone()) {
      engine.closeOutbound();
      wrap(EMPTY);
    }
    transport.close();
  }

  @Override
  public String toString() {
    return "SslProtocol[" + (engine.getUseClientMode() ? "client" : "server")
        + (handshakeDone ? ", " + engine.getSession().getProtocol() : ", handshaking")
        + (closing ? ", closing" : "") + ", " + transport + "]";
  }

  /**
   * The transport the protocol above sees: application data in and out. Threading: the loop's
   * thread.
   */
  final class AppTransport implements Transport {
    @Override
    public void write(ByteBuffer data) {
      if (closing || lost) {
        data.position(data.limit()); // as the socket transport: nothing can send it
        return;
      }
      if (!data.hasRemaining()) {
        return;
      }
      if (!handshakeDone || backlog != null) {
        hold(data);
        return;
      }
      wrap(data);
      if (data.hasRemaining() && !closing && !lost) {
        hold(data);
      }
    }

    /** @throws UnsupportedOperationException always: TLS has no half-close here (as asyncio) */
    @Override
    public void writeEof() {
      throw new UnsupportedOperationException(
          "writeEof() is not supported over TLS: close() the connection instead");
    }

    @Override
    public boolean canWriteEof() {
      return false;
    }

    @Override
    public void close() {
      if (closing) {
        return;
      }
      closing = true;
      if (!handshakeDone) {
        abortNow();
        return;
      }
      if (backlog != null) {
        shutdownPending = true;
        return;
      }
      shutdown();
    }

    @Override
    public void abort() {
      if (lost) {
        return;
      }
      closing = true;
      abortNow();
    }

    private void abortNow() {
      aborted = true;
      backlog = null;
      backlogBytes = 0;
      cancelTimer();
      transport.abort();
    }

    @Override
    public boolean isClosing() {
      return closing || lost;
    }

    @Override
    public void pauseReading() {
      if (!appReadPaused) {
        appReadPaused = true;
        if (handshakeDone && !lost) {
          transport.pauseReading();
        }
      }
    }

    @Override
    public void resumeReading() {
      if (appReadPaused) {
        appReadPaused = false;
        if (lost) {
          return;
        }
        transport.resumeReading();
        // Records held while paused are delivered on the next pass, not from inside this call,
        // which a reader makes in the middle of a read.
        if ((peerEof || (netIn != null && netIn.position() > 0)) && !stashScheduled) {
          stashScheduled = true;
          loop.callSoon(processStash);
        }
      }
    }

    @Override
    public boolean isReading() {
      return !appReadPaused && !closing && !lost;
    }

    @Override
    public int writeBufferSize() {
      return backlogBytes + (transport == null ? 0 : transport.writeBufferSize());
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
      transport.setWriteBufferLimits(high, low);
    }

    @Override
    public SocketAddress remoteAddress() {
      return transport.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
      return transport.localAddress();
    }

    @Override
    public String toString() {
      return "TLS " + SslProtocol.this;
    }
  }
}
