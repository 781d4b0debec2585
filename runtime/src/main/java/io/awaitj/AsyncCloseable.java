package io.awaitj;

/**
 * A resource whose close is asynchronous: Python's {@code async with}.
 *
 * <p>Declared in a {@code try}-with-resources inside an {@link Async} method, its close is awaited when
 * the block exits: normally, by an exception, or by cancellation. The generated code calls {@link
 * #closeAsync(Throwable)} with the exception the block is ending with ({@code null} on a normal exit),
 * which by default calls {@link #closeAsync()}.
 *
 * <p>Exceptions follow Java's {@code try}-with-resources rules: an exception thrown by the close is
 * added as suppressed to the block's exception, with one exception, which is what lets a resource turn
 * a cancellation into a failure of its own, as an asyncio context manager's {@code __aexit__} can: when
 * the block ends with a {@link CancelledError} and the close throws something else, the close's
 * exception propagates, with the {@code CancelledError} suppressed. {@link TaskGroup} and {@link Timeout}
 * rely on this.
 *
 * <p>It extends {@link AutoCloseable} only so that the template type-checks; the synchronous {@link
 * #close()} is never called by generated code and throws if called.
 */
public interface AsyncCloseable extends AutoCloseable {

  /**
   * Closes the resource. Threading: implementations say; the generated code calls it on the loop's
   * thread of the task whose block ends.
   */
  Coroutine<Void> closeAsync();

  /**
   * Closes the resource, knowing how the block that used it ended; Python's {@code __aexit__}.
   * Threading: as {@link #closeAsync()}.
   *
   * @param failure the exception the block is ending with, or {@code null} if it completed normally
   */
  default Coroutine<Void> closeAsync(Throwable failure) {
    return closeAsync();
  }

  /**
   * Always throws: an async resource must be closed with {@code await(closeAsync())}, which the
   * {@code try}-with-resources of an {@link Async} method does for you. Threading: any thread.
   */
  @Override
  default void close() {
    throw new IllegalStateException(
        getClass().getName() + " is AsyncCloseable: close it with await(closeAsync()), or use it in a"
            + " try-with-resources inside an @Async method");
  }
}
