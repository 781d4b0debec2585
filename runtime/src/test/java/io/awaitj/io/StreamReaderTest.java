package io.awaitj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.CancelledError;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link StreamReader} fed by hand on a virtual clock, as a transport feeds it: what its reads return
 * as data comes in pieces (the integration module's {@code StreamsTest} does the same over sockets).
 */
class StreamReaderTest {
  private EventLoop loop;
  private StreamReader reader;

  @BeforeEach
  void setUp() {
    loop = EventLoop.createVirtual();
    reader = new StreamReader(loop, 16);
  }

  @AfterEach
  void tearDown() {
    loop.close();
  }

  private void feedAt(long seconds, String s) {
    loop.callLater(Duration.ofSeconds(seconds),
        () -> reader.feedData(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8))));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aWaitingReadGetsTheChunkAndLaterChunksDoNotChangeIt() {
    Task<byte[]> first = loop.createTask(reader.read(100));
    feedAt(1, "hello");
    feedAt(2, "world");
    byte[] got = loop.runUntilComplete(first);
    assertEquals("hello", text(got));
    assertEquals("world", text(loop.runUntilComplete(loop.createTask(reader.read(100)))));
    // The array handed over to the first read is the read's alone.
    assertEquals("hello", text(got));
  }

  @Test
  void aReadOfFewerBytesThanCameLeavesTheRest() {
    Task<byte[]> first = loop.createTask(reader.read(3));
    feedAt(1, "abcdef");
    assertEquals("abc", text(loop.runUntilComplete(first)));
    assertEquals("def", text(loop.runUntilComplete(loop.createTask(reader.read(3)))));
  }

  @Test
  void readLineSearchesEachPieceOnceNotTheLineFromItsStartAgain() {
    // A peer sending a long line a byte at a time must not cost the reader a search of the whole
    // line so far at each byte (n²/2 comparisons for n bytes): the search resumes where it stopped.
    StreamReader r = new StreamReader(loop, 1 << 20);
    Task<String> line = loop.createTask(r.readLine());
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      String piece = Integer.toString(i % 10);
      sent.append(piece);
      feedAt(r, i + 1, piece);
    }
    feedAt(r, 301, "\r\nrest");
    assertEquals(sent.toString(), loop.runUntilComplete(line));
    // 300 pieces, then 6 bytes: each byte looked at once (a search from the line's start at each
    // piece would look at 45,150 and more).
    assertTrue(r.bytesSearched() <= 306, r.bytesSearched() + " bytes searched");
    // Another separator's search does not take over readLine's place, nor readLine readUntil's.
    assertEquals("rest", text(loop.runUntilComplete(loop.createTask(r.readUntil(bytes("st"))))));
    Task<String> a = loop.createTask(r.readLine());
    feedAt(r, 1, "a\nb");
    assertEquals("a", loop.runUntilComplete(a));
    Task<byte[]> bc = loop.createTask(r.readUntil(bytes("\n")));
    feedAt(r, 1, "c");
    feedAt(r, 2, "\n");
    assertEquals("bc\n", text(loop.runUntilComplete(bc)));
  }

  private void feedAt(StreamReader r, long millis, String s) {
    loop.callLater(Duration.ofMillis(millis), () -> r.feedData(ByteBuffer.wrap(bytes(s))));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readLineJoinsPiecesAndStripsTheTerminator() {
    Task<String> line = loop.createTask(reader.readLine());
    feedAt(1, "ab");
    feedAt(2, "c\r");
    feedAt(3, "\nnext");
    assertEquals("abc", loop.runUntilComplete(line));
    loop.callLater(Duration.ofSeconds(1), reader::feedEof);
    assertEquals("next", loop.runUntilComplete(loop.createTask(reader.readLine())));
    assertNull(loop.runUntilComplete(loop.createTask(reader.readLine())));
    assertTrue(reader.atEof());
  }

  @Test
  void aCancelledReadExactlyConsumesNothing() {
    Task<byte[]> t = loop.createTask(reader.readExactly(6));
    feedAt(1, "abc");
    loop.callLater(Duration.ofSeconds(2), t::cancel);
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    assertEquals(3, reader.buffered());
    feedAt(1, "def");
    assertArrayEquals("abcdef".getBytes(StandardCharsets.UTF_8),
        loop.runUntilComplete(loop.createTask(reader.readExactly(6))));
  }

  @Test
  void aFailureComesAfterTheBytesBeforeIt() {
    feedAt(1, "ab");
    loop.callLater(Duration.ofSeconds(2),
        () -> reader.setException(new java.net.SocketException("Connection reset")));
    loop.runUntilComplete(io.awaitj.Aio.sleep(Duration.ofSeconds(3)));
    assertEquals("ab", text(loop.runUntilComplete(loop.createTask(reader.read(10)))));
    java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
        () -> loop.runUntilComplete(loop.createTask(reader.read(10))));
    assertEquals("read() failed: the connection failed: Connection reset", e.getMessage());
  }

  @Test
  void aLineLongerThanTheLimitIsDroppedWithAnError() {
    feedAt(1, "0123456789abcdefghij\nshort\n");
    loop.runUntilComplete(io.awaitj.Aio.sleep(Duration.ofSeconds(2)));
    LimitOverrunException e = assertThrows(LimitOverrunException.class,
        () -> loop.runUntilComplete(loop.createTask(reader.readLine())));
    assertEquals(21, e.consumed());
    assertEquals("short", loop.runUntilComplete(loop.createTask(reader.readLine())));
  }

  @Test
  void aReadUntilAfterOneForAnotherSeparatorSearchesEverything() {
    // Found by the subprocess branch: the search offset of a cancelled readUntil("xyz") was kept, so
    // readUntil("a") skipped the "a" already buffered and waited for ever.
    feedAt(1, "abc");
    Task<byte[]> t = loop.createTask(reader.readUntil("xyz".getBytes(StandardCharsets.UTF_8)));
    loop.callLater(Duration.ofSeconds(2), t::cancel);
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    assertEquals("a", text(loop.runUntilComplete(
        loop.createTask(reader.readUntil("a".getBytes(StandardCharsets.UTF_8))))));
    assertEquals("bc", text(loop.runUntilComplete(
        loop.createTask(reader.readUntil("c".getBytes(StandardCharsets.UTF_8))))));
  }

  @Test
  void aTransportPausedInConnectionMadeDoesNotRead() throws Exception {
    // Found by the TLS branch: a pause inside connectionMade was ignored.
    try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
      server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(
              server.getLocalAddress());
          java.nio.channels.SocketChannel accepted = server.accept()) {
        client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
        int[] received = new int[1];
        Protocol p = new Protocol() {
          @Override
          public void connectionMade(Transport t) {
            t.pauseReading();
          }

          @Override
          public void dataReceived(ByteBuffer data) {
            received[0] += data.remaining();
          }

          @Override
          public boolean eofReceived() {
            return false;
          }

          @Override
          public void connectionLost(Throwable cause) {}
        };
        SocketTransport t = new SocketTransport(loop, accepted, p);
        loop.runUntilComplete(io.awaitj.Aio.sleep(Duration.ofSeconds(1)));
        assertEquals(0, received[0]);
        assertTrue(!t.isReading());
        t.abort();
      }
    }
  }

  @Test
  void readIntoABufferFillsOnlyWhatCameAndSaysMinusOneAtTheEnd() {
    byte[] buffer = new byte[4];
    java.util.Arrays.fill(buffer, (byte) '.');
    Task<Integer> t = loop.createTask(reader.read(buffer));
    feedAt(1, "ab");
    assertEquals(2, loop.runUntilComplete(t));
    assertEquals("ab..", text(buffer));
    feedAt(1, "cdefg");
    loop.runUntilComplete(io.awaitj.Aio.sleep(Duration.ofSeconds(2)));
    assertEquals(4, loop.runUntilComplete(loop.createTask(reader.read(buffer))));
    assertEquals("cdef", text(buffer));
    loop.callLater(Duration.ofSeconds(1), reader::feedEof);
    assertEquals(1, loop.runUntilComplete(loop.createTask(reader.read(buffer))));
    assertEquals("gdef", text(buffer));
    assertEquals(-1, loop.runUntilComplete(loop.createTask(reader.read(buffer))));
  }

  @Test
  void aCancelledReadIntoABufferLeavesItAsItWas() {
    byte[] buffer = "....".getBytes(StandardCharsets.UTF_8);
    Task<Integer> t = loop.createTask(reader.read(buffer));
    loop.callLater(Duration.ofSeconds(1), t::cancel);
    feedAt(2, "xy");
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    loop.runUntilComplete(io.awaitj.Aio.sleep(Duration.ofSeconds(3)));
    assertEquals("....", text(buffer));
    assertEquals(2, reader.buffered());
  }
}
