package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import io.awaitj.processor.model.MachineContract;

/**
 * A protected region of a lowered {@code try} statement: an exception thrown in one of its states is
 * caught by a Java {@code try} around them and goes to the region's handler. Either the handler is a
 * state, which the catch reaches through {@link #exceptionField} (it stores the exception there and
 * jumps to {@link #handler}); or it is code the catch runs itself ({@link #inline}, reading the
 * exception from the catch's parameter, {@link MachineContract#THROWN}), which ends by a jump or, only
 * outside every other region, by throwing: no state and no field. A handler state belongs to the
 * parent region, so an exception it rethrows goes outward, exactly as in the source.
 */
public final class Region {
  final Region parent;
  /** The field the exception goes to, for a handler state; null for an inline handler. */
  final String exceptionField;
  /** The handler state, or null for an inline handler. */
  State handler;
  /** The handler's code, run by the catch itself (see the class comment), or null. */
  CodeBlock inline;
  /** What an inline handler does, a comment line written above its code; or null. */
  String comment;
  /**
   * For an inline handler: the region whose inline handler's code runs after {@link #inline}, or null
   * (the catch clauses' dispatch, when no clause takes the exception, enters the finally block as an
   * exception thrown in a catch clause does: the code of the finally's region's handler).
   */
  Region then;
  /** The region's name for comparisons: its field, or a name no field takes ('#'). */
  private final String key;

  /** A region whose handler is a state ({@link #handler}, set once made), reached through a field. */
  Region(Region parent, String exceptionField) {
    this(parent, exceptionField, exceptionField);
  }

  private Region(Region parent, String exceptionField, String key) {
    this.parent = parent;
    this.exceptionField = exceptionField;
    this.key = key;
  }

  /**
   * A region whose handler runs in the catch ({@link #inline}, set once made), named after {@code
   * state} and {@code role}, which no other region of the machine shares (see {@link #key()}).
   */
  static Region inline(Region parent, State state, String role) {
    return new Region(parent, null, role + "#" + state.id);
  }

  /** The enclosing region, or {@code null} outside every {@code try}. */
  public Region parent() {
    return parent;
  }

  /**
   * The region's name, the same for every state in it and different from every other region's: its
   * exception field, or, for an inline handler, a name that is no Java identifier.
   */
  public String key() {
    return key;
  }

  /** The number of the handler state, or -1 for an inline handler. */
  public int handlerNumber() {
    return handler == null ? -1 : handler.id();
  }

  /**
   * The code a catch runs on an exception thrown in this region, from {@link MachineContract#THROWN}:
   * the inline handler under its comment (and its {@link #then}'s code), or the store to the field and
   * the jump to the handler state.
   */
  public CodeBlock onThrow() {
    if (inline == null) {
      return MachineContract.toHandler(exceptionField, handler);
    }
    return commented(code());
  }

  /**
   * What a catch runs for this region, as a {@code catch}'s handler table may write it: all of it
   * ({@link #onThrow()}), or, where the region of {@link #then} has the next {@code case}, the code
   * before that region's (the case then falls through into the next).
   */
  public LoweredBody.OnThrow handling() {
    return then == null ? new LoweredBody.OnThrow(onThrow(), null, null)
        : new LoweredBody.OnThrow(onThrow(), commented(inline), then.key());
  }

  /** {@code code} under the handler's comment, if any. */
  private CodeBlock commented(CodeBlock code) {
    return comment == null ? code : CodeBlock.builder().add("// $L\n", comment).add(code).build();
  }

  /** The inline handler's code, and its {@link #then}'s after it, without their comments. */
  private CodeBlock code() {
    return then == null ? inline : inline.toBuilder().add(then.code()).build();
  }
}
