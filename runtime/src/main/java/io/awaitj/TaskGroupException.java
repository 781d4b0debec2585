package io.awaitj;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Thrown when a {@link TaskGroup} closes and one or more of its tasks failed: the Java form of the
 * {@code ExceptionGroup} an asyncio {@code TaskGroup} raises.
 *
 * <p>{@link #exceptions()} lists every failure, in the order the tasks failed; each is also attached
 * as a {@linkplain #getSuppressed() suppressed} exception, so stack traces show all of them. A task
 * that was cancelled is not a failure and does not appear.
 */
public class TaskGroupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The failures, in order; never empty. */
  private final List<Throwable> exceptions;

  /**
   * A group exception for {@code exceptions}.
   *
   * <p>Threading: any thread.
   *
   * @param exceptions the tasks' failures, in the order they happened; must not be empty
   * @throws IllegalArgumentException if {@code exceptions} is empty
   */
  public TaskGroupException(List<? extends Throwable> exceptions) {
    super(summary(exceptions));
    this.exceptions = Collections.unmodifiableList(new ArrayList<>(exceptions));
    for (Throwable e : this.exceptions) {
      addSuppressed(e);
    }
  }

  /**
   * The failures of the group's tasks, in the order they happened; unmodifiable, never empty.
   *
   * <p>Threading: any thread.
   */
  public List<Throwable> exceptions() {
    return exceptions;
  }

  private static String summary(List<? extends Throwable> exceptions) {
    if (exceptions == null || exceptions.isEmpty()) {
      throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
    }
    int n = exceptions.size();
    StringBuilder b = new StringBuilder("unhandled errors in a TaskGroup (");
    b.append(n).append(n == 1 ? " sub-exception): " : " sub-exceptions): ");
    for (int i = 0; i < n; i++) {
      Throwable e = exceptions.get(i);
      if (e == null) {
        throw new NullPointerException("exceptions[" + i + "] is null");
      }
      if (i > 0) {
        b.append("; ");
      }
      b.append(e);
    }
    return b.toString();
  }
}
