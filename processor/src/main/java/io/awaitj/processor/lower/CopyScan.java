package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.AssertTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BindingPatternTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * One walk over code being copied, collecting the edits its rewrites ask for: {@link JumpRewrites}
 * ({@code break}, {@code continue}, {@code yield}, {@code return} that leave the copied code), {@link
 * NameRewrites} (locals that became fields, {@code this}, types, static members), {@link
 * PrivateRewrites} (the user type's private members) and {@link AssertRewrite}. It knows where the walk
 * is (inside a lambda or a local or anonymous class, whose bodies keep their own jumps and names) and
 * how to record an edit; the rewrites decide what to write.
 */
final class CopyScan extends TreePathScanner<Void, Void> {
  /** A replacement of the text from {@code start} to {@code end}. */
  record Edit(int start, int end, CodeBlock code) {}

  final Verbatim verbatim;
  final Verbatim.Context context;
  final Source source;
  /** Variables (declarations and uses) written with these names instead of their fields. */
  final Map<Element, String> renamed;
  private final List<Edit> edits;
  private final int chunkStart;
  private final int chunkEnd;
  private final JumpRewrites jumps;
  private final NameRewrites names;
  private final PrivateRewrites privates;
  /** The local and anonymous classes around the code being scanned, innermost first. */
  private final Deque<TypeElement> classes = new ArrayDeque<>();
  private int lambdas;

  CopyScan(Verbatim verbatim, Source source, Verbatim.Context context, List<Edit> edits, int chunkStart,
      int chunkEnd, Map<Element, String> renamed) {
    this.verbatim = verbatim;
    this.source = source;
    this.context = context;
    this.edits = edits;
    this.chunkStart = chunkStart;
    this.chunkEnd = chunkEnd;
    this.renamed = renamed;
    this.jumps = new JumpRewrites(this);
    this.names = new NameRewrites(this);
    this.privates = new PrivateRewrites(this);
  }

  // ---------------------------------------------------------------------------------------------
  // What the rewrites use.

  /** Replaces the text of {@code tree} (if it lies in the copied range and javac did not make it up). */
  void replace(Tree tree, CodeBlock code) {
    SourcePositions p = source.trees.getSourcePositions();
    int s = (int) p.getStartPosition(source.unit, tree);
    int e = (int) p.getEndPosition(source.unit, tree);
    // Trees javac made up (the implicit members of a record) have no end position: not in the text.
    if (s >= chunkStart && e <= chunkEnd && s >= 0 && e >= s) {
      edits.add(new Edit(s, e, code));
    }
  }

  /** Replaces the text from {@code start} to {@code end}, if it lies in the copied range. */
  void replaceRange(int start, int end, CodeBlock code) {
    if (start >= chunkStart && end <= chunkEnd) {
      edits.add(new Edit(start, end, code));
    }
  }

  void insertBefore(Tree tree, CodeBlock code) {
    int s = (int) source.trees.getSourcePositions().getStartPosition(source.unit, tree);
    if (s >= chunkStart) {
      edits.add(new Edit(s, s, code));
    }
  }

  /**
   * A copy of the tree at {@code path}, which lies in the code this scan copies (with its own edits,
   * made as they are here: inside this scan's lambdas and classes).
   */
  CodeBlock copy(TreePath path) {
    return verbatim.copyWithin(path, this);
  }

  /** Starts this scan where {@code outer} is: inside its lambdas and local and anonymous classes. */
  void enterAs(CopyScan outer) {
    lambdas = outer.lambdas;
    classes.addAll(outer.classes);
    wrapping = outer.wrapping;
  }

  /** The call {@link NameRewrites#guardedStaticTemplate} is copying inside its wrapper, if any. */
  Tree wrapping;

  PrivateRewrites privates() {
    return privates;
  }

  /** Whether the scan is inside a lambda or a local or anonymous class of the copied code. */
  boolean inNestedBody() {
    return lambdas > 0 || !classes.isEmpty();
  }

  /** The local or anonymous classes around the scan, innermost first. */
  Deque<TypeElement> classes() {
    return classes;
  }

  Element element(TreePath path) {
    return source.trees.getElement(path);
  }

  /** The element at child {@code child} of the current path. */
  Element elementOf(Tree child) {
    return source.trees.getElement(new TreePath(getCurrentPath(), child));
  }

  /**
   * Skips trees wholly outside the copied range (a switch's pattern label is copied from its case,
   * whose body must not be rewritten then: its jumps would be resolved against the wrong targets).
   */
  @Override
  public Void scan(Tree tree, Void p) {
    if (tree != null) {
      SourcePositions positions = source.trees.getSourcePositions();
      long start = positions.getStartPosition(source.unit, tree);
      long end = positions.getEndPosition(source.unit, tree);
      if (start >= 0 && end >= 0 && (start >= chunkEnd || end <= chunkStart)) {
        return null;
      }
    }
    return super.scan(tree, p);
  }

  // ---------------------------------------------------------------------------------------------
  // Breakable statements inside the copied code (their jumps stay as they are).

  @Override
  public Void visitLabeledStatement(LabeledStatementTree node, Void p) {
    return jumps.labeled(node, () -> {
      // The labelled loop or switch is the same breakable: scan its parts without pushing again.
      Tree s = node.getStatement();
      TreePath path = new TreePath(getCurrentPath(), s);
      if (JumpRewrites.isBreakable(s)) {
        for (Tree child : JumpRewrites.children(s)) {
          if (child != null) {
            scan(new TreePath(path, child), null);
          }
        }
        return null;
      }
      return scan(path, null);
    });
  }

  @Override
  public Void visitWhileLoop(WhileLoopTree node, Void p) {
    return jumps.loop(() -> super.visitWhileLoop(node, p));
  }

  @Override
  public Void visitDoWhileLoop(DoWhileLoopTree node, Void p) {
    return jumps.loop(() -> super.visitDoWhileLoop(node, p));
  }

  @Override
  public Void visitForLoop(ForLoopTree node, Void p) {
    return jumps.loop(() -> super.visitForLoop(node, p));
  }

  @Override
  public Void visitEnhancedForLoop(EnhancedForLoopTree node, Void p) {
    return jumps.loop(() -> super.visitEnhancedForLoop(node, p));
  }

  @Override
  public Void visitSwitch(SwitchTree node, Void p) {
    return jumps.switchStatement(() -> super.visitSwitch(node, p));
  }

  @Override
  public Void visitSwitchExpression(SwitchExpressionTree node, Void p) {
    return jumps.switchExpression(() -> super.visitSwitchExpression(node, p));
  }

  // ---------------------------------------------------------------------------------------------
  // Jumps.

  @Override
  public Void visitYield(YieldTree node, Void p) {
    return jumps.yield(node) ? null : super.visitYield(node, p);
  }

  @Override
  public Void visitBreak(BreakTree node, Void p) {
    jumps.breakOut(node);
    return null;
  }

  @Override
  public Void visitContinue(ContinueTree node, Void p) {
    jumps.continueOut(node);
    return null;
  }

  @Override
  public Void visitReturn(ReturnTree node, Void p) {
    return jumps.returnOut(node) ? null : super.visitReturn(node, p);
  }

  // ---------------------------------------------------------------------------------------------
  // Nested bodies.

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree node, Void p) {
    if (!inNestedBody() && context.isAsyncLambda(node)) {
      replace(node, context.asyncLambda(getCurrentPath()));
      return null;
    }
    return nested(() -> super.visitLambdaExpression(node, p), null);
  }

  @Override
  public Void visitClass(ClassTree node, Void p) {
    if (element(getCurrentPath()) instanceof TypeElement t) {
      return nested(() -> super.visitClass(node, p), t);
    }
    return super.visitClass(node, p);
  }

  /** Scans a lambda ({@code type} null) or a class's body. */
  private Void nested(Supplier<Void> scan, TypeElement type) {
    if (type == null) {
      lambdas++;
    } else {
      classes.push(type);
    }
    try {
      return scan.get();
    } finally {
      if (type == null) {
        lambdas--;
      } else {
        classes.pop();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Names, private members, asserts.

  @Override
  public Void visitIdentifier(IdentifierTree node, Void p) {
    names.identifier(node, getCurrentPath());
    return null;
  }

  @Override
  public Void visitMemberSelect(MemberSelectTree node, Void p) {
    String id = node.getIdentifier().toString();
    if (id.equals("this") || id.equals("super")) {
      return names.qualifiedThisOrSuper(node) ? null : super.visitMemberSelect(node, p);
    }
    if (privates.memberSelect(node) || names.staticTemplate(node)) {
      return null;
    }
    return super.visitMemberSelect(node, p);
  }

  @Override
  public Void visitMemberReference(MemberReferenceTree node, Void p) {
    if (privates.memberReference(node) || names.staticTemplateReference(node)) {
      return null;
    }
    return super.visitMemberReference(node, p);
  }

  @Override
  public Void visitNewClass(NewClassTree node, Void p) {
    names.innerClassCreation(node);
    return super.visitNewClass(node, p);
  }

  @Override
  public Void visitBindingPattern(BindingPatternTree node, Void p) {
    if (names.renamedBinding(node)) {
      scan(node.getVariable().getType(), p);
      return null;
    }
    return super.visitBindingPattern(node, p);
  }

  @Override
  public Void visitInstanceOf(InstanceOfTree node, Void p) {
    return names.boundPattern(node) ? null : super.visitInstanceOf(node, p);
  }

  @Override
  public Void visitTry(TryTree node, Void p) {
    names.resourceAliases(node);
    return super.visitTry(node, p);
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree node, Void p) {
    com.palantir.javapoet.ClassName direct = source.analysis.directAwait(node);
    if (direct != null && !inNestedBody()) {
      replace(node, directCall(direct, node));
      return null;
    }
    if (privates.invocation(node)) {
      return null;
    }
    return names.guardedStaticTemplate(node) ? null : super.visitMethodInvocation(node, p);
  }

  /**
   * {@code await(m(args))} of a method called directly (see {@code DirectCalls}): {@code
   * XAsync_m.direct(this, args)}, the machine ({@code this}) being the awaiting coroutine; the
   * arguments (and explicit type arguments) copied as usual.
   */
  private CodeBlock directCall(com.palantir.javapoet.ClassName machine, MethodInvocationTree await) {
    TreePath callPath = new TreePath(getCurrentPath(), await.getArguments().get(0));
    MethodInvocationTree call = (MethodInvocationTree) callPath.getLeaf();
    CodeBlock.Builder b = CodeBlock.builder().add("$T.", machine);
    if (!call.getTypeArguments().isEmpty()) {
      List<CodeBlock> types = new java.util.ArrayList<>();
      for (Tree t : call.getTypeArguments()) {
        types.add(copy(new TreePath(callPath, t)));
      }
      b.add("<$L>", CodeBlock.join(types, ", "));
    }
    b.add("$L(this", io.awaitj.processor.analysis.DirectCalls.METHOD);
    for (Tree a : call.getArguments()) {
      b.add(", $L", copy(new TreePath(callPath, a)));
    }
    CodeBlock direct = b.add(")").build();
    if (!source.analysis.isPrimitiveDirectAwait(await) || unboxedAtOnce(getCurrentPath())) {
      return direct;
    }
    // The direct method returns the primitive: boxed as the await's value was, where it is used as a
    // reference (an Object argument, ==, a var, a generic call's inference).
    javax.lang.model.type.TypeMirror result =
        ((javax.lang.model.type.DeclaredType) ((javax.lang.model.element.ExecutableElement)
            element(callPath)).getReturnType()).getTypeArguments().get(0);
    return CodeBlock.of("$T.valueOf($L)", com.palantir.javapoet.TypeName.get(result), direct);
  }

  /**
   * Whether the value of the expression at {@code path} is unboxed as soon as it is computed, where a
   * primitive in its place means the same: the value of a compound assignment, an operand of an
   * arithmetic, shift, bitwise or relational operator (of {@code ==} and {@code !=} only beside a
   * primitive), of a unary operator, or the value of an assignment or initializer of a variable of
   * a primitive type (a {@code var} has the box type).
   */
  private boolean unboxedAtOnce(TreePath path) {
    TreePath p = path;
    while (p.getParentPath().getLeaf() instanceof com.sun.source.tree.ParenthesizedTree) {
      p = p.getParentPath();
    }
    Tree child = p.getLeaf();
    Tree parent = p.getParentPath().getLeaf();
    if (parent instanceof CompoundAssignmentTree c) {
      return c.getExpression() == child;
    }
    if (parent instanceof UnaryTree u) {
      return u.getKind() == Tree.Kind.UNARY_MINUS || u.getKind() == Tree.Kind.UNARY_PLUS
          || u.getKind() == Tree.Kind.BITWISE_COMPLEMENT || u.getKind() == Tree.Kind.LOGICAL_COMPLEMENT;
    }
    if (parent instanceof com.sun.source.tree.BinaryTree bin) {
      if (bin.getKind() == Tree.Kind.EQUAL_TO || bin.getKind() == Tree.Kind.NOT_EQUAL_TO) {
        Tree other = bin.getLeftOperand() == child ? bin.getRightOperand() : bin.getLeftOperand();
        javax.lang.model.type.TypeMirror t = source.trees.getTypeMirror(new TreePath(p.getParentPath(), other));
        return t != null && t.getKind().isPrimitive();
      }
      if (bin.getKind() == Tree.Kind.PLUS) {
        javax.lang.model.type.TypeMirror t = source.trees.getTypeMirror(p.getParentPath());
        return t != null && t.getKind().isPrimitive(); // not a string concatenation
      }
      return true;
    }
    if (parent instanceof AssignmentTree a && a.getExpression() == child
        || parent instanceof com.sun.source.tree.VariableTree v && v.getInitializer() == child) {
      Element target = parent instanceof AssignmentTree a2
          ? element(new TreePath(p.getParentPath(), a2.getVariable())) : element(p.getParentPath());
      return target != null && target.asType().getKind().isPrimitive();
    }
    return false;
  }

  @Override
  public Void visitAssignment(AssignmentTree node, Void p) {
    return privates.assignment(node) ? null : super.visitAssignment(node, p);
  }

  @Override
  public Void visitCompoundAssignment(CompoundAssignmentTree node, Void p) {
    return privates.compoundAssignment(node) ? null : super.visitCompoundAssignment(node, p);
  }

  @Override
  public Void visitUnary(UnaryTree node, Void p) {
    return privates.increment(node) ? null : super.visitUnary(node, p);
  }

  @Override
  public Void visitAssert(AssertTree node, Void p) {
    AssertRewrite.rewrite(node, this);
    return null;
  }
}
