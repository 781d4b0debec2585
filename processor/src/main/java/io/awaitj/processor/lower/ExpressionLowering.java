package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * Lowers expressions that contain awaits, keeping Java's evaluation order exactly: every operand that
 * Java evaluates before an await is evaluated first and kept ("spilled") in a typed field, the await
 * suspends, and the rest of the expression is evaluated after it, in the resumed state. Operands
 * evaluated after the last await are copied as they are. {@code &&}, {@code ||} and {@code ?:} become
 * branches, so an await in them runs only when Java would evaluate it.
 *
 * <p>Each method returns a fragment of code that is valid in the state current when it returns.
 */
final class ExpressionLowering extends Rule {
  private final AssignmentLowering assignments;

  ExpressionLowering(Parts parts) {
    super(parts);
    this.assignments = new AssignmentLowering(parts);
  }

  /** Lowers an expression statement. */
  void asStatement(TreePath path) {
    if (path.getLeaf() instanceof MethodInvocationTree m && source.asyncElements.isEmit(path)) {
      emit(path, m);
      return;
    }
    if (path.getLeaf() instanceof MethodInvocationTree && source.asyncElements.isAwait(path)) {
      await(path, true);
      return;
    }
    CodeBlock code = expr(path);
    machine.emitStatement("$L", code);
  }

  /** A fragment computing the expression at {@code path}, valid in the state current on return. */
  CodeBlock expr(TreePath path) {
    Tree t = path.getLeaf();
    if (!source.analysis.containsAwait(t)) {
      return verbatim.copy(path);
    }
    switch (t.getKind()) {
      case PARENTHESIZED:
        return CodeBlock.of("($L)", expr(child(path, ((ParenthesizedTree) t).getExpression())));
      case METHOD_INVOCATION:
        if (source.asyncElements.isAwait(path)) {
          return await(path, false);
        }
        return invocation(path, (MethodInvocationTree) t);
      case NEW_CLASS:
        return newClass(path, (NewClassTree) t);
      case ASSIGNMENT:
        return assignments.assignment(path, (AssignmentTree) t);
      case CONDITIONAL_AND:
      case CONDITIONAL_OR:
        return shortCircuit(path, (BinaryTree) t);
      case CONDITIONAL_EXPRESSION:
        return conditional(path, (ConditionalExpressionTree) t);
      case TYPE_CAST: {
        TypeCastTree c = (TypeCastTree) t;
        CodeBlock type = verbatim.copy(child(path, c.getType()));
        return CodeBlock.of("($L) $L", type, paren(expr(child(path, c.getExpression()))));
      }
      case INSTANCE_OF: {
        InstanceOfTree i = (InstanceOfTree) t;
        CodeBlock e = expr(child(path, i.getExpression()));
        if (i.getPattern() instanceof com.sun.source.tree.BindingPatternTree binding) {
          TreePath varPath = child(child(path, binding), binding.getVariable());
          String field = frame.fieldOf(source.trees.getElement(varPath));
          if (field == null) {
            return unsupported(t, "awaitj: the pattern variable of this instanceof has no field");
          }
          return bindPattern(e, verbatim.copy(child(varPath, binding.getVariable().getType())), field);
        }
        if (i.getPattern() != null) {
          return unsupported(t, "await in an instanceof with a record pattern is not supported yet:"
              + " await into a local variable first");
        }
        return CodeBlock.of("($L instanceof $L)", paren(e), verbatim.copy(child(path, i.getType())));
      }
      case MEMBER_SELECT: {
        MemberSelectTree m = (MemberSelectTree) t;
        return CodeBlock.of("$L.$L", paren(expr(child(path, m.getExpression()))), m.getIdentifier());
      }
      case ARRAY_ACCESS: {
        ArrayAccessTree a = (ArrayAccessTree) t;
        List<CodeBlock> ops = operands(path, List.of(a.getExpression(), a.getIndex()));
        return CodeBlock.of("$L[$L]", paren(ops.get(0)), ops.get(1));
      }
      case NEW_ARRAY:
        return newArray(path, (NewArrayTree) t);
      case LAMBDA_EXPRESSION:
        return CodeBlock.of("null"); // the analysis reported the await inside
      case MEMBER_REFERENCE: {
        // The qualifier is evaluated when the reference is: await it, then refer.
        com.sun.source.tree.MemberReferenceTree r = (com.sun.source.tree.MemberReferenceTree) t;
        CodeBlock qualifier = expr(child(path, r.getQualifierExpression()));
        return CodeBlock.of("$L::$L", paren(qualifier),
            r.getMode() == com.sun.source.tree.MemberReferenceTree.ReferenceMode.NEW ? "new" : r.getName());
      }
      case SWITCH_EXPRESSION:
        return new SwitchLowering(parts).expression(path);
      default:
        break;
    }
    if (t instanceof CompoundAssignmentTree c) {
      return assignments.compoundAssignment(path, c);
    }
    if (t instanceof BinaryTree b) {
      List<CodeBlock> ops = operands(path, List.of(b.getLeftOperand(), b.getRightOperand()));
      return CodeBlock.of("($L $L $L)", paren(ops.get(0)), Operators.binary(t.getKind()), paren(ops.get(1)));
    }
    if (t instanceof UnaryTree u) {
      Element field = source.trees.getElement(child(path, u.getExpression()));
      if (Operators.isIncrementOrDecrement(t.getKind()) && privateAccess.needsHandle(field)) {
        return assignments.privateIncrement(path, u, (javax.lang.model.element.VariableElement) field);
      }
      CodeBlock e = paren(expr(child(path, u.getExpression())));
      String op = Operators.unary(t.getKind());
      boolean postfix = Operators.isPostfix(t.getKind());
      return postfix ? CodeBlock.of("$L$L", e, op) : CodeBlock.of("$L$L", op, e);
    }
    return unsupported(t, "await is not supported in this kind of expression ("
        + t.getKind().toString().toLowerCase().replace('_', ' ') + ") yet");
  }

  /** Awaits the coroutine expression at {@code path} (a delegating return) and returns its value. */
  CodeBlock awaitValue(TreePath path, ExpressionTree tree) {
    if (tree.getKind() == Tree.Kind.NULL_LITERAL) {
      return unsupported(tree, "an @Async method cannot return null: end it with 'return done(value);'"
          + " (or 'return done();' for Coroutine<Void>)");
    }
    CodeBlock awaitable = expr(path);
    TypeMirror t = source.typeOf(path);
    TypeName result = null;
    if (t instanceof DeclaredType d && d.getTypeArguments().size() == 1) {
      result = source.typeNames.denotable(d.getTypeArguments().get(0));
    }
    if (result == null) {
      result = ClassName.OBJECT;
    }
    return suspend(awaitable, result, tree, tree);
  }

  private CodeBlock await(TreePath path, boolean discard) {
    MethodInvocationTree m = (MethodInvocationTree) path.getLeaf();
    CodeBlock awaitable = expr(child(path, m.getArguments().get(0)));
    TypeName result = discard ? null : source.typeNameOf(path);
    CodeBlock value = suspend(awaitable, result, m, m.getArguments().get(0));
    TypeNames.Intersection both;
    try {
      both = discard ? null : source.typeNames.intersection(source.typeOf(path), source.types);
    } catch (TypeNames.WildcardIntersection w) {
      throw source.abort(m, w.message("the result of this await"));
    }
    return both == null ? value : both.read(value); // every bound, as in the source
  }

  /**
   * A generator's {@code emit(x)}: ends the current state by handing the value over, and starts the
   * state the generator resumes at when the next value is requested (where a close throws).
   */
  private void emit(TreePath path, MethodInvocationTree m) {
    CodeBlock value = expr(child(path, m.getArguments().get(0)));
    State resume = machine.newState(null);
    machine.close(MachineContract.emit(resume, value, frame.releaseWhileSuspended()));
    machine.enter(resume);
    machine.describeResume(m, "");
    machine.emit(MachineContract.resumeAfterEmit());
  }

  /**
   * Ends the current state with a suspension on {@code awaitable}, the code of the expression {@code
   * operand}, and starts the resume state. The result is read into a local of the resume state.
   */
  CodeBlock suspend(CodeBlock awaitable, TypeName result, Tree at, Tree operand) {
    State resume = machine.newState(null);
    CodeBlock consumed = frame.consumedBy(operand);
    machine.suspend(resume, awaitable, frame.releaseWhileSuspended(), consumed);
    machine.enter(resume);
    machine.describeResume(at, "");
    if (result == null) {
      machine.emit(MachineContract.resumeDiscarding());
      return null;
    }
    // Used exactly once by the enclosing expression, at the place of the await: it is evaluated in
    // Java's order, and a failure is thrown right there.
    return MachineContract.resumeValue(result);
  }

  private CodeBlock invocation(TreePath path, MethodInvocationTree inv) {
    ExpressionTree select = inv.getMethodSelect();
    List<Tree> ops = new ArrayList<>();
    boolean receiver = false;
    javax.lang.model.element.TypeElement superQualifier = privateAccess.superQualifier(child(path, select), source.trees);
    if (superQualifier != null) {
      Element method = source.trees.getElement(path);
      if (!(method instanceof javax.lang.model.element.ExecutableElement)) {
        throw source.diagnostics.abortSilently(); // unresolved: javac reports it
      }
      List<CodeBlock> args = operands(path, inv.getArguments());
      return privateAccess.superCall((javax.lang.model.element.ExecutableElement) method,
          superQualifier, CodeBlock.of("$L", frame.self()), args);
    }
    if (select instanceof MemberSelectTree ms && !isTypeOrPackage(child(child(path, select), ms.getExpression()))) {
      ops.add(ms.getExpression());
      receiver = true;
    }
    ops.addAll(inv.getArguments());
    List<CodeBlock> frags = operands(path, ops);
    Element method = source.trees.getElement(path);
    if (privateAccess.needsHandle(method)) {
      CodeBlock target = receiver ? frags.get(0)
          : method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC) ? null
          : CodeBlock.of("$L", frame.self());
      return privateAccess.call((javax.lang.model.element.ExecutableElement) method, target,
          frags.subList(receiver ? 1 : 0, frags.size()));
    }
    CodeBlock.Builder b = CodeBlock.builder();
    if (receiver) {
      MemberSelectTree ms = (MemberSelectTree) select;
      b.add("$L.", paren(frags.get(0)));
      if (!inv.getTypeArguments().isEmpty()) {
        b.add("<$L>", join(copies(path, inv.getTypeArguments())));
      }
      b.add("$L", ms.getIdentifier());
    } else {
      b.add(verbatim.copy(child(path, select)));
    }
    b.add("($L)", join(frags.subList(receiver ? 1 : 0, frags.size())));
    return b.build();
  }

  private CodeBlock newClass(TreePath path, NewClassTree n) {
    List<Tree> ops = new ArrayList<>();
    if (n.getEnclosingExpression() != null) {
      ops.add(n.getEnclosingExpression());
    }
    ops.addAll(n.getArguments());
    List<CodeBlock> frags = operands(path, ops);
    CodeBlock.Builder b = CodeBlock.builder();
    int first = 0;
    if (n.getEnclosingExpression() != null) {
      b.add("$L.", paren(frags.get(0)));
      first = 1;
    }
    Tree name = n.getIdentifier() instanceof com.sun.source.tree.ParameterizedTypeTree g ? g.getType()
        : n.getIdentifier();
    TreePath namePath = n.getIdentifier() == name ? child(path, name)
        : child(child(path, n.getIdentifier()), name);
    Element created = n.getEnclosingExpression() != null
        || !(name instanceof IdentifierTree || name instanceof MemberSelectTree) ? null
        : n.getClassBody() != null ? source.trees.getElement(namePath)
        : source.trees.getElement(path) instanceof javax.lang.model.element.ExecutableElement ctor
            ? ctor.getEnclosingElement() : null;
    TypeElement inner = NameRewrites.isInnerMemberClass(created) ? (TypeElement) created : null;
    if (inner != null) {
      // An inner member class, created on self by its simple name (as the copy does, see
      // NameRewrites.innerClassCreation): self.new Inner<>(...).
      b.add("$L.", frame.self());
    }
    b.add("new ");
    if (!n.getTypeArguments().isEmpty()) {
      b.add("<$L>", join(copies(path, n.getTypeArguments())));
    }
    if (inner == null) {
      b.add(verbatim.copy(child(path, n.getIdentifier())));
    } else if (n.getIdentifier() instanceof com.sun.source.tree.ParameterizedTypeTree g) {
      b.add("$L<$L>", inner.getSimpleName(), join(copies(child(path, g), g.getTypeArguments())));
    } else {
      b.add("$L", inner.getSimpleName());
    }
    b.add("($L)", join(frags.subList(first, frags.size())));
    if (n.getClassBody() != null) {
      // An anonymous class: its body as written, after the arguments (the locals it captures are
      // snapshotted in the state where it is created).
      b.add(" $L", verbatim.copy(child(path, n.getClassBody())));
    }
    return b.build();
  }

  private CodeBlock shortCircuit(TreePath path, BinaryTree b) {
    boolean and = b.getKind() == Tree.Kind.CONDITIONAL_AND;
    if (!source.analysis.containsAwait(b.getRightOperand())) {
      CodeBlock left = expr(child(path, b.getLeftOperand()));
      CodeBlock right = verbatim.copy(child(path, b.getRightOperand()));
      return CodeBlock.of("($L $L $L)", paren(left), and ? "&&" : "||", paren(right));
    }
    String result = frame.temporary("cond", TypeName.BOOLEAN);
    machine.emitStatement("$L = $L", result, expr(child(path, b.getLeftOperand())));
    State end = machine.newState(null);
    machine.emit(CodeBlock.builder()
        .beginControlFlow(and ? "if (!$L)" : "if ($L)", result)
        .add(MachineContract.jump(end))
        .endControlFlow()
        .build());
    machine.emitStatement("$L = $L", result, expr(child(path, b.getRightOperand())));
    machine.jump(end);
    machine.enter(end);
    return CodeBlock.of("$L", result);
  }

  private CodeBlock conditional(TreePath path, ConditionalExpressionTree c) {
    if (!source.analysis.containsAwait(c.getTrueExpression()) && !source.analysis.containsAwait(c.getFalseExpression())) {
      CodeBlock cond = expr(child(path, c.getCondition()));
      return CodeBlock.of("($L ? $L : $L)", paren(cond),
          verbatim.copy(child(path, c.getTrueExpression())),
          verbatim.copy(child(path, c.getFalseExpression())));
    }
    String result = frame.temporary("choice", source.typeNameOf(path));
    frame.holds(result, source.typeOf(path), c, "this conditional, which awaits,");
    CodeBlock cond = expr(child(path, c.getCondition()));
    State otherwise = machine.newState(null);
    State end = machine.newState(null);
    machine.emit(CodeBlock.builder()
        .beginControlFlow("if (!$L)", paren(cond))
        .add(MachineContract.jump(otherwise))
        .endControlFlow()
        .build());
    machine.emitStatement("$L = $L", result, expr(child(path, c.getTrueExpression())));
    machine.jump(end);
    machine.enter(otherwise);
    machine.emitStatement("$L = $L", result, expr(child(path, c.getFalseExpression())));
    machine.jump(end);
    machine.enter(end);
    return frame.read(result);
  }

  private CodeBlock newArray(TreePath path, NewArrayTree n) {
    List<Tree> ops = new ArrayList<>(n.getDimensions());
    if (n.getInitializers() != null) {
      ops.addAll(n.getInitializers());
    }
    List<CodeBlock> frags = operands(path, ops);
    int dims = n.getDimensions().size();
    CodeBlock.Builder b = CodeBlock.builder();
    if (n.getType() != null) {
      Tree base = n.getType();
      int depth = 0;
      while (base instanceof ArrayTypeTree at) {
        base = at.getType();
        depth++;
      }
      TreePath basePath = child(path, n.getType());
      for (Tree t = n.getType(); t instanceof ArrayTypeTree at; t = at.getType()) {
        basePath = child(basePath, at.getType());
      }
      b.add("new $L", verbatim.copy(basePath));
      for (int i = 0; i < dims; i++) {
        b.add("[$L]", frags.get(i));
      }
      for (int i = 0; i < depth + (dims == 0 ? 1 : 0); i++) {
        b.add("[]");
      }
    }
    if (n.getInitializers() != null) {
      b.add("{$L}", join(frags.subList(dims, frags.size())));
    }
    return b.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Spilling.

  /**
   * Fragments for operands evaluated in this order. Those evaluated before the last one containing an
   * await are spilled into fields (unless they are constants); that one is lowered; later ones are
   * copied.
   */
  List<CodeBlock> operands(TreePath parent, List<? extends Tree> ops) {
    int last = -1;
    for (int i = 0; i < ops.size(); i++) {
      if (source.analysis.containsAwait(ops.get(i))) {
        last = i;
      }
    }
    List<CodeBlock> out = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Tree op = ops.get(i);
      TreePath p = child(parent, op);
      if (i < last) {
        out.add(isStable(p) ? verbatim.copy(p) : spill(p));
      } else if (i == last) {
        out.add(expr(p));
      } else {
        out.add(verbatim.copy(p));
      }
    }
    return out;
  }

  /** Evaluates the expression at {@code p} now into a field, and returns the field. */
  CodeBlock spill(TreePath p) {
    String field = spillCode(expr(p), source.typeNameOf(p));
    frame.holds(field, source.typeOf(p), p.getLeaf(), "this value, evaluated before an await,");
    return frame.read(field);
  }

  String spillCode(CodeBlock value, TypeName type) {
    String field = frame.temporary("spill", type);
    machine.emitStatement("$L = $L", field, value);
    return field;
  }

  /** Constants, and {@code this}, need no spilling: nothing an await does can change them. */
  private boolean isStable(TreePath p) {
    Tree t = p.getLeaf();
    if (t instanceof com.sun.source.tree.LiteralTree) {
      return true;
    }
    return t instanceof IdentifierTree id && id.getName().contentEquals("this");
  }

  boolean isTypeOrPackage(TreePath p) {
    Tree t = p.getLeaf();
    if (!(t instanceof IdentifierTree) && !(t instanceof MemberSelectTree)) {
      return false;
    }
    Element e = source.trees.getElement(p);
    return e instanceof TypeElement || e instanceof PackageElement;
  }

  private List<CodeBlock> copies(TreePath parent, List<? extends Tree> trees) {
    List<CodeBlock> out = new ArrayList<>();
    for (Tree t : trees) {
      out.add(verbatim.copy(child(parent, t)));
    }
    return out;
  }

  private static CodeBlock join(List<CodeBlock> parts) {
    return CodeBlock.join(parts, ", ");
  }

  /** Wraps a fragment in parentheses unless it is a plain (possibly dotted) name. */
  static CodeBlock paren(CodeBlock code) {
    String s = code.toString();
    boolean simple = !s.isEmpty();
    for (int i = 0; i < s.length() && simple; i++) {
      char c = s.charAt(i);
      simple = Character.isJavaIdentifierPart(c) || c == '.';
    }
    if (simple || s.startsWith("(") && s.endsWith(")") && balanced(s)) {
      return code;
    }
    return CodeBlock.of("($L)", code);
  }

  private static boolean balanced(String s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0 && i < s.length() - 1) {
          return false;
        }
      }
    }
    return depth == 0;
  }

  /**
   * {@code value instanceof type name} where the pattern variable became {@code field}: tests the value
   * and stores it in the field when it matches.
   */
  CodeBlock bindPattern(CodeBlock value, CodeBlock type, String field) {
    String matched = frame.localName("matched");
    return CodeBlock.of("($L instanceof $L $L && ($L = $L) == $L)", paren(value), type, matched, field,
        matched, matched);
  }

  CodeBlock unsupported(Tree t, String message) {
    source.unsupported(t, message);
    return CodeBlock.of("null");
  }

  static TreePath child(TreePath parent, Tree child) {
    return new TreePath(parent, child);
  }
}
