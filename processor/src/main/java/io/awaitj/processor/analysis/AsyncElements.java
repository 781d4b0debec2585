package io.awaitj.processor.analysis;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.awaitj.processor.model.MachineContract;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Questions about elements that the analysis and the lowering ask: is this {@code await}? {@code done}? */
public final class AsyncElements {
  private final Trees trees;
  private final javax.lang.model.util.Types types;

  /** Reads elements through javac's {@code trees} and {@code types} of the compilation. */
  public AsyncElements(Trees trees, javax.lang.model.util.Types types) {
    this.trees = trees;
    this.types = types;
  }

  /** javac's trees of the compilation. */
  public Trees trees() {
    return trees;
  }

  /** The element a path denotes, or {@code null}. */
  public Element element(TreePath path) {
    return trees.getElement(path);
  }

  /**
   * Makes javac attribute the class around {@code block} (once; later calls cost nothing), so that
   * every tree in it has its type and symbol. Asking for the element of a tree that has none before
   * attribution, such as a block, is how the public API does it.
   */
  public void attributeAround(TreePath block) {
    trees.getElement(block);
  }

  /** Whether {@code path} is a call of {@code Aio.await(...)}. */
  public boolean isAwait(TreePath path) {
    return isAioCall(path, "await");
  }

  /**
   * Whether {@code path} is a call of {@code Aio.done(...)}, or of {@code Aio.finish()} (how a
   * generator returns).
   */
  public boolean isDone(TreePath path) {
    return isAioCall(path, "done") || isAioCall(path, "finish");
  }

  /** Whether {@code path} is a call of {@code Aio.emit(...)}. */
  public boolean isEmit(TreePath path) {
    return isAioCall(path, "emit");
  }

  /** Whether {@code path} is a call of {@code Aio.finish()}. */
  public boolean isFinish(TreePath path) {
    return isAioCall(path, "finish");
  }

  /**
   * The type of the values of a generator declared to return {@code t}, or null if {@code t} is not
   * {@code AsyncGenerator<T>}.
   */
  public static TypeMirror generatedType(TypeMirror t) {
    if (t instanceof DeclaredType d && d.asElement() instanceof TypeElement e
        && e.getQualifiedName().contentEquals(MachineContract.ASYNC_GENERATOR.canonicalName())
        && d.getTypeArguments().size() == 1) {
      return d.getTypeArguments().get(0);
    }
    return null;
  }

  /** javac's types of the compilation. */
  public javax.lang.model.util.Types types() {
    return types;
  }

  private boolean isAioCall(TreePath path, String name) {
    if (!(path.getLeaf() instanceof MethodInvocationTree inv)) {
      return false;
    }
    if (!methodName(inv.getMethodSelect()).equals(name)) {
      return false;
    }
    return isAioMethod(trees.getElement(path), name);
  }

  /** Whether {@code e}, the element of a call, is the method {@code name} of {@code Aio}. */
  static boolean isAioMethod(Element e, String name) {
    return e instanceof ExecutableElement
        && e.getSimpleName().contentEquals(name)
        && e.getEnclosingElement() instanceof TypeElement t
        && t.getQualifiedName().contentEquals(MachineContract.AIO);
  }

  /** The simple name a method select ends with. */
  public static String methodName(ExpressionTree select) {
    switch (select.getKind()) {
      case IDENTIFIER:
        return ((com.sun.source.tree.IdentifierTree) select).getName().toString();
      case MEMBER_SELECT:
        return ((com.sun.source.tree.MemberSelectTree) select).getIdentifier().toString();
      default:
        return "";
    }
  }

  /**
   * The type named {@code name} as code of {@code module} sees it, or null: one look-up, where
   * {@code Elements.getTypeElement(name)} looks in every module of the compilation for a name that is
   * in none (most of the cost of checking names that are usually absent, such as generated ones).
   * Without a module (javac compiling for a release before modules), the one look-up there is.
   */
  public static TypeElement typeIn(javax.lang.model.util.Elements elements,
      javax.lang.model.element.ModuleElement module, String name) {
    return module == null ? elements.getTypeElement(name) : elements.getTypeElement(module, name);
  }

  /** Whether {@code e} is a method annotated {@code @Async}. */
  public static boolean isAsyncMethod(Element e) {
    if (e == null || e.getKind() != ElementKind.METHOD) {
      return false;
    }
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement())
          .getQualifiedName()
          .contentEquals(MachineContract.ASYNC)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code e} is a static {@code @Async} method (a template to route to its XAsync). */
  public static boolean isStaticAsyncMethod(Element e) {
    return isAsyncMethod(e) && e.getModifiers().contains(Modifier.STATIC);
  }

  /**
   * Whether the lambda at {@code path} implements a function that returns a {@code Coroutine}: then
   * it may await (an async lambda).
   */
  public boolean returnsCoroutine(TreePath path) {
    return isCoroutineType(functionReturnType(path));
  }

  /** The return type of the function a lambda implements, as seen for the lambda's target type. */
  public TypeMirror functionReturnType(TreePath lambdaPath) {
    TypeMirror t = trees.getTypeMirror(lambdaPath);
    if (!(t instanceof DeclaredType d)) {
      return null;
    }
    ExecutableElement function = abstractMethod((TypeElement) d.asElement());
    if (function == null) {
      return null;
    }
    TypeMirror member = types.asMemberOf(d, function);
    return member instanceof javax.lang.model.type.ExecutableType e ? e.getReturnType() : null;
  }

  /** The single abstract method of a functional interface (not counting Object's methods). */
  private static ExecutableElement abstractMethod(TypeElement type) {
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && e.getModifiers().contains(Modifier.ABSTRACT)
          && !isObjectMethod((ExecutableElement) e)) {
        return (ExecutableElement) e;
      }
    }
    for (TypeMirror sup : type.getInterfaces()) {
      if (sup instanceof DeclaredType d) {
        ExecutableElement m = abstractMethod((TypeElement) d.asElement());
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }

  private static boolean isObjectMethod(ExecutableElement m) {
    String n = m.getSimpleName().toString();
    int params = m.getParameters().size();
    return (n.equals("equals") && params == 1) || (n.equals("hashCode") && params == 0)
        || (n.equals("toString") && params == 0);
  }

  /** Whether the expression at {@code path} is an {@code io.awaitj.AsyncIterable} (async for). */
  public boolean isAsyncIterable(TreePath path) {
    return isSubtypeNamed(trees.getTypeMirror(path), MachineContract.ASYNC_ITERABLE.canonicalName());
  }

  /** The type of the expression at {@code path}. */
  public TypeMirror typeOf(TreePath path) {
    return trees.getTypeMirror(path);
  }

  /** Whether {@code t} is, or extends or implements, the type named {@code qualifiedName}. */
  public static boolean isSubtypeNamed(TypeMirror t, String qualifiedName) {
    if (t == null || t.getKind() != TypeKind.DECLARED) {
      return t != null && t.getKind() == TypeKind.TYPEVAR
          && isSubtypeNamed(((javax.lang.model.type.TypeVariable) t).getUpperBound(), qualifiedName);
    }
    TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
    if (e.getQualifiedName().contentEquals(qualifiedName)) {
      return true;
    }
    if (isSubtypeNamed(e.getSuperclass(), qualifiedName)) {
      return true;
    }
    for (TypeMirror i : e.getInterfaces()) {
      if (isSubtypeNamed(i, qualifiedName)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code t} is {@code io.awaitj.Coroutine<...>} (or a subtype named so). */
  public static boolean isCoroutineType(TypeMirror t) {
    return t != null
        && t.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) t).asElement())
            .getQualifiedName()
            .contentEquals(MachineContract.COROUTINE.canonicalName());
  }
}
