package io.awaitj;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@link Aio#toThread} and {@link Aio#runInExecutor}: runs a {@link Callable} on an executor's thread
 * and hands its outcome to a promise of the loop through {@link EventLoop#promiseOf}, which counts the
 * work as pending on another thread (so a virtual-time loop waits for it) and completes the promise on
 * the loop's thread through {@link EventLoop#callSoonThreadsafe}. The bridge is itself the future and
 * the job, so a call allocates the bridge, the promise and the loop's completion callbacks.
 */
final class ThreadBridge<T> extends CompletableFuture<T> implements Runnable {
  private Callable<? extends T> callable;

  private ThreadBridge(Callable<? extends T> callable) {
    this.callable = callable;
  }

  /** Submits {@code callable} to {@code executor}; the promise belongs to {@code loop}. */
  static <T> Promise<T> start(EventLoop loop, Executor executor, Callable<? extends T> callable) {
    if (callable == null) {
      throw new NullPointerException("callable");
    }
    if (executor == null) {
      throw new NullPointerException("executor");
    }
    ThreadBridge<T> bridge = new ThreadBridge<>(callable);
    executor.execute(bridge);
    return loop.promiseOf(bridge, null, true);
  }

  /** Runs on the executor's thread. Skipped if the promise was cancelled before it started. */
  @Override
  public void run() {
    Callable<? extends T> c = callable;
    callable = null;
    if (c == null || isDone()) {
      return;
    }
    T value;
    try {
      value = c.call();
    } catch (Throwable e) {
      completeExceptionally(e);
      return;
    }
    complete(value);
  }

  /** Dependent stages are plain futures, not bridges. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return "Aio.toThread[" + super.toString() + "]";
  }
}
