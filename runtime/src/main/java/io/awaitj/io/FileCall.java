package io.awaitj.io;

import io.awaitj.CancelledError;
import io.awaitj.Coroutine;

/**
 * The lazy coroutine of one {@link FileJob}: when it is awaited (not before), it submits the job to
 * the {@link FileWorkers} and waits for its outcome.
 */
final class FileCall<T> extends Coroutine<T> {
  private final FileJob<T> job;

  FileCall(FileJob<T> job) {
    this.job = job;
  }

  @Override
  @SuppressWarnings("fallthrough") // the suspension point falls through to its resume label
  protected Object step() {
    switch (state) {
      case 0:
        job.begin();
        state = 1;
        if (suspendOn(FileWorkers.submit(loop(), job))) {
          return SUSPEND;
        }
        // fall through
      case 1:
        try {
          return awaitResult();
        } catch (CancelledError e) {
          job.abandoned();
          throw e;
        }
      default:
        throw illegalState();
    }
  }

  @Override
  public String toString() {
    return "AsyncFiles." + job.what() + "(" + job.path + ")";
  }
}
