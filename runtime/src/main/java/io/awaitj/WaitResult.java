package io.awaitj;

import java.util.Collections;
import java.util.Set;

/**
 * What {@link Aio#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns: the promises that
 * were done when the wait ended, and those that were not (asyncio's {@code (done, pending)} pair).
 *
 * <p>Both sets hold the very promises that were passed in (compared by identity), iterate in the order
 * they were passed, and are read-only. Nothing in {@link #pending()} was cancelled: it is still running.
 *
 * @param <P> the type of the promises waited for, for example {@code Task<String>}
 */
public final class WaitResult<P extends Promise<?>> {
  private final Set<P> done;
  private final Set<P> pending;

  WaitResult(Set<P> done, Set<P> pending) {
    this.done = Collections.unmodifiableSet(done);
    this.pending = Collections.unmodifiableSet(pending);
  }

  /**
   * The promises that were done (succeeded, failed or cancelled) when the wait ended.
   *
   * <p>Threading: any thread (the sets are read-only snapshots).
   */
  public Set<P> done() {
    return done;
  }

  /**
   * The promises that were still pending when the wait ended; they keep running.
   *
   * <p>Threading: any thread (the sets are read-only snapshots).
   */
  public Set<P> pending() {
    return pending;
  }

  @Override
  public String toString() {
    return "WaitResult[done=" + done.size() + ", pending=" + pending.size() + "]";
  }
}
