package io.awaitj.processor.misuse;

import com.palantir.javapoet.ClassName;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import io.awaitj.processor.analysis.AsyncElements;
import io.awaitj.processor.diagnostics.Diagnostics;
import io.awaitj.processor.model.AsyncType;
import io.awaitj.processor.model.MachineContract;
import java.util.Collections;
import java.util.IdentityHashMap;
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
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reports the misuses of awaitj that would otherwise compile and fail only when they run:
 *
 * <ul>
 *   <li>{@code await(...)} outside the body of an {@code @Async} method: in ordinary methods,
 *       constructors, field initializers, initializer blocks, and lambdas there. (An await inside
 *       a lambda or a local class of an {@code @Async} method is {@link io.awaitj.processor.analysis.AwaitAnalysis}'s to
 *       report.) {@code Aio::await} as a method reference is reported everywhere: it never works.
 *   <li>a call or method reference, from ordinary code, to a static {@code @Async} template
 *       {@code X.m(...)} of any class, compiled libraries included ({@code @Async} has class
 *       retention), instead of the generated {@code XAsync.m(...)}. Inside {@code @Async} bodies
 *       such calls are fine: the lowering routes them to {@code XAsync}.
 *   <li>{@code @Async} methods of local and anonymous classes (and of classes inside them), which
 *       no round lists, so that the validator never sees them.
 *   <li>{@code emit(...)} outside the body of an {@code @Async} method, and {@code finish()}
 *       anywhere but {@code return finish();} in the body of an {@code @Async} generator (except
 *       where javac reports the incompatible return itself): both throw when they run.
 * </ul>
 *
 * <p><b>When.</b> Finding out what a call denotes needs the class attributed. Attributing it
 * during annotation processing would be wrong three ways: in a round where a type it refers to
 * does not exist yet (the {@code XAsync} about to be generated, or a type another processor is
 * still to write), javac can crash later; javac throws that attribution away and does it again
 * after processing, so every class scanned would be attributed twice; and the warnings of such a
 * class are reported twice. So the scanner attributes nothing: on its first round it registers a
 * {@link TaskListener}, and scans each top-level class once javac has analysed it ({@link
 * TaskEvent.Kind#ANALYZE}), after processing, when every generated type exists and every tree
 * carries its element.
 *
 * <p>These errors therefore come after processing: when errors were reported during processing,
 * javac stops before the analysis, and these are reported by the next build. Classes that awaitj
 * generated are skipped.
 */
public final class MisuseScanner {
  static final String AWAIT_OUTSIDE =
      "await can only be used in the body of an @Async method, which awaitj compiles into a"
          + " state machine; here it is a plain call that throws IllegalStateException when it"
          + " runs. Move this code into an @Async method (returning Coroutine<T>) and call that"
          + " through its generated XAsync class; from ordinary code, run a coroutine with"
          + " Aio.run(...) instead of awaiting it";

  static final String AWAIT_REFERENCE =
      "await cannot be used as a method reference: it only works as a direct call await(...) in the"
          + " body of an @Async method, which awaitj compiles into a state machine; call it there";

  static final String FINISH_OUTSIDE =
      "finish() can be used only as 'return finish();' in the body of an @Async method declared to"
          + " return AsyncGenerator<T> (an async generator), where it ends the generator; anywhere"
          + " else (ordinary code, a Coroutine method, a lambda, a local class, a statement of its"
          + " own) it throws when it runs";

  static final String LOCAL_CLASS =
      "@Async methods are not supported in local or anonymous classes: move them to a top-level or"
          + " static nested class";

  private boolean registered;

  /** Creates a scanner; one per processor. */
  public MisuseScanner() {}

  /**
   * Called on every round ({@code round} itself is not needed); on the first, registers the scan of
   * each class after javac's analysis of it. Never throws: if the compiler offers no task to listen
   * to, nothing is scanned.
   */
  public void round(ProcessingEnvironment env, Trees trees, Diagnostics diagnostics,
      RoundEnvironment round) {
    if (registered) {
      return;
    }
    registered = true;
    JavacTask task;
    try {
      task = JavacTask.instance(env);
    } catch (RuntimeException notJavac) {
      return; // an environment wrapped by a build tool: nothing to listen to
    }
    task.addTaskListener(new Listener(trees, env.getTypeUtils(), env.getElementUtils(), diagnostics));
  }

  /** Scans each top-level class once javac has attributed it and checked its flow. */
  private static final class Listener implements TaskListener {
    private final Trees trees;
    private final Types types;
    private final Elements elements;
    private final Diagnostics diagnostics;
    private final Set<Tree> scanned = Collections.newSetFromMap(new IdentityHashMap<>());

    Listener(Trees trees, Types types, Elements elements, Diagnostics diagnostics) {
      this.trees = trees;
      this.types = types;
      this.elements = elements;
      this.diagnostics = diagnostics;
    }

    @Override
    public void finished(TaskEvent e) {
      if (e.getKind() != TaskEvent.Kind.ANALYZE || e.getTypeElement() == null
          || e.getCompilationUnit() == null) {
        return;
      }
      TypeElement type = e.getTypeElement();
      try {
        if (isGeneratedByAwaitj(type)) {
          return;
        }
        TreePath path = trees.getPath(type);
        if (path != null && scanned.add(path.getLeaf())) {
          CompilationUnitTree unit = path.getCompilationUnit();
          new ClassScanner(trees, types, elements, diagnostics, unit,
              new AsyncMistakes(trees, types, elements, unit)).scan(path, null);
        }
      } catch (Diagnostics.AbortException reported) {
        // Already reported.
      } catch (Throwable bug) {
        diagnostics.internalError(type, bug);
      }
    }
  }

  /** Whether {@code type} is a class awaitj generated (its {@code @Generated} names the processor). */
  public static boolean isGeneratedByAwaitj(TypeElement type) {
    for (AnnotationMirror a : type.getAnnotationMirrors()) {
      TypeElement at = (TypeElement) a.getAnnotationType().asElement();
      if (!at.getQualifiedName().contentEquals(io.awaitj.processor.model.MachineContract.GENERATED)) {
        continue;
      }
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v :
          a.getElementValues().entrySet()) {
        if (v.getKey().getSimpleName().contentEquals("value")
            && mentions(v.getValue().getValue())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether an annotation value ({@code "x"} or {@code {"x", ...}}) names this processor. */
  private static boolean mentions(Object value) {
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof AnnotationValue v && mentions(v.getValue())) {
          return true;
        }
      }
      return false;
    }
    return MachineContract.GENERATOR.equals(value);
  }

  /** Scans one attributed top-level class. */
  private static final class ClassScanner extends TreePathScanner<Void, Void> {
    private final Trees trees;
    private final Types types;
    private final Elements elements;
    private final Diagnostics diagnostics;
    private final CompilationUnitTree unit;
    private final String packageName;
    private final AsyncMistakes mistakes;
    /** How many @Async methods enclose the current tree (more than one: a local class in one). */
    private int asyncBodies;
    /** How many lambdas and classes inside an @Async body enclose the current tree. */
    private int nestedInAsync;

    ClassScanner(Trees trees, Types types, Elements elements, Diagnostics diagnostics,
        CompilationUnitTree unit, AsyncMistakes mistakes) {
      this.trees = trees;
      this.types = types;
      this.elements = elements;
      this.diagnostics = diagnostics;
      this.unit = unit;
      this.mistakes = mistakes;
      this.packageName = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
    }

    /** Whether the scan is in the code of an @Async body itself (not its lambdas or classes). */
    private boolean inAsyncBody() {
      return asyncBodies > 0 && nestedInAsync == 0;
    }

    @Override
    public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree node, Void p) {
      return nested(() -> super.visitLambdaExpression(node, p));
    }

    @Override
    public Void visitClass(com.sun.source.tree.ClassTree node, Void p) {
      return nested(() -> super.visitClass(node, p));
    }

    private Void nested(java.util.function.Supplier<Void> scan) {
      boolean counts = asyncBodies > 0;
      if (counts) {
        nestedInAsync++;
      }
      try {
        return scan.get();
      } finally {
        if (counts) {
          nestedInAsync--;
        }
      }
    }

    @Override
    public Void visitExpressionStatement(com.sun.source.tree.ExpressionStatementTree node, Void p) {
      mistakes.statement(getCurrentPath(), node);
      if (inAsyncBody() && AsyncMistakes.isLoopStatement(getCurrentPath())) {
        mistakes.loopStatement(getCurrentPath());
      }
      return super.visitExpressionStatement(node, p);
    }

    @Override
    public Void visitVariable(com.sun.source.tree.VariableTree node, Void p) {
      if (inAsyncBody() && AsyncMistakes.isLoopStatement(getCurrentPath())) {
        mistakes.loopStatement(getCurrentPath());
      }
      return super.visitVariable(node, p);
    }

    @Override
    public Void visitMethod(MethodTree node, Void p) {
      Element method = hasAsyncAnnotation(node) ? trees.getElement(getCurrentPath()) : null;
      boolean async = AsyncElements.isAsyncMethod(method);
      if (async) {
        asyncBodies++;
        if (isInLocalClass(method)) {
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
      if (inAsyncBody()) {
        mistakes.callInAsyncBody(getCurrentPath());
      }
      if (node.getArguments().isEmpty() && AsyncElements.methodName(node.getMethodSelect()).equals("finish")
          && isAioMethod(trees.getElement(getCurrentPath()), "finish") && !endsAGenerator()) {
        diagnostics.error(node, unit, FINISH_OUTSIDE);
      }
      if (asyncBodies == 0) {
        Element e = trees.getElement(getCurrentPath());
        if (isAwait(e)) {
          diagnostics.error(node, unit, AWAIT_OUTSIDE);
        } else if (isAioMethod(e, "emit")) {
          diagnostics.error(node, unit, "emit(...) can be used only in the body of an @Async method"
              + " declared to return AsyncGenerator<T> (an async generator), where it hands a value to"
              + " the loop that iterates the generator; here it would throw");
        } else if (AsyncElements.isStaticAsyncMethod(e)) {
          TypeElement owner = (TypeElement) e.getEnclosingElement();
          String name = e.getSimpleName().toString();
          diagnostics.error(node, unit, owner.getSimpleName() + "." + name + "(...) is an @Async"
              + " template: called directly, its body runs as plain Java, where await throws. Call "
              + generated(owner) + "." + name + "(...) instead, which returns its state machine");
        }
      }
      return super.visitMethodInvocation(node, p);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree node, Void p) {
      Element e = trees.getElement(getCurrentPath());
      if (isAwait(e)) {
        diagnostics.error(node, unit, AWAIT_REFERENCE);
      } else if (asyncBodies == 0 && AsyncElements.isStaticAsyncMethod(e)) {
        TypeElement owner = (TypeElement) e.getEnclosingElement();
        String name = e.getSimpleName().toString();
        diagnostics.error(node, unit, owner.getSimpleName() + "::" + name + " refers to an @Async"
            + " template, whose body runs as plain Java, where await throws: use "
            + generated(owner) + "::" + name + " instead, which returns its state machine");
      }
      return super.visitMemberReference(node, p);
    }

    /**
     * Whether the current call, {@code Aio.finish()}, ends an {@code @Async} generator as it should,
     * {@code return finish();} in its own body; or is returned where javac reports the incompatible
     * type itself (a {@code Coroutine} method's {@code return finish();}), so that one error is enough.
     */
    private boolean endsAGenerator() {
      TreePath parent = getCurrentPath().getParentPath();
      while (parent.getLeaf() instanceof com.sun.source.tree.ParenthesizedTree) {
        parent = parent.getParentPath();
      }
      if (!(parent.getLeaf() instanceof com.sun.source.tree.ReturnTree)) {
        return false;
      }
      for (TreePath up = parent; up != null; up = up.getParentPath()) {
        Tree leaf = up.getLeaf();
        if (leaf instanceof com.sun.source.tree.LambdaExpressionTree
            || leaf instanceof com.sun.source.tree.ClassTree) {
          return false; // returned by a lambda or by a method of a local class: never a generator's end
        }
        if (leaf instanceof MethodTree) {
          Element method = trees.getElement(up);
          if (!(method instanceof ExecutableElement m)) {
            return false;
          }
          if (AsyncElements.isAsyncMethod(m) && AsyncElements.generatedType(m.getReturnType()) != null) {
            return true;
          }
          // An AsyncGenerator the method's type cannot hold is javac's "incompatible types" error.
          return !isAsyncGeneratorAssignableTo(m.getReturnType());
        }
      }
      return false;
    }

    /** Whether a value of type {@code AsyncGenerator} may be returned as {@code t}. */
    private boolean isAsyncGeneratorAssignableTo(javax.lang.model.type.TypeMirror t) {
      TypeElement generator = elements.getTypeElement(MachineContract.ASYNC_GENERATOR.canonicalName());
      return generator == null || t.getKind() == javax.lang.model.type.TypeKind.TYPEVAR
          || types.isAssignable(types.erasure(generator.asType()), types.erasure(t));
    }

    /** How to name {@code owner}'s generated class here: simple in its package, else qualified. */
    private String generated(TypeElement owner) {
      ClassName name = AsyncType.generatedName(owner);
      return name.packageName().equals(packageName) ? name.simpleName() : name.canonicalName();
    }
  }

  static boolean isAioMethod(Element e, String name) {
    return e instanceof ExecutableElement
        && e.getSimpleName().contentEquals(name)
        && e.getEnclosingElement() instanceof TypeElement t
        && t.getQualifiedName().contentEquals(MachineContract.AIO);
  }

  private static boolean isAwait(Element e) {
    return e instanceof ExecutableElement
        && e.getSimpleName().contentEquals("await")
        && e.getEnclosingElement() instanceof TypeElement t
        && t.getQualifiedName().contentEquals(MachineContract.AIO);
  }

  /** Whether {@code method} is declared in a local or anonymous class, or in a class inside one. */
  private static boolean isInLocalClass(Element method) {
    for (Element e = method.getEnclosingElement(); e instanceof TypeElement t;
        e = e.getEnclosingElement()) {
      if (t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
        return true;
      }
    }
    return false;
  }

  /** Whether a method has an annotation spelled {@code Async} (what it denotes is checked next). */
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
}
