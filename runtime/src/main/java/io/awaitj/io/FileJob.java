package io.awaitj.io;

import io.awaitj.EventLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One blocking file operation, run on a {@link FileWorkers} thread; itself the future of its outcome,
 * handed to the loop by {@link EventLoop#wrapWork}, so an operation allocates this job, the coroutine
 * that awaits it ({@link FileCall}) and the loop's promise, and no closure.
 *
 * <p>Cancellation (of the loop's promise, when the awaiting task is cancelled) cancels this future: a
 * job that has not started then does nothing; one already running runs to its end, and its outcome is
 * dropped, except that the failure of a job that {@linkplain #changesFile() changes the file} is
 * reported to the loop's exception handler, and a result that holds a resource is released ({@link
 * #lateResult}).
 */
abstract class FileJob<T> extends CompletableFuture<T> implements Runnable {
  /** The file, for messages. */
  final Path path;

  /** The loop of the awaiting task; set by {@link FileWorkers#submit}. */
  EventLoop loop;

  FileJob(Path path) {
    this.path = path;
  }

  /** The operation, on a worker thread. */
  abstract T work() throws IOException;

  /** What the operation is, for messages: {@code "readString"}, {@code "write"}, ... */
  abstract String what();

  /** Whether the operation writes: a failure after its cancellation must still be reported. */
  boolean changesFile() {
    return false;
  }

  /**
   * Called on the loop's thread by {@link FileCall} just before the job is submitted; may refuse by
   * throwing. Nothing by default.
   */
  void begin() {}

  /** Called on the worker thread once the job is over, whether it ran or was skipped. */
  void finished() {}

  /** The job finished with {@code value} after it was cancelled: releases what it holds. */
  void lateResult(T value) {}

  /**
   * The await of this job ended in a {@link io.awaitj.CancelledError} while the job may have completed
   * first (its value then never reached the awaiting coroutine): releases what the value holds. Loop's
   * thread.
   */
  void abandoned() {}

  @Override
  public final void run() {
    try {
      if (isDone()) {
        return; // cancelled before it started: nothing was done
      }
      T value;
      try {
        value = work();
      } catch (Throwable e) {
        Throwable failure = e instanceof IOException io ? Errors.wrap(io, path, what()) : e;
        if (!completeExceptionally(failure) && changesFile()) {
          loop.callExceptionHandler(
              what() + " on " + path + " failed after the task awaiting it was cancelled", failure);
        }
        return;
      }
      if (!complete(value)) {
        lateResult(value);
      }
    } finally {
      finished();
    }
  }

  /** Dependent stages are plain futures, not jobs. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return what() + "(" + path + ")[" + super.toString() + "]";
  }
}
