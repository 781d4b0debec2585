package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.Tree;
import io.awaitj.processor.analysis.JavacLimits;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/**
 * The machine's fields and the names of its locals: the parameters and captured values it is built
 * with, the locals that live across awaits ("promoted" to fields), temporaries of lowered expressions,
 * and the snapshots lambdas and classes capture. Every name comes from one {@link NameAllocator}.
 *
 * <p>Also what a suspended machine may let go of: fields whose variable's scope has ended, or
 * temporaries of a completed statement, are {@linkplain #releaseWhileSuspended released} at the next
 * suspension.
 */
final class Frame {
  private final Source source;
  private final MachineBuilder machine;
  private final Body body;
  private final NameAllocator names = new NameAllocator();
  /**
   * The fields of locals, parameters and captured values, by element, in the order promoted (javac's
   * elements are equal only to themselves).
   */
  private final Map<VariableElement, String> promoted = new java.util.LinkedHashMap<>();
  /** The declared type of each field, by name. */
  private final Map<String, TypeName> fieldTypes = new HashMap<>();
  /** Fields of the first bound's type that hold values of an intersection type: how to read them. */
  private final Map<String, TypeNames.Intersection> intersections = new HashMap<>();
  private final List<FieldSpec> fields = new ArrayList<>();
  /** Types given to captured values by the enclosing body (which knows the field types it copies). */
  private final Map<Element, TypeName> parameterTypes = new IdentityHashMap<>();
  private final String self;
  /** The names the body's code can see in scopes of its own (its lambdas and classes). */
  private final Set<String> visibleInTheBody;
  private final Set<TypeElement> memberLocalClasses;
  private int locals;

  /** The state whose snapshots {@link #snapshots} holds: a snapshot is a local of one state. */
  private State snapshotState;
  private final Map<Element, String> snapshots = new IdentityHashMap<>();

  /** Reference fields no longer needed since the last suspension, in source order. */
  private final Set<String> released = new LinkedHashSet<>();
  /** Fields that member classes made of local classes read: never released while suspended. */
  private final Set<String> keptForMemberClasses = new HashSet<>();
  /** Where the body's variables are used, read when a suspension first asks (see {@link LastUses}). */
  private LastUses lastUses;
  /** The statement being lowered: a suspension's code after it starts there. */
  private com.sun.source.util.TreePath statement;
  /** Fields released at a suspension already: the next suspensions do not clear them again. */
  private final Set<String> releasedBefore = new HashSet<>();

  Frame(Source source, MachineBuilder machine, Body body, List<TypeElement> memberLocalClasses,
      io.awaitj.processor.analysis.LocalScopes scopes) {
    this.source = source;
    this.machine = machine;
    this.body = body;
    this.memberLocalClasses = Set.copyOf(memberLocalClasses);
    for (String reserved : MachineContract.RESERVED_FIELD_NAMES) {
      names.newName(reserved, "reserved:" + reserved);
    }
    // The body's local classes become members of the machine; in an expression, a field of the same
    // name would hide one (self.values() is the field's), so no field takes their names.
    for (TypeElement t : memberLocalClasses) {
      names.newName(t.getSimpleName().toString(), t);
    }
    for (VariableElement p : body.captured()) {
      promoted.put(p, names.newName(fieldName(p), p));
    }
    for (VariableElement p : body.parameters()) {
      if (!javax.lang.model.SourceVersion.isIdentifier(p.getSimpleName())) {
        // javac accepts '(, b) -> ...', a lambda whose first parameter has no name ('' on JDK 17,
        // '<error>' on 25).
        throw source.abort(body.path().getParentPath().getLeaf(), "a parameter of this async lambda"
            + " has no name (javac accepts '(, b) ->'): name it, as in '(a, b) ->'");
      }
      promoted.put(p, names.newName(fieldName(p), p));
    }
    this.visibleInTheBody = scopes.namesInScopesOfTheirOwn();
    this.self = body.hasSelf() ? names.newName(selfName(visibleInTheBody), "self") : null;
    // An async lambda's captured value or parameter of an intersection type is a field of the first
    // bound's type, as a local kept across an await: reads keep every bound.
    Tree lambda = body.path().getParentPath().getLeaf();
    for (VariableElement p : body.captured()) {
      javax.lang.model.type.TypeMirror type = p.asType();
      if (type.getKind() == TypeKind.UNION) {
        // A multi-catch parameter the enclosing body kept as a Java local: its type as javac reads
        // it, the least upper bound of the alternatives (which may be an intersection).
        type = lubOfCatchParameter(p);
        TypeName t = type == null ? null : source.typeNames.denotable(type);
        parameterTypes.put(p, t != null ? t : com.palantir.javapoet.ClassName.get(Throwable.class));
        if (type == null) {
          continue;
        }
      }
      holds(promoted.get(p), type, () -> declarationOf(p, lambda),
          "local '" + p.getSimpleName() + "', which an async lambda uses,");
    }
    for (VariableElement p : body.parameters()) {
      holds(promoted.get(p), p.asType(), () -> declarationOf(p, lambda),
          "parameter '" + p.getSimpleName() + "'"
              + (lambda instanceof com.sun.source.tree.LambdaExpressionTree ? " of an async lambda" : ""));
    }
  }

  /** The least upper bound of the alternatives of multi-catch parameter {@code v}, or null. */
  private javax.lang.model.type.TypeMirror lubOfCatchParameter(VariableElement v) {
    com.sun.source.util.TreePath path = source.trees.getPath(v);
    return path != null && path.getParentPath() != null
        && path.getParentPath().getLeaf() instanceof com.sun.source.tree.CatchTree c
        ? source.trees.getLub(c) : null;
  }

  /** The declaration of variable {@code v}, or {@code otherwise} if javac finds none. */
  private Tree declarationOf(Element v, Tree otherwise) {
    Tree t = source.trees.getTree(v);
    return t != null ? t : otherwise;
  }

  /**
   * The name of the machine's reference to the user object: {@code self}, unless the body's lambdas or
   * classes can see a variable of that name, which would hide the field where the copied code reads a
   * member of the user's class through it; then {@code self$} ({@code self$$}, ...).
   */
  private static String selfName(Set<String> visibleInTheBody) {
    String name = "self";
    while (visibleInTheBody.contains(name)) {
      name += "$";
    }
    return name;
  }

  /** The machine's reference to the user object; null in a static method's machine. */
  String self() {
    return self;
  }

  /** The field a local variable (or parameter) was given, or null if it stays a Java local. */
  String fieldOf(Element local) {
    return promoted.get(local);
  }

  /**
   * How code reads field {@code name}: through a cast to the intersection type of what it holds
   * (the field has the first bound's type), else by its name. Writes use the name.
   */
  CodeBlock read(String name) {
    return read(name, name);
  }

  /** As {@link #read(String)}, where the code reaches field {@code name} as {@code access}. */
  CodeBlock read(String name, String access) {
    TypeNames.Intersection both = intersections.get(name);
    return both == null ? CodeBlock.of("$L", access) : both.read(access);
  }

  /** Field {@code name} holds values of {@code type}: reads keep every bound of an intersection. */
  void holds(String name, javax.lang.model.type.TypeMirror type, Tree at, String what) {
    holds(name, type, () -> at, what);
  }

  /**
   * As {@link #holds(String, javax.lang.model.type.TypeMirror, Tree, String)}, the tree an error is
   * reported at found only if there is one: javac finds a variable's declaration by scanning its whole
   * compilation unit ({@code Trees.getTree(Element)}), once per local otherwise.
   */
  private void holds(String name, javax.lang.model.type.TypeMirror type,
      java.util.function.Supplier<Tree> at, String what) {
    TypeNames.Intersection both;
    try {
      both = source.typeNames.intersection(type, source.types);
    } catch (TypeNames.WildcardIntersection w) {
      throw source.abort(at.get(), w.message(what));
    }
    if (both != null) {
      intersections.put(name, both);
    }
  }

  /** The declared type of field {@code name}, or null if it is not one of the frame's. */
  TypeName fieldType(String name) {
    return fieldTypes.get(name);
  }

  /** Gives captured value {@code c} the type {@code t} (that of the enclosing body's field). */
  void typeCaptured(VariableElement c, TypeName t) {
    parameterTypes.put(c, t);
  }

  /** The constructor parameters of the machine, as fields: captured locals, then parameters. */
  List<FieldSpec> parameterFields() {
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
    TypeName t = source.typeNames.denotable(p.asType());
    return t != null ? t : TypeName.get(p.asType());
  }

  /** The fields the lowering allocated (promoted locals, temporaries), in order. */
  List<FieldSpec> fields() {
    return List.copyOf(fields);
  }

  /** Allocates a field for {@code local}, which lives across awaits. */
  String promote(VariableElement local) {
    String existing = promoted.get(local);
    if (existing != null) {
      return existing;
    }
    if (local.asType().getKind() == TypeKind.ERROR) {
      throw source.erroneous(); // javac reports the error in the source itself
    }
    TypeName type = source.typeNames.denotable(local.asType());
    if (type == null) {
      Tree at = declarationOf(local, body.path().getLeaf());
      TypeElement foreign = LocalClasses.localClassIn(local.asType());
      if (JavacLimits.namesAnonymousClass(local.asType())) {
        throw source.erroneous(); // JavacLimits reports it: javac cannot compile it at all
      }
      if (foreign != null && !memberLocalClasses.contains(foreign)) {
        throw source.abort(at, LocalClasses.inAsyncLambda(foreign, source.userType, " (here as the"
            + " type of '" + local.getSimpleName() + "', which lives across an await)"));
      }
      throw source.abort(at, "local '" + local.getSimpleName() + "' lives across an await,"
          + " so it becomes a field of the state machine, but its type (" + local.asType()
          + ") cannot be named there: declare it with a named type");
    }
    String name = addField(local, fieldName(local), type);
    holds(name, local.asType(), () -> declarationOf(local, body.path().getLeaf()),
        "local '" + local.getSimpleName() + "', which lives across an await,");
    return name;
  }

  /**
   * Allocates a field of an explicit type for {@code local} (a catch parameter), which holds values of
   * {@code bound}: for a multi-catch, the least upper bound of the alternatives, whose name is {@code
   * type}; reads of an intersection ({@code RuntimeException & Named}) keep every bound.
   */
  String promoteAs(VariableElement local, TypeName type, javax.lang.model.type.TypeMirror bound, Tree at) {
    String existing = promoted.get(local);
    if (existing != null) {
      return existing;
    }
    // A union type has no name: lambdas capture it as this type.
    String name = addField(local, fieldName(local), type);
    holds(name, bound, at, "catch parameter '" + local.getSimpleName() + "'");
    return name;
  }

  private String addField(VariableElement local, String hint, TypeName type) {
    String name = names.newName(hint, local);
    fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE).build());
    fieldTypes.put(name, type);
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

  /**
   * Allocates a temporary field of {@code type}. A value of an expression that awaits ({@link
   * #REUSED}: a spilled operand, a short circuit's or a conditional's result) takes a field of its
   * kind and type that an earlier statement's such value left free if there is one, as Kotlin reuses its spill
   * slots: it is written and read within its statement, which the one that held the field before
   * has completed (see {@link #releaseTemporariesSince}); fewer fields, a smaller waiting machine.
   */
  String temporary(String hint, TypeName type) {
    java.util.ArrayDeque<String> reusable = REUSED.contains(hint) ? free.get(hint + " " + type) : null;
    if (reusable != null && !reusable.isEmpty()) {
      String name = reusable.pop();
      machine.temporaryTaken(name);
      released.remove(name); // holds a value again: the next suspension keeps it
      intersections.remove(name); // the new value's type, if an intersection, is registered anew
      temporaries.add(name);
      return name;
    }
    // (Tagged: NameAllocator's untagged newName tags with a random UUID, whose SecureRandom is seeded
    // from the system on its first use in the compiler's JVM.)
    String name = names.newName(hint + "$" + fields.size(), new Object());
    fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE).build());
    temporaryTypes.put(name, type);
    if (REUSED.contains(hint)) {
      reusedKind.put(name, hint + " " + type);
    }
    temporaries.add(name);
    machine.temporaryTaken(name);
    return name;
  }

  /** The hints of the temporaries that statements after theirs may reuse (see {@link #temporary}). */
  private static final Set<String> REUSED = Set.of("spill", "cond", "choice");
  /** The temporaries of the statements being lowered, in the order taken (see {@link #temporariesMark}). */
  private final List<String> temporaries = new ArrayList<>();
  /** The type of each temporary field. */
  private final Map<String, TypeName> temporaryTypes = new HashMap<>();
  /** The temporaries of a kind that may be reused ({@link #REUSED}): their hint and type. */
  private final Map<String, String> reusedKind = new HashMap<>();
  /**
   * Temporaries of a reusable kind whose statement completed, by hint and type (a spill is reused
   * as a spill, a conditional's result as one: the names keep saying what they hold), the last freed
   * first.
   */
  private final Map<String, java.util.ArrayDeque<String>> free = new HashMap<>();

  /**
   * A fresh name for a Java local inside one state: none that the body's lambdas and classes can see
   * (a lambda may not declare a variable of an enclosing local's name: {@code x$1 -> x$1 + x}, beside
   * the snapshot {@code x$1} of {@code x}, was "variable x$1 is already defined in method step()").
   */
  String localName(String hint) {
    String name;
    do {
      name = hint + "$" + (++locals);
    } while (visibleInTheBody.contains(name));
    return names.newName(name, new Object()); // tagged: see temporary
  }

  /**
   * The name to use for local {@code local}, now field {@code field}, inside a lambda or a local or
   * anonymous class: an effectively final copy taken in the current state, as Java captures the value
   * (not final: a lambda that assigns the local, javac's error in the user's code, then gets the same
   * error in the copy, not another one about a final variable).
   */
  String captured(Element local, String field) {
    machine.ensureOpen();
    if (snapshotState != machine.current()) {
      snapshotState = machine.current();
      snapshots.clear();
    }
    String existing = snapshots.get(local);
    if (existing != null) {
      return existing;
    }
    TypeName type = fieldTypes.get(field);
    if (type == null && local instanceof VariableElement v
        && (body.captured().contains(v) || body.parameters().contains(v))) {
      type = parameterType(v); // a captured value's type is the one the constructor takes
    }
    if (type == null) {
      TypeName t = source.typeNames.denotable(local.asType());
      type = t != null ? t : TypeName.get(local.asType());
    }
    String name = localName(local.getSimpleName().toString());
    TypeNames.Intersection both = intersections.get(field);
    if (both != null && both.view() != null) {
      // A view's capture, inferred for a 'var', is a type javac then rejects: the copy has the
      // field's type, and its readers read it through the view.
      machine.emitStatement("$T $L = $L", type, name, field);
      name = both.read(name).toString();
    } else if (both != null) {
      machine.emitStatement("var $L = $L", name, read(field)); // the intersection type, as in the source
    } else {
      machine.emitStatement("$T $L = $L", type, name, field);
    }
    snapshots.put(local, name);
    return name;
  }

  /** The field of a local a member class (a hoisted local class) reads: never released. */
  String keepForMemberClass(Element local) {
    String field = promoted.get(local);
    if (field != null) {
      keptForMemberClasses.add(field); // an instance may outlive the variable's scope
    }
    return field;
  }

  // ---------------------------------------------------------------------------------------------
  // Members the copied code needs.

  private boolean usesAssertions;

  /**
   * The machine's flag for whether assertions are enabled for the user's class (an assert copied into
   * the machine would otherwise follow the machine's own status, which {@code -ea:the.UserClass} does
   * not enable); the machine declares it once this was asked for.
   */
  String assertionsEnabled() {
    usesAssertions = true;
    return MachineContract.ASSERTIONS;
  }

  boolean usesAssertions() {
    return usesAssertions;
  }

  /**
   * {@code final T alias = field}: a resource declaration standing for local {@code local}, now a
   * field ({@code final var alias = ((A & B) field)} for a value of an intersection type).
   */
  CodeBlock resourceAlias(Element local, String field) {
    TypeNames.Intersection both = intersections.get(field);
    if (both != null && both.view() != null) {
      // 'final var' would take the view's capture, which javac rejects as a variable's type.
      throw source.abort(declarationOf(local, body.path().getLeaf()), "resource '" + local.getSimpleName() + "' has an intersection type with a"
          + " class bound that has wildcards, which awaitj cannot write as the type of the resource in"
          + " the state machine: give it a named type");
    }
    if (both != null) {
      // The field has the first bound's type, which may not be the AutoCloseable one.
      return CodeBlock.of("final var $L = $L", localName(local.getSimpleName().toString()), read(field));
    }
    TypeName type = fieldTypes.get(field);
    if (type == null) {
      type = source.typeNames.denotable(local.asType());
    }
    return CodeBlock.of("final $T $L = $L", type, localName(local.getSimpleName().toString()), field);
  }

  // ---------------------------------------------------------------------------------------------
  // Release while suspended.

  /** A mark of the temporaries allocated so far: see {@link #releaseTemporariesSince}. */
  int temporariesMark() {
    return temporaries.size();
  }

  /**
   * Releases the temporaries taken since {@code mark}, their statement completed (marks nest as
   * statements do): the reference ones are cleared at the next suspension, and those of a reusable
   * kind are free for the next statements' (see {@link #temporary}).
   */
  void releaseTemporariesSince(int mark) {
    List<String> done = temporaries.subList(mark, temporaries.size());
    for (String t : done) {
      TypeName type = temporaryTypes.get(t);
      if (!type.isPrimitive()) {
        released.add(t);
      }
      if (reusedKind.containsKey(t)) {
        java.util.ArrayDeque<String> pool = free.computeIfAbsent(reusedKind.get(t), k -> new java.util.ArrayDeque<>());
        if (!pool.contains(t)) {
          pool.push(t);
        }
      }
    }
    done.clear();
  }

  /** Releases the field of {@code local}, whose scope has ended (unless primitive or kept). */
  void releaseLocal(Element local) {
    String field = promoted.get(local);
    if (field != null && !local.asType().getKind().isPrimitive() && !keptForMemberClasses.contains(field)) {
      released.add(field);
    }
  }

  /**
   * The statements that clear the fields released since the last suspension (in source order), to
   * run as the machine suspends; empty if none.
   */
  CodeBlock releaseWhileSuspended() {
    releaseDeadVariables();
    if (released.isEmpty()) {
      return CodeBlock.of("");
    }
    CodeBlock.Builder b = CodeBlock.builder().add("// no longer used: not kept alive while suspended\n");
    for (String f : released) {
      b.addStatement("$L = null", f);
    }
    releasedBefore.addAll(released);
    released.clear();
    return b.build();
  }

  /**
   * Marks the statement at {@code path} as the one being lowered, until {@link #leaveStatement} with
   * what this returns.
   */
  com.sun.source.util.TreePath enterStatement(com.sun.source.util.TreePath path) {
    com.sun.source.util.TreePath outer = statement;
    statement = path;
    return outer;
  }

  /** Ends the statement {@link #enterStatement} began; {@code outer} is what it returned. */
  void leaveStatement(com.sun.source.util.TreePath outer) {
    statement = outer;
  }

  /**
   * The statements that clear, as soon as an await of {@code operand} has begun (suspending or not),
   * the reference fields of variables that only {@code operand} reads ({@link LastUses#onlyIn}): a
   * parameter handed to an await, typically. Empty if none. Each is then released for good, as
   * {@link #releaseWhileSuspended} would release it at a later suspension.
   */
  CodeBlock consumedBy(Tree operand) {
    if (statement == null) {
      return CodeBlock.of("");
    }
    CodeBlock.Builder b = null;
    for (Map.Entry<VariableElement, String> e : releasable()) {
      VariableElement v = e.getKey();
      String field = e.getValue();
      if (lastUses.onlyIn(v, v.getSimpleName().toString(), statement, operand)) {
        if (b == null) {
          b = CodeBlock.builder().add("// only this await reads it: not kept while the await runs or suspends\n");
        }
        b.addStatement("$L = null", field);
        releasedBefore.add(field);
      }
    }
    return b == null ? CodeBlock.of("") : b.build();
  }

  /**
   * Releases the reference fields of variables that no code after the statement being lowered uses
   * ({@link LastUses}), a parameter's too: a machine suspended for long keeps alive only what it may
   * still read. Once released, a field is not cleared again at later suspensions (as a scope's end
   * releases once: at the next suspension of the lowering's order).
   */
  private void releaseDeadVariables() {
    if (statement == null) {
      return;
    }
    for (Map.Entry<VariableElement, String> e : releasable()) {
      VariableElement v = e.getKey();
      if (lastUses.deadAt(v, v.getSimpleName().toString(), statement)) {
        released.add(e.getValue());
      }
    }
  }

  /**
   * The promoted variables whose reference fields may still be released (not primitive, not released
   * yet, not kept for member classes), in the order of {@link #promoted}; {@link #lastUses} is made
   * for them.
   */
  private List<Map.Entry<VariableElement, String>> releasable() {
    List<Map.Entry<VariableElement, String>> out = new ArrayList<>();
    for (Map.Entry<VariableElement, String> e : promoted.entrySet()) {
      String field = e.getValue();
      if (e.getKey().asType().getKind().isPrimitive() || releasedBefore.contains(field)
          || released.contains(field) || keptForMemberClasses.contains(field)) {
        continue;
      }
      out.add(e);
    }
    if (!out.isEmpty() && lastUses == null) {
      lastUses = LastUses.of(source.trees, body.path());
    }
    return out;
  }
}
