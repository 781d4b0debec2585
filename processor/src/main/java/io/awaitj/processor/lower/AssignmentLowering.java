package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * Assignments, compound assignments and increments whose parts await, in Java's order: the target's
 * parts (array and index, the object of a field) are evaluated and kept first, a compound assignment
 * reads the variable's value before its right-hand side runs, and the user type's private fields are
 * written through {@link PrivateAccess}.
 */
final class AssignmentLowering extends Rule {
  AssignmentLowering(Parts parts) {
    super(parts);
  }

  CodeBlock assignment(TreePath path, AssignmentTree a) {
    TreePath lhsPath = ExpressionLowering.child(path, a.getVariable());
    Tree lhs = a.getVariable();
    if (lhs instanceof ArrayAccessTree aa) {
      List<CodeBlock> ops = expressions().operands(path, List.of(aa.getExpression(), aa.getIndex(), a.getExpression()));
      return CodeBlock.of("$L[$L] = $L", ExpressionLowering.paren(ops.get(0)), ops.get(1), ops.get(2));
    }
    Element field = source.trees.getElement(lhsPath);
    if (!privateAccess.needsHandle(field)
        && lhs instanceof MemberSelectTree ms && !expressions().isTypeOrPackage(ExpressionLowering.child(lhsPath, ms.getExpression()))) {
      List<CodeBlock> ops = expressions().operands(path, List.of(ms.getExpression(), a.getExpression()));
      return CodeBlock.of("$L.$L = $L", ExpressionLowering.paren(ops.get(0)), ms.getIdentifier(), ops.get(1));
    }
    if (privateAccess.needsHandle(field)) {
      CodeBlock receiver = null;
      if (!field.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
        receiver = lhs instanceof MemberSelectTree ms
            ? expressions().spill(ExpressionLowering.child(lhsPath, ms.getExpression()))
            : CodeBlock.of("$L", frame.self());
      }
      TreePath rhs = ExpressionLowering.child(path, a.getExpression());
      CodeBlock value = privateAccess.assignable((javax.lang.model.element.VariableElement) field,
          source.typeOf(rhs), expressions().expr(rhs));
      return privateAccess.write((javax.lang.model.element.VariableElement) field, receiver, value);
    }
    CodeBlock target = verbatim.copy(lhsPath);
    CodeBlock value = expressions().expr(ExpressionLowering.child(path, a.getExpression()));
    return CodeBlock.of("$L = $L", target, value);
  }

  /** The receiver of private field {@code field} at {@code lhsPath}, spilled: null when static. */
  private CodeBlock privateReceiver(TreePath lhsPath, Element field) {
    if (field.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
      return null;
    }
    return lhsPath.getLeaf() instanceof MemberSelectTree ms
        ? expressions().spill(ExpressionLowering.child(lhsPath, ms.getExpression()))
        : CodeBlock.of("$L", frame.self());
  }

  /** {@code f++} and the like on a private field whose receiver awaits. */
  CodeBlock privateIncrement(TreePath path, UnaryTree u, javax.lang.model.element.VariableElement f) {
    String cannot = privateAccess.cannotIncrement(f);
    if (cannot != null) {
      return expressions().unsupported(u, cannot);
    }
    CodeBlock receiver = privateReceiver(ExpressionLowering.child(path, u.getExpression()), f);
    return privateAccess.increment(f, receiver, Operators.isDecrement(u.getKind()),
        Operators.isPostfix(u.getKind()));
  }

  CodeBlock compoundAssignment(TreePath path, CompoundAssignmentTree c) {
    TreePath lhsPath = ExpressionLowering.child(path, c.getVariable());
    Tree lhs = c.getVariable();
    Element field = source.trees.getElement(lhsPath);
    if (privateAccess.needsHandle(field)) {
      // Java reads the field before it evaluates the right-hand side, which may await.
      javax.lang.model.element.VariableElement f = (javax.lang.model.element.VariableElement) field;
      CodeBlock receiver = privateReceiver(lhsPath, f);
      return privateAccess.write(f, receiver, combined(path, c, privateAccess.read(f, receiver)));
    }
    CodeBlock target;
    if (lhs instanceof ArrayAccessTree aa) {
      CodeBlock array = expressions().spill(ExpressionLowering.child(lhsPath, aa.getExpression()));
      CodeBlock index = expressions().spill(ExpressionLowering.child(lhsPath, aa.getIndex()));
      target = CodeBlock.of("$L[$L]", array, index);
    } else if (lhs instanceof MemberSelectTree ms
        && !expressions().isTypeOrPackage(ExpressionLowering.child(lhsPath, ms.getExpression()))) {
      CodeBlock owner = expressions().spill(ExpressionLowering.child(lhsPath, ms.getExpression()));
      target = CodeBlock.of("$L.$L", owner, ms.getIdentifier());
    } else {
      target = verbatim.copy(lhsPath);
    }
    return CodeBlock.of("$L = $L", target, combined(path, c, target));
  }

  /**
   * The new value of {@code c}'s variable, whose current value {@code current} reads: Java saves that
   * value before it evaluates the right-hand side (which may await), then applies the operator and
   * the cast the compound assignment implies.
   */
  private CodeBlock combined(TreePath path, CompoundAssignmentTree c, CodeBlock current) {
    TreePath lhsPath = ExpressionLowering.child(path, c.getVariable());
    String saved = expressions().spillCode(current, source.typeNameOf(lhsPath));
    TreePath rhsPath = ExpressionLowering.child(path, c.getExpression());
    CodeBlock combined = CodeBlock.of("$L $L $L", saved, Operators.binary(c.getKind()), ExpressionLowering.paren(expressions().expr(rhsPath)));
    TypeName cast = Operators.compoundCast(source.types, source.typeOf(lhsPath), source.typeOf(rhsPath), c.getKind());
    return cast == null ? combined : CodeBlock.of("($T) ($L)", cast, combined);
  }
}
