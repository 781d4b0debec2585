package io.awaitj.processor.lower;

/**
 * A protected region of a lowered {@code try} statement: states inside it are emitted inside a Java
 * {@code try} whose {@code catch (Throwable)} stores the exception in {@link #exceptionField} and jumps
 * to {@link #handler}. The handler state belongs to the parent region, so an exception it rethrows goes
 * outward, exactly as in the source.
 */
public final class Region {
  final Region parent;
  final String exceptionField;
  State handler;

  Region(Region parent, String exceptionField) {
    this.parent = parent;
    this.exceptionField = exceptionField;
  }

  /** The enclosing region, or {@code null} outside every {@code try}. */
  public Region parent() {
    return parent;
  }

  /** The field that holds the exception caught in this region. */
  public String exceptionField() {
    return exceptionField;
  }

  /** The state an exception thrown in this region goes to. */
  public State handler() {
    return handler;
  }
}
