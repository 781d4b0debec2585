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
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * What javac cannot compile in a class it attributed during annotation processing (every outermost
 * class with {@code @Async} methods: their bodies are attributed to be lowered), because its final
 * attribution sees what the first one left in the trees. Each becomes a clear error that says what
 * to write instead (seen on JDK 17 and 25 alike):
 *
 * <ul>
 *   <li>a variable whose inferred type names an anonymous class ({@code var c = new Object() { int
 *       hits; };}, also an implicitly typed lambda parameter) keeps that type as a name, which javac
 *       then cannot resolve ("cannot find symbol: class X$1");
 *   <li>a variable whose inferred type is an intersection with a class bound that has wildcard
 *       arguments ({@code var list = flag ? new ArrayList<>() : new LinkedList<String>();}) keeps that
 *       type, which javac's second attribution rejects with an error at no line ("subList(int,int) in
 *       AbstractList cannot implement subList(int,int) in List");
 *   <li>a parameter of a lambda without parameter types whose type has a captured wildcard ({@code e}
 *       in {@code list.forEach(e -> ...)} over a {@code List<? extends Number>}) keeps that type as a
 *       name, which javac then cannot resolve ({@code cannot find symbol: class <captured wildcard>},
 *       at no line on JDK 17);
 *   <li>a record's canonical constructor written out (compact or not) keeps the {@code super()} call
 *       javac added to it, which it then rejects as explicit ("invalid canonical constructor").
 * </ul>
 */
public final class JavacLimits {
  private JavacLimits() {}

  /** Reports what javac cannot compile in the class at {@code classPath}, which it attributed. */
  public static void check(Trees trees, javax.lang.model.util.Types types, TreePath classPath,
      Diagnostics diagnostics) {
    CompilationUnitTree unit = classPath.getCompilationUnit();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethod(com.sun.source.tree.MethodTree node, Void p) {
        // A record's implicit canonical constructor is a tree javac made up: it has no end position.
        if (trees.getSourcePositions().getEndPosition(unit, node) >= 0
            && trees.getElement(getCurrentPath()) instanceof javax.lang.model.element.ExecutableElement c
            && isCanonicalConstructor(types, c)) {
          TypeElement record = (TypeElement) c.getEnclosingElement();
          diagnostics.error(node, unit, "the canonical constructor of record '" + record.getSimpleName()
              + "' cannot be written out in a class with @Async methods: javac attributes the class"
              + " during annotation processing, and then rejects the super() call it added to the"
              + " constructor itself (\"canonical constructor must not contain explicit constructor"
              + " invocation\"); move the record out of this class (to a file of its own), or check"
              + " its values in a static factory method");
        }
        return super.visitMethod(node, p);
      }

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
        if (e != null && anonymous == null && wildcardClassIntersection(e.asType())) {
          diagnostics.error(node, unit, "the type of '" + node.getName() + "' is " + e.asType() + ", an"
              + " intersection whose class bound has wildcards, which javac cannot compile in a class"
              + " with @Async methods (it attributes the class during annotation processing, and then"
              + " rejects the type it inferred, with an error at no line: \"subList(int,int) in"
              + " AbstractList cannot implement subList(int,int) in List\"): declare '" + node.getName()
              + "' with a named type, such as " + classBound(e.asType()) + " or an interface it implements");
        }
        if (e != null && anonymous == null && isImplicitLambdaParameter(node)
            && TypeParts.find(e.asType(), TypeParts::isCapture) != null) {
          diagnostics.error(node, unit, "the type of lambda parameter '" + node.getName() + "' is "
              + e.asType() + ", with a captured wildcard, which javac cannot compile in a lambda without"
              + " parameter types in a class with @Async methods (it attributes the class during"
              + " annotation processing, and then cannot find the type it inferred by name: \"cannot"
              + " find symbol: class <captured wildcard>\", at no line): give the lambda's parameters"
              + " their types, such as (" + written(e.asType(), true, 0) + " " + node.getName() + ") -> ...");
        }
        return super.visitVariable(node, p);
      }

      /**
       * Whether {@code node} is a parameter of a lambda declared without its type (or with {@code var}):
       * the type tree javac made for it during attribution has no end in the source (JDK 17 gives it no
       * start either, JDK 25 the parameter's).
       */
      private boolean isImplicitLambdaParameter(VariableTree node) {
        return getCurrentPath().getParentPath().getLeaf() instanceof com.sun.source.tree.LambdaExpressionTree
            && (node.getType() == null || trees.getSourcePositions().getEndPosition(unit, node.getType()) < 0
                || node.getType() instanceof com.sun.source.tree.IdentifierTree i
                    && i.getName().contentEquals("var"));
      }
    }.scan(classPath, null);
  }

  /**
   * {@code t} as a type to suggest, by simple names, each captured wildcard written as the wildcard
   * ({@code List<? extends Number>}), or as its bound where it is the type itself ({@code Number}).
   */
  private static String written(TypeMirror t, boolean whole, int depth) {
    if (TypeParts.isCapture(t) && depth > 3) {
      return whole ? "Object" : "?"; // a bound that names its own capture: Enum<capture of ?>
    }
    if (TypeParts.isCapture(t)) {
      javax.lang.model.type.TypeVariable v = (javax.lang.model.type.TypeVariable) t;
      TypeMirror lower = v.getLowerBound();
      if (lower != null && lower.getKind() != javax.lang.model.type.TypeKind.NULL) {
        return whole ? "Object" : "? super " + written(lower, true, depth + 1);
      }
      String upper = written(v.getUpperBound(), true, depth + 1);
      return whole ? upper : upper.equals("Object") ? "?" : "? extends " + upper;
    }
    if (t instanceof DeclaredType d) {
      String name = d.asElement().getSimpleName().toString();
      return d.getTypeArguments().isEmpty() ? name : name + "<" + String.join(", ",
          d.getTypeArguments().stream().map(a -> written(a, false, depth + 1)).toList()) + ">";
    }
    if (t instanceof javax.lang.model.type.ArrayType a) {
      return written(a.getComponentType(), true, depth + 1) + "[]";
    }
    if (t instanceof javax.lang.model.type.WildcardType w) {
      return w.getExtendsBound() != null ? "? extends " + written(w.getExtendsBound(), true, depth + 1)
          : w.getSuperBound() != null ? "? super " + written(w.getSuperBound(), true, depth + 1) : "?";
    }
    if (t instanceof javax.lang.model.type.IntersectionType i) {
      return written(i.getBounds().get(0), whole, depth + 1);
    }
    return t.toString();
  }

  /** Whether {@code c} is the canonical constructor of a record, written in the source. */
  private static boolean isCanonicalConstructor(javax.lang.model.util.Types types,
      javax.lang.model.element.ExecutableElement c) {
    if (c.getKind() != javax.lang.model.element.ElementKind.CONSTRUCTOR
        || c.getEnclosingElement().getKind() != javax.lang.model.element.ElementKind.RECORD) {
      return false;
    }
    var components = ((TypeElement) c.getEnclosingElement()).getRecordComponents();
    var parameters = c.getParameters();
    if (components.size() != parameters.size()) {
      return false;
    }
    for (int i = 0; i < parameters.size(); i++) {
      if (!types.isSameType(types.erasure(components.get(i).asType()),
          types.erasure(parameters.get(i).asType()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code t} is an intersection whose class bound has wildcard arguments ({@code
   * AbstractList<? extends Object> & Serializable & Cloneable}, inferred for {@code var list = flag ?
   * new ArrayList<>() : new LinkedList<String>()}): javac's second attribution of a variable of that
   * type fails with an error at no line (JDK 17 and 25).
   */
  static boolean wildcardClassIntersection(TypeMirror t) {
    if (!(t instanceof javax.lang.model.type.IntersectionType i)) {
      return false;
    }
    for (TypeMirror bound : i.getBounds()) {
      if (bound instanceof DeclaredType d && d.asElement().getKind() == javax.lang.model.element.ElementKind.CLASS
          && d.getTypeArguments().stream().anyMatch(a -> a.getKind() == javax.lang.model.type.TypeKind.WILDCARD
              || a.getKind() == javax.lang.model.type.TypeKind.TYPEVAR && a.toString().startsWith("capture#"))) {
        return true;
      }
    }
    return false;
  }

  /** The class bound of intersection {@code t}, with wildcards, as a type to suggest. */
  private static String classBound(TypeMirror t) {
    for (TypeMirror bound : ((javax.lang.model.type.IntersectionType) t).getBounds()) {
      if (bound instanceof DeclaredType d && d.asElement().getKind() == javax.lang.model.element.ElementKind.CLASS) {
        return d.asElement().getSimpleName() + "<" + String.join(", ",
            java.util.Collections.nCopies(d.getTypeArguments().size(), "?")) + ">";
      }
    }
    return "one of its bounds";
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
    return TypeParts.classOfKind(t, NestingKind.ANONYMOUS);
  }

}
