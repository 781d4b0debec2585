package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.AssertTree;
import com.sun.source.tree.BindingPatternTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import io.awaitj.processor.analysis.Reachability;
import io.awaitj.processor.model.CodeSize;
import io.awaitj.processor.model.MachineContract;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.VariableElement;

/**
 * The statement dispatcher: a statement without an await is copied ({@link Verbatim}); one with an
 * await goes to its rule ({@link ExpressionLowering}, {@link LoopLowering}, {@link SwitchLowering},
 * {@link TryLowering}); {@code if}, blocks, labels, {@code return}, {@code yield}, {@code throw} and
 * {@code assert} are lowered here.
 */
final class StatementLowering extends Rule {
  StatementLowering(Parts parts) {
    super(parts);
  }

  /**
   * How many locals of the blocks around the statement being lowered are Java locals of the state
   * being filled ({@link #staysLocal}): while one is in scope, the state cannot be cut.
   */
  private int javaLocalsInScope;

  /**
   * Before a statement of a block or of a switch's case: a state grown past {@link
   * io.awaitj.processor.model.CodeSize#cut} goes on in a new state, unless a Java local of the state
   * is in scope. A long run of code without awaits can take several times its size in the machine
   * (its locals are fields there, as a later await needs them), more than one method may hold.
   */
  void cutIfLarge() {
    if (javaLocalsInScope == 0 && !keptWhole() && machine.isLarge()) {
      machine.cut();
    }
  }

  /** See {@link #keptWhole}; null until asked. */
  private Boolean keptWhole;

  /**
   * Whether the body is kept in one state, whatever its size: it has no await, and declares a local
   * class, or a local whose type the machine cannot name (a local class of the body, or a member type
   * of one: {@code var o = new I.Impl(a)}). Only a body that awaits makes its local classes members of
   * the machine; in one without awaits they stay where they are declared, in the copied code: a use of
   * one in a later state would not see its declaration ({@code En3.pick(a1)}: "cannot find symbol"),
   * and a local of its type can only be a Java local of one state. A body cut for its size (where a
   * long block's locals become fields, see {@link #staysLocal}) would split them. Without awaits the
   * body is its method's code in one state, which javac compiled as the @Async method itself.
   */
  private boolean keptWhole() {
    if (keptWhole == null) {
      boolean[] found = new boolean[1];
      if (source.analysis.awaitCount() == 0) {
        new com.sun.source.util.TreePathScanner<Void, Void>() {
          @Override
          public Void visitVariable(VariableTree node, Void p) {
            Element e = source.trees.getElement(getCurrentPath());
            if (e != null && e.asType().getKind() != javax.lang.model.type.TypeKind.ERROR
                && source.typeNames.denotable(e.asType()) == null) {
              found[0] = true;
            }
            return found[0] ? null : super.visitVariable(node, p);
          }

          @Override
          public Void visitLambdaExpression(LambdaExpressionTree node, Void p) {
            return null; // its locals stay in the copied lambda
          }

          @Override
          public Void visitClass(ClassTree node, Void p) {
            if (!(getCurrentPath().getParentPath().getLeaf() instanceof com.sun.source.tree.NewClassTree)) {
              found[0] = true; // a local class: its uses must see its declaration, in the same state
            }
            return null; // its own locals stay in the copied class
          }
        }.scan(parts.body.path(), null);
      }
      keptWhole = found[0];
    }
    return keptWhole;
  }

  /** Lowers the whole body: a block, or an async lambda's expression. */
  void body(TreePath path) {
    machine.enter(machine.newState(null));
    Tree tree = path.getLeaf();
    if (tree instanceof BlockTree) {
      statement(path);
    } else {
      // An expression lambda: its expression is what the function returns.
      machine.describe(tree);
      if (source.asyncElements.isDone(path)) {
        MethodInvocationTree done = (MethodInvocationTree) tree;
        CodeBlock value = done.getArguments().isEmpty() ? null
            : expressions().expr(new TreePath(path, done.getArguments().get(0)));
        machine.close(jumps.returnWith(value));
      } else {
        machine.close(jumps.returnWith(expressions().awaitValue(path, (ExpressionTree) tree)));
      }
    }
    if (!machine.isClosed()) {
      // The body can complete normally only for a Coroutine<Void> without a final return.
      machine.close(MachineContract.complete(null));
    }
  }

  /**
   * Lowers the statement at {@code path}; then the fields it no longer needs are released: its
   * temporaries, and the variables it declares inside (not the one it declares itself, whose scope is
   * the rest of the enclosing block).
   */
  void statement(TreePath path) {
    int temporaries = frame.temporariesMark();
    TreePath outer = frame.enterStatement(path);
    try {
      lowerStatement(path);
    } finally {
      frame.leaveStatement(outer);
    }
    frame.releaseTemporariesSince(temporaries);
    boolean block = path.getLeaf() instanceof BlockTree;
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void p) {
        if (node != path.getLeaf()) {
          Element e = source.trees.getElement(getCurrentPath());
          // A pattern variable can outlive the statement that declares it (flow scoping), but not
          // the block around that statement.
          if (e != null && (block || e.getKind() != ElementKind.BINDING_VARIABLE)) {
            frame.releaseLocal(e);
          }
        }
        return super.visitVariable(node, p);
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree node, Void p) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree node, Void p) {
        return null;
      }
    }.scan(path, null);
  }

  private void lowerStatement(TreePath path) {
    StatementTree s = (StatementTree) path.getLeaf();
    promoteBindings(path);
    if (s instanceof VariableTree v) {
      machine.describe(s);
      variable(path, v);
      return;
    }
    if (s instanceof BlockTree b) {
      int locals = javaLocalsInScope;
      for (StatementTree child : b.getStatements()) {
        cutIfLarge();
        statement(new TreePath(path, child));
      }
      javaLocalsInScope = locals;
      return;
    }
    if (s instanceof ClassTree c && source.analysis.awaitCount() > 0) {
      parts.localClasses.hoist(path, c, parts.verbatim);
      return;
    }
    if (!source.analysis.containsAwait(s) && !tooLargeToCopy(path)) {
      machine.describe(s);
      copy(path);
      if (!Reachability.canCompleteNormally(s)) {
        machine.closeAsIs();
      }
      return;
    }
    machine.describe(s);
    switch (s.getKind()) {
      case EXPRESSION_STATEMENT:
        expressions().asStatement(new TreePath(path, ((ExpressionStatementTree) s).getExpression()));
        return;
      case IF:
        ifStatement(path, (IfTree) s);
        return;
      case WHILE_LOOP:
      case DO_WHILE_LOOP:
      case FOR_LOOP:
      case ENHANCED_FOR_LOOP:
        new LoopLowering(parts).lower(path, null);
        return;
      case LABELED_STATEMENT:
        labeled(path, (LabeledStatementTree) s);
        return;
      case RETURN:
        returnStatement(path, (ReturnTree) s);
        return;
      case YIELD:
        machine.close(jumps.yieldCode(expressions().expr(new TreePath(path, ((YieldTree) s).getValue()))));
        return;
      case ASSERT:
        assertStatement(path, (AssertTree) s);
        return;
      case THROW: {
        CodeBlock e = expressions().expr(new TreePath(path, ((ThrowTree) s).getExpression()));
        machine.close(CodeBlock.builder().addStatement("throw $L", e).build());
        return;
      }
      case TRY:
        new TryLowering(parts).lower(path);
        return;
      case SWITCH:
        new SwitchLowering(parts).lower(path, null);
        return;
      default:
        source.unsupported(s, "await is not supported in this "
            + s.getKind().toString().toLowerCase().replace('_', ' ') + " statement yet");
    }
  }

  /**
   * Whether the statement at {@code path}, which has no await, is lowered into states like one that
   * has, so that its blocks can be cut ({@link #cutIfLarge}): an {@code if}, loop, {@code switch},
   * {@code try} or labelled statement longer than a part of a split step. Copied whole, it could take
   * more than one method may hold in the machine, where its locals are fields.
   */
  private boolean tooLargeToCopy(TreePath path) {
    if (keptWhole()) {
      return false;
    }
    switch (path.getLeaf().getKind()) {
      case IF: case WHILE_LOOP: case DO_WHILE_LOOP: case FOR_LOOP: case ENHANCED_FOR_LOOP: case SWITCH:
      case TRY: case LABELED_STATEMENT:
        break;
      default:
        return false;
    }
    return longerThanAPart(path.getLeaf(), path.getLeaf());
  }

  /**
   * Whether the source from the start of {@code from} to the end of {@code to} is longer than a part
   * of a split step ({@link CodeSize#part}), as estimated.
   */
  private boolean longerThanAPart(Tree from, Tree to) {
    return source.longerThan(from, to, machine.sizes().part());
  }

  /**
   * Pattern variables ({@code x instanceof Foo f}) declared by the statement's own expressions: their
   * scope can reach the statements after it (flow scoping), which may be other states, so they become
   * fields like other locals. Those of nested statements are handled when those are lowered.
   */
  private void promoteBindings(TreePath statement) {
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void p) {
        // Pattern variables of switch cases are scoped to their case: SwitchLowering handles them.
        if (tree instanceof StatementTree && tree != statement.getLeaf()
            || tree instanceof CaseTree
            || tree instanceof LambdaExpressionTree
            || tree instanceof ClassTree) {
          return null;
        }
        return super.scan(tree, p);
      }

      @Override
      public Void visitBindingPattern(BindingPatternTree node, Void p) {
        Element e = source.trees.getElement(new TreePath(getCurrentPath(), node.getVariable()));
        if (e instanceof VariableElement v) {
          frame.promote(v);
        }
        return super.visitBindingPattern(node, p);
      }
    }.scan(statement, null);
  }

  private void variable(TreePath path, VariableTree v) {
    VariableElement e = (VariableElement) source.trees.getElement(path);
    CodeBlock head = staysLocal(path, v, e) ? declarationHead(path, v) : null;
    if (head != null) {
      javaLocalsInScope++;
      if (v.getInitializer() == null || !source.analysis.containsAwait(v.getInitializer())) {
        copy(path);
        return;
      }
      CodeBlock value = expressions().expr(new TreePath(path, v.getInitializer()));
      machine.emitStatement("$L$L = $L", head, v.getName(), value);
      return;
    }
    String field = frame.promote(e);
    if (v.getInitializer() == null) {
      return;
    }
    TreePath init = new TreePath(path, v.getInitializer());
    CodeBlock value = source.analysis.containsAwait(v.getInitializer())
        ? expressions().expr(init) : verbatim.copy(init);
    if (v.getInitializer() instanceof NewArrayTree array && array.getType() == null) {
      value = CodeBlock.of("new $T $L", source.typeNames.denotable(e.asType()), value);
    }
    machine.emitStatement("$L = $L", field, value);
  }

  /**
   * Whether the local declared at {@code path} can stay a Java local of the state that declares it:
   * it is declared in a block (not among a switch's cases, whose scope spans states), no later
   * statement of that block awaits or is unreachable (so every use is in the same state), the rest of
   * the block is not longer than a part of a split step (so that it fits one), and no local class that
   * becomes a member of the machine uses it. Its name must be one no other variable of the body has
   * (blocks of lowered statements are not kept, so two would meet in one state) and no member of the
   * machine has (it would hide {@code state}, {@code self} or a temporary; a capitalised one could
   * obscure a type, such as {@code Access}).
   */
  private boolean staysLocal(TreePath path, VariableTree v, VariableElement e) {
    String name = v.getName().toString();
    if (!(path.getParentPath().getLeaf() instanceof BlockTree block)
        || parts.scopes.isCapturedByLocalClass(e)
        // Two locals of one name could meet as a field and a Java local in one state; without awaits
        // every local keeps its scope as written (a local of a local class's type must: the class
        // is not made a member then).
        || !parts.scopes.declaresOnce(name) && source.analysis.awaitCount() > 0
        || name.isEmpty() || !Character.isLowerCase(name.charAt(0)) || name.indexOf('$') >= 0
        || name.equals("self") || MachineContract.RESERVED_FIELD_NAMES.contains(name)) {
      return false;
    }
    if (!blockFacts(block).staysInOneState(v)) {
      return false;
    }
    if (v.getInitializer() != null && source.analysis.containsAwait(v.getInitializer())
        && mentions(new TreePath(path, v.getInitializer()), e)) {
      // int x = (x = 3) + await(f()): the initializer's states before the await use x, which a Java
      // local would only declare after it.
      return false;
    }
    // A Java local keeps the rest of its block in one state: a long rest could outgrow a method, and
    // is cut into states of fields instead (see cutIfLarge).
    return keptWhole() || !longerThanAPart(v, block);
  }

  /** Whether the tree at {@code path} names the variable {@code e}. */
  private boolean mentions(TreePath path, VariableElement e) {
    boolean[] found = new boolean[1];
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(com.sun.source.tree.IdentifierTree node, Void p) {
        found[0] |= e.equals(source.trees.getElement(getCurrentPath()));
        return null;
      }
    }.scan(path, null);
    return found[0];
  }

  /** What {@link #staysLocal} asks of each block, found once per block (a block may be long). */
  private final java.util.Map<BlockTree, BlockFacts> blockFacts = new java.util.IdentityHashMap<>();

  private BlockFacts blockFacts(BlockTree block) {
    return blockFacts.computeIfAbsent(block, b -> {
      java.util.Map<Tree, Integer> index = new java.util.IdentityHashMap<>();
      int lastAwait = -1;
      int lastUnfinished = -1;
      int count = b.getStatements().size();
      int i = 0;
      for (StatementTree s : b.getStatements()) { // javac's list: no get(i)
        index.put(s, i);
        if (source.analysis.containsAwait(s)) {
          lastAwait = i;
        }
        if (i + 1 < count && !Reachability.canCompleteNormally(s)) {
          lastUnfinished = i;
        }
        i++;
      }
      return new BlockFacts(index, lastAwait, lastUnfinished);
    });
  }

  /**
   * The statements of a block by position, the last that awaits, and the last that cannot complete
   * normally and has another after it (-1 for none).
   */
  private record BlockFacts(java.util.Map<Tree, Integer> index, int lastAwait, int lastUnfinished) {
    /**
     * Whether no statement after {@code s} awaits, and none from {@code s} on cannot complete
     * normally before another (code after it goes to a state of its own, javac's error), so that
     * every statement after {@code s} is in its state.
     */
    boolean staysInOneState(StatementTree s) {
      int i = index.get(s);
      return lastAwait <= i && lastUnfinished < i;
    }
  }

  /** {@code head name = initializer}: the head, up to the name (a C-style array does not match). */
  private static final java.util.regex.Pattern HEAD =
      java.util.regex.Pattern.compile("(?s)(.*\\S\\s+)(\\w+)\\s*=\\s*");

  /**
   * The declaration before the name ({@code final @A List<String> }), copied; empty without an
   * initializer; null when the source does not read {@code head name = initializer} (a C-style array
   * {@code int x[] = ...}).
   */
  private CodeBlock declarationHead(TreePath path, VariableTree v) {
    if (v.getInitializer() == null) {
      return CodeBlock.of("");
    }
    var positions = source.trees.getSourcePositions();
    int start = (int) positions.getStartPosition(source.unit, v);
    int init = (int) positions.getStartPosition(source.unit, v.getInitializer());
    if (start < 0 || init <= start) {
      return null;
    }
    java.util.regex.Matcher m = HEAD.matcher(source.text().subSequence(start, init));
    if (!m.matches() || !m.group(2).contentEquals(v.getName())) {
      return null;
    }
    return verbatim.copyRange(path, start, start + m.group(1).length(), java.util.Map.of());
  }

  /** Copies a statement without awaits into the current state. */
  private void copy(TreePath path) {
    CodeBlock code = verbatim.copy(path);
    machine.emit(code.toString().endsWith("\n") ? code : CodeBlock.builder().add(code).add("\n").build());
  }

  private void ifStatement(TreePath path, IfTree s) {
    CodeBlock cond = expressions().expr(new TreePath(path, s.getCondition()));
    boolean thenAwaits = source.analysis.containsAwait(s.getThenStatement());
    boolean elseAwaits = source.analysis.containsAwait(s.getElseStatement());
    if (!thenAwaits && !elseAwaits && !declaresLocals(s) && !tooLargeToCopy(path)) {
      // Only the condition awaits: the statement itself stays as it was written.
      CodeBlock.Builder b = CodeBlock.builder().add("if ($L) ", cond);
      b.add(verbatim.copy(new TreePath(path, s.getThenStatement())));
      if (s.getElseStatement() != null) {
        b.add(" else ").add(verbatim.copy(new TreePath(path, s.getElseStatement())));
      }
      machine.emit(b.add("\n").build());
      if (!Reachability.canCompleteNormally(s)) {
        machine.closeAsIs();
      }
      return;
    }
    State end = machine.newState(null);
    State otherwise = s.getElseStatement() != null ? machine.newState(null) : end;
    jumpUnless(cond, otherwise);
    statement(new TreePath(path, s.getThenStatement()));
    machine.jump(end);
    if (s.getElseStatement() != null) {
      machine.enter(otherwise);
      statement(new TreePath(path, s.getElseStatement()));
      machine.jump(end);
    }
    machine.enter(end);
  }

  /** {@code if (!(cond)) goto target;} in the current state. */
  private void jumpUnless(CodeBlock cond, State target) {
    machine.emit(CodeBlock.builder()
        .beginControlFlow("if (!($L))", cond)
        .add(MachineContract.jump(target))
        .endControlFlow()
        .build());
  }

  /**
   * {@code assert cond : detail;} with awaits: nothing is evaluated when assertions are disabled for
   * the user's class, the detail only when the condition is false (JLS 14.10).
   */
  private void assertStatement(TreePath path, AssertTree s) {
    State end = machine.newState(null);
    machine.emit(CodeBlock.builder()
        .beginControlFlow("if (!$L)", frame.assertionsEnabled())
        .add(MachineContract.jump(end))
        .endControlFlow()
        .build());
    CodeBlock cond = expressions().expr(new TreePath(path, s.getCondition()));
    if (s.getDetail() == null) {
      machine.emit(CodeBlock.builder()
          .beginControlFlow("if (!($L))", cond)
          .addStatement("throw new $T()", AssertionError.class)
          .endControlFlow()
          .build());
      machine.jump(end);
      machine.enter(end);
      return;
    }
    machine.emit(CodeBlock.builder()
        .beginControlFlow("if ($L)", cond)
        .add(MachineContract.jump(end))
        .endControlFlow()
        .build());
    TreePath detail = new TreePath(path, s.getDetail());
    CodeBlock d = source.analysis.containsAwait(s.getDetail())
        ? expressions().expr(detail) : verbatim.copy(detail);
    machine.close(CodeBlock.builder().addStatement("throw new $T($L)", AssertionError.class, d).build());
    machine.enter(end);
  }

  /** Whether a branch is a bare local declaration, which cannot be copied as an if's body. */
  private static boolean declaresLocals(IfTree s) {
    return s.getThenStatement() instanceof VariableTree || s.getElseStatement() instanceof VariableTree;
  }

  private void labeled(TreePath path, LabeledStatementTree s) {
    TreePath inner = new TreePath(path, s.getStatement());
    switch (s.getStatement().getKind()) {
      case WHILE_LOOP:
      case DO_WHILE_LOOP:
      case FOR_LOOP:
      case ENHANCED_FOR_LOOP:
        new LoopLowering(parts).lower(inner, s.getLabel());
        return;
      case SWITCH:
        new SwitchLowering(parts).lower(inner, s.getLabel());
        return;
      default:
        State end = machine.newState(null);
        jumps.pushTarget(s.getLabel(), false, true, end, null);
        try {
          statement(inner);
        } finally {
          jumps.popTarget();
        }
        machine.jump(end);
        machine.enter(end);
    }
  }

  private void returnStatement(TreePath path, ReturnTree s) {
    TreePath expr = new TreePath(path, s.getExpression());
    if (source.analysis.isDelegatingReturn(s)) {
      machine.close(jumps.returnWith(expressions().awaitValue(expr, s.getExpression())));
      return;
    }
    // return done(x): x may contain awaits.
    MethodInvocationTree done = (MethodInvocationTree) s.getExpression();
    CodeBlock value = null;
    if (!done.getArguments().isEmpty()) {
      value = expressions().expr(new TreePath(expr, done.getArguments().get(0)));
    }
    machine.close(jumps.returnWith(value));
  }
}
