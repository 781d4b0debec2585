package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import javax.lang.model.element.Name;

/**
 * Jumps in copied code: a {@code break}, {@code continue}, {@code yield} or {@code return} whose target
 * lies outside the copied code becomes a jump between states (through lowered {@code finally} blocks
 * where it crosses one); jumps to statements inside the copied code, and all jumps inside lambdas and
 * classes, stay as written.
 */
final class JumpRewrites {
  /** A breakable statement inside the copied code: jumps to it stay as they are. */
  private record Breakable(Name label, boolean loop, boolean labelOnly) {}

  private final CopyScan scan;
  private final Deque<Breakable> breakables = new ArrayDeque<>();
  /** Switch expressions inside the copied code: their yields stay as they are. */
  private int switchExpressions;

  JumpRewrites(CopyScan scan) {
    this.scan = scan;
  }

  Void labeled(LabeledStatementTree node, Supplier<Void> body) {
    Tree s = node.getStatement();
    boolean loop = isLoop(s);
    return within(new Breakable(node.getLabel(), loop, !loop && !(s instanceof SwitchTree)), body);
  }

  Void loop(Supplier<Void> body) {
    return within(new Breakable(null, true, false), body);
  }

  Void switchStatement(Supplier<Void> body) {
    return within(new Breakable(null, false, false), body);
  }

  Void switchExpression(Supplier<Void> body) {
    switchExpressions++;
    try {
      return body.get();
    } finally {
      switchExpressions--;
    }
  }

  private Void within(Breakable b, Supplier<Void> body) {
    breakables.push(b);
    try {
      return body.get();
    } finally {
      breakables.pop();
    }
  }

  /** Rewrites a {@code yield} of a lowered switch expression; false if it stays as written. */
  boolean yield(YieldTree node) {
    if (scan.inNestedBody() || switchExpressions > 0) {
      return false;
    }
    scan.replace(node, scan.context.yieldOut(node,
        scan.copy(new TreePath(scan.getCurrentPath(), node.getValue()))));
    return true;
  }

  void breakOut(BreakTree node) {
    if (!scan.inNestedBody() && !targetsInside(node.getLabel(), false)) {
      scan.replace(node, scan.context.breakOut(node, node.getLabel()));
    }
  }

  void continueOut(ContinueTree node) {
    if (!scan.inNestedBody() && !targetsInside(node.getLabel(), true)) {
      scan.replace(node, scan.context.continueOut(node, node.getLabel()));
    }
  }

  /** Rewrites {@code return done(x)}, which completes the machine; false inside a lambda or class. */
  boolean returnOut(ReturnTree node) {
    if (scan.inNestedBody()) {
      return false;
    }
    CodeBlock value = null;
    if (node.getExpression() instanceof MethodInvocationTree inv && !inv.getArguments().isEmpty()) {
      value = scan.copy(new TreePath(new TreePath(scan.getCurrentPath(), inv), inv.getArguments().get(0)));
    }
    scan.replace(node, scan.context.returnOut(node, value));
    return true;
  }

  private boolean targetsInside(Name label, boolean isContinue) {
    for (Breakable b : breakables) {
      if (label != null) {
        if (label.equals(b.label())) {
          return true;
        }
      } else if (!b.labelOnly() && (b.loop() || !isContinue)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code t} is a loop statement ({@code while}, {@code do}, {@code for}, or enhanced {@code for}). */
  static boolean isLoop(Tree t) {
    return loopBody(t) != null;
  }

  /** The body of loop statement {@code t} (see {@link #isLoop}), or null if {@code t} is not a loop. */
  static StatementTree loopBody(Tree t) {
    if (t instanceof WhileLoopTree w) {
      return w.getStatement();
    }
    if (t instanceof DoWhileLoopTree d) {
      return d.getStatement();
    }
    if (t instanceof ForLoopTree f) {
      return f.getStatement();
    }
    if (t instanceof EnhancedForLoopTree f) {
      return f.getStatement();
    }
    return null;
  }

  /** Whether {@code t} is a loop or a switch statement (whose parts a label does not push again). */
  static boolean isBreakable(Tree t) {
    return isLoop(t) || t instanceof SwitchTree;
  }

  /** The direct children of a loop or switch, in source order. */
  static List<Tree> children(Tree s) {
    List<Tree> out = new ArrayList<>();
    if (s instanceof WhileLoopTree w) {
      out.add(w.getCondition());
      out.add(w.getStatement());
    } else if (s instanceof DoWhileLoopTree d) {
      out.add(d.getStatement());
      out.add(d.getCondition());
    } else if (s instanceof ForLoopTree f) {
      out.addAll(f.getInitializer());
      out.add(f.getCondition());
      out.addAll(f.getUpdate());
      out.add(f.getStatement());
    } else if (s instanceof EnhancedForLoopTree f) {
      out.add(f.getVariable());
      out.add(f.getExpression());
      out.add(f.getStatement());
    } else if (s instanceof SwitchTree sw) {
      out.add(sw.getExpression());
      out.addAll(sw.getCases());
    }
    return out;
  }
}
