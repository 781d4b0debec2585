package io.awaitj.it;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Task;
import io.awaitj.io.Connection;
import io.awaitj.io.ConnectionOptions;
import io.awaitj.io.IncompleteReadException;
import io.awaitj.io.LimitOverrunException;
import io.awaitj.io.Server;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import io.awaitj.sync.Event;
import io.awaitj.sync.Lock;
import io.awaitj.sync.Semaphore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams of {@code io.awaitj.io} over real sockets on 127.0.0.1 (and Unix domain sockets): what
 * issue 12 lists, each case with its own small server.
 */
class StreamsTest {
  private static final String HOST = "127.0.0.1";

  // ---------------------------------------------------------------------------------------------
  // Handlers.

  /** Echoes bytes as they come, until the peer ends its side. */
  @Async
  static Coroutine<Void> echoBytes(StreamReader reader, StreamWriter writer) {
    while (true) {
      byte[] chunk = await(reader.read(64 * 1024));
      if (chunk.length == 0) {
        break;
      }
      writer.write(chunk);
      await(writer.drain());
    }
    return done();
  }

  /** Answers one line, then returns (which closes the connection). */
  @Async
  static Coroutine<Void> answerOnce(StreamReader reader, StreamWriter writer) {
    String line = await(reader.readLine());
    writer.write("got " + line + "\n");
    return done();
  }

  // ---------------------------------------------------------------------------------------------
  // Many connections.

  /**
   * A client: connects (at most {@code connecting} at a time, so that the server's accept queue does
   * not overflow), waits until every client is connected, then exchanges one line.
   */
  @Async
  static Coroutine<Integer> client(int port, int i, Semaphore connecting, Event allIn, int[] in,
      int n) {
    Connection c;
    try (Lock.Held permit = await(connecting.hold())) {
      c = await(Aio.openConnection(HOST, port));
    }
    if (++in[0] == n) {
      allIn.set();
    }
    try (Connection open = c) {
      await(allIn.waitSet());
      open.writer().write("client " + i + "\n");
      open.writer().writeEof();
      String answer = await(open.reader().readLine());
      if (!("client " + i).equals(answer)) {
        throw new AssertionError("client " + i + " got " + answer);
      }
      return done(1);
    }
  }

  @Async
  static Coroutine<int[]> manyClients(int n) {
    int[] out = new int[2];
    try (Server server = await(Aio.startServer(StreamsTestAsync::echoBytes, HOST, 0))) {
      Semaphore connecting = new Semaphore(50);
      Event allIn = new Event();
      int[] in = new int[1];
      List<Task<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        tasks.add(Aio.createTask(client(server.port(), i, connecting, allIn, in, n)));
      }
      await(allIn.waitSet());
      await(Aio.sleep(0));
      out[1] = server.connectionCount();
      for (int x : await(Aio.gather(tasks))) {
        out[0] += x;
      }
    }
    return done(out);
  }

  @Test
  void fiveThousandConnectionsThroughOneLoop() {
    int[] r = Aio.run(StreamsTestAsync.manyClients(5000));
    assertEquals(5000, r[1], "connections open at once on the server");
    assertEquals(5000, r[0], "clients answered");
  }

  // ---------------------------------------------------------------------------------------------
  // Back-pressure: 64 MiB through a slow reader.

  static final int BIG = 64 << 20;
  static final int CHUNK = 64 << 10;

  /** Writes {@link #BIG} bytes in chunks, draining after each, and records the largest buffer seen. */
  @Async
  static Coroutine<Void> producer(StreamReader reader, StreamWriter writer, int[] maxBuffered) {
    byte[] chunk = new byte[CHUNK];
    for (int sent = 0; sent < BIG; sent += CHUNK) {
      chunk[0] = (byte) (sent / CHUNK);
      writer.write(chunk);
      maxBuffered[0] = Math.max(maxBuffered[0], writer.transport().writeBufferSize());
      await(writer.drain());
    }
    return done();
  }

  @Async
  static Coroutine<long[]> slowConsumer(int[] maxBuffered) {
    long[] out = new long[3];
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.producer(r, w, maxBuffered), HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        long total = 0;
        int reads = 0;
        long expectNext = 0;
        while (true) {
          byte[] b = await(c.reader().read(16 * 1024));
          if (b.length == 0) {
            break;
          }
          if (total % CHUNK == 0 && b[0] != (byte) (total / CHUNK)) {
            throw new AssertionError("chunk " + total / CHUNK + " starts with " + b[0]);
          }
          total += b.length;
          out[2] = Math.max(out[2], c.reader().buffered());
          if (++reads % 64 == 0) {
            await(Aio.sleep(1)); // a slow reader: the producer must wait for it
          }
        }
        out[0] = total;
        out[1] = reads;
      }
    }
    return done(out);
  }

  @Test
  void drainBoundsTheWriteBufferForASlowReader() {
    int[] maxBuffered = new int[1];
    long[] r = Aio.run(StreamsTestAsync.slowConsumer(maxBuffered));
    assertEquals(BIG, r[0]);
    // The high-water mark (64 KiB) plus one chunk that went past it before drain() waited.
    assertTrue(maxBuffered[0] <= 128 * 1024, "writer buffered " + maxBuffered[0] + " bytes");
    assertTrue(maxBuffered[0] > 0, "the reader never made the writer buffer anything");
    // Reading pauses past twice the limit (128 KiB); one more read (64 KiB) may land before it stops.
    assertTrue(r[2] <= 192 * 1024, "reader buffered " + r[2] + " bytes");
  }

  // ---------------------------------------------------------------------------------------------
  // Partial reads, end of stream, limits.

  /** Sends its script: pieces with pauses, then closes. */
  @Async
  static Coroutine<Void> script(StreamReader reader, StreamWriter writer, List<String> pieces) {
    for (String p : pieces) {
      if (p.equals("|")) {
        await(Aio.sleep(20));
      } else {
        writer.write(p);
        await(writer.drain());
      }
    }
    return done();
  }

  @Async
  static Coroutine<List<String>> readScript(List<String> pieces) {
    List<String> out = new ArrayList<>();
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.script(r, w, pieces), HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        StreamReader in = c.reader();
        out.add(new String(await(in.readExactly(5)), StandardCharsets.UTF_8));
        out.add(await(in.readLine()));
        out.add(new String(await(in.readUntil("END".getBytes(StandardCharsets.UTF_8))),
            StandardCharsets.UTF_8));
        out.add(new String(await(in.read(100)), StandardCharsets.UTF_8));
        try {
          await(in.readExactly(10));
          out.add("no exception");
        } catch (IncompleteReadException e) {
          out.add("incomplete: " + new String(e.partial(), StandardCharsets.UTF_8) + " of "
              + e.expected());
        }
        out.add("atEof=" + in.atEof());
        out.add("read=" + await(in.read(10)).length);
        out.add("line=" + await(in.readLine()));
      }
    }
    return done(out);
  }

  @Test
  void readsWaitForPiecesThatComeApartAndSeeTheEnd() {
    List<String> out = Aio.run(StreamsTestAsync.readScript(List.of(
        "ab", "|", "c", "|", "de", "first li", "|", "ne\r\n", "x", "|", "yEN", "|", "Dtail", "|",
        "rest")));
    assertEquals(List.of("abcde", "first line", "xyEND", "tail", "incomplete: rest of 10",
        "atEof=true", "read=0", "line=null"), out);
  }

  @Async
  static Coroutine<List<String>> untilAtEnd() {
    List<String> out = new ArrayList<>();
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.script(r, w, List.of("no separator here")), HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        try {
          await(c.reader().readUntil(new byte[] {';'}));
        } catch (IncompleteReadException e) {
          out.add(new String(e.partial(), StandardCharsets.UTF_8) + "/" + e.expected());
        }
      }
    }
    return done(out);
  }

  @Test
  void readUntilAtTheEndHoldsThePartialBytes() {
    assertEquals(List.of("no separator here/-1"), Aio.run(StreamsTestAsync.untilAtEnd()));
  }

  @Async
  static Coroutine<List<String>> overLimit() {
    List<String> out = new ArrayList<>();
    ConnectionOptions small = ConnectionOptions.defaults().withLimit(8);
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.script(r, w, List.of("0123456789ab;next\n", "short\n")),
        HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port(), small))) {
        StreamReader in = c.reader();
        await(Aio.sleep(50)); // all of it is there
        try {
          await(in.readUntil(new byte[] {';'}));
        } catch (LimitOverrunException e) {
          out.add("until: " + e.consumed() + ", still buffered " + in.buffered());
        }
        out.add(new String(await(in.readExactly(13)), StandardCharsets.UTF_8));
        out.add(await(in.readLine()));
        out.add(await(in.readLine()));
      }
    }
    return done(out);
  }

  @Test
  void limitOverrunsKeepOrDropAsDocumented() {
    assertEquals(List.of("until: 13, still buffered 24", "0123456789ab;", "next", "short"),
        Aio.run(StreamsTestAsync.overLimit()));
  }

  // ---------------------------------------------------------------------------------------------
  // Peer reset and abrupt close, with a plain blocking peer on a thread.

  /** A peer on a thread: accepts one connection, sends {@code send}, then closes it (reset or not). */
  static Thread peer(ServerSocket listener, String send, boolean reset) {
    Thread t = new Thread(() -> {
      try (Socket s = listener.accept()) {
        OutputStream o = s.getOutputStream();
        o.write(send.getBytes(StandardCharsets.UTF_8));
        o.flush();
        Thread.sleep(50);
        if (reset) {
          s.setSoLinger(true, 0);
        }
      } catch (IOException | InterruptedException e) {
        throw new RuntimeException(e);
      }
    }, "peer");
    t.start();
    return t;
  }

  @Async
  static Coroutine<List<String>> readFromDying(int port) {
    List<String> out = new ArrayList<>();
    try (Connection c = await(Aio.openConnection(HOST, port))) {
      try {
        byte[] b = await(c.reader().readExactly(10));
        out.add("read " + b.length);
      } catch (IncompleteReadException e) {
        out.add("incomplete " + new String(e.partial(), StandardCharsets.UTF_8));
      } catch (UncheckedIOException e) {
        out.add("failed " + e.getCause().getClass().getSimpleName());
        // Bytes that came before the reset were kept: the read that needed more reported it.
        out.add("buffered " + c.reader().buffered());
      }
    }
    return done(out);
  }

  @Test
  void anAbruptCloseMidReadKeepsThePartialBytes() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      Thread t = peer(listener, "abcd", false);
      assertEquals(List.of("incomplete abcd"),
          Aio.run(StreamsTestAsync.readFromDying(listener.getLocalPort())));
      t.join();
    }
  }

  @Test
  void aPeerResetMidReadFailsTheRead() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      Thread t = peer(listener, "abcd", true);
      List<String> out = Aio.run(StreamsTestAsync.readFromDying(listener.getLocalPort()));
      t.join();
      // Linux reports the reset to the next read; what was read before it is not lost.
      assertEquals(List.of("failed SocketException", "buffered 4"), out);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Half-close: the client ends its side and still reads the answer.

  /** Reads everything, then answers with its size. */
  @Async
  static Coroutine<Void> countAll(StreamReader reader, StreamWriter writer) {
    byte[] all = await(reader.read(-1));
    writer.write("size " + all.length + "\n");
    return done();
  }

  @Async
  static Coroutine<String> halfClose() {
    try (Server server = await(Aio.startServer(StreamsTestAsync::countAll, HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        c.writer().write(new byte[100_000]);
        c.writer().writeEof();
        assertThrows(IllegalStateException.class, () -> c.writer().write("late"));
        return done(await(c.reader().readLine()) + ", then " + await(c.reader().readLine()));
      }
    }
  }

  @Test
  void halfCloseLetsThePeerAnswer() {
    assertEquals("size 100000, then null", Aio.run(StreamsTestAsync.halfClose()));
  }

  // ---------------------------------------------------------------------------------------------
  // Cancellation.

  /** Sends a line after {@code delayMillis}. */
  @Async
  static Coroutine<Void> late(StreamReader reader, StreamWriter writer, long delayMillis) {
    await(Aio.sleep(delayMillis));
    writer.write("late line\nsecond\n");
    await(Aio.sleep(100));
    return done();
  }

  @Async
  static Coroutine<List<String>> cancelledRead() {
    List<String> out = new ArrayList<>();
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.late(r, w, 200), HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        try {
          await(Aio.waitFor(c.reader().readLine(), Duration.ofMillis(50)));
          out.add("no timeout");
        } catch (AsyncTimeoutException e) {
          out.add("timed out");
        }
        // The reader is still usable, and nothing was lost.
        out.add(await(c.reader().readLine()));
        out.add(await(c.reader().readLine()));
      }
    }
    return done(out);
  }

  @Test
  void aCancelledReadLosesNothing() {
    assertEquals(List.of("timed out", "late line", "second"),
        Aio.run(StreamsTestAsync.cancelledRead()));
  }

  @Async
  static Coroutine<String> twoReaders() {
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.late(r, w, 100), HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        Task<String> first = Aio.createTask(c.reader().readLine());
        await(Aio.sleep(10));
        try {
          await(c.reader().readLine());
          return done("no error");
        } catch (IllegalStateException e) {
          return done(await(first) + " / " + e.getMessage());
        }
      }
    }
  }

  @Test
  void twoTasksCannotWaitOnOneReader() {
    String s = Aio.run(StreamsTestAsync.twoReaders());
    assertTrue(s.startsWith("late line / readLine() called while another task is waiting"), s);
  }

  /**
   * The sockets this process has open (its descriptors that link to {@code socket:[...]}), or -1
   * where /proc is not there. Sockets only: the JVM opens other files of its own now and then, from
   * other threads (the cgroup's {@code memory.limit_in_bytes}, seen open for a moment by a probe), and
   * a count of every descriptor caught one once, failing a test that had leaked nothing.
   */
  static int openSockets() {
    String[] fds = new java.io.File("/proc/self/fd").list();
    if (fds == null) {
      return -1;
    }
    int sockets = 0;
    for (String fd : fds) {
      try {
        if (java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd)).toString()
            .startsWith("socket:")) {
          sockets++;
        }
      } catch (IOException gone) {
        // closed since the listing (the directory being listed, or another thread's file)
      }
    }
    return sockets;
  }

  @Async
  static Coroutine<String> cancelledConnect(int port) {
    try {
      await(Aio.waitFor(Aio.openConnection(HOST, port), Duration.ofMillis(200)));
      return done("connected");
    } catch (AsyncTimeoutException e) {
      return done("timed out");
    }
  }

  /**
   * Connects to {@code listener}, which never accepts, until its queue is full (a connect then
   * waits): the sockets that got in, for the caller to close.
   */
  static List<Socket> fillBacklog(ServerSocket listener) throws IOException {
    List<Socket> fillers = new ArrayList<>();
    while (true) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(HOST, listener.getLocalPort()), 200);
        fillers.add(s);
      } catch (SocketTimeoutException full) {
        s.close();
        return fillers;
      }
      if (fillers.size() > 100) {
        for (Socket f : fillers) {
          f.close();
        }
        throw new AssertionError("the backlog never filled");
      }
    }
  }

  /**
   * In one loop that goes on running: connects that hang, ended by the connect timeout and by a
   * waitFor around them, and the count of this process's sockets after each, once the loop has
   * passed once (a channel registered with the selector is closed at its next selection).
   */
  @Async
  static Coroutine<List<Integer>> hangingConnectsInALiveLoop(int port) {
    List<Integer> counts = new ArrayList<>();
    counts.add(openSockets());
    ConnectionOptions timed = ConnectionOptions.defaults().withConnectTimeout(Duration.ofMillis(100));
    for (int i = 0; i < 3; i++) {
      try {
        await(Aio.openConnection(HOST, port, timed));
        counts.add(-1);
      } catch (AsyncTimeoutException expected) {
        await(Aio.sleep(10));
        counts.add(openSockets());
      }
      try {
        await(Aio.waitFor(Aio.openConnection(HOST, port), Duration.ofMillis(100)));
        counts.add(-1);
      } catch (AsyncTimeoutException expected) {
        await(Aio.sleep(10));
        counts.add(openSockets());
      }
    }
    return done(counts);
  }

  /**
   * A connect ended while its loop goes on closes its socket itself, not only when the loop closes
   * (which closes every channel still registered, and would hide a leak from the tests that run each
   * connect in a loop of its own): a long-lived loop would otherwise keep one socket per timed-out
   * connect.
   */
  @Test
  void hangingConnectsEndedWhileTheLoopRunsCloseTheirSockets() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      List<Socket> fillers = fillBacklog(listener);
      try {
        List<Integer> counts = Aio.run(StreamsTestAsync.hangingConnectsInALiveLoop(listener.getLocalPort()));
        int before = counts.get(0);
        assertEquals(java.util.Collections.nCopies(7, before), counts,
            "sockets open before and after each ended connect (-1: a connect that did not hang)");
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  /** A handler that reads one line and ends without closing: by returning, or by throwing. */
  @Async
  static Coroutine<Void> endsWithoutClosing(StreamReader reader, StreamWriter writer) {
    String line = await(reader.readLine());
    if ("throw".equals(line)) {
      throw new IllegalStateException("the handler fails");
    }
    return done();
  }

  /**
   * In one loop that goes on running: five connections to a server whose handlers end without
   * closing them (three return, two throw); after each, the client's read of the end of the stream,
   * and the count of this process's sockets once the loop has passed once. Then the loop's reports.
   * The count after the first connection is the one the others must equal: the first close of a
   * socket channel in a JVM has the JDK make a socket pair of its own, for the rest of the JVM's life
   * (FileDispatcherImpl's init, seen with strace), one more socket that is nobody's leak.
   */
  @Async
  @SuppressWarnings("try")
  static Coroutine<List<Object>> handlersEndingWithoutClosing() {
    List<Object> out = new ArrayList<>();
    List<String> reports = new ArrayList<>();
    Aio.loop().setExceptionHandler((message, e) -> reports.add(String.valueOf(e)));
    try (Server server = await(Aio.startServer(StreamsTestAsync::endsWithoutClosing, HOST, 0))) {
      List<Integer> counts = new ArrayList<>();
      counts.add(openSockets());
      for (int i = 0; i < 5; i++) {
        try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
          c.writer().write(i % 2 == 0 ? "return\n" : "throw\n");
          try {
            out.add(String.valueOf(await(Aio.waitFor(c.reader().readLine(), Duration.ofSeconds(5)))));
          } catch (AsyncTimeoutException e) {
            out.add("no end of the stream in 5 s");
          }
        }
        await(Aio.sleep(10));
        counts.add(openSockets());
      }
      out.add(counts);
    }
    out.add(reports);
    return done(out);
  }

  /**
   * A connection whose handler ends, returning or throwing, is closed by the server while its loop
   * goes on (the peer reads the end of the stream, and no socket is left on either side); a handler
   * that threw is reported to the loop's exception handler.
   */
  @Test
  void aServerClosesEachConnectionWhoseHandlerEndsWhileTheLoopRuns() {
    List<Object> r = Aio.run(StreamsTestAsync.handlersEndingWithoutClosing());
    assertEquals(List.of("null", "null", "null", "null", "null"), r.subList(0, 5), "what each client read");
    @SuppressWarnings("unchecked")
    List<Integer> counts = (List<Integer>) r.get(5);
    assertEquals(java.util.Collections.nCopies(5, counts.get(1)), counts.subList(1, 6),
        "sockets open after each connection (the first: the server listening, before any)");
    assertEquals(List.of("java.lang.IllegalStateException: the handler fails",
        "java.lang.IllegalStateException: the handler fails"), r.get(6), "the loop's reports");
  }

  @Test
  void aCancelledConnectClosesItsSocket() throws Exception {
    // A listener that never accepts, with a backlog of 1: once its queue is full, a connect waits.
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      List<Socket> fillers = fillBacklog(listener);
      try {
        int before = openSockets();
        assertEquals("timed out",
            Aio.run(StreamsTestAsync.cancelledConnect(listener.getLocalPort())));
        assertEquals(before, openSockets(), "the cancelled connect left a socket open");
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void aRefusedConnectSaysWhere() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      port = s.getLocalPort();
    }
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Aio.run(Aio.openConnection(HOST, port)));
    assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": "),
        e.getMessage());
    assertInstanceOf(java.net.ConnectException.class, e.getCause());
  }

  @Test
  void aHostNameIsResolvedAndConnects() {
    List<String> answers = Aio.run(StreamsTestAsync.byName());
    assertEquals(List.of("got hi"), answers);
  }

  @Async
  static Coroutine<List<String>> byName() {
    try (Server server = await(Aio.startServer(StreamsTestAsync::answerOnce, "localhost", 0))) {
      try (Connection c = await(Aio.openConnection("localhost", server.port()))) {
        c.writer().write("hi\n");
        return done(List.of(await(c.reader().readLine())));
      }
    }
  }

  @Test
  void anUnknownHostFailsClearly() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Aio.run(Aio.openConnection("no-such-host.invalid", 80)));
    assertTrue(e.getMessage().startsWith("cannot resolve no-such-host.invalid"), e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // Closing servers.

  /** Holds the connection open until the client ends it, answering each line. */
  @Async
  static Coroutine<Void> answerAll(StreamReader reader, StreamWriter writer) {
    for (String line : reader) {
      writer.write("got " + line + "\n");
    }
    return done();
  }

  @Async
  static Coroutine<List<String>> closeWithClients() {
    List<String> out = new ArrayList<>();
    Server server = await(Aio.startServer(StreamsTestAsync::answerAll, HOST, 0));
    int port = server.port();
    Connection c = await(Aio.openConnection(HOST, port));
    c.writer().write("one\n");
    out.add(await(c.reader().readLine()));
    server.close();
    out.add("serving=" + server.isServing() + ", connections=" + server.connectionCount());
    Task<Void> closed = Aio.createTask(server.waitClosed());
    // The connection accepted before the close goes on.
    c.writer().write("two\n");
    out.add(await(c.reader().readLine()));
    await(Aio.sleep(20));
    out.add("waitClosed done=" + closed.isDone());
    try {
      await(Aio.openConnection(HOST, port));
      out.add("connected after close");
    } catch (UncheckedIOException e) {
      out.add("new connections refused");
    }
    await(c.closeAsync());
    await(closed);
    out.add("closed, connections=" + server.connectionCount());
    return done(out);
  }

  @Test
  void aClosedServerLetsItsConnectionsFinish() {
    assertEquals(List.of("got one", "serving=false, connections=1", "got two",
        "waitClosed done=false", "new connections refused", "closed, connections=0"),
        Aio.run(StreamsTestAsync.closeWithClients()));
  }

  @Async
  static Coroutine<String> serveForeverCancelled() {
    Server server = await(Aio.startServer(StreamsTestAsync::answerOnce, HOST, 0));
    Task<Void> serving = Aio.createTask(server.serveForever());
    await(Aio.sleep(10));
    serving.cancel();
    try {
      await(serving);
    } catch (io.awaitj.CancelledError e) {
      // expected
    }
    return done("serving=" + server.isServing());
  }

  @Test
  void cancellingServeForeverClosesTheServer() {
    assertEquals("serving=false", Aio.run(StreamsTestAsync.serveForeverCancelled()));
  }

  @Test
  void closingTheLoopClosesItsServer() throws Exception {
    EventLoop loop = EventLoop.create();
    Server server = loop.runUntilComplete(Aio.startServer(StreamsTestAsync::answerOnce, HOST, 0));
    int port = server.port();
    new Socket(HOST, port).close(); // accepted by the kernel: the server's socket is open
    loop.close();
    assertThrows(java.net.ConnectException.class, () -> new Socket(HOST, port).close());
  }

  // ---------------------------------------------------------------------------------------------
  // Unix domain sockets.

  @Async
  static Coroutine<List<String>> unixRoundTrip(Path path) {
    List<String> out = new ArrayList<>();
    try (Server server = await(Aio.startUnixServer(StreamsTestAsync::answerAll, path))) {
      out.add("file=" + Files.exists(path));
      try (Connection c = await(Aio.openUnixConnection(path))) {
        c.writer().write("over unix\n");
        out.add(await(c.reader().readLine()));
      }
    }
    out.add("file=" + Files.exists(path));
    return done(out);
  }

  @Test
  void unixDomainSockets(@TempDir Path dir) {
    Path path = dir.resolve("s.sock");
    assertEquals(List.of("file=true", "got over unix", "file=false"),
        Aio.run(StreamsTestAsync.unixRoundTrip(path)));
  }

  @Test
  void aUnixServerDoesNotRemoveAnOrdinaryFile(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("not-a-socket");
    Files.writeString(path, "keep me");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Aio.run(Aio.startUnixServer(StreamsTestAsync::answerOnce, path)));
    assertTrue(e.getMessage().startsWith("cannot listen on " + path), e.getMessage());
    assertEquals("keep me", Files.readString(path));
  }

  // ---------------------------------------------------------------------------------------------
  // Virtual time: timeouts around I/O.

  /** Never answers. */
  @Async
  static Coroutine<Void> silent(StreamReader reader, StreamWriter writer) {
    await(reader.read(-1));
    return done();
  }

  @Async
  static Coroutine<String> virtualTimeout() {
    long t0 = Aio.loop().nanoTime();
    try (Server server = await(Aio.startServer(StreamsTestAsync::silent, HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        try {
          await(Aio.waitFor(c.reader().readLine(), Duration.ofHours(1)));
          return done("answered");
        } catch (AsyncTimeoutException e) {
          return done("timed out after " + (Aio.loop().nanoTime() - t0) / 3_600_000_000_000L + " h");
        }
      }
    }
  }

  @Test
  void anHourLongReadTimeoutPassesAtOnceInVirtualTime() {
    long wall = System.nanoTime();
    assertEquals("timed out after 1 h", Aio.runVirtual(StreamsTestAsync.virtualTimeout()));
    assertTrue(System.nanoTime() - wall < Duration.ofMinutes(1).toNanos());
  }

  // ---------------------------------------------------------------------------------------------
  // More cancellation: drain, the timeout scope, the connect timeout option.

  /** Reads nothing until {@code go} is set, then everything. */
  @Async
  static Coroutine<Void> lateReader(StreamReader reader, StreamWriter writer, Event go,
      long[] received) {
    await(go.waitSet());
    while (true) {
      byte[] b = await(reader.read(65536));
      if (b.length == 0) {
        break;
      }
      received[0] += b.length;
    }
    writer.write("received " + received[0] + "\n");
    return done();
  }

  @Async
  static Coroutine<List<String>> cancelledDrain() {
    List<String> out = new ArrayList<>();
    Event go = new Event();
    long[] received = new long[1];
    ConnectionOptions o = ConnectionOptions.defaults().withWriteBufferLimits(64 * 1024, 16 * 1024);
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.lateReader(r, w, go, received), HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port(), o))) {
        byte[] chunk = new byte[1 << 20];
        int written = 0;
        boolean timedOut = false;
        // The peer does not read: the socket's buffers fill, then the writer's; a drain must wait.
        while (!timedOut && written < 64 << 20) {
          c.writer().write(chunk);
          written += chunk.length;
          try {
            await(Aio.waitFor(c.writer().drain(), Duration.ofMillis(100)));
          } catch (AsyncTimeoutException e) {
            timedOut = true;
          }
        }
        out.add("drain timed out: " + timedOut);
        // Nothing written is lost: the peer reads everything once it starts.
        go.set();
        await(c.writer().drain());
        c.writer().writeEof();
        out.add(await(c.reader().readLine()).equals("received " + written) ? "all received"
            : "lost bytes");
      }
    }
    return done(out);
  }

  @Test
  void aCancelledDrainLosesNothing() {
    assertEquals(List.of("drain timed out: true", "all received"),
        Aio.run(StreamsTestAsync.cancelledDrain()));
  }

  @Async
  @SuppressWarnings("try")
  static Coroutine<List<String>> timeoutScope() {
    List<String> out = new ArrayList<>();
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.late(r, w, 300), HOST, 0))) {
      try (Connection c = await(Aio.openConnection(HOST, server.port()))) {
        try (io.awaitj.Timeout t = Aio.timeout(Duration.ofMillis(50))) {
          out.add(await(c.reader().readLine()));
        } catch (AsyncTimeoutException e) {
          out.add("scope expired");
        }
        out.add(await(c.reader().readLine()));
      }
    }
    return done(out);
  }

  @Test
  void aTimeoutScopeAroundAReadLeavesTheReaderUsable() {
    assertEquals(List.of("scope expired", "late line"), Aio.run(StreamsTestAsync.timeoutScope()));
  }

  @Test
  void theConnectTimeoutOptionEndsAConnectThatHangs() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      List<Socket> fillers = fillBacklog(listener);
      try {
        ConnectionOptions o = ConnectionOptions.defaults().withConnectTimeout(Duration.ofMillis(200));
        int before = openSockets();
        assertThrows(AsyncTimeoutException.class,
            () -> Aio.run(Aio.openConnection(HOST, listener.getLocalPort(), o)));
        assertEquals(before, openSockets(), "the timed-out connect left a socket open");
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void aUnixConnectToNothingSaysWhere(@TempDir Path dir) {
    Path path = dir.resolve("nobody.sock");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Aio.run(Aio.openUnixConnection(path)));
    assertTrue(e.getMessage().startsWith("cannot connect to " + path), e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // read(byte[]) straight from the socket: a read that waits with nothing buffered reads the socket
  // itself, into its caller's array, when the socket becomes readable.

  /** Echoes what it reads into one array of {@code size} bytes with read(byte[]). */
  @Async
  static Coroutine<Void> echoInto(StreamReader reader, StreamWriter writer, int size) {
    byte[] buffer = new byte[size];
    while (true) {
      int n = await(reader.read(buffer));
      if (n < 0) {
        break;
      }
      writer.write(buffer, 0, n);
      await(writer.drain());
    }
    return done();
  }

  /** Bytes no shift or cut could leave unchanged: a pseudo-random sequence from a fixed seed. */
  static byte[] pattern(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  /** Writes {@code data} in pieces of uneven sizes, draining after each, then ends its side. */
  @Async
  static Coroutine<Void> sendInPieces(StreamWriter writer, byte[] data) {
    int[] pieces = {1, 4096, 65536, 7, 100_000, 1500, 3};
    int off = 0;
    for (int i = 0; off < data.length; i++) {
      int n = Math.min(pieces[i % pieces.length], data.length - off);
      writer.write(data, off, n);
      off += n;
      await(writer.drain());
    }
    writer.writeEof();
    return done();
  }

  /** Sends a pattern through a server echoing into a {@code serverBuffer}-byte array, reads it back. */
  @Async
  static Coroutine<String> echoThroughArrays(int port, int size, long seed, int clientBuffer) {
    byte[] sent = pattern(size, seed);
    try (Connection c = await(Aio.openConnection(HOST, port))) {
      Task<Void> writing = Aio.createTask(sendInPieces(c.writer(), sent));
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream(size);
      byte[] buffer = new byte[clientBuffer];
      while (true) {
        int n = await(c.reader().read(buffer));
        if (n < 0) {
          break;
        }
        got.write(buffer, 0, n);
      }
      await(writing);
      byte[] back = got.toByteArray();
      if (java.util.Arrays.equals(sent, back)) {
        return done("same");
      }
      return done("differs: " + back.length + " bytes back of " + size + ", first difference at "
          + java.util.Arrays.mismatch(sent, back));
    }
  }

  @Async
  static Coroutine<List<String>> arraysOfManySizes() {
    List<String> out = new ArrayList<>();
    int[] sizes = {1, 7, 1500, 65536, 200_000};
    for (int k = 0; k < sizes.length; k++) {
      int serverBuffer = sizes[k];
      try (Server server = await(Aio.startServer(
          (r, w) -> StreamsTestAsync.echoInto(r, w, serverBuffer), HOST, 0))) {
        // A few connections at once, each with another client array, so that reads interleave.
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          int clientBuffer = sizes[(k + i + 1) % sizes.length];
          // Small arrays take a read per few bytes: fewer bytes through them.
          int size = Math.min(serverBuffer, clientBuffer) < 1000 ? 50_000 : 3 << 20;
          tasks.add(Aio.createTask(echoThroughArrays(server.port(), size, 31L * k + i,
              clientBuffer)));
        }
        out.addAll(await(Aio.gather(tasks)));
      }
    }
    return done(out);
  }

  @Test
  void readIntoArraysStraightFromTheSocketKeepsEveryByteInOrder() {
    assertEquals(java.util.Collections.nCopies(20, "same"),
        Aio.run(StreamsTestAsync.arraysOfManySizes()));
  }

  /**
   * A read(byte[]) woken because the socket became readable, then cancelled before its task ran:
   * the bytes stay in the socket (the array is not written) and the next read gets them. The
   * readiness callback runs before a timer due in the same pass, so the timer cancels the read between
   * its wake-up and its run.
   */
  @Async
  static Coroutine<List<String>> cancelledOnceReadable(ServerSocket listener) throws IOException {
    List<String> out = new ArrayList<>();
    try (Connection c = await(Aio.openConnection(HOST, listener.getLocalPort()));
        Socket peer = listener.accept()) {
      byte[] buffer = "xxxxxxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII);
      Task<Integer> read = Aio.createTask(c.reader().read(buffer));
      await(Aio.sleep(0)); // the read runs and waits
      // On the loopback interface the bytes are in the socket when the write returns.
      peer.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      // Another task keeps the ready queue busy, so that the next pass polls the sockets before the
      // timer runs.
      Task<Void> busy = Aio.createTask(yieldOnce());
      String[] seen = new String[1];
      Aio.loop().callLater(Duration.ZERO, () -> {
        seen[0] = c.reader().toString();
        read.cancel();
      });
      try {
        out.add("read " + await(read));
      } catch (io.awaitj.CancelledError e) {
        out.add("cancelled");
      }
      await(busy);
      out.add(seen[0].contains("socket readable") ? "woken by the socket" : "not woken: " + seen[0]);
      out.add(new String(buffer, StandardCharsets.US_ASCII));
      try {
        // A bound on the wait, so that a lost "hello" fails the test instead of hanging it.
        int n = await(Aio.waitFor(c.reader().read(buffer), Duration.ofSeconds(30)));
        out.add(new String(buffer, 0, n, StandardCharsets.US_ASCII));
      } catch (AsyncTimeoutException e) {
        out.add("nothing more to read");
      }
    }
    return done(out);
  }

  @Async
  static Coroutine<Void> yieldOnce() {
    await(Aio.sleep(0));
    return done();
  }

  @Test
  void aReadCancelledOnceTheSocketIsReadableLosesNothing() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      assertEquals(List.of("cancelled", "woken by the socket", "xxxxxxxxxxxxxxxx", "hello"),
          Aio.run(StreamsTestAsync.cancelledOnceReadable(listener)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // drain() and waitClosed() on events made when first needed.

  @Async
  static Coroutine<Void> awaitIt(Coroutine<Void> c) {
    await(c);
    return done();
  }

  /**
   * A drain() taken while nothing is buffered and awaited once the buffer is above its high-water mark
   * waits (the check is made when it is awaited); waitClosed() called after the close returns at once;
   * a drain after the close fails.
   */
  @Async
  static Coroutine<List<String>> drainAndCloseEvents() {
    List<String> out = new ArrayList<>();
    Event go = new Event();
    long[] received = new long[1];
    ConnectionOptions o = ConnectionOptions.defaults().withWriteBufferLimits(64 * 1024, 16 * 1024);
    try (Server server = await(Aio.startServer(
        (r, w) -> StreamsTestAsync.lateReader(r, w, go, received), HOST, 0))) {
      Connection c = await(Aio.openConnection(HOST, server.port(), o));
      Coroutine<Void> early = c.writer().drain();
      byte[] chunk = new byte[1 << 20];
      long written = 0;
      // The peer does not read yet: the socket's buffers fill, then the writer's.
      while (c.writer().transport().writeBufferSize() <= 64 * 1024) {
        c.writer().write(chunk);
        written += chunk.length;
      }
      Task<Void> waiting = Aio.createTask(awaitIt(early));
      await(Aio.sleep(0));
      await(Aio.sleep(0));
      out.add(waiting.isDone() ? "early drain done at once" : "early drain waits");
      go.set();
      await(waiting);
      out.add("drained, buffered <= 16 KiB: " + (c.writer().transport().writeBufferSize() <= 16 * 1024));
      c.writer().writeEof();
      out.add(("received " + written).equals(await(c.reader().readLine())) ? "all received"
          : "lost bytes");
      out.add("then " + await(c.reader().readLine()));
      // Both sides ended: the connection closes on its own, a pass later; nothing waited for it yet.
      await(Aio.sleep(0));
      await(Aio.sleep(0));
      out.add(c.writer().isClosing() ? "closing" : "open");
      try {
        await(Aio.waitFor(awaitIt(c.writer().waitClosed()), Duration.ofSeconds(30)));
        out.add("closed");
      } catch (AsyncTimeoutException e) {
        out.add("waitClosed() after the close waits");
      }
      try {
        await(c.writer().drain());
        out.add("drain after the close succeeded");
      } catch (UncheckedIOException e) {
        out.add("drain after the close fails");
      }
    }
    return done(out);
  }

  @Test
  void drainIsCheckedWhenAwaitedAndWaitClosedAfterTheClose() {
    assertEquals(List.of("early drain waits", "drained, buffered <= 16 KiB: true", "all received",
        "then null", "closing", "closed", "drain after the close fails"),
        Aio.run(StreamsTestAsync.drainAndCloseEvents()));
  }
}
