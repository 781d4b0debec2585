package io.awaitj.processor.lower;

/**
 * A lowering rule: the parts it talks to (the states being filled, the frame of fields, the jump
 * stack, the copier, javac's view of the body), taken from {@link Parts} once. The statement and
 * expression rules are reached through {@link #statements()} and {@link #expressions()}, which may be
 * wired after the rule is made.
 */
abstract class Rule {
  final Parts parts;
  final Source source;
  final MachineBuilder machine;
  final Frame frame;
  final JumpStack jumps;
  final Verbatim verbatim;
  final PrivateAccess privateAccess;

  Rule(Parts parts) {
    this.parts = parts;
    this.source = parts.source;
    this.machine = parts.machine;
    this.frame = parts.frame;
    this.jumps = parts.jumps;
    this.verbatim = parts.verbatim;
    this.privateAccess = parts.privateAccess;
  }

  ExpressionLowering expressions() {
    return parts.expressions;
  }

  StatementLowering statements() {
    return parts.statements;
  }
}
