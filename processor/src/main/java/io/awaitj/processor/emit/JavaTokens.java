package io.awaitj.processor.emit;

import java.util.ArrayList;
import java.util.List;

/**
 * Java code read as tokens, for the emitter that reads a state's code as text ({@link StateStores}):
 * enough of Java's lexical grammar to tell names, numbers, literals and operators apart, not a parser.
 */
final class JavaTokens {
  private JavaTokens() {}

  /** Operators of several characters, longest first. */
  private static final String[] OPERATORS = {">>>=", "<<=", ">>=", "...", "->", "::", "++", "--", "==", "!=",
      "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^="};

  /**
   * The tokens of {@code code}: names, numbers (as written), each string or character literal as
   * {@code "}, and operators ({@code ==}, {@code +=}, {@code ->}... as one token; {@code >>} as two,
   * for type arguments); comments and whitespace dropped.
   */
  static List<String> of(String code) {
    List<String> out = new ArrayList<>();
    int n = code.length();
    for (int i = 0; i < n; ) {
      int skipped = TopLevelDeclarations.skipIgnored(code, i);
      if (skipped > i) {
        i = skipped;
        continue;
      }
      char c = code.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '\'') {
        i = TopLevelDeclarations.skipLiteral(code, i);
        out.add("\"");
      } else if (Character.isJavaIdentifierStart(c)) {
        int j = i + 1;
        while (j < n && Character.isJavaIdentifierPart(code.charAt(j))) {
          j++;
        }
        out.add(code.substring(i, j));
        i = j;
      } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(code.charAt(i + 1))) {
        // A number (its exponent's sign included; a sign taken wrongly would only hide an operand).
        int j = i + 1;
        while (j < n && (Character.isJavaIdentifierPart(code.charAt(j)) || code.charAt(j) == '.'
            || (code.charAt(j) == '+' || code.charAt(j) == '-') && "eEpP".indexOf(code.charAt(j - 1)) >= 0
                && !code.startsWith("0x", i) && !code.startsWith("0X", i))) {
          j++;
        }
        out.add(code.substring(i, j));
        i = j;
      } else {
        String op = String.valueOf(c);
        for (String o : OPERATORS) {
          if (code.startsWith(o, i)) {
            op = o;
            break;
          }
        }
        out.add(op);
        i += op.length();
      }
    }
    return out;
  }
}
