package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.analysis.AwaitAnalysis;
import io.awaitj.processor.model.AsyncType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Async lambdas: a lambda whose function returns a {@code Coroutine} may await. Its body is lowered
 * into a machine of its own, whose constructor takes {@code self}, the enclosing locals the lambda
 * uses (their values where the lambda is created, as Java captures them) and the lambda's parameters;
 * the lambda itself becomes one that creates that machine.
 */
final class AsyncLambdaLowering {
  private final Lowerer l;

  AsyncLambdaLowering(Lowerer lowerer) {
    this.l = lowerer;
  }

  /**
   * Lowers the async lambda at {@code path} into a machine of its own and returns the lambda that
   * replaces it: one that creates that machine from its arguments and the values it captures.
   */
  CodeBlock lower(TreePath path) {
    com.sun.source.tree.LambdaExpressionTree lambda = (com.sun.source.tree.LambdaExpressionTree) path.getLeaf();
    List<VariableElement> params = new ArrayList<>();
    for (VariableTree p : lambda.getParameters()) {
      params.add((VariableElement) l.trees.getElement(new TreePath(path, p)));
    }
    List<VariableElement> captured = captures(path, params);
    ClassName name = l.body.machine().peerClass(l.body.machine().simpleName() + AsyncType.LAMBDA + (l.lambdaMachines.size() + 1));
    Lowerer.Body inner = new Lowerer.Body(new TreePath(path, lambda.getBody()), captured, params, l.self != null, name,
        l.body.typeVariables());
    TypeMirror function = l.asyncElements.functionReturnType(path);
    javax.lang.model.element.TypeElement local = function == null ? null : Lowerer.localClassIn(function);
    if (local != null) {
      throw l.diagnostics.abort(lambda, l.unit,
          Lowerer.localClassInAsyncLambda(local, l.userType, " (here in the type of its result)"));
    }
    AwaitAnalysis innerAnalysis = AwaitAnalysis.ofBody(inner.path(), l.asyncElements, l.diagnostics);
    if (innerAnalysis.isErroneous()) {
      throw l.diagnostics.abortSilently(); // javac reports the error in the lambda itself
    }
    Lowerer lowerer = new Lowerer(l.trees, l.elements, l.types, l.diagnostics, l.unit, inner, l.userType, innerAnalysis);
    for (VariableElement c : captured) {
      TypeName t = l.promoted.containsKey(c) ? l.fieldTypes.get(l.promoted.get(c)) : null;
      if (t != null) {
        lowerer.parameterTypes.put(c, t);
      }
    }
    lowerer.lower();
    TypeMirror ret = l.asyncElements.functionReturnType(path);
    TypeName result = ret instanceof javax.lang.model.type.DeclaredType d && d.getTypeArguments().size() == 1
        ? TypeNames.denotable(d.getTypeArguments().get(0)) : null;
    l.lambdaMachines.add(new Lowerer.LambdaMachine(lowerer, result != null ? result : ClassName.OBJECT,
        l.fileName + ":" + l.verbatim.line(lambda)));
    l.lambdaMachines.addAll(lowerer.lambdaMachines);
    List<CodeBlock> args = new ArrayList<>();
    if (l.self != null) {
      args.add(CodeBlock.of("$L", l.self));
    }
    for (VariableElement c : captured) {
      String field = l.promoted.get(c);
      args.add(CodeBlock.of("$L", field != null ? l.captured(c, field) : c.getSimpleName()));
    }
    List<String> names = new ArrayList<>();
    for (VariableElement p : params) {
      names.add(p.getSimpleName().toString());
      args.add(CodeBlock.of("$L", p.getSimpleName()));
    }
    return CodeBlock.of("($L) -> new $T$L($L)", String.join(", ", names), name,
        l.body.typeVariables().isEmpty() ? "" : "<>", CodeBlock.join(args, ", "));
  }

  /** The locals of the enclosing code that the lambda at {@code path} uses, in order of first use. */
  private List<VariableElement> captures(TreePath path, List<VariableElement> params) {
    java.util.Set<Element> declaredInside = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    declaredInside.addAll(params);
    java.util.LinkedHashSet<VariableElement> used = new java.util.LinkedHashSet<>();
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void p) {
        Element e = l.trees.getElement(getCurrentPath());
        if (e != null) {
          declaredInside.add(e);
        }
        return super.visitVariable(node, p);
      }

      @Override
      public Void visitIdentifier(com.sun.source.tree.IdentifierTree node, Void p) {
        Element e = l.trees.getElement(getCurrentPath());
        if (e instanceof VariableElement v && isLocal(v) && !declaredInside.contains(v)) {
          used.add(v);
        }
        return null;
      }
    }.scan(new TreePath(path, ((com.sun.source.tree.LambdaExpressionTree) path.getLeaf()).getBody()), null);
    used.removeIf(declaredInside::contains);
    return new ArrayList<>(used);
  }

  private static boolean isLocal(VariableElement v) {
    switch (v.getKind()) {
      case LOCAL_VARIABLE: case PARAMETER: case EXCEPTION_PARAMETER: case RESOURCE_VARIABLE:
      case BINDING_VARIABLE:
        return true;
      default:
        return false;
    }
  }
}
