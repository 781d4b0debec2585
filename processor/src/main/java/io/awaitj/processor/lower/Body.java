package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;

/**
 * What is lowered: a method's body, or an async lambda's (a block or an expression); its parameters
 * and the enclosing locals it captures become the machine's constructor parameters.
 */
public record Body(TreePath path, List<VariableElement> captured, List<VariableElement> parameters,
    boolean hasSelf, ClassName machine, List<TypeVariableName> typeVariables, TypeName result) {
  /** The body of an @Async method. */
  public static Body of(TreePath methodPath, ExecutableElement method, ClassName machine,
      List<TypeVariableName> typeVariables) {
    return new Body(new TreePath(methodPath, ((MethodTree) methodPath.getLeaf()).getBody()), List.of(),
        List.copyOf(method.getParameters()), !method.getModifiers().contains(Modifier.STATIC), machine,
        typeVariables, io.awaitj.processor.model.AsyncType.resultType(method));
  }
}
