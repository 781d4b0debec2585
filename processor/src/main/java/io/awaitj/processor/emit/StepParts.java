package io.awaitj.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import io.awaitj.processor.lower.LoweredBody;
import io.awaitj.processor.model.CodeSize;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A machine's {@code step()}: one method holding every state ({@link MachineContract#step}), or, when
 * the states' code is too large for one method (the JVM limits a method's code to 64 KB), parts that
 * each hold a range of consecutive states ({@link MachineContract#splitStep}), sized by {@link
 * CodeSize}. Machines within {@link CodeSize#part}, which are nearly all, keep the one-method shape
 * and its speed; a split one pays a call and a range test each time it enters {@code step()} or runs
 * on in a state of another part, nothing more.
 */
public final class StepParts {
  private StepParts() {}

  /**
   * The step of {@code states} as one method, whatever its size (see {@link #methods} for the
   * parameters): each state that goes on in the next falls through into it.
   */
  public static MethodSpec single(List<LoweredBody.Case> states, long firstLine, boolean tryWarnings,
      Map<String, TypeName> fields) {
    return single(states, shownLines(states, firstLine), awaits(states), tryWarnings, fields);
  }

  private static MethodSpec single(List<LoweredBody.Case> states, long[] shown, boolean awaits,
      boolean tryWarnings, Map<String, TypeName> fields) {
    List<CodeBlock> cases = new ArrayList<>();
    Handlers handlers = Handlers.of(states);
    boolean fell = false;
    for (int i = 0; i < states.size(); i++) {
      int last = LoopCases.lastOfLoop(states, i, states.size());
      boolean through = last < 0 && fallsThrough(states, i, i + 1 < states.size());
      fell |= through;
      cases.add(stateCase(states, i, last, through, shown, handlers.ownTry(i, last), handlers.block(i, last),
          fields));
    }
    List<MachineContract.Handler> table = handlers.table(0, states.size());
    MethodSpec.Builder step = MachineContract.step(cases, awaits, table);
    annotate(step, MachineContract.stepSuppressions(fell || MachineContract.fallsThrough(table), tryWarnings));
    return step.build();
  }

  /** Whether a state of {@code states} suspends at an await. */
  private static boolean awaits(List<LoweredBody.Case> states) {
    for (LoweredBody.Case s : states) {
      if (s.tail() != null && s.tail().awaits()) {
        return true;
      }
    }
    return false;
  }

  /** The line each state shows (see {@link MachineContract#shownLines}). */
  private static long[] shownLines(List<LoweredBody.Case> states, long firstLine) {
    List<Long> lines = new ArrayList<>();
    for (LoweredBody.Case s : states) {
      lines.add(s.line());
    }
    return MachineContract.shownLines(firstLine, lines);
  }

  /**
   * The methods of the step of {@code states} (numbered 0 to n-1, in order): {@code step()} first,
   * then its parts, if any, each holding at most {@code sizes.part()} estimated characters (a state
   * larger than that alone). A state that goes on in the state written right after it, in the same
   * method, falls through into it; {@code firstLine} is the line of the body (see {@link
   * MachineContract#shownLines}); {@code tryWarnings}: the step methods suppress javac's [try]
   * warnings (see {@link LoweredBody#hasTryWithResources()}); {@code fields}: the machine's fields
   * that a loop turning in its head's case may hold in locals, name to type ({@link LoopLocals}).
   */
  public static List<MethodSpec> methods(List<LoweredBody.Case> states, CodeSize sizes, long firstLine,
      boolean tryWarnings, Map<String, TypeName> fields) {
    int partSize = sizes.part();
    boolean awaits = awaits(states);
    long[] shown = shownLines(states, firstLine);
    // Sizes as if no state fell through (an upper bound), to place the parts' boundaries.
    long total = 0;
    List<Integer> sizeOf = new ArrayList<>();
    // (Each protected state as if in a try of its own, each a block: more than it takes; a loop's
    // head as written in one method: its case holds copies of the loop's states.)
    for (int i = 0; i < states.size(); i++) {
      int size = CodeSize.estimate(stateCase(states, i, LoopCases.lastOfLoop(states, i, states.size()),
          false, shown, true, true, fields));
      sizeOf.add(size);
      total += size;
    }
    if (total <= partSize || states.size() < 2) {
      return List.of(single(states, shown, awaits, tryWarnings, fields));
    }
    int[] partOf = new int[states.size()];
    List<Integer> firsts = new ArrayList<>();
    long filled = 0;
    for (int i = 0; i < states.size(); i++) {
      if (firsts.isEmpty() || filled > 0 && filled + sizeOf.get(i) > partSize) {
        firsts.add(states.get(i).number());
        filled = 0;
      }
      partOf[i] = firsts.size() - 1;
      filled += sizeOf.get(i);
    }
    List<List<CodeBlock>> parts = new ArrayList<>();
    List<List<MachineContract.Handler>> tables = new ArrayList<>();
    Handlers handlers = Handlers.of(states);
    boolean[] fell = new boolean[firsts.size()];
    int partStart = 0;
    for (int i = 0; i < states.size(); i++) {
      if (parts.size() <= partOf[i]) {
        parts.add(new ArrayList<>());
        partStart = i;
      }
      boolean samePart = i + 1 < states.size() && partOf[i + 1] == partOf[i];
      int end = partOf[i] + 1 < firsts.size() ? indexOf(states, firsts.get(partOf[i] + 1)) : states.size();
      int last = LoopCases.lastOfLoop(states, i, end);
      boolean through = last < 0 && fallsThrough(states, i, samePart);
      fell[partOf[i]] |= through;
      parts.get(partOf[i]).add(stateCase(states, i, last, through, shown, handlers.ownTry(i, last),
          handlers.block(i, last), fields));
      if (!samePart) {
        tables.add(handlers.table(partStart, i + 1));
        fell[partOf[i]] |= MachineContract.fallsThrough(tables.get(tables.size() - 1));
      }
    }
    List<MethodSpec> out = new ArrayList<>();
    List<MethodSpec.Builder> methods = MachineContract.splitStep(parts, firsts, states.size(), awaits, tables);
    for (int m = 0; m < methods.size(); m++) {
      MethodSpec.Builder b = methods.get(m);
      annotate(b, MachineContract.stepSuppressions(m > 0 && fell[m - 1], tryWarnings));
      out.add(b.build());
    }
    return out;
  }

  /** The index in {@code states} of the state numbered {@code number} (they are numbered in order). */
  private static int indexOf(List<LoweredBody.Case> states, int number) {
    int i = 0;
    while (states.get(i).number() != number) {
      i++;
    }
    return i;
  }

  private static void annotate(MethodSpec.Builder m, com.palantir.javapoet.AnnotationSpec a) {
    if (a != null) {
      m.addAnnotation(a);
    }
  }

  /**
   * Whether state {@code i} falls through into the next case: it goes on in state {@code i + 1}, which
   * is written next in the same method ({@code nextInSameMethod}).
   */
  private static boolean fallsThrough(List<LoweredBody.Case> states, int i, boolean nextInSameMethod) {
    LoweredBody.Case s = states.get(i);
    return nextInSameMethod && s.tail() != null && s.tail().next() == states.get(i + 1).number();
  }

  /**
   * The case of state {@code states.get(i)}, its tail falling through into the next case or not;
   * the head of a loop that runs to state {@code lastOfLoop} holds the loop ({@link LoopCases}), else
   * {@code lastOfLoop} is -1; {@code shown}: the line each state shows; {@code ownTry}: a protected
   * state is written in a try of its own, else the step's handler table covers it; {@code block}: the
   * case is a block (see {@link Handlers}); {@code fields}: as {@link #methods}'.
   */
  private static CodeBlock stateCase(List<LoweredBody.Case> states, int i, int lastOfLoop,
      boolean through, long[] shown, boolean ownTry, boolean block, Map<String, TypeName> fields) {
    LoweredBody.Case s = states.get(i);
    CodeBlock code = s.code();
    if (lastOfLoop >= 0) {
      LoopCases.Loop loop = LoopCases.loop(states, i, lastOfLoop, shown, fields); // see LoopCases
      code = loop.code();
      // The loop's locals at the case's top level: in braces, unless the try of its own holds them.
      block |= loop.declares() && !(s.regionField() != null && ownTry);
    } else if (s.tail() != null) {
      // The store is left out when both show the same line, and the same handler finds an exception
      // in either (the handler table reads the state).
      boolean storesState = LoopCases.storesState(s, shown)
          || through && !Handlers.sameHandler(s, states.get(i + 1));
      code = code.toBuilder().add(MachineContract.tail(s.tail(), through, storesState)).build();
    }
    if (s.regionField() != null && ownTry) {
      code = MachineContract.protect(code, s.onThrow().code());
    }
    return MachineContract.stateCase(s.number(), s.comment(), code, s.closed(), block);
  }
}
