package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;

/**
 * One state of a machine: a straight run of code that starts at a resume label (or a jump target)
 * and ends by jumping, suspending, returning or throwing. Emitted as one {@code case} of {@code step()}.
 */
public final class State {
  final int id;
  final Region region;
  String comment;
  final CodeBlock.Builder code = CodeBlock.builder();
  boolean closed;

  State(int id, Region region, String comment) {
    this.id = id;
    this.region = region;
    this.comment = comment;
  }

  public int id() {
    return id;
  }

  public Region region() {
    return region;
  }

  public String comment() {
    return comment;
  }

  /** Whether the state ends by jumping, suspending, returning or throwing. */
  public boolean isClosed() {
    return closed;
  }

  public CodeBlock code() {
    return code.build();
  }
}
