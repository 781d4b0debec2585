package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.analysis.AwaitAnalysis;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * Async lambdas: a lambda whose function returns a {@code Coroutine} may await. Its body is lowered
 * into a machine of its own, whose constructor takes {@code self}, the enclosing locals the lambda
 * uses (their values where the lambda is created, as Java captures them) and the lambda's parameters;
 * the lambda itself becomes one that creates that machine.
 */
final class AsyncLambdaLowering extends Rule {
  AsyncLambdaLowering(Parts parts) {
    super(parts);
  }

  /**
   * Lowers the async lambda at {@code path} into a machine of its own and returns the lambda that
   * replaces it: one that creates that machine from its arguments and the values it captures.
   */
  CodeBlock lower(TreePath path) {
    LambdaExpressionTree lambda = (LambdaExpressionTree) path.getLeaf();
    List<VariableElement> params = new ArrayList<>();
    for (VariableTree p : lambda.getParameters()) {
      params.add((VariableElement) source.trees.getElement(new TreePath(path, p)));
    }
    TreePath bodyPath = new TreePath(path, lambda.getBody());
    List<VariableElement> captured = new ArrayList<>(parts.scopes.capturedIn(bodyPath, params));
    TypeMirror function = source.asyncElements.functionReturnType(path);
    TypeElement local = function == null ? null : LocalClasses.localClassIn(function);
    if (local != null) {
      throw source.abort(lambda,
          LocalClasses.inAsyncLambda(local, source.userType, " (here in the type of its result)"));
    }
    for (List<VariableElement> vs : List.of(captured, params)) {
      for (VariableElement v : vs) {
        TypeElement named = LocalClasses.localClassAround(v.asType());
        if (named != null) {
          throw source.abort(lambda, LocalClasses.inAsyncLambda(named, source.userType,
              " (here in the type of '" + v.getSimpleName() + "', which it uses)"));
        }
      }
    }
    TypeName result = function instanceof DeclaredType d && d.getTypeArguments().size() == 1
        ? source.typeNames.denotable(d.getTypeArguments().get(0)) : null;
    ClassName name = Lowerer.lambdaMachine(parts.body.machine(), parts.lambdas.size() + 1);
    Body inner = new Body(bodyPath, captured, params, frame.self() != null, name,
        parts.body.typeVariables(), result != null ? result : ClassName.OBJECT);
    AwaitAnalysis innerAnalysis = AwaitAnalysis.ofBody(inner.path(), source.asyncElements, source.diagnostics);
    if (innerAnalysis.isErroneous()) {
      throw source.erroneous(); // javac reports the error in the lambda itself
    }
    LoweredBody lowered = Lowerer.lower(source.trees, source.elements, source.types, source.diagnostics,
        source.unit, inner, source.userType, innerAnalysis, machine.sizes(), innerFrame -> {
          for (VariableElement c : captured) {
            String field = frame.fieldOf(c);
            TypeName t = field == null ? null : frame.fieldType(field);
            if (t != null) {
              innerFrame.typeCaptured(c, t);
            }
          }
        });
    if (lowered != null) {
      parts.lambdas.add(lowered.withoutLambdas());
      parts.lambdas.addAll(lowered.lambdas());
    }
    List<CodeBlock> args = new ArrayList<>();
    if (frame.self() != null) {
      args.add(CodeBlock.of("$L", frame.self()));
    }
    for (VariableElement c : captured) {
      String field = frame.fieldOf(c);
      args.add(CodeBlock.of("$L", field != null ? frame.captured(c, field) : c.getSimpleName()));
    }
    List<String> names = new ArrayList<>();
    for (VariableElement p : params) {
      names.add(p.getSimpleName().toString());
      args.add(CodeBlock.of("$L", p.getSimpleName()));
    }
    List<TypeName> types = new ArrayList<>();
    if (lowered != null) {
      if (lowered.self() != null) {
        types.add(ClassName.OBJECT); // a reference: one slot
      }
      lowered.parameterFields().forEach(f -> types.add(f.type()));
    }
    return CodeBlock.of("($L) -> $L", String.join(", ", names), MachineContract.make(name,
        !parts.body.typeVariables().isEmpty(), types, CodeBlock.join(args, ", ").toString()));
  }
}
