package io.awaitj;

/**
 * A callback scheduled for a time, as returned by {@link EventLoop#callLater}: asyncio's {@code
 * TimerHandle}. Cancelling it removes it from the loop's timer heap: at once on the loop's thread; from
 * another thread, the callback is marked cancelled at once (it will not start) and the removal is
 * handed to the loop through {@link EventLoop#callSoonThreadsafe}, waking it if it sleeps.
 *
 * <p>Threading: every method works from any thread.
 */
public final class TimerHandle extends Handle {
  private final EventLoop loop;
  final long deadline;
  final long sequence;

  /** Position in the timer heap, or -1 when not in it. */
  int heapIndex = -1;

  /**
   * The queue of its delay while it waits in one (a timer of {@code callLater}), else {@code null}:
   * stored when the handle is made, so in a young object, which costs G1 no card (see {@link
   * TimerHeap}).
   */
  TimerHeap.SleepQueue queue;

  /** Its neighbours in {@link #queue}. */
  TimerHandle prev;

  TimerHandle next;

  TimerHandle(EventLoop loop, Runnable callback, long deadline, long sequence) {
    super(callback);
    this.loop = loop;
    this.deadline = deadline;
    this.sequence = sequence;
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
    if (loop.inLoopThread()) {
      if (heapIndex >= 0 || queue != null) {
        loop.removeTimer(this);
      }
    } else if (!loop.isClosed()) {
      try {
        // The heap belongs to the loop's thread. Until the removal runs, the cancelled timer cannot
        // fire its callback; the loop may at most wake up for it.
        loop.callSoonThreadsafe(() -> loop.removeTimer(this));
      } catch (IllegalStateException closedMeanwhile) {
        // a closed loop has cleared its heap
      }
    }
  }
}
