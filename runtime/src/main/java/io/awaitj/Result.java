package io.awaitj;

import java.util.Objects;

/**
 * The outcome of an operation: a value, or the exception it failed with. What {@link
 * Aio#gatherSettled} returns for each awaitable (asyncio's {@code return_exceptions=True}).
 *
 * @param <T> the value type
 */
public final class Result<T> {
  private final T value;
  private final Throwable exception;

  private Result(T value, Throwable exception) {
    this.value = value;
    this.exception = exception;
  }

  /**
   * A successful outcome.
   *
   * <p>Threading: any thread (a result is immutable).
   */
  public static <T> Result<T> success(T value) {
    return new Result<>(value, null);
  }

  /**
   * A failed outcome; a cancellation is a failure with a {@link CancelledError}.
   *
   * <p>Threading: any thread (a result is immutable).
   */
  public static <T> Result<T> failure(Throwable exception) {
    return new Result<>(null, Objects.requireNonNull(exception, "exception"));
  }

  /**
   * Whether the operation succeeded.
   *
   * <p>Threading: any thread (a result is immutable).
   */
  public boolean isSuccess() {
    return exception == null;
  }

  /**
   * Whether the operation failed (or was cancelled).
   *
   * <p>Threading: any thread (a result is immutable).
   */
  public boolean isFailure() {
    return exception != null;
  }

  /**
   * Whether the operation was cancelled.
   *
   * <p>Threading: any thread (a result is immutable).
   */
  public boolean isCancelled() {
    return exception instanceof CancelledError;
  }

  /**
   * The value; rethrows the exception if the operation failed.
   *
   * <p>Threading: any thread (a result is immutable).
   */
  public T value() {
    if (exception != null) {
      throw Promise.sneakyThrow(exception);
    }
    return value;
  }

  /**
   * The exception, or {@code null} if the operation succeeded.
   *
   * <p>Threading: any thread (a result is immutable).
   */
  public Throwable exception() {
    return exception;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Result<?> r
        && Objects.equals(value, r.value)
        && Objects.equals(exception, r.exception);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, exception);
  }

  @Override
  public String toString() {
    return exception == null ? "Success[" + value + "]" : "Failure[" + exception + "]";
  }
}
