package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.Tree;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.lang.model.element.Name;

/**
 * Where jumps go: the statements {@code break} and {@code continue} may leave, the lowered switch
 * expressions {@code yield} completes, and the lowered {@code finally} blocks every jump, return and
 * exception must pass through on the way out.
 */
final class JumpStack {
  private final MachineBuilder machine;
  private final Source source;
  private final Deque<Target> targets = new ArrayDeque<>();
  private final Deque<Finally> finallys = new ArrayDeque<>();
  private final Deque<YieldTarget> yields = new ArrayDeque<>();

  JumpStack(MachineBuilder machine, Source source) {
    this.machine = machine;
    this.source = source;
  }

  /** A statement that {@code break} or {@code continue} may leave. */
  record Target(Name label, boolean loop, boolean labelOnly, State breakState, State continueState,
      int finallyDepth) {}

  /** A lowered switch expression: where {@code yield} stores its value, and where it goes then. */
  record YieldTarget(String field, State exit, int finallyDepth) {}

  /**
   * A lowered {@code finally}: where it starts, and the fields recording why it was entered ({@code
   * kind}: one of the constants below; {@code value}: the exception or the return value; {@code
   * target}: the state a jump goes on to, a field made only when a jump enters the block), and which
   * kinds entered it so far ({@link #entered}): its end resumes only those.
   *
   * <p>A finally that no return or jump enters ({@linkplain #throwOnly() throw only}, known from the
   * source before its try is lowered) has no {@code kind}: {@code value} is a {@code Throwable} field,
   * null when the block was entered normally, the exception when one entered it.
   */
  static final class Finally {
    static final String NORMAL = MachineContract.FINALLY_NORMAL;
    static final String THROW = MachineContract.FINALLY_THROW;
    static final String RETURN = MachineContract.FINALLY_RETURN;
    static final String JUMP = MachineContract.FINALLY_JUMP;

    private final String kind;
    private final String value;
    private final java.util.function.Supplier<String> newTarget;
    private String target;
    private final State entry;
    private final Region outerRegion;
    private final java.util.Set<String> entered = new java.util.HashSet<>();

    /**
     * {@code newTarget} makes the target's field, when a jump first enters the block; {@code kind} is
     * null for a finally only exceptions enter besides normal completion.
     */
    Finally(String kind, String value, java.util.function.Supplier<String> newTarget, State entry,
        Region outerRegion) {
      this.kind = kind;
      this.value = value;
      this.newTarget = newTarget;
      this.entry = entry;
      this.outerRegion = outerRegion;
    }

    /** The int field recording why the block was entered; null for a {@linkplain #throwOnly throw-only} one. */
    String kind() {
      return kind;
    }

    /**
     * Whether only normal completion and exceptions enter the block: its {@link #value} field, a
     * {@code Throwable}, holds the exception or null, and no field records the kind.
     */
    boolean throwOnly() {
      return kind == null;
    }

    /** The field holding the exception or the return value the block was entered with. */
    String value() {
      return value;
    }

    /** The int field holding the state a jump that entered the block goes on to (made when first asked for). */
    String target() {
      if (target == null) {
        target = newTarget.get();
      }
      return target;
    }

    /** The block's first state. */
    State entry() {
      return entry;
    }

    /** The region around the whole try statement. */
    Region outerRegion() {
      return outerRegion;
    }

    /** Whether code entering the block with {@code kind} (one of the constants above) was made. */
    boolean entered(String kind) {
      return entered.contains(kind);
    }
  }

  /** How many lowered finally blocks enclose the code being lowered. */
  int finallyDepth() {
    return finallys.size();
  }

  /** A loop, labelled statement or switch that {@code break} (and, for a loop, {@code continue}) may leave. */
  void pushTarget(Name label, boolean loop, boolean labelOnly, State breakState, State continueState) {
    targets.push(new Target(label, loop, labelOnly, breakState, continueState, finallys.size()));
  }

  void popTarget() {
    targets.pop();
  }

  void pushFinally(Finally f) {
    finallys.push(f);
  }

  void popFinally() {
    finallys.pop();
  }

  /** The innermost lowered finally, or null. */
  Finally innermostFinally() {
    return finallys.peek();
  }

  /** A lowered switch expression whose {@code yield}s store into {@code field} and go to {@code exit}. */
  void pushYield(String field, State exit) {
    yields.push(new YieldTarget(field, exit, finallys.size()));
  }

  void popYield() {
    yields.pop();
  }

  /** The code of {@code yield value}: store it, and leave the switch expression. */
  CodeBlock yieldCode(CodeBlock value) {
    YieldTarget y = yields.peek();
    if (y == null) {
      throw source.erroneous(); // javac reports the yield without a switch expression
    }
    return CodeBlock.builder()
        .addStatement("$L = $L", y.field(), value)
        .add(jumpThroughFinally(y.exit(), y.finallyDepth()))
        .build();
  }

  /** The code that jumps to {@code target}, passing through the lowered finally blocks in between. */
  CodeBlock jumpThroughFinally(State target, int targetFinallyDepth) {
    List<Finally> crossing = new ArrayList<>();
    int n = finallys.size() - targetFinallyDepth;
    for (Finally f : finallys) {
      if (crossing.size() == n) {
        break;
      }
      crossing.add(f);
    }
    if (crossing.isEmpty()) {
      return MachineContract.jump(target);
    }
    State next = target;
    for (int i = crossing.size() - 1; i >= 1; i--) {
      State hop = machine.newStateIn(crossing.get(i - 1).outerRegion(), "on the way out of a finally block");
      hop.code.add(enterFinally(crossing.get(i), Finally.JUMP, null, next));
      hop.closed = true;
      next = hop;
    }
    return enterFinally(crossing.get(0), Finally.JUMP, null, next);
  }

  /** Records why {@code f} is entered and jumps to it. */
  static CodeBlock enterFinally(Finally f, String kind, CodeBlock value, State target) {
    return enterFinallyWithoutJump(f, kind, value, target).add(MachineContract.jump(f.entry())).build();
  }

  /**
   * The code of {@link #enterFinally} before its jump to the block, for a state that ends with it
   * as a jump of its own ({@link MachineBuilder#jump}, which may fall through into the block).
   */
  static CodeBlock.Builder enterFinallyWithoutJump(Finally f, String kind, CodeBlock value, State target) {
    f.entered.add(kind);
    if (f.throwOnly()) {
      // Normal completion leaves the field null (see TryLowering.guarded).
      if (kind.equals(Finally.THROW)) {
        return CodeBlock.builder().addStatement("$L = $L", f.value(), value);
      }
      if (kind.equals(Finally.NORMAL)) {
        return CodeBlock.builder();
      }
      throw new IllegalStateException("a " + kind + " enters a finally block that the source said only"
          + " exceptions enter");
    }
    CodeBlock.Builder b = CodeBlock.builder().addStatement("$L = $L", f.kind(), kind);
    if (value != null) {
      b.addStatement("$L = $L", f.value(), value);
    }
    if (target != null) {
      b.addStatement("$L = $L", f.target(), target);
    }
    return b;
  }

  /** The code of {@code return done(value)} ({@code value} null for {@code done()}). */
  CodeBlock returnWith(CodeBlock value) {
    Finally f = finallys.peek();
    if (f == null) {
      return MachineContract.complete(value);
    }
    return enterFinally(f, Finally.RETURN, value == null ? CodeBlock.of("null") : value, null);
  }

  private Target findTarget(Name label, boolean isContinue) {
    for (Target t : targets) {
      if (label != null) {
        if (label.equals(t.label())) {
          if (isContinue && !t.loop()) {
            break;
          }
          return t;
        }
      } else if (!t.labelOnly() && (t.loop() || !isContinue)) {
        return t;
      }
    }
    throw source.erroneous(); // javac reports the jump without a target
  }

  /** The code of a {@code break} statement of the lowered code. */
  CodeBlock breakCode(Tree at, Name label) {
    Target t = findTarget(label, false);
    return jumpThroughFinally(t.breakState(), t.finallyDepth());
  }

  /** The code of a {@code continue} statement of the lowered code. */
  CodeBlock continueCode(Tree at, Name label) {
    Target t = findTarget(label, true);
    return jumpThroughFinally(t.continueState(), t.finallyDepth());
  }
}
