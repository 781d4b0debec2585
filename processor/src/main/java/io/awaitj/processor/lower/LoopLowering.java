package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.model.MachineContract;
import javax.lang.model.element.Name;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Loops that contain an await. Each becomes a condition state, the states of its body, and an exit
 * state; {@code continue} jumps to the condition (or the update of a {@code for}), {@code break} to
 * the exit. A loop needs a fixed number of states however often it runs.
 */
final class LoopLowering {
  private final Lowerer l;

  LoopLowering(Lowerer lowerer) {
    this.l = lowerer;
  }

  void lower(TreePath path, Name label) {
    switch (path.getLeaf().getKind()) {
      case WHILE_LOOP:
        whileLoop(path, (WhileLoopTree) path.getLeaf(), label);
        return;
      case DO_WHILE_LOOP:
        doWhile(path, (DoWhileLoopTree) path.getLeaf(), label);
        return;
      case FOR_LOOP:
        forLoop(path, (ForLoopTree) path.getLeaf(), label);
        return;
      default:
        forEach(path, (EnhancedForLoopTree) path.getLeaf(), label);
    }
  }

  private void whileLoop(TreePath path, WhileLoopTree w, Name label) {
    State cond = l.newState(null);
    State exit = l.newState(null);
    l.jump(cond);
    l.enter(cond);
    l.describe(w);
    exitUnless(l.expressions.expr(new TreePath(path, w.getCondition())), exit);
    body(path, w.getStatement(), label, exit, cond);
    l.jump(cond);
    l.enter(exit);
  }

  private void doWhile(TreePath path, DoWhileLoopTree d, Name label) {
    State body = l.newState(null);
    State cond = l.newState(null);
    State exit = l.newState(null);
    l.jump(body);
    l.enter(body);
    l.describe(d);
    body(path, d.getStatement(), label, exit, cond);
    l.jump(cond);
    l.enter(cond);
    l.describe(d.getCondition());
    CodeBlock c = l.expressions.expr(new TreePath(path, d.getCondition()));
    l.emit(CodeBlock.builder().beginControlFlow("if ($L)", c).add(MachineContract.jump(body)).endControlFlow().build());
    l.jump(exit);
    l.enter(exit);
  }

  private void forLoop(TreePath path, ForLoopTree f, Name label) {
    for (StatementTree init : f.getInitializer()) {
      if (init instanceof ExpressionStatementTree e) {
        // An expression statement without its semicolon, as in the update.
        TreePath initPath = new TreePath(new TreePath(path, e), e.getExpression());
        if (l.analysis.containsAwait(e)) {
          l.expressions.asStatement(initPath);
        } else {
          l.emitStatement("$L", l.verbatim.copy(initPath));
        }
      } else {
        l.statement(new TreePath(path, init));
      }
    }
    State cond = l.newState(null);
    State update = l.newState(null);
    State exit = l.newState(null);
    l.jump(cond);
    l.enter(cond);
    l.describe(f);
    if (f.getCondition() != null) {
      exitUnless(l.expressions.expr(new TreePath(path, f.getCondition())), exit);
    }
    body(path, f.getStatement(), label, exit, update);
    l.jump(update);
    l.enter(update);
    for (ExpressionStatementTree u : f.getUpdate()) {
      // An update is an expression statement without its semicolon.
      TreePath updatePath = new TreePath(new TreePath(path, u), u.getExpression());
      if (l.analysis.containsAwait(u)) {
        l.expressions.asStatement(updatePath);
      } else {
        l.emitStatement("$L", l.verbatim.copy(updatePath));
      }
    }
    l.jump(cond);
    l.enter(exit);
  }

  private void forEach(TreePath path, EnhancedForLoopTree f, Name label) {
    TreePath exprPath = new TreePath(path, f.getExpression());
    TreePath varPath = new TreePath(path, f.getVariable());
    VariableElement var = (VariableElement) l.trees.getElement(varPath);
    String element = l.promote(var);
    TypeMirror iterated = l.typeOf(exprPath);
    CodeBlock source = l.expressions.expr(exprPath);
    State cond = l.newState(null);
    State exit = l.newState(null);
    if (iterated.getKind() == TypeKind.ARRAY) {
      String array = l.temporary("array", l.typeNameOf(exprPath));
      String index = l.temporary("index", TypeName.INT);
      l.emitStatement("$L = $L", array, source);
      l.emitStatement("$L = 0", index);
      enterHead(cond, f);
      exitWhen(CodeBlock.of("$L >= $L.length", index, array), exit, element,
          CodeBlock.of("$L[$L++]", array, index));
    } else {
      // An Iterable, or an AsyncIterable (async for: each step awaits hasNext()).
      boolean async = isAsyncIterable(iterated);
      TypeName elementType = TypeNames.denotable(var.asType());
      if (elementType == null) {
        throw l.diagnostics.abort(f.getVariable(), l.unit, "cannot determine the element type of this loop");
      }
      ClassName iteratorClass = async ? ClassName.get("io.awaitj", "AsyncIterator") : ClassName.get("java.util", "Iterator");
      String iterator = l.temporary(async ? "asyncIterator" : "iterator",
          ParameterizedTypeName.get(iteratorClass, WildcardTypeName.subtypeOf(elementType.box())));
      l.emitStatement("$L = $L.$L()", iterator, ExpressionLowering.paren(source),
          async ? "asyncIterator" : "iterator");
      enterHead(cond, f);
      CodeBlock hasNext = async
          ? l.expressions.suspend(CodeBlock.of("$L.hasNext()", iterator), ClassName.get(Boolean.class), f)
          : CodeBlock.of("$L.hasNext()", iterator);
      exitWhen(CodeBlock.of("!$L", hasNext), exit, element, CodeBlock.of("$L.next()", iterator));
    }
    body(path, f.getStatement(), label, exit, cond);
    l.jump(cond);
    l.enter(exit);
  }

  /** Jumps to the head state {@code cond} of a loop and starts filling it. */
  private void enterHead(State cond, EnhancedForLoopTree f) {
    l.jump(cond);
    l.enter(cond);
    l.describe(f);
  }

  /** Leaves the loop when {@code done}; else takes the next element. */
  private void exitWhen(CodeBlock done, State exit, String element, CodeBlock next) {
    l.emit(CodeBlock.builder()
        .beginControlFlow("if ($L)", done)
        .add(MachineContract.jump(exit))
        .endControlFlow()
        .addStatement("$L = $L", element, next)
        .build());
  }

  private boolean isAsyncIterable(TypeMirror t) {
    javax.lang.model.element.TypeElement async = l.elements.getTypeElement("io.awaitj.AsyncIterable");
    return async != null && l.types.isAssignable(l.types.erasure(t), l.types.erasure(async.asType()));
  }

  private void exitUnless(CodeBlock condition, State exit) {
    l.emit(CodeBlock.builder()
        .beginControlFlow("if (!$L)", ExpressionLowering.paren(condition))
        .add(MachineContract.jump(exit))
        .endControlFlow()
        .build());
  }

  private void body(TreePath loop, StatementTree body, Name label, State exit, State next) {
    l.targets.push(new Lowerer.Target(label, true, false, exit, next, l.finallys.size()));
    try {
      l.statement(new TreePath(loop, body));
    } finally {
      l.targets.pop();
    }
  }
}
