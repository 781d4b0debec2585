package io.awaitj.processor.hostile;

import io.awaitj.processor.hostile.JavaTokens.Kind;
import io.awaitj.processor.hostile.JavaTokens.Token;
import io.awaitj.processor.hostile.JavaTokens.Tokens;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random mutations of a source, on its tokens ({@link JavaTokens}).
 *
 * <p>Token mutations: delete a token, duplicate one, swap two adjacent ones, replace one with another
 * token of the source (of any kind, or of the same kind: an identifier for an identifier, a literal
 * for a literal), or insert or put in place a token the transform cares about ({@code await}, {@code
 * return}, a brace...). Most of them produce programs that do not parse.
 *
 * <p>Statement mutations, so that more mutants reach the lowering: statements are found in the token
 * stream of the {@code @Async} bodies (a statement ends at a {@code ;} or a closing brace at its own
 * nesting depth); a statement is deleted, duplicated or swapped with the next one, one or two are
 * wrapped in a construct ({@code try/finally} with an await, a loop, a label, a lambda,
 * {@code synchronized}...), or a statement is inserted (an await, an early return, a break...).
 *
 * <p>Renamings: an identifier of an {@code @Async} body is renamed everywhere in the source to a
 * name the generated code uses itself ({@code state}, {@code self}, the label {@code dispatch},
 * {@code Object}...).
 *
 * <p>Mutations fall in the {@code @Async} bodies of the seed's focus, one token mutation in five
 * anywhere.
 */
final class Mutator {
  /** Tokens that matter to the transform, for insertions and replacements. */
  static final List<String> INTERESTING = List.of(
      "await", "done", "return", "yield", "break", "continue", "null", "this", "super", "var",
      "final", "static", "synchronized", "try", "finally", "catch", "throw", "new", "class", "@Async",
      "->", "::", "{", "}", "(", ")", ";", ",", "?", ":", "if", "else", "for", "while", "do", "switch",
      "case", "default", "int", "Object", "Coroutine", "x", "0", "\"s\"");

  private static final String SLEEP = "io.awaitj.Aio.sleep(0)";
  private static final String AWAIT = "io.awaitj.Aio.await(" + SLEEP + ");";

  /** Statements to insert. */
  static final List<String> STATEMENTS = List.of(
      AWAIT,
      "await(" + SLEEP + ");",
      "int fuzz$ = io.awaitj.Aio.await(io.awaitj.Aio.sleep(java.time.Duration.ZERO, 1));",
      "if (System.nanoTime() < 0) return io.awaitj.Aio.done(null);",
      "if (System.nanoTime() < 0) throw new IllegalStateException(\"fuzz\");",
      "break;",
      "continue;",
      "yield 0;",
      "return io.awaitj.Aio.done(null);",
      "synchronized (Object.class) { " + AWAIT + " }",
      "Runnable fuzz$ = () -> io.awaitj.Aio.await(" + SLEEP + ");",
      "java.util.function.Supplier<io.awaitj.Coroutine<Integer>> fuzz$ = () -> io.awaitj.Aio.done("
          + "io.awaitj.Aio.await(io.awaitj.Aio.sleep(java.time.Duration.ZERO, 1)));",
      "class Fuzz$ {}",
      "assert io.awaitj.Aio.await(io.awaitj.Aio.sleep(java.time.Duration.ZERO, true));",
      "fuzz$: { if (System.nanoTime() > 0) break fuzz$; " + AWAIT + " }",
      "try { " + AWAIT + " } finally { }",
      "try { " + AWAIT + " } catch (RuntimeException fuzz$) { throw fuzz$; }",
      "for (Object fuzz$ : java.util.List.of(1, 2)) { " + AWAIT + " }",
      "switch (1) { case 1 -> " + AWAIT + " default -> {} }");

  /** Constructs to wrap statements in: what goes before, what goes after. */
  static final List<String[]> WRAPPERS = List.of(
      new String[] {"try {", "} finally { " + AWAIT + " }"},
      new String[] {"try {", "} catch (RuntimeException fuzz$) { throw fuzz$; }"},
      new String[] {"try {", "} finally { }"},
      new String[] {"try {", "} catch (Throwable fuzz$) { }"},
      new String[] {"if (System.nanoTime() > 0) {", "}"},
      new String[] {"if (System.nanoTime() < 0) {} else {", "}"},
      new String[] {"{", "}"},
      new String[] {"for (int fuzz$ = 0; fuzz$ < 2; fuzz$++) {", "}"},
      new String[] {"do {", "} while (System.nanoTime() < 0);"},
      new String[] {"while (true) {", " break; }"},
      new String[] {"fuzz$: {", "}"},
      new String[] {"switch (System.nanoTime() > 0 ? 1 : 2) { case 1: ", " }"},
      new String[] {"switch (1) { default -> {", "} }"},
      new String[] {"synchronized (Object.class) {", "}"},
      new String[] {"Runnable fuzz$ = () -> {", "};"},
      new String[] {"java.util.function.Supplier<io.awaitj.Coroutine<Object>> fuzz$ = () -> {",
          " return io.awaitj.Aio.done(null); };"},
      new String[] {"java.util.function.Supplier<Object> fuzz$ = () -> {", " return null; }; fuzz$.get();"},
      new String[] {"new Object() { void fuzz$() {", " } };"},
      new String[] {"if (System.nanoTime() < 0) throw new IllegalStateException(); else {", "}"});

  /**
   * Names the generated code uses itself (fields, labels, methods and types of the machine, names of
   * java.lang), for consistent renamings.
   */
  static final List<String> HOSTILE_NAMES = List.of(
      "state", "self", "self_", "dispatch", "thrown$", "SUSPEND", "step", "result", "value",
      "awaitResult", "suspendOn", "illegalState", "p0", "p1", "this$0", "Object", "String",
      "Throwable", "Override", "T", "E", "R", "await", "done", "Coroutine", "Aio");

  /** Tokens after which a statement may start. */
  private static final Set<String> STATEMENT_ENDS = Set.of(";", "{", "}");

  /** Tokens that continue the statement before them rather than start one. */
  private static final Set<String> CONTINUATIONS = Set.of("}", "else", "catch", "finally", "case", "default");

  /** A mutant's text and the operations that made it, in words. */
  record Mutant(String source, List<String> operations) {}

  private final Tokens original;
  private final int focusStart;
  private final int focusEnd;
  private final Map<Kind, List<Token>> byKind = new EnumMap<>(Kind.class);

  /** A mutator of {@code source} whose focus is the @Async bodies in [focusStart, focusEnd). */
  Mutator(String source, int focusStart, int focusEnd) {
    this.original = JavaTokens.tokenize(source);
    this.focusStart = focusStart;
    this.focusEnd = focusEnd;
    for (Token t : original.tokens()) {
      byKind.computeIfAbsent(t.kind(), k -> new ArrayList<>()).add(t);
    }
  }

  /** One to three random mutations of the source. */
  Mutant mutate(Random rnd) {
    List<Token> ts = new ArrayList<>(original.tokens());
    List<String> ops = new ArrayList<>();
    int count = 1 + (rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0);
    for (int k = 0; k < count && ts.size() > 2; k++) {
      List<int[]> bodies = bodies(ts);
      int kind = rnd.nextInt(100);
      if (kind < 10 && !bodies.isEmpty() && rename(ts, bodies.get(rnd.nextInt(bodies.size())), rnd, ops)) {
        continue;
      }
      boolean done = kind < 60 && !bodies.isEmpty()
          && statementMutation(ts, bodies.get(rnd.nextInt(bodies.size())), rnd, ops);
      if (!done) {
        tokenMutation(ts, bodies, rnd, ops);
      }
    }
    return new Mutant(new Tokens(ts, original.trailing()).text(), ops);
  }

  // -----------------------------------------------------------------------------------------------
  // Token mutations.

  private void tokenMutation(List<Token> ts, List<int[]> bodies, Random rnd, List<String> ops) {
    int i;
    if (rnd.nextInt(5) != 0 && !bodies.isEmpty()) {
      int[] b = bodies.get(rnd.nextInt(bodies.size()));
      i = b[0] + rnd.nextInt(Math.max(1, b[1] - b[0]));
    } else {
      i = rnd.nextInt(ts.size());
    }
    i = Math.min(i, ts.size() - 1);
    Token t = ts.get(i);
    int op = rnd.nextInt(100);
    if (op < 20) {
      ops.add("delete '" + t.text() + "' (#" + i + ")");
      Token removed = ts.remove(i);
      if (i < ts.size()) {
        ts.set(i, ts.get(i).withLeading(removed.leading() + ts.get(i).leading()));
      }
    } else if (op < 30) {
      ops.add("duplicate '" + t.text() + "' (#" + i + ")");
      ts.add(i + 1, t.withLeading(" "));
    } else if (op < 45) {
      int j = Math.min(i + 1, ts.size() - 1);
      ops.add("swap '" + t.text() + "' and '" + ts.get(j).text() + "' (#" + i + ")");
      Token a = ts.get(i);
      Token b = ts.get(j);
      ts.set(i, a.replacedBy(b));
      ts.set(j, b.replacedBy(a));
    } else if (op < 65) {
      Token other = original.tokens().get(rnd.nextInt(original.tokens().size()));
      ops.add("replace '" + t.text() + "' by '" + other.text() + "' (#" + i + ")");
      ts.set(i, t.replacedBy(other));
    } else if (op < 85) {
      // A token inserted by an earlier mutation may be of a kind the source has none of.
      List<Token> same = byKind.getOrDefault(t.kind(), original.tokens());
      Token other = same.get(rnd.nextInt(same.size()));
      ops.add("replace '" + t.text() + "' by same-kind '" + other.text() + "' (#" + i + ")");
      ts.set(i, t.replacedBy(other));
    } else {
      String other = INTERESTING.get(rnd.nextInt(INTERESTING.size()));
      Token o = new Token(Kind.OPERATOR, other, t.leading());
      if (rnd.nextBoolean()) {
        ops.add("insert '" + other + "' before '" + t.text() + "' (#" + i + ")");
        ts.add(i, o);
        ts.set(i + 1, t.withLeading(" "));
      } else {
        ops.add("replace '" + t.text() + "' by '" + other + "' (#" + i + ")");
        ts.set(i, o);
      }
    }
  }

  /**
   * Renames an identifier of a body everywhere in the source (declaration and uses alike) to one of
   * {@link #HOSTILE_NAMES}, so the program stays valid as often as the new name is free.
   */
  private boolean rename(List<Token> ts, int[] body, Random rnd, List<String> ops) {
    List<String> names = new ArrayList<>();
    for (int i = body[0]; i < body[1]; i++) {
      if (ts.get(i).kind() == Kind.IDENTIFIER) {
        names.add(ts.get(i).text());
      }
    }
    if (names.isEmpty()) {
      return false;
    }
    String from = names.get(rnd.nextInt(names.size()));
    String to = HOSTILE_NAMES.get(rnd.nextInt(HOSTILE_NAMES.size()));
    ops.add("rename '" + from + "' to '" + to + "' everywhere");
    for (int i = 0; i < ts.size(); i++) {
      Token t = ts.get(i);
      if (t.kind() == Kind.IDENTIFIER && t.text().equals(from)) {
        ts.set(i, new Token(Kind.IDENTIFIER, to, t.leading()));
      }
    }
    return true;
  }

  // -----------------------------------------------------------------------------------------------
  // Statement mutations.

  private boolean statementMutation(List<Token> ts, int[] body, Random rnd, List<String> ops) {
    List<int[]> stmts = statements(ts, body[0], body[1]);
    int op = rnd.nextInt(100);
    if (op < 25 || stmts.isEmpty()) {
      List<Integer> starts = new ArrayList<>();
      for (int[] s : stmts) {
        starts.add(s[0]);
      }
      starts.add(body[1]); // the end of the body
      int at = starts.get(rnd.nextInt(starts.size()));
      String s = STATEMENTS.get(rnd.nextInt(STATEMENTS.size()));
      ops.add("insert statement '" + s + "' before line " + line(ts, at));
      List<Token> inserted = snippet(s, ts.get(at).leading());
      ts.set(at, ts.get(at).withLeading("\n"));
      ts.addAll(at, inserted);
      return true;
    }
    int[] s = stmts.get(rnd.nextInt(stmts.size()));
    String text = text(ts, s);
    if (op < 40) {
      ops.add("delete statement '" + text + "' at line " + line(ts, s[0]));
      String leading = ts.get(s[0]).leading();
      ts.subList(s[0], s[1]).clear();
      ts.set(s[0], ts.get(s[0]).withLeading(leading));
    } else if (op < 52) {
      ops.add("duplicate statement '" + text + "' at line " + line(ts, s[0]));
      List<Token> copy = new ArrayList<>(ts.subList(s[0], s[1]));
      copy.set(0, copy.get(0).withLeading(" "));
      ts.addAll(s[1], copy);
    } else if (op < 65) {
      int[] next = null;
      for (int[] c : stmts) {
        if (c[0] == s[1]) {
          next = c;
        }
      }
      if (next == null) {
        return false;
      }
      ops.add("swap statement '" + text + "' with the next at line " + line(ts, s[0]));
      List<Token> first = new ArrayList<>(ts.subList(s[0], s[1]));
      List<Token> second = new ArrayList<>(ts.subList(next[0], next[1]));
      String l1 = first.get(0).leading();
      String l2 = second.get(0).leading();
      second.set(0, second.get(0).withLeading(l1));
      first.set(0, first.get(0).withLeading(l2));
      List<Token> both = new ArrayList<>(second);
      both.addAll(first);
      ts.subList(s[0], next[1]).clear();
      ts.addAll(s[0], both);
    } else {
      int end = s[1];
      if (rnd.nextBoolean()) {
        for (int[] c : stmts) {
          if (c[0] == s[1]) {
            end = c[1];
          }
        }
      }
      String[] w = WRAPPERS.get(rnd.nextInt(WRAPPERS.size()));
      ops.add("wrap '" + text(ts, new int[] {s[0], end}) + "' at line " + line(ts, s[0]) + " in "
          + w[0] + " ... " + w[1]);
      ts.addAll(end, snippet(w[1], " "));
      List<Token> prefix = snippet(w[0], ts.get(s[0]).leading());
      ts.set(s[0], ts.get(s[0]).withLeading(" "));
      ts.addAll(s[0], prefix);
    }
    return true;
  }

  private static List<Token> snippet(String text, String leading) {
    List<Token> out = new ArrayList<>(JavaTokens.tokenize(text).tokens());
    out.set(0, out.get(0).withLeading(leading));
    return out;
  }

  private static String text(List<Token> ts, int[] range) {
    String s = new Tokens(ts.subList(range[0], range[1]), "").text().strip().replaceAll("\\s+", " ");
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static int line(List<Token> ts, int index) {
    int line = 1;
    for (int i = 0; i < index && i < ts.size(); i++) {
      line += count(ts.get(i).leading()) + count(ts.get(i).text());
    }
    return line + (index < ts.size() ? count(ts.get(index).leading()) : 0);
  }

  private static int count(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /**
   * The bodies of the @Async methods whose annotation lies in the focus, as token ranges [first
   * token inside the braces, closing brace).
   */
  List<int[]> bodies(List<Token> ts) {
    List<int[]> out = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i + 1 < ts.size(); i++) {
      offset += ts.get(i).leading().length();
      boolean async = ts.get(i).text().equals("@") && ts.get(i + 1).text().equals("Async");
      // The annotation of the method whose body is the focus comes just before it.
      boolean inFocus = offset >= focusStart - 200 && offset < focusEnd;
      offset += ts.get(i).text().length();
      if (!async || !inFocus) {
        continue;
      }
      int parens = 0;
      for (int j = i + 2; j < ts.size(); j++) {
        String t = ts.get(j).text();
        if (t.equals("(")) {
          parens++;
        } else if (t.equals(")")) {
          parens--;
        } else if (parens == 0 && t.equals(";")) {
          break; // no body
        } else if (parens == 0 && t.equals("{")) {
          int close = matching(ts, j);
          if (close > j + 1) {
            out.add(new int[] {j + 1, close});
          }
          break;
        }
      }
    }
    return out;
  }

  /** The index of the brace closing the one at {@code open}, or -1. */
  private static int matching(List<Token> ts, int open) {
    int depth = 0;
    for (int j = open; j < ts.size(); j++) {
      String t = ts.get(j).text();
      if (t.equals("{")) {
        depth++;
      } else if (t.equals("}") && --depth == 0) {
        return j;
      }
    }
    return -1;
  }

  /** Statements inside [from, to), nested ones too, as token ranges [start, end). */
  static List<int[]> statements(List<Token> ts, int from, int to) {
    List<int[]> out = new ArrayList<>();
    int parens = 0;
    for (int b = from; b < to; b++) {
      String t = ts.get(b).text();
      boolean boundary = b == from || STATEMENT_ENDS.contains(ts.get(b - 1).text())
          || (ts.get(b - 1).text().equals(":") || ts.get(b - 1).text().equals("->")) && afterLabel(ts, b - 1);
      if (boundary && parens == 0 && !CONTINUATIONS.contains(t)
          && !(t.equals("while") && ts.get(b - 1).text().equals("}"))) {
        int end = statementEnd(ts, b, to);
        if (end > b) {
          out.add(new int[] {b, end});
        }
      }
      if (t.equals("(")) {
        parens++;
      } else if (t.equals(")")) {
        parens = Math.max(0, parens - 1);
      }
    }
    return out;
  }

  /** Whether the {@code :} or {@code ->} at {@code colon} ends a case label or a statement label. */
  private static boolean afterLabel(List<Token> ts, int colon) {
    if (colon >= 2 && ts.get(colon - 1).kind() == Kind.IDENTIFIER
        && STATEMENT_ENDS.contains(ts.get(colon - 2).text()) && ts.get(colon).text().equals(":")) {
      return true; // label:
    }
    for (int j = colon - 1; j >= 0 && j >= colon - 8; j--) {
      String t = ts.get(j).text();
      if (t.equals("case") || t.equals("default")) {
        return true;
      }
      if (STATEMENT_ENDS.contains(t) || t.equals("?")) {
        return false;
      }
    }
    return false;
  }

  /** The index after the statement starting at {@code start}, or -1 when it does not end in range. */
  private static int statementEnd(List<Token> ts, int start, int to) {
    int braces = 0;
    int parens = 0;
    boolean isDo = ts.get(start).text().equals("do");
    for (int j = start; j < to; j++) {
      String t = ts.get(j).text();
      switch (t) {
        case "(" -> parens++;
        case ")" -> parens--;
        case "{" -> braces++;
        case "}" -> {
          if (--braces < 0) {
            return -1;
          }
          if (braces == 0 && parens == 0 && !isDo) {
            String next = j + 1 < to ? ts.get(j + 1).text() : "";
            if (!Set.of(";", ")", ",", ".", "else", "catch", "finally").contains(next)) {
              return j + 1;
            }
          }
        }
        case ";" -> {
          if (braces == 0 && parens == 0) {
            return j + 1;
          }
        }
        default -> {
          if (parens < 0) {
            return -1;
          }
        }
      }
    }
    return -1;
  }
}
