package io.awaitj.processor.lower;

import com.sun.source.tree.Tree;

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
}
