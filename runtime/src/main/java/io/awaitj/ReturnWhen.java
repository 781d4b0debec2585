package io.awaitj;

/**
 * When {@link Aio#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns: asyncio's
 * {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and {@code ALL_COMPLETED}.
 */
public enum ReturnWhen {
  /** As soon as any of the promises is done (succeeded, failed or cancelled). */
  FIRST_COMPLETED,

  /**
   * As soon as any of the promises fails with an exception, or when all are done. A cancelled promise
   * does not count as an exception.
   */
  FIRST_EXCEPTION,

  /** When all of the promises are done. */
  ALL_COMPLETED
}
