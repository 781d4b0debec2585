package io.awaitj.processor.emit;

import java.util.ArrayList;
import java.util.List;

/**
 * The stores to {@code state} in a state's code, read as text (comments and literals skipped), for
 * {@link Handlers}: whether one lies inside a {@code try} statement (its resources, block, catch
 * clauses or finally), and the targets of those that more code follows, instead of {@code continue
 * dispatch$;} at once (a generator's emit: {@code state = 3; emit$(value); ...}).
 */
final class StateStores {
  private StateStores() {}

  /**
   * What {@link #in} found.
   *
   * @param insideTry a store lies inside a {@code try} statement of the code
   * @param runOnAfter the targets of the stores that more code follows (null: not a number)
   */
  record Found(boolean insideTry, List<Integer> runOnAfter) {}

  /** The stores to {@code state} in {@code code} (a state's code, without its tail, as Java text). */
  static Found in(String code) {
    List<String> tokens = JavaTokens.of(code);
    boolean insideTry = false;
    List<Integer> runOnAfter = new ArrayList<>();
    // The depths (of parentheses, brackets and braces) at which the open try statements began.
    java.util.ArrayDeque<Integer> tries = new java.util.ArrayDeque<>();
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      switch (t) {
        case "(", "[", "{" -> depth++;
        case ")", "]", "}" -> {
          depth--;
          String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
          while (!tries.isEmpty() && tries.peek() == depth && t.equals("}")
              && !next.equals("catch") && !next.equals("finally")) {
            tries.pop();
          }
        }
        case "try" -> tries.push(depth);
        case "state" -> {
          boolean store = i + 1 < tokens.size() && tokens.get(i + 1).equals("=")
              && (i == 0 || !tokens.get(i - 1).equals("."));
          if (!store) {
            break;
          }
          if (!tries.isEmpty()) {
            insideTry = true;
          }
          int end = i + 2;
          while (end < tokens.size() && !tokens.get(end).equals(";")) {
            end++;
          }
          boolean jumps = end + 2 < tokens.size() && tokens.get(end + 1).equals("continue")
              && tokens.get(end + 2).equals("dispatch$");
          if (!jumps) {
            Integer target = null;
            if (end == i + 3) {
              try {
                target = Integer.valueOf(tokens.get(i + 2));
              } catch (NumberFormatException e) {
                target = null; // not a number: another state store than the protocol's
              }
            }
            runOnAfter.add(target);
          }
        }
        default -> { }
      }
    }
    return new Found(insideTry, runOnAfter);
  }
}
