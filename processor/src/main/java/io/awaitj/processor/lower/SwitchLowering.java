package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Name;

/**
 * A {@code switch} statement that contains an await: the selector is evaluated once, a Java {@code
 * switch} on it jumps to the state of the matching case, and each case's statements become states.
 * Colon-form cases fall through to the next case's state; arrow-form cases jump to the exit.
 */
final class SwitchLowering {
  private final Lowerer l;

  SwitchLowering(Lowerer lowerer) {
    this.l = lowerer;
  }

  void lower(TreePath path, Name label) {
    SwitchTree s = (SwitchTree) path.getLeaf();
    lowerCases(path, s.getExpression(), s.getCases(), label, null);
  }

  /**
   * A switch expression that contains an await: the same states, each arm storing its value in a
   * field ({@code yield} included) and jumping to the exit, where the field is the expression's value.
   */
  CodeBlock expression(TreePath path) {
    com.sun.source.tree.SwitchExpressionTree s = (com.sun.source.tree.SwitchExpressionTree) path.getLeaf();
    String result = l.temporary("switchValue", l.typeNameOf(path));
    lowerCases(path, s.getExpression(), s.getCases(), null, result);
    return CodeBlock.of("$L", result);
  }

  private void lowerCases(TreePath path, ExpressionTree selectorTree, List<? extends CaseTree> cases,
      Name label, String result) {
    CodeBlock selector = l.expressions.expr(new TreePath(path, selectorTree));
    State exit = l.newState(null);
    List<State> bodies = new ArrayList<>();
    CodeBlock.Builder dispatch = CodeBlock.builder().beginControlFlow("switch ($L)", selector);
    boolean hasDefault = false;
    for (CaseTree c : cases) {
      if (c.getExpressions().isEmpty() && !c.toString().trim().startsWith("default")) {
        l.unsupported(c, "await in a switch with patterns is not supported yet");
        return;
      }
      State body = l.newState(null);
      bodies.add(body);
      TreePath casePath = new TreePath(path, c);
      if (c.getExpressions().isEmpty()) {
        hasDefault = true;
        dispatch.add("default:\n");
      } else {
        List<CodeBlock> labels = new ArrayList<>();
        for (ExpressionTree e : c.getExpressions()) {
          labels.add(l.verbatim.copy(new TreePath(casePath, e)));
        }
        dispatch.add("case $L:\n", CodeBlock.join(labels, ", "));
      }
      dispatch.indent().add(Lowerer.jumpCode(body)).unindent();
    }
    dispatch.endControlFlow();
    l.emit(dispatch.build());
    if (!hasDefault) {
      l.jump(exit);
    } else {
      l.current.closed = true;
    }
    if (result == null) {
      l.targets.push(new Lowerer.Target(label, false, false, exit, null, l.finallys.size()));
    } else {
      l.yields.push(new Lowerer.YieldTarget(result, exit, l.finallys.size()));
    }
    try {
      for (int i = 0; i < cases.size(); i++) {
        CaseTree c = cases.get(i);
        TreePath casePath = new TreePath(path, c);
        l.enter(bodies.get(i));
        l.describe(c);
        if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
          Tree body = c.getBody();
          if (body instanceof ExpressionTree e && result != null) {
            l.emitStatement("$L = $L", result, l.expressions.expr(new TreePath(casePath, e)));
          } else if (body instanceof ExpressionTree e) {
            l.expressions.asStatement(new TreePath(casePath, e));
          } else {
            l.statement(new TreePath(casePath, body));
          }
          l.jump(exit);
        } else {
          for (StatementTree st : c.getStatements()) {
            l.statement(new TreePath(casePath, st));
          }
          l.jump(i + 1 < cases.size() ? bodies.get(i + 1) : exit);
        }
      }
    } finally {
      if (result == null) {
        l.targets.pop();
      } else {
        l.yields.pop();
      }
    }
    l.enter(exit);
  }
}
