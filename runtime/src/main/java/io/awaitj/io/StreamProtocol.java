package io.awaitj.io;

import io.awaitj.sync.Event;
import java.nio.ByteBuffer;

/**
 * The protocol joining a transport to a {@link StreamReader} and a {@link StreamWriter}: asyncio's
 * {@code StreamReaderProtocol} with its {@code FlowControlMixin}. It feeds the reader, and holds the
 * state the writer waits on: whether writing is paused (for {@link StreamWriter#drain()}) and whether
 * the connection is lost (for {@link StreamWriter#waitClosed()}).
 *
 * <p>Threading: the loop's thread.
 */
final class StreamProtocol implements Protocol {
  final StreamReader reader;
  Transport transport;

  /**
   * Whether the transport paused writing (its buffer is above the high-water mark): what drain waits
   * on.
   */
  boolean writingPaused;

  /**
   * Set while writing is not paused: what a waiting drain waits for. Made by the first drain that
   * waits: an idle connection, or one whose writes the socket always takes, has none.
   */
  private Event writable;

  /** Set when the connection is lost; made by the first wait for the close. */
  private Event closed;

  /** The handler's task, for a server's connection. */
  io.awaitj.Task<Void> handlerTask;

  boolean lost;
  Throwable lostCause;

  /** Called once the connection is made, before any data: the server starts its handler here. */
  private final java.util.function.Consumer<StreamProtocol> onMade;

  StreamProtocol(StreamReader reader, java.util.function.Consumer<StreamProtocol> onMade) {
    this.reader = reader;
    this.onMade = onMade;
  }

  /** The event a drain waits on while writing is paused. */
  Event writable() {
    Event e = writable;
    if (e == null) {
      e = new Event();
      if (!writingPaused) {
        e.set();
      }
      writable = e;
    }
    return e;
  }

  /** The event set when the connection is lost. */
  Event closed() {
    Event e = closed;
    if (e == null) {
      e = new Event();
      if (lost) {
        e.set();
      }
      closed = e;
    }
    return e;
  }

  @Override
  public void connectionMade(Transport transport) {
    this.transport = transport;
    reader.setTransport(transport);
    if (onMade != null) {
      onMade.accept(this);
    }
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    reader.feedData(data);
  }

  @Override
  public boolean eofReceived() {
    reader.feedEof();
    // Keep the write side open: the peer half-closed and may still read what this side writes.
    return transport.canWriteEof();
  }

  @Override
  public void connectionLost(Throwable cause) {
    lost = true;
    lostCause = cause;
    if (cause == null) {
      if (!reader.atEofFed()) {
        reader.feedEof();
      }
    } else {
      reader.setException(cause);
    }
    writingPaused = false;
    if (writable != null) {
      writable.set();
    }
    if (closed != null) {
      closed.set();
    }
  }

  @Override
  public void pauseWriting() {
    writingPaused = true;
    if (writable != null) {
      writable.clear();
    }
  }

  @Override
  public void resumeWriting() {
    writingPaused = false;
    if (writable != null) {
      writable.set();
    }
  }
}
