package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import io.awaitj.processor.analysis.AsyncElements;
import io.awaitj.processor.model.AsyncType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.Name;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Copies code that contains no await as the user wrote it (their text, their comments), with the few
 * edits that moving it into the machine class requires:
 *
 * <ul>
 *   <li>locals that became fields are renamed to their field;
 *   <li>implicit {@code this} becomes the machine's reference to the user object, {@code self};
 *   <li>static members are qualified by their class, types by {@code $T} (so imports follow);
 *   <li>calls and references to static {@code @Async} templates go to their generated class;
 *   <li>{@code break}, {@code continue} and {@code return} that leave the copied code become jumps
 *       between states (through lowered {@code finally} blocks where they cross one).
 * </ul>
 */
public final class Verbatim {

  /** What the copier needs to know about the machine being built. */
  public interface Context {
    /** The field a local variable was moved to, or {@code null} if it stays a local. */
    String fieldOf(Element local);

    /** The name of the machine's reference to the user object. */
    String self();

    /** The jump for a {@code break} (label may be null) that leaves the copied code. */
    CodeBlock breakOut(Tree at, Name label);

    /**
     * {@code value instanceof type name} where the pattern variable became {@code field}: tests the
     * value and stores it in the field when it matches.
     */
    CodeBlock bindPattern(CodeBlock value, CodeBlock type, String field);

    /** The code for a {@code yield} of a lowered switch expression that encloses the copied code. */
    CodeBlock yieldOut(Tree at, CodeBlock value);

    /** The jump for a {@code continue} (label may be null) that leaves the copied code. */
    CodeBlock continueOut(Tree at, Name label);

    /** The code for {@code return done(value)}; {@code value} is null for {@code done()}. */
    CodeBlock returnOut(Tree at, CodeBlock value);

    /** Reports an unsupported construct at {@code tree}. */
    void unsupported(Tree tree, String message);

    /** The exception that abandons the body silently: javac reports the error in the source. */
    RuntimeException erroneous();

    /** The user type whose method is being compiled. */
    TypeElement userType();

    /** {@code final T alias = field}, a resource declaration standing for a local that became a field. */
    CodeBlock resourceAlias(Element local, String field);

    /** Whether {@code lambda} is an async lambda of the body (it awaits, and returns a Coroutine). */
    boolean isAsyncLambda(Tree lambda);

    /** Lowers an async lambda into its own machine; the code of the lambda that replaces it. */
    CodeBlock asyncLambda(TreePath lambda);

    /** Access to the user type's private members, which the machine cannot name. */
    PrivateAccess privateAccess();

    /**
     * The name to use for a local that became a field, inside a lambda or a local or anonymous class:
     * an effectively final copy taken where the lambda is created, as Java captures the value, not
     * the variable.
     */
    String captured(Element local, String field);

    /**
     * The name of the machine's flag for whether assertions are enabled for the user's class (an
     * assert copied into the machine would otherwise follow the machine's own status, which {@code
     * -ea:the.UserClass} does not enable).
     */
    String assertionsEnabled();

    /** Whether {@code t}, a local class of the body, is declared as a member of the machine. */
    boolean isMemberLocalClass(TypeElement t);

    /**
     * How the local class being copied as a member of the machine reads local {@code e} it captures,
     * or null when no such class is being copied.
     */
    String hoistedCapture(Element e);

    /** Whether local class {@code t} is declared inside the body the machine is compiled from. */
    boolean isDeclaredInBody(TypeElement t);
  }

  private final Trees trees;
  private final Elements elements;
  private final Types types;
  private final CompilationUnitTree unit;
  private final CharSequence source;
  private final Context context;

  public Verbatim(Trees trees, Elements elements, Types types, CompilationUnitTree unit, Context context) {
    this.trees = trees;
    this.elements = elements;
    this.types = types;
    this.unit = unit;
    this.context = context;
    try {
      this.source = unit.getSourceFile().getCharContent(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The source line of {@code tree}, 1-based. */
  public long line(Tree tree) {
    return unit.getLineMap().getLineNumber(positions().getStartPosition(unit, tree));
  }

  /** The first line of {@code tree}'s text, trimmed, for comments. */
  public String firstLine(Tree tree) {
    String text = text(tree);
    int nl = text.indexOf('\n');
    String first = (nl < 0 ? text : text.substring(0, nl)).trim();
    first = first.length() > 100 ? first.substring(0, 97) + "..." : first;
    // For a comment: javac reads unicode escapes even there (a cut one is an error, an escaped line
    // break would end the comment). Doubled backslashes start none.
    return first.replace("\\", "\\\\");
  }

  /** The raw source text of {@code tree}. */
  public String text(Tree tree) {
    SourcePositions p = positions();
    long start = p.getStartPosition(unit, tree);
    long end = p.getEndPosition(unit, tree);
    return source.subSequence((int) start, (int) end).toString();
  }

  private SourcePositions positions() {
    return trees.getSourcePositions();
  }

  /** A copy of the tree at {@code path}, with the edits described above. */
  public CodeBlock copy(TreePath path) {
    Tree tree = path.getLeaf();
    SourcePositions p = positions();
    return copyRange(path, (int) p.getStartPosition(unit, tree), (int) p.getEndPosition(unit, tree),
        java.util.Map.of());
  }

  /**
   * A copy of the source text from {@code start} to {@code end}, which lies within the tree at {@code
   * path}, with the edits described above; the variables in {@code renamed} (declarations and uses)
   * take the names given there instead of their fields.
   */
  public CodeBlock copyRange(TreePath path, int start, int end, java.util.Map<Element, String> renamed) {
    List<Edit> edits = new ArrayList<>();
    EditScanner scanner = new EditScanner(edits, start, end);
    scanner.renamed = renamed;
    scanner.scan(path, null);
    edits.sort(Comparator.comparingInt(Edit::start));
    int column = start - lineStart(start);
    CodeBlock.Builder b = CodeBlock.builder();
    int at = start;
    for (Edit e : edits) {
      if (e.start < at) {
        continue; // nested in an edit already made
      }
      appendText(b, at, e.start, column);
      b.add(e.code);
      at = e.end;
    }
    appendText(b, at, end, column);
    return b.build();
  }

  private int lineStart(int pos) {
    int i = pos;
    while (i > 0 && source.charAt(i - 1) != '\n') {
      i--;
    }
    return i;
  }

  /** Appends source text, removing up to {@code column} leading blanks of each continuation line. */
  private void appendText(CodeBlock.Builder b, int from, int to, int column) {
    if (from >= to) {
      return;
    }
    StringBuilder out = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      char c = source.charAt(i++);
      out.append(c);
      if (c == '\n') {
        int skipped = 0;
        while (i < to && skipped < column && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
          i++;
          skipped++;
        }
      }
    }
    b.add("$L", out.toString());
  }

  private record Edit(int start, int end, CodeBlock code) {}

  /** A breakable statement inside the copied code: jumps to it stay as they are. */
  private record Breakable(Name label, boolean loop, boolean labelOnly) {}

  private final class EditScanner extends TreePathScanner<Void, Void> {
    private final List<Edit> edits;
    private final int chunkStart;
    private final int chunkEnd;
    private final Deque<Breakable> breakables = new ArrayDeque<>();
    private final Deque<TypeElement> classes = new ArrayDeque<>();
    private int lambdas;
    private int switchExpressions;
    private java.util.Map<Element, String> renamed = java.util.Map.of();

    EditScanner(List<Edit> edits, int chunkStart, int chunkEnd) {
      this.edits = edits;
      this.chunkStart = chunkStart;
      this.chunkEnd = chunkEnd;
    }

    private void replace(Tree tree, CodeBlock code) {
      SourcePositions p = positions();
      int s = (int) p.getStartPosition(unit, tree);
      int e = (int) p.getEndPosition(unit, tree);
      // Trees javac made up (the implicit members of a record) have no end position: not in the text.
      if (s >= chunkStart && e <= chunkEnd && s >= 0 && e >= s) {
        edits.add(new Edit(s, e, code));
      }
    }

    private void insertBefore(Tree tree, CodeBlock code) {
      int s = (int) positions().getStartPosition(unit, tree);
      if (s >= chunkStart) {
        edits.add(new Edit(s, s, code));
      }
    }

    private boolean inNestedBody() {
      return lambdas > 0 || !classes.isEmpty();
    }

    // ---- breakables inside the copied code ----

    @Override
    public Void visitLabeledStatement(LabeledStatementTree node, Void p) {
      Tree s = node.getStatement();
      boolean loop = isLoop(s);
      breakables.push(new Breakable(node.getLabel(), loop, !loop && !(s instanceof SwitchTree)));
      try {
        // The labelled loop or switch is the same breakable: scan its parts without pushing again.
        return scanBreakableBody(s);
      } finally {
        breakables.pop();
      }
    }

    private Void scanBreakableBody(Tree s) {
      TreePath path = new TreePath(getCurrentPath(), s);
      if (isLoop(s) || s instanceof SwitchTree) {
        for (Tree child : children(s)) {
          if (child != null) {
            scan(new TreePath(path, child), null);
          }
        }
        return null;
      }
      return scan(path, null);
    }

    @Override
    public Void visitWhileLoop(WhileLoopTree node, Void p) {
      return withBreakable(new Breakable(null, true, false), () -> super.visitWhileLoop(node, p));
    }

    @Override
    public Void visitDoWhileLoop(DoWhileLoopTree node, Void p) {
      return withBreakable(new Breakable(null, true, false), () -> super.visitDoWhileLoop(node, p));
    }

    @Override
    public Void visitForLoop(ForLoopTree node, Void p) {
      return withBreakable(new Breakable(null, true, false), () -> super.visitForLoop(node, p));
    }

    @Override
    public Void visitEnhancedForLoop(EnhancedForLoopTree node, Void p) {
      return withBreakable(new Breakable(null, true, false), () -> super.visitEnhancedForLoop(node, p));
    }

    @Override
    public Void visitSwitch(SwitchTree node, Void p) {
      return withBreakable(new Breakable(null, false, false), () -> super.visitSwitch(node, p));
    }

    private Void withBreakable(Breakable b, java.util.function.Supplier<Void> body) {
      breakables.push(b);
      try {
        return body.get();
      } finally {
        breakables.pop();
      }
    }

    @Override
    public Void visitBindingPattern(com.sun.source.tree.BindingPatternTree node, Void p) {
      Element e = trees.getElement(new TreePath(getCurrentPath(), node.getVariable()));
      String other = e == null ? null : renamed.get(e);
      if (other != null) {
        // The declaration itself: 'Type name' becomes 'Type other'.
        int end = (int) positions().getEndPosition(unit, node.getVariable());
        String name = node.getVariable().getName().toString();
        if (end > 0 && end - name.length() >= chunkStart && end <= chunkEnd
            && source.subSequence(end - name.length(), end).toString().equals(name)) {
          edits.add(new Edit(end - name.length(), end, CodeBlock.of("$L", other)));
        }
        return scan(node.getVariable().getType(), p) == null ? null : null;
      }
      return super.visitBindingPattern(node, p);
    }

    @Override
    public Void visitInstanceOf(com.sun.source.tree.InstanceOfTree node, Void p) {
      if (node.getPattern() instanceof com.sun.source.tree.BindingPatternTree binding) {
        TreePath patternPath = new TreePath(getCurrentPath(), binding);
        TreePath varPath = new TreePath(patternPath, binding.getVariable());
        Element var = trees.getElement(varPath);
        String field = var == null ? null : context.fieldOf(var);
        if (field != null) {
          replace(node, context.bindPattern(copy(new TreePath(getCurrentPath(), node.getExpression())),
              copy(new TreePath(varPath, binding.getVariable().getType())), field));
          return null;
        }
      }
      return super.visitInstanceOf(node, p);
    }

    @Override
    public Void visitTry(com.sun.source.tree.TryTree node, Void p) {
      for (Tree r : node.getResources()) {
        if (r instanceof IdentifierTree id && !inNestedBody()) {
          Element e = trees.getElement(new TreePath(getCurrentPath(), r));
          String field = e == null ? null : context.fieldOf(e);
          if (field != null) {
            // try (r) needs an effectively final variable; the field is not one: alias it. (Only
            // the name: javac's end position of a resource that is not the last takes in the ';'.)
            int start = (int) positions().getStartPosition(unit, r);
            if (start >= chunkStart && start + id.getName().length() <= chunkEnd) {
              edits.add(new Edit(start, start + id.getName().length(), context.resourceAlias(e, field)));
            }
          }
        }
      }
      return super.visitTry(node, p);
    }

    @Override
    public Void visitSwitchExpression(com.sun.source.tree.SwitchExpressionTree node, Void p) {
      switchExpressions++;
      try {
        return super.visitSwitchExpression(node, p);
      } finally {
        switchExpressions--;
      }
    }

    @Override
    public Void visitYield(com.sun.source.tree.YieldTree node, Void p) {
      if (inNestedBody() || switchExpressions > 0) {
        return super.visitYield(node, p);
      }
      replace(node, context.yieldOut(node, copy(new TreePath(getCurrentPath(), node.getValue()))));
      return null;
    }

    @Override
    public Void visitBreak(BreakTree node, Void p) {
      if (inNestedBody()) {
        return null;
      }
      if (!targetsInside(node.getLabel(), false)) {
        replace(node, context.breakOut(node, node.getLabel()));
      }
      return null;
    }

    @Override
    public Void visitContinue(ContinueTree node, Void p) {
      if (inNestedBody()) {
        return null;
      }
      if (!targetsInside(node.getLabel(), true)) {
        replace(node, context.continueOut(node, node.getLabel()));
      }
      return null;
    }

    private boolean targetsInside(Name label, boolean isContinue) {
      for (Breakable b : breakables) {
        if (label != null) {
          if (label.equals(b.label)) {
            return true;
          }
        } else if (!b.labelOnly && (b.loop || !isContinue)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Void visitReturn(ReturnTree node, Void p) {
      if (inNestedBody()) {
        return super.visitReturn(node, p);
      }
      CodeBlock value = null;
      if (node.getExpression() != null
          && node.getExpression() instanceof com.sun.source.tree.MethodInvocationTree inv
          && !inv.getArguments().isEmpty()) {
        value = copy(new TreePath(new TreePath(getCurrentPath(), inv), inv.getArguments().get(0)));
      }
      replace(node, context.returnOut(node, value));
      return null;
    }

    // ---- nested bodies ----

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree node, Void p) {
      if (lambdas == 0 && classes.isEmpty() && context.isAsyncLambda(node)) {
        replace(node, context.asyncLambda(getCurrentPath()));
        return null;
      }
      lambdas++;
      try {
        return super.visitLambdaExpression(node, p);
      } finally {
        lambdas--;
      }
    }

    @Override
    public Void visitClass(ClassTree node, Void p) {
      Element e = trees.getElement(getCurrentPath());
      if (e instanceof TypeElement t) {
        classes.push(t);
        try {
          return super.visitClass(node, p);
        } finally {
          classes.pop();
        }
      }
      return super.visitClass(node, p);
    }

    // ---- names ----

    @Override
    public Void visitIdentifier(IdentifierTree node, Void p) {
      String name = node.getName().toString();
      if (name.equals("this")) {
        if (classes.isEmpty()) {
          replace(node, CodeBlock.of("$L", context.self()));
        }
        return null;
      }
      if (name.equals("super")) {
        if (classes.isEmpty()) {
          Tree parent = getCurrentPath().getParentPath().getLeaf();
          Element member = trees.getElement(getCurrentPath().getParentPath());
          if (parent instanceof MemberSelectTree && member instanceof VariableElement f
              && !f.getModifiers().contains(Modifier.STATIC)) {
            // super.field: the field as the superclass declares it.
            replace(node, CodeBlock.of("(($T) $L)",
                types.erasure(f.getEnclosingElement().asType()), context.self()));
          } else if (!(parent instanceof MemberSelectTree)) {
            context.unsupported(node, "'super' can only be used as super.method(...) or super.field in"
                + " an @Async method");
          }
        }
        return null;
      }
      Element e = trees.getElement(getCurrentPath());
      if (e == null) {
        return null;
      }
      switch (e.getKind()) {
        case LOCAL_VARIABLE:
        case PARAMETER:
        case EXCEPTION_PARAMETER:
        case RESOURCE_VARIABLE:
        case BINDING_VARIABLE: {
          String hoisted = context.hoistedCapture(e);
          if (hoisted != null) {
            replace(node, CodeBlock.of("$L", hoisted));
            return null;
          }
          String other = renamed.get(e);
          if (other != null) {
            replace(node, CodeBlock.of("$L", other));
            return null;
          }
          String field = context.fieldOf(e);
          if (field != null && inNestedBody()) {
            replace(node, CodeBlock.of("$L", context.captured(e, field)));
          } else if (field != null && !field.equals(name)) {
            replace(node, CodeBlock.of("$L", field));
          }
          return null;
        }
        case FIELD:
        case METHOD:
        case ENUM_CONSTANT:
          qualifyMember(node, e);
          return null;
        case CLASS:
        case INTERFACE:
        case ENUM:
        case RECORD:
        case ANNOTATION_TYPE: {
          TypeElement t = (TypeElement) e;
          if (t.asType().getKind() == javax.lang.model.type.TypeKind.ERROR) {
            throw context.erroneous(); // javac reports the unresolved type itself
          }
          if (t.getModifiers().contains(Modifier.PRIVATE)) {
            context.unsupported(node, "private type '" + t.getSimpleName() + "' cannot be used from"
                + " the generated state machine: make it package-private");
            return null;
          }
          if (t.getNestingKind() == NestingKind.LOCAL && !context.isMemberLocalClass(t)
              && !context.isDeclaredInBody(t)) {
            context.unsupported(node, Lowerer.localClassInAsyncLambda(t, context.userType(), ""));
            return null;
          }
          if (t.getNestingKind() != NestingKind.LOCAL && t.getNestingKind() != NestingKind.ANONYMOUS) {
            replace(node, CodeBlock.of("$T", className(t)));
          }
          return null;
        }
        default:
          return null;
      }
    }

    /**
     * The name of {@code t} for generated code. A type javac's error recovery made up (in a package
     * named {@code <any>}) has none: javac reports the error, and the body is not compiled.
     */
    private ClassName className(TypeElement t) {
      try {
        return ClassName.get(t);
      } catch (IllegalArgumentException erroneous) {
        throw context.erroneous();
      }
    }

    private void qualifyMember(IdentifierTree node, Element e) {
      Tree parent = getCurrentPath().getParentPath().getLeaf();
      if (parent instanceof CaseTree c && c.getExpressions().contains(node)) {
        return; // enum constants in case labels must stay unqualified
      }
      if (classes.stream().anyMatch(c -> isMemberOf(e, c))) {
        return; // a member of the local or anonymous class itself, or of one around it in the copy
      }
      TypeElement owner = (TypeElement) e.getEnclosingElement();
      if (context.privateAccess().needsHandle(e) && e instanceof VariableElement f) {
        replace(node, context.privateAccess().read(f, selfOrNull(f)));
        return;
      }
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        context.unsupported(node, "private member '" + e.getSimpleName() + "' of "
            + owner.getSimpleName() + " cannot be used from the generated state machine:"
            + " make it package-private");
        return;
      }
      String name = node.getName().toString();
      if (e.getModifiers().contains(Modifier.STATIC)) {
        ClassName qualifier =
            AsyncElements.isStaticAsyncMethod(e)
                ? AsyncType.generatedName(owner)
                : className(owner);
        replace(node, CodeBlock.of("$T.$L", qualifier, name));
      } else {
        replace(node, CodeBlock.of("$L.$L", context.self(), name));
      }
    }

    private CodeBlock selfOrNull(Element member) {
      return member.getModifiers().contains(Modifier.STATIC) ? null : CodeBlock.of("$L", context.self());
    }

    /** The receiver of a member select: {@code self} for {@code this}, else a copy. */
    private CodeBlock receiverOf(TreePath selectPath, Element member) {
      if (member.getModifiers().contains(Modifier.STATIC)) {
        return null;
      }
      Tree select = selectPath.getLeaf();
      if (select instanceof MemberSelectTree ms) {
        return copy(new TreePath(selectPath, ms.getExpression()));
      }
      return CodeBlock.of("$L", context.self());
    }

    private List<CodeBlock> copies(TreePath parent, List<? extends Tree> trees) {
      List<CodeBlock> out = new ArrayList<>();
      for (Tree t : trees) {
        out.add(copy(new TreePath(parent, t)));
      }
      return out;
    }

    @Override
    public Void visitMethodInvocation(com.sun.source.tree.MethodInvocationTree node, Void p) {
      Element e = trees.getElement(getCurrentPath());
      TypeElement superQualifier = classes.isEmpty()
          ? context.privateAccess().superQualifier(new TreePath(getCurrentPath(), node.getMethodSelect()), trees)
          : null;
      if (superQualifier != null && e instanceof javax.lang.model.element.ExecutableElement m) {
        replace(node, context.privateAccess().superCall(m, superQualifier,
            CodeBlock.of("$L", context.self()), copies(getCurrentPath(), node.getArguments())));
        return null;
      }
      if (context.privateAccess().needsHandle(e)) {
        TreePath select = new TreePath(getCurrentPath(), node.getMethodSelect());
        replace(node, context.privateAccess().call((javax.lang.model.element.ExecutableElement) e,
            receiverOf(select, e), copies(getCurrentPath(), node.getArguments())));
        return null;
      }
      return super.visitMethodInvocation(node, p);
    }

    @Override
    public Void visitAssignment(com.sun.source.tree.AssignmentTree node, Void p) {
      TreePath lhs = new TreePath(getCurrentPath(), node.getVariable());
      Element e = trees.getElement(lhs);
      if (context.privateAccess().needsHandle(e) && e instanceof VariableElement f) {
        TreePath rhs = new TreePath(getCurrentPath(), node.getExpression());
        replace(node, context.privateAccess().write(f, receiverOf(lhs, f),
            context.privateAccess().assignable(f, trees.getTypeMirror(rhs), copy(rhs))));
        return null;
      }
      return super.visitAssignment(node, p);
    }

    @Override
    public Void visitAssert(com.sun.source.tree.AssertTree node, Void p) {
      TreePath cond = new TreePath(getCurrentPath(), node.getCondition());
      // Braced: an assert may be the branch of an if with an else.
      CodeBlock check = CodeBlock.of("{ if ($L && !($L)) { throw new $T($L); } }", context.assertionsEnabled(),
          copy(cond), AssertionError.class,
          node.getDetail() == null ? "" : copy(new TreePath(getCurrentPath(), node.getDetail())));
      replace(node, check);
      return null;
    }

    @Override
    public Void visitCompoundAssignment(com.sun.source.tree.CompoundAssignmentTree node, Void p) {
      TreePath lhs = new TreePath(getCurrentPath(), node.getVariable());
      Element e = trees.getElement(lhs);
      if (context.privateAccess().needsHandle(e) && e instanceof VariableElement f) {
        TreePath rhs = new TreePath(getCurrentPath(), node.getExpression());
        CodeBlock receiver = repeatableReceiver(lhs, f, node.getExpression(), node);
        if (receiver != null || f.getModifiers().contains(Modifier.STATIC)) {
          replace(node, context.privateAccess().update(f, receiver, Operators.binary(node.getKind()),
              CodeBlock.of("($L)", copy(rhs)), Operators.compoundCast(types, trees.getTypeMirror(lhs),
                  trees.getTypeMirror(rhs), node.getKind())));
        }
        return null;
      }
      return super.visitCompoundAssignment(node, p);
    }

    @Override
    public Void visitUnary(com.sun.source.tree.UnaryTree node, Void p) {
      if (Operators.isIncrementOrDecrement(node.getKind())) {
        TreePath operand = new TreePath(getCurrentPath(), node.getExpression());
        Element e = trees.getElement(operand);
        if (context.privateAccess().needsHandle(e) && e instanceof VariableElement f) {
          String cannot = context.privateAccess().cannotIncrement(f);
          if (cannot != null) {
            context.unsupported(node, cannot);
            return null;
          }
          replace(node, context.privateAccess().increment(f, receiverOf(operand, f),
              Operators.isDecrement(node.getKind()), Operators.isPostfix(node.getKind())));
          return null;
        }
      }
      return super.visitUnary(node, p);
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
      Element q = trees.getElement(new TreePath(lhs, qualifier));
      if (qualifier instanceof IdentifierTree id && id.getName().contentEquals("this")) {
        return receiver;
      }
      if (qualifier instanceof MemberSelectTree qs && qs.getIdentifier().contentEquals("this")
          && context.userType().equals(trees.getElement(new TreePath(new TreePath(lhs, qualifier),
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
          return v.equals(trees.getElement(new TreePath(getCurrentPath(), variable)));
        }

        @Override
        public Boolean visitAssignment(com.sun.source.tree.AssignmentTree t, Void p) {
          return targets(t.getVariable()) || Boolean.TRUE.equals(super.visitAssignment(t, p));
        }

        @Override
        public Boolean visitCompoundAssignment(com.sun.source.tree.CompoundAssignmentTree t, Void p) {
          return targets(t.getVariable()) || Boolean.TRUE.equals(super.visitCompoundAssignment(t, p));
        }

        @Override
        public Boolean visitUnary(com.sun.source.tree.UnaryTree t, Void p) {
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
      for (TypeElement c : classes) {
        if (c.equals(e.getEnclosingElement())) {
          return true;
        }
      }
      return false;
    }

    private boolean isMemberOf(Element member, TypeElement type) {
      return elements.getAllMembers(type).contains(member);
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree node, Void p) {
      String id = node.getIdentifier().toString();
      if (id.equals("this")) {
        Element outer = trees.getElement(new TreePath(getCurrentPath(), node.getExpression()));
        if (outer != null && outer.equals(context.userType())) {
          replace(node, CodeBlock.of("$L", context.self()));
          return null;
        }
        return super.visitMemberSelect(node, p);
      }
      if (id.equals("super")) {
        context.unsupported(node, "'X.super' is supported in @Async methods only as X.super.m(...) with"
            + " X the class itself or an interface it implements directly, outside local and anonymous"
            + " classes");
        return null;
      }
      Element e = trees.getElement(getCurrentPath());
      if (context.privateAccess().needsHandle(e) && e instanceof VariableElement f) {
        replace(node, context.privateAccess().read(f, receiverOf(getCurrentPath(), f)));
        return null;
      }
      if (e != null && e.getModifiers().contains(Modifier.PRIVATE) && !context.privateAccess().needsHandle(e)
          && (e instanceof VariableElement || e instanceof javax.lang.model.element.ExecutableElement)
          && !isMemberOfEnclosingLocalClass(e)) {
        context.unsupported(node, "private member '" + e.getSimpleName() + "' of "
            + e.getEnclosingElement().getSimpleName() + " cannot be used from the generated state"
            + " machine: make it package-private");
        return null;
      }
      if (AsyncElements.isStaticAsyncMethod(e) && isTypeName(node.getExpression())) {
        replace(node.getExpression(),
            CodeBlock.of("$T", AsyncType.generatedName((TypeElement) e.getEnclosingElement())));
        return null;
      }
      return super.visitMemberSelect(node, p);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree node, Void p) {
      Element e = trees.getElement(getCurrentPath());
      if (context.privateAccess().needsHandle(e) && e instanceof javax.lang.model.element.ExecutableElement m) {
        Tree q = node.getQualifierExpression();
        boolean typeQualified = isTypeName(q);
        boolean thisQualified = q instanceof IdentifierTree id && id.getName().contentEquals("this")
            || q instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("this");
        if (typeQualified || m.getModifiers().contains(Modifier.STATIC)) {
          replace(node, context.privateAccess().reference(m, null));
        } else if (thisQualified && classes.isEmpty()) {
          replace(node, context.privateAccess().reference(m, CodeBlock.of("$L", context.self())));
        } else {
          context.unsupported(node, "a method reference to private method '" + m.getSimpleName()
              + "' on another object cannot be used from the generated state machine: use a lambda"
              + " or make the method package-private");
        }
        return null;
      }
      if (AsyncElements.isStaticAsyncMethod(e) && isTypeName(node.getQualifierExpression())) {
        replace(node.getQualifierExpression(),
            CodeBlock.of("$T", AsyncType.generatedName((TypeElement) e.getEnclosingElement())));
        return null;
      }
      return super.visitMemberReference(node, p);
    }

    @Override
    public Void visitNewClass(NewClassTree node, Void p) {
      if (node.getEnclosingExpression() == null && classes.isEmpty()) {
        Element ctor = trees.getElement(getCurrentPath());
        if (ctor != null && ctor.getEnclosingElement() instanceof TypeElement created
            && created.getNestingKind() == NestingKind.MEMBER
            && !created.getModifiers().contains(Modifier.STATIC)
            && created.getKind() == ElementKind.CLASS
            && node.getClassBody() == null) {
          insertBefore(node, CodeBlock.of("$L.", context.self()));
        }
      }
      return super.visitNewClass(node, p);
    }

    private boolean isTypeName(Tree expression) {
      Element q = trees.getElement(new TreePath(getCurrentPath(), expression));
      return q instanceof TypeElement;
    }
  }

  private static boolean isLoop(Tree t) {
    return t instanceof WhileLoopTree
        || t instanceof DoWhileLoopTree
        || t instanceof ForLoopTree
        || t instanceof EnhancedForLoopTree;
  }

  /** The direct children of a loop or switch, in source order. */
  private static List<Tree> children(Tree s) {
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
