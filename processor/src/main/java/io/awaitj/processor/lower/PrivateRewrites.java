package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * The user type's private members in copied code, which the machine (another class) cannot name:
 * reads, writes, updates, calls and method references go through {@link PrivateAccess}'s handles, and
 * {@code super.m(...)} through a handle that skips virtual dispatch. Each method returns whether it
 * rewrote the tree (then its parts are not scanned again).
 */
final class PrivateRewrites {
  private final CopyScan scan;
  private final Verbatim.Context context;
  private final PrivateAccess access;

  PrivateRewrites(CopyScan scan) {
    this.scan = scan;
    this.context = scan.context;
    this.access = scan.context.privateAccess();
  }

  /** The error for private member {@code e} that no handle can reach. */
  static void cannotUse(Verbatim.Context context, Tree at, Element e) {
    context.unsupported(at, "private member '" + e.getSimpleName() + "' of "
        + e.getEnclosingElement().getSimpleName() + " cannot be used from the generated state"
        + " machine: make it package-private");
  }

  /** A private field named without a qualifier. */
  boolean implicitRead(IdentifierTree node, Element e) {
    if (access.needsHandle(e) && e instanceof VariableElement f) {
      scan.replace(node, access.read(f, selfOrNull(f)));
      return true;
    }
    return false;
  }

  /** {@code o.f} of a private field, or a private member no handle reaches (an error). */
  boolean memberSelect(MemberSelectTree node) {
    Element e = scan.element(scan.getCurrentPath());
    if (access.needsHandle(e) && e instanceof VariableElement f) {
      scan.replace(node, access.read(f, receiverOf(scan.getCurrentPath(), f)));
      return true;
    }
    if (e != null && e.getModifiers().contains(Modifier.PRIVATE)
        && (e instanceof VariableElement || e instanceof ExecutableElement)
        && !isMemberOfEnclosingLocalClass(e)) {
      cannotUse(context, node, e);
      return true;
    }
    return false;
  }

  /** {@code X::m} or {@code this::m} of a private method. */
  boolean memberReference(MemberReferenceTree node) {
    Element e = scan.element(scan.getCurrentPath());
    if (!(access.needsHandle(e) && e instanceof ExecutableElement m)) {
      return false;
    }
    Tree q = node.getQualifierExpression();
    boolean typeQualified = scan.elementOf(q) instanceof TypeElement;
    boolean thisQualified = q instanceof IdentifierTree id && id.getName().contentEquals("this")
        || q instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("this");
    if (typeQualified || m.getModifiers().contains(Modifier.STATIC)) {
      scan.replace(node, access.reference(m, null));
    } else if (thisQualified && scan.classes().isEmpty()) {
      scan.replace(node, access.reference(m, CodeBlock.of("$L", context.self())));
    } else {
      context.unsupported(node, "a method reference to private method '" + m.getSimpleName()
          + "' on another object cannot be used from the generated state machine: use a lambda"
          + " or make the method package-private");
    }
    return true;
  }

  /** {@code super.m(...)}, {@code I.super.m(...)}, or a call of a private method. */
  boolean invocation(MethodInvocationTree node) {
    TreePath path = scan.getCurrentPath();
    Element e = scan.element(path);
    TypeElement superQualifier = scan.classes().isEmpty()
        ? access.superQualifier(new TreePath(path, node.getMethodSelect()), scan.source.trees)
        : null;
    if (superQualifier != null && e instanceof ExecutableElement m) {
      scan.replace(node, access.superCall(m, superQualifier, CodeBlock.of("$L", context.self()),
          copies(path, node.getArguments())));
      return true;
    }
    if (access.needsHandle(e)) {
      TreePath select = new TreePath(path, node.getMethodSelect());
      scan.replace(node, access.call((ExecutableElement) e, receiverOf(select, e),
          copies(path, node.getArguments())));
      return true;
    }
    return false;
  }

  /** {@code f = value} of a private field. */
  boolean assignment(AssignmentTree node) {
    TreePath lhs = new TreePath(scan.getCurrentPath(), node.getVariable());
    Element e = scan.element(lhs);
    if (access.needsHandle(e) && e instanceof VariableElement f) {
      TreePath rhs = new TreePath(scan.getCurrentPath(), node.getExpression());
      scan.replace(node, access.write(f, receiverOf(lhs, f),
          access.assignable(f, scan.source.typeOf(rhs), scan.copy(rhs))));
      return true;
    }
    return false;
  }

  /** {@code f op= value} of a private field. */
  boolean compoundAssignment(CompoundAssignmentTree node) {
    TreePath lhs = new TreePath(scan.getCurrentPath(), node.getVariable());
    Element e = scan.element(lhs);
    if (!(access.needsHandle(e) && e instanceof VariableElement f)) {
      return false;
    }
    TreePath rhs = new TreePath(scan.getCurrentPath(), node.getExpression());
    CodeBlock receiver = repeatableReceiver(lhs, f, node.getExpression(), node);
    if (receiver != null || f.getModifiers().contains(Modifier.STATIC)) {
      scan.replace(node, access.update(f, receiver, Operators.binary(node.getKind()),
          CodeBlock.of("($L)", scan.copy(rhs)), Operators.compoundCast(scan.source.types,
              scan.source.typeOf(lhs), scan.source.typeOf(rhs), node.getKind())));
    }
    return true;
  }

  /** {@code f++} and the like of a private field. */
  boolean increment(UnaryTree node) {
    if (!Operators.isIncrementOrDecrement(node.getKind())) {
      return false;
    }
    TreePath operand = new TreePath(scan.getCurrentPath(), node.getExpression());
    Element e = scan.element(operand);
    if (!(access.needsHandle(e) && e instanceof VariableElement f)) {
      return false;
    }
    String cannot = access.cannotIncrement(f);
    if (cannot != null) {
      context.unsupported(node, cannot);
      return true;
    }
    scan.replace(node, access.increment(f, receiverOf(operand, f),
        Operators.isDecrement(node.getKind()), Operators.isPostfix(node.getKind())));
    return true;
  }

  private CodeBlock selfOrNull(Element member) {
    return member.getModifiers().contains(Modifier.STATIC) ? null : CodeBlock.of("$L", context.self());
  }

  /** The receiver of a member select: {@code self} for {@code this}, else a copy. */
  private CodeBlock receiverOf(TreePath selectPath, Element member) {
    if (member.getModifiers().contains(Modifier.STATIC)) {
      return null;
    }
    if (selectPath.getLeaf() instanceof MemberSelectTree ms) {
      return scan.copy(new TreePath(selectPath, ms.getExpression()));
    }
    return CodeBlock.of("$L", context.self());
  }

  private List<CodeBlock> copies(TreePath parent, List<? extends Tree> trees) {
    List<CodeBlock> out = new ArrayList<>();
    for (Tree t : trees) {
      out.add(scan.copy(new TreePath(parent, t)));
    }
    return out;
  }

  /**
   * The receiver of private field {@code f} in {@code f op= rhs}, which the update names twice (to
   * read, then to write): {@code self}, or a local variable that {@code rhs} does not assign. Null
   * for a static field, and null after reporting any other receiver (a computed object).
   */
  private CodeBlock repeatableReceiver(TreePath lhs, VariableElement f, Tree rhs, Tree at) {
    CodeBlock receiver = receiverOf(lhs, f);
    if (receiver == null || !(lhs.getLeaf() instanceof MemberSelectTree ms)) {
      return receiver;
    }
    Tree qualifier = ms.getExpression();
    Element q = scan.element(new TreePath(lhs, qualifier));
    if (qualifier instanceof IdentifierTree id && id.getName().contentEquals("this")) {
      return receiver;
    }
    if (qualifier instanceof MemberSelectTree qs && qs.getIdentifier().contentEquals("this")
        && context.userType().equals(scan.element(new TreePath(new TreePath(lhs, qualifier),
            qs.getExpression())))) {
      return receiver; // X.this
    }
    if (qualifier instanceof IdentifierTree && q instanceof VariableElement v
        && v.getKind() != ElementKind.FIELD && v.getKind() != ElementKind.ENUM_CONSTANT
        && !assigns(new TreePath(lhs.getParentPath(), rhs), v)) {
      return receiver;
    }
    context.unsupported(at, "compound assignment of private field '" + f.getSimpleName()
        + "' of a computed object is not supported in an @Async method: assign the object to a"
        + " local variable first");
    return null;
  }

  /** Whether the code at {@code path} assigns, increments or decrements variable {@code v}. */
  private boolean assigns(TreePath path, VariableElement v) {
    Boolean found = new TreePathScanner<Boolean, Void>() {
      private boolean targets(Tree variable) {
        return v.equals(scan.element(new TreePath(getCurrentPath(), variable)));
      }

      @Override
      public Boolean visitAssignment(AssignmentTree t, Void p) {
        return targets(t.getVariable()) || Boolean.TRUE.equals(super.visitAssignment(t, p));
      }

      @Override
      public Boolean visitCompoundAssignment(CompoundAssignmentTree t, Void p) {
        return targets(t.getVariable()) || Boolean.TRUE.equals(super.visitCompoundAssignment(t, p));
      }

      @Override
      public Boolean visitUnary(UnaryTree t, Void p) {
        return Operators.isIncrementOrDecrement(t.getKind()) && targets(t.getExpression())
            || Boolean.TRUE.equals(super.visitUnary(t, p));
      }

      @Override
      public Boolean reduce(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
      }
    }.scan(path, null);
    return Boolean.TRUE.equals(found);
  }

  /** Whether {@code e} belongs to a local or anonymous class declared in the copied code. */
  private boolean isMemberOfEnclosingLocalClass(Element e) {
    for (TypeElement c : scan.classes()) {
      if (c.equals(e.getEnclosingElement())) {
        return true;
      }
    }
    return false;
  }
}
