package io.awaitj.processor.analysis;

import com.palantir.javapoet.ClassName;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import io.awaitj.processor.AsyncProcessor;
import io.awaitj.processor.Diagnostics;
import io.awaitj.processor.RuntimeNames;
import io.awaitj.processor.model.AsyncType;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Reports the misuses of awaitj in ordinary code, which would otherwise compile and fail only when they
 * run:
 *
 * <ul>
 *   <li>{@code @Async} methods of local and anonymous classes (and of classes inside them), which the
 *       rounds never list, so that {@code Validator} cannot report them.
 *   <li>{@code await(...)} outside the body of an {@code @Async} method (in ordinary methods,
 *       constructors, initializers, and lambdas there); an await inside a lambda or a local class of an
 *       {@code @Async} method is {@link AwaitAnalysis}'s to report. {@code Aio::await} as a method
 *       reference is reported everywhere: it never works.
 *   <li>a call or method reference, from ordinary code, to a static {@code @Async} template {@code
 *       X.m(...)} of any class, libraries included ({@code @Async} has class retention), instead of the
 *       generated {@code XAsync.m(...)}. Inside {@code @Async} bodies such calls are fine: the lowering
 *       routes them to {@code XAsync}.
 * </ul>
 *
 * <p><b>When.</b> Finding out what a call denotes makes javac attribute the whole class. Attributing a
 * class in a round where a type it refers to does not exist yet (the {@code XAsync} about to be
 * generated, or any type another processor is still to generate) can break javac later, and
 * attribution done in a round that is followed by another one is thrown away and done again. So the
 * compilation units are only recorded as they appear, round by round, and scanned in the last round,
 * when every generated type exists and the attribution is the one javac keeps.
 *
 * <p><b>Which calls.</b> Only calls that may be a misuse are resolved, chosen by their syntax: calls and
 * method references named {@code await}, named as some {@code @Async} method known in this
 * compilation (or of a statically or singly imported type, or of a superclass of the enclosing class),
 * or whose qualifier is a name that could be a type (it starts with an upper-case letter, as Java type
 * names do). Code that awaitj generated itself is skipped.
 */
public final class MisuseScanner {
  /** The processor named in the {@code @Generated} of the classes awaitj writes. */
  private static final String GENERATOR = AsyncProcessor.class.getName();

  static final String AWAIT_OUTSIDE =
      "await can only be used in the body of an @Async method, which awaitj compiles into a state"
          + " machine; here it is a plain call that throws IllegalStateException when it runs. Move this"
          + " code into an @Async method (returning Coroutine<T>) and call that through its generated"
          + " XAsync class; from ordinary code, run a coroutine with Aio.run(...) instead of awaiting it";

  static final String AWAIT_REFERENCE =
      "await cannot be used as a method reference: it only works as a direct call await(...) in the body"
          + " of an @Async method, which awaitj compiles into a state machine; call it there instead";

  static final String LOCAL_CLASS =
      "@Async methods are not supported in local or anonymous classes: move them to a top-level or"
          + " static nested class";

  /** Qualified names of the root types seen so far whose units are still to be scanned. */
  private final Set<String> pending = new LinkedHashSet<>();

  /** Simple names of the {@code @Async} methods declared in this compilation's sources. */
  private final Set<String> asyncNames = new HashSet<>();

  /**
   * Records the root types of {@code round}; in the last round, scans them all. Never throws: a bug of
   * the scanner is reported as an internal error on the type concerned.
   */
  public void round(ProcessingEnvironment env, Trees trees, Diagnostics diagnostics,
      RoundEnvironment round) {
    Elements elements = env.getElementUtils();
    if (!round.processingOver()) {
      TypeElement async = elements.getTypeElement(RuntimeNames.ASYNC);
      if (async != null) {
        for (Element e : round.getElementsAnnotatedWith(async)) {
          asyncNames.add(e.getSimpleName().toString());
        }
      }
      for (Element e : round.getRootElements()) {
        if (e instanceof TypeElement t && !isGeneratedByAwaitj(t)) {
          pending.add(t.getQualifiedName().toString());
        }
      }
      return;
    }
    Set<CompilationUnitTree> scanned = Collections.newSetFromMap(new IdentityHashMap<>());
    for (String name : pending) {
      TypeElement type = elements.getTypeElement(name);
      if (type == null) {
        continue;
      }
      try {
        TreePath path = trees.getPath(type);
        if (path == null || !scanned.add(path.getCompilationUnit())) {
          continue;
        }
        new UnitScanner(trees, elements, diagnostics, path.getCompilationUnit())
            .scan(path.getCompilationUnit(), null);
      } catch (Diagnostics.AbortException reported) {
        // Already reported.
      } catch (Throwable bug) {
        diagnostics.internalError(type, bug);
      }
    }
    pending.clear();
  }

  private static boolean isGeneratedByAwaitj(TypeElement type) {
    for (AnnotationMirror a : type.getAnnotationMirrors()) {
      TypeElement at = (TypeElement) a.getAnnotationType().asElement();
      if (!at.getQualifiedName().contentEquals("javax.annotation.processing.Generated")) {
        continue;
      }
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v :
          a.getElementValues().entrySet()) {
        if (v.getKey().getSimpleName().contentEquals("value") && mentions(v.getValue().getValue())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean mentions(Object value) {
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof AnnotationValue v && mentions(v.getValue())) {
          return true;
        }
      }
      return false;
    }
    return GENERATOR.equals(value);
  }

  private final class UnitScanner extends TreePathScanner<Void, Void> {
    private final Trees trees;
    private final Elements elements;
    private final Diagnostics diagnostics;
    private final CompilationUnitTree unit;
    private final String packageName;
    /** Names a call may have to be a template call, computed once per unit. */
    private final Set<String> names = new HashSet<>(asyncNames);
    /** Static @Async method names inherited by each class of the unit, computed when needed. */
    private final Map<Tree, Set<String>> inherited = new IdentityHashMap<>();
    /** The paths of the classes around the current tree, innermost first. */
    private final Deque<TreePath> classes = new ArrayDeque<>();
    private int asyncBodies;

    UnitScanner(Trees trees, Elements elements, Diagnostics diagnostics, CompilationUnitTree unit) {
      this.trees = trees;
      this.elements = elements;
      this.diagnostics = diagnostics;
      this.unit = unit;
      this.packageName = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
      for (ImportTree i : unit.getImports()) {
        addImportedNames(i);
      }
    }

    /** The static @Async names of an imported type ({@code import a.X;}, {@code import static a.X.*;}). */
    private void addImportedNames(ImportTree i) {
      if (!(i.getQualifiedIdentifier() instanceof MemberSelectTree s)) {
        return;
      }
      String member = s.getIdentifier().toString();
      String typeName = i.isStatic() ? s.getExpression().toString() : s.toString();
      if (!i.isStatic() && member.equals("*")) {
        return; // a package: its types are not listed, for cost
      }
      TypeElement type = elements.getTypeElement(typeName);
      if (type != null) {
        addStaticAsyncNames(type, names);
      }
    }

    @Override
    public Void visitClass(ClassTree node, Void p) {
      classes.push(getCurrentPath());
      try {
        return super.visitClass(node, p);
      } finally {
        classes.pop();
      }
    }

    @Override
    public Void visitMethod(MethodTree node, Void p) {
      Element method = hasAsyncAnnotation(node) ? trees.getElement(getCurrentPath()) : null;
      boolean async = AsyncElements.isAsyncMethod(method);
      if (async) {
        asyncBodies++;
        if (isInLocalClass(method)) {
          // The round never lists these methods, so the validator cannot see them.
          diagnostics.error(node, unit, LOCAL_CLASS);
        }
      }
      try {
        return super.visitMethod(node, p);
      } finally {
        if (async) {
          asyncBodies--;
        }
      }
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree node, Void p) {
      if (asyncBodies == 0) {
        ExpressionTree select = node.getMethodSelect();
        String name = AsyncElements.methodName(select);
        if (name.equals("await")) {
          if (isAwait(resolve())) {
            diagnostics.error(node, unit, AWAIT_OUTSIDE);
          }
        } else if (mayBeTemplate(select instanceof MemberSelectTree s ? s.getExpression() : null, name)) {
          Element e = resolve();
          if (AsyncElements.isStaticAsyncMethod(e)) {
            TypeElement owner = (TypeElement) e.getEnclosingElement();
            diagnostics.error(node, unit, owner.getSimpleName() + "." + name + "(...) is an @Async"
                + " template: called directly, its body runs as plain Java, where await throws. Call "
                + generated(owner) + "." + name + "(...) instead, which returns its state machine");
          }
        }
      }
      return super.visitMethodInvocation(node, p);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree node, Void p) {
      String name = node.getName().toString();
      if (name.equals("await")) {
        if (isAwait(resolve())) {
          diagnostics.error(node, unit, AWAIT_REFERENCE);
        }
      } else if (asyncBodies == 0 && mayBeTemplate(node.getQualifierExpression(), name)) {
        Element e = resolve();
        if (AsyncElements.isStaticAsyncMethod(e)) {
          TypeElement owner = (TypeElement) e.getEnclosingElement();
          diagnostics.error(node, unit, owner.getSimpleName() + "::" + name + " refers to an @Async"
              + " template, whose body runs as plain Java, where await throws: use "
              + generated(owner) + "::" + name + " instead, which returns its state machine");
        }
      }
      return super.visitMemberReference(node, p);
    }

    private Element resolve() {
      return trees.getElement(getCurrentPath());
    }

    private boolean isAwait(Element e) {
      return e instanceof ExecutableElement
          && e.getSimpleName().contentEquals("await")
          && e.getEnclosingElement() instanceof TypeElement t
          && t.getQualifiedName().contentEquals(RuntimeNames.AIO);
    }

    /**
     * Whether a call named {@code name}, qualified by {@code qualifier} ({@code null} if unqualified),
     * may be a call of a static {@code @Async} method, judged without attributing anything.
     */
    private boolean mayBeTemplate(ExpressionTree qualifier, String name) {
      if (names.contains(name)) {
        return true;
      }
      if (qualifier == null) {
        for (TreePath c : classes) {
          if (inheritedNames(c).contains(name)) {
            return true;
          }
        }
        return false;
      }
      String last;
      if (qualifier instanceof IdentifierTree id) {
        last = id.getName().toString();
      } else if (qualifier instanceof MemberSelectTree s) {
        last = s.getIdentifier().toString();
      } else {
        return false; // a call, a new instance, a parenthesized expression... is not a type
      }
      return !last.isEmpty() && Character.isUpperCase(last.charAt(0));
    }

    /**
     * The static @Async methods a class inherits from its superclasses (which may be compiled
     * libraries). Only for top-level and member classes, whose elements javac entered before any
     * attribution; a local or anonymous class is left out.
     */
    private Set<String> inheritedNames(TreePath classPath) {
      return inherited.computeIfAbsent(classPath.getLeaf(), t -> {
        Set<String> out = new HashSet<>();
        if (((ClassTree) t).getExtendsClause() == null || !isMemberOrTopLevel(classPath)) {
          return out;
        }
        if (trees.getElement(classPath) instanceof TypeElement type) {
          for (TypeMirror s = type.getSuperclass(); s.getKind() == TypeKind.DECLARED;
              s = ((TypeElement) ((DeclaredType) s).asElement()).getSuperclass()) {
            addStaticAsyncNames((TypeElement) ((DeclaredType) s).asElement(), out);
          }
        }
        return out;
      });
    }

    private String generated(TypeElement owner) {
      ClassName name = AsyncType.generatedName(owner);
      return name.packageName().equals(packageName) ? name.simpleName() : name.canonicalName();
    }
  }

  /** Whether {@code method} is declared in a local or anonymous class, or in a class inside one. */
  private static boolean isInLocalClass(Element method) {
    for (Element e = method.getEnclosingElement(); e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
        return true;
      }
    }
    return false;
  }

  private static void addStaticAsyncNames(TypeElement type, Set<String> out) {
    for (Element m : type.getEnclosedElements()) {
      if (AsyncElements.isStaticAsyncMethod(m)) {
        out.add(m.getSimpleName().toString());
      }
    }
  }

  /** Whether a method declaration carries an annotation spelled {@code Async} (resolved afterwards). */
  private static boolean hasAsyncAnnotation(MethodTree method) {
    for (AnnotationTree a : method.getModifiers().getAnnotations()) {
      Tree type = a.getAnnotationType();
      String name = type instanceof IdentifierTree id ? id.getName().toString()
          : type instanceof MemberSelectTree s ? s.getIdentifier().toString() : "";
      if (name.equals("Async")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isMemberOrTopLevel(TreePath classPath) {
    for (TreePath p = classPath.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof CompilationUnitTree) {
        return true;
      }
      if (!(leaf instanceof ClassTree)) {
        return false; // inside a method, an initializer, a field's initializer: local or anonymous
      }
    }
    return true;
  }
}
