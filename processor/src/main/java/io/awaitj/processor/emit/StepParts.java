package io.awaitj.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import io.awaitj.processor.lower.LoweredBody;
import io.awaitj.processor.model.CodeSize;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.List;

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

  /** The step of {@code states} as one method, whatever its size (see {@link #methods}). */
  public static MethodSpec single(List<LoweredBody.Case> states) {
    return MachineContract.step(cases(states)).build();
  }

  /** The {@code case} of each state, in order. */
  private static List<CodeBlock> cases(List<LoweredBody.Case> states) {
    List<CodeBlock> cases = new ArrayList<>();
    for (LoweredBody.Case s : states) {
      CodeBlock code = s.regionField() == null ? s.code()
          : MachineContract.protect(s.code(), s.regionField(), s.handler());
      cases.add(MachineContract.stateCase(s.number(), s.comment(), code, s.closed()));
    }
    return cases;
  }

  /**
   * The methods of the step of {@code states} (numbered 0 to n-1, in order): {@code step()} first,
   * then its parts, if any, each holding at most {@code sizes.part()} estimated characters (a state
   * larger than that alone).
   */
  public static List<MethodSpec> methods(List<LoweredBody.Case> states, CodeSize sizes) {
    int partSize = sizes.part();
    List<CodeBlock> cases = cases(states);
    long total = 0;
    List<Integer> sizeOf = new ArrayList<>();
    for (CodeBlock c : cases) {
      int size = CodeSize.estimate(c);
      sizeOf.add(size);
      total += size;
    }
    if (total <= partSize || states.size() < 2) {
      return List.of(MachineContract.step(cases).build());
    }
    List<List<CodeBlock>> parts = new ArrayList<>();
    List<Integer> firsts = new ArrayList<>();
    long filled = 0;
    for (int i = 0; i < cases.size(); i++) {
      if (parts.isEmpty() || filled > 0 && filled + sizeOf.get(i) > partSize) {
        parts.add(new ArrayList<>());
        firsts.add(states.get(i).number());
        filled = 0;
      }
      parts.get(parts.size() - 1).add(cases.get(i));
      filled += sizeOf.get(i);
    }
    List<MethodSpec> out = new ArrayList<>();
    for (MethodSpec.Builder m : MachineContract.splitStep(parts, firsts, states.size())) {
      out.add(m.build());
    }
    return out;
  }
}
