package io.awaitj.processor.emit;

import com.palantir.javapoet.CodeBlock;
import io.awaitj.processor.lower.LoweredBody;
import io.awaitj.processor.model.MachineContract;
import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loops whose awaits complete at once: a source loop with an await becomes a run of states that each
 * go on in the next (falling through into it) and a last one that jumps back to the first, the loop's
 * head (its condition; see {@code LoopLowering}). Written only so, every turn of the loop would go
 * round the dispatch loop at the back edge ({@code state = head; continue dispatch$;} and the
 * {@code switch}), which costs an await that completes at once about as much as the rest of it (and
 * keeps the JIT from seeing a loop of its own). So the head's case holds the loop as a Java {@code
 * while (true)}: the head's code and, after it, a copy of each following state's code, each in a
 * block of its own where it declares a local (their locals do not meet), in which an await that completes at once runs on to
 * the next block and the back edge is the end of the {@code while}'s body. The states after the head
 * keep their cases, where the machine resumes after an await that suspended; from there the back edge
 * goes round the dispatch loop to the head's case, and the loop runs inline again. While it runs
 * there, the fields its code uses are Java locals of the same names, written back by a {@code
 * finally} as it leaves ({@link LoopLocals}).
 *
 * <p>The copies are bounded: only a run whose states after the head add up to at most {@link
 * #MAX_COPIED} estimated characters of code (see {@link io.awaitj.processor.model.CodeSize}) is
 * written so, all of its states in the same {@code try} region (one handler around the {@code while})
 * and in the same method of the step. A loop whose body holds another loop with an await is not such
 * a run (the inner loop's back edge leaves it): only innermost loops are written so.
 */
final class LoopCases {
  private LoopCases() {}

  /**
   * The most estimated characters of code copied into a loop's head case: the states after the head,
   * which are written twice. About a dozen short statements; a larger loop body makes the back edge's
   * turn through the dispatch loop a small part of a turn of the loop.
   */
  static final int MAX_COPIED = 800;

  /**
   * Whether state {@code head} of {@code states} heads a loop to write in its case, and how far it
   * runs: the index of the loop's last state (which jumps back to {@code head}), or -1.
   *
   * @param limit the index after the last state written in the same method as {@code head}
   */
  static int lastOfLoop(List<LoweredBody.Case> states, int head, int limit) {
    LoweredBody.Case h = states.get(head);
    int copied = 0;
    for (int k = head; k < limit; k++) {
      LoweredBody.Case s = states.get(k);
      if (s.tail() == null || !Objects.equals(s.regionField(), h.regionField())
          || s.handler() != h.handler()) {
        return -1;
      }
      if (k > head) {
        copied += io.awaitj.processor.model.CodeSize.estimate(s.code());
        if (copied > MAX_COPIED) {
          return -1;
        }
      }
      if (!s.tail().awaits() && s.tail().next() == h.number()) {
        return k; // the back edge
      }
      if (k + 1 >= limit || s.tail().next() != states.get(k + 1).number()) {
        return -1; // goes on elsewhere: not a run of states falling through
      }
    }
    return -1;
  }

  /**
   * The code of the head's case for the loop of states {@code head} to {@code last} (see {@link
   * #lastOfLoop}), before its {@code try} region's protection, and whether it declares locals at its
   * top level (the case must then be a block); {@code shown}: the line each state shows (a state
   * stores its successor in {@code state} only when the successor shows another line); {@code fields}:
   * the machine's fields that may be held in locals while the loop turns here ({@link LoopLocals}),
   * name to type.
   */
  static Loop loop(List<LoweredBody.Case> states, int head, int last, long[] shown,
      Map<String, TypeName> fields) {
    CodeBlock.Builder w = CodeBlock.builder();
    w.beginControlFlow("while (true)");
    for (int k = head; k <= last; k++) {
      LoweredBody.Case s = states.get(k);
      // A block only where the state's code declares a local (the copies' locals must not meet).
      boolean block = TopLevelDeclarations.in(s.code().toString());
      if (block) {
        w.add("{\n").indent();
      }
      if (k > head && s.comment() != null) {
        w.add("// $L\n", s.comment().replace('\n', ' '));
      }
      w.add(s.code());
      w.add(MachineContract.tail(s.tail(), true, storesState(s, shown)));
      if (block) {
        w.unindent().add("}\n");
      }
    }
    CodeBlock loop = w.endControlFlow().build();
    List<LoopLocals.Local> locals = LoopLocals.of(states.subList(head, last + 1), fields);
    CodeBlock.Builder b = CodeBlock.builder();
    b.add("// The loop, run here while its awaits complete at once (after a suspension: the cases below)\n");
    if (locals.isEmpty()) {
      return new Loop(b.add(loop).build(), false);
    }
    // Every local is written back, written in the loop or not: the stores run only as the loop leaves
    // (not in its turns).
    b.add("// with the fields it uses in locals, written back as it leaves\n");
    for (LoopLocals.Local l : locals) {
      b.addStatement("$T $L = this.$L", l.type(), l.name(), l.name());
    }
    b.beginControlFlow("try").add(loop).nextControlFlow("finally");
    for (LoopLocals.Local l : locals) {
      b.addStatement("this.$L = $L", l.name(), l.name());
    }
    return new Loop(b.endControlFlow().build(), true);
  }

  /** A loop's code in its head's case, and whether it declares locals at its top level. */
  record Loop(CodeBlock code, boolean declares) {}

  /**
   * Whether state {@code s}, going on in its tail's state, must store it in {@code state} for the
   * line it shows: when the two show different lines (see {@link MachineContract#tail}). In a loop's
   * copies that is the whole rule (they share one handler); {@code StepParts} adds the handler's.
   */
  static boolean storesState(LoweredBody.Case s, long[] shown) {
    int n = s.number();
    int next = s.tail().next();
    return !(n >= 0 && n < shown.length && next >= 0 && next < shown.length && shown[n] == shown[next]);
  }
}
