package io.awaitj.processor.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Textual simplifications of one line of a generated program, for the shrinker: each unwraps one
 * awaited {@code val(x)} or {@code ready(x)} into {@code x}, or replaces one call of a helper or of a
 * traced function by its first argument. A simplification may not compile (a type changed); the
 * shrinker drops those.
 */
final class Simplifier {
  private static final String[] WRAPPERS = {"await(val(", "await(ready("};
  private static final String[] CALLS = {"g(", "chk(", "chkB(", "Math.floorMod("};

  private Simplifier() {}

  static List<String> simplifications(String text) {
    List<String> out = new ArrayList<>();
    for (String w : WRAPPERS) {
      for (int at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
        int open = at + w.length() - 1; // the '(' of val( / ready(
        int close = matching(text, open);
        if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ')') {
          continue;
        }
        out.add(text.substring(0, at) + "(" + text.substring(open + 1, close) + ")"
            + text.substring(close + 2));
      }
    }
    for (String call : CALLS) {
      for (int at = text.indexOf(call); at >= 0; at = text.indexOf(call, at + 1)) {
        if (at > 0 && (Character.isJavaIdentifierPart(text.charAt(at - 1)) || text.charAt(at - 1) == '.')
            && !call.startsWith("Math")) {
          continue;
        }
        int open = at + call.length() - 1;
        int close = matching(text, open);
        int comma = topLevelComma(text, open + 1, close);
        if (close < 0) {
          continue;
        }
        String first = text.substring(open + 1, comma < 0 ? close : comma);
        out.add(text.substring(0, at) + "(" + first + ")" + text.substring(close + 1));
      }
    }
    return out;
  }

  private static int matching(String s, int open) {
    int depth = 0;
    boolean inString = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private static int topLevelComma(String s, int from, int to) {
    if (to < 0) {
      return -1;
    }
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
      } else if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
