package io.awaitj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Script;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Aio#createConnection} and {@link Aio#createServer}: protocols of one's own over real sockets
 * on 127.0.0.1, asyncio's {@code loop.create_connection} and {@code loop.create_server}. The protocols
 * are plain callbacks; the awaits are hand-written {@link Script}s (this module has no processor). The
 * timeout only stops a broken build from hanging; nothing is timed.
 */
@Timeout(120)
class ProtocolTest {
  private static final String HOST = "127.0.0.1";

  /**
   * A line-echo server protocol: each line it receives ({@code \n}-terminated, possibly split across
   * reads, or several in one read) goes back upper-cased. Logs its calls into {@link #log}.
   */
  static final class UpperEcho implements Protocol {
    final List<String> log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    Transport transport;

    UpperEcho(List<String> log) {
      this.log = log;
    }

    @Override
    public void connectionMade(Transport t) {
      transport = t;
      log.add("made");
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      while (data.hasRemaining()) {
        byte b = data.get();
        line.write(b);
        if (b == '\n') {
          String s = line.toString(StandardCharsets.UTF_8);
          line.reset();
          log.add("line " + s.strip());
          transport.write(ByteBuffer.wrap(s.toUpperCase().getBytes(StandardCharsets.UTF_8)));
        }
      }
    }

    @Override
    public boolean eofReceived() {
      log.add("eof");
      return false; // close this side too
    }

    @Override
    public void connectionLost(Throwable cause) {
      log.add("lost " + (cause == null ? "cleanly" : cause.getClass().getSimpleName()));
    }
  }

  /**
   * A client protocol: collects what it receives; {@link #received} completes with it once {@code
   * expected} bytes came, {@link #lost} with the cause (or a marker) once the connection is lost.
   */
  static final class Collector implements Protocol {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Promise<String> received;
    final Promise<Object> lost;
    final int expected;
    final List<String> calls = new ArrayList<>();
    Transport transport;

    Collector(EventLoop loop, int expected) {
      this.received = loop.createPromise();
      this.lost = loop.createPromise();
      this.expected = expected;
    }

    @Override
    public void connectionMade(Transport t) {
      transport = t;
      calls.add("made");
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      bytes.write(b, 0, b.length);
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
      lost.complete(cause == null ? "cleanly" : cause);
    }

    @Override
    public void pauseWriting() {
      calls.add("pause");
    }

    @Override
    public void resumeWriting() {
      calls.add("resume");
    }
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLineEchoProtocolServesAProtocolClient() {
    List<String> serverLog = new ArrayList<>();
    Collector[] client = new Collector[1];
    Server[] server = new Server[1];
    Object r =
        Aio.run(
            Script.of(
                p -> Aio.createServer(() -> new UpperEcho(serverLog), HOST, 0),
                s -> {
                  server[0] = (Server) s;
                  return Aio.createConnection(
                      () -> client[0] = new Collector(EventLoop.running(), 12), HOST,
                      server[0].port());
                },
                t -> {
                  Transport tr = (Transport) t;
                  assertSame(client[0].transport, tr, "the transport given to connectionMade");
                  assertEquals(List.of("made"), client[0].calls, "connectionMade before the await returns");
                  // One line in two writes, then two lines in one.
                  tr.write(utf8("hel"));
                  tr.write(utf8("lo\nwor"));
                  tr.write(utf8("ld\n"));
                  return client[0].received;
                },
                got -> {
                  assertEquals("HELLO\nWORLD\n", got);
                  assertEquals(1, server[0].connectionCount());
                  client[0].transport.close();
                  return client[0].lost;
                },
                lost -> {
                  assertEquals("cleanly", lost);
                  server[0].close();
                  return server[0].waitClosed(); // returns once the server's protocol lost its connection
                },
                p -> {
                  assertEquals(0, server[0].connectionCount());
                  return "done";
                }));
    assertEquals("done", r);
    assertEquals(List.of("made", "line hello", "line world", "eof", "lost cleanly"), serverLog);
    assertEquals(List.of("made", "lost"), client[0].calls);
  }

  @Test
  void closingTheServersClientsLosesTheConnectionOnBothSides() {
    List<String> serverLog = new ArrayList<>();
    Collector[] client = new Collector[1];
    Server[] server = new Server[1];
    Aio.run(
        Script.of(
            p -> Aio.createServer(() -> new UpperEcho(serverLog), HOST, 0),
            s -> {
              server[0] = (Server) s;
              return Aio.createConnection(
                  () -> client[0] = new Collector(EventLoop.running(), 2), HOST, server[0].port());
            },
            t -> {
              ((Transport) t).write(utf8("a\n"));
              return client[0].received;
            },
            got -> {
              server[0].close();
              server[0].abortClients(); // the server side drops the connection
              return client[0].lost;
            },
            lost -> {
              assertTrue(client[0].transport.isClosing());
              return server[0].waitClosed();
            }));
    assertEquals("made", serverLog.get(0));
    assertEquals("lost cleanly", serverLog.get(serverLog.size() - 1), serverLog.toString());
    assertTrue(client[0].calls.contains("lost"), client[0].calls.toString());
  }

  /**
   * A protocol that does not read: it pauses reading when made and resumes when told, so that the
   * peer's writes pile up in the kernel's buffers and then in the peer transport's.
   */
  static class Sink implements Protocol {
    Transport transport;
    long received;
    final Promise<Long> all;
    final long expected;

    final Promise<Void> made;

    Sink(EventLoop loop, long expected) {
      this.all = loop.createPromise();
      this.made = loop.createPromise();
      this.expected = expected;
    }

    @Override
    public void connectionMade(Transport t) {
      transport = t;
      t.pauseReading();
      made.complete(null);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      received += data.remaining();
      data.position(data.limit());
      if (received >= expected && !all.isDone()) {
        all.complete(received);
      }
    }

    @Override
    public boolean eofReceived() {
      return false;
    }

    @Override
    public void connectionLost(Throwable cause) {}
  }

  /** A {@link Sink} that also checks that byte i of the stream is {@code i % 251}. */
  static final class PatternSink extends Sink {
    long firstWrong = -1;

    PatternSink(EventLoop loop, long expected) {
      super(loop, expected);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      for (int i = data.position(); i < data.limit(); i++) {
        if (data.get(i) != (byte) ((received + i - data.position()) % 251) && firstWrong < 0) {
          firstWrong = received + i - data.position();
        }
      }
      super.dataReceived(data);
    }
  }

  @Test
  void manySmallWritesToAPeerThatDoesNotReadWaitInAFewBuffersAndArriveInOrder() {
    int piece = 7;
    int pieces = 2_000_000; // 14 MB: more than the kernel's loopback buffers hold
    long total = (long) piece * pieces;
    PatternSink[] sink = new PatternSink[1];
    Server[] server = new Server[1];
    Transport[] client = new Transport[1];
    int[] buffered = new int[2];
    Aio.run(
        Script.of(
            p -> Aio.createServer(() -> sink[0] = new PatternSink(EventLoop.running(), total), HOST, 0),
            s -> {
              server[0] = (Server) s;
              return Aio.createConnection(
                  () -> new Collector(EventLoop.running(), Integer.MAX_VALUE), HOST, server[0].port());
            },
            t -> {
              Transport tr = (Transport) t;
              client[0] = tr;
              byte[] data = new byte[piece];
              long at = 0;
              for (int i = 0; i < pieces; i++) {
                for (int k = 0; k < piece; k++) {
                  data[k] = (byte) (at++ % 251);
                }
                tr.write(ByteBuffer.wrap(data)); // never awaits drain(): every piece is buffered
              }
              buffered[0] = tr.writeBufferSize();
              buffered[1] = ((SocketTransport) tr).pendingBuffers();
              return Aio.sleep(java.time.Duration.ofMillis(1));
            },
            p -> sink[0] != null ? sink[0].made : Aio.sleep(java.time.Duration.ofMillis(10)),
            p -> sink[0].made,
            p -> {
              sink[0].transport.resumeReading();
              return sink[0].all;
            },
            n -> {
              assertEquals(total, n);
              client[0].close();
              server[0].close();
              return server[0].waitClosed();
            }));
    assertEquals(-1, sink[0].firstWrong, "the first byte out of order");
    // At most 14 MB wait, in buffers of 4 KB or more: a buffer per piece would be 100,000s.
    assertTrue(buffered[0] > 1_000_000, "only " + buffered[0] + " bytes waited: the check below means nothing");
    assertTrue(buffered[1] <= 4_000, buffered[1] + " buffers for " + buffered[0] + " bytes");
  }

  @Test
  void aSlowPeerPausesWritingAndItsReadingResumesIt() {
    int chunk = 64 * 1024;
    int chunks = 512; // 32 MiB: more than the kernel's loopback buffers hold
    long total = (long) chunk * chunks;
    Sink[] sink = new Sink[1];
    Collector[] client = new Collector[1];
    Server[] server = new Server[1];
    int[] pausedAt = new int[1];
    Aio.run(
        Script.of(
            p ->
                Aio.createServer(
                    () -> sink[0] = new Sink(EventLoop.running(), total), HOST, 0),
            s -> {
              server[0] = (Server) s;
              return Aio.createConnection(
                  () -> client[0] = new Collector(EventLoop.running(), Integer.MAX_VALUE), HOST,
                  server[0].port());
            },
            t -> {
              Transport tr = (Transport) t;
              byte[] data = new byte[chunk];
              int i = 0;
              while (i < chunks && !client[0].calls.contains("pause")) {
                tr.write(ByteBuffer.wrap(data));
                i++;
              }
              pausedAt[0] = i;
              assertTrue(client[0].calls.contains("pause"),
                  "the transport never paused writing, after " + i + " chunks");
              assertTrue(tr.writeBufferSize() > 64 * 1024, "buffered " + tr.writeBufferSize());
              for (; i < chunks; i++) {
                tr.write(ByteBuffer.wrap(data)); // writes never block: they are buffered
              }
              assertFalse(client[0].calls.contains("resume"));
              return Aio.sleep(java.time.Duration.ofMillis(1));
            },
            p -> sink[0] != null ? sink[0].made : Aio.sleep(java.time.Duration.ofMillis(10)),
            p -> sink[0].made, // accepted by now (the server's side of the connection)
            p -> {
              // Still paused: nobody reads on the other side.
              assertEquals(List.of("made", "pause"), client[0].calls);
              sink[0].transport.resumeReading();
              return sink[0].all;
            },
            n -> {
              assertEquals(total, n);
              assertEquals(List.of("made", "pause", "resume"), client[0].calls);
              assertEquals(0, client[0].transport.writeBufferSize());
              client[0].transport.close();
              server[0].close();
              return server[0].waitClosed();
            }));
    assertTrue(pausedAt[0] < chunks, "paused after " + pausedAt[0] + " of " + chunks + " chunks");
  }

  @Test
  void aFactoryThatThrowsClosesThatConnectionAndTheServerGoesOn() {
    AtomicInteger made = new AtomicInteger();
    List<String> reports = new ArrayList<>();
    List<String> serverLog = new ArrayList<>();
    Collector[] first = new Collector[1];
    Collector[] second = new Collector[1];
    Server[] server = new Server[1];
    Aio.run(
        Script.of(
            p -> {
              EventLoop.running().setExceptionHandler((m, e) -> reports.add(m + ": " + e.getMessage()));
              return Aio.createServer(
                  () -> {
                    if (made.getAndIncrement() == 0) {
                      throw new IllegalStateException("no protocol for the first");
                    }
                    return new UpperEcho(serverLog);
                  },
                  HOST, 0);
            },
            s -> {
              server[0] = (Server) s;
              return Aio.createConnection(
                  () -> first[0] = new Collector(EventLoop.running(), 1), HOST, server[0].port());
            },
            t -> first[0].lost, // the server closed it
            lost -> Aio.createConnection(
                () -> second[0] = new Collector(EventLoop.running(), 2), HOST, server[0].port()),
            t -> {
              ((Transport) t).write(utf8("b\n"));
              return second[0].received;
            },
            got -> {
              assertEquals("B\n", got);
              second[0].transport.close();
              server[0].close();
              return server[0].waitClosed();
            }));
    assertEquals(1, reports.size(), reports.toString());
    assertTrue(reports.get(0).contains("no protocol for the first"), reports.get(0));
    assertTrue(reports.get(0).contains("protocol factory"), reports.get(0));
  }

  @Test
  void aClientFactoryReturningNullFailsTheAwaitAndAConnectRefusedToo() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
      closedPort = s.getLocalPort();
    }
    Server[] server = new Server[1];
    List<String> outcomes = new ArrayList<>();
    Aio.run(
        Script.of(
                p -> Aio.createServer(() -> new UpperEcho(new ArrayList<>()), HOST, 0),
                s -> {
                  server[0] = (Server) s;
                  return Aio.createConnection(() -> null, HOST, server[0].port());
                })
            .onError(
                e -> {
                  outcomes.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                  return null;
                }));
    assertEquals(1, outcomes.size(), outcomes.toString());
    assertTrue(outcomes.get(0).startsWith("NullPointerException"), outcomes.get(0));
    assertTrue(outcomes.get(0).contains("protocol factory"), outcomes.get(0));
    UncheckedIOException refused =
        assertThrows(
            UncheckedIOException.class,
            () -> Aio.run(Aio.createConnection(() -> new Collector(EventLoop.running(), 1), HOST, closedPort)));
    assertTrue(refused.getMessage().contains("cannot connect"), refused.getMessage());
  }

  @Test
  void aLineEchoProtocolOverAUnixDomainSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    try {
      java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX).close();
    } catch (UnsupportedOperationException e) {
      org.junit.jupiter.api.Assumptions.abort(
          "this platform has no Unix domain sockets (SocketChannel.open(UNIX): " + e + ")");
    }
    java.nio.file.Path path = dir.resolve("echo.sock");
    List<String> serverLog = new ArrayList<>();
    Collector[] client = new Collector[1];
    Server[] server = new Server[1];
    List<String> seen = new ArrayList<>();
    Aio.run(
        Script.of(
            p -> Aio.createUnixServer(() -> new UpperEcho(serverLog), path),
            s -> {
              server[0] = (Server) s;
              seen.add("file " + java.nio.file.Files.exists(path));
              return Aio.createUnixConnection(
                  () -> client[0] = new Collector(EventLoop.running(), 12), path);
            },
            t -> {
              Transport tr = (Transport) t;
              assertSame(client[0].transport, tr, "the transport given to connectionMade");
              tr.write(utf8("hel"));
              tr.write(utf8("lo\nwor"));
              tr.write(utf8("ld\n"));
              return client[0].received;
            },
            got -> {
              seen.add(String.valueOf(got).replace("\n", "|"));
              client[0].transport.close();
              return client[0].lost;
            },
            lost -> {
              seen.add("lost " + lost);
              server[0].close();
              return server[0].waitClosed();
            },
            p -> {
              seen.add("file " + java.nio.file.Files.exists(path));
              return null;
            }));
    assertEquals(List.of("file true", "HELLO|WORLD|", "lost cleanly", "file false"), seen);
    assertEquals(List.of("made", "line hello", "line world", "eof", "lost cleanly"), serverLog);
    assertEquals(List.of("made", "lost"), client[0].calls);
    UncheckedIOException nothingThere =
        assertThrows(
            UncheckedIOException.class,
            () -> Aio.run(Aio.createUnixConnection(() -> new Collector(EventLoop.running(), 1), path)));
    assertTrue(nothingThere.getMessage().contains(path.toString()), nothingThere.getMessage());
  }
}
