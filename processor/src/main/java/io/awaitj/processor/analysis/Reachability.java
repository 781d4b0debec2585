package io.awaitj.processor.analysis;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreeScanner;
import java.util.List;
import javax.lang.model.element.Name;

/**
 * Whether a statement can complete normally (JLS 14.22, on the statements' shapes, with {@code true}
 * as the only constant condition): the lowering emits no jump after one that cannot (javac would
 * reject it as unreachable), and puts code after one in a state of its own; a body with such code is
 * no direct call ({@link DirectCalls}).
 */
public final class Reachability {
  private Reachability() {}

  /** Whether {@code s} can complete normally. */
  public static boolean canCompleteNormally(StatementTree s) {
    return canComplete(s, null);
  }

  /**
   * Whether a statement of {@code statements} follows one that cannot complete normally: javac's
   * "unreachable statement".
   */
  public static boolean hasUnreachableStatement(List<? extends StatementTree> statements) {
    for (int i = 0; i < statements.size() - 1; i++) {
      if (!canCompleteNormally(statements.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean canComplete(StatementTree s, Name label) {
    switch (s.getKind()) {
      case RETURN:
      case THROW:
      case BREAK:
      case CONTINUE:
      case YIELD:
        return false;
      case BLOCK: {
        List<? extends StatementTree> stats = ((BlockTree) s).getStatements();
        return stats.isEmpty() || canComplete(stats.get(stats.size() - 1), null);
      }
      case IF: {
        IfTree i = (IfTree) s;
        return i.getElseStatement() == null
            || canComplete(i.getThenStatement(), null) || canComplete(i.getElseStatement(), null);
      }
      case LABELED_STATEMENT: {
        LabeledStatementTree l = (LabeledStatementTree) s;
        return canComplete(l.getStatement(), l.getLabel()) || hasBreak(l.getStatement(), l.getLabel(), false);
      }
      case WHILE_LOOP: {
        WhileLoopTree w = (WhileLoopTree) s;
        return !isTrue(w.getCondition()) || hasBreak(w.getStatement(), label, true);
      }
      case DO_WHILE_LOOP: {
        // JLS 14.22: the body completes (or continues) and the condition is not constant true, or a
        // break leaves the loop.
        DoWhileLoopTree d = (DoWhileLoopTree) s;
        boolean reachesCondition = canComplete(d.getStatement(), null) || hasContinue(d.getStatement(), label);
        return reachesCondition && !isTrue(d.getCondition()) || hasBreak(d.getStatement(), label, true);
      }
      case FOR_LOOP: {
        ForLoopTree f = (ForLoopTree) s;
        return (f.getCondition() != null && !isTrue(f.getCondition())) || hasBreak(f.getStatement(), label, true);
      }
      case ENHANCED_FOR_LOOP:
        return true;
      case SWITCH:
        return switchCanComplete((SwitchTree) s, label);
      case SYNCHRONIZED:
        return canComplete(((SynchronizedTree) s).getBlock(), null);
      case TRY: {
        TryTree t = (TryTree) s;
        if (t.getFinallyBlock() != null && !canComplete(t.getFinallyBlock(), null)) {
          return false;
        }
        if (canComplete(t.getBlock(), null)) {
          return true;
        }
        for (var c : t.getCatches()) {
          if (canComplete(c.getBlock(), null)) {
            return true;
          }
        }
        return false;
      }
      default:
        return true;
    }
  }

  private static boolean switchCanComplete(SwitchTree s, Name label) {
    List<? extends CaseTree> cases = s.getCases();
    if (cases.isEmpty() || hasBreak(s, label, true)) {
      return true;
    }
    boolean hasDefault = false;
    for (CaseTree c : cases) {
      if (c.getExpressions().isEmpty()) {
        hasDefault = true;
      }
      if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree body = c.getBody();
        if (body instanceof ExpressionTree || body instanceof StatementTree st && canComplete(st, null)) {
          return true;
        }
      }
    }
    if (!hasDefault) {
      return true;
    }
    CaseTree last = cases.get(cases.size() - 1);
    if (last.getCaseKind() == CaseTree.CaseKind.STATEMENT) {
      List<? extends StatementTree> stats = last.getStatements();
      return stats.isEmpty() || canComplete(stats.get(stats.size() - 1), null);
    }
    return false;
  }

  private static boolean isTrue(ExpressionTree e) {
    while (e instanceof ParenthesizedTree p) {
      e = p.getExpression();
    }
    return e instanceof LiteralTree l && Boolean.TRUE.equals(l.getValue());
  }

  /** Whether {@code body} has a continue of the loop it belongs to (unlabelled, or by its label). */
  private static boolean hasContinue(Tree body, Name label) {
    return hasJump(body, label, true, true);
  }

  /** Whether {@code body} has a break that leaves the statement it belongs to (unlabelled or by label). */
  private static boolean hasBreak(Tree body, Name label, boolean unlabelledCounts) {
    return hasJump(body, label, false, unlabelledCounts);
  }

  /**
   * Whether {@code body} has a continue (or a break) that targets the statement it belongs to: by its
   * label, or unlabelled and not inside a nested loop (or, for break, a nested switch).
   */
  private static boolean hasJump(Tree body, Name label, boolean isContinue, boolean unlabelledCounts) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          private int depth; // nested loops (and switches, for break): an unlabelled jump there is theirs

          @Override
          public Boolean visitBreak(BreakTree node, Void p) {
            return !isContinue && targets(node.getLabel());
          }

          @Override
          public Boolean visitContinue(com.sun.source.tree.ContinueTree node, Void p) {
            return isContinue && targets(node.getLabel());
          }

          private boolean targets(Name jumpLabel) {
            return jumpLabel == null ? unlabelledCounts && depth == 0 : jumpLabel.equals(label);
          }

          private Boolean nested(java.util.function.Supplier<Boolean> s) {
            depth++;
            try {
              return s.get();
            } finally {
              depth--;
            }
          }

          @Override
          public Boolean visitWhileLoop(WhileLoopTree node, Void p) {
            return nested(() -> super.visitWhileLoop(node, p));
          }

          @Override
          public Boolean visitDoWhileLoop(DoWhileLoopTree node, Void p) {
            return nested(() -> super.visitDoWhileLoop(node, p));
          }

          @Override
          public Boolean visitForLoop(ForLoopTree node, Void p) {
            return nested(() -> super.visitForLoop(node, p));
          }

          @Override
          public Boolean visitEnhancedForLoop(EnhancedForLoopTree node, Void p) {
            return nested(() -> super.visitEnhancedForLoop(node, p));
          }

          @Override
          public Boolean visitSwitch(SwitchTree node, Void p) {
            if (isContinue || node == body) {
              return super.visitSwitch(node, p);
            }
            return nested(() -> super.visitSwitch(node, p));
          }

          @Override
          public Boolean visitClass(ClassTree node, Void p) {
            return false;
          }

          @Override
          public Boolean visitLambdaExpression(LambdaExpressionTree node, Void p) {
            return false;
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(body, null);
    return Boolean.TRUE.equals(found);
  }
}
