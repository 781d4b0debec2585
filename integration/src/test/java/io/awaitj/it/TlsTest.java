package io.awaitj.it;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.io.Connection;
import io.awaitj.io.ConnectionOptions;
import io.awaitj.io.Server;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS over real sockets on 127.0.0.1, with self-signed certificates that {@code keytool} makes for the
 * test run. Peers outside the loop are the JDK's own blocking {@link SSLSocket}s, or plain sockets
 * that say nothing, on a thread of their own.
 */
@Timeout(60)
class TlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  /** The server's certificate (names localhost and 127.0.0.1) and key. */
  private static SSLContext server;
  /** A client that trusts {@link #server}'s certificate. */
  private static SSLContext client;
  /** Another self-signed certificate and key, for the same names, that {@link #client} does not trust. */
  private static SSLContext untrustedServer;

  @BeforeAll
  static void certificates(@TempDir Path dir) throws Exception {
    Path good = keyPair(dir, "good");
    Path other = keyPair(dir, "other");
    server = serverContext(good);
    client = clientContext(good);
    untrustedServer = serverContext(other);
  }

  /** A self-signed EC certificate for localhost and 127.0.0.1, made with the JDK's keytool. */
  private static Path keyPair(Path dir, String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-noprompt", "-alias", name,
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost, O=awaitj test " + name,
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, p.exitValue(), "keytool failed: " + out);
    assertTrue(Files.size(store) > 0);
    return store;
  }

  private static KeyStore load(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  private static SSLContext serverContext(Path store) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(store), PASSWORD);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(kmf.getKeyManagers(), null, null);
    return c;
  }

  private static SSLContext clientContext(Path store) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(store));
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, tmf.getTrustManagers(), null);
    return c;
  }

  /** A client context with the JDK's CA certificates, which trust no self-signed certificate. */
  static SSLContext jdkDefaults() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, null, null);
      return c;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Echo, and close_notify in both directions.

  /** Echoes lines upper-cased; records how the stream ended (close_notify: readLine() null). */
  @Async
  static Coroutine<Void> echoLines(StreamReader reader, StreamWriter writer, List<String> log) {
    log.add("handler started, canWriteEof=" + writer.canWriteEof());
    for (String line : reader) {
      writer.write(line.toUpperCase() + "\n");
      await(writer.drain());
    }
    log.add("eof=" + reader.atEof());
    return done();
  }

  @Async
  static Coroutine<List<String>> echoRoundTrip(String host, ConnectionOptions options) {
    List<String> log = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    try (Server s = await(Aio.startServer(
        (r, w) -> TlsTestAsync.echoLines(r, w, log), "127.0.0.1", 0, server))) {
      try (Connection c = await(Aio.openConnection(host, s.port(), client, options))) {
        answers.add("canWriteEof=" + c.writer().canWriteEof());
        for (String line : List.of("hello", "wörld", "", "x")) {
          c.writer().write(line + "\n");
          answers.add(await(c.reader().readLine()));
        }
      }
      // The client's close sent close_notify: the handler reads the end and finishes.
      await(Aio.waitFor(s.closeAsync(), Duration.ofSeconds(10)));
    }
    answers.addAll(log);
    return done(answers);
  }

  @Test
  void echoOverTlsToAnAddress() {
    List<String> out =
        Aio.run(TlsTestAsync.echoRoundTrip("127.0.0.1", ConnectionOptions.defaults()));
    assertEquals(List.of("canWriteEof=false", "HELLO", "WÖRLD", "", "X",
        "handler started, canWriteEof=false", "eof=true"), out);
  }

  @Test
  void echoOverTlsWithTheServerNameForSniAndVerification() {
    List<String> out = Aio.run(TlsTestAsync.echoRoundTrip(
        "127.0.0.1", ConnectionOptions.defaults().withServerHostname("localhost")));
    assertEquals(List.of("canWriteEof=false", "HELLO", "WÖRLD", "", "X",
        "handler started, canWriteEof=false", "eof=true"), out);
  }

  /** Writes a line and returns: the server closes, sending close_notify. */
  @Async
  static Coroutine<Void> sayBye(StreamReader reader, StreamWriter writer) {
    writer.write("bye\n");
    return done();
  }

  @Async
  static Coroutine<List<String>> readUntilServerCloses() {
    List<String> out = new ArrayList<>();
    try (Server s = await(Aio.startServer(TlsTestAsync::sayBye, "127.0.0.1", 0, server))) {
      try (Connection c = await(Aio.openConnection("127.0.0.1", s.port(), client))) {
        out.add(await(c.reader().readLine()));
        out.add(String.valueOf(await(c.reader().readLine())));
        out.add("atEof=" + c.reader().atEof());
        await(c.writer().waitClosed()); // closed cleanly: no error
        out.add("closed");
      }
    }
    return done(out);
  }

  @Test
  void closeNotifyFromTheServerIsTheEndOfTheStream() {
    assertEquals(List.of("bye", "null", "atEof=true", "closed"),
        Aio.run(TlsTestAsync.readUntilServerCloses()));
  }

  @Async
  static Coroutine<String> connectAndClose(int port) {
    Connection c = await(Aio.openConnection("127.0.0.1", port, client));
    await(c.closeAsync());
    return done("connected");
  }

  @Test
  void theDefaultHandshakeTimeoutDoesNotExpireAtOnceOnAVirtualClock() throws Exception {
    // While it waits for a peer outside the loop, a virtual clock jumps to the next timer: a 60 s
    // handshake timeout would pass at once. Only a timeout given with withHandshakeTimeout applies.
    try (Peer peer = new Peer(server)) {
      assertEquals("connected", Aio.runVirtual(TlsTestAsync.connectAndClose(peer.port())));
      assertEquals("handshake succeeded, closed", peer.outcome.get(20, TimeUnit.SECONDS));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Large payloads, with drain, both ways.

  /** Echoes bytes as they come, draining, until the end of the stream. */
  @Async
  static Coroutine<Void> echoBytes(StreamReader reader, StreamWriter writer) {
    byte[] chunk;
    while ((chunk = await(reader.read(64 * 1024))).length > 0) {
      writer.write(chunk);
      await(writer.drain());
    }
    return done();
  }

  @Async
  static Coroutine<Integer> send(StreamWriter writer, byte[] data) {
    int maxBuffered = 0;
    for (int off = 0; off < data.length; off += 50_000) {
      writer.write(data, off, Math.min(50_000, data.length - off));
      maxBuffered = Math.max(maxBuffered, writer.transport().writeBufferSize());
      await(writer.drain());
    }
    return done(maxBuffered);
  }

  @Async
  static Coroutine<Boolean> largePayload(byte[] data) {
    try (Server s = await(Aio.startServer(TlsTestAsync::echoBytes, "127.0.0.1", 0, server))) {
      try (Connection c = await(Aio.openConnection("127.0.0.1", s.port(), client))) {
        Task<Integer> sender = Aio.createTask(send(c.writer(), data));
        byte[] back = await(c.reader().readExactly(data.length));
        int maxBuffered = await(sender);
        assertArrayEquals(data, back);
        // drain() holds the buffer bounded: at most the high-water mark plus one write's records.
        assertTrue(maxBuffered <= 64 * 1024 + 60_000, "buffered " + maxBuffered);
      }
    }
    return done(true);
  }

  @Test
  void eightMebibytesBothWaysWithDrain() {
    byte[] data = new byte[8 << 20];
    new java.util.Random(12).nextBytes(data);
    assertTrue(Aio.run(TlsTestAsync.largePayload(data)));
  }

  /** Sends {@code data} in 64 KiB writes, draining, then returns: the server closes. */
  @Async
  static Coroutine<Void> sendAll(StreamWriter writer, byte[] data) {
    for (int off = 0; off < data.length; off += 65536) {
      writer.write(data, off, Math.min(65536, data.length - off));
      await(writer.drain());
    }
    return done();
  }

  @Async
  static Coroutine<Integer> slowReader(byte[] data) {
    int maxBuffered = 0;
    try (Server s = await(Aio.startServer(
        (r, w) -> TlsTestAsync.sendAll(w, data), "127.0.0.1", 0, server))) {
      try (Connection c = await(Aio.openConnection("127.0.0.1", s.port(), client))) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] chunk;
        int reads = 0;
        while ((chunk = await(c.reader().read(1000))).length > 0) {
          got.write(chunk, 0, chunk.length);
          maxBuffered = Math.max(maxBuffered, c.reader().buffered());
          if (++reads % 16 == 0) {
            await(Aio.sleep(0)); // let the loop run: the reader pauses and resumes its transport
          }
        }
        assertTrue(c.reader().atEof());
        assertArrayEquals(data, got.toByteArray());
      }
    }
    return done(maxBuffered);
  }

  @Test
  void aSlowReaderPausesTheTlsTransportAndLosesNothing() {
    byte[] data = new byte[4 << 20];
    new java.util.Random(7).nextBytes(data);
    int maxBuffered = Aio.run(TlsTestAsync.slowReader(data));
    // Paused past twice the reader's limit (64 KiB), TLS delivers no more records: at most one more.
    assertTrue(maxBuffered <= 2 * 64 * 1024 + 16 * 1024 + 1024, "buffered " + maxBuffered);
  }

  // ---------------------------------------------------------------------------------------------
  // Refused handshakes: the socket is closed.

  /**
   * A peer on a thread of its own: accepts one connection, runs a JDK {@link SSLSocket} server
   * handshake over it (if {@code tls}; otherwise reads and says nothing), then reads the raw socket
   * until the client closes it. Its outcome says how the handshake went and whether the socket was
   * closed ("closed", or "still open" if the client left it open 5 s).
   */
  static final class Peer implements AutoCloseable {
    final ServerSocket listener;
    final CompletableFuture<String> outcome = new CompletableFuture<>();

    Peer(SSLContext tls) throws IOException {
      listener = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
      Thread t = new Thread(() -> {
        try (Socket raw = listener.accept()) {
          raw.setSoTimeout(5_000);
          String handshake = "no handshake";
          if (tls != null) {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, null, false);
            s.setUseClientMode(false);
            try {
              s.startHandshake();
              handshake = "handshake succeeded";
            } catch (IOException e) {
              handshake = "handshake failed";
            }
          }
          InputStream in = raw.getInputStream();
          byte[] buf = new byte[4096];
          try {
            while (in.read(buf) >= 0) {
              // what the client sends before it closes
            }
            outcome.complete(handshake + ", closed");
          } catch (SocketTimeoutException e) {
            outcome.complete(handshake + ", still open");
          } catch (IOException e) {
            outcome.complete(handshake + ", closed (" + e.getMessage() + ")");
          }
        } catch (IOException | RuntimeException e) {
          outcome.completeExceptionally(e);
        }
      }, "tls-test-peer");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  /**
   * Connects expecting a refusal; then waits, while the loop still runs (closing a loop closes every
   * channel left), for what the peer saw: the socket closed, or still open.
   *
   * @return the connect's failure (null if it connected), and the peer's outcome
   */
  @Async
  static Coroutine<Object[]> refused(
      int port, SSLContext ctx, ConnectionOptions options, CompletableFuture<String> peer) {
    UncheckedIOException failure = null;
    try {
      Connection c = await(Aio.openConnection("127.0.0.1", port, ctx, options));
      c.writer().close();
    } catch (UncheckedIOException e) {
      failure = e;
    }
    String seen = await(Aio.waitFor(peer, Duration.ofSeconds(20)));
    return done(new Object[] {failure, seen});
  }

  /** The connect's failure, checked to be one, and that the peer saw the socket closed. */
  private static UncheckedIOException refusedAndClosed(Peer peer, SSLContext ctx,
      ConnectionOptions options, String peerSaw) {
    Object[] r = Aio.run(TlsTestAsync.refused(peer.port(), ctx, options, peer.outcome));
    UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, r[0]);
    assertEquals(peerSaw, ((String) r[1]).replaceAll(" \\(.*", ""), "what the peer saw");
    return e;
  }

  @Test
  void aHostnameMismatchIsRefusedAndTheSocketClosed() throws Exception {
    try (Peer peer = new Peer(server)) {
      UncheckedIOException e = refusedAndClosed(peer, client,
          ConnectionOptions.defaults().withServerHostname("wrong.example"),
          "handshake failed, closed");
      assertInstanceOf(SSLHandshakeException.class, e.getCause());
      assertTrue(e.getMessage().contains("TLS handshake with wrong.example"), e.getMessage());
      assertTrue(e.getMessage().contains("withServerHostname"), e.getMessage());
    }
  }

  @Test
  void aNameTheCertificateDoesNotListIsRefused() throws Exception {
    // "127.0.0.2" is an address the certificate does not list.
    try (Peer peer = new Peer(server)) {
      UncheckedIOException e = refusedAndClosed(peer, client,
          ConnectionOptions.defaults().withServerHostname("127.0.0.2"), "handshake failed, closed");
      assertInstanceOf(SSLHandshakeException.class, e.getCause());
      assertTrue(e.getMessage().contains("127.0.0.2"), e.getMessage());
    }
  }

  @Test
  void anUntrustedCertificateIsRefusedAndTheSocketClosed() throws Exception {
    try (Peer peer = new Peer(untrustedServer)) {
      UncheckedIOException e = refusedAndClosed(
          peer, client, ConnectionOptions.defaults(), "handshake failed, closed");
      assertInstanceOf(SSLHandshakeException.class, e.getCause());
      assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
    }
  }

  @Test
  void aClientTrustingNothingOfTheServersIsRefused() throws Exception {
    try (Peer peer = new Peer(server)) {
      UncheckedIOException e = refusedAndClosed(
          peer, jdkDefaults(), ConnectionOptions.defaults(), "handshake failed, closed");
      assertInstanceOf(SSLHandshakeException.class, e.getCause());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Handshake timeout and cancellation.

  @Test
  void aServerThatNeverAnswersTimesTheHandshakeOut() throws Exception {
    try (Peer silent = new Peer(null)) {
      long start = System.nanoTime();
      UncheckedIOException e = refusedAndClosed(silent, client,
          ConnectionOptions.defaults().withHandshakeTimeout(Duration.ofMillis(300)),
          "no handshake, closed");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertInstanceOf(SocketTimeoutException.class, e.getCause());
      assertTrue(e.getMessage().contains("did not complete within 300 ms"), e.getMessage());
      assertTrue(ms >= 290 && ms < 5_000, "took " + ms + " ms");
    }
  }

  @Async
  static Coroutine<String> cancelDuringHandshake(int port, CompletableFuture<String> peer) {
    Task<Connection> connect = Aio.createTask(Aio.openConnection("127.0.0.1", port, client));
    await(Aio.sleep(200));
    assertFalse(connect.isDone());
    connect.cancel();
    String outcome;
    try {
      await(connect);
      outcome = "connected";
    } catch (CancelledError e) {
      outcome = "cancelled";
    }
    // What the peer saw, while the loop runs (closing a loop closes every channel left).
    String seen = await(Aio.waitFor(peer, Duration.ofSeconds(20)));
    return done(outcome + ", " + seen.replaceAll(" \\(.*", ""));
  }

  @Test
  void cancellingAConnectDuringTheHandshakeClosesTheSocket() throws Exception {
    try (Peer silent = new Peer(null)) {
      assertEquals("cancelled, no handshake, closed",
          Aio.run(TlsTestAsync.cancelDuringHandshake(silent.port(), silent.outcome)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The server side: failed handshakes close one connection, never the server.

  @Async
  static Coroutine<List<String>> serverSurvivesBadClients(boolean debug) {
    List<String> reports = new ArrayList<>();
    List<String> log = new ArrayList<>();
    EventLoop loop = EventLoop.running();
    loop.setDebug(debug);
    // Debug mode also reports steps slower than 100 ms, which a handshake is on a loaded machine
    // (0.126 s once, with other builds running): only the handshake reports are the point here.
    loop.setSlowCallbackDuration(Duration.ofHours(1));
    loop.setExceptionHandler((message, e) -> reports.add(message));
    try (Server s = await(Aio.startServer((r, w) -> TlsTestAsync.echoLines(r, w, log),
        "127.0.0.1", 0, server, ConnectionOptions.defaults()))) {
      // A client that speaks no TLS: the server's handshake fails, and it closes that connection.
      try (Connection plain = await(Aio.openConnection("127.0.0.1", s.port()))) {
        plain.writer().write("GET / HTTP/1.0\r\n\r\n");
        await(Aio.waitFor(plain.reader().read(-1), Duration.ofSeconds(10))); // until it closes
      }
      // A client that does not trust the certificate.
      try {
        await(Aio.openConnection("127.0.0.1", s.port(), jdkDefaults()));
        log.add("untrusted client connected");
      } catch (UncheckedIOException expected) {
        log.add("untrusted client refused");
      }
      // The server still serves.
      try (Connection c = await(Aio.openConnection("127.0.0.1", s.port(), client))) {
        c.writer().write("still there\n");
        log.add(await(c.reader().readLine()));
      }
      await(Aio.sleep(100)); // the server's side of the refused client ends
      log.add("connections=" + s.connectionCount());
    }
    loop.setDebug(false);
    for (String r : reports) {
      log.add(r.contains("TLS handshake with the client") ? "reported a handshake failure" : r);
    }
    return done(log);
  }

  @Test
  void failedHandshakesCloseTheirConnectionOnlyAndAreReportedInDebugMode() {
    List<String> log = Aio.run(TlsTestAsync.serverSurvivesBadClients(true));
    assertEquals(List.of("untrusted client refused", "handler started, canWriteEof=false",
        "STILL THERE", "eof=true", "connections=0", "reported a handshake failure",
        "reported a handshake failure"), log);
  }

  @Test
  void failedHandshakesAreNotReportedOutsideDebugMode() {
    List<String> log = Aio.run(TlsTestAsync.serverSurvivesBadClients(false));
    assertEquals(List.of("untrusted client refused", "handler started, canWriteEof=false",
        "STILL THERE", "eof=true", "connections=0"), log);
  }

  // ---------------------------------------------------------------------------------------------
  // close_notify, as strict JDK peers see it (integration/pom.xml sets requireCloseNotify).

  /** Reads lines from {@code in} until the end: "a|b|eof", or the exception that ended it. */
  static String readToEnd(java.io.InputStream stream) {
    StringBuilder b = new StringBuilder();
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        b.append(line).append('|');
      }
      return b.append("eof").toString();
    } catch (IOException e) {
      return b.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).toString();
    }
  }

  /** A JDK client: reads to the end from 127.0.0.1:{@code port}, on a thread of its own. */
  static CompletableFuture<String> jdkReader(int port) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (SSLSocket sock = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
        sock.setSoTimeout(10_000);
        result.complete(readToEnd(sock.getInputStream()));
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, "tls-test-jdk-reader");
    t.setDaemon(true);
    t.start();
    return result;
  }

  @Test
  void strictJdkPeersFailOnAnEndWithoutCloseNotify() throws Exception {
    // The control of the two tests below: a JDK server that closes TCP under its TLS.
    try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
      Thread t = new Thread(() -> {
        try (Socket raw = listener.accept()) {
          SSLSocket s = (SSLSocket) server.getSocketFactory().createSocket(raw, null, false);
          s.setUseClientMode(false);
          s.getOutputStream().write("bye\n".getBytes(StandardCharsets.UTF_8));
          s.getOutputStream().flush();
        } catch (IOException e) {
          // the client's test fails instead
        }
      }, "tls-test-no-close-notify");
      t.setDaemon(true);
      t.start();
      String read = jdkReader(listener.getLocalPort()).get(20, TimeUnit.SECONDS);
      assertTrue(read.startsWith("bye|SSLProtocolException"),
          "the JDK's SSLSocket does not require close_notify (is com.sun.net.ssl.requireCloseNotify"
              + " set before its classes load?): " + read);
    }
  }

  @Async
  static Coroutine<String> serveAJdkReader() {
    try (Server s = await(Aio.startServer(TlsTestAsync::sayBye, "127.0.0.1", 0, server))) {
      return done(await(Aio.waitFor(jdkReader(s.port()), Duration.ofSeconds(20))));
    }
  }

  @Test
  void theServersCloseSendsCloseNotify() {
    assertEquals("bye|eof", Aio.run(TlsTestAsync.serveAJdkReader()));
  }

  @Async
  static Coroutine<Void> writeTwoLinesAndClose(int port) {
    try (Connection c = await(Aio.openConnection("127.0.0.1", port, client))) {
      c.writer().write("one\ntwo\n");
    }
    return done();
  }

  @Test
  void theClientsCloseSendsCloseNotify() throws Exception {
    CompletableFuture<String> read = new CompletableFuture<>();
    try (ServerSocket listener =
        server.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
      Thread t = new Thread(() -> {
        try (Socket s = listener.accept()) {
          s.setSoTimeout(10_000);
          read.complete(readToEnd(s.getInputStream()));
        } catch (IOException | RuntimeException e) {
          read.completeExceptionally(e);
        }
      }, "tls-test-jdk-server-reader");
      t.setDaemon(true);
      t.start();
      Aio.run(TlsTestAsync.writeTwoLinesAndClose(listener.getLocalPort()));
      assertEquals("one|two|eof", read.get(20, TimeUnit.SECONDS));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Against the JDK's own TLS 1.2: close_notify is answered in that version.

  @Async
  static Coroutine<List<String>> talkToJdkServer(int port) {
    List<String> out = new ArrayList<>();
    Connection c = await(Aio.openConnection("127.0.0.1", port, client));
    c.writer().write("over tls 1.2\n");
    out.add(await(c.reader().readLine()));
    out.add(String.valueOf(await(c.reader().readLine())));
    await(c.writer().waitClosed());
    out.add("closed");
    return done(out);
  }

  @Test
  void aJdkTls12ServerIsTalkedTo() throws Exception {
    CompletableFuture<String> serverSide = new CompletableFuture<>();
    try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket)
        server.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
      listener.setEnabledProtocols(new String[] {"TLSv1.2"});
      Thread t = new Thread(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.setSoTimeout(10_000);
          BufferedReader in = new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          String line = in.readLine();
          s.getOutputStream().write((line.toUpperCase() + "\n").getBytes(StandardCharsets.UTF_8));
          s.getOutputStream().flush();
          serverSide.complete(s.getSession().getProtocol());
        } catch (IOException | RuntimeException e) {
          serverSide.completeExceptionally(e);
        }
      }, "tls-test-jdk-server");
      t.setDaemon(true);
      t.start();
      assertEquals(List.of("OVER TLS 1.2", "null", "closed"),
          Aio.run(TlsTestAsync.talkToJdkServer(listener.getLocalPort())));
      assertEquals("TLSv1.2", serverSide.get(10, TimeUnit.SECONDS));
    }
  }

  @Async
  static Coroutine<List<String>> silentClientsOfATlsServer() {
    List<String> out = new ArrayList<>();
    ConnectionOptions o = ConnectionOptions.defaults().withHandshakeTimeout(Duration.ofMillis(300));
    Server s = await(Aio.startServer(TlsTestAsync::sayBye, "127.0.0.1", 0, server, o));
    // A client that never starts the handshake: the server's timeout closes it.
    long start = System.nanoTime();
    try (Connection silent = await(Aio.openConnection("127.0.0.1", s.port()))) {
      await(Aio.sleep(50));
      out.add("handshaking=" + s.connectionCount());
      byte[] rest = await(Aio.waitFor(silent.reader().read(-1), Duration.ofSeconds(10)));
      long ms = (System.nanoTime() - start) / 1_000_000;
      out.add("closed " + (ms >= 250 && ms < 5_000 ? "at the timeout" : "after " + ms + " ms")
          + ", bytes=" + rest.length);
      await(Aio.sleep(50));
      out.add("connections=" + s.connectionCount());
    }
    // A server closed while a handshake runs: waitClosed waits for it, abortClients ends it.
    try (Connection silent = await(Aio.openConnection("127.0.0.1", s.port()))) {
      await(Aio.sleep(50));
      s.close();
      try {
        await(Aio.waitFor(s.waitClosed(), Duration.ofMillis(100)));
        out.add("waitClosed returned with a handshake running");
      } catch (io.awaitj.AsyncTimeoutException expected) {
        out.add("waitClosed waits for the handshake");
      }
      s.abortClients();
      await(Aio.waitFor(s.waitClosed(), Duration.ofSeconds(5)));
      out.add("waitClosed returned");
      out.add("bytes=" + await(Aio.waitFor(silent.reader().read(-1), Duration.ofSeconds(5))).length);
    }
    return done(out);
  }

  @Test
  void theServersHandshakeTimeoutAndCloseEndSilentClients() {
    assertEquals(List.of("handshaking=1", "closed at the timeout, bytes=0", "connections=0",
        "waitClosed waits for the handshake", "waitClosed returned", "bytes=0"),
        Aio.run(TlsTestAsync.silentClientsOfATlsServer()));
  }

  // ---------------------------------------------------------------------------------------------
  // Against the JDK's own TLS: a blocking SSLSocket client of an awaitj server.

  @Async
  static Coroutine<List<String>> serveOneJdkClient(CompletableFuture<String> clientSide) {
    List<String> log = new ArrayList<>();
    try (Server s = await(Aio.startServer(
        (r, w) -> TlsTestAsync.echoLines(r, w, log), "127.0.0.1", 0, server))) {
      int port = s.port();
      Thread t = new Thread(() -> {
        try (SSLSocket sock = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
          sock.setSoTimeout(10_000);
          OutputStream out = sock.getOutputStream();
          out.write("from the jdk\nsecond\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          BufferedReader in = new BufferedReader(
              new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
          clientSide.complete(in.readLine() + "|" + in.readLine() + "|"
              + sock.getSession().getProtocol());
        } catch (IOException | RuntimeException e) {
          clientSide.completeExceptionally(e);
        }
      }, "tls-test-jdk-client");
      t.setDaemon(true);
      t.start();
      String answer = await(Aio.waitFor(clientSide, Duration.ofSeconds(10)));
      await(Aio.waitFor(s.closeAsync(), Duration.ofSeconds(10)));
      log.add(0, answer);
    }
    return done(log);
  }

  @Test
  void aJdkSslSocketClientIsServed() {
    List<String> log = Aio.run(TlsTestAsync.serveOneJdkClient(new CompletableFuture<>()));
    assertEquals(List.of("FROM THE JDK|SECOND|TLSv1.3", "handler started, canWriteEof=false",
        "eof=true"), log);
  }

  // ---------------------------------------------------------------------------------------------
  // Protocols of one's own over TLS: Aio.createServer and Aio.createConnection with an SSLContext.

  /** A server's line protocol: each line it gets goes back upper-cased; it logs its calls. */
  static final class UpperLines implements io.awaitj.io.Protocol {
    final List<String> log = new ArrayList<>();
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    private io.awaitj.io.Transport transport;

    @Override
    public void connectionMade(io.awaitj.io.Transport t) {
      transport = t;
      log.add("made");
    }

    @Override
    public void dataReceived(java.nio.ByteBuffer data) {
      while (data.hasRemaining()) {
        byte b = data.get();
        line.write(b);
        if (b == '\n') {
          String l = line.toString(StandardCharsets.UTF_8);
          line.reset();
          log.add("line " + l.strip());
          transport.write(java.nio.ByteBuffer.wrap(l.toUpperCase().getBytes(StandardCharsets.UTF_8)));
        }
      }
    }

    @Override
    public boolean eofReceived() {
      log.add("eof");
      return false;
    }

    @Override
    public void connectionLost(Throwable cause) {
      log.add("lost " + (cause == null ? "cleanly" : cause.getClass().getSimpleName()));
    }
  }

  /** A client's protocol: {@link #received} completes once {@code expected} bytes came. */
  static final class Received implements io.awaitj.io.Protocol {
    final io.awaitj.Promise<String> received = EventLoop.running().createPromise();
    final io.awaitj.Promise<String> lost = EventLoop.running().createPromise();
    final List<String> calls = new ArrayList<>();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private final int expected;

    Received(int expected) {
      this.expected = expected;
    }

    @Override
    public void connectionMade(io.awaitj.io.Transport t) {
      calls.add("made");
    }

    @Override
    public void dataReceived(java.nio.ByteBuffer data) {
      while (data.hasRemaining()) {
        bytes.write(data.get());
      }
      if (bytes.size() >= expected && !received.isDone()) {
        received.complete(bytes.toString(StandardCharsets.UTF_8));
      }
    }

    @Override
    public boolean eofReceived() {
      calls.add("eof");
      return false;
    }

    @Override
    public void connectionLost(Throwable cause) {
      calls.add("lost");
      lost.complete(cause == null ? "cleanly" : cause.getClass().getSimpleName());
    }
  }

  private static java.nio.ByteBuffer ascii(String s) {
    return java.nio.ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Async
  static Coroutine<List<String>> protocolsOverTls() {
    List<String> out = new ArrayList<>();
    UpperLines[] serving = new UpperLines[1];
    Server s = await(Aio.createServer(() -> serving[0] = new UpperLines(), "127.0.0.1", 0, server));
    Received[] made = new Received[1];
    io.awaitj.io.Transport t = await(Aio.createConnection(
        () -> made[0] = new Received(12), "127.0.0.1", s.port(), client));
    Received r = made[0];
    out.add(r.calls + " canWriteEof=" + t.canWriteEof());
    t.write(ascii("hel")); // one line in two writes, then two lines in one
    t.write(ascii("lo\nwor"));
    t.write(ascii("ld\n"));
    out.add(await(r.received).replace("\n", "|"));
    t.close(); // close_notify
    out.add("client lost " + await(r.lost));
    s.close();
    await(Aio.waitFor(s.waitClosed(), Duration.ofSeconds(10)));
    out.add("server " + serving[0].log);
    // A server the client does not trust: the connect fails, and the client's protocol is not called.
    Server other = await(Aio.createServer(UpperLines::new, "127.0.0.1", 0, untrustedServer));
    Received[] refused = new Received[1];
    try {
      await(Aio.createConnection(() -> refused[0] = new Received(1), "127.0.0.1", other.port(),
          client));
      out.add("connected to an untrusted server");
    } catch (UncheckedIOException e) {
      out.add(e.getCause().getClass().getSimpleName() + ", protocol calls "
          + (refused[0] == null ? "none" : refused[0].calls));
    }
    other.close();
    await(Aio.waitFor(other.waitClosed(), Duration.ofSeconds(10)));
    return done(out);
  }

  @Test
  void aLineProtocolOverTlsWithCreateServerAndCreateConnection() {
    assertEquals(List.of("[made] canWriteEof=false", "HELLO|WORLD|", "client lost cleanly",
        "server [made, line hello, line world, eof, lost cleanly]",
        "SSLHandshakeException, protocol calls []"),
        Aio.run(TlsTestAsync.protocolsOverTls()));
  }

  @Test
  void aProtocolOverTlsNeedsAContext() {
    NullPointerException e = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
        () -> Aio.createConnection(UpperLines::new, "127.0.0.1", 1, (SSLContext) null));
    assertTrue(e.getMessage().contains("createConnection(protocolFactory, host, port, options)"),
        e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
        () -> Aio.createServer(UpperLines::new, "127.0.0.1", 0, (SSLContext) null));
    assertTrue(e.getMessage().contains("createServer(protocolFactory, host, port, options)"),
        e.getMessage());
  }
}
