package io.awaitj.processor.lower;

import com.sun.source.tree.Tree;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/** The source text of Java's operators, by tree kind. */
final class Operators {
  private Operators() {}

  /** The operator of a binary expression, or of a compound assignment ({@code +=} gives {@code +}). */
  static String binary(Tree.Kind kind) {
    switch (kind) {
      case MULTIPLY: case MULTIPLY_ASSIGNMENT: return "*";
      case DIVIDE: case DIVIDE_ASSIGNMENT: return "/";
      case REMAINDER: case REMAINDER_ASSIGNMENT: return "%";
      case PLUS: case PLUS_ASSIGNMENT: return "+";
      case MINUS: case MINUS_ASSIGNMENT: return "-";
      case LEFT_SHIFT: case LEFT_SHIFT_ASSIGNMENT: return "<<";
      case RIGHT_SHIFT: case RIGHT_SHIFT_ASSIGNMENT: return ">>";
      case UNSIGNED_RIGHT_SHIFT: case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT: return ">>>";
      case LESS_THAN: return "<";
      case GREATER_THAN: return ">";
      case LESS_THAN_EQUAL: return "<=";
      case GREATER_THAN_EQUAL: return ">=";
      case EQUAL_TO: return "==";
      case NOT_EQUAL_TO: return "!=";
      case AND: case AND_ASSIGNMENT: return "&";
      case XOR: case XOR_ASSIGNMENT: return "^";
      case OR: case OR_ASSIGNMENT: return "|";
      case CONDITIONAL_AND: return "&&";
      case CONDITIONAL_OR: return "||";
      default: throw new IllegalArgumentException("not a binary operator: " + kind);
    }
  }

  /** The operator of a unary expression. */
  static String unary(Tree.Kind kind) {
    switch (kind) {
      case POSTFIX_INCREMENT: case PREFIX_INCREMENT: return "++";
      case POSTFIX_DECREMENT: case PREFIX_DECREMENT: return "--";
      case UNARY_PLUS: return "+";
      case UNARY_MINUS: return "-";
      case BITWISE_COMPLEMENT: return "~";
      case LOGICAL_COMPLEMENT: return "!";
      default: throw new IllegalArgumentException("not a unary operator: " + kind);
    }
  }

  /** Whether {@code kind} is one of {@code ++x}, {@code x++}, {@code --x}, {@code x--}. */
  static boolean isIncrementOrDecrement(Tree.Kind kind) {
    return kind == Tree.Kind.PREFIX_INCREMENT || kind == Tree.Kind.POSTFIX_INCREMENT
        || isDecrement(kind);
  }

  static boolean isDecrement(Tree.Kind kind) {
    return kind == Tree.Kind.PREFIX_DECREMENT || kind == Tree.Kind.POSTFIX_DECREMENT;
  }

  static boolean isPostfix(Tree.Kind kind) {
    return kind == Tree.Kind.POSTFIX_INCREMENT || kind == Tree.Kind.POSTFIX_DECREMENT;
  }

  /**
   * The cast to {@code lhs}'s type that Java's compound assignment {@code lhs op= rhs} implies (JLS
   * 15.26.2), or null when none is needed.
   */
  static com.palantir.javapoet.TypeName compoundCast(Types types, TypeMirror lhs, TypeMirror rhs,
      Tree.Kind kind) {
    return compoundNarrows(types, lhs, rhs, kind) ? TypeNames.PLAIN.denotable(lhs) : null;
  }

  /**
   * Whether {@code lhs op= rhs} needs the cast to {@code lhs}'s type that Java's compound assignment
   * implies (JLS 15.26.2): the operation's result is wider than {@code lhs}, or {@code lhs} is a box.
   */
  private static boolean compoundNarrows(Types types, TypeMirror lhs, TypeMirror rhs, Tree.Kind kind) {
    TypeKind left = unboxed(types, lhs);
    if (left == null || left == TypeKind.BOOLEAN) {
      return false;
    }
    TypeKind result;
    if (kind == Tree.Kind.LEFT_SHIFT_ASSIGNMENT || kind == Tree.Kind.RIGHT_SHIFT_ASSIGNMENT
        || kind == Tree.Kind.UNSIGNED_RIGHT_SHIFT_ASSIGNMENT) {
      result = promote(left, TypeKind.INT);
    } else {
      TypeKind right = unboxed(types, rhs);
      result = promote(left, right == null ? TypeKind.INT : right);
    }
    return result != left || !lhs.getKind().isPrimitive();
  }

  /** The primitive kind of {@code t} or of the type it boxes; null for other types. */
  static TypeKind unboxed(Types types, TypeMirror t) {
    if (t.getKind().isPrimitive()) {
      return t.getKind();
    }
    try {
      return types.unboxedType(t).getKind();
    } catch (IllegalArgumentException notBoxed) {
      return null;
    }
  }

  /** Binary numeric promotion (JLS 5.6) of two primitive kinds. */
  private static TypeKind promote(TypeKind a, TypeKind b) {
    if (a == TypeKind.DOUBLE || b == TypeKind.DOUBLE) {
      return TypeKind.DOUBLE;
    }
    if (a == TypeKind.FLOAT || b == TypeKind.FLOAT) {
      return TypeKind.FLOAT;
    }
    if (a == TypeKind.LONG || b == TypeKind.LONG) {
      return TypeKind.LONG;
    }
    return TypeKind.INT;
  }
}
