package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.Trees;
import io.awaitj.processor.analysis.AwaitAnalysis;
import io.awaitj.processor.analysis.LocalScopes;
import io.awaitj.processor.diagnostics.Diagnostics;
import io.awaitj.processor.model.CodeSize;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Lowers one {@code @Async} body into states: wires the parts ({@link Parts}: the states being
 * filled, the frame of fields, the jump stack, local-class hoisting, the copier and the rules), runs
 * the statement dispatcher over the body, and returns the result as an immutable {@link LoweredBody}.
 *
 * <p>Where things are: statements in {@link StatementLowering}; expressions and awaits in {@link
 * ExpressionLowering}; loops, switches and {@code try} in {@link LoopLowering}, {@link SwitchLowering},
 * {@link TryLowering}; async lambdas in {@link AsyncLambdaLowering}; code copied as written in {@link
 * Verbatim}; private members in {@link PrivateAccess}. The code shapes of the machine protocol are
 * {@link io.awaitj.processor.model.MachineContract}'s.
 */
public final class Lowerer {
  private Lowerer() {}

  /**
   * Lowers the body of an {@code @Async} method of {@code userType}, cutting states that grow past
   * {@code sizes.cut()}. Returns null if errors were reported (then no machine can be written), or
   * throws {@link Diagnostics.AbortException}.
   */
  public static LoweredBody lower(Trees trees, Elements elements, Types types, Diagnostics diagnostics,
      CompilationUnitTree unit, Body body, TypeElement userType, AwaitAnalysis analysis, CodeSize sizes) {
    javax.lang.model.element.Element method = trees.getElement(body.path().getParentPath());
    if (!io.awaitj.processor.analysis.DirectCalls.isDirect(method, trees)) {
      return lower(trees, elements, types, diagnostics, unit, body, userType, analysis, sizes, frame -> {});
    }
    // Awaited by a direct call (see DirectCalls): its one state becomes the direct method, whatever
    // the size a state is cut at (the body is short: DirectCalls.MAX_BODY).
    LoweredBody lowered = lower(trees, elements, types, diagnostics, unit, body, userType, analysis,
        CodeSize.of(Integer.MAX_VALUE), frame -> {});
    if (lowered == null) {
      return null;
    }
    LoweredBody direct = analysis.awaitCount() == 0 && !analysis.isGenerator() && analysis.asyncLambdas().isEmpty()
        ? DirectBody.of(lowered, (javax.lang.model.element.ExecutableElement) method, userType,
            io.awaitj.processor.analysis.DirectCalls.primitiveResult(method, trees, types))
        : null;
    if (direct == null) {
      diagnostics.error(method, "awaitj: this method's body was expected to compile into one state without"
          + " awaits, to be called directly where it is awaited, and did not; please report this");
      return null;
    }
    return direct;
  }

  /**
   * Lowers {@code body}, a method's or an async lambda's; {@code prepare} sees the frame before the
   * body is lowered (an async lambda's captured values take the types of the enclosing fields).
   */
  static LoweredBody lower(Trees trees, Elements elements, Types types, Diagnostics diagnostics,
      CompilationUnitTree unit, Body body, TypeElement userType, AwaitAnalysis analysis, CodeSize sizes,
      Consumer<Frame> prepare) {
    LocalScopes scopes = LocalScopes.of(trees, body.path());
    // In a body that awaits, local classes become members of the machine: see LocalClasses.
    List<TypeElement> members = analysis.awaitCount() > 0 ? scopes.localClasses() : List.of();
    Source source = new Source(trees, elements, types, diagnostics, unit, userType, analysis,
        new TypeNames(new LinkedHashSet<>(members), body.typeVariables()));
    int errorsAtStart = diagnostics.errorCount();
    Parts parts = new Parts(source, body, scopes, members, sizes);
    prepare.accept(parts.frame);
    namesOfTheStepMethod(source, body);
    parts.statements.body(body.path());
    if (diagnostics.errorCount() != errorsAtStart) {
      return null;
    }
    if (parts.privateAccess.usesErroneousTypes()) {
      throw source.erroneous(); // javac reports the unresolved type in the source
    }
    List<LoweredBody.Case> cases = new ArrayList<>();
    for (State s : parts.machine.finish()) {
      Region r = s.region();
      cases.add(new LoweredBody.Case(s.id(), s.comment(), s.code(), s.isClosed(),
          r == null ? null : r.key(), r == null ? -1 : r.handlerNumber(), s.line(), s.tail(),
          r == null ? null : r.handling(), s.loop == null ? null : s.loop.fields));
    }
    return new LoweredBody(body.machine(), body.result(),
        source.location(body.path().getParentPath().getLeaf()), body.typeVariables(),
        parts.frame.self(), parts.frame.parameterFields(), parts.frame.fields(), List.copyOf(cases),
        withViews(parts.localClasses.declarations(), source), withViewNames(parts.localClasses.names(), source),
        parts.privateAccess.accessClass(),
        constants(parts), parts.machine.methods(), suppressed(scopes, source),
        scopes.hasTryWithResources(),
        List.copyOf(parts.lambdas));
  }

  /**
   * Reports the names that the code copied into the machine's step cannot declare there: the local
   * of its dispatch loop holding what an await returned, {@code awaited$}, as a variable of a lambda
   * of the body (Java does not let a lambda declare a variable of an enclosing method's local), and its
   * label, {@code dispatch$}, as a label of the body or of one of its lambdas (nor a label of an
   * enclosing statement). Both end in '$', which Java keeps for generated names; the body's own locals
   * of those names become fields of other names, and locals and labels of a class's methods are
   * their own.
   */
  private static void namesOfTheStepMethod(Source source, Body body) {
    new com.sun.source.util.TreePathScanner<Void, Boolean>() {
      @Override
      public Void visitVariable(com.sun.source.tree.VariableTree node, Boolean inLambda) {
        if (inLambda && node.getName().contentEquals("awaited$")) {
          source.unsupported(node, "a variable named 'awaited$' in a lambda of an @Async method: the state"
              + " machine's step declares a local of that name around it; rename it");
        }
        return super.visitVariable(node, inLambda);
      }

      @Override
      public Void visitLabeledStatement(com.sun.source.tree.LabeledStatementTree node, Boolean inLambda) {
        if (node.getLabel().contentEquals("dispatch$")) {
          source.unsupported(node, "a label named 'dispatch$' in an @Async method: the state machine's"
              + " step has a label of that name around the body's code; rename it");
        }
        return super.visitLabeledStatement(node, inLambda);
      }

      @Override
      public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree node, Boolean inLambda) {
        return super.visitLambdaExpression(node, true);
      }

      @Override
      public Void visitClass(com.sun.source.tree.ClassTree node, Boolean inLambda) {
        return null; // the methods of a local or anonymous class have their own locals and labels
      }
    }.scan(body.path(), false);
  }

  /** The machine's member classes: the body's local classes, then the views its reads go through. */
  private static List<com.palantir.javapoet.TypeSpec> withViews(List<com.palantir.javapoet.TypeSpec> locals,
      Source source) {
    List<com.palantir.javapoet.TypeSpec> views = source.typeNames.views();
    if (views.isEmpty()) {
      return locals;
    }
    List<com.palantir.javapoet.TypeSpec> all = new ArrayList<>(locals);
    all.addAll(views);
    return all;
  }

  /** The simple names of {@link #withViews}'s classes. */
  private static List<String> withViewNames(List<String> locals, Source source) {
    List<com.palantir.javapoet.TypeSpec> views = source.typeNames.views();
    if (views.isEmpty()) {
      return locals;
    }
    List<String> all = new ArrayList<>(locals);
    views.forEach(v -> all.add(v.name()));
    return all;
  }

  /** What the machine's step suppresses: what the user suppressed on locals, and its own casts. */
  private static java.util.Set<String> suppressed(LocalScopes scopes, Source source) {
    if (!source.typeNames.uncheckedCasts()) {
      return scopes.suppressedOnLocals();
    }
    java.util.Set<String> all = new java.util.TreeSet<>(scopes.suppressedOnLocals());
    all.add("unchecked");
    return all;
  }

  /** The static fields the lowered code refers to. */
  private static List<FieldSpec> constants(Parts parts) {
    List<FieldSpec> out = new ArrayList<>();
    if (parts.frame.usesAssertions()) {
      TypeElement outermost = parts.source.userType;
      while (outermost.getEnclosingElement() instanceof TypeElement enclosing) {
        outermost = enclosing;
      }
      out.add(MachineContract.assertionsField(TypeName.get(parts.source.types.erasure(outermost.asType()))));
    }
    return out;
  }

  /** The name of the machine of the {@code n}th async lambda (from 1) of the method whose machine is {@code machine}. */
  static ClassName lambdaMachine(ClassName machine, int n) {
    return machine.peerClass(machine.simpleName() + io.awaitj.processor.model.AsyncType.LAMBDA + n);
  }
}
