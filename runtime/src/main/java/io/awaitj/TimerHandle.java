package io.awaitj;

/**
 * A callback scheduled for a time, as returned by {@link EventLoop#callLater}: asyncio's {@code
 * TimerHandle}. Cancelling it removes it from the loop's timer heap at once.
 */
public final class TimerHandle extends Handle {
  private final EventLoop loop;
  final long deadline;
  final long sequence;

  /** Position in the timer heap, or -1 when not in it. */
  int heapIndex = -1;

  TimerHandle(EventLoop loop, Runnable callback, long deadline, long sequence) {
    super(callback);
    this.loop = loop;
    this.deadline = deadline;
    this.sequence = sequence;
  }

  /** When the callback is due, on the clock of {@link EventLoop#nanoTime()}. */
  public long deadlineNanos() {
    return deadline;
  }

  @Override
  public void cancel() {
    if (!isCancelled()) {
      super.cancel();
      if (heapIndex >= 0) {
        loop.removeTimer(this);
      }
    }
  }

  /** Whether this timer is due before {@code other}: by deadline, then by scheduling order. */
  boolean before(TimerHandle other) {
    return deadline < other.deadline || (deadline == other.deadline && sequence < other.sequence);
  }
}
