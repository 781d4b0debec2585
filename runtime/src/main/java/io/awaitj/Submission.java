package io.awaitj;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What {@link EventLoop#runCoroutineThreadsafe(Coroutine)} returns: asyncio's {@code
 * run_coroutine_threadsafe} future. It is also the callback that starts the task on the loop's thread
 * (through the inbox of {@link EventLoop#callSoonThreadsafe(Runnable)}) and the task's done callback,
 * which copies the task's outcome into it: one object for the whole round trip besides the task and its
 * inbox handle.
 *
 * <p>Threading: the future is used from any thread; {@link #run()} and {@link #accept(Promise)} run on
 * the loop's thread; {@link #cancel(boolean)} on any thread, and cancels the task through the inbox.
 */
final class Submission<T> extends CompletableFuture<T> implements Runnable, Consumer<Promise<T>> {
  private final EventLoop loop;

  /** The coroutine to start; read and cleared by {@link #run()} on the loop's thread. */
  private Coroutine<T> coroutine;

  /** The task, once {@link #run()} created it; read by {@link #cancel} on any thread. */
  private volatile Task<T> task;

  Submission(EventLoop loop, Coroutine<T> coroutine) {
    this.loop = loop;
    this.coroutine = coroutine;
  }

  /** On the loop's thread: starts the task, unless the future is done already (cancelled). */
  @Override
  public void run() {
    Coroutine<T> c = coroutine;
    coroutine = null;
    if (c == null || isDone()) {
      return; // cancelled before it started: the coroutine never runs
    }
    if (loop.isClosing()) {
      failClosed(c);
      return;
    }
    Task<T> t;
    try {
      t = loop.createTask(c);
    } catch (RuntimeException e) {
      completeExceptionally(e);
      return;
    }
    task = t;
    t.addDoneCallback(this);
    if (isCancelled()) {
      t.cancel(); // cancelled on another thread while the task was being made
    }
  }

  /** The task's done callback, on the loop's thread. */
  @Override
  public void accept(Promise<T> done) {
    done.copyOutcomeTo(this);
  }

  /**
   * Fails the future because the loop is closed (or closing) and will never run {@code c}; does
   * nothing if the future is done already.
   */
  void failClosed(Object c) {
    completeExceptionally(
        new IllegalStateException(
            "event loop is closed: " + (c != null ? "coroutine " + c : "the coroutine")
                + " given to runCoroutineThreadsafe never ran (submit to a loop that is running, or"
                + " will run, and is not closed)"));
  }

  /** Cancels the future and, if it was pending, the task (on the loop's thread, through its inbox). */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean r = super.cancel(mayInterruptIfRunning);
    Task<T> t = task;
    if (r && t != null && !loop.isClosed()) {
      try {
        loop.callSoonThreadsafe(t::cancel);
      } catch (IllegalStateException closedMeanwhile) {
        // the loop closed after the check: closing cancelled the task
      }
    }
    return r;
  }

  @Override
  public String toString() {
    return "runCoroutineThreadsafe[" + super.toString() + "]";
  }
}
