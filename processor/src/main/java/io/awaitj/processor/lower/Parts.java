package io.awaitj.processor.lower;

import io.awaitj.processor.analysis.LocalScopes;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts lowering one body, wired once by {@link Lowerer}: each rule class takes the parts it
 * talks to from here in its constructor. Holds no state of its own beyond the async lambdas found.
 */
final class Parts {
  final Source source;
  final Body body;
  final LocalScopes scopes;
  final MachineBuilder machine;
  final Frame frame;
  final JumpStack jumps;
  final LocalClasses localClasses;
  final PrivateAccess privateAccess;
  final Verbatim verbatim;
  final ExpressionLowering expressions;
  final StatementLowering statements;
  /** The async lambdas of the body and of their bodies, lowered, in order. */
  final List<LoweredBody> lambdas = new ArrayList<>();

  Parts(Source source, Body body, LocalScopes scopes, List<javax.lang.model.element.TypeElement> members,
      io.awaitj.processor.model.CodeSize sizes) {
    this.source = source;
    this.body = body;
    this.scopes = scopes;
    this.machine = new MachineBuilder(source, sizes);
    this.frame = new Frame(source, machine, body, members, scopes);
    this.jumps = new JumpStack(machine, source);
    this.localClasses = new LocalClasses(source, frame, scopes, body, members);
    java.util.Set<String> taken = new java.util.HashSet<>(scopes.namesInScopesOfTheirOwn());
    taken.addAll(source.typeNames.memberNames());
    this.privateAccess = new PrivateAccess(source.types, source.userType, taken);
    this.verbatim = new Verbatim(source, new CopyContext(this));
    this.expressions = new ExpressionLowering(this);
    this.statements = new StatementLowering(this);
  }
}
