package io.awaitj.flow;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Coroutine;
import java.time.Duration;

/**
 * {@code timeout}: each element must come within the limit of being asked for, or the iteration fails
 * with {@link AsyncTimeoutException}; the upstream's wait is cancelled (as {@link Aio#waitFor} does),
 * and the upstream closed. An element already there passes without a timer.
 */
final class TimeoutNode<T> extends Node<T> {
  private final Node<T> up;
  private final Duration limit;

  TimeoutNode(Node<T> up, Duration limit) {
    if (limit == null || limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive: " + limit);
    }
    this.up = up;
    this.limit = limit;
  }

  @Override
  Object poll0() {
    return up.poll();
  }

  @Override
  Coroutine<Object> pull0() {
    return new Step();
  }

  @Override
  Coroutine<Void> closeUpstream() {
    return up.closeAsync();
  }

  @Override
  public String toString() {
    return "timeout(" + limit + ") of " + up;
  }

  /** {@code waitFor(up.pull(), limit)}, with a message that names the limit. */
  private final class Step extends Coroutine<Object> {
    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(Aio.waitFor(up.pull(), limit))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          try {
            return awaitResult();
          } catch (AsyncTimeoutException e) {
            throw new AsyncTimeoutException(
                "no element within " + limit + " of asking for it, from " + up, e);
          }
        default:
          throw illegalState();
      }
    }
  }
}
