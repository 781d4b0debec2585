package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.BindingPatternTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.Name;
import javax.lang.model.element.VariableElement;

/**
 * A {@code switch} statement that contains an await: the selector is evaluated once, a Java {@code
 * switch} on it jumps to the state of the matching case, and each case's statements become states.
 * Colon-form cases fall through to the next case's state; arrow-form cases jump to the exit.
 */
final class SwitchLowering extends Rule {
  SwitchLowering(Parts parts) {
    super(parts);
  }

  private boolean isDefault(CaseTree c) {
    return source.text(c).trim().startsWith("default");
  }

  /** The pattern variables a case label declares. */
  private List<TreePath> bindings(TreePath casePath) {
    List<TreePath> out = new ArrayList<>();
    CaseTree c = (CaseTree) casePath.getLeaf();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void p) {
        if (isBody(c, tree)) {
          return null;
        }
        return super.scan(tree, p);
      }

      @Override
      public Void visitBindingPattern(BindingPatternTree node, Void p) {
        out.add(new TreePath(getCurrentPath(), node.getVariable()));
        return super.visitBindingPattern(node, p);
      }
    }.scan(casePath, null);
    return out;
  }

  /** Where the label part of a case ends (after its patterns and guard, before its body). */
  private int labelEnd(TreePath casePath) {
    CaseTree c = (CaseTree) casePath.getLeaf();
    int[] end = {(int) source.trees.getSourcePositions().getStartPosition(source.unit, c)};
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void p) {
        if (tree == null || isBody(c, tree)) {
          return null;
        }
        if (tree != c) {
          end[0] = Math.max(end[0], (int) source.trees.getSourcePositions().getEndPosition(source.unit, tree));
        }
        return super.scan(tree, p);
      }
    }.scan(c, null);
    return end[0];
  }

  private static boolean isBody(CaseTree c, Tree tree) {
    return tree != null && (tree == c.getBody() || c.getStatements() != null && c.getStatements().contains(tree));
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
    String result = frame.temporary("switchValue", source.typeNameOf(path));
    frame.holds(result, source.typeOf(path), s, "this switch expression, which awaits,");
    lowerCases(path, s.getExpression(), s.getCases(), null, result);
    return frame.read(result);
  }

  private void lowerCases(TreePath path, ExpressionTree selectorTree, List<? extends CaseTree> javacCases,
      Name label, String result) {
    List<CaseTree> cases = new ArrayList<>(javacCases); // javac's list takes linear time to get(i)
    CodeBlock selector = expressions().expr(new TreePath(path, selectorTree));
    State exit = machine.newState(null);
    List<State> bodies = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      bodies.add(machine.newState(null));
    }
    TypeName large = largeDispatch(new TreePath(path, selectorTree), cases);
    if (large != null) {
      dispatchInMethods(path, large, selector, cases, bodies, exit);
      lowerBodies(path, cases, bodies, exit, label, result);
      return;
    }
    CodeBlock.Builder dispatch = CodeBlock.builder().beginControlFlow("switch ($L)", selector);
    boolean hasDefault = false;
    boolean patterns = false;
    for (int index = 0; index < cases.size(); index++) {
      CaseTree c = cases.get(index);
      State body = bodies.get(index);
      TreePath casePath = new TreePath(path, c);
      if (c.getExpressions().isEmpty() && !isDefault(c)) {
        // A pattern label (Java 21): copied as written, its variables renamed to locals of the
        // dispatch, then stored in their fields for the case's states.
        patterns = true;
        Map<Element, String> renamed = new LinkedHashMap<>();
        for (TreePath binding : bindings(casePath)) {
          VariableElement v = (VariableElement) source.trees.getElement(binding);
          frame.promote(v);
          renamed.put(v, frame.localName(v.getSimpleName().toString()));
        }
        int start = (int) source.trees.getSourcePositions().getStartPosition(source.unit, c);
        CodeBlock.Builder caseLabel = CodeBlock.builder()
            .add(verbatim.copyRange(casePath, start, labelEnd(casePath), renamed)).add(":\n").indent();
        for (Map.Entry<Element, String> e : renamed.entrySet()) {
          caseLabel.addStatement("$L = $L", frame.fieldOf(e.getKey()), e.getValue());
        }
        dispatch.add(caseLabel.add(MachineContract.jump(body)).unindent().build());
        continue;
      }
      if (c.getExpressions().isEmpty()) {
        hasDefault = true;
        dispatch.add("default:\n");
      } else {
        List<CodeBlock> labels = new ArrayList<>();
        for (ExpressionTree e : c.getExpressions()) {
          labels.add(verbatim.copy(new TreePath(casePath, e)));
        }
        dispatch.add("case $L:\n", CodeBlock.join(labels, ", "));
      }
      dispatch.indent().add(MachineContract.jump(body)).unindent();
    }
    dispatch.endControlFlow();
    machine.emit(dispatch.build());
    // A switch with patterns is exhaustive, so javac knows nothing follows a dispatch that always jumps.
    if (!hasDefault && !patterns) {
      machine.jump(exit);
    } else {
      machine.closeAsIs();
    }
    lowerBodies(path, cases, bodies, exit, label, result);
  }

  /** The states of the cases' statements, then the exit (the state the machine goes on in). */
  private void lowerBodies(TreePath path, List<? extends CaseTree> cases, List<State> bodies, State exit,
      Name label, String result) {
    if (result == null) {
      jumps.pushTarget(label, false, false, exit, null);
    } else {
      jumps.pushYield(result, exit);
    }
    try {
      for (int i = 0; i < cases.size(); i++) {
        CaseTree c = cases.get(i);
        TreePath casePath = new TreePath(path, c);
        machine.enter(bodies.get(i));
        machine.describe(c);
        if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
          Tree body = c.getBody();
          if (body instanceof ExpressionTree e && result != null) {
            machine.emitStatement("$L = $L", result, expressions().expr(new TreePath(casePath, e)));
          } else if (body instanceof ExpressionTree e) {
            expressions().asStatement(new TreePath(casePath, e));
          } else {
            statements().statement(new TreePath(casePath, body));
          }
          machine.jump(exit);
        } else {
          for (StatementTree st : c.getStatements()) {
            statements().cutIfLarge();
            statements().statement(new TreePath(casePath, st));
          }
          machine.jump(i + 1 < cases.size() ? bodies.get(i + 1) : exit);
        }
      }
    } finally {
      if (result == null) {
        jumps.popTarget();
      } else {
        jumps.popYield();
      }
    }
    machine.enter(exit);
  }

  /**
   * Past this many labels, a switch's dispatch is too large for a state to hold along with others
   * (each label costs about 14 bytes of bytecode as {@code case L: state = n; continue dispatch$;}):
   * it goes to methods of its own.
   */
  static final int LARGE_DISPATCH = 500;

  /** The most labels one dispatch method holds (a label of a String costs about 30 bytes). */
  static final int LABELS_PER_METHOD = 1000;

  /**
   * The type of the selector of a switch whose dispatch goes to methods of its own ({@link
   * #dispatchInMethods}), or null to keep it in the state: a switch with more than {@link
   * #LARGE_DISPATCH} labels, all constants (no patterns, no {@code null}), whose selector's type the
   * machine can name.
   */
  private TypeName largeDispatch(TreePath selectorPath, List<? extends CaseTree> cases) {
    int labels = 0;
    for (CaseTree c : cases) {
      if (c.getExpressions().isEmpty() && !isDefault(c)) {
        return null; // a pattern label
      }
      for (ExpressionTree e : c.getExpressions()) {
        if (e.getKind() == Tree.Kind.NULL_LITERAL) {
          return null;
        }
      }
      labels += c.getExpressions().size();
    }
    if (labels <= LARGE_DISPATCH) {
      return null;
    }
    javax.lang.model.type.TypeMirror t = source.typeOf(selectorPath);
    if (t == null || t.getKind() == javax.lang.model.type.TypeKind.ERROR) {
      return null;
    }
    if (t instanceof javax.lang.model.type.DeclaredType d) {
      for (Element e = d.asElement(); e instanceof javax.lang.model.element.TypeElement;
          e = e.getEnclosingElement()) {
        if (e.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)) {
          return null; // the machine cannot name it
        }
      }
    }
    return source.typeNames.denotable(t);
  }

  /**
   * The dispatch of a switch with many labels: methods of the machine, each with at most {@link
   * #LABELS_PER_METHOD} labels, give the state of the matching case ({@link
   * MachineContract#dispatchMethod}); the state jumps there.
   */
  private void dispatchInMethods(TreePath path, TypeName selectorType, CodeBlock selector,
      List<? extends CaseTree> cases, List<State> bodies, State exit) {
    State otherwise = exit;
    List<List<CodeBlock>> labels = new ArrayList<>();
    List<List<State>> targets = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      CaseTree c = cases.get(i);
      if (c.getExpressions().isEmpty()) {
        otherwise = bodies.get(i); // default
        continue;
      }
      int n = c.getExpressions().size();
      if (labels.isEmpty() || counts.get(counts.size() - 1) > 0
          && counts.get(counts.size() - 1) + n > LABELS_PER_METHOD) {
        labels.add(new ArrayList<>());
        targets.add(new ArrayList<>());
        counts.add(0);
      }
      List<CodeBlock> copies = new ArrayList<>();
      TreePath casePath = new TreePath(path, c);
      for (ExpressionTree e : c.getExpressions()) {
        copies.add(verbatim.copy(new TreePath(casePath, e)));
      }
      labels.get(labels.size() - 1).add(CodeBlock.join(copies, ", "));
      targets.get(targets.size() - 1).add(bodies.get(i));
      counts.set(counts.size() - 1, counts.get(counts.size() - 1) + n);
    }
    int total = counts.stream().mapToInt(Integer::intValue).sum();
    List<String> names = new ArrayList<>();
    for (int k = 0; k < labels.size(); k++) {
      names.add(machine.newMethodName("cases"));
    }
    String where = source.location(path.getLeaf());
    int from = 1;
    for (int k = 0; k < labels.size(); k++) {
      int to = from + counts.get(k) - 1;
      String javadoc = "The state of the case of the switch at " + where + " whose label matches"
          + (labels.size() == 1 ? "" : " (labels " + from + " to " + to + " of " + total + ")") + ".\n";
      machine.addMethod(MachineContract.dispatchMethod(names.get(k), selectorType, javadoc, labels.get(k),
          targets.get(k), otherwise, k + 1 < labels.size() ? names.get(k + 1) : null));
      from = to + 1;
    }
    machine.close(MachineContract.jump(MachineContract.dispatchCall(names.get(0), selector)));
  }
}
