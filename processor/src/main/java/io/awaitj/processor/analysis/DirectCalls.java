package io.awaitj.processor.analysis;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import io.awaitj.processor.model.MachineContract;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;

/**
 * Direct calls: {@code await(m(args))} of a static {@code @Async} method {@code m} of the same class
 * whose body has no await is lowered to a plain call of {@code XAsync_m.direct(this, args)}, a static
 * method of m's machine holding m's body ({@code return done(e)} written {@code return e}), and m's
 * machine runs that same method when m is started any other way (a task, a gather). Nothing is
 * created, nothing can suspend: the await costs what a method call costs, and the awaiting body keeps
 * its locals in Java locals if it has no other await.
 *
 * <p>Which methods ({@link #isDirect}): decided from the source of m's body alone, the same for the
 * caller's lowering and m's. m is static (so no override can stand in for
 * it), returns {@code Coroutine<T>} (not a generator), is not varargs, has at most {@link
 * #MAX_PARAMETERS} parameters without '$' in their names, and its body, at most {@link #MAX_BODY}
 * characters (one state of its machine), calls no method named {@code await}, {@code emit}, {@code
 * currentTask} or {@code allTasks} (what could observe that m has no coroutine of its own), returns
 * only {@code done(...)} (Aio's: the one symbol it resolves, in m's class, which the processor has
 * javac attribute anyway), and has no lambda, method reference, local or anonymous class, enhanced
 * {@code for} (an async for, maybe), try-with-resources (an async close, maybe) or statement javac
 * finds unreachable (its error must be the only one: the lowering's {@link Reachability}). Everything else
 * keeps the await of a machine.
 *
 * <p>The direct method has no await in it, so it never calls another direct method: a direct call
 * adds one Java frame, never a chain of them (deep recursion still goes through machines, which bounce
 * to the loop).
 */
public final class DirectCalls {
  private DirectCalls() {}

  /** The name of the direct method of a machine. */
  public static final String METHOD = "direct";

  /** The most parameters of a method called directly. */
  static final int MAX_PARAMETERS = 64;

  /** The longest body (in characters of source) called directly. */
  public static final int MAX_BODY = 4000;

  /**
   * Trees that make a body ineligible: lambdas and method references (an async lambda, maybe),
   * local and anonymous classes, enhanced {@code for} (an async for, maybe).
   */
  private static final Set<Tree.Kind> EXCLUDED_TREES = java.util.EnumSet.of(Tree.Kind.LAMBDA_EXPRESSION,
      Tree.Kind.MEMBER_REFERENCE, Tree.Kind.CLASS, Tree.Kind.INTERFACE, Tree.Kind.ENUM, Tree.Kind.RECORD,
      Tree.Kind.ANNOTATION_TYPE, Tree.Kind.ENHANCED_FOR_LOOP);

  /** Names of calls that make a body ineligible (see the class comment). */
  private static final Set<String> EXCLUDED_CALLS = Set.of("await", "emit", "currentTask", "allTasks");

  /**
   * Whether {@code m} is a method whose await is a direct call: see the class comment. {@code trees}
   * finds its source.
   */
  public static boolean isDirect(Element m, Trees trees) {
    if (!(m instanceof ExecutableElement e) || !AsyncElements.isStaticAsyncMethod(e) || e.isVarArgs()
        || e.getParameters().size() > MAX_PARAMETERS) {
      return false;
    }
    if (!(e.getReturnType() instanceof DeclaredType d && d.asElement() instanceof TypeElement t
        && t.getQualifiedName().contentEquals(MachineContract.COROUTINE.canonicalName()))) {
      return false;
    }
    for (VariableElement p : e.getParameters()) {
      if (p.getSimpleName().toString().contains("$")) {
        return false;
      }
    }
    TreePath path = trees.getPath(e);
    if (path == null || !(path.getLeaf() instanceof MethodTree method) || method.getBody() == null) {
      return false;
    }
    var positions = trees.getSourcePositions();
    long start = positions.getStartPosition(path.getCompilationUnit(), method.getBody());
    long end = positions.getEndPosition(path.getCompilationUnit(), method.getBody());
    if (start < 0 || end < start || end - start > MAX_BODY) {
      return false;
    }
    boolean[] excluded = new boolean[1];
    trees.getElement(new TreePath(path, method.getBody())); // attributes m's class (once), for done's symbol
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void p) {
        if (tree != null && EXCLUDED_TREES.contains(tree.getKind())) {
          excluded[0] = true;
        }
        return excluded[0] ? null : super.scan(tree, p);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void p) {
        if (EXCLUDED_CALLS.contains(AsyncElements.methodName(node.getMethodSelect()))) {
          excluded[0] = true;
          return null;
        }
        return super.visitMethodInvocation(node, p);
      }

      @Override
      public Void visitReturn(ReturnTree node, Void p) {
        if (!(node.getExpression() instanceof MethodInvocationTree call)
            || !AsyncElements.methodName(call.getMethodSelect()).equals("done")
            || !AsyncElements.isAioMethod(trees.getElement(new TreePath(getCurrentPath(), call)), "done")) {
          excluded[0] = true; // (a done of the user's own, which returns a coroutine, is not Aio's)
          return null;
        }
        return super.visitReturn(node, p);
      }

      @Override
      public Void visitBlock(com.sun.source.tree.BlockTree node, Void p) {
        if (Reachability.hasUnreachableStatement(node.getStatements())) {
          excluded[0] = true; // javac's "unreachable statement": its error, not a second state's
          return null;
        }
        return super.visitBlock(node, p);
      }

      @Override
      public Void visitCase(com.sun.source.tree.CaseTree node, Void p) {
        if (node.getStatements() != null && Reachability.hasUnreachableStatement(node.getStatements())) {
          excluded[0] = true;
          return null;
        }
        return super.visitCase(node, p);
      }

      @Override
      public Void visitTry(TryTree node, Void p) {
        if (!node.getResources().isEmpty()) {
          excluded[0] = true;
          return null;
        }
        return super.visitTry(node, p);
      }
    }.scan(new TreePath(path, method.getBody()), null);
    return !excluded[0];
  }

  /**
   * Whether the direct method of {@code m} (a method {@link #isDirect}) returns a primitive: its
   * {@code Coroutine<B>} has a box type {@code B} ({@code Long}), and every {@code return done(e)} of
   * its body returns a primitive {@code e} (never null), as javac attributed it. Then the await of
   * m's direct call is not boxed where its value is unboxed at once ({@code sum += await(m(i))}),
   * which the JIT does not always see through; the awaiting code boxes it wherever the await's value
   * is used as a reference (see {@code CopyScan}).
   */
  public static boolean primitiveResult(Element m, Trees trees, javax.lang.model.util.Types types) {
    if (!(m instanceof ExecutableElement e) || !(e.getReturnType() instanceof DeclaredType d)
        || d.getTypeArguments().size() != 1 || !isBox(d.getTypeArguments().get(0), types)) {
      return false;
    }
    TreePath path = trees.getPath(e);
    if (path == null || !(path.getLeaf() instanceof MethodTree method) || method.getBody() == null) {
      return false;
    }
    trees.getElement(new TreePath(path, method.getBody())); // attributes the class, once
    boolean[] primitive = {true};
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitReturn(ReturnTree node, Void p) {
        if (node.getExpression() instanceof MethodInvocationTree done && done.getArguments().size() == 1) {
          javax.lang.model.type.TypeMirror t = trees.getTypeMirror(
              new TreePath(new TreePath(getCurrentPath(), done), done.getArguments().get(0)));
          primitive[0] &= t != null && t.getKind().isPrimitive();
        } else {
          primitive[0] = false; // done() of a Void, or what isDirect does not admit
        }
        return null;
      }
    }.scan(new TreePath(path, method.getBody()), null);
    return primitive[0];
  }

  /** Whether {@code t} is one of the eight box types. */
  static boolean isBox(javax.lang.model.type.TypeMirror t, javax.lang.model.util.Types types) {
    try {
      return t instanceof DeclaredType && types.unboxedType(t).getKind().isPrimitive();
    } catch (IllegalArgumentException notABox) {
      return false;
    }
  }

  /**
   * Whether {@code call}, the argument of an {@code await(...)} in a body of {@code userType}, is
   * written as a call of an eligible method of {@code userType} by its name ({@code m(...)} or {@code
   * X.m(...)}, no other receiver): then the await is a direct call.
   */
  public static boolean isDirectCall(Tree call, Element callee, TypeElement userType, Trees trees) {
    if (!(call instanceof MethodInvocationTree invocation) || callee == null || userType == null
        || !callee.getEnclosingElement().equals(userType)) {
      return false;
    }
    Tree select = invocation.getMethodSelect();
    if (!(select instanceof IdentifierTree)
        && !(select instanceof MemberSelectTree ms && isName(ms.getExpression()))) {
      return false;
    }
    return isDirect(callee, trees);
  }

  /** Whether {@code t} is a (qualified) name, as a type name is written: no call, no expression. */
  private static boolean isName(Tree t) {
    return t instanceof IdentifierTree || t instanceof MemberSelectTree ms && isName(ms.getExpression());
  }
}
