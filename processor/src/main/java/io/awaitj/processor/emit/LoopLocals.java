package io.awaitj.processor.emit;

import com.palantir.javapoet.TypeName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine's fields that a loop written in its head's case ({@link LoopCases}) holds in Java locals
 * of the same names while it turns there: the JIT then keeps them in registers across a turn (a
 * field is stored on every write, and read again after every call it cannot see through), as Kotlin
 * keeps its locals, spilling them only when the coroutine suspends. The locals shadow the fields, so
 * the loop's code is the same text; they are written back to the fields by a {@code finally} around
 * the loop, on every way out of it (a jump out, a suspension, a return, an exception, which a
 * handler of the machine may read them after).
 *
 * <p>The loop's code is read as text (comments and literals skipped). A field is held in a local when
 * the code reads it bare (one it only assigns, as a reference let go of at a suspension, stays a
 * field); not when the code also reads it as {@code this.name} (the field, not the
 * local), or has a declaration that may be of that name (a local of the same name would clash): any
 * name right after a type-like word, a {@code >}, a {@code ]}, or a comma of a statement's or a {@code
 * for} header's declarators. A loop whose code holds a lambda, an anonymous or local class, or a
 * switch rule (an arrow) holds no field in a local: such code may read a field later, after the loop
 * wrote it (the lowering gives lambdas and classes copies of the locals they capture, so this is
 * caution, not a known case). Doubt costs only speed.
 */
final class LoopLocals {
  private LoopLocals() {}

  /** A field the loop holds in a local: its name, its type, and whether the loop's code writes it. */
  record Local(String name, TypeName type, boolean written) {}

  /** Words before a name that do not make it a declared one. */
  private static final Set<String> BEFORE_A_USE = Set.of("return", "throw", "case", "yield", "assert", "else",
      "do", "new", "instanceof", "break", "continue", "default");

  /** Words that declare a type: code with one holds no local. */
  private static final Set<String> TYPE_DECLARATIONS = Set.of("class", "interface", "enum", "record");

  /** Assignment operators: a name right before one is written. */
  private static final Set<String> ASSIGNMENTS = Set.of("=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
      "<<=", ">>=", ">>>=");

  /**
   * The fields of {@code fields} (name to type, in the machine's order) that the loop whose code is
   * {@code code} holds in locals, in that order; empty if it holds none.
   */
  static List<Local> of(String code, Map<String, TypeName> fields) {
    List<String> tokens = JavaTokens.of(code);
    Set<String> used = new LinkedHashSet<>();
    Set<String> written = new HashSet<>();
    Set<String> excluded = new HashSet<>();
    // The open brackets, each '(' marked when it is a for header's ("F").
    Deque<String> open = new ArrayDeque<>();
    for (int k = 0; k < tokens.size(); k++) {
      String t = tokens.get(k);
      String prev = k > 0 ? tokens.get(k - 1) : "";
      String next = k + 1 < tokens.size() ? tokens.get(k + 1) : "";
      switch (t) {
        case "->":
          return List.of(); // a lambda or a switch rule
        case "(":
          open.push(prev.equals("for") ? "F" : "(");
          continue;
        case "[", "{":
          open.push(t);
          continue;
        case ")", "]", "}":
          open.poll();
          continue;
        default:
          break;
      }
      if (!isIdentifier(t)) {
        continue;
      }
      if (TYPE_DECLARATIONS.contains(t) && !prev.equals(".") || t.equals("new") && anonymous(tokens, k)) {
        return List.of();
      }
      if (!fields.containsKey(t)) {
        continue;
      }
      if (prev.equals(".") || prev.equals("::")) {
        if (prev.equals(".") && k >= 2 && tokens.get(k - 2).equals("this")) {
          excluded.add(t); // this.name reads the field
        }
        continue; // a member of something else
      }
      if (next.equals("(") || next.equals(":") && (prev.equals(";") || prev.equals("{") || prev.equals("}")
          || prev.isEmpty()) || prev.equals("break") || prev.equals("continue")) {
        continue; // a method's name, a label
      }
      if (mayDeclare(prev, open)) {
        excluded.add(t);
        continue;
      }
      String write = write(tokens, k);
      if (write == null || !write.equals("=")) {
        used.add(t); // read (a compound assignment and an increment read it too)
      }
      if (write != null) {
        written.add(t);
      }
    }
    List<Local> out = new ArrayList<>();
    for (Map.Entry<String, TypeName> f : fields.entrySet()) {
      // (A field the loop only assigns, as a reference it lets go of when it suspends, stays a field.)
      if (used.contains(f.getKey()) && !excluded.contains(f.getKey())) {
        out.add(new Local(f.getKey(), f.getValue(), written.contains(f.getKey())));
      }
    }
    return out;
  }

  /** Whether a name after token {@code prev}, inside brackets {@code open}, may be declared there. */
  private static boolean mayDeclare(String prev, Deque<String> open) {
    if (isIdentifier(prev)) {
      return !BEFORE_A_USE.contains(prev); // a type before it (or a word not understood)
    }
    if (prev.equals(">") || prev.equals("]") || prev.equals("...")) {
      return true; // after type arguments or an array type (or a comparison or a shift: in doubt)
    }
    if (prev.equals(",")) {
      // A declarator after the first, in a statement or a for header; else an argument or an element.
      String innermost = open.peek();
      return innermost == null || innermost.equals("{") || innermost.equals("F");
    }
    return false;
  }

  /**
   * How the name at {@code k} is written: the assignment operator after it, {@code ++} or {@code --}
   * before or after it; null if it is not.
   */
  private static String write(List<String> tokens, int k) {
    int after = k + 1;
    while (after < tokens.size() && tokens.get(after).equals(")")) {
      after++; // (name) = ...
    }
    if (after < tokens.size()) {
      String a = tokens.get(after);
      if (ASSIGNMENTS.contains(a) || a.equals("++") || a.equals("--")) {
        return a;
      }
    }
    int before = k - 1;
    while (before >= 0 && tokens.get(before).equals("(")) {
      before--;
    }
    if (before >= 0 && (tokens.get(before).equals("++") || tokens.get(before).equals("--"))) {
      return tokens.get(before);
    }
    return null;
  }

  /** Whether the {@code new} at {@code k} makes an instance of an anonymous class: {@code new T(...) {}. */
  private static boolean anonymous(List<String> tokens, int k) {
    int j = k + 1;
    int angles = 0;
    while (j < tokens.size()) {
      String t = tokens.get(j);
      if (t.equals("<")) {
        angles++;
      } else if (t.equals(">")) {
        angles--;
      } else if (angles == 0 && (t.equals("(") || t.equals("[") || t.equals("{"))) {
        break;
      }
      j++;
    }
    if (j >= tokens.size() || !tokens.get(j).equals("(")) {
      return false; // an array
    }
    int depth = 0;
    for (; j < tokens.size(); j++) {
      String t = tokens.get(j);
      if (t.equals("(")) {
        depth++;
      } else if (t.equals(")") && --depth == 0) {
        return j + 1 < tokens.size() && tokens.get(j + 1).equals("{");
      }
    }
    return false;
  }

  private static boolean isIdentifier(String t) {
    return !t.isEmpty() && Character.isJavaIdentifierStart(t.charAt(0));
  }
}
