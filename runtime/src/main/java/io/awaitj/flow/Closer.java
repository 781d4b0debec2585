package io.awaitj.flow;

import io.awaitj.AsyncCloseable;
import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import io.awaitj.Promise;
import io.awaitj.Task;

/**
 * Closes several things one after the other, each even if one before failed: iterators ({@link
 * AsyncIterator#closeAsync()}), async resources, and tasks (cancelled, then awaited until they have
 * finished). The first failure is thrown once all are closed, with the others suppressed; a {@code
 * null} entry, and anything else (an iterable never iterated: nothing of it is open), is skipped.
 */
final class Closer extends Coroutine<Void> {
  private final Object[] things;
  private int i;
  private Throwable failure;

  Closer(Object... things) {
    this.things = things;
  }

  /** A closer of {@code things}, or a finished coroutine when there is nothing to close. */
  static Coroutine<Void> of(Object... things) {
    return new Closer(things);
  }

  @Override
  protected Object step() throws Throwable {
    if (state == 1) {
      collect();
    }
    while (i < things.length) {
      Object t = things[i++];
      if (t == null || !(t instanceof AsyncIterator<?> || t instanceof AsyncCloseable
          || t instanceof Task<?>)) {
        continue; // an iterable that is not a resource: nothing of it is open
      }
      state = 1;
      boolean suspended;
      try {
        suspended = suspendOn(closing(t));
      } catch (Throwable e) {
        add(e);
        continue;
      }
      if (suspended) {
        return SUSPEND;
      }
      collect();
    }
    if (failure != null) {
      throw failure;
    }
    return null;
  }

  private void collect() {
    try {
      awaitResult();
    } catch (Throwable e) {
      add(e);
    }
  }

  private void add(Throwable e) {
    if (failure == null) {
      failure = e;
    } else if (failure != e) {
      failure.addSuppressed(e);
    }
  }

  private static io.awaitj.Awaitable<?> closing(Object t) {
    if (t instanceof AsyncIterator<?> it) {
      return it.closeAsync();
    }
    if (t instanceof AsyncCloseable c) {
      return c.closeAsync();
    }
    if (t instanceof Task<?> task) {
      task.cancel();
      return new Settled(task);
    }
    throw new IllegalArgumentException("cannot close " + t);
  }

  /**
   * Awaits a promise until it is done, whatever its outcome: a task that ends cancelled ends this
   * quietly, one that failed otherwise throws its failure. If the awaiting task is cancelled while it
   * waits, the {@link io.awaitj.CancelledError} is thrown.
   */
  static final class Settled extends Coroutine<Void> {
    private final Promise<?> p;

    Settled(Promise<?> p) {
      this.p = p;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (!p.isDone() && suspendOn(p)) {
            return SUSPEND;
          }
          // fall through
        case 1:
          if (!p.isDone()) {
            return awaitResult(); // our own cancellation: it throws
          }
          try {
            awaitResult();
          } catch (Throwable ignored) {
            // the promise's own outcome, read below
          }
          if (p.isCancelled()) {
            return null;
          }
          Throwable e = p.exception();
          if (e != null && !(e instanceof io.awaitj.CancelledError)) {
            throw Flows.sneaky(e);
          }
          return null;
        default:
          throw illegalState();
      }
    }
  }
}
