package io.awaitj.io;

import java.nio.ByteBuffer;

/**
 * What a {@link Transport} calls: asyncio's protocol. The calls come on the loop's thread, in this
 * order: {@link #connectionMade} once; then {@link #dataReceived} any number of times, possibly {@link
 * #eofReceived} once; then {@link #connectionLost} once. {@link #pauseWriting} and {@link
 * #resumeWriting} come in pairs in between.
 *
 * <p>Threading: the transport calls every method on its loop's thread.
 */
public interface Protocol {

  /** The connection is up; {@code transport} is how to write and close. Loop's thread. */
  void connectionMade(Transport transport);

  /**
   * Bytes arrived: those between {@code data}'s position and limit. The buffer belongs to the
   * transport and is reused after this returns: copy what is kept. Threading: the loop's thread.
   */
  void dataReceived(ByteBuffer data);

  /**
   * The peer closed its write side. Threading: the loop's thread.
   *
   * @return {@code true} to keep this side open (to write back after a half-close), {@code false} to
   *     close the transport
   */
  boolean eofReceived();

  /**
   * The connection is closed: {@code cause} is {@code null} after an orderly close or end of stream,
   * otherwise the error that ended it. Threading: the loop's thread.
   */
  void connectionLost(Throwable cause);

  /** The transport's write buffer went past its high-water mark. Loop's thread. */
  default void pauseWriting() {}

  /** The transport's write buffer drained below its low-water mark. Loop's thread. */
  default void resumeWriting() {}
}
