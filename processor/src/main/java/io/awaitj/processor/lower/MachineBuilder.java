package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.Tree;
import io.awaitj.processor.model.CodeSize;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The states of a machine as they are filled: the state being filled ({@link #current}), the
 * protected region new states belong to, and the moves between states (jump, close). Code after a
 * jump is unreachable but legal Java: it goes into a fresh state no jump leads to.
 */
final class MachineBuilder {
  private final Source source;
  private final CodeSize sizes;
  private final List<State> states = new ArrayList<>();
  private State current;
  private Region region;
  /** How many states were entered: a state's number is the order in which it was first entered. */
  private int entered;
  /** The machine's methods besides its step (see {@link #addMethod}). */
  private final List<com.palantir.javapoet.MethodSpec> methods = new ArrayList<>();
  private int methodNames;
  /** The innermost loop being lowered (null: none), and how many were. */
  private Loop loop;
  private int loops;

  MachineBuilder(Source source, CodeSize sizes) {
    this.source = source;
    this.sizes = sizes;
  }

  /** How large states and methods may grow. */
  CodeSize sizes() {
    return sizes;
  }

  /**
   * Whether the state being filled has grown past {@link CodeSize#cut}: the statement lowering then
   * goes on in a new state where it can ({@link #cut}).
   */
  boolean isLarge() {
    return !current.closed && current.size > sizes.cut();
  }

  /** Ends the state being filled with a jump to a new one, which becomes the state being filled. */
  void cut() {
    State next = newState(null);
    jump(next);
    enter(next);
  }

  /** The state being filled. */
  State current() {
    return current;
  }

  /** The protected region new states belong to (null outside every lowered try). */
  Region region() {
    return region;
  }

  void setRegion(Region r) {
    region = r;
  }

  State newState(String comment) {
    State s = new State(states.size(), region, comment, loop);
    states.add(s);
    return s;
  }

  /** A new state in region {@code r} (the current region is left as it is). */
  State newStateIn(Region r, String comment) {
    Region saved = region;
    region = r;
    try {
      return newState(comment);
    } finally {
      region = saved;
    }
  }

  /**
   * A lowered loop, open while its lowering runs: the states made then belong to it, and the
   * temporaries taken then are its own (read in its code after they are written); {@link #fields}
   * once it is closed.
   */
  static final class Loop {
    final int number;
    final Loop outer;
    /**
     * The fields its code reads besides its variables': the temporaries taken while it is lowered,
     * and those {@link #read(String)} names.
     */
    final java.util.Set<String> read = new java.util.LinkedHashSet<>();
    LoopFields fields;

    Loop(int number, Loop outer) {
      this.number = number;
      this.outer = outer;
    }

    /** Field {@code name}, taken before the loop, is read by its code too. */
    void read(String name) {
      read.add(name);
    }
  }

  /** Starts a loop's lowering: the states made until {@link #closeLoop} belong to it. */
  Loop openLoop() {
    loop = new Loop(loops++, loop);
    return loop;
  }

  /** Ends the lowering of {@code l}, the innermost open loop, what its code does with fields {@code fields}. */
  void closeLoop(Loop l, LoopFields fields) {
    l.fields = fields;
    loop = l.outer;
  }

  /** A temporary field was taken: the open loops' code reads it (see {@link Frame#temporary}). */
  void temporaryTaken(String name) {
    for (Loop l = loop; l != null; l = l.outer) {
      l.read.add(name);
    }
  }

  /** Makes {@code s} the state being filled. */
  void enter(State s) {
    current = s;
    if (s.number < 0) {
      s.number = entered++;
    }
  }

  /** Makes sure there is an open state to emit into (code after a jump is unreachable but legal). */
  void ensureOpen() {
    if (current.closed) {
      current = newState("unreachable in the source");
    }
  }

  /** Whether the state being filled has ended (by a jump, a suspension, a return or a throw). */
  boolean isClosed() {
    return current.closed;
  }

  void emit(CodeBlock code) {
    ensureOpen();
    current.code.add(code);
    current.size += CodeSize.estimate(code);
  }

  void emitStatement(String format, Object... args) {
    emit(CodeBlock.builder().addStatement(format, args).build());
  }

  /**
   * Ends the current state with a jump to {@code target}. A state that holds nothing else only
   * forwards: it is left out, and jumps to it go to {@code target} (the first state, where the
   * machine starts, is always written).
   */
  void jump(State target) {
    if (!current.closed && current.code.isEmpty() && current != states.get(0) && target != current) {
      current.forward = target;
    }
    ensureOpen();
    current.next = target;
    current.closed = true;
  }

  /**
   * Ends the current state with an await of {@code awaitable} that resumes in state {@code resume};
   * {@code release} runs if it suspends (see {@link MachineContract#suspend}).
   */
  void suspend(State resume, CodeBlock awaitable, CodeBlock release) {
    suspend(resume, awaitable, release, CodeBlock.of(""));
  }

  /**
   * {@link #suspend(State, CodeBlock, CodeBlock)}, with {@code consumed} run as soon as the await has
   * begun, suspending or not (see {@link MachineContract.Tail}).
   */
  void suspend(State resume, CodeBlock awaitable, CodeBlock release, CodeBlock consumed) {
    ensureOpen();
    current.next = resume;
    current.awaitable = awaitable;
    current.release = release;
    current.consumed = consumed;
    current.closed = true;
  }

  /**
   * Ends the current state with an async for's await of the next element of {@code iterator} (a
   * field of the machine) that resumes in state {@code resume}, where {@link
   * MachineContract#resumeNext} takes it; {@code release} runs if it suspends.
   */
  void suspendNext(State resume, String iterator, CodeBlock release) {
    suspend(resume, CodeBlock.of("$N", iterator), release);
    current.element = true;
  }

  /** Ends the current state with {@code code}, which must jump, return or throw. */
  void close(CodeBlock code) {
    ensureOpen();
    current.code.add(code);
    current.closed = true;
  }

  /** Marks the current state as ended by the code already in it (a copied statement that jumps). */
  void closeAsIs() {
    current.closed = true;
  }

  /** Sets the comment of the current state if it has none: the source line of {@code tree}. */
  void describe(Tree tree) {
    ensureOpen();
    if (current.comment == null) {
      current.comment = source.location(tree) + ": " + source.firstLine(tree);
      current.line = source.line(tree);
    }
  }

  /** Sets the comment of the current state: it resumes after {@code what} at {@code tree}. */
  void describeResume(Tree tree, String what) {
    current.comment = source.location(tree) + ": resumes after " + what + source.firstLine(tree);
    current.line = source.line(tree);
  }

  /**
   * A new name for a method of the machine besides its step, {@code stem$n} (n from 1, in the order
   * asked for): '$' keeps it clear of the user's names.
   */
  String newMethodName(String stem) {
    return stem + "$" + (++methodNames);
  }

  /** Adds a method to the machine (named by {@link #newMethodName}). */
  void addMethod(com.palantir.javapoet.MethodSpec m) {
    methods.add(m);
  }

  /** The methods added, in order. */
  List<com.palantir.javapoet.MethodSpec> methods() {
    return List.copyOf(methods);
  }

  /**
   * The states to write, numbered from 0 in the order first entered (states never entered come last,
   * in order); states that only forward to another are left out.
   */
  List<State> finish() {
    for (State st : states) {
      if (st.number < 0) {
        st.number = entered++;
      }
      breakForwardingCycle(st);
    }
    List<State> out = new ArrayList<>();
    for (State st : states) {
      if (st.forward == null) {
        out.add(st);
      }
    }
    out.sort(Comparator.comparingInt(st -> st.number));
    for (int i = 0; i < out.size(); i++) {
      out.get(i).number = i;
    }
    return out;
  }

  /** A chain of states that only forward must end at a state with code: a loop keeps its first. */
  private static void breakForwardingCycle(State from) {
    java.util.Set<State> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (State s = from; s.forward != null; s = s.forward) {
      if (!seen.add(s)) {
        s.forward = null;
        return;
      }
    }
  }
}
