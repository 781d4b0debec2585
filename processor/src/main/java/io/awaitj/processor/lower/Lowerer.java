package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.awaitj.processor.Diagnostics;
import io.awaitj.processor.analysis.AsyncElements;
import io.awaitj.processor.analysis.AwaitAnalysis;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Lowers one {@code @Async} method body into states. It owns what the rules share: the list of states
 * and the one being filled, the protected regions of lowered {@code try} statements, the targets of
 * {@code break} and {@code continue}, the lowered {@code finally} blocks that jumps must pass through,
 * and the machine's fields (parameters, locals that live across awaits, temporaries).
 *
 * <p>Statements without an await are copied ({@link Verbatim}); statements with one go to their rule:
 * {@link ExpressionLowering} (expressions, with spilling), {@link LoopLowering}, {@link SwitchLowering},
 * {@link TryLowering}; {@code if}, blocks, labels, jumps and returns are here.
 */
public final class Lowerer implements Verbatim.Context {
  /** The label of step()'s dispatch loop; user labels cannot contain '$' by convention. */
  public static final String DISPATCH = "dispatch$";

  final Trees trees;
  final Elements elements;
  final Types types;
  final Diagnostics diagnostics;
  final CompilationUnitTree unit;
  final Body body;
  final TypeElement userType;
  final AwaitAnalysis analysis;
  final AsyncElements asyncElements;
  final Verbatim verbatim;
  final ExpressionLowering expressions;
  final String fileName;

  final NameAllocator names = new NameAllocator();
  final PrivateAccess privateAccess;
  final List<State> states = new ArrayList<>();
  final List<FieldSpec> fields = new ArrayList<>();
  final Map<Element, String> promoted = new IdentityHashMap<>();
  final Map<String, TypeName> fieldTypes = new java.util.HashMap<>();
  private State snapshotState;
  private final Map<Element, String> snapshots = new IdentityHashMap<>();
  final String self;

  State current;
  Region region;
  final Deque<Target> targets = new ArrayDeque<>();
  final Deque<Finally> finallys = new ArrayDeque<>();
  final Deque<YieldTarget> yields = new ArrayDeque<>();
  private int errorsAtStart;
  private int locals;
  private boolean aliasedResources;
  private int entered;

  /** A statement that {@code break} or {@code continue} may leave. */
  record Target(Name label, boolean loop, boolean labelOnly, State breakState, State continueState,
      int finallyDepth) {}

  /** A lowered switch expression: where {@code yield} stores its value, and where it goes then. */
  record YieldTarget(String field, State exit, int finallyDepth) {}

  /** A lowered {@code finally}: where it starts, and the fields recording why it was entered. */
  static final class Finally {
    static final int NORMAL = 0;
    static final int THROW = 1;
    static final int RETURN = 2;
    static final int JUMP = 3;

    final String kind;
    final String value;
    final String target;
    final State entry;
    final Region outerRegion;

    Finally(String kind, String value, String target, State entry, Region outerRegion) {
      this.kind = kind;
      this.value = value;
      this.target = target;
      this.entry = entry;
      this.outerRegion = outerRegion;
    }
  }

  /**
   * What is lowered: a method's body, or an async lambda's (a block or an expression); its
   * parameters and the enclosing locals it captures become the machine's constructor parameters.
   */
  public record Body(TreePath path, List<VariableElement> captured, List<VariableElement> parameters,
      boolean hasSelf, ClassName machine, List<TypeVariableName> typeVariables) {
    /** The body of an @Async method. */
    public static Body of(TreePath methodPath, ExecutableElement method, ClassName machine,
        List<TypeVariableName> typeVariables) {
      return new Body(new TreePath(methodPath, ((MethodTree) methodPath.getLeaf()).getBody()), List.of(),
          List.copyOf(method.getParameters()), !method.getModifiers().contains(Modifier.STATIC), machine,
          typeVariables);
    }
  }

  /** An async lambda of this body, lowered into a machine of its own. */
  public record LambdaMachine(Lowerer lowered, TypeName result, String location) {}

  final List<LambdaMachine> lambdaMachines = new ArrayList<>();
  final Map<Element, TypeName> parameterTypes = new IdentityHashMap<>();

  public Lowerer(Trees trees, Elements elements, Types types, Diagnostics diagnostics,
      CompilationUnitTree unit, Body body, TypeElement userType, AwaitAnalysis analysis) {
    this.trees = trees;
    this.elements = elements;
    this.types = types;
    this.diagnostics = diagnostics;
    this.unit = unit;
    this.body = body;
    this.userType = userType;
    this.analysis = analysis;
    this.asyncElements = new AsyncElements(trees, types);
    this.verbatim = new Verbatim(trees, elements, types, unit, this);
    this.expressions = new ExpressionLowering(this);
    this.privateAccess = new PrivateAccess(types, userType);
    String file = unit.getSourceFile().getName();
    this.fileName = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
    for (String reserved : List.of("state", "SUSPEND", "step", "dispatch")) {
      names.newName(reserved, "reserved:" + reserved);
    }
    if (analysis.awaitCount() > 0) {
      // The body's local classes become members of the machine; in an expression, a field of the
      // same name would hide one (self.values() is the field's), so no field takes their names.
      memberLocalClasses.addAll(localClassesOf(body.path()));
      for (TypeElement t : memberLocalClasses) {
        names.newName(t.getSimpleName().toString(), t);
      }
    }
    for (VariableElement p : body.captured()) {
      promoted.put(p, names.newName(fieldName(p), p));
    }
    for (VariableElement p : body.parameters()) {
      promoted.put(p, names.newName(fieldName(p), p));
    }
    this.self = body.hasSelf() ? names.newName("self", "self") : null;
  }

  /** The constructor parameters of the machine, as fields: captured locals, then parameters. */
  public List<FieldSpec> parameterFields() {
    List<FieldSpec> out = new ArrayList<>();
    for (VariableElement p : body.captured()) {
      out.add(FieldSpec.builder(parameterType(p), promoted.get(p), Modifier.PRIVATE).build());
    }
    for (VariableElement p : body.parameters()) {
      out.add(FieldSpec.builder(parameterType(p), promoted.get(p), Modifier.PRIVATE).build());
    }
    return out;
  }

  private TypeName parameterType(VariableElement p) {
    TypeName known = parameterTypes.get(p);
    if (known != null) {
      return known;
    }
    TypeName t = TypeNames.denotable(p.asType());
    return t != null ? t : TypeName.get(p.asType());
  }

  /**
   * Whether {@code try (r)} over a local that became a field was rewritten to declare an alias: javac
   * warns ([try]) when a declared resource is not referenced in the body, which Java's own {@code try
   * (r)} is exempt from, so the machine's step suppresses that warning.
   */
  public boolean aliasedResources() {
    return aliasedResources;
  }

  /** The async lambdas of this body and of their bodies, lowered. */
  public List<LambdaMachine> lambdaMachines() {
    return lambdaMachines;
  }

  public Body body() {
    return body;
  }

  /** Lowers the whole body. Returns false if errors were reported. */
  public boolean lower() {
    return TypeNames.withMemberLocalClasses(memberLocalClasses, this::lowerBody);
  }

  private boolean lowerBody() {
    errorsAtStart = diagnostics.errorCount();
    current = newState(null);
    enter(current);
    Tree tree = body.path().getLeaf();
    if (tree instanceof BlockTree) {
      statement(body.path());
    } else {
      // An expression lambda: its expression is what the function returns.
      describe(tree);
      if (asyncElements.isDone(body.path())) {
        MethodInvocationTree done = (MethodInvocationTree) tree;
        CodeBlock value = done.getArguments().isEmpty() ? null
            : expressions.expr(new TreePath(body.path(), done.getArguments().get(0)));
        close(returnWith(tree, value));
      } else {
        close(returnWith(tree, expressions.awaitValue(body.path(), (com.sun.source.tree.ExpressionTree) tree)));
      }
    }
    if (!current.closed) {
      // The body can complete normally only for a Coroutine<Void> without a final return.
      current.code.addStatement("return null");
      current.closed = true;
    }
    // States never filled (handlers are filled without being entered) come last, in order.
    for (State st : states) {
      if (st.number < 0) {
        st.number = entered++;
      }
    }
    states.sort(java.util.Comparator.comparingInt(st -> st.number));
    if (privateAccess.usesErroneousMember()) {
      throw diagnostics.abortSilently(); // javac reports the unresolved type at the member
    }
    return diagnostics.errorCount() == errorsAtStart;
  }

  // ---------------------------------------------------------------------------------------------
  // Async lambdas.

  @Override
  public boolean isAsyncLambda(Tree lambda) {
    return analysis.isAsyncLambda(lambda);
  }

  /** Lowers an async lambda into a machine of its own; see {@link AsyncLambdaLowering}. */
  @Override
  public CodeBlock asyncLambda(TreePath path) {
    return new AsyncLambdaLowering(this).lower(path);
  }

  public List<State> states() {
    return states;
  }

  public List<FieldSpec> fields() {
    return fields;
  }

  public String selfName() {
    return self;
  }

  /** The field a parameter was given. */
  public String parameterField(VariableElement p) {
    return promoted.get(p);
  }

  // ---------------------------------------------------------------------------------------------
  // States.

  State newState(String comment) {
    State s = new State(states.size(), region, comment);
    states.add(s);
    return s;
  }

  /** Makes {@code s} the state being filled. */
  void enter(State s) {
    current = s;
    if (s.number < 0) {
      s.number = entered++;
    }
  }

  /** Makes sure there is an open state to emit into (code after a jump is unreachable but legal). */
  void ensureOpen() {
    if (current.closed) {
      current = newState("unreachable in the source");
    }
  }

  void emit(CodeBlock code) {
    ensureOpen();
    current.code.add(code);
  }

  void emitStatement(String format, Object... args) {
    ensureOpen();
    current.code.addStatement(format, args);
  }

  /** Ends the current state with a jump to {@code target}. */
  void jump(State target) {
    ensureOpen();
    current.code.add(jumpCode(target));
    current.closed = true;
  }

  static CodeBlock jumpCode(State target) {
    return CodeBlock.builder()
        .addStatement("state = $L", target)
        .addStatement("continue $L", DISPATCH)
        .build();
  }

  /** Ends the current state with {@code code}, which must jump, return or throw. */
  void close(CodeBlock code) {
    ensureOpen();
    current.code.add(code);
    current.closed = true;
  }

  /** Sets the comment of the current state if it has none: the source line of {@code tree}. */
  void describe(Tree tree) {
    ensureOpen();
    if (current.comment == null) {
      current.comment = fileName + ":" + verbatim.line(tree) + ": " + verbatim.firstLine(tree);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Fields.

  /** Allocates a field for {@code local}, which lives across awaits. */
  String promote(VariableElement local) {
    String existing = promoted.get(local);
    if (existing != null) {
      return existing;
    }
    if (local.asType().getKind() == javax.lang.model.type.TypeKind.ERROR) {
      throw diagnostics.abortSilently(); // javac reports the error in the source itself
    }
    String name = names.newName(fieldName(local), local);
    TypeName type = TypeNames.denotable(local.asType());
    if (type == null) {
      Tree at = trees.getTree(local) != null ? trees.getTree(local) : body.path().getLeaf();
      TypeElement foreign = localClassIn(local.asType());
      if (foreign != null && !memberLocalClasses.contains(foreign)) {
        throw diagnostics.abort(at, unit, localClassInAsyncLambda(foreign, userType, " (here as the"
            + " type of '" + local.getSimpleName() + "', which lives across an await)"));
      }
      throw diagnostics.abort(at, unit, "local '" + local.getSimpleName() + "' lives across an await,"
          + " so it becomes a field of the state machine, but its type (" + local.asType()
          + ") cannot be named there: declare it with a named type");
    }
    fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE).build());
    fieldTypes.put(name, type);
    promoted.put(local, name);
    return name;
  }

  /** Allocates a field of an explicit type for {@code local} (a multi-catch parameter). */
  String promoteAs(VariableElement local, TypeName type) {
    String existing = promoted.get(local);
    if (existing != null) {
      return existing;
    }
    String name = names.newName(local.getSimpleName().toString(), local);
    fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE).build());
    fieldTypes.put(name, type); // a union type has no name: lambdas capture it as this type
    promoted.put(local, name);
    return name;
  }

  /**
   * The field name for a local or parameter: its own, unless it starts with a capital, like a type's
   * name: a field is in scope in all of step(), where it would hide a type of that name used elsewhere
   * (a parameter named Aio hid io.awaitj.Aio in the machine's Aio.done(...)).
   */
  private static String fieldName(VariableElement local) {
    String n = local.getSimpleName().toString();
    return Character.isUpperCase(n.charAt(0)) ? n + "$" : n;
  }

  /** Allocates a temporary field of {@code type}. */
  String temporary(String hint, TypeName type) {
    String name = names.newName(hint + "$" + fields.size());
    fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE).build());
    if (!type.isPrimitive()) {
      referenceTemporaries.add(name);
    }
    return name;
  }

  /** A fresh name for a Java local inside one state. */
  String localName(String hint) {
    return names.newName(hint + "$" + (++locals));
  }

  TypeMirror typeOf(TreePath path) {
    return trees.getTypeMirror(path);
  }

  TypeName typeNameOf(TreePath path) {
    TypeMirror t = typeOf(path);
    if (t == null || t.getKind() == javax.lang.model.type.TypeKind.ERROR) {
      throw diagnostics.abortSilently(); // javac reports the error in the source itself
    }
    TypeName n = t == null ? null : TypeNames.denotable(t);
    if (n == null) {
      throw diagnostics.abort(path.getLeaf(), unit,
          "cannot determine a type that can be written for this expression; assign it to a local"
              + " variable of an explicit type first");
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements.

  /**
   * Reference fields the machine no longer needs (a variable whose scope has ended, a temporary of a
   * statement that has completed), in source order: the next suspension clears them, so a suspended
   * machine keeps nothing alive that its body can no longer use.
   */
  private final java.util.Set<String> released = new java.util.LinkedHashSet<>();

  /** Temporaries of reference types, in the order allocated. */
  private final List<String> referenceTemporaries = new ArrayList<>();

  /**
   * The statements that clear the fields released since the last suspension (in source order), to
   * run as the machine suspends; empty if none.
   */
  CodeBlock releaseWhileSuspended() {
    if (released.isEmpty()) {
      return CodeBlock.of("");
    }
    CodeBlock.Builder b = CodeBlock.builder().add("// no longer used: not kept alive while suspended\n");
    for (String f : released) {
      b.addStatement("$L = null", f);
    }
    released.clear();
    return b.build();
  }

  void statement(TreePath path) {
    int temporaries = referenceTemporaries.size();
    lowerStatement(path);
    // Its temporaries are dead once the statement has completed; so are the variables it declares
    // inside (not the one it declares itself, whose scope is the rest of the enclosing block).
    released.addAll(referenceTemporaries.subList(temporaries, referenceTemporaries.size()));
    boolean block = path.getLeaf() instanceof BlockTree;
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void p) {
        if (node != path.getLeaf()) {
          Element e = trees.getElement(getCurrentPath());
          String field = e == null ? null : promoted.get(e);
          // A pattern variable can outlive the statement that declares it (flow scoping), but not
          // the block around that statement.
          if (field != null && !e.asType().getKind().isPrimitive()
              && !keptForMemberClasses.contains(field)
              && (block || e.getKind() != javax.lang.model.element.ElementKind.BINDING_VARIABLE)) {
            released.add(field);
          }
        }
        return super.visitVariable(node, p);
      }

      @Override
      public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree node, Void p) {
        return null;
      }

      @Override
      public Void visitClass(com.sun.source.tree.ClassTree node, Void p) {
        return null;
      }
    }.scan(path, null);
  }

  /**
   * The local classes (records, enums, interfaces) of a body that awaits, which the machine declares
   * as its member types: a local of such a type may live across an await, in a field. The source of
   * each declaration, in order.
   */
  private final List<CodeBlock> localClasses = new ArrayList<>();
  private final java.util.Set<TypeElement> memberLocalClasses = new java.util.LinkedHashSet<>();
  private final java.util.Set<String> localClassNamesSeen = new java.util.HashSet<>();

  public List<CodeBlock> localClasses() {
    return localClasses;
  }

  /** The simple names of the local classes the machine declares as members. */
  public List<String> localClassNames() {
    List<String> names = new ArrayList<>();
    for (TypeElement t : memberLocalClasses) {
      names.add(t.getSimpleName().toString());
    }
    return names;
  }

  /** Whether {@code t}, a local class, is one the machine declares as a member. */
  @Override
  public boolean isMemberLocalClass(TypeElement t) {
    return memberLocalClasses.contains(t);
  }

  /** The error for local class {@code t} of the enclosing method used in an async lambda ({@code where}). */
  static String localClassInAsyncLambda(TypeElement t, TypeElement userType, String where) {
    return "local class '" + t.getSimpleName() + "' of the enclosing method cannot be used inside an"
        + " async lambda, which is compiled into a class of its own" + where + ": move it to a member"
        + " of " + userType.getSimpleName();
  }

  /** A local class that {@code t} names (itself, in a type argument or as an array element), or null. */
  static TypeElement localClassIn(TypeMirror t) {
    if (t instanceof javax.lang.model.type.ArrayType a) {
      return localClassIn(a.getComponentType());
    }
    if (t instanceof javax.lang.model.type.DeclaredType d) {
      TypeElement e = (TypeElement) d.asElement();
      if (e.getNestingKind() == javax.lang.model.element.NestingKind.LOCAL) {
        return e;
      }
      for (TypeMirror a : d.getTypeArguments()) {
        TypeElement found = localClassIn(a);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  @Override
  public boolean isDeclaredInBody(TypeElement t) {
    for (TreePath p = trees.getPath(t); p != null; p = p.getParentPath()) {
      if (p.getLeaf() == body.path().getLeaf()) {
        return true;
      }
    }
    return false;
  }

  /** The local classes declared by statements of the body, outside lambdas and other classes. */
  private List<TypeElement> localClassesOf(TreePath bodyPath) {
    List<TypeElement> found = new ArrayList<>();
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitClass(com.sun.source.tree.ClassTree node, Void p) {
        if (getCurrentPath().getParentPath().getLeaf() instanceof StatementTree
            || getCurrentPath().getParentPath().getLeaf() instanceof BlockTree
            || getCurrentPath().getParentPath().getLeaf() instanceof com.sun.source.tree.CaseTree) {
          Element e = trees.getElement(getCurrentPath());
          if (e instanceof TypeElement t) {
            found.add(t);
          }
        }
        return null; // classes inside it are its own members, or local to its methods
      }

      @Override
      public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree node, Void p) {
        return null;
      }

      @Override
      public Void visitNewClass(com.sun.source.tree.NewClassTree node, Void p) {
        scan(node.getEnclosingExpression(), p);
        scan(node.getArguments(), p);
        return null; // an anonymous class body is not the body's
      }
    }.scan(bodyPath, null);
    return found;
  }

  /**
   * A local class (or record, enum, interface) of a body that awaits: its uses may be in any state,
   * and locals of its type may live across awaits, so the machine declares it as a member type. That
   * is only the same class if it uses no local variable of the method (a record, an enum or an
   * interface never does) and no other local class has its name.
   */
  private void localClass(TreePath path, com.sun.source.tree.ClassTree c) {
    String name = c.getSimpleName().toString();
    for (VariableElement captured : capturedLocals(path)) {
      // A member class reads the machine's field of a captured local: the same value only if the
      // variable is assigned once per run of the body, so not one declared inside a loop.
      if (promoted.get(captured) == null || declaredInLoop(captured)) {
        unsupported(c, "local class '" + name + "' uses '" + captured.getSimpleName() + "', a local"
            + " variable declared inside a loop: in an @Async method that awaits, a local class"
            + " becomes a member of the state machine, which holds one value of it; pass the value to"
            + " its constructor, or move the class to a member of " + userType.getSimpleName());
        return;
      }
    }
    if (name.equals("Access") || name.equals("state") || name.equals("SUSPEND")) {
      unsupported(c, "a local class named '" + name + "' in an @Async method that awaits: the state"
          + " machine has a member of that name; rename it");
      return;
    }
    if (!localClassNamesSeen.add(name)) {
      unsupported(c, "a second local class named '" + name + "' in this @Async method: rename one");
      return;
    }
    hoisting = true;
    try {
      localClasses.add(verbatim.copy(path));
    } finally {
      hoisting = false;
    }
  }

  /** Whether a local class of the body is being copied to become a member of the machine. */
  private boolean hoisting;

  /**
   * How a local class that becomes a member of the machine reads local {@code e} of the body it
   * captures: the machine's field of it; null if no such class is being copied.
   */
  @Override
  public String hoistedCapture(Element e) {
    String field = hoisting ? promoted.get(e) : null;
    if (field == null) {
      return null;
    }
    keptForMemberClasses.add(field); // an instance may outlive the variable's scope
    return body.machine().simpleName() + ".this." + field;
  }

  /** Fields that member classes made of local classes read: never released while suspended. */
  private final java.util.Set<String> keptForMemberClasses = new java.util.HashSet<>();

  /** Whether local {@code v} is declared inside a loop of the body (so has a value per iteration). */
  private boolean declaredInLoop(VariableElement v) {
    boolean[] inLoop = new boolean[1];
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void p) {
        if (v.equals(trees.getElement(getCurrentPath()))) {
          for (TreePath q = getCurrentPath(); q != null && q.getLeaf() != body.path().getLeaf();
              q = q.getParentPath()) {
            switch (q.getLeaf().getKind()) {
              case FOR_LOOP: case ENHANCED_FOR_LOOP: case WHILE_LOOP: case DO_WHILE_LOOP:
                inLoop[0] = true;
                break;
              default:
                break;
            }
          }
        }
        return super.visitVariable(node, p);
      }
    }.scan(body.path(), null);
    return inLoop[0];
  }

  /** The local variables and parameters of the body that the local class at {@code path} uses. */
  private java.util.Set<VariableElement> capturedLocals(TreePath path) {
    java.util.Set<Element> own = new java.util.HashSet<>();
    java.util.Set<VariableElement> found = new java.util.LinkedHashSet<>();
    com.sun.source.util.TreePathScanner<Void, Void> declared = new com.sun.source.util.TreePathScanner<>() {
      @Override
      public Void visitVariable(VariableTree node, Void p) {
        own.add(trees.getElement(getCurrentPath()));
        return super.visitVariable(node, p);
      }
    };
    declared.scan(path, null);
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(com.sun.source.tree.IdentifierTree node, Void p) {
        Element e = trees.getElement(getCurrentPath());
        if (e instanceof VariableElement v && !own.contains(v)) {
          switch (v.getKind()) {
            case LOCAL_VARIABLE: case PARAMETER: case EXCEPTION_PARAMETER: case RESOURCE_VARIABLE:
            case BINDING_VARIABLE:
              found.add(v);
              break;
            default:
              break;
          }
        }
        return super.visitIdentifier(node, p);
      }
    }.scan(path, null);
    return found;
  }

  private void lowerStatement(TreePath path) {
    StatementTree s = (StatementTree) path.getLeaf();
    promoteBindings(path);
    if (s instanceof VariableTree v) {
      describe(s);
      variable(path, v);
      return;
    }
    if (s instanceof BlockTree b) {
      for (StatementTree child : b.getStatements()) {
        statement(new TreePath(path, child));
      }
      return;
    }
    if (s instanceof com.sun.source.tree.ClassTree && analysis.awaitCount() > 0) {
      localClass(path, (com.sun.source.tree.ClassTree) s);
      return;
    }
    if (!analysis.containsAwait(s)) {
      describe(s);
      CodeBlock code = verbatim.copy(path);
      emit(code.toString().endsWith("\n") ? code : CodeBlock.builder().add(code).add("\n").build());
      if (!Reachability.canCompleteNormally(s)) {
        current.closed = true;
      }
      return;
    }
    describe(s);
    switch (s.getKind()) {
      case EXPRESSION_STATEMENT:
        expressions.asStatement(new TreePath(path, ((ExpressionStatementTree) s).getExpression()));
        return;
      case IF:
        ifStatement(path, (IfTree) s);
        return;
      case WHILE_LOOP:
      case DO_WHILE_LOOP:
      case FOR_LOOP:
      case ENHANCED_FOR_LOOP:
        new LoopLowering(this).lower(path, null);
        return;
      case LABELED_STATEMENT:
        labeled(path, (LabeledStatementTree) s);
        return;
      case RETURN:
        returnStatement(path, (ReturnTree) s);
        return;
      case YIELD: {
        YieldTarget y = yields.peek();
        if (y == null) {
          throw diagnostics.abortSilently(); // javac reports the yield without a switch expression
        }
        CodeBlock value = expressions.expr(new TreePath(path, ((com.sun.source.tree.YieldTree) s).getValue()));
        emitStatement("$L = $L", y.field(), value);
        close(jumpThroughFinally(y.exit(), y.finallyDepth()));
        return;
      }
      case ASSERT:
        assertStatement(path, (com.sun.source.tree.AssertTree) s);
        return;
      case THROW: {
        CodeBlock e = expressions.expr(new TreePath(path, ((ThrowTree) s).getExpression()));
        close(CodeBlock.builder().addStatement("throw $L", e).build());
        return;
      }
      case TRY:
        new TryLowering(this).lower(path);
        return;
      case SWITCH:
        new SwitchLowering(this).lower(path, null);
        return;
      default:
        unsupported(s, "await is not supported in this " + s.getKind().toString().toLowerCase().replace('_', ' ')
            + " statement yet");
    }
  }

  /**
   * Pattern variables ({@code x instanceof Foo f}) declared by the statement's own expressions: their
   * scope can reach the statements after it (flow scoping), which may be other states, so they become
   * fields like other locals. Those of nested statements are handled when those are lowered.
   */
  private void promoteBindings(TreePath statement) {
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void p) {
        // Pattern variables of switch cases are scoped to their case: SwitchLowering handles them.
        if (tree instanceof StatementTree && tree != statement.getLeaf()
            || tree instanceof com.sun.source.tree.CaseTree
            || tree instanceof com.sun.source.tree.LambdaExpressionTree
            || tree instanceof com.sun.source.tree.ClassTree) {
          return null;
        }
        return super.scan(tree, p);
      }

      @Override
      public Void visitBindingPattern(com.sun.source.tree.BindingPatternTree node, Void p) {
        Element e = trees.getElement(new TreePath(getCurrentPath(), node.getVariable()));
        if (e instanceof VariableElement v) {
          promote(v);
        }
        return super.visitBindingPattern(node, p);
      }
    }.scan(statement, null);
  }

  private void variable(TreePath path, VariableTree v) {
    VariableElement e = (VariableElement) trees.getElement(path);
    String field = promote(e);
    if (v.getInitializer() == null) {
      return;
    }
    TreePath init = new TreePath(path, v.getInitializer());
    CodeBlock value =
        analysis.containsAwait(v.getInitializer()) ? expressions.expr(init) : verbatim.copy(init);
    if (v.getInitializer() instanceof NewArrayTree array && array.getType() == null) {
      value = CodeBlock.of("new $T $L", TypeNames.denotable(e.asType()), value);
    }
    emitStatement("$L = $L", field, value);
  }

  private void ifStatement(TreePath path, IfTree s) {
    CodeBlock cond = expressions.expr(new TreePath(path, s.getCondition()));
    boolean thenAwaits = analysis.containsAwait(s.getThenStatement());
    boolean elseAwaits = analysis.containsAwait(s.getElseStatement());
    if (!thenAwaits && !elseAwaits && !declaresLocals(s)) {
      // Only the condition awaits: the statement itself stays as it was written.
      CodeBlock.Builder b = CodeBlock.builder().add("if ($L) ", cond);
      b.add(verbatim.copy(new TreePath(path, s.getThenStatement())));
      if (s.getElseStatement() != null) {
        b.add(" else ").add(verbatim.copy(new TreePath(path, s.getElseStatement())));
      }
      emit(b.add("\n").build());
      if (!Reachability.canCompleteNormally(s)) {
        current.closed = true;
      }
      return;
    }
    State end = newState(null);
    State otherwise = s.getElseStatement() != null ? newState(null) : end;
    emit(CodeBlock.builder()
        .beginControlFlow("if (!($L))", cond)
        .add(jumpCode(otherwise))
        .endControlFlow()
        .build());
    statement(new TreePath(path, s.getThenStatement()));
    jump(end);
    if (s.getElseStatement() != null) {
      enter(otherwise);
      statement(new TreePath(path, s.getElseStatement()));
      jump(end);
    }
    enter(end);
  }

  /** The static field of the machine that holds whether assertions are enabled for the user's class. */
  public static final String ASSERTIONS = "assertions$";

  /** Whether the body has an assert statement (then the machine has the {@link #ASSERTIONS} field). */
  private boolean usesAssertions;

  public boolean usesAssertions() {
    return usesAssertions;
  }

  /** The status the machine's asserts check, that of the user's class: see {@link #ASSERTIONS}. */
  @Override
  public String assertionsEnabled() {
    usesAssertions = true;
    return ASSERTIONS;
  }

  /**
   * {@code assert cond : detail;} with awaits: nothing is evaluated when assertions are disabled for
   * the user's class, the detail only when the condition is false (JLS 14.10).
   */
  private void assertStatement(TreePath path, com.sun.source.tree.AssertTree s) {
    State end = newState(null);
    emit(CodeBlock.builder()
        .beginControlFlow("if (!$L)", assertionsEnabled())
        .add(jumpCode(end))
        .endControlFlow()
        .build());
    CodeBlock cond = expressions.expr(new TreePath(path, s.getCondition()));
    if (s.getDetail() == null) {
      emit(CodeBlock.builder()
          .beginControlFlow("if (!($L))", cond)
          .addStatement("throw new $T()", AssertionError.class)
          .endControlFlow()
          .build());
    } else {
      emit(CodeBlock.builder()
          .beginControlFlow("if ($L)", cond)
          .add(jumpCode(end))
          .endControlFlow()
          .build());
      TreePath detail = new TreePath(path, s.getDetail());
      CodeBlock d = analysis.containsAwait(s.getDetail()) ? expressions.expr(detail) : verbatim.copy(detail);
      close(CodeBlock.builder().addStatement("throw new $T($L)", AssertionError.class, d).build());
      enter(end);
      return;
    }
    jump(end);
    enter(end);
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
        new LoopLowering(this).lower(inner, s.getLabel());
        return;
      case SWITCH:
        new SwitchLowering(this).lower(inner, s.getLabel());
        return;
      default:
        State end = newState(null);
        targets.push(new Target(s.getLabel(), false, true, end, null, finallys.size()));
        try {
          statement(inner);
        } finally {
          targets.pop();
        }
        jump(end);
        enter(end);
    }
  }

  private void returnStatement(TreePath path, ReturnTree s) {
    TreePath expr = new TreePath(path, s.getExpression());
    if (analysis.isDelegatingReturn(s)) {
      CodeBlock result = expressions.awaitValue(expr, s.getExpression());
      close(returnWith(s, result));
      return;
    }
    // return done(x): x may contain awaits.
    MethodInvocationTree done = (MethodInvocationTree) s.getExpression();
    CodeBlock value = null;
    if (!done.getArguments().isEmpty()) {
      value = expressions.expr(new TreePath(expr, done.getArguments().get(0)));
    }
    close(returnWith(s, value));
  }

  // ---------------------------------------------------------------------------------------------
  // Jumps, through lowered finally blocks.

  /** The code that jumps to {@code target}, passing through the lowered finally blocks in between. */
  CodeBlock jumpThroughFinally(State target, int targetFinallyDepth) {
    List<Finally> crossing = new ArrayList<>();
    int n = finallys.size() - targetFinallyDepth;
    for (Finally f : finallys) {
      if (crossing.size() == n) {
        break;
      }
      crossing.add(f);
    }
    if (crossing.isEmpty()) {
      return jumpCode(target);
    }
    State next = target;
    for (int i = crossing.size() - 1; i >= 1; i--) {
      Finally f = crossing.get(i);
      Region saved = region;
      region = crossing.get(i - 1).outerRegion;
      State hop = newState("on the way out of a finally block");
      region = saved;
      hop.code.add(enterFinally(f, Finally.JUMP, null, next));
      hop.closed = true;
      next = hop;
    }
    return enterFinally(crossing.get(0), Finally.JUMP, null, next);
  }

  /** Records why {@code f} is entered and jumps to it. */
  static CodeBlock enterFinally(Finally f, int kind, CodeBlock value, State target) {
    CodeBlock.Builder b = CodeBlock.builder().addStatement("$L = $L", f.kind, kind);
    if (value != null) {
      b.addStatement("$L = $L", f.value, value);
    }
    if (target != null) {
      b.addStatement("$L = $L", f.target, target);
    }
    return b.add(jumpCode(f.entry)).build();
  }

  private Target findTarget(Tree at, Name label, boolean isContinue) {
    for (Target t : targets) {
      if (label != null) {
        if (label.equals(t.label)) {
          if (isContinue && !t.loop) {
            break;
          }
          return t;
        }
      } else if (!t.labelOnly && (t.loop || !isContinue)) {
        return t;
      }
    }
    throw diagnostics.abortSilently(); // javac reports the jump without a target
  }

  /** The code of a {@code break} statement of the lowered code. */
  CodeBlock breakCode(Tree at, Name label) {
    Target t = findTarget(at, label, false);
    return jumpThroughFinally(t.breakState, t.finallyDepth);
  }

  /** The code of a {@code continue} statement of the lowered code. */
  CodeBlock continueCode(Tree at, Name label) {
    Target t = findTarget(at, label, true);
    return jumpThroughFinally(t.continueState, t.finallyDepth);
  }

  // ---------------------------------------------------------------------------------------------
  // Verbatim.Context

  @Override
  public String fieldOf(Element local) {
    return promoted.get(local);
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public CodeBlock breakOut(Tree at, Name label) {
    return CodeBlock.builder().add("{\n").indent().add(breakCode(at, label)).unindent().add("}").build();
  }

  @Override
  public CodeBlock resourceAlias(Element local, String field) {
    TypeName type = fieldTypes.get(field);
    if (type == null) {
      type = TypeNames.denotable(local.asType());
    }
    aliasedResources = true;
    return CodeBlock.of("final $T $L = $L", type, localName(local.getSimpleName().toString()), field);
  }

  @Override
  public CodeBlock bindPattern(CodeBlock value, CodeBlock type, String field) {
    String matched = localName("matched");
    return CodeBlock.of("($L instanceof $L $L && ($L = $L) == $L)", ExpressionLowering.paren(value), type,
        matched, field, matched, matched);
  }

  @Override
  public CodeBlock yieldOut(Tree at, CodeBlock value) {
    YieldTarget y = yields.peek();
    if (y == null) {
      throw diagnostics.abortSilently(); // javac reports the yield without a switch expression
    }
    return CodeBlock.builder().add("{\n").indent()
        .addStatement("$L = $L", y.field(), value)
        .add(jumpThroughFinally(y.exit(), y.finallyDepth()))
        .unindent().add("}").build();
  }

  @Override
  public CodeBlock continueOut(Tree at, Name label) {
    return CodeBlock.builder().add("{\n").indent().add(continueCode(at, label)).unindent().add("}").build();
  }

  @Override
  public CodeBlock returnOut(Tree at, CodeBlock value) {
    if (finallys.isEmpty()) {
      return returnWith(at, value);
    }
    return CodeBlock.builder().add("{\n").indent().add(returnWith(at, value)).unindent().add("}").build();
  }

  /** The code of {@code return done(value)} ({@code value} null for {@code done()}). */
  CodeBlock returnWith(Tree at, CodeBlock value) {
    CodeBlock v = value == null ? CodeBlock.of("null") : value;
    Finally f = finallys.peek();
    if (f == null) {
      return CodeBlock.builder().addStatement("return $L", v).build();
    }
    return enterFinally(f, Finally.RETURN, v, null);
  }

  @Override
  public RuntimeException erroneous() {
    return diagnostics.abortSilently();
  }

  @Override
  public void unsupported(Tree tree, String message) {
    diagnostics.error(tree, unit, message);
  }

  @Override
  public TypeElement userType() {
    return userType;
  }

  @Override
  public PrivateAccess privateAccess() {
    return privateAccess;
  }

  @Override
  public String captured(Element local, String field) {
    ensureOpen();
    if (snapshotState != current) {
      snapshotState = current;
      snapshots.clear();
    }
    String existing = snapshots.get(local);
    if (existing != null) {
      return existing;
    }
    TypeName type = fieldTypes.get(field);
    if (type == null) {
      TypeName t = TypeNames.denotable(local.asType());
      type = t != null ? t : TypeName.get(local.asType());
    }
    String name = localName(local.getSimpleName().toString());
    // Effectively final, not final: a lambda that assigns the local (javac's error in the user's code)
    // then gets the same error in the copy, not another one about a final variable.
    current.code.addStatement("$T $L = $L", type, name, field);
    snapshots.put(local, name);
    return name;
  }

  /** The nested class of handles on private members, or {@code null} if the body uses none. */
  public com.palantir.javapoet.TypeSpec accessClass() {
    return privateAccess.accessClass();
  }
}
