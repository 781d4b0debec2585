package io.awaitj.processor.emit;

import java.util.Set;

/**
 * Whether the code of a state declares a local (a variable, or a local class, record, enum or
 * interface) at its top level, outside any block of its own: such a state's {@code case} needs braces,
 * for a local declared in a {@code case} without them is in scope in every later case of the switch
 * (and a second declaration of the name there would not compile). A state without one is written
 * without braces, a line shorter and a block fewer for javac.
 *
 * <p>The code is read as text, statement by statement at the top level (comments, string, text block
 * and character literals skipped; what is inside parentheses, brackets and braces belongs to the
 * statement that opened them). A statement counts as no declaration only when it is recognisably
 * something else: it starts with a statement keyword ({@code if}, {@code return}, {@code throw}, ...),
 * with an opening parenthesis or an operator, or is a name, a qualified name or an array access ({@code
 * a}, {@code this.a.b}, {@code a[i]}, {@code this.<T>m}) followed by an assignment, a call, an increment
 * or a label's colon. Anything else (a type followed by a name, {@code Foo<T>}, {@code int[]}, an
 * annotation) counts as a declaration: a doubt costs two lines, never a wrong program.
 */
final class TopLevelDeclarations {
  private TopLevelDeclarations() {}

  /** Words that start a statement which declares nothing at its top level. */
  private static final Set<String> STATEMENT_KEYWORDS = Set.of("if", "else", "for", "while", "do", "switch",
      "try", "catch", "finally", "return", "throw", "break", "continue", "synchronized", "yield", "assert",
      "new", "case", "default");

  /** Whether {@code code} (a state's code as Java text) declares a local at its top level. */
  static boolean in(String code) {
    int depth = 0;
    boolean atStart = true;
    int n = code.length();
    for (int i = 0; i < n; ) {
      char c = code.charAt(i);
      int skipped = skipIgnored(code, i);
      if (skipped > i) {
        i = skipped;
        continue;
      }
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (depth == 0 && atStart) {
        atStart = false;
        if (startsDeclaration(code, i)) {
          return true;
        }
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
        if (depth == 0 && c == '}') {
          atStart = true;
        }
      } else if (c == ';' && depth == 0) {
        atStart = true;
      } else if (c == '"' || c == '\'') {
        i = skipLiteral(code, i);
        continue;
      }
      i++;
    }
    return false;
  }

  /** The index after a comment starting at {@code i}, or {@code i} if none starts there. */
  static int skipIgnored(String code, int i) {
    if (code.startsWith("//", i)) {
      int end = code.indexOf('\n', i);
      return end < 0 ? code.length() : end + 1;
    }
    if (code.startsWith("/*", i)) {
      int end = code.indexOf("*/", i + 2);
      return end < 0 ? code.length() : end + 2;
    }
    return i;
  }

  /** The index after the string, text block or character literal starting at {@code i}. */
  static int skipLiteral(String code, int i) {
    if (code.startsWith("\"\"\"", i)) {
      for (int j = i + 3; j < code.length(); j++) {
        if (code.charAt(j) == '\\') {
          j++;
        } else if (code.startsWith("\"\"\"", j)) {
          return j + 3;
        }
      }
      return code.length();
    }
    char quote = code.charAt(i);
    for (int j = i + 1; j < code.length(); j++) {
      char c = code.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == quote || c == '\n') {
        return j + 1;
      }
    }
    return code.length();
  }

  /** Whether the top-level statement starting at {@code i} may be a declaration (see the class). */
  private static boolean startsDeclaration(String code, int i) {
    char c = code.charAt(i);
    if (c == '@') {
      return true; // an annotated declaration
    }
    if (!Character.isJavaIdentifierStart(c)) {
      return false; // a parenthesis, an operator, a stray ';': no declaration starts so
    }
    int j = identifierEnd(code, i);
    if (STATEMENT_KEYWORDS.contains(code.substring(i, j))) {
      return false;
    }
    // A name, qualified or not, with array accesses and explicit type arguments of a call.
    while (true) {
      int k = skipSpaces(code, j);
      if (k < code.length() && code.charAt(k) == '.') {
        k = skipSpaces(code, k + 1);
        if (k < code.length() && code.charAt(k) == '<') {
          k = skipSpaces(code, matching(code, k, '<', '>'));
        }
        if (k >= code.length() || !Character.isJavaIdentifierStart(code.charAt(k))) {
          return true;
        }
        j = identifierEnd(code, k);
      } else if (k < code.length() && code.charAt(k) == '[') {
        int inner = skipSpaces(code, k + 1);
        if (inner < code.length() && code.charAt(inner) == ']') {
          return true; // an array type: int[] a
        }
        j = matching(code, k, '[', ']');
      } else {
        j = k;
        break;
      }
    }
    if (j >= code.length()) {
      return true;
    }
    char after = code.charAt(j);
    if (after == '(' || after == ';' || after == ':') {
      return false; // a call, a bare name, a label
    }
    if (after == '=') {
      return j + 1 < code.length() && code.charAt(j + 1) == '=';
    }
    if (code.startsWith("++", j) || code.startsWith("--", j)) {
      return false;
    }
    // A compound assignment: +=, -=, *=, /=, %=, &=, |=, ^=, <<=, >>=, >>>=.
    for (String op : new String[] {"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", ">>>="}) {
      if (code.startsWith(op, j)) {
        return false;
      }
    }
    return true; // a name after the type, type arguments, or something not understood
  }

  private static int identifierEnd(String code, int i) {
    int j = i + 1;
    while (j < code.length() && Character.isJavaIdentifierPart(code.charAt(j))) {
      j++;
    }
    return j;
  }

  private static int skipSpaces(String code, int i) {
    while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * The index after the {@code close} matching the {@code open} at {@code i} (literals skipped), or the
   * code's length.
   */
  private static int matching(String code, int i, char open, char close) {
    int depth = 0;
    for (int j = i; j < code.length(); j++) {
      char c = code.charAt(j);
      if (c == '"' || c == '\'') {
        j = skipLiteral(code, j) - 1;
      } else if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return j + 1;
      }
    }
    return code.length();
  }
}
