package io.awaitj.sync;

/**
 * Thrown by {@link Barrier#arrive()} when the barrier is aborted or reset while the task waits, or is
 * broken when it arrives: asyncio's {@code BrokenBarrierError}.
 */
public class BrokenBarrierException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message saying what broke the barrier.
   *
   * <p>Threading: any thread.
   */
  public BrokenBarrierException(String message) {
    super(message);
  }
}
