package io.awaitj.processor.analysis;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import io.awaitj.processor.diagnostics.Diagnostics;
import javax.lang.model.element.Element;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * A javac limitation the processor must turn into a clear error: in a class javac attributed during
 * annotation processing (every outermost class with {@code @Async} methods: their bodies are
 * attributed to be lowered), a variable whose inferred type names an anonymous class ({@code var c =
 * new Object() { int hits; };}, also an implicitly typed lambda parameter) keeps that type as a name,
 * which javac's final attribution then cannot resolve: it fails with "cannot find symbol: class
 * X$1", on JDK 17 and 25 alike. Such variables get an error that says what to write instead.
 */
public final class AnonymousVarTypes {
  private AnonymousVarTypes() {}

  /** Reports every variable of the class at {@code classPath} whose type names an anonymous class. */
  public static void check(Trees trees, TreePath classPath, Diagnostics diagnostics) {
    CompilationUnitTree unit = classPath.getCompilationUnit();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void p) {
        Element e = trees.getElement(getCurrentPath());
        TypeElement anonymous = e == null ? null : anonymousIn(e.asType());
        if (anonymous != null) {
          diagnostics.error(node, unit, "the type of '" + node.getName() + "' is an anonymous class,"
              + " which javac cannot compile in a class with @Async methods (it attributes the class"
              + " during annotation processing, and then cannot find the anonymous class by name):"
              + " declare '" + node.getName() + "' with a named type, such as " + named(anonymous)
              + " or a local class");
        }
        return super.visitVariable(node, p);
      }
    }.scan(classPath, null);
  }

  /** Whether {@code t} names an anonymous class (itself, as a type argument or an array's element). */
  public static boolean namesAnonymousClass(TypeMirror t) {
    return anonymousIn(t) != null;
  }

  /** The type an anonymous class was written as: the interface it implements, or its superclass. */
  private static javax.lang.model.element.Name named(TypeElement anonymous) {
    TypeMirror named = anonymous.getInterfaces().isEmpty() ? anonymous.getSuperclass()
        : anonymous.getInterfaces().get(0);
    return ((DeclaredType) named).asElement().getSimpleName();
  }

  private static TypeElement anonymousIn(TypeMirror t) {
    if (t.getKind() == javax.lang.model.type.TypeKind.INTERSECTION) {
      // javac models an intersection as a synthetic class, which it names no differently later.
      for (TypeMirror bound : ((javax.lang.model.type.IntersectionType) t).getBounds()) {
        TypeElement found = anonymousIn(bound);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (t instanceof ArrayType a) {
      return anonymousIn(a.getComponentType());
    }
    if (t instanceof DeclaredType d) {
      TypeElement e = (TypeElement) d.asElement();
      if (e.getNestingKind() == NestingKind.ANONYMOUS) {
        return e;
      }
      for (TypeMirror arg : d.getTypeArguments()) {
        TypeElement found = anonymousIn(arg);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
