package io.awaitj;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * What the loop watches on one channel ({@link EventLoop#addReader}, {@link EventLoop#addWriter}): the
 * attachment of the channel's {@link SelectionKey}, made at the first watch of the channel and kept
 * until the channel closes, so that watching and unwatching again only changes the key's interest set
 * (a cancelled key could not be registered again before the next select).
 *
 * <p>Each direction is a {@link Callback}, an element of the ready queue made once per watch: a channel
 * that stays readable for a million passes allocates nothing. Loop thread only.
 */
final class IoWatch {
  final SelectableChannel channel;
  SelectionKey key;
  final Callback reader = new Callback(this, "reader");
  final Callback writer = new Callback(this, "writer");

  IoWatch(SelectableChannel channel) {
    this.channel = channel;
  }

  /** The interest bits a reader or a writer of this channel waits for. */
  int readOps() {
    return channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
  }

  int writeOps() {
    if (channel instanceof java.nio.channels.SocketChannel sc && sc.isConnectionPending()) {
      return SelectionKey.OP_CONNECT;
    }
    return channel.validOps() & SelectionKey.OP_WRITE;
  }

  /** The interest set for the callbacks now set. */
  int interest() {
    return (reader.callback != null ? readOps() : 0) | (writer.callback != null ? writeOps() : 0);
  }

  /** One direction's callback: queued when the selector reports the channel ready for it. */
  static final class Callback extends Ready {
    private final IoWatch watch;
    private final String direction;
    Runnable callback;

    /** In the ready queue now: a level-triggered selector reports it again until it runs. */
    boolean queued;

    Callback(IoWatch watch, String direction) {
      this.watch = watch;
      this.direction = direction;
    }

    @Override
    void runReady() {
      queued = false;
      Runnable r = callback;
      if (r != null) {
        r.run();
      }
    }

    @Override
    public String toString() {
      return "IoWatch[" + direction + " of " + watch.channel + ": " + callback + "]";
    }
  }
}
