package io.awaitj.processor.analysis;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import io.awaitj.processor.diagnostics.Diagnostics;
import io.awaitj.processor.model.MachineContract;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Finds the await points of an {@code @Async} body and marks every tree that contains one, so the
 * lowering knows what to break into states and what to copy as it is.
 *
 * <p>An await point is a call of {@code Aio.await(...)}, or a {@code return} of a coroutine other than
 * {@code done(...)} (a delegation: the method's result is that coroutine's). An await inside a lambda,
 * a local or anonymous class, or a {@code synchronized} block is reported as an error at the await. The
 * second argument of {@code await(x, IOException.class)} must be a class literal: it only declares the
 * exception, and the machine drops it. An {@code await(m(...))} that is a direct call ({@link
 * DirectCalls}) is no await point: it is recorded ({@link #directAwait}) and copied as a call.
 */
public final class AwaitAnalysis {
  private final Set<Tree> containing = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Tree> delegatingReturns = Collections.newSetFromMap(new IdentityHashMap<>());
  private final java.util.List<TreePath> asyncLambdas = new java.util.ArrayList<>();
  private int awaitCount;
  /** The direct awaits (see {@link DirectCalls}), with the machine of the method each calls. */
  private final java.util.Map<Tree, com.palantir.javapoet.ClassName> directAwaits = new IdentityHashMap<>();

  /**
   * The machine whose direct method {@code tree}, an {@code await(m(...))}, calls instead of awaiting
   * (see {@link DirectCalls}): such an await is no await point. Null for any other tree.
   */
  public com.palantir.javapoet.ClassName directAwait(Tree tree) {
    return directAwaits.get(tree);
  }

  /** The direct awaits whose direct method returns a primitive ({@link DirectCalls#primitiveResult}). */
  private final Set<Tree> primitiveDirectAwaits = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Whether {@code tree}, a direct await, calls a direct method that returns a primitive. */
  public boolean isPrimitiveDirectAwait(Tree tree) {
    return primitiveDirectAwaits.contains(tree);
  }

  /** Whether {@code tree} is, or contains, an await point. */
  public boolean containsAwait(Tree tree) {
    return tree != null && containing.contains(tree);
  }

  /** Whether {@code tree} is a {@code return} that delegates to another coroutine. */
  public boolean isDelegatingReturn(Tree tree) {
    return delegatingReturns.contains(tree);
  }

  /**
   * Whether the body calls a method javac could not resolve (a missing import, a typo), or uses an
   * instance member in a static method: javac reports it, and the body is not compiled, so that its
   * error is the only one.
   */
  public boolean isErroneous() {
    return erroneous;
  }

  private boolean erroneous;

  /** How many await points the body has. */
  public int awaitCount() {
    return awaitCount;
  }

  /** Analyses {@code method}'s body; errors go to {@code diagnostics}. */
  public static AwaitAnalysis of(TreePath methodPath, AsyncElements elements, Diagnostics diagnostics) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    if (method.getBody() == null) {
      // "missing method body": javac reports it.
      AwaitAnalysis none = new AwaitAnalysis();
      none.erroneous = true;
      return none;
    }
    TreePath body = new TreePath(methodPath, method.getBody());
    elements.attributeAround(body);
    Element m = elements.element(methodPath);
    javax.lang.model.type.TypeMirror generated = m instanceof javax.lang.model.element.ExecutableElement e
        ? AsyncElements.generatedType(e.getReturnType()) : null;
    return ofBody(body, elements, diagnostics, generated);
  }

  /**
   * Whether the body is a generator's (a method declared to return {@code AsyncGenerator<T>}): it
   * emits, and returns with {@code return finish();}.
   */
  public boolean isGenerator() {
    return generator;
  }

  private boolean generator;

  /**
   * Analyses a body: a method's block, or an async lambda's block or expression. Async lambdas inside
   * it are recorded, not entered: each is analysed as a body of its own.
   */
  public static AwaitAnalysis ofBody(TreePath bodyPath, AsyncElements elements, Diagnostics diagnostics) {
    return ofBody(bodyPath, elements, diagnostics, null);
  }

  /**
   * As {@link #ofBody(TreePath, AsyncElements, Diagnostics)}, for the body of a generator emitting
   * values of type {@code generated} (null: not a generator).
   */
  public static AwaitAnalysis ofBody(TreePath bodyPath, AsyncElements elements, Diagnostics diagnostics,
      javax.lang.model.type.TypeMirror generated) {
    AwaitAnalysis a = new AwaitAnalysis();
    a.generator = generated != null;
    Scanner scanner = new Scanner(
        a, bodyPath.getCompilationUnit(), elements, diagnostics, bodyPath.getParentPath().getLeaf());
    scanner.generated = generated;
    scanner.staticContext = isInStaticMethod(bodyPath);
    scanner.scan(bodyPath, null);
    return a;
  }

  /** Whether the innermost method around {@code path} (in its own class) is static. */
  private static boolean isInStaticMethod(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree m) {
        return m.getModifiers().getFlags().contains(Modifier.STATIC);
      }
      if (p.getLeaf() instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  /** The async lambdas of the body (lambdas whose function returns a Coroutine and that await). */
  public java.util.List<TreePath> asyncLambdas() {
    return asyncLambdas;
  }

  /** Whether {@code lambda} is one of the body's async lambdas. */
  public boolean isAsyncLambda(Tree lambda) {
    for (TreePath p : asyncLambdas) {
      if (p.getLeaf() == lambda) {
        return true;
      }
    }
    return false;
  }

  /** Whether a lambda's body awaits (directly, not in nested lambdas or classes). */
  private static final class AwaitScan extends TreePathScanner<Boolean, Void> {
    private final AsyncElements elements;

    private AwaitScan(AsyncElements elements) {
      this.elements = elements;
    }

    static boolean awaits(LambdaExpressionTree lambda, TreePath path, AsyncElements elements) {
      return Boolean.TRUE.equals(new AwaitScan(elements).scan(new TreePath(path, lambda.getBody()), null));
    }

    @Override
    public Boolean visitLambdaExpression(LambdaExpressionTree node, Void p) {
      return false;
    }

    @Override
    public Boolean visitClass(ClassTree node, Void p) {
      return false;
    }

    @Override
    public Boolean visitMethodInvocation(MethodInvocationTree node, Void p) {
      if (AsyncElements.methodName(node.getMethodSelect()).equals("await")
          && elements.isAwait(getCurrentPath())) {
        return true;
      }
      return super.visitMethodInvocation(node, p);
    }

    @Override
    public Boolean reduce(Boolean a, Boolean b) {
      return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
    }
  }

  private static final class Scanner extends TreePathScanner<Void, Void> {
    private final AwaitAnalysis result;
    private final CompilationUnitTree unit;
    private final AsyncElements elements;
    private final Diagnostics diagnostics;
    private final Tree method;
    private int lambdas;
    private int classes;
    private int synchronizedBlocks;
    /** Whether the body is in a static method, where instance members of the class are errors. */
    private boolean staticContext;
    /** The type of the values the body emits, if it is a generator's; else null. */
    private javax.lang.model.type.TypeMirror generated;

    Scanner(AwaitAnalysis result, CompilationUnitTree unit, AsyncElements elements,
        Diagnostics diagnostics, Tree method) {
      this.result = result;
      this.unit = unit;
      this.elements = elements;
      this.diagnostics = diagnostics;
      this.method = method;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree node, Void p) {
      if (lambdas == 0 && classes == 0 && elements.returnsCoroutine(getCurrentPath())
          && AwaitScan.awaits(node, getCurrentPath(), elements)) {
        // An async lambda: compiled into a state machine of its own.
        result.asyncLambdas.add(getCurrentPath());
        return null;
      }
      lambdas++;
      try {
        return super.visitLambdaExpression(node, p);
      } finally {
        lambdas--;
      }
    }

    /**
     * Annotations hold constants only (no await can be in one); javac names the element of a
     * single-element annotation ({@code @A("x")} is {@code @A(value = "x")}), which is no use of an
     * instance member.
     */
    @Override
    public Void visitAnnotation(com.sun.source.tree.AnnotationTree node, Void p) {
      return null;
    }

    @Override
    public Void visitClass(ClassTree node, Void p) {
      classes++;
      try {
        return super.visitClass(node, p);
      } finally {
        classes--;
      }
    }

    @Override
    public Void visitSynchronized(SynchronizedTree node, Void p) {
      synchronizedBlocks++;
      try {
        return super.visitSynchronized(node, p);
      } finally {
        synchronizedBlocks--;
      }
    }

    @Override
    public Void visitTry(com.sun.source.tree.TryTree node, Void p) {
      super.visitTry(node, p);
      if (lambdas == 0 && classes == 0) {
        for (Tree r : node.getResources()) {
          TreePath rp = new TreePath(getCurrentPath(), r);
          javax.lang.model.type.TypeMirror t = r instanceof com.sun.source.tree.VariableTree
              ? elements.element(rp) == null ? null : elements.element(rp).asType()
              : elements.typeOf(rp);
          if (AsyncElements.isSubtypeNamed(t, MachineContract.ASYNC_CLOSEABLE.canonicalName())) {
            if (synchronizedBlocks > 0) {
              diagnostics.error(node, unit, "closing an AsyncCloseable awaits, so its try-with-resources"
                  + " cannot be inside 'synchronized'; use io.awaitj.sync.Lock");
            }
            mark(getCurrentPath()); // async with: the close is awaited
            break;
          }
        }
      }
      return null;
    }

    @Override
    public Void visitEnhancedForLoop(com.sun.source.tree.EnhancedForLoopTree node, Void p) {
      super.visitEnhancedForLoop(node, p);
      if (lambdas == 0 && classes == 0
          && elements.isAsyncIterable(new TreePath(getCurrentPath(), node.getExpression()))) {
        if (synchronizedBlocks > 0) {
          diagnostics.error(node, unit, "a for loop over an AsyncIterable awaits each element, so it"
              + " cannot be inside 'synchronized'; use io.awaitj.sync.Lock");
        }
        mark(getCurrentPath()); // async for: each step is an await
      }
      return null;
    }

    @Override
    public Void visitReturn(ReturnTree node, Void p) {
      super.visitReturn(node, p);
      if (generated != null && lambdas == 0 && classes == 0 && node.getExpression() != null) {
        if (!elements.isFinish(new TreePath(getCurrentPath(), node.getExpression()))) {
          diagnostics.error(node, unit, "an @Async generator ends with 'return finish();' (Aio.finish):"
              + " it returns no value, and cannot delegate to another generator; to emit another"
              + " generator's values, iterate it: for (T x : other) emit(x);");
        }
        return null;
      }
      if (lambdas == 0 && classes == 0 && node.getExpression() != null) {
        TreePath expr = new TreePath(getCurrentPath(), node.getExpression());
        if (!elements.isDone(expr)
            && !AsyncElements.isSubtypeNamed(elements.typeOf(expr), MachineContract.COROUTINE.canonicalName())
            && node.getExpression().getKind() != Tree.Kind.NULL_LITERAL) {
          result.erroneous = true; // not a coroutine: javac reports the incompatible return
          return null;
        }
        if (!elements.isDone(expr)) {
          if (synchronizedBlocks > 0) {
            diagnostics.error(node, unit, "a return that delegates to another coroutine cannot be"
                + " inside 'synchronized': it awaits; use io.awaitj.sync.Lock");
          }
          result.delegatingReturns.add(node);
          mark(getCurrentPath());
        }
      }
      return null;
    }

    /**
     * In a static method, {@code this}, {@code super} and the class's instance members are errors
     * javac reports; the types javac gives them anyway must not reach the lowering.
     */
    @Override
    public Void visitIdentifier(IdentifierTree node, Void p) {
      if (staticContext && classes == 0) {
        String name = node.getName().toString();
        Element e = name.equals("this") || name.equals("super") ? null : elements.element(getCurrentPath());
        if (e == null || (e.getKind() == ElementKind.FIELD || e.getKind() == ElementKind.METHOD)
            && !e.getModifiers().contains(Modifier.STATIC)
            && (e.getEnclosingElement().getKind().isClass()
                || e.getEnclosingElement().getKind().isInterface())) {
          result.erroneous = true;
        }
      }
      return super.visitIdentifier(node, p);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree node, Void p) {
      super.visitMethodInvocation(node, p);
      if (classes == 0 && elements.element(getCurrentPath()) == null) {
        result.erroneous = true;
        return null;
      }
      if (AsyncElements.methodName(node.getMethodSelect()).equals("emit")
          && elements.isEmit(getCurrentPath())) {
        emit(node);
        return null;
      }
      if (AsyncElements.methodName(node.getMethodSelect()).equals("await")
          && elements.isAwait(getCurrentPath())) {
        if (lambdas > 0) {
          diagnostics.error(node, unit, "await cannot be used inside this lambda: only a lambda whose"
              + " function returns a Coroutine (an async lambda, e.g. a Supplier<Coroutine<T>>) can"
              + " await, and it must end with 'return done(value);'; or make the lambda's work an"
              + " @Async method");
        } else if (classes > 0) {
          diagnostics.error(node, unit, "await cannot be used inside a local or anonymous class:"
              + " its methods are not @Async; move the code to an @Async method");
        } else if (synchronizedBlocks > 0) {
          diagnostics.error(node, unit, "await cannot be used inside 'synchronized': a coroutine"
              + " suspends and resumes on the loop thread, where a monitor means nothing; use"
              + " io.awaitj.sync.Lock");
        } else {
          if (node.getArguments().size() == 2 && !isClassLiteral(node.getArguments().get(1))) {
            diagnostics.error(node.getArguments().get(1), unit, "the second argument of await must be a"
                + " class literal, such as IOException.class: it only names the checked exception the"
                + " await may throw, and is never evaluated");
          }
          com.palantir.javapoet.ClassName direct = direct(node);
          if (direct != null) {
            result.directAwaits.put(node, direct); // a plain call: no await point (see DirectCalls)
            if (DirectCalls.primitiveResult(elements.element(new TreePath(getCurrentPath(),
                node.getArguments().get(0))), elements.trees(), elements.types())) {
              result.primitiveDirectAwaits.add(node);
            }
          } else {
            mark(getCurrentPath());
          }
        }
      }
      return null;
    }

    /**
     * The machine of the method that {@code await}, an {@code await(m(...))} with one argument and no
     * await in it, calls directly; null if it is an await as any other.
     */
    private com.palantir.javapoet.ClassName direct(MethodInvocationTree await) {
      if (await.getArguments().size() != 1 || result.containing.contains(await.getArguments().get(0))) {
        return null;
      }
      Tree call = await.getArguments().get(0);
      Element callee = elements.element(new TreePath(getCurrentPath(), call));
      TypeElement userType = null;
      for (TreePath p = getCurrentPath(); p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree) {
          userType = elements.element(p) instanceof TypeElement t ? t : null;
          break;
        }
      }
      if (!DirectCalls.isDirectCall(call, callee, userType, elements.trees())) {
        return null;
      }
      java.util.List<javax.lang.model.element.ExecutableElement> methods = new java.util.ArrayList<>();
      for (Element e : userType.getEnclosedElements()) {
        if (AsyncElements.isAsyncMethod(e)) {
          methods.add((javax.lang.model.element.ExecutableElement) e);
        }
      }
      return io.awaitj.processor.model.AsyncType.of(userType, methods)
          .machineOf((javax.lang.model.element.ExecutableElement) callee);
    }

    /** A call of {@code Aio.emit(x)}: checked, and marked as a suspension point. */
    private void emit(MethodInvocationTree node) {
      if (generated == null) {
        diagnostics.error(node, unit, "emit(...) can be used only in the body of an @Async generator,"
            + " a method declared to return AsyncGenerator<T> (not in an async lambda, nor in a"
            + " method that returns a Coroutine)");
      } else if (lambdas > 0) {
        diagnostics.error(node, unit, "emit(...) cannot be used inside a lambda: only the generator's"
            + " own body emits; iterate in the body itself");
      } else if (classes > 0) {
        diagnostics.error(node, unit, "emit(...) cannot be used inside a local or anonymous class:"
            + " only the generator's own body emits");
      } else if (synchronizedBlocks > 0) {
        diagnostics.error(node, unit, "emit(...) cannot be used inside 'synchronized': the generator"
            + " pauses there until its consumer asks for the next value; use io.awaitj.sync.Lock");
      } else if (getCurrentPath().getParentPath().getLeaf().getKind() != Tree.Kind.EXPRESSION_STATEMENT) {
        diagnostics.error(node, unit, "emit(...) must be a statement of its own");
      } else {
        TreePath arg = new TreePath(getCurrentPath(), node.getArguments().get(0));
        javax.lang.model.type.TypeMirror t = elements.typeOf(arg);
        javax.lang.model.util.Types types = elements.types();
        if (t != null && t.getKind() != javax.lang.model.type.TypeKind.ERROR
            && generated.getKind() != javax.lang.model.type.TypeKind.ERROR
            && !types.isAssignable(t, generated)) {
          diagnostics.error(node.getArguments().get(0), unit, "emit(...) of a " + t + " in a generator"
              + " of " + generated + ": this generator, declared AsyncGenerator<" + generated + ">,"
              + " can emit only values of type " + generated);
        } else {
          mark(getCurrentPath());
        }
      }
    }

    /** Whether {@code tree} is {@code T.class}. */
    private static boolean isClassLiteral(Tree tree) {
      return tree instanceof com.sun.source.tree.MemberSelectTree s && s.getIdentifier().contentEquals("class");
    }

    private void mark(TreePath path) {
      result.awaitCount++;
      for (TreePath p = path; p != null && p.getLeaf() != method; p = p.getParentPath()) {
        result.containing.add(p.getLeaf());
      }
    }
  }
}
