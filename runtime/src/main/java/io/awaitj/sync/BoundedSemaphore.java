package io.awaitj.sync;

/**
 * A {@link Semaphore} that refuses to hold more permits than it started with: asyncio's {@code
 * BoundedSemaphore}. Catches a release without a matching acquire.
 */
public final class BoundedSemaphore extends Semaphore {
  private final int bound;

  /**
   * Creates a bounded semaphore with {@code permits} free permits, which is also its maximum.
   *
   * <p>Threading: any thread.
   *
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public BoundedSemaphore(int permits) {
    super(permits);
    this.bound = permits;
  }

  /**
   * Gives a permit back, as {@link Semaphore#release()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   *
   * @throws IllegalArgumentException if that would raise the count above the initial value: a release
   *     without a matching acquire (asyncio's {@code ValueError}); the count is left as it was
   */
  @Override
  public void release() {
    if (value >= bound) {
      throw new IllegalArgumentException(
          "BoundedSemaphore released too many times: each release() must match one acquire()"
              + " (bound " + bound + ")");
    }
    super.release();
  }
}
