package io.awaitj;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * {@link Aio#gather} and {@link Aio#gatherSettled}: asyncio's {@code _GatheringFuture}. The outer
 * promise is its own done callback on every child, queued as itself each time a child completes, so
 * gathering n children allocates the children array, the array of their completions and the result
 * list, nothing per child or per completion.
 *
 * <p>Cancelling the outer promise cancels the children that are not done and does not mark the outer
 * cancelled: it completes when the children do, with a {@link CancelledError} as its exception.
 *
 * @param <R> the outer result: {@code List<T>}, or {@code List<Result<T>>} when settled
 */
final class Gather<R> extends Promise<List<R>> {
  private final Promise<?>[] children;
  private final boolean settled;
  private int finished;
  private boolean cancelRequested;

  /*
   * The children whose completion queued this promise, in that order: [finished, notified) are in
   * the loop's ready queue (one entry each, this promise), [0, finished) have run. Each registration
   * is notified once, so children.length slots suffice; made at the first completion.
   */
  private Promise<?>[] completions;
  private int notified;

  private Gather(EventLoop loop, Promise<?>[] children, boolean settled) {
    super(loop);
    this.children = children;
    this.settled = settled;
  }

  /** Gathers {@code awaitables}; see {@link Aio#gather}. */
  static <R> Promise<List<R>> start(Awaitable<?>[] awaitables, boolean settled) {
    int n = awaitables.length;
    if (n == 0) {
      Promise<List<R>> empty = EventLoop.running().createPromise();
      empty.complete(Arrays.asList());
      return empty;
    }
    EventLoop loop = EventLoop.loopOf(awaitables);
    loop.checkThread(settled ? "call Aio.gatherSettled" : "call Aio.gather");
    Promise<?>[] children = new Promise<?>[n];
    for (int i = 0; i < n; i++) {
      Awaitable<?> a = awaitables[i];
      if (a instanceof Coroutine<?> c && c.isStarted()) {
        // The same coroutine passed twice shares one task, as asyncio's arg_to_fut does.
        for (int j = 0; j < i; j++) {
          if (awaitables[j] == c) {
            children[i] = children[j];
            break;
          }
        }
      }
      if (children[i] == null) {
        children[i] = loop.ensureFuture(a);
      }
    }
    Gather<R> outer = new Gather<>(loop, children, settled);
    for (Promise<?> child : children) {
      child.addCallback(outer);
    }
    return outer;
  }

  static Awaitable<?>[] toArray(Collection<? extends Awaitable<?>> awaitables) {
    if (awaitables == null) {
      throw new NullPointerException("awaitables");
    }
    return awaitables.toArray(new Awaitable<?>[0]);
  }

  /**
   * Cancels every child not done yet; the outer completes when they have. asyncio's semantics.
   * Threading: the loop's thread, as {@link Promise#cancel(String)}.
   */
  @Override
  public boolean cancel(String message) {
    checkLoopThread("cancel"); // before any child is touched
    if (isDone()) {
      return false;
    }
    boolean any = false;
    for (Promise<?> child : children) {
      if (child.cancel(message)) {
        any = true;
      }
    }
    if (any) {
      // Propagate the cancellation even if the children swallow it, or report it as results.
      cancelRequested = true;
    }
    return any;
  }

  @Override
  void notifiedBy(Promise<?> child) {
    Promise<?>[] c = completions;
    if (c == null) {
      c = new Promise<?>[children.length];
      completions = c;
    }
    c[notified++] = child;
  }

  /** A child is done: its callback, as the loop runs it, in the order the children completed. */
  @Override
  void runReady() {
    Promise<?> child = completions[finished];
    completions[finished] = null;
    finished++;
    if (isDone()) {
      if (child.failure() != null) {
        child.markRetrieved();
      }
      return;
    }
    if (!settled) {
      if (child.isCancelled()) {
        setResult(FAILED, child.cancelledError());
        return;
      }
      Throwable e = child.failure();
      if (e != null) {
        child.markRetrieved();
        setResult(FAILED, e);
        return;
      }
    }
    if (finished < children.length) {
      return;
    }
    Object[] results = new Object[children.length];
    for (int i = 0; i < results.length; i++) {
      Promise<?> c = children[i];
      results[i] = settled ? c.toResult() : c.resultUnchecked();
    }
    if (cancelRequested) {
      setResult(FAILED, CancelledError.delivered(child.cancelMessage()));
    } else {
      setResult(SUCCEEDED, Arrays.asList(results));
    }
  }

  @Override
  public String toString() {
    return (settled ? "Aio.gatherSettled" : "Aio.gather")
        + "[" + finished + "/" + children.length + " done, " + describeState() + "]";
  }
}
