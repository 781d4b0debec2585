package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;

/**
 * One state of a machine: a straight run of code that starts at a resume label (or a jump target)
 * and ends by jumping, suspending, returning or throwing. Emitted as one {@code case} of {@code step()}.
 */
public final class State {
  /**
   * The label as allocated; the one emitted is {@link #number}, given after lowering in the order the
   * states were first filled, so that the cases read in the order of the source. Generated code refers
   * to a state through the State itself ({@code $L}), which prints its final number.
   */
  final int id;
  int number = -1;
  final Region region;
  String comment;
  /**
   * The source line the state starts at (for a resume state, the line of its await), or 0 when it
   * stands for no line of its own (a jump target made by the lowering): what stack traces show.
   */
  long line;
  final CodeBlock.Builder code = CodeBlock.builder();
  boolean closed;
  /** The estimated size of the code emitted into it (see {@link io.awaitj.processor.model.CodeSize}). */
  int size;
  /**
   * The state this one only jumps to (it holds no code of its own), or null: such a state is not
   * written, and every jump to it goes straight to its target.
   */
  State forward;
  /**
   * How the state ends, when it ends by going on in another state of the machine: by a jump to {@link
   * #next} ({@link #awaitable} null), or by an await of {@link #awaitable} that resumes in {@link
   * #next}, running {@link #release} if it suspends. Kept apart from {@link #code} so that the
   * emitter can let the state fall through into the next case when {@link #next} is that case.
   */
  State next;
  CodeBlock awaitable;
  CodeBlock release;
  /** What runs as soon as the await has begun, suspending or not (see {@code MachineContract.Tail}). */
  CodeBlock consumed = CodeBlock.of("");
  /** Whether the await is an async for's of its next element, {@link #awaitable} the iterator. */
  boolean element;
  /**
   * The innermost lowered loop whose lowering made the state (null: none), which tells what the
   * loop's code does with the machine's fields once it is lowered ({@link LoopFields}).
   */
  final MachineBuilder.Loop loop;

  State(int id, Region region, String comment, MachineBuilder.Loop loop) {
    this.id = id;
    this.region = region;
    this.comment = comment;
    this.loop = loop;
  }

  /** The state's number, its {@code case} label (that of the state it forwards to, if any). */
  public int id() {
    if (forward != null) {
      return forward.id();
    }
    return number >= 0 ? number : id;
  }

  @Override
  public String toString() {
    return String.valueOf(id());
  }

  /** The {@code try} region the state's code runs in. */
  public Region region() {
    return region;
  }

  /** The comment written on the state's {@code case} line: where in the source it starts. */
  public String comment() {
    return comment;
  }

  /** The source line the state starts at, or 0 (see {@link #line}). */
  public long line() {
    return line;
  }

  /** Whether the state ends by jumping, suspending, returning or throwing. */
  public boolean isClosed() {
    return closed;
  }

  /** The state's code, as emitted in its {@code case}, without its {@link #tail()}. */
  public CodeBlock code() {
    return code.build();
  }

  /** How the state goes on in another state (a jump or an await), or null: see {@link #next}. */
  public io.awaitj.processor.model.MachineContract.Tail tail() {
    if (next == null) {
      return null;
    }
    return new io.awaitj.processor.model.MachineContract.Tail(next.id(), awaitable, release, element, consumed);
  }
}
