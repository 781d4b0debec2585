package io.awaitj;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * {@link Aio#waitFor}: asyncio's {@code wait_for} as of Python 3.12. The awaited thing is an {@link
 * Awaitable} or a {@link CompletionStage}; a stage is awaited as {@code await(stage)} awaits it, and
 * made a promise ({@link Aio#fromStage}) where a promise is needed.
 *
 * <ul>
 *   <li>No timeout: awaits the awaitable, nothing more.
 *   <li>A positive timeout: awaits the awaitable inside a {@link Timeout} scope (inline: a coroutine is
 *       not wrapped in a task). When the deadline passes, the scope cancels the current task, so
 *       whatever the awaitable waits on is cancelled and the awaitable finishes its cleanup before
 *       this coroutine goes on; then the scope turns the cancellation into an {@link
 *       AsyncTimeoutException}. If the awaitable swallows the cancellation and returns a value, that
 *       value is returned.
 *   <li>A zero or negative timeout: the awaitable is wrapped in a task unless it is a promise; if that
 *       is done, its result is returned, otherwise it is cancelled, and once it has finished, its result
 *       is returned or, if it ended cancelled, an {@code AsyncTimeoutException} is thrown. A coroutine
 *       therefore never starts.
 * </ul>
 */
final class WaitFor<T> extends Coroutine<T> {
  private static final int AWAIT_PLAIN = 1;
  private static final int AWAIT_IN_SCOPE = 2;
  private static final int CANCEL_AND_WAIT = 3;

  /** The awaitable, or a {@link CompletionStage}; {@code null} once started. */
  private Object inner;
  private final Duration timeout;
  private Timeout scope;
  private Promise<T> future;
  private Waiter waiter;

  WaitFor(Awaitable<T> inner, Duration timeout) {
    if (inner == null) {
      throw new NullPointerException("awaitable");
    }
    this.inner = inner;
    this.timeout = timeout;
  }

  WaitFor(CompletionStage<T> inner, Duration timeout) {
    if (inner == null) {
      throw new NullPointerException("stage");
    }
    this.inner = inner;
    this.timeout = timeout;
  }

  @Override
  protected Object step() {
    switch (state) {
      case 0:
        {
          Object a = inner;
          inner = null;
          if (timeout == null) {
            state = AWAIT_PLAIN;
            if (suspendOnInner(a)) {
              return SUSPEND;
            }
            return awaitResult();
          }
          EventLoop loop = loop();
          if (timeout.isNegative() || timeout.isZero()) {
            Promise<T> f = futureOf(loop, a);
            if (f.isDone()) {
              return f.result();
            }
            // asyncio's _cancel_and_wait: wait on a waiter, not on f, so that this coroutine stays
            // reliably cancellable while f finishes.
            future = f;
            Waiter w = new Waiter(loop);
            waiter = w;
            f.addCallback(w);
            f.cancel();
            state = CANCEL_AND_WAIT;
            suspendOn(waiter);
            return SUSPEND;
          }
          scope = new Timeout(loop, requireTask(), timeout);
          state = AWAIT_IN_SCOPE;
          boolean suspended;
          try {
            suspended = suspendOnInner(a);
          } catch (Throwable e) {
            closeScope(e);
            throw e;
          }
          if (suspended) {
            return SUSPEND;
          }
        }
        // fall through: the awaitable finished inline
      case AWAIT_IN_SCOPE:
        {
          T value;
          try {
            value = awaitResult();
          } catch (Throwable e) {
            closeScope(e);
            throw e;
          }
          closeScope(null);
          return value;
        }
      case AWAIT_PLAIN:
        return awaitResult();
      case CANCEL_AND_WAIT:
        {
          Promise<T> f = future;
          try {
            awaitResult();
          } finally {
            waiter.stopListeningTo(f);
            future = null;
            waiter = null;
          }
          try {
            return f.result();
          } catch (CancelledError e) {
            throw new AsyncTimeoutException(
                "Aio.waitFor: the timeout of " + timeout + " had passed already", e);
          }
        }
      default:
        throw illegalState();
    }
  }

  /** Begins the await of {@code a}, a stage as {@code await(stage)} awaits it. */
  private boolean suspendOnInner(Object a) {
    return a instanceof CompletionStage<?> stage ? suspendOn(stage) : suspendOn((Awaitable<?>) a);
  }

  /** A promise of {@code a}: a stage's made by {@link Aio#fromStage}, an awaitable's ensured. */
  @SuppressWarnings("unchecked")
  private static <T> Promise<T> futureOf(EventLoop loop, Object a) {
    return a instanceof CompletionStage<?> stage
        ? (Promise<T>) loop.wrapStage(stage)
        : loop.ensureFuture((Awaitable<T>) a);
  }

  private void closeScope(Throwable failure) {
    Timeout s = scope;
    scope = null;
    s.exit(failure);
  }

  /**
   * What a zero timeout waits on: completed by its own run as the done callback of the future (queued
   * as itself, nothing allocated), once the future has finished cancelling.
   */
  private static final class Waiter extends Promise.Listener<Void> {
    Waiter(EventLoop loop) {
      super(loop);
    }

    @Override
    void runReady() {
      if (!isDone()) {
        complete(null);
      }
    }
  }

  @Override
  public String toString() {
    return "Aio.waitFor(" + (timeout == null ? "no timeout" : timeout.toString()) + ")";
  }
}
