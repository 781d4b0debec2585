package io.awaitj;

/**
 * A callback scheduled for a time, as returned by {@link EventLoop#callLater}: asyncio's {@code
 * TimerHandle}. Cancelling it removes it from the loop's timers: at once on the loop's thread; from
 * another thread, the callback is marked cancelled at once (it will not start) and the removal is
 * handed to the loop through {@link EventLoop#callSoonThreadsafe}, waking it if it sleeps.
 *
 * <p>Threading: every method works from any thread.
 */
public final class TimerHandle extends Handle {
  /** {@link #heapIndex} of a timer in the queue of its delay. */
  static final int IN_QUEUE = -2;

  /**
   * The loop, or for a timer of {@code callLater}, the queue of its delay ({@link
   * TimerHeap.SleepQueue#eventLoop} is its loop): set when the handle is made, so in a young object
   * (no card for G1), and never changed. One field for both keeps the handle at 48 bytes with its
   * links.
   */
  private final Object owner;

  final long deadline;
  final long sequence;

  /** Position in the timer heap; {@link #IN_QUEUE} while in the queue {@link #owner}; -1 when neither. */
  int heapIndex = -1;

  /** Its neighbours in its queue while {@link #IN_QUEUE}; {@code null} otherwise. */
  TimerHandle prev;

  TimerHandle next;

  /** A timer of {@code owner}: an {@link EventLoop}, or a {@link TimerHeap.SleepQueue}. */
  TimerHandle(Object owner, Runnable callback, long deadline, long sequence) {
    super(callback);
    this.owner = owner;
    this.deadline = deadline;
    this.sequence = sequence;
  }

  /** The loop of the timer. */
  EventLoop loop() {
    Object o = owner;
    return o instanceof TimerHeap.SleepQueue q ? q.eventLoop : (EventLoop) o;
  }

  /** The queue of the timer while {@link #IN_QUEUE}. Loop thread only. */
  TimerHeap.SleepQueue queue() {
    return (TimerHeap.SleepQueue) owner;
  }

  /** When the callback is due, on the clock of {@link EventLoop#nanoTime()}. Threading: any thread. */
  public long deadlineNanos() {
    return deadline;
  }

  /** Cancels the timer; see the class comment. Idempotent. Threading: any thread. */
  @Override
  public void cancel() {
    if (isCancelled()) {
      return;
    }
    super.cancel();
    EventLoop loop = loop();
    if (loop.inLoopThread()) {
      if (heapIndex != -1) {
        loop.removeTimer(this);
      }
    } else if (!loop.isClosed()) {
      try {
        // The timers belong to the loop's thread. Until the removal runs, the cancelled timer cannot
        // fire its callback; the loop may at most wake up for it.
        loop.callSoonThreadsafe(() -> loop.removeTimer(this));
      } catch (IllegalStateException closedMeanwhile) {
        // a closed loop has cleared its timers
      }
    }
  }
}
