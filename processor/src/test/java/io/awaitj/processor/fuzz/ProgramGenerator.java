package io.awaitj.processor.fuzz;

import io.awaitj.processor.fuzz.Program.Block;
import io.awaitj.processor.fuzz.Program.Compound;
import io.awaitj.processor.fuzz.Program.Kind;
import io.awaitj.processor.fuzz.Program.Line;
import io.awaitj.processor.fuzz.Program.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A seeded generator of random {@code @Async} method bodies for differential testing of the
 * transform ({@link io.awaitj.processor.Differential}). Program {@code i} of seed {@code s} is always
 * the same program, whatever else was generated.
 *
 * <p>What the programs contain: nested if/else; for (with awaits in the condition and the update),
 * while and do/while (each bounded by a counter), for-each over arrays, lists and strings; labeled
 * loops, switches and blocks with labeled and unlabeled break/continue; switch statements in colon and
 * arrow form over int, String and enum selectors, switch expressions with yield (also from nested
 * statements); try/catch/finally with single and multi-catch; try-with-resources over a traced
 * {@code Res} (declared, {@code var}, or an existing variable) whose close may fail; ternaries,
 * {@code &&}/{@code ||}, instanceof, casts, compound assignments of every primitive kind, boxed types,
 * arrays, {@code List<Integer>}, {@code StringBuilder}, an enum, fields (package-private, private,
 * and through a holder object); locals of all these types, explicit or {@code var}, at every depth;
 * reassigned parameters; lambdas and anonymous classes capturing effectively final locals (also
 * loop and catch variables); exceptions thrown at random points (a custom unchecked {@code Boom},
 * {@code IllegalStateException}, {@code IllegalArgumentException}, {@code ArithmeticException}),
 * caught at random depths; awaits of {@code val(x)} (suspends) and {@code ready(x)} (complete) in
 * arguments, receivers, operands, conditions, array indices and initializers, selectors,
 * initializers, compound assignment right sides, returns and yields; a read of a local, parameter,
 * field or private field followed, in a later operand of the same expression, by a change of it before
 * an await (assignment, compound assignment, increment or decrement, a call that changes the field);
 * calls of generated {@code @Async}
 * helpers (instance and static, each bounded-recursive through a depth parameter), of a shared
 * recursive one, and delegating returns.
 *
 * <p>Each program also has, with its own probability (see {@link Features}): annotations with
 * arguments ({@code @SuppressWarnings("unused")}, {@code @SuppressWarnings({"unchecked", "rawtypes"})},
 * the TYPE_USE {@code @Tag("x")}, {@code @Mark(secret = 3)}) on locals, loop variables, catch
 * parameters, resources, lambda parameters, parameters and members of local classes; values of
 * intersection types ({@code var x = c ? new ArrayList<String>() : new LinkedList<String>();}, or of
 * a String and a StringBuilder) kept across awaits, reassigned, captured by lambdas, awaited ({@code
 * await(Aio.done(c ? a : b))}) and passed to overloads that tell {@code Serializable}, {@code
 * Cloneable} or {@code CharSequence} from {@code Object}; local classes, records, enums and
 * interfaces used across awaits, with fields initialized before and after initializer blocks
 * (traced, so the order shows), static members, generic parameters, varargs methods, delegating
 * constructors, inner and static member classes as the types of locals ({@code K3.Inner in =
 * o.new Inner();}), enum constants with bodies and switches over local enums, default, private and
 * static interface methods, a member record of an interface, local types implementing a local
 * interface, and anonymous classes of a local interface; and a body that is a static method's (the
 * case delegates to it). Not generated, as javac cannot compile them in a class with {@code @Async}
 * methods (the processor says so): records with a written canonical or compact constructor, a
 * varargs record component, variables of an anonymous class's type.
 *
 * <p>Every program compiles (locals are always initialized, jumps only end blocks, loops have
 * non-constant conditions), terminates (loop limits multiply to at most {@value #MAX_LOOP_WORK}
 * iterations, recursion is bounded, strings grow linearly), and traces branch decisions, caught
 * exceptions and the values of its locals.
 */
public final class ProgramGenerator {

  /** Size bounds of generated programs. */
  public record Limits(int maxStatements, int maxDepth, int maxBlock, int maxExpressionDepth,
      int maxHelpers) {
    /** The default: programs of up to 30 statements (plus helpers), nested up to 4 deep. */
    public static Limits defaults() {
      return new Limits(30, 4, 4, 3, 2);
    }
  }

  static final int MAX_LOOP_WORK = 64;

  /** The member types of the generated class ({@link #SHARED}) that programs name by simple name. */
  static final java.util.Set<String> SUBJECT_MEMBER_TYPES =
      java.util.Set.of("Holder", "Boom", "OutOfFuel", "Color", "Box", "Res", "ARes", "Countdown", "Tag", "Mark");

  /** A lambda or method reference in generated code (lambda parameters are named x1, x2...). */
  private static final java.util.regex.Pattern LAMBDA =
      java.util.regex.Pattern.compile("\\bx\\d+\\)? -> |\\(\\) -> |::");

  /**
   * The members every program may use, the {@code extra} of {@link
   * io.awaitj.processor.Differential#compile}: exceptions, a traced resource, an enum, fields, traced
   * functions, and {@code @Async} helpers (one recursive with a finally, one that fails, and three
   * without awaits, awaited as direct calls: {@code same}, {@code plainOf}, and {@code plain}, which
   * may fail).
   */
  public static final String SHARED = """
        /** Subclassed by anonymous classes whose creation awaits in its argument. */
        static class Holder {
          final int v;
          Holder(int v) { trace("holder " + v); this.v = v; }
          int get() { return v; }
        }
        /** The custom unchecked exception of generated programs. */
        static final class Boom extends RuntimeException {
          private static final long serialVersionUID = 1L;
          Boom(String message) { super(message); }
        }
        /** Thrown by tick() when a loop runs away: the transform broke a loop. */
        static final class OutOfFuel extends Error {
          private static final long serialVersionUID = 1L;
          OutOfFuel() { super("out of fuel: a loop ran away"); }
        }
        enum Color { R, G, B }
        static final class Box {
          int v;
          @Override public String toString() { return "Box" + v; }
        }
        static final class Res implements AutoCloseable {
          final String name;
          final int mode;
          Res(String name, int mode) { this.name = name; this.mode = mode; trace("open " + name); }
          @Override public void close() {
            trace("close " + name);
            if (mode == 1) throw new IllegalStateException("close " + name);
            if (mode == 2) throw new Boom("close " + name);
          }
          @Override public String toString() { return "Res " + name; }
        }
        /** A resource closed asynchronously: the processor awaits closeAsync(). */
        static final class ARes implements io.awaitj.AsyncCloseable {
          final String name;
          final int mode;
          ARes(String name, int mode) { this.name = name; this.mode = mode; trace("aopen " + name); }
          @Override public Coroutine<Void> closeAsync() {
            trace("aclose " + name);
            if (mode == 1) return Aio.failed(new IllegalStateException("aclose " + name));
            return val((Void) null);
          }
          // For the synchronous reference only.
          @Override public void close() { Aio.run(closeAsync()); }
          @Override public String toString() { return "ARes " + name; }
        }
        /** n, n-1, ..., 1, each step awaited: the processor iterates asyncIterator(). */
        static final class Countdown implements io.awaitj.AsyncIterable<Integer> {
          final int from;
          Countdown(int from) { this.from = from; }
          @Override public String toString() { return "Countdown " + from; }
          @Override public io.awaitj.AsyncIterator<Integer> asyncIterator() {
            return new io.awaitj.AsyncIterator<Integer>() {
              int next = from;
              @Override public Coroutine<Boolean> hasNext() { return val(next > 0); }
              @Override public Integer next() { return next--; }
            };
          }
          // For the synchronous reference only.
          @Override public Iterator<Integer> iterator() {
            io.awaitj.AsyncIterator<Integer> it = asyncIterator();
            return new Iterator<Integer>() {
              @Override public boolean hasNext() { return Aio.run(it.hasNext()); }
              @Override public Integer next() { return it.next(); }
            };
          }
        }
        int fld;
        private int secret;
        /** Changes fld: a call with a side effect on a field. */
        int bump(int d) { fld += d; trace("bump " + fld); return fld; }
        /** Changes secret: a call with a side effect on a private field. */
        private int bumpSecret(int d) { secret += d; trace("bumpSecret " + secret); return secret; }
        final Box box = new Box();
        private int fuel;
        void tick() { if (++fuel > 20000) throw new OutOfFuel(); }
        static int g(int x) { trace("g " + x); return x; }
        static int f3(int a, int b, int c) { trace("f3 " + a + " " + b + " " + c); return a * 3 + b * 2 + c; }
        static int chk(int x) { if (Math.floorMod(x, 7) == 3) throw new IllegalArgumentException("chk " + x); return x; }
        static int chkB(int x) { if (Math.floorMod(x, 7) == 5) throw new Boom("chkB " + x); return x; }
        static int div(int a, int b) { return a / b; }
        static int apply(IntUnaryOperator f, int x) { return f.applyAsInt(x); }
        private int hidden(int x) { trace("hidden " + x); return x + 1; }
        static String cut(String s) { return s.length() > 40 ? s.substring(0, 40) : s; }
        static String all(List<Supplier<String>> l) {
          StringBuilder b = new StringBuilder();
          for (Supplier<String> s : l) b.append(s.get()).append(',');
          return b.toString();
        }
        /** A type annotation with an argument, on the types of locals, parameters and members. */
        @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE)
        @interface Tag { String value(); }
        /** A declaration annotation whose elements are named like members of this class. */
        @interface Mark { String value() default ""; int secret() default 0; int fld() default 0; }
        /** Overloads that tell the bounds of an intersection type from Object. */
        static String ser(java.io.Serializable s) { return "S"; }
        static String ser(Object o) { return "O"; }
        static String ser(java.io.Serializable s, int n) { return "S" + n; }
        static String ser(Object o, int n) { return "O" + n; }
        static String clo(Cloneable c) { return "C"; }
        static String clo(Object o) { return "o"; }
        static String chars(CharSequence c) { return "Q" + c.length(); }
        static String chars(Object o) { return "q"; }
        @Async static Coroutine<Integer> rec(int n) {
          trace("rec " + n);
          if (n <= 0) return done(await(val(0)));
          try {
            int r = await(rec(n - 1)) + await(ready(n));
            if (r == 6) throw new Boom("rec " + r);
            return done(r);
          } finally {
            trace("rec out " + n);
          }
        }
        @Async static <T> Coroutine<T> same(T x) {
          return done(x);
        }
        @Async static <T> Coroutine<T> plainOf(T x) {
          trace("plain " + x);
          return done(x);
        }
        @Async static Coroutine<Integer> plain(int x) {
          trace("plain " + x);
          if (Math.floorMod(x, 11) == 4) throw new Boom("plain " + x);
          return done(x + 1);
        }
        @Async Coroutine<Integer> failing(int x) {
          int y = await(val(x));
          if (Math.floorMod(y, 3) == 1) throw new IllegalStateException("failing " + y);
          return done(y * 2);
        }
      """;

  private final long seed;
  private final Limits limits;
  private final Features features;

  /**
   * Generator features that can be switched off, to keep a known bug out of a run. The last twelve
   * are the shapes of processor bugs found by fuzzing (see {@link FuzzRegressionTest}), all fixed.
   *
   * @param annotations annotations with arguments on locals, loop variables, catch parameters,
   *     resources, lambda parameters and members of local classes ({@code @SuppressWarnings("unused")},
   *     {@code @SuppressWarnings({"unchecked", "rawtypes"})}, the shared {@code @Tag("x")} (TYPE_USE)
   *     and {@code @Mark(secret = 1)}, whose elements are named like members of the class)
   * @param intersections values of an intersection type ({@code var x = c ? new ArrayList<String>()
   *     : new LinkedList<String>();}) kept across awaits, passed to overloads that tell {@code
   *     Serializable} (or {@code Cloneable}, {@code CharSequence}) from {@code Object}, captured by
   *     lambdas, and as the result of an await
   * @param localTypes local classes, records, enums and interfaces declared in a body and used
   *     across awaits (initializer blocks between fields, static members, member classes as types of
   *     locals, enum constants with bodies, default/static/private interface methods, generic
   *     classes, varargs methods)
   * @param staticBodies the case's body as a static {@code @Async} method (the case delegates to it)
   * @param privateMethodStatements a call of a private method as an expression statement
   * @param privateMethodReferences {@code this::hidden}, a reference to a private method
   * @param privateFieldWritesThroughThis {@code this.secret = <expression with an await>}
   * @param fieldsAsRuleBodies a field alone as the expression of a switch rule: {@code case 1 -> fld;}
   * @param privateMethodsInLambdas a call of a private method inside a lambda or anonymous class
   * @param copiedExistingVariableResources {@code try (r) {...}} over an existing variable, without
   *     an await in the statement (with one, the generator puts an await first in the block)
   * @param doWhileBodiesThatCannotCompleteNormally a do/while whose body always jumps out (without
   *     them, every do/while body starts with a break the loop may take)
   * @param switchExpressionsIntoPrivateMembers {@code secret = switch (...) {...};} and {@code
   *     hidden(switch (...) {...})} (without them, such a switch is cast to int)
   * @param asyncResourcesWithoutAwait a try-with-resources over an AsyncCloseable without an await
   *     in the statement (without them, the generator puts an await first in the block)
   * @param lambdasInPrivateCalls a lambda in the arguments of a private method call
   * @param privateAccessInLocalTypes a call of a private method or a write of a private
   *     field inside a local type's body, whose argument may name a member of the type: {@code class
   *     K { int a; int m() { return hidden(a); } }} is copied as {@code hidden(self.a)}
   * @param typeAnnotationsOnMemberTypes {@code @Tag("x")} before the simple name of a member
   *     type of the class ({@code @Tag("x") Color c}) in code the machine copies: written {@code
   *     @Subject.Tag("x") Subject.Color c}, which javac rejects
   */
  public record Features(boolean switchExpressions, boolean lambdas, boolean tryWithResources,
      boolean privateMembers, boolean helpers, boolean annotations, boolean intersections,
      boolean localTypes, boolean staticBodies, boolean privateMethodStatements,
      boolean privateMethodReferences, boolean privateFieldWritesThroughThis,
      boolean fieldsAsRuleBodies, boolean privateMethodsInLambdas,
      boolean copiedExistingVariableResources, boolean doWhileBodiesThatCannotCompleteNormally,
      boolean switchExpressionsIntoPrivateMembers, boolean asyncResourcesWithoutAwait,
      boolean lambdasInPrivateCalls, boolean privateAccessInLocalTypes,
      boolean typeAnnotationsOnMemberTypes) {
    /** Everything the generator can do. */
    public static Features all() {
      return new Features(true, true, true, true, true, true, true, true, true, true, true, true, true,
          true, true, true, true, true, true, true, true);
    }

    /**
     * Everything but the shapes of the processor bugs found by fuzzing that are still open (each a
     * disabled test in {@link FuzzRegressionTest}): what {@link FuzzTest} runs by default.
     */
    public static Features withoutOpenBugs() {
      return all(); // none open: the last two were fixed in the fifth session
    }

    /** Everything but the shapes of the known processor bugs. */
    public Features withoutKnownBugs() {
      return new Features(switchExpressions, lambdas, tryWithResources, privateMembers, helpers,
          annotations, intersections, localTypes, staticBodies,
          false, false, false, false, false, false, false, false, false, false, false, false);
    }
  }

  public ProgramGenerator(long seed) {
    this(seed, Limits.defaults(), Features.all());
  }

  /**
   * Whether a quarter of the programs are generators (issue 15): the body, with {@code emit(...)}
   * statements and {@code return finish();}, is an {@code @Async AsyncGenerator<String>} method that the
   * case consumes with an async for (left early after a limit, sometimes); the synchronous reference
   * collects what the body emits into a list ({@code Differential}). On unless {@code
   * -Dawaitj.fuzz.generators=false}.
   */
  private final boolean generators =
      Boolean.parseBoolean(System.getProperty("awaitj.fuzz.generators", "true"));

  public ProgramGenerator(long seed, Limits limits, Features features) {
    this.seed = seed;
    this.limits = limits;
    this.features = features;
  }

  /** Program {@code index} of this generator's seed, named {@code p<index>}. */
  public Program generate(int index) {
    long mixed = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    Gen g = new Gen(new SplittableRandom(mixed), "p" + index);
    // Drawn from a stream of its own: the programs that are not generators stay what they were.
    g.generatorProgram = generators && new SplittableRandom(mixed ^ 0x15_15_15_15L).nextInt(4) == 0;
    return g.program();
  }

  // ---------------------------------------------------------------------------------------------
  // Types, variables, expressions.

  enum T {
    INT("int"), INTEGER("Integer"), LONG("long"), LONG_B("Long"), DOUBLE("double"),
    DOUBLE_B("Double"), CHAR("char"), CHAR_B("Character"), BOOL("boolean"), BOOL_B("Boolean"),
    STRING("String"), ARR("int[]"), LIST("List<Integer>"), FN("IntUnaryOperator"),
    SUP("Supplier<String>"), SB("StringBuilder"), COLOR("Color"), RES("Res"), EXC("RuntimeException"),
    SINK("List<Supplier<String>>"),
    /** {@code AbstractList<String> & Serializable & Cloneable}: only {@code var} can declare it. */
    INTER_L("var"),
    /** {@code Serializable & Comparable<...> & CharSequence}: only {@code var} can declare it. */
    INTER_S("var"),
    /** A value of a local class, record, enum or interface ({@link Var#local}). */
    OBJ("Object"),
    /** Not a variable: a local type in scope ({@link Var#local}). */
    TYPE("class");

    final String decl;

    T(String decl) {
      this.decl = decl;
    }

    T family() {
      return switch (this) {
        case INTEGER -> INT;
        case LONG_B -> LONG;
        case DOUBLE_B -> DOUBLE;
        case CHAR_B -> CHAR;
        case BOOL_B -> BOOL;
        default -> this;
      };
    }

    T boxed() {
      return switch (this) {
        case INT -> INTEGER;
        case LONG -> LONG_B;
        case DOUBLE -> DOUBLE_B;
        case CHAR -> CHAR_B;
        case BOOL -> BOOL_B;
        default -> this;
      };
    }

    boolean isBoxed() {
      return this == INTEGER || this == LONG_B || this == DOUBLE_B || this == CHAR_B || this == BOOL_B;
    }

    boolean isPrimitiveFamily() {
      return family() == INT || family() == LONG || family() == DOUBLE || family() == CHAR
          || family() == BOOL;
    }
  }

  /** A local variable in scope. */
  static final class Var {
    final String name;
    final T type;
    final boolean assignable; // the generator may assign it
    final boolean capturable; // effectively final
    final int level; // lambda nesting where declared
    int iterating; // for-each loops over it (lists: no add)
    boolean inLoop; // declared inside a loop of the body: a local class may not capture it
    LocalType local; // OBJ: the local type of its value; TYPE: the local type declared
    String member; // OBJ: the member type of the local type it holds (Inner, Nested, Impl), or null

    Var(String name, T type, boolean assignable, boolean capturable, int level) {
      this.name = name;
      this.type = type;
      this.assignable = assignable;
      this.capturable = capturable;
      this.level = level;
    }
  }

  /**
   * A local class ({@code c}), record ({@code r}), enum ({@code e}) or interface ({@code i}) the body
   * declared, and the members the generator gave it (see {@code Gen.localTypeDeclaration}).
   */
  static final class LocalType {
    final String name;
    final char kind;
    /** The type argument of a generic class or record ({@code String}, {@code Integer}), or null. */
    String typeArg;
    /** A class or record with {@code static int made}; a class also has {@code count()}. */
    boolean statics;
    /** A class with an inner class {@code Inner}; with a static class {@code Nested}. */
    boolean inner;
    boolean nested;
    /** An interface with a member record {@code Impl} and a factory {@code of(int)}. */
    boolean impl;
    /** A record with the constructor {@code R(int x)}; a class with {@code K()}. */
    boolean shortConstructor;
    /** Its static initializer traces: its creations' arguments do not await (see {@code noAwaits}). */
    boolean tracedStaticInit;
    /** The local interface it implements, or null. */
    LocalType iface;
    /** Declared in code javac may leave out as dead (see {@code Gen.maybeDead}). */
    boolean maybeDead;

    LocalType(String name, char kind) {
      this.name = name;
      this.kind = kind;
    }

    /** The type as written for a variable: {@code K3<String>} or {@code K3}. */
    String typeName() {
      return typeArg == null ? name : name + "<" + typeArg + ">";
    }
  }

  /** A generated expression: its code (parenthesized unless primary) and static type. */
  record E(String code, T type) {}

  /** A statement (or several) and whether it can complete normally. */
  record S(List<Node> nodes, boolean normal) {
    static S of(Node n, boolean normal) {
      return new S(List.of(n), normal);
    }
  }

  /** A block and whether it can complete normally. */
  record B(Block block, boolean normal) {}

  /** Something break, continue or yield may target. */
  static final class Target {
    enum K { LOOP, SWITCH, BLOCK, SWITCH_EXPRESSION }

    final String label;
    final K kind;
    final T yieldType;
    boolean broken;
    boolean continued;
    boolean allBoxed = true;
    boolean anyBoxed;
    int results;

    Target(String label, K kind, T yieldType) {
      this.label = label;
      this.kind = kind;
      this.yieldType = yieldType;
    }
  }

  // ---------------------------------------------------------------------------------------------

  private final class Gen {
    final SplittableRandom r;
    final String name;
    int budget;
    int ids;
    final Deque<List<Var>> scopes = new ArrayDeque<>();
    final Deque<Target> targets = new ArrayDeque<>();
    final Deque<Var> catchVars = new ArrayDeque<>();
    int lambdaDepth;
    int anonymousDepth;
    boolean isStatic;
    String returnType;
    int helperIndex = -1;
    boolean helperStatic[];
    boolean recursionUsed;
    String depthParam;
    int loopDepth;
    int loopWork = 1;
    int grow;
    int exprBudget;
    boolean awaitHeavy;
    /** This program's share of the newer input classes (chosen per program, to keep runs fast). */
    boolean annotate;
    boolean intersections;
    boolean localTypes;
    /** Inside the body of a local type (its member initializers and methods). */
    int typeBodyDepth;
    /** The lambda level of the innermost local type's body: locals below it are captures. */
    int captureFloor;
    /** A static context inside a local type's body (a record, enum or interface): no captures. */
    boolean noCaptures;
    /** Local types declared in the method being generated. */
    int localTypeCount;
    /**
     * Inside code javac drops when a condition is a constant (a branch of an if, an arm of a
     * conditional, the right operand of && or ||): javac writes no class for a local type declared
     * there, but still the methods of the lambdas there, which then name a missing class
     * (NoClassDefFoundError when the reference is verified). Lambdas use no local type declared there.
     */
    int maybeDead;

    /** The program's body is a generator's (see {@code generators}). */
    boolean generatorProgram;

    Gen(SplittableRandom r, String name) {
      this.r = r;
      this.name = name;
    }

    /** Whether an {@code emit(...)} may stand here: the generator's own body, outside lambdas and classes. */
    boolean canEmit() {
      return "Gen".equals(returnType) && helperIndex < 0 && canAwait() && typeBodyDepth == 0
          && anonymousDepth == 0;
    }

    Line emitStatement() {
      return new Line("emit(em(\"e \" + " + show(topExpr(randomFamily(false))) + "));", Kind.EXPRESSION);
    }

    // ---- randomness ----

    boolean p(double probability) {
      return r.nextDouble() < probability;
    }

    int n(int bound) {
      return r.nextInt(bound);
    }

    <X> X pick(List<X> xs) {
      return xs.get(n(xs.size()));
    }

    /** An index chosen with the given weights. */
    int choose(int... weights) {
      int total = 0;
      for (int w : weights) {
        total += w;
      }
      int x = n(Math.max(total, 1));
      for (int i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) {
          return i;
        }
      }
      return 0;
    }

    String id(String prefix) {
      return prefix + (++ids);
    }

    /** Names of locals whose scope has ended, which a new local may take again. */
    final List<String> dead = new ArrayList<>();
    /** Names declared in the groups of the switches being generated: in scope until the switch ends. */
    final Deque<List<String>> deferred = new ArrayDeque<>();

    /** A name for a new local: fresh, or now and then one of a local whose scope ended. */
    String varName(String prefix) {
      if (!dead.isEmpty() && p(0.35)) {
        List<String> visible = new ArrayList<>();
        for (List<Var> scope : scopes) {
          for (Var v : scope) {
            visible.add(v.name);
          }
        }
        List<String> candidates = new ArrayList<>(dead);
        candidates.removeAll(visible);
        if (!candidates.isEmpty()) {
          String name = pick(candidates);
          dead.remove(name);
          return name;
        }
      }
      return id(prefix);
    }

    /** Ends the innermost scope; a switch group's names stay taken until its switch ends. */
    void popScope(boolean group) {
      List<Var> scope = scopes.pop();
      for (Var v : scope) {
        if (v.type == T.TYPE) {
          continue; // a local type's name is never taken again in the method (the processor forbids it)
        }
        (group && !deferred.isEmpty() ? deferred.peek() : dead).add(v.name);
      }
    }

    void beginSwitch() {
      deferred.push(new ArrayList<>());
    }

    void endSwitch() {
      List<String> names = deferred.pop();
      (deferred.isEmpty() ? dead : deferred.peek()).addAll(names);
    }

    // ---- program ----

    Program program() {
      awaitHeavy = p(0.5);
      annotate = features.annotations() && p(0.4);
      intersections = features.intersections() && p(0.4);
      localTypes = features.localTypes() && p(0.5);
      boolean staticMain = features.staticBodies() && p(0.25);
      // A static body is a helper of its own: one helper fewer, so that programs stay as big.
      int helperCount = features.helpers() ? n(limits.maxHelpers() + (staticMain ? 0 : 1)) : 0;
      helperStatic = new boolean[helperCount];
      List<Program.Method> helpers = new ArrayList<>();
      for (int k = 0; k < helperCount; k++) {
        helperStatic[k] = staticMain || p(0.35); // a static body calls only static helpers
        helpers.add(helper(k));
      }
      // The case method (or, static, a helper the case delegates to).
      helperIndex = -1;
      isStatic = staticMain;
      localTypeCount = 0;
      returnType = pick(List.of("String", "String", "Integer", "Integer", "Void"));
      if (generatorProgram) {
        returnType = "Gen";
      }
      scopes.clear();
      dead.clear();
      scopes.push(new ArrayList<>());
      List<String> params = new ArrayList<>();
      List<String> paramNames = new ArrayList<>();
      List<Object> args = new ArrayList<>();
      int paramCount = n(4);
      for (int i = 0; i < paramCount; i++) {
        String pn = id("a");
        paramNames.add(pn);
        String ann = annotate && p(0.2) ? annotation(true) : "";
        switch (n(4)) {
          case 0 -> {
            params.add(ann + "String " + pn);
            args.add(pick(List.of("x", "abc", "b", "hello")));
            declare(pn, T.STRING, p(0.5));
          }
          case 1 -> {
            params.add(ann + "long " + pn);
            args.add((long) (n(200) - 50));
            declare(pn, T.LONG, p(0.5));
          }
          case 2 -> {
            params.add(ann + "boolean " + pn);
            args.add(p(0.5));
            declare(pn, T.BOOL, p(0.5));
          }
          default -> {
            params.add(ann + "int " + pn);
            args.add(n(20) - 5);
            declare(pn, T.INT, p(0.5));
          }
        }
      }
      budget = 8 + n(Math.max(1, limits.maxStatements() - 7));
      List<Node> body = new ArrayList<>();
      boolean normal = true;
      int top = 3 + n(6);
      for (int i = 0; i < top && budget > 0 && normal; i++) {
        S s = statement(0);
        body.addAll(s.nodes);
        normal = s.normal;
      }
      if (normal) {
        body.add(new Line("trace(\"end " + name + " \" + " + dump() + ");", Kind.EXPRESSION));
        body.add(new Line(finalReturn(), Kind.JUMP));
      }
      if (generatorProgram) {
        // The body is a generator's; the case consumes it, and may leave the loop after `limit`
        // values (which closes the generator: GeneratorExit at its emit).
        String gen = Program.SELF + "_g";
        helpers.add(new Program.Method("@Async " + (staticMain ? "static " : "") + "AsyncGenerator<String> "
            + gen + "(" + String.join(", ", params) + ")", new Block(body, Block.Style.BRACES)));
        int limit = p(0.5) ? -1 : 1 + n(3);
        String consume = """
            List<String> got = new ArrayList<>();
            try {
              for (String x : gens(() -> %s(%s), %d)) {
                got.add(x);
                if (got.size() == %d) break;
              }
            } catch (IllegalStateException e) {
              if (!String.valueOf(e.getMessage()).contains("while it was being closed")) throw e;
              return done("emitted while closing");
            }
            return done("got " + got);""".formatted(gen, String.join(", ", paramNames), limit, limit);
        return new Program(name, "String", String.join(", ", params), args.toArray(),
            new Block(List.of(new Line(consume, Kind.OTHER)), Block.Style.BRACES), helpers);
      }
      if (staticMain) {
        // The body is a static @Async method's; the case method returns its coroutine.
        String main = Program.SELF + "_h" + helperCount;
        helpers.add(new Program.Method("@Async static Coroutine<" + returnType + "> " + main + "("
            + String.join(", ", params) + ")", new Block(body, Block.Style.BRACES)));
        body = new ArrayList<>(List.of(new Line("return " + main + "(" + String.join(", ", paramNames) + ");",
            Kind.JUMP)));
      }
      return new Program(name, returnType, String.join(", ", params), args.toArray(),
          new Block(body, Block.Style.BRACES), helpers);
    }

    Program.Method helper(int k) {
      helperIndex = k;
      isStatic = helperStatic[k];
      localTypeCount = 0;
      returnType = "Integer";
      recursionUsed = false;
      scopes.clear();
      dead.clear();
      scopes.push(new ArrayList<>());
      String a = id("a");
      String d = id("d");
      declare(a, T.INT, true);
      scopes.peek().add(newVar(d, T.INT, false, true, 0));
      depthParam = d;
      String header = "@Async " + (isStatic ? "static " : "") + "Coroutine<Integer> " + Program.SELF
          + "_h" + k + "(int " + a + ", int " + d + ")";
      budget = 3 + n(6);
      List<Node> body = new ArrayList<>();
      body.add(new Line("trace(\"" + Program.SELF + "_h" + k + " \" + " + a + " + \" \" + " + d + ");",
          Kind.EXPRESSION));
      boolean normal = true;
      int top = 1 + n(4);
      for (int i = 0; i < top && budget > 0 && normal; i++) {
        S s = statement(1);
        body.addAll(s.nodes);
        normal = s.normal;
      }
      if (normal) {
        body.add(new Line("return done(" + topExpr(T.INT).code + ");", Kind.JUMP));
      }
      return new Program.Method(header, new Block(body, Block.Style.BRACES));
    }

    String finalReturn() {
      return switch (returnType) {
        case "Gen" -> "return finish();";
        case "Void" -> "return done();";
        case "Integer" -> "return done(" + topExpr(T.INT).code + ");";
        default -> "return done(\"r \" + " + show(topExpr(randomFamily(false))) + ");";
      };
    }

    /** The values of the locals in the innermost scopes, as a string expression. */
    String dump() {
      List<String> parts = new ArrayList<>();
      int count = 0;
      for (List<Var> scope : scopes) {
        for (Var v : scope) {
          if (v.type != T.TYPE && count++ < 12 && accessible(v)) {
            parts.add("\"" + v.name + "=\" + " + show(new E(v.name, v.type)));
          }
        }
      }
      return parts.isEmpty() ? "\"-\"" : String.join(" + \" \" + ", parts);
    }

    // ---- variables ----

    /** A new variable declared here (in a loop or not: a local class may capture it or not). */
    Var newVar(String n, T type, boolean assignable, boolean capturable, int level) {
      Var v = new Var(n, type, assignable, capturable, level);
      v.inLoop = loopDepth > 0;
      return v;
    }

    Var declare(String n, T type, boolean assignable) {
      Var v = newVar(n, type, assignable, !assignable, lambdaDepth);
      scopes.peek().add(v);
      return v;
    }

    boolean accessible(Var v) {
      if (v.level < captureFloor && (noCaptures || v.inLoop) && v.type != T.TYPE) {
        // A local type's body: a static one captures nothing, a local class no local declared in a
        // loop (javac forbids the first; the processor the second, with a clear error).
        return false;
      }
      return v.level == lambdaDepth || v.capturable;
    }

    List<Var> vars(Predicate<Var> filter) {
      List<Var> out = new ArrayList<>();
      for (List<Var> scope : scopes) {
        for (Var v : scope) {
          if (accessible(v) && filter.test(v)) {
            out.add(v);
          }
        }
      }
      return out;
    }

    Var someVar(T family) {
      List<Var> vs = vars(v -> v.type.family() == family);
      return vs.isEmpty() ? null : pick(vs);
    }

    Var assignableVar(T family) {
      List<Var> vs = vars(v -> v.assignable && v.level == lambdaDepth
          && (family == null || v.type.family() == family));
      return vs.isEmpty() ? null : pick(vs);
    }

    boolean canAwait() {
      return lambdaDepth == 0 && noAwaits == 0;
    }

    /**
     * Above 0 while generating code that may not await: the arguments of {@code new K(...)} for a
     * local class whose static initializer traces. The JVM initializes the class at {@code new},
     * before the arguments; the machine evaluates arguments that await first, and creates the
     * instance later (a known difference, RELIABILITY.md "Known and open").
     */
    int noAwaits;

    boolean instance() {
      return !isStatic;
    }

    /**
     * Whether a private method may be called, or a private field written, here: in a local type's
     * body only with {@link Features#privateAccessInLocalTypes} (its arguments may name the type's
     * members).
     */
    boolean privateCallsHere() {
      return features.privateMembers() && (typeBodyDepth == 0 || features.privateAccessInLocalTypes());
    }

    /** An explicit "this." now and then, where it means the user object. */
    String self() {
      return anonymousDepth == 0 && p(0.3) ? "this." : "";
    }

    // ---- expressions ----

    /** An expression of {@code family} at the top of a statement (fresh growth allowance). */
    E topExpr(T family) {
      int saved = grow;
      int savedBudget = exprBudget;
      grow = 0;
      exprBudget = 12;
      try {
        return e(family, 1 + n(limits.maxExpressionDepth()));
      } finally {
        grow = saved;
        exprBudget = savedBudget;
      }
    }

    /** As {@link #topExpr}, without references to growing values (strings, builders, lists). */
    E flatExpr(T family) {
      int saved = grow;
      int savedBudget = exprBudget;
      grow = 1;
      exprBudget = 10;
      try {
        return e(family, 1 + n(limits.maxExpressionDepth()));
      } finally {
        grow = saved;
        exprBudget = savedBudget;
      }
    }

    T randomFamily(boolean withObjects) {
      int k = choose(10, 3, 2, 2, 4, 6, withObjects ? 2 : 0, withObjects ? 1 : 0, withObjects ? 1 : 0,
          withObjects ? 1 : 0, withObjects ? 1 : 0, withObjects ? 1 : 0);
      return new T[] {T.INT, T.LONG, T.DOUBLE, T.CHAR, T.BOOL, T.STRING, T.ARR, T.LIST, T.SB, T.COLOR,
          T.FN, T.SUP}[k];
    }

    E e(T family, int d) {
      exprBudget--;
      if (exprBudget <= 0) {
        d = 0;
      }
      return switch (family) {
        case INT -> eInt(d);
        case LONG -> eLong(d);
        case DOUBLE -> eDouble(d);
        case CHAR -> eChar(d);
        case BOOL -> eBool(d);
        case STRING -> eString(d);
        case ARR -> eArr(d);
        case LIST -> eList(d);
        case SB -> eSb(d);
        case COLOR -> eColor(d);
        case FN -> eFn();
        case SUP -> eSup();
        case INTER_L -> intersectionValue(true, d);
        case INTER_S -> intersectionValue(false, d);
        default -> throw new IllegalArgumentException(family.toString());
      };
    }

    /** {@code await(val(x))} or {@code await(ready(x))}, or null where awaits are not allowed. */
    E awaited(E inner, boolean canTrace) {
      if (!canAwait()) {
        return null;
      }
      // same, plainOf: @Async methods without awaits, whose awaits are direct calls (DirectCalls).
      String how = canTrace && p(0.75) ? (p(0.8) ? "val" : "plainOf") : p(0.7) ? "ready" : "same";
      return new E("await(" + how + "(" + inner.code + "))", inner.type.boxed());
    }

    int awaitWeight() {
      return canAwait() ? (awaitHeavy ? 9 : 5) : 0;
    }

    E varOr(T family, Supplier<E> otherwise) {
      Var v = someVar(family);
      if (v != null && (!isGrowing(family) || grow == 0)) {
        if (isGrowing(family)) {
          grow++;
        }
        return new E(v.name, v.type);
      }
      return otherwise.get();
    }

    boolean isGrowing(T family) {
      return family == T.STRING || family == T.SB || family == T.LIST;
    }

    String paren(String s) {
      return "(" + s + ")";
    }

    E eInt(int d) {
      if (d <= 0) {
        return switch (choose(4, 6, instance() ? 1 : 0, instance() ? 1 : 0, instance() && features.privateMembers() ? 1 : 0)) {
          case 0 -> intLiteral();
          case 1 -> varOr(T.INT, this::intLiteral);
          case 2 -> new E(self() + "fld", T.INT);
          case 3 -> new E(self() + "box.v", T.INT);
          default -> new E("secret", T.INT);
        };
      }
      int k = choose(
          awaitWeight(), // 0 await
          canAwait() && hasHelpers() ? 3 : 0, // 1 helper
          canAwait() ? 1 : 0, // 2 rec
          canAwait() && instance() ? 1 : 0, // 3 failing
          6, // 4 binary
          1, // 5 unary
          2, // 6 ternary
          3, // 7 traced calls
          1, // 8 throwing calls
          2, // 9 array read
          2, // 10 list read
          2, // 11 sizes
          1, // 12 casts
          vars(v -> v.type == T.FN).isEmpty() ? 0 : 2, // 13 apply lambda
          features.switchExpressions() && d >= 2 ? 2 : 0, // 14 switch expression
          assignableVar(T.INT) != null ? 2 : 0, // 15 assignment, increment
          1, // 16 ordinal
          features.lambdas() ? 1 : 0, // 17 apply(lambda, x)
          3, // 18 leaf
          features.lambdas() && lambdaDepth == 0 && anonymousDepth == 0 ? 1 : 0, // 19 anonymous class
          canAwait() ? 3 : 0, // 20 a read, then a change of the variable before an await
          localTypes && !(localTypesInScope().isEmpty() && localValues().isEmpty()) ? 4 : 0, // 21 local types
          intersections ? 1 : 0); // 22 size of an intersection
      switch (k) {
        case 0: {
          E a = awaited(e(T.INT, d - 1), true);
          return a != null ? a : intLiteral();
        }
        case 1:
          return helperCall(d);
        case 2:
          return new E("await(rec(Math.floorMod(" + e(T.INT, d - 1).code + ", 4)))", T.INTEGER);
        case 3:
          return new E("await(" + (p(0.7) ? "failing" : "plain") + "(" + e(T.INT, d - 1).code + "))",
              T.INTEGER);
        case 4: {
          String op = pick(List.of("+", "-", "*", "+", "-", "&", "|", "^", "%", "/", "<<", ">>"));
          E a = e(T.INT, d - 1);
          if (op.equals("%") || op.equals("/")) {
            return new E(paren(a.code + " " + op + " " + (2 + n(6))), T.INT);
          }
          if (op.equals("<<") || op.equals(">>")) {
            return new E(paren(a.code + " " + op + " " + (1 + n(3))), T.INT);
          }
          return new E(paren(a.code + " " + op + " " + e(T.INT, d - 1).code), T.INT);
        }
        case 5: {
          String operand = e(T.INT, d - 1).code;
          if (operand.startsWith("+") || operand.startsWith("-")) {
            operand = paren(operand); // not "+++x"
          }
          return new E(paren(pick(List.of("-", "~", "+")) + operand), T.INT);
        }
        case 6:
          return ternary(T.INT, d);
        case 7:
          switch (choose(4, 2, 2, instance() && privateCallsHere()
              && (lambdaDepth == 0 || features.privateMethodsInLambdas()) ? 2 : 0, 1)) {
            case 0:
              return new E("g(" + e(T.INT, d - 1).code + ")", T.INT);
            case 1:
              return new E("f3(" + e(T.INT, d - 1).code + ", " + e(T.INT, d - 1).code + ", "
                  + e(T.INT, d - 1).code + ")", T.INT);
            case 2:
              return new E("Math.max(" + e(T.INT, d - 1).code + ", " + e(T.INT, d - 1).code + ")", T.INT);
            case 3:
              return new E(self() + "hidden(" + privateArgument(e(T.INT, d - 1).code) + ")", T.INT);
            default:
              return new E("Integer.valueOf(" + e(T.INT, d - 1).code + ")", T.INTEGER);
          }
        case 8:
          switch (n(3)) {
            case 0:
              return new E("chk(" + e(T.INT, d - 1).code + ")", T.INT);
            case 1:
              return new E("chkB(" + e(T.INT, d - 1).code + ")", T.INT);
            default:
              return new E("div(" + e(T.INT, d - 1).code + ", " + e(T.INT, d - 1).code + ")", T.INT);
          }
        case 9: {
          E arr = e(T.ARR, d - 1);
          return new E(arr.code + "[" + index(d - 1, 4) + "]", T.INT);
        }
        case 10: {
          Var lv = someVar(T.LIST);
          if (lv != null && p(0.5)) {
            return new E(lv.name + ".get(Math.floorMod(" + e(T.INT, d - 1).code + ", " + lv.name
                + ".size()))", T.INTEGER);
          }
          int saved = grow;
          grow = 0; // a list read does not make the expression grow
          E list = e(T.LIST, d - 1);
          grow = saved;
          return new E(list.code + ".get(" + index(d - 1, 3) + ")", T.INTEGER);
        }
        case 11:
          switch (n(5)) {
            case 0: {
              int saved = grow;
              grow = 0;
              E s = e(T.STRING, d - 1);
              grow = saved;
              return new E(s.code + ".length()", T.INT);
            }
            case 1:
              return new E(e(T.ARR, d - 1).code + ".length", T.INT);
            case 2: {
              int saved = grow;
              grow = 0;
              E l = e(T.LIST, d - 1);
              grow = saved;
              return new E(l.code + ".size()", T.INT);
            }
            case 3: {
              int saved = grow;
              grow = 0;
              E sb = e(T.SB, d - 1);
              grow = saved;
              return new E(sb.code + ".length()", T.INT);
            }
            default:
              return new E("Integer.compare(" + e(T.INT, d - 1).code + ", " + e(T.INT, d - 1).code + ")",
                  T.INT);
          }
        case 12:
          switch (n(3)) {
            case 0: {
              E l = e(T.LONG, d - 1);
              return new E(paren("(int) " + (l.type.isBoxed() ? "(long) " : "") + l.code), T.INT);
            }
            case 1: {
              E x = e(T.DOUBLE, d - 1);
              return new E(paren("(int) " + (x.type.isBoxed() ? "(double) " : "") + x.code), T.INT);
            }
            default:
              return new E(paren("(int) " + e(T.CHAR, d - 1).code), T.INT);
          }
        case 13: {
          E f = eFn();
          return new E(f.code + ".applyAsInt(" + e(T.INT, d - 1).code + ")", T.INT);
        }
        case 14:
          return switchExpression(T.INT, d);
        case 15: {
          Var v = assignableVar(T.INT);
          switch (n(5)) {
            case 0:
              return new E(v.name + "++", v.type);
            case 1:
              return new E("++" + v.name, v.type);
            case 2:
              return new E(v.name + "--", v.type);
            case 3:
              return new E(paren(v.name + " " + pick(List.of("+=", "-=", "*=")) + " " + e(T.INT, d - 1).code),
                  v.type);
            default:
              return new E(paren(v.name + " = " + e(T.INT, d - 1).code), v.type);
          }
        }
        case 16:
          return new E(e(T.COLOR, d - 1).code + ".ordinal()", T.INT);
        case 17:
          return new E("apply(" + lambda(T.FN) + ", " + e(T.INT, d - 1).code + ")", T.INT);
        case 19: {
          // An anonymous class whose creation may await in its argument, capturing locals.
          String arg = e(T.INT, d - 1).code;
          String body = anonymousClassBody();
          return new E("new Holder(" + arg + ") { @Override int get() { return v + " + body + "; } }.get()",
              T.INT);
        }
        case 20:
          return changedBeforeAwait(d);
        case 21:
          return localUse(d);
        case 22:
          return intersectionInt(d);
        default:
          return eInt(0);
      }
    }

    /**
     * An expression that reads an int variable (a local, a parameter, a field, a private field, an
     * array element, a field of a local class's instance) and then, in a later operand, changes it
     * before an await: an assignment, a compound assignment, an increment or decrement, or a call that
     * changes the field. Java reads the variable first; the state machine must keep that value across
     * the await.
     */
    E changedBeforeAwait(int d) {
      List<String> targets = new ArrayList<>();
      for (Var v : vars(v -> v.assignable && v.level == lambdaDepth && v.type.family() == T.INT)) {
        targets.add(v.name);
      }
      if (instance()) {
        targets.add(self() + "fld");
        targets.add(self() + "box.v");
        if (features.privateMembers()) {
          targets.add("secret");
        }
      }
      List<Var> arrays = vars(v -> v.type == T.ARR && v.level == lambdaDepth);
      if (!arrays.isEmpty() && p(0.6)) {
        targets.add(pick(arrays).name + "[" + n(4) + "]");
      }
      for (Var o : localValues()) {
        if (o.local.kind == 'c' && o.member == null) {
          targets.add(o.name + ".b");
        }
      }
      if (targets.isEmpty()) {
        return eInt(0);
      }
      String t = pick(targets);
      String change = change(t, d);
      String op = pick(List.of("+", "-", "*", "^"));
      String how = p(0.75) ? "val" : "ready";
      return switch (n(5)) {
        case 0 -> new E(paren(t + " " + op + " await(" + how + "(" + change + "))"), T.INT);
        case 1 -> new E("f3(" + t + ", " + change + ", await(" + how + "(" + e(T.INT, d - 1).code + ")))", T.INT);
        case 2 -> new E(paren(t + " " + op + " f3(" + change + ", await(" + how + "(" + t + ")), " + t + ")"),
            T.INT);
        case 3 -> new E(paren(t + " " + pick(List.of("+=", "-=", "^=")) + " await(" + how + "(" + change + "))"),
            T.INT);
        default -> new E(paren(t + " " + op + " " + paren(change + " " + op + " await(" + how + "(" + t + "))")),
            T.INT);
      };
    }

    /** A change of int variable {@code t} as an expression (parenthesized), with its new or old value. */
    String change(String t, int d) {
      boolean field = t.endsWith("fld");
      boolean secret = t.equals("secret");
      boolean object = t.endsWith(".b"); // a field of a local class's instance, with bump(d)
      int k = choose(2, 2, 3, field || secret || object ? 3 : 0, field || secret ? 0 : 1);
      return switch (k) {
        case 0 -> paren(t + " = " + (secret ? privateArgument(e(T.INT, d - 1).code) : e(T.INT, d - 1).code));
        case 1 -> paren(t + " " + pick(List.of("+=", "-=", "*=")) + " "
            + (secret ? privateArgument(e(T.INT, d - 1).code) : e(T.INT, d - 1).code));
        case 2 -> paren(pick(List.of(t + "++", "++" + t, t + "--", "--" + t)));
        case 3 -> secret ? "bumpSecret(" + privateArgument(e(T.INT, d - 1).code) + ")"
            : object ? t.substring(0, t.length() - 1) + "bump(" + e(T.INT, d - 1).code + ")"
            : self() + "bump(" + e(T.INT, d - 1).code + ")";
        default -> "g(" + t + " = " + e(T.INT, d - 1).code + ")";
      };
    }

    E intLiteral() {
      int v = n(12) - 3;
      return new E(v < 0 ? "(" + v + ")" : String.valueOf(v), T.INT);
    }

    /** An index into an array or list of at least {@code size} elements. */
    String index(int d, int size) {
      switch (n(4)) {
        case 0:
          return String.valueOf(n(size));
        case 1:
          if (canAwait()) {
            return "await(" + (p(0.5) ? "val" : "ready") + "(" + n(size) + "))";
          }
          return String.valueOf(n(size));
        default:
          return "Math.floorMod(" + e(T.INT, Math.max(0, d)).code + ", " + size + ")";
      }
    }

    /** How many loop iterations may nest: helpers run inside the case's loops, so less there. */
    int maxWork() {
      return helperIndex < 0 ? MAX_LOOP_WORK : 11;
    }

    /** The helpers the case's body may call: the static ones only, from a static body. */
    List<Integer> mainCallable() {
      List<Integer> out = new ArrayList<>();
      for (int k = 0; k < helperStatic.length; k++) {
        if (helperStatic[k] || !isStatic) {
          out.add(k);
        }
      }
      return out;
    }

    boolean hasHelpers() {
      if (helperIndex < 0) {
        return !mainCallable().isEmpty() && loopWork <= 8;
      }
      // Helpers call helpers declared before them (no cycles), and themselves once, outside loops.
      if (loopDepth > 0) {
        return false;
      }
      return helperIndex > 0 || !recursionUsed;
    }

    E helperCall(int d) {
      if (helperIndex < 0) {
        int k = pick(mainCallable());
        return new E("await(" + Program.SELF + "_h" + k + "(" + e(T.INT, d - 1).code + ", " + n(3) + "))",
            T.INTEGER);
      }
      List<Integer> callable = new ArrayList<>();
      for (int k = 0; k < helperIndex; k++) {
        if (helperStatic[k] || !isStatic) {
          callable.add(k);
        }
      }
      if (!recursionUsed && (callable.isEmpty() || p(0.5))) {
        recursionUsed = true;
        return new E(paren(depthParam + " > 0 ? await(" + Program.SELF + "_h" + helperIndex + "("
            + e(T.INT, d - 1).code + ", " + depthParam + " - 1)) : " + e(T.INT, d - 1).code), T.INT);
      }
      if (callable.isEmpty()) {
        return eInt(0);
      }
      return new E("await(" + Program.SELF + "_h" + pick(callable) + "(" + e(T.INT, d - 1).code + ", "
          + n(2) + "))", T.INTEGER);
    }

    E ternary(T family, int d) {
      E c = e(T.BOOL, d - 1);
      maybeDead++;
      E a;
      E b;
      try {
        a = e(family, d - 1);
        b = e(family, d - 1);
      } finally {
        maybeDead--;
      }
      T type = a.type == b.type ? a.type : family;
      return new E(paren(c.code + " ? " + a.code + " : " + b.code), type);
    }

    E eLong(int d) {
      if (d <= 0) {
        return varOr(T.LONG, () -> new E((n(9) + 1) + "L", T.LONG));
      }
      switch (choose(awaitWeight(), 4, 2, 2, 1, 1, 2)) {
        case 0: {
          E a = awaited(e(T.LONG, d - 1), true);
          return a != null ? a : eLong(0);
        }
        case 1:
          return new E(paren(e(T.LONG, d - 1).code + " " + pick(List.of("+", "-", "*", "^")) + " "
              + (p(0.5) ? e(T.LONG, d - 1) : e(T.INT, d - 1)).code), T.LONG);
        case 2:
          return new E(paren("(long) " + e(T.INT, d - 1).code + " << " + (20 + n(20))), T.LONG);
        case 3:
          return ternary(T.LONG, d);
        case 4:
          return new E("Math.max(" + e(T.LONG, d - 1).code + ", " + e(T.LONG, d - 1).code + ")", T.LONG);
        case 5: {
          Var v = assignableVar(T.LONG);
          if (v != null) {
            return new E(paren(v.name + " += " + e(T.INT, d - 1).code), v.type);
          }
          return eLong(0);
        }
        default:
          return eLong(0);
      }
    }

    E eDouble(int d) {
      if (d <= 0) {
        return varOr(T.DOUBLE, () -> new E(pick(List.of("0.5", "1.25", "2.0", "0.1", "3.75")), T.DOUBLE));
      }
      switch (choose(awaitWeight(), 4, 2, 2, 2)) {
        case 0: {
          E a = awaited(e(T.DOUBLE, d - 1), true);
          return a != null ? a : eDouble(0);
        }
        case 1:
          return new E(paren(e(T.DOUBLE, d - 1).code + " " + pick(List.of("+", "-", "*")) + " "
              + (p(0.5) ? e(T.DOUBLE, d - 1) : e(T.INT, d - 1)).code), T.DOUBLE);
        case 2:
          return new E(paren(e(T.INT, d - 1).code + " / 4.0"), T.DOUBLE);
        case 3:
          return ternary(T.DOUBLE, d);
        default:
          return eDouble(0);
      }
    }

    E eChar(int d) {
      if (d <= 0) {
        return varOr(T.CHAR, () -> new E("'" + (char) ('a' + n(6)) + "'", T.CHAR));
      }
      switch (choose(awaitWeight(), 3, 2, 2, 1, 2)) {
        case 0: {
          E a = awaited(e(T.CHAR, d - 1), true);
          return a != null ? a : eChar(0);
        }
        case 1:
          return new E(paren("(char) ('a' + Math.floorMod(" + e(T.INT, d - 1).code + ", 26))"), T.CHAR);
        case 2: {
          int saved = grow;
          grow = 0;
          E s = e(T.STRING, d - 1);
          grow = saved;
          return new E(s.code + ".charAt(0)", T.CHAR);
        }
        case 3:
          return ternary(T.CHAR, d);
        case 4:
          return new E("Character.toUpperCase(" + e(T.CHAR, d - 1).code + ")", T.CHAR);
        default:
          return eChar(0);
      }
    }

    E eBool(int d) {
      if (d <= 0) {
        return varOr(T.BOOL, () -> new E(p(0.5) ? "true" : "false", T.BOOL));
      }
      switch (choose(awaitWeight(), 6, 3, 3, 1, 2, 1, 1, 1, 2,
          features.switchExpressions() && d >= 2 ? 1 : 0, 1)) {
        case 0: {
          E a = awaited(e(T.BOOL, d - 1), true);
          return a != null ? a : eBool(0);
        }
        case 1: {
          T f = pick(List.of(T.INT, T.INT, T.INT, T.LONG, T.DOUBLE, T.CHAR));
          String op = pick(List.of("<", "<=", ">", ">=", "==", "!="));
          E a = e(f, d - 1);
          E b = e(f, d - 1);
          String bc = b.code;
          if ((op.equals("==") || op.equals("!=")) && a.type.isBoxed() && b.type.isBoxed()) {
            bc = f == T.CHAR ? "(char) " + bc : paren(bc + " + 0");
          }
          return new E(paren(a.code + " " + op + " " + bc), T.BOOL);
        }
        case 2:
          return logical(" && ", d);
        case 3:
          return logical(" || ", d);
        case 4:
          return new E(paren("!" + e(T.BOOL, d - 1).code), T.BOOL);
        case 5:
          return ternary(T.BOOL, d);
        case 6: {
          int saved = grow;
          grow = 0;
          E l = e(T.LIST, d - 1);
          grow = saved;
          return new E(l.code + ".contains(" + e(T.INT, d - 1).code + ")", T.BOOL);
        }
        case 7: {
          int saved = grow;
          grow = 0;
          E s = e(T.STRING, d - 1);
          grow = saved;
          return new E(s.code + (p(0.5) ? ".isEmpty()" : ".startsWith(\"" + (char) ('a' + n(3)) + "\")"),
              T.BOOL);
        }
        case 8: {
          T f = pick(List.of(T.INT, T.STRING, T.CHAR, T.LONG));
          int saved = grow;
          grow = 0;
          E x = e(f, d - 1);
          grow = saved;
          return new E(paren("(Object) " + paren(x.code) + " instanceof " + pick(List.of("Integer", "String",
              "Number", "Comparable"))), T.BOOL);
        }
        case 9: {
          Var v = assignableVar(T.BOOL);
          if (v != null) {
            return new E(paren(v.name + " = " + e(T.BOOL, d - 1).code), v.type);
          }
          return eBool(0);
        }
        case 10: {
          // javac 17 emits unverifiable bytecode for some boolean switch expressions compiled as
          // conditions (jumps): as an argument, the switch is a value.
          E sw = switchExpression(T.BOOL, d);
          return new E("Boolean.valueOf" + (sw.code.startsWith("(") ? sw.code : paren(sw.code)), T.BOOL_B);
        }
        default:
          return new E(paren(e(T.COLOR, d - 1).code + " == Color." + pick(List.of("R", "G", "B"))), T.BOOL);
      }
    }

    /** {@code a && b} or {@code a || b}: javac may drop {@code b} as dead code. */
    E logical(String op, int d) {
      String left = e(T.BOOL, d - 1).code;
      maybeDead++;
      try {
        return new E(paren(left + op + e(T.BOOL, d - 1).code), T.BOOL);
      } finally {
        maybeDead--;
      }
    }

    E eString(int d) {
      if (d <= 0) {
        return varOr(T.STRING, () -> new E("\"" + pick(List.of("s", "x", "ab", "q", "zz")) + n(10) + "\"",
            T.STRING));
      }
      switch (choose(awaitWeight(), 6, 2, 2, 2, 1, 1, grow == 0 ? 1 : 0,
          features.switchExpressions() && d >= 2 ? 1 : 0, 1, intersections ? 3 : 0)) {
        case 0: {
          E a = awaited(e(T.STRING, d - 1), true);
          return a != null ? a : eString(0);
        }
        case 1: {
          E a = e(T.STRING, d - 1);
          E b = e(randomFamily(false), d - 1);
          return new E(paren(a.code + " + " + show(b)), T.STRING);
        }
        case 2:
          return new E(valueOf(e(pick(List.of(T.INT, T.LONG, T.CHAR, T.BOOL, T.DOUBLE)), d - 1)), T.STRING);
        case 3:
          return new E(e(T.STRING, d - 1).code + pick(List.of(".toUpperCase()", ".substring(1)", ".trim()")),
              T.STRING);
        case 4:
          return ternary(T.STRING, d);
        case 5:
          return new E(e(T.COLOR, d - 1).code + ".name()", T.STRING);
        case 6: {
          Var s = someVar(T.SUP);
          if (s != null) {
            return new E(s.name + ".get()", T.STRING);
          }
          return eString(0);
        }
        case 7:
          return new E("cut(" + (p(0.5)
              ? "String.valueOf(" + e(T.LIST, d - 1).code + ")"
              : e(T.SB, d - 1).code + ".toString()") + ")", T.STRING);
        case 8:
          return switchExpression(T.STRING, d);
        case 10:
          return intersectionString(d);
        default:
          return new E("Integer.toString(" + e(T.INT, d - 1).code + ")", T.STRING);
      }
    }

    E eArr(int d) {
      if (d <= 0) {
        return varOr(T.ARR, () -> new E("(new int[] {" + intLiteral().code + ", " + intLiteral().code + ", "
            + intLiteral().code + ", " + intLiteral().code + "})", T.ARR));
      }
      switch (choose(canAwait() ? 2 : 0, 3, 1, 1, 3)) {
        case 0:
          return new E("await(ready(" + e(T.ARR, d - 1).code + "))", T.ARR);
        case 1:
          return new E("(new int[] {" + e(T.INT, d - 1).code + ", " + e(T.INT, d - 1).code + ", "
              + e(T.INT, d - 1).code + ", " + e(T.INT, d - 1).code + "})", T.ARR);
        case 2:
          return new E("(new int[" + (canAwait() && p(0.5) ? "await(val(4))" : "4") + "])", T.ARR);
        case 3:
          return new E(e(T.ARR, d - 1).code + ".clone()", T.ARR);
        default:
          return eArr(0);
      }
    }

    E eList(int d) {
      if (d <= 0 || p(0.4)) {
        return varOr(T.LIST, () -> newList(Math.max(0, d - 1)));
      }
      if (canAwait() && p(0.5)) {
        E inner = e(T.LIST, d - 1);
        return new E("await(val(" + inner.code + "))", T.LIST);
      }
      return newList(d - 1);
    }

    E newList(int d) {
      return new E("new ArrayList<>(List.of(" + e(T.INT, d).code + ", " + e(T.INT, d).code + ", "
          + e(T.INT, d).code + "))", T.LIST);
    }

    E eSb(int d) {
      if (d <= 0 || p(0.5)) {
        return varOr(T.SB, () -> new E("new StringBuilder(\"sb\")", T.SB));
      }
      if (canAwait() && p(0.5)) {
        return new E("await(val(" + e(T.SB, d - 1).code + "))", T.SB);
      }
      return new E("new StringBuilder(" + flatExpr(T.STRING).code + ")", T.SB);
    }

    E eColor(int d) {
      if (d <= 0) {
        return varOr(T.COLOR, () -> new E("Color." + pick(List.of("R", "G", "B")), T.COLOR));
      }
      switch (n(4)) {
        case 0: {
          E a = awaited(e(T.COLOR, d - 1), true);
          return a != null ? a : eColor(0);
        }
        case 1:
          return new E("Color.values()[Math.floorMod(" + e(T.INT, d - 1).code + ", 3)]", T.COLOR);
        default:
          return eColor(0);
      }
    }

    E eFn() {
      Var v = someVar(T.FN);
      if (v == null) {
        return new E("((IntUnaryOperator) " + lambda(T.FN) + ")", T.FN);
      }
      if (canAwait() && p(0.3)) {
        return new E("await(ready(" + v.name + "))", T.FN);
      }
      return new E(v.name, T.FN);
    }

    E eSup() {
      Var v = someVar(T.SUP);
      if (v == null) {
        return new E("((Supplier<String>) " + lambda(T.SUP) + ")", T.SUP);
      }
      return new E(v.name, T.SUP);
    }

    /** A lambda (or anonymous class) of type FN or SUP capturing effectively final locals. */
    String lambda(T type) {
      lambdaDepth++;
      scopes.push(new ArrayList<>());
      int savedGrow = grow;
      grow = 1;
      try {
        if (type == T.FN) {
          String x = id("x");
          scopes.peek().add(newVar(x, T.INT, false, true, lambdaDepth));
          switch (n(4)) {
            case 0: {
              String t = id("t");
              String first = e(T.INT, 2).code;
              scopes.peek().add(newVar(t, T.INT, true, false, lambdaDepth));
              return lambdaParameter(x) + " -> { int " + t + " = " + first + "; trace(\"lambda " + t + " \" + " + t
                  + "); return " + t + " + " + e(T.INT, 1).code + "; }";
            }
            case 1:
              if (instance() && anonymousDepth == 0 && features.privateMembers()
                  && features.privateMethodReferences() && p(0.3)) {
                return "this::hidden";
              }
              return "Math::abs";
            default:
              return lambdaParameter(x) + " -> " + e(T.INT, 2).code;
          }
        }
        if (p(0.3) && lambdaDepth == 1) {
          anonymousDepth++;
          try {
            return "new Supplier<String>() { @Override public String get() { return \"anon \" + "
                + show(e(randomFamily(false), 2)) + "; } }";
          } finally {
            anonymousDepth--;
          }
        }
        return "() -> \"sup \" + " + show(e(randomFamily(false), 2));
      } finally {
        grow = savedGrow;
        scopes.pop();
        lambdaDepth--;
      }
    }

    /** A switch expression of {@code family}. */
    E switchExpression(T family, int d) {
      String[] labels;
      String selector;
      int sel = n(3);
      if (sel == 0) {
        labels = new String[] {"0", "1", "2", "3", "4"};
        selector = p(0.6) ? "Math.floorMod(" + e(T.INT, d - 1).code + ", 5)" : e(T.INT, d - 1).code;
      } else if (sel == 1) {
        labels = new String[] {"\"a\"", "\"b\"", "\"c\""};
        selector = "String.valueOf((char) ('a' + Math.floorMod(" + e(T.INT, d - 1).code + ", 4)))";
        if (canAwait() && p(0.3)) {
          selector = "await(val(" + selector + "))";
        }
      } else {
        labels = new String[] {"R", "G", "B"};
        selector = e(T.COLOR, d - 1).code;
      }
      boolean arrow = p(0.6);
      List<String> shuffled = shuffle(labels);
      int groups = 1 + n(Math.min(3, shuffled.size()));
      boolean exhaustiveEnum = sel == 2 && p(0.4);
      if (exhaustiveEnum) {
        groups = Math.min(groups, 3);
      }
      Target t = new Target(null, Target.K.SWITCH_EXPRESSION, family);
      targets.push(t);
      beginSwitch();
      StringBuilder b = new StringBuilder("switch (" + selector + ") {");
      int used = 0;
      try {
        for (int g = 0; g <= groups; g++) {
          boolean isDefault = g == groups;
          String label;
          if (isDefault) {
            if (exhaustiveEnum) {
              if (used >= shuffled.size()) {
                break;
              }
              label = "case " + String.join(", ", shuffled.subList(used, shuffled.size()));
              used = shuffled.size();
            } else {
              label = "default";
            }
          } else {
            int take = 1 + (used + 1 < shuffled.size() && p(0.3) ? 1 : 0);
            if (used + take > shuffled.size() || exhaustiveEnum && used + take >= shuffled.size()) {
              continue;
            }
            label = "case " + String.join(", ", shuffled.subList(used, used + take));
            used += take;
          }
          boolean first = t.results == 0;
          b.append(' ').append(label).append(arrow ? " -> " : ": ");
          if (arrow) {
            int kind = first ? (p(0.5) ? 0 : 1) : choose(5, 3, 1);
            if (kind == 0) {
              E v = e(family, d - 1);
              t.results++;
              t.allBoxed &= v.type.isBoxed();
              t.anyBoxed |= v.type.isBoxed();
              String code = v.code;
              if (!features.fieldsAsRuleBodies() && (code.equals("fld") || code.equals("secret"))) {
                code = paren(code);
              }
              b.append(code).append(';');
            } else if (kind == 1) {
              b.append(armBlock(t, d, true));
            } else {
              b.append("throw new IllegalStateException(\"arm ").append(label.replace("\"", ""))
                  .append("\");");
            }
          } else {
            boolean last = isDefault || g == groups - 1 && exhaustiveEnum;
            b.append(armBlock(t, d, last || first || p(0.7)));
          }
        }
      } finally {
        targets.pop();
        endSwitch();
      }
      b.append(" }");
      if (t.results == 0) {
        // Every arm threw: javac rejects a switch expression without a result.
        return e(family, d - 1);
      }
      T type = t.allBoxed ? family.boxed() : family;
      if (t.anyBoxed && !t.allBoxed) {
        // javac 17 rejects a switch expression yielding both a box and a primitive as the argument
        // of an overloaded method ("bad type in switch expression: Integer cannot be converted to
        // int"); a cast makes its type the primitive's everywhere.
        return new E(paren("(" + family.decl + ") " + paren(b.toString())), family);
      }
      return new E(paren(b.toString()), type);
    }

    /** The statements of one arm of a switch expression, ending with a yield if {@code mustYield}. */
    String armBlock(Target t, int d, boolean mustYield) {
      armDepth++;
      try {
        return armBlockBody(t, d, mustYield);
      } finally {
        armDepth--;
      }
    }

    /**
     * How many switch-expression arms the statement being generated is in. javac 17 crashes
     * generating code (Gen.visitSwitchExpression, a null type) for some try statements inside such
     * an arm when the switch expression is an operand; the generator writes none there.
     */
    int armDepth;

    /**
     * Whether a do/while loop whose body cannot complete normally and is continued was generated in
     * this program. javac before 25 (JDK-8332934) carries the body's locals, as defined, past such a
     * loop along the continue's jump; a local declared later among the statements of a {@code case
     * ...:} group reuses their slot, and the group's stack map frame says it is defined where the
     * switch jumps in: the reference does not verify (FuzzTest seed 39017, p258, JAVAC). From then on
     * the statements of such groups are written in braces, which ends their locals' scope there.
     */
    boolean leakyDoLoop;

    String armBlockBody(Target t, int d, boolean mustYield) {
      int savedBudget = budget;
      budget = Math.min(budget, 3);
      int savedGrow = grow;
      List<Node> nodes = new ArrayList<>();
      scopes.push(new ArrayList<>());
      boolean normal = true;
      try {
        int count = n(3);
        for (int i = 0; i < count && normal && budget > 0; i++) {
          S s = statement(Math.max(limits.maxDepth() - 1, d));
          nodes.addAll(s.nodes);
          normal = s.normal;
        }
        if (normal && mustYield) {
          E v = yielded(e(t.yieldType, d - 1));
          t.results++;
          t.allBoxed &= v.type.isBoxed();
          t.anyBoxed |= v.type.isBoxed();
          nodes.add(new Line("yield " + v.code + ";", Kind.JUMP));
        }
      } finally {
        popScope(true);
        grow = savedGrow;
        budget = savedBudget - (Math.min(savedBudget, 3) - budget);
      }
      boolean colon = !nodes.isEmpty() && !mustYield && normal && !leakyDoLoop;
      StringBuilder b = new StringBuilder();
      if (!colon) {
        b.append("{ ");
      }
      for (Node n : nodes) {
        b.append(Program.inline(n)).append(' ');
      }
      if (!colon) {
        b.append("}");
      }
      return b.toString().trim();
    }

    /**
     * The value of {@code yield v;}. A statement {@code yield (...)} would be read as a call of a
     * method named yield: outer parentheses go, and a value that still starts with one is wrapped in
     * a call, which boxes a primitive (the type says so: the switch's type depends on it).
     */
    E yielded(E v) {
      String code = v.code;
      while (code.startsWith("(") && enclosed(code)) {
        code = code.substring(1, code.length() - 1);
      }
      if (code.startsWith("(")) {
        return new E("Objects.requireNonNull(" + code + ")", v.type.boxed());
      }
      return new E(code, v.type);
    }

    /**
     * A value passed to a private member: a switch expression is cast, and a lambda replaced,
     * unless those bugs are wanted.
     */
    String privateArgument(String value) {
      if (!features.lambdasInPrivateCalls() && LAMBDA.matcher(value).find()) {
        return intLiteral().code;
      }
      if (!features.switchExpressionsIntoPrivateMembers() && value.startsWith("(switch") && enclosed(value)) {
        return "(int) " + value;
      }
      return value;
    }

    /** Whether the whole of {@code code} is one parenthesized expression. */
    boolean enclosed(String code) {
      int depth = 0;
      boolean inString = false;
      for (int i = 0; i < code.length(); i++) {
        char c = code.charAt(i);
        if (inString) {
          if (c == '\\') {
            i++;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '\'') {
          i += 2; // a char literal: 'x'
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0 && i < code.length() - 1) {
            return false;
          }
        }
      }
      return depth == 0;
    }

    List<String> shuffle(String[] xs) {
      List<String> out = new ArrayList<>(List.of(xs));
      for (int i = out.size() - 1; i > 0; i--) {
        int j = n(i + 1);
        String tmp = out.get(i);
        out.set(i, out.get(j));
        out.set(j, tmp);
      }
      return out;
    }

    /**
     * {@code String.valueOf(e)}; a conditional of int and Integer makes the call ambiguous, so those
     * (and switch expressions) go as Object.
     */
    String valueOf(E e) {
      return "String.valueOf(" + (e.code.startsWith("(") ? "(Object) " : "") + e.code + ")";
    }

    /** {@code e} as the argument of StringBuilder.append (where a conditional would be ambiguous). */
    String appendArgument(E e) {
      String s = show(e);
      return s.startsWith("(") ? "(Object) " + s : s;
    }

    /** {@code e} as a piece of string concatenation, for traces. */
    String show(E e) {
      return switch (e.type) {
        case ARR -> "Arrays.toString(" + e.code + ")";
        case FN -> e.code + ".applyAsInt(3)";
        case SUP -> e.code + ".get()";
        case RES -> e.code + ".name";
        case EXC -> e.code + ".getMessage()";
        case SINK -> "all(" + e.code + ")";
        case LIST, SB, INTER_L, INTER_S -> "cut(String.valueOf(" + e.code + "))";
        case STRING -> e.code.startsWith("\"") ? e.code : "cut(" + e.code + ")";
        default -> e.code;
      };
    }

    // ---- statements ----

    B block(int d, int max, boolean mayEndAbrupt, Block.Style style, List<Node> prefix,
        Runnable declareInScope) {
      scopes.push(new ArrayList<>());
      try {
        if (declareInScope != null) {
          declareInScope.run();
        }
        List<Node> out = new ArrayList<>(prefix);
        boolean normal = true;
        int count = 1 + n(Math.max(1, max));
        for (int i = 0; i < count && budget > 0 && normal; i++) {
          S s;
          if (i == count - 1 && mayEndAbrupt && p(0.2) && !jumps().isEmpty()) {
            s = S.of(jump(), false);
          } else {
            s = statement(d);
          }
          out.addAll(s.nodes);
          normal = s.normal;
        }
        return new B(new Block(out, style), normal);
      } finally {
        popScope(style == Block.Style.GROUP);
      }
    }

    S statement(int d) {
      budget--;
      // In a local type's body (a switch expression's arm there), no loops, try or local types.
      boolean nest = d < limits.maxDepth() && budget > 1 && typeBodyDepth == 0;
      int k = choose(
          9, // 0 declaration
          vars(v -> v.assignable && v.level == lambdaDepth).isEmpty() ? 1 : 5, // 1 assignment
          4, // 2 compound assignment
          2, // 3 increment
          4, // 4 trace
          canAwait() ? 4 : 0, // 5 await statement
          2, // 6 list, builder, array element
          features.lambdas() ? 2 : 0, // 7 lambda declaration
          jumps().isEmpty() ? 0 : 4, // 8 conditional jump
          2, // 9 conditional throw
          nest ? 6 : 0, // 10 if
          nest && loopDepth < 3 && loopWork * 11 <= maxWork() ? 5 : 0, // 11 loop
          nest ? 3 : 0, // 12 switch
          nest && armDepth == 0 ? 4 : 0, // 13 try
          nest ? 1 : 0, // 14 labeled or plain block
          1, // 15 call statement
          2, // 16 declaration without initializer
          features.lambdas() ? 1 : 0, // 17 list of lambdas
          1, // 18 assert
          localTypes && lambdaDepth == 0 && typeBodyDepth == 0 ? 5 : 0, // 19 local types
          intersections ? 4 : 0, // 20 intersection types
          canEmit() ? 6 : 0); // 21 emit
      switch (k) {
        case 21:
          return S.of(emitStatement(), true);
        case 0:
          return S.of(declaration(), true);
        case 1:
          return S.of(assignment(), true);
        case 2:
          return S.of(compoundAssignment(), true);
        case 3:
          return S.of(increment(), true);
        case 4:
          return S.of(traceStatement(), true);
        case 5:
          return S.of(awaitStatement(), true);
        case 6:
          return S.of(mutation(), true);
        case 7:
          return S.of(lambdaDeclaration(), true);
        case 8:
          return S.of(conditionalJump(false), true);
        case 9:
          return S.of(conditionalJump(true), true);
        case 10:
          return ifStatement(d);
        case 11:
          return loop(d);
        case 12:
          return switchStatement(d);
        case 13:
          return tryStatement(d);
        case 14:
          return blockStatement(d);
        case 16:
          return splitDeclaration();
        case 17:
          return S.of(sinkStatement(), true);
        case 18:
          // Not an expression statement: never a switch rule's body.
          return S.of(new Line("assert " + topExpr(T.BOOL).code + " : " + topExpr(T.STRING).code + ";",
              Kind.OTHER), true);
        case 19:
          return localTypeStatement();
        case 20:
          return intersectionStatement();
        default:
          return S.of(callStatement(), true);
      }
    }

    /** A local declared without initializer and assigned next, in one statement or both branches. */
    S splitDeclaration() {
      T type = pick(List.of(T.INT, T.INT, T.INTEGER, T.LONG, T.STRING, T.BOOL, T.CHAR, T.DOUBLE));
      boolean fin = p(0.3);
      String n = varName("v");
      List<Node> nodes = new ArrayList<>();
      nodes.add(new Line(annotated((fin ? "final " : "") + type.decl) + " " + n + ";", Kind.OTHER));
      if (p(0.5)) {
        E cond = topExpr(T.BOOL);
        String tag = id("if");
        Block then = new Block(List.of(new Line("trace(\"" + tag + " then\");", Kind.EXPRESSION),
            new Line(n + " = " + topExpr(type.family()).code + ";", Kind.EXPRESSION)), Block.Style.BRACES);
        Block otherwise = new Block(List.of(
            new Line(n + " = " + topExpr(type.family()).code + ";", Kind.EXPRESSION)), Block.Style.BODY);
        nodes.add(new Compound("if (" + cond.code + ") ", then, " else ", otherwise));
      } else {
        nodes.add(new Line(n + " = " + topExpr(type.family()).code + ";", Kind.EXPRESSION));
      }
      // Assigned exactly once: effectively final unless the generator assigns it again.
      boolean assignable = !fin && p(0.5);
      scopes.peek().add(newVar(n, type, assignable, !assignable, lambdaDepth));
      return new S(nodes, true);
    }

    /** A list of suppliers (declared if there is none), one more capturing the locals of now. */
    Line sinkStatement() {
      Var sink = someVar(T.SINK);
      if (sink == null) {
        String n = varName("v");
        scopes.peek().add(newVar(n, T.SINK, false, true, lambdaDepth));
        return new Line(annotated("List<Supplier<String>>") + " " + n + " = new ArrayList<>();", Kind.OTHER);
      }
      return new Line(sink.name + ".add(" + lambda(T.SUP) + ");", Kind.EXPRESSION);
    }

    Line declaration() {
      int k = choose(8, 3, 2, 2, 2, 1, 2, 1, 4, 4, 2, 2, 2, 2);
      T type = new T[] {T.INT, T.INTEGER, T.LONG, T.LONG_B, T.DOUBLE, T.DOUBLE_B, T.CHAR, T.CHAR_B,
          T.BOOL, T.STRING, T.ARR, T.LIST, T.SB, T.COLOR}[k];
      if (type == T.BOOL && p(0.3)) {
        type = T.BOOL_B;
      }
      // The name first: a local is in scope in its own initializer, where no other may take it.
      String n = varName("v");
      E init = topExpr(type.family());
      // javac 17 cannot infer a 'var' initialised by a switch expression one of whose arms declares
      // an array with a bare initializer ("array initializer needs an explicit target-type";
      // FuzzTest seed 12021): none in a switch-expression arm.
      if (type == T.ARR && armDepth == 0 && p(0.3)) {
        // An array initializer without 'new', which only a declaration may have.
        init = new E("{" + topExpr(T.INT).code + ", " + topExpr(T.INT).code + ", " + topExpr(T.INT).code
            + ", " + topExpr(T.INT).code + "}", T.ARR);
        boolean assignable = p(0.6);
        scopes.peek().add(newVar(n, T.ARR, assignable, !assignable, lambdaDepth));
        return new Line(annotated("int[]") + " " + n + " = " + init.code + ";", Kind.OTHER);
      }
      String spelled = type.decl;
      if (p(0.25) && type != T.LIST && !LAMBDA.matcher(init.code).find()) {
        // (javac cannot infer a var's type from an initializer with a lambda anywhere in it)
        // var takes the expression's own type: boxed after an await, which is a test of its own.
        spelled = "var";
        type = init.type;
      }
      boolean assignable = p(0.6);
      String fin = !assignable && p(0.3) ? "final " : "";
      Var v = newVar(n, type, assignable, !assignable, lambdaDepth);
      scopes.peek().add(v);
      return new Line(annotated(fin + spelled) + " " + n + " = " + init.code + ";", Kind.OTHER);
    }

    Line assignment() {
      Var v = assignableVar(null);
      if (v == null || p(0.15)) {
        if (instance() && p(0.5)) {
          String field = pick(privateCallsHere()
              ? List.of("fld", "box.v", "secret") : List.of("fld", "box.v"));
          String target = (field.equals("secret") && !features.privateFieldWritesThroughThis() ? "" : self())
              + field;
          String value = topExpr(T.INT).code;
          if (field.equals("secret")) {
            value = privateArgument(value);
          }
          return new Line(target + " = " + value + ";", Kind.EXPRESSION);
        }
        return arrayStore();
      }
      E value;
      if (v.type.family() == T.LIST) {
        value = p(0.5) ? newList(1) : topExpr(T.LIST);
      } else {
        value = topExpr(v.type.family());
      }
      return new Line(v.name + " = " + value.code + ";", Kind.EXPRESSION);
    }

    Line arrayStore() {
      E arr = varOr(T.ARR, () -> null);
      if (arr == null) {
        return traceStatement();
      }
      return new Line(arr.code + "[" + index(2, 4) + "] = " + topExpr(T.INT).code + ";", Kind.EXPRESSION);
    }

    Line compoundAssignment() {
      Var v = assignableVar(null);
      int pick = n(10);
      if (v == null || pick < 3 || v.type.family() == T.ARR || v.type.family() == T.LIST
          || v.type.family() == T.SB || v.type.family() == T.COLOR || v.type == T.INTER_L || v.type == T.INTER_S) {
        List<String> targets = new ArrayList<>();
        if (instance()) {
          targets.addAll(List.of(self() + "fld", self() + "box.v"));
          if (privateCallsHere()) {
            targets.add(pick(List.of("", self())) + "secret");
          }
        }
        Var arr = someVar(T.ARR);
        if (arr != null) {
          targets.add(arr.name + "[" + index(2, 4) + "]");
        }
        if (targets.isEmpty()) {
          return traceStatement();
        }
        return new Line(pick(targets) + " " + pick(List.of("+=", "-=", "*=", "^=", "|=")) + " "
            + topExpr(T.INT).code + ";", Kind.EXPRESSION);
      }
      String rhs;
      String op;
      switch (v.type.family()) {
        case INT:
          op = pick(List.of("+=", "-=", "*=", "&=", "|=", "^=", "<<=", ">>=", "%="));
          rhs = op.equals("%=") ? String.valueOf(2 + n(5)) : op.contains("<") || op.contains(">")
              ? "Math.floorMod(" + topExpr(T.INT).code + ", 4)" : topExpr(T.INT).code;
          break;
        case LONG:
          op = pick(List.of("+=", "-=", "*=", "^="));
          rhs = topExpr(p(0.5) ? T.INT : T.LONG).code;
          break;
        case DOUBLE:
          op = pick(List.of("+=", "-=", "*="));
          rhs = topExpr(p(0.5) ? T.INT : T.DOUBLE).code;
          break;
        case CHAR:
          if (v.type.isBoxed()) {
            return increment(); // Character += int does not compile
          }
          op = pick(List.of("+=", "-="));
          rhs = "Math.floorMod(" + topExpr(T.INT).code + ", 3)";
          break;
        case BOOL:
          op = pick(List.of("&=", "|=", "^="));
          rhs = topExpr(T.BOOL).code;
          break;
        default: // STRING
          op = "+=";
          rhs = show(flatExpr(randomFamily(false)));
          break;
      }
      return new Line(v.name + " " + op + " " + rhs + ";", Kind.EXPRESSION);
    }

    Line increment() {
      List<String> targets = new ArrayList<>();
      for (Var v : vars(v -> v.assignable && v.level == lambdaDepth
          && (v.type.family() == T.INT || v.type.family() == T.LONG || v.type.family() == T.CHAR
          || v.type.family() == T.DOUBLE))) {
        targets.add(v.name);
      }
      if (instance()) {
        targets.add("fld");
        targets.add("box.v");
        if (features.privateMembers()) {
          targets.add(pick(List.of("", self())) + "secret");
        }
      }
      Var arr = someVar(T.ARR);
      if (arr != null) {
        targets.add(arr.name + "[" + index(1, 4) + "]");
      }
      if (targets.isEmpty()) {
        return traceStatement();
      }
      String t = pick(targets);
      return new Line(switch (n(4)) {
        case 0 -> t + "++;";
        case 1 -> "++" + t + ";";
        case 2 -> t + "--;";
        default -> "--" + t + ";";
      }, Kind.EXPRESSION);
    }

    Line traceStatement() {
      String tag = id("t");
      if (p(0.3)) {
        return new Line("trace(\"" + tag + " \" + " + dump() + ");", Kind.EXPRESSION);
      }
      return new Line("trace(\"" + tag + " \" + " + show(topExpr(randomFamily(true))) + ");", Kind.EXPRESSION);
    }

    Line awaitStatement() {
      switch (choose(4, hasHelpers() ? 3 : 0, 1, instance() ? 1 : 0)) {
        case 0:
          return new Line("await(" + (p(0.7) ? "val" : "ready") + "(" + topExpr(randomFamily(false)).code
              + "));", Kind.EXPRESSION);
        case 1: {
          String call = helperCall(2).code;
          if (call.startsWith("await(")) {
            return new Line(call + ";", Kind.EXPRESSION);
          }
          return new Line("trace(\"h \" + " + call + ");", Kind.EXPRESSION);
        }
        case 2:
          return new Line("await(rec(Math.floorMod(" + topExpr(T.INT).code + ", 4)));", Kind.EXPRESSION);
        default:
          return new Line("await(failing(" + topExpr(T.INT).code + "));", Kind.EXPRESSION);
      }
    }

    Line mutation() {
      Var list = someVar(T.LIST);
      Var sb = someVar(T.SB);
      switch (n(4)) {
        case 0:
          if (list != null && list.iterating == 0) {
            return new Line(list.name + ".add(" + topExpr(T.INT).code + ");", Kind.EXPRESSION);
          }
          break;
        case 1:
          if (list != null) {
            return new Line(list.name + ".set(" + index(1, 3) + ", " + topExpr(T.INT).code + ");",
                Kind.EXPRESSION);
          }
          break;
        case 2:
          if (sb != null) {
            String s = sb.name + ".append(" + appendArgument(flatExpr(randomFamily(false))) + ")";
            if (p(0.5)) {
              s += ".append(" + appendArgument(flatExpr(randomFamily(false))) + ")";
            }
            return new Line(s + ";", Kind.EXPRESSION);
          }
          break;
        default:
          break;
      }
      return arrayStore();
    }

    Line lambdaDeclaration() {
      T type = p(0.6) ? T.FN : T.SUP;
      String n = id(type == T.FN ? "fn" : "sup");
      String code = lambda(type);
      scopes.peek().add(newVar(n, type, false, true, lambdaDepth));
      return new Line(annotated(type.decl) + " " + n + " = " + code + ";", Kind.OTHER);
    }

    Line callStatement() {
      switch (n(3)) {
        case 0:
          return new Line("g(" + topExpr(T.INT).code + ");", Kind.EXPRESSION);
        case 1:
          if (instance() && privateCallsHere() && features.privateMethodStatements()) {
            return new Line("hidden(" + privateArgument(topExpr(T.INT).code) + ");", Kind.EXPRESSION);
          }
          return new Line("f3(" + topExpr(T.INT).code + ", 1, " + topExpr(T.INT).code + ");", Kind.EXPRESSION);
        default:
          return new Line("f3(" + topExpr(T.INT).code + ", " + topExpr(T.INT).code + ", "
              + topExpr(T.INT).code + ");", Kind.EXPRESSION);
      }
    }

    // ---- jumps ----

    /** The jumps that may end the current block. */
    List<Supplier<String>> jumps() {
      List<Supplier<String>> out = new ArrayList<>();
      Target innermostBreak = null;
      Target innermostContinue = null;
      boolean barrier = false;
      Target yieldTarget = null;
      for (Target t : targets) {
        if (t.kind == Target.K.SWITCH_EXPRESSION) {
          barrier = true;
          yieldTarget = t;
          break;
        }
        if (innermostBreak == null && (t.kind == Target.K.LOOP || t.kind == Target.K.SWITCH)) {
          innermostBreak = t;
        }
        if (innermostContinue == null && t.kind == Target.K.LOOP) {
          innermostContinue = t;
        }
        if (t.label != null) {
          Target lt = t;
          out.add(() -> {
            lt.broken = true;
            return "break " + lt.label + ";";
          });
          if (t.kind == Target.K.LOOP) {
            out.add(() -> {
              lt.continued = true;
              return "continue " + lt.label + ";";
            });
          }
        }
      }
      if (innermostBreak != null) {
        Target bt = innermostBreak;
        out.add(() -> {
          bt.broken = true;
          return "break;";
        });
      }
      if (innermostContinue != null) {
        Target ct = innermostContinue;
        out.add(() -> {
          ct.continued = true;
          return "continue;";
        });
      }
      if (yieldTarget != null) {
        Target yt = yieldTarget;
        out.add(() -> {
          E v = yielded(topExpr(yt.yieldType));
          yt.results++;
          yt.allBoxed &= v.type.isBoxed();
          yt.anyBoxed |= v.type.isBoxed();
          return "yield " + v.code + ";";
        });
      }
      if (!barrier && lambdaDepth == 0) {
        out.add(this::returnStatement);
        out.add(this::returnStatement);
      }
      return out;
    }

    String returnStatement() {
      switch (returnType) {
        case "Gen":
          return "return finish();";
        case "Void":
          return "return done();";
        case "Integer":
          switch (choose(4, canAwait() && hasHelpers() && helperIndex < 0 ? 1 : 0, 1, 1)) {
            case 1:
              return "return " + Program.SELF + "_h" + pick(mainCallable()) + "(" + topExpr(T.INT).code
                  + ", 1);";
            case 2:
              return "return " + (p(0.5) ? "val" : "ready") + "(" + topExpr(T.INT).code + ");";
            case 3:
              return "return rec(Math.floorMod(" + topExpr(T.INT).code + ", 3));";
            default:
              return "return done(" + topExpr(T.INT).code + ");";
          }
        default:
          if (p(0.2)) {
            return "return val(\"rv \" + " + show(topExpr(randomFamily(false))) + ");";
          }
          return "return done(\"ret \" + " + show(topExpr(randomFamily(true))) + ");";
      }
    }

    String throwStatement() {
      String tag = id("x");
      // Only where the variable may be used (a local record's, enum's or interface's body captures
      // nothing).
      if (!catchVars.isEmpty() && accessible(catchVars.peek()) && p(0.3)) {
        return "throw " + catchVars.peek().name + ";";
      }
      String message = "\"" + tag + " \" + " + show(topExpr(pick(List.of(T.INT, T.STRING, T.BOOL))));
      return switch (n(4)) {
        case 0, 1 -> "throw new Boom(" + message + ");";
        case 2 -> "throw new IllegalStateException(" + message + ");";
        default -> "throw new IllegalArgumentException(" + message + ");";
      };
    }

    /** An unconditional jump or throw (the last statement of a block). */
    Line jump() {
      List<Supplier<String>> js = jumps();
      if (js.isEmpty() || p(0.2)) {
        return new Line(throwStatement(), Kind.THROW);
      }
      return new Line(pick(js).get(), Kind.JUMP);
    }

    Node conditionalJump(boolean isThrow) {
      E cond = topExpr(T.BOOL);
      Line j = isThrow ? new Line(throwStatement(), Kind.THROW) : jump();
      if (p(0.5)) {
        return new Compound("if (" + cond.code + ") ", new Block(List.of(j), Block.Style.BODY));
      }
      return new Compound("if (" + cond.code + ") ", new Block(List.of(
          new Line("trace(\"" + id("j") + "\");", Kind.EXPRESSION), j), Block.Style.BRACES));
    }

    // ---- compound statements ----

    List<Node> branchTrace(String tag) {
      return p(0.75) ? List.of(new Line("trace(\"" + tag + "\");", Kind.EXPRESSION)) : List.of();
    }

    S ifStatement(int d) {
      String tag = id("if");
      E cond = topExpr(T.BOOL);
      maybeDead++;
      try {
        return ifBranches(d, tag, cond);
      } finally {
        maybeDead--;
      }
    }

    S ifBranches(int d, String tag, E cond) {
      B then = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, branchTrace(tag + " then"), null);
      if (p(0.5)) {
        return S.of(new Compound("if (" + cond.code + ") ", then.block), true);
      }
      if (p(0.3) && budget > 1 && d + 1 < limits.maxDepth()) {
        // else if
        S inner = ifStatement(d + 1);
        Block elseBlock = new Block(inner.nodes, Block.Style.BODY);
        return S.of(new Compound("if (" + cond.code + ") ", then.block, " else ", elseBlock),
            then.normal || inner.normal);
      }
      B otherwise = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, branchTrace(tag + " else"), null);
      return S.of(new Compound("if (" + cond.code + ") ", then.block, " else ", otherwise.block),
          then.normal || otherwise.normal);
    }

    S loop(int d) {
      int max = loopDepth == 0 ? 4 : 3;
      int limit = 1 + n(max);
      while (limit > 1 && loopWork * limit > maxWork()) {
        limit--;
      }
      String label = p(0.3) ? id("L") : null;
      String labelText = label == null ? "" : label + ": ";
      Target t = new Target(label, Target.K.LOOP, null);
      List<Node> before = new ArrayList<>();
      List<Node> prefix = new ArrayList<>();
      if (instance() && p(0.8)) {
        prefix.add(new Line("tick();", Kind.EXPRESSION));
      }
      String tag = id("loop");
      int kind = choose(5, 3, 3, 3, 2, 2, 1, canAwait() ? 2 : 0);
      String limitText = canAwait() && p(0.3) ? "await(val(" + limit + "))" : String.valueOf(limit);
      Compound c;
      B body;
      boolean normal = true;
      targets.push(t);
      loopDepth++;
      int savedWork = loopWork;
      loopWork *= kind == 4 ? 4 : kind == 5 ? (loopDepth == 1 ? 70 : 2) : kind == 6 ? 11 : limit;
      try {
        switch (kind) {
          case 0:
          case 1: {
            String i = varName("i");
            String init = kind == 1 && canAwait() ? "await(ready(0))" : "0";
            String update = switch (kind == 1 && canAwait() ? n(3) : 3) {
              case 0 -> i + " = await(val(" + i + " + 1))";
              case 1 -> i + " += await(ready(1))";
              case 2 -> i + " = g(" + i + " + 1)";
              default -> pick(List.of(i + "++", "++" + i, i + " += 1"));
            };
            String cond = i + " < " + limitText;
            if (p(0.3)) {
              cond = cond + " && " + topExpr(T.BOOL).code;
            }
            String condition = cond;
            if (p(0.5)) {
              prefix.add(new Line("trace(\"" + tag + " \" + " + i + ");", Kind.EXPRESSION));
            }
            body = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, prefix,
                () -> scopes.peek().add(newVar(i, T.INT, false, false, lambdaDepth)));
            c = new Compound(labelText + "for (" + annotated("int") + " " + i + " = " + init + "; " + condition + "; "
                + update + ") ",
                body.block);
            break;
          }
          case 2: {
            String w = varName("w");
            before.add(new Line("int " + w + " = 0;", Kind.OTHER));
            scopes.peek().add(newVar(w, T.INT, false, false, lambdaDepth));
            String cond;
            if (p(0.5)) {
              cond = w + " < " + limitText + (p(0.5) ? " && " + topExpr(T.BOOL).code : "");
              prefix.add(0, new Line(w + "++;", Kind.EXPRESSION));
            } else {
              cond = (p(0.5) ? topExpr(T.BOOL).code + " && " : "") + w + "++ < " + limitText;
            }
            prefix.add(new Line("trace(\"" + tag + " \" + " + w + ");", Kind.EXPRESSION));
            body = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, prefix, null);
            c = new Compound(labelText + "while (" + cond + ") ", body.block);
            break;
          }
          case 3: {
            String w = varName("w");
            before.add(new Line("int " + w + " = 0;", Kind.OTHER));
            scopes.peek().add(newVar(w, T.INT, false, false, lambdaDepth));
            prefix.add(0, new Line(w + "++;", Kind.EXPRESSION));
            prefix.add(new Line("trace(\"" + tag + " \" + " + w + ");", Kind.EXPRESSION));
            if (!features.doWhileBodiesThatCannotCompleteNormally()) {
              prefix.add(new Line("if (" + w + " > " + (limit + 5) + ") break;", Kind.OTHER));
              t.broken = true;
            }
            body = block(d + 1, limits.maxBlock(), true, Block.Style.BRACES, prefix, null);
            String extra = p(0.5) ? " && " + topExpr(T.BOOL).code : "";
            normal = body.normal || t.continued || t.broken;
            if (!normal && extra.contains("switch")) {
              // javac counts a do statement whose condition holds a switch expression as able to
              // complete normally even when its body cannot (JLS 14.22 does not): a method ending
              // there would be "missing return statement".
              extra = "";
            }
            String cond = w + " < " + limitText + extra;
            c = new Compound(labelText + "do ", body.block, " while (" + cond + ");");
            if (!body.normal && t.continued) {
              leakyDoLoop = true;
            }
            break;
          }
          case 4: {
            String x = varName("x");
            E arr = topExpr(T.ARR);
            String elementType = pick(LAMBDA.matcher(arr.code).find()
                ? List.of("int", "Integer", "final int") : List.of("int", "var", "Integer", "final int"));
            prefix.add(new Line("trace(\"" + tag + " \" + " + x + ");", Kind.EXPRESSION));
            T xt = elementType.equals("Integer") ? T.INTEGER : T.INT;
            body = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, prefix,
                () -> scopes.peek().add(newVar(x, xt, false, true, lambdaDepth)));
            c = new Compound(labelText + "for (" + annotated(elementType) + " " + x + " : " + arr.code + ") ",
                body.block);
            break;
          }
          case 5: {
            String x = varName("x");
            String elementType = pick(List.of("int", "var", "Integer"));
            Var lv = loopDepth == 1 ? someVar(T.LIST) : null;
            String iterable;
            if (lv != null && p(0.6)) {
              iterable = canAwait() && p(0.3) ? "await(val(" + lv.name + "))" : lv.name;
              lv.iterating++;
            } else {
              lv = null;
              iterable = "List.of(" + topExpr(T.INT).code + ", " + topExpr(T.INT).code + ")";
              if (canAwait() && p(0.3)) {
                iterable = "await(ready(" + iterable + "))";
              }
            }
            if (elementType.equals("var") && LAMBDA.matcher(iterable).find()) {
              elementType = "Integer";
            }
            prefix.add(new Line("trace(\"" + tag + " \" + " + x + ");", Kind.EXPRESSION));
            T xt = elementType.equals("int") ? T.INT : T.INTEGER;
            try {
              body = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, prefix,
                  () -> scopes.peek().add(newVar(x, xt, false, true, lambdaDepth)));
            } finally {
              if (lv != null) {
                lv.iterating--;
              }
            }
            c = new Compound(labelText + "for (" + annotated(elementType) + " " + x + " : " + iterable + ") ",
                body.block);
            break;
          }
          case 7: {
            // async for: each step awaits hasNext() of the AsyncIterable.
            String x = varName("x");
            String elementType = pick(List.of("int", "var", "Integer"));
            String source = "new Countdown(" + limitText + ")";
            if (p(0.3)) {
              source = "await(val(" + source + "))";
            }
            prefix.add(new Line("trace(\"" + tag + " \" + " + x + ");", Kind.EXPRESSION));
            T xt = elementType.equals("int") ? T.INT : T.INTEGER;
            body = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, prefix,
                () -> scopes.peek().add(newVar(x, xt, false, true, lambdaDepth)));
            c = new Compound(labelText + "for (" + annotated(elementType) + " " + x + " : " + source + ") ",
                body.block);
            break;
          }
          default: {
            String x = varName("ch");
            String source = p(0.5) ? "\"" + pick(List.of("ab", "xyz", "q", "hello")) + "\""
                : valueOf(topExpr(T.INT));
            if (canAwait() && p(0.4)) {
              source = "await(val(" + source + "))";
            }
            prefix.add(new Line("trace(\"" + tag + " \" + " + x + ");", Kind.EXPRESSION));
            body = block(d + 1, limits.maxBlock(), true, Block.Style.BODY, prefix,
                () -> scopes.peek().add(newVar(x, T.CHAR, false, true, lambdaDepth)));
            c = new Compound(labelText + "for (" + annotated("char") + " " + x + " : " + source + ".toCharArray()) ",
                body.block);
            break;
          }
        }
      } finally {
        targets.pop();
        loopDepth--;
        loopWork = savedWork;
      }
      List<Node> nodes = new ArrayList<>(before);
      nodes.add(c);
      return new S(nodes, normal);
    }

    S switchStatement(int d) {
      String label = p(0.2) ? id("S") : null;
      Target t = new Target(label, Target.K.SWITCH, null);
      String tag = id("sw");
      String[] labels;
      String selector;
      int sel = choose(5, 2, 2);
      if (sel == 0) {
        labels = new String[] {"0", "1", "2", "3", "4"};
        selector = switch (n(3)) {
          case 0 -> "Math.floorMod(" + topExpr(T.INT).code + ", 5)";
          case 1 -> canAwait() ? "await(val(" + n(6) + "))" : topExpr(T.INT).code;
          default -> topExpr(T.INT).code;
        };
      } else if (sel == 1) {
        labels = new String[] {"\"a\"", "\"b\"", "\"c\""};
        selector = "String.valueOf((char) ('a' + Math.floorMod(" + topExpr(T.INT).code + ", 4)))";
        if (canAwait() && p(0.4)) {
          selector = "await(val(" + selector + "))";
        }
      } else {
        labels = new String[] {"R", "G", "B"};
        selector = topExpr(T.COLOR).code;
      }
      boolean arrow = p(0.5);
      List<String> shuffled = shuffle(labels);
      int groups = 1 + n(Math.min(3, shuffled.size()));
      boolean hasDefault = p(0.6);
      List<Object> parts = new ArrayList<>();
      parts.add((label == null ? "" : label + ": ") + "switch (" + selector + ") {");
      boolean normal = !hasDefault;
      boolean lastNormal = true;
      targets.push(t);
      beginSwitch();
      int used = 0;
      try {
        for (int g = 0; g < groups + (hasDefault ? 1 : 0); g++) {
          String caseLabel;
          if (g == groups) {
            caseLabel = "default";
          } else {
            int take = 1 + (used + 1 < shuffled.size() && p(0.3) ? 1 : 0);
            if (used + take > shuffled.size()) {
              continue;
            }
            List<String> ls = shuffled.subList(used, used + take);
            used += take;
            caseLabel = arrow || p(0.5) ? "case " + String.join(", ", ls)
                : "case " + String.join(":\ncase ", ls);
          }
          String caseTag = tag + " " + caseLabel.replace("\"", "").replace("\n", " ");
          if (arrow) {
            parts.add("\n" + caseLabel + " -> ");
            int kind = choose(3, 4, 1);
            if (kind == 0) {
              Line l = switch (n(4)) {
                case 0 -> new Line("trace(\"" + caseTag + "\");", Kind.EXPRESSION);
                case 1 -> canAwait() ? awaitStatement() : traceStatement();
                default -> compoundAssignment();
              };
              if (l.kind() != Kind.EXPRESSION) {
                l = new Line("trace(\"" + caseTag + "\");", Kind.EXPRESSION);
              }
              parts.add(new Block(List.of(l), Block.Style.RULE));
              normal = true;
            } else if (kind == 1) {
              B body = block(d + 1, limits.maxBlock(), true, Block.Style.RULE,
                  branchTrace(caseTag), null);
              parts.add(body.block);
              normal |= body.normal;
            } else {
              parts.add(new Block(List.of(new Line(throwStatement(), Kind.THROW)), Block.Style.RULE));
            }
          } else {
            parts.add("\n" + caseLabel.replace("\n", "\n") + ":");
            B body = block(d + 1, limits.maxBlock(), true, Block.Style.GROUP, branchTrace(caseTag), null);
            List<Node> stmts = new ArrayList<>(body.block.statements);
            if (leakyDoLoop) {
              stmts = new ArrayList<>(List.of(new Compound(new Block(stmts, Block.Style.BRACES))));
            }
            boolean groupNormal = body.normal;
            if (groupNormal && p(0.6)) {
              stmts.add(new Line("break;", Kind.JUMP));
              t.broken = true;
              groupNormal = false;
            }
            parts.add(new Block(stmts, Block.Style.GROUP));
            lastNormal = groupNormal;
          }
        }
      } finally {
        targets.pop();
        endSwitch();
      }
      parts.add("\n}");
      if (!arrow) {
        normal |= lastNormal;
      }
      normal |= t.broken;
      return S.of(new Compound(parts.toArray()), normal);
    }

    /** Whether each target in {@link #targets} was broken or continued so far, in their order. */
    boolean[] jumpFlags() {
      boolean[] flags = new boolean[targets.size() * 2];
      int i = 0;
      for (Target t : targets) {
        flags[i++] = t.broken;
        flags[i++] = t.continued;
      }
      return flags;
    }

    /** Sets the targets' flags to {@code flags} (from {@link #jumpFlags()} at the same depth). */
    void setJumpFlags(boolean[] flags) {
      int i = 0;
      for (Target t : targets) {
        t.broken = flags[i++];
        t.continued = flags[i++];
      }
    }

    /** Adds the jumps {@code flags} records (from {@link #jumpFlags()} at the same depth). */
    void addJumpFlags(boolean[] flags) {
      int i = 0;
      for (Target t : targets) {
        t.broken |= flags[i++];
        t.continued |= flags[i++];
      }
    }

    S tryStatement(int d) {
      String tag = id("try");
      boolean[] jumpsBefore = jumpFlags();
      List<Object> parts = new ArrayList<>();
      List<Node> before = new ArrayList<>();
      List<Node> prefix = new ArrayList<>();
      boolean resources = features.tryWithResources() && p(0.35);
      List<Var> resourceVars = new ArrayList<>();
      if (resources) {
        List<String> specs = new ArrayList<>();
        int count = 1 + (p(0.3) ? 1 : 0);
        boolean needsAwait = false;
        for (int i = 0; i < count; i++) {
          String rn = varName("r");
          // An AsyncCloseable is closed by an await: only where awaits are allowed.
          boolean async = canAwait() && p(0.3);
          String cls = async ? "ARes" : "Res";
          int mode = async ? (p(0.75) ? 0 : 1) : p(0.7) ? 0 : 1 + n(2);
          String nameExpr = p(0.4) ? topExpr(T.STRING).code : "\"" + rn + "\"";
          String creation = "new " + cls + "(" + nameExpr + ", " + mode + ")";
          needsAwait |= async && !features.asyncResourcesWithoutAwait();
          if (i == 0 && p(0.25) && (features.copiedExistingVariableResources() || canAwait())) {
            // An existing, effectively final variable as the resource.
            before.add(new Line(annotated(cls) + " " + rn + " = " + creation + ";", Kind.OTHER));
            Var v = newVar(rn, T.RES, false, true, lambdaDepth);
            scopes.peek().add(v);
            specs.add(rn);
            needsAwait |= !features.copiedExistingVariableResources();
            continue;
          }
          if (canAwait() && p(0.3)) {
            creation = "await(val(" + creation + "))";
          }
          specs.add(annotated(p(0.3) ? "var" : cls) + " " + rn + " = " + creation);
          resourceVars.add(newVar(rn, T.RES, false, true, lambdaDepth));
        }
        if (needsAwait) {
          // Keep the statement out of the known bugs: with an await in it, it is lowered.
          prefix.add(new Line("trace(await(val(\"" + tag + " in\")));", Kind.EXPRESSION));
        }
        parts.add("try (" + String.join("; ", specs) + ") ");
        for (Var rv : resourceVars) {
          if (p(0.7)) {
            prefix.add(new Line("trace(\"" + tag + " \" + " + rv.name + ".name);", Kind.EXPRESSION));
          }
        }
      } else {
        parts.add("try ");
        prefix.addAll(branchTrace(tag));
      }
      B body = block(d + 1, limits.maxBlock(), true, Block.Style.BRACES, prefix,
          () -> scopes.peek().addAll(resourceVars));
      parts.add(body.block);
      boolean normal = body.normal;
      // Catch clauses: disjoint specific types first, RuntimeException last.
      List<String> specific = new ArrayList<>(shuffle(new String[] {"Boom", "IllegalStateException",
          "IllegalArgumentException", "ArithmeticException"}));
      int catchCount = resources ? n(3) : n(4);
      boolean hasFinally = p(0.45) || catchCount == 0 && !resources;
      List<List<String>> clauses = new ArrayList<>();
      for (int i = 0; i < catchCount && !specific.isEmpty(); i++) {
        if (i == catchCount - 1 && p(0.35)) {
          clauses.add(List.of("RuntimeException"));
          break;
        }
        int take = specific.size() >= 2 && p(0.3) ? 2 : 1;
        clauses.add(new ArrayList<>(specific.subList(0, take)));
        specific.subList(0, take).clear();
      }
      for (List<String> clause : clauses) {
        String e = varName("e");
        String caught = String.join(" | ", clause);
        // No TYPE_USE annotation (@Tag) on a catch parameter: javac 17 crashes ("Could not find
        // exception index for type annotation ... on exception parameter") on one whose try block
        // only jumps out (FuzzTest seed 21003, p87: try { break L20; } catch (@Tag("t") ...) on the
        // synchronous reference alone.
        parts.add(" catch (" + (annotate && p(0.3) ? annotation(false) + caught : caught) + " " + e + ") ");
        List<Node> catchPrefix = new ArrayList<>();
        String ctag = id("c");
        catchPrefix.add(new Line("trace(\"" + ctag + " \" + " + e + ".getClass().getSimpleName() + \" \" + "
            + e + ".getMessage()" + (p(0.4) ? " + \" sup \" + " + e + ".getSuppressed().length" : "") + ");",
            Kind.EXPRESSION));
        Var ev = newVar(e, T.EXC, false, true, lambdaDepth);
        catchVars.push(ev);
        B handler;
        try {
          handler = block(d + 1, limits.maxBlock() - 1, true, Block.Style.BRACES, catchPrefix,
              () -> scopes.peek().add(ev));
        } finally {
          catchVars.pop();
        }
        parts.add(handler.block);
        normal |= handler.normal;
      }
      if (hasFinally) {
        parts.add(" finally ");
        // A finally block that cannot complete normally (a return in a try of its own, say) takes
        // over every jump of the try block and its catch clauses: their targets are not reached
        // through them (JLS 14.22), so a labeled block left only that way cannot complete normally
        // and a statement after it is unreachable (FuzzTest seed 39017, p0, INVALID). The jumps of
        // the finally block itself count either way.
        boolean[] jumpsInTry = jumpFlags();
        setJumpFlags(jumpsBefore);
        B fin = block(d + 1, limits.maxBlock() - 1, false, Block.Style.BRACES,
            List.of(new Line("trace(\"" + tag + " finally\");", Kind.EXPRESSION)), null);
        parts.add(fin.block);
        normal &= fin.normal;
        if (fin.normal) {
          addJumpFlags(jumpsInTry);
        }
      }
      List<Node> nodes = new ArrayList<>(before);
      nodes.add(new Compound(parts.toArray()));
      return new S(nodes, normal);
    }

    // ---- annotations with arguments ----

    /**
     * {@code @SuppressWarnings({"unchecked", "rawtypes"})} and a space, an annotation whose value is an
     * array initializer; in a switch-expression arm ({@link #armDepth}), {@code @SuppressWarnings(
     * "rawtypes")} instead: javac (17 and 25) cannot infer the type of a {@code var} whose initializer
     * has a switch expression with such an annotation anywhere in an arm, on a local, a local class or
     * a member of one ("array initializer needs an explicit target-type"; found by FuzzTest seed
     * 20002, p166, INVALID). No random draw is added or removed: programs differ only there.
     */
    String arrayAnnotation() {
      return armDepth > 0 ? "@SuppressWarnings(\"rawtypes\") "
          : "@SuppressWarnings({\"unchecked\", \"rawtypes\"}) ";
    }

    /**
     * An annotation with arguments and a space: a declaration annotation, or (when {@code typeUse})
     * the shared TYPE_USE {@code @Tag}, which must stand right before a type.
     */
    String annotation(boolean typeUse) {
      return switch (choose(3, 2, 1, typeUse ? 3 : 0, 2)) {
        case 0 -> "@SuppressWarnings(\"unused\") ";
        case 1 -> arrayAnnotation();
        case 2 -> "@SuppressWarnings(value = \"unused\") ";
        case 3 -> "@Tag(\"" + pick(List.of("t", "type use", "x")) + "\") ";
        default -> "@Mark(" + pick(List.of("secret = 3", "\"m\"", "value = \"v\", secret = -1", "fld = 2")) + ") ";
      };
    }

    /**
     * {@code spelled} ({@code int}, {@code final Res}, {@code var}, {@code K3.Inner}) with an
     * annotation now and then, in programs that annotate: {@code @Tag} right before the type (after
     * {@code final}; on the member of a member type: {@code K3.@Tag("x") Inner}), never on {@code var}.
     */
    String annotated(String spelled) {
      if (!annotate || !p(0.4)) {
        return spelled;
      }
      boolean fin = spelled.startsWith("final ");
      String type = fin ? spelled.substring("final ".length()) : spelled;
      String a = annotation(!type.equals("var")
          && (features.typeAnnotationsOnMemberTypes() || !SUBJECT_MEMBER_TYPES.contains(type.split("[ |<]")[0])));
      if (a.startsWith("@Tag")) {
        int dot = type.lastIndexOf('.');
        if (dot >= 0 && !type.endsWith("...")) {
          return (fin ? "final " : "") + type.substring(0, dot + 1) + a + type.substring(dot + 1);
        }
        return (fin ? "final " : "") + a + type;
      }
      return !fin || p(0.5) ? a + spelled : "final " + a + type;
    }

    /** The parameter of a one-parameter lambda: {@code x}, or declared, perhaps annotated. */
    String lambdaParameter(String x) {
      if (!annotate || !p(0.5)) {
        return x;
      }
      return "(" + annotated(pick(List.of("int", "var", "final int"))) + " " + x + ")";
    }

    // ---- values of intersection types ----

    /**
     * A conditional whose type is an intersection: {@code AbstractList<String> & Serializable &
     * Cloneable} ({@code lists}) or {@code Serializable & Comparable<...> & CharSequence}.
     */
    E intersection(boolean lists, int d) {
      String c = e(T.BOOL, Math.max(0, d - 1)).code;
      List<String> arms = new ArrayList<>(lists
          ? List.of("new ArrayList<String>(" + (p(0.3) ? "List.of(\"a\")" : "") + ")",
              "new LinkedList<String>(" + (p(0.3) ? "List.of(\"l\")" : "") + ")")
          : List.of("\"s" + n(10) + "\"", "new StringBuilder(\"b" + n(10) + "\")"));
      if (p(0.5)) {
        arms.add(arms.remove(0));
      }
      return new E(paren(c + " ? " + arms.get(0) + " : " + arms.get(1)), lists ? T.INTER_L : T.INTER_S);
    }

    /** A value of an intersection type: a variable, a conditional, or an await of one. */
    E intersectionValue(boolean lists, int d) {
      T type = lists ? T.INTER_L : T.INTER_S;
      List<Var> vs = vars(v -> v.type == type);
      Var v = vs.isEmpty() ? null : pick(vs);
      switch (choose(v != null ? 4 : 0, 3, canAwait() ? 2 : 0, canAwait() ? 1 : 0, canAwait() && v != null ? 1 : 0)) {
        case 0:
          return new E(v.name, type);
        case 2:
          return new E("await(" + (p(0.7) ? "val" : "ready") + "(" + intersection(lists, d).code + "))", type);
        case 3:
          return new E("await(Aio.done(" + intersection(lists, d).code + "))", type);
        case 4:
          return new E("await(" + (p(0.5) ? "val" : "ready") + "(" + v.name + "))", type);
        default:
          return intersection(lists, d);
      }
    }

    boolean intersectionLists() {
      boolean lists = !vars(v -> v.type == T.INTER_L).isEmpty();
      boolean chars = !vars(v -> v.type == T.INTER_S).isEmpty();
      return lists == chars ? p(0.65) : lists;
    }

    /**
     * A string from overloads that tell an intersection's bounds from Object ({@code ser}, {@code
     * clo}, {@code chars}, the first also with a second, int argument), applied to a value of an
     * intersection type, or to a switch expression yielding both kinds of lists.
     */
    E intersectionString(int d) {
      boolean lists = intersectionLists();
      switch (n(lists ? 5 : 4)) {
        case 0:
        case 1:
          return new E("ser(" + intersectionValue(lists, d).code + ")", T.STRING);
        case 2: {
          String value = intersectionValue(lists, d).code;
          return new E("ser(" + value + ", " + e(T.INT, d - 1).code + ")", T.STRING);
        }
        case 3:
          return new E((lists ? "clo(" : "chars(") + intersectionValue(lists, d).code + ")", T.STRING);
        default: {
          String selector = "Math.floorMod(" + e(T.INT, d - 1).code + ", 2)";
          String other;
          if (canAwait() && p(0.6)) {
            String w = id("w");
            other = "{ int " + w + " = await(val(" + n(3) + ")); yield " + w
                + " > 0 ? new LinkedList<String>() : new ArrayList<String>(); }";
          } else {
            other = "new LinkedList<String>();";
          }
          return new E("ser(switch (" + selector + ") { case 0 -> new ArrayList<String>(); default -> " + other
              + " })", T.STRING);
        }
      }
    }

    /** An int from a value of an intersection type: its size or length. */
    E intersectionInt(int d) {
      boolean lists = intersectionLists();
      return new E(intersectionValue(lists, d).code + (lists ? ".size()" : ".length()"), T.INT);
    }

    /** A statement on values of intersection types: a declaration, a change, a capturing lambda. */
    S intersectionStatement() {
      List<Var> lists = vars(v -> v.type == T.INTER_L && v.iterating == 0);
      List<Var> assignable = vars(v -> (v.type == T.INTER_L || v.type == T.INTER_S) && v.assignable
          && v.level == lambdaDepth);
      List<Var> any = vars(v -> v.type == T.INTER_L || v.type == T.INTER_S);
      switch (choose(4, lists.isEmpty() ? 0 : 2, assignable.isEmpty() ? 0 : 1, any.isEmpty() || !features.lambdas() ? 0 : 2,
          any.isEmpty() ? 0 : 3)) {
        case 1:
          return S.of(new Line(pick(lists).name + ".add(\"" + id("e") + "\" + " + flatExpr(T.INT).code + ");",
              Kind.EXPRESSION), true);
        case 2: {
          Var v = pick(assignable);
          return S.of(new Line(v.name + " = " + intersection(v.type == T.INTER_L, 2).code + ";",
              Kind.EXPRESSION), true);
        }
        case 3: {
          Var v = pick(any);
          boolean isList = v.type == T.INTER_L;
          if (!v.capturable) {
            return S.of(traceStatement(), true);
          }
          String n = id("sup");
          scopes.peek().add(newVar(n, T.SUP, false, true, lambdaDepth));
          return S.of(new Line("Supplier<String> " + n + " = () -> ser(" + v.name + ") + "
              + (isList ? "clo(" : "chars(") + v.name + ") + " + v.name + (isList ? ".size()" : ".length()") + ";",
              Kind.OTHER), true);
        }
        case 4: {
          // The overloads on a variable (kept across an await, if one came since).
          Var v = pick(any);
          boolean isList = v.type == T.INTER_L;
          return S.of(new Line("trace(\"" + id("t") + " \" + ser(" + v.name + ") + " + (isList ? "clo(" : "chars(")
              + v.name + ") + ser(" + v.name + ", " + flatExpr(T.INT).code + "));", Kind.EXPRESSION), true);
        }
        default: {
          boolean isList = p(0.65);
          String n = varName("v");
          E init = intersectionValue(isList, 2);
          boolean assignable2 = p(0.4);
          scopes.peek().add(newVar(n, init.type, assignable2, !assignable2, lambdaDepth));
          return S.of(new Line(annotated(!assignable2 && p(0.3) ? "final var" : "var") + " " + n + " = "
              + init.code + ";", Kind.OTHER), true);
        }
      }
    }

    // ---- local classes, records, enums and interfaces ----

    /** The local types in scope, where they may be used (not inside the body of one). */
    List<Var> localTypesInScope() {
      return typeBodyDepth > 0 ? List.of() : vars(v -> v.type == T.TYPE && (lambdaDepth == 0 || !v.local.maybeDead));
    }

    /** The variables holding values of local types, where they may be used. */
    List<Var> localValues() {
      return typeBodyDepth > 0 ? List.of() : vars(v -> v.type == T.OBJ && (lambdaDepth == 0 || !v.local.maybeDead));
    }

    /**
     * An int expression for the body of an anonymous class's method: one level of lambda and of
     * anonymous class deeper (captured locals only), in a scope of its own, small.
     */
    String anonymousClassBody() {
      lambdaDepth++;
      anonymousDepth++;
      scopes.push(new ArrayList<>());
      int savedGrow = grow;
      grow = 1;
      try {
        return e(T.INT, 1).code;
      } finally {
        grow = savedGrow;
        scopes.pop();
        anonymousDepth--;
        lambdaDepth--;
      }
    }

    /**
     * Generates inside the body of a local type: a static one (a record, an enum, an interface, or a
     * static member) captures no local and no instance member of the class; a local class captures
     * no local declared in a loop. {@code declare} declares the members it may use.
     */
    <X> X inTypeBody(boolean staticContext, Runnable declare, Supplier<X> body) {
      lambdaDepth++;
      anonymousDepth++;
      typeBodyDepth++;
      boolean savedStatic = isStatic;
      int savedFloor = captureFloor;
      boolean savedNoCaptures = noCaptures;
      int savedGrow = grow;
      int savedBudget = exprBudget;
      isStatic |= staticContext;
      captureFloor = lambdaDepth;
      noCaptures |= staticContext;
      grow = 1;
      exprBudget = 8;
      scopes.push(new ArrayList<>());
      try {
        if (declare != null) {
          declare.run();
        }
        return body.get();
      } finally {
        scopes.pop();
        exprBudget = savedBudget;
        grow = savedGrow;
        noCaptures = savedNoCaptures;
        captureFloor = savedFloor;
        isStatic = savedStatic;
        typeBodyDepth--;
        anonymousDepth--;
        lambdaDepth--;
      }
    }

    /** A member of a local type's body (its text may span lines). */
    Line member(String text) {
      return new Line(text, Kind.OTHER);
    }

    /** A declaration of a local class, record, enum or interface, perhaps with a local holding one. */
    S localTypeDeclaration() {
      localTypeCount++;
      List<LocalType> interfaces = new ArrayList<>();
      for (Var v : localTypesInScope()) {
        if (v.local.kind == 'i') {
          interfaces.add(v.local);
        }
      }
      char kind = "crei".charAt(choose(6, 3, 3, interfaces.isEmpty() ? 3 : 1));
      // A declaration counts as the statements of its size (a class, six), so that programs do not
      // grow: the default run stays as fast.
      budget -= kind == 'c' ? 5 : 2;
      LocalType t = new LocalType(id(switch (kind) {
        case 'c' -> "K";
        case 'r' -> "R";
        case 'e' -> "En";
        default -> "I";
      }), kind);
      t.maybeDead = maybeDead > 0;
      if (kind != 'i' && !interfaces.isEmpty() && p(0.5)) {
        t.iface = pick(interfaces);
      }
      List<Node> members = switch (kind) {
        case 'c' -> classMembers(t);
        case 'r' -> recordMembers(t);
        case 'e' -> enumMembers(t);
        default -> interfaceMembers(t);
      };
      String header = switch (kind) {
        case 'c' -> "class " + t.name + (t.typeArg != null ? "<X>" : "");
        case 'r' -> "record " + t.name + (t.typeArg != null ? "<X>(int x, X tag)" : "(int x, String s)");
        case 'e' -> "enum " + t.name;
        default -> "interface " + t.name;
      };
      if (t.iface != null) {
        header += " implements " + t.iface.name;
      }
      String ann = annotate && p(0.3) ? pick(List.of("@SuppressWarnings(\"unused\") ",
          arrayAnnotation(), "@Mark(secret = 1) ")) : "";
      List<Node> nodes = new ArrayList<>();
      nodes.add(new Compound(ann + header + " ", new Block(members, Block.Style.BRACES)));
      Var tv = newVar(t.name, T.TYPE, false, true, lambdaDepth);
      tv.inLoop = false;
      tv.local = t;
      scopes.peek().add(tv);
      if (p(0.6)) {
        nodes.add(localValueDeclaration(tv));
      }
      return new S(nodes, true);
    }

    /**
     * A local class: fields initialized before and after initializer blocks (each initializer
     * traced, so their order shows), perhaps static members, a generic parameter, a constructor
     * that delegates, a varargs method, methods that read captured locals and members of the
     * class around it, an inner and a static member class.
     */
    List<Node> classMembers(LocalType t) {
      String n = t.name;
      if (p(0.25)) {
        t.typeArg = pick(List.of("String", "Integer"));
      }
      boolean generic = t.typeArg != null;
      t.statics = p(0.5);
      t.inner = p(0.5);
      t.nested = p(0.4);
      t.shortConstructor = !generic && p(0.4);
      List<Node> m = new ArrayList<>();
      if (t.statics) {
        m.add(member("static int made;"));
        if (p(0.4)) {
          m.add(member("static { trace(\"" + n + " static\"); }"));
          t.tracedStaticInit = true;
        }
        m.add(member("static int count() { return made; }"));
      }
      inTypeBody(false, null, () -> {
        String aInit = "g(" + e(T.INT, 1).code + ")";
        scopes.peek().add(newVar("a", T.INT, true, false, lambdaDepth));
        m.add(member(annotated("int") + " a = " + aInit + ";"));
        if (p(0.75)) {
          m.add(member("{ a = a * 10 + " + n(9) + "; trace(\"" + n + " init \" + a); }"));
        }
        String bInit = "a + g(" + e(T.INT, 1).code + ")";
        scopes.peek().add(newVar("b", T.INT, true, false, lambdaDepth));
        m.add(member("int b = " + bInit + ";"));
        if (p(0.4)) {
          m.add(member("{ b += " + (1 + n(5)) + "; trace(\"" + n + " init2 \" + b); }"));
        }
        if (generic) {
          m.add(member("final X tag;"));
        }
        m.add(member(n + "(int x" + (generic ? ", X tag" : "") + ") { b += x; " + (generic ? "this.tag = tag; " : "")
            + (t.statics ? "made++; " : "") + "trace(\"" + n + " new \" + b); }"));
        if (t.shortConstructor) {
          m.add(member(n + "() { this(" + n(5) + "); }"));
        }
        m.add(member("int sum(" + annotated("int") + "... xs) {\n  int t = b;\n  for (int x : xs) t += x;\n"
            + "  return t;\n}"));
        m.add(member("int bump(int d) { b += d; trace(\"" + n + " bump \" + b); return b; }"));
        scopes.push(new ArrayList<>());
        scopes.peek().add(newVar("p", T.INT, false, true, lambdaDepth));
        String calc = e(T.INT, 2).code;
        scopes.pop();
        m.add(member("int calc(int p) {\n  return " + calc + ";\n}"));
        if (t.iface != null) {
          m.add(member("@Override public int v() { return a + b; }"));
        }
        return null;
      });
      if (t.inner) {
        m.add(member("class Inner {\n  int twice() { return b * 2 + " + n(5) + "; }\n"
            + "  @Override public String toString() { return \"Inner\" + twice(); }\n}"));
      }
      if (t.nested) {
        m.add(member("static class Nested {\n  int v = " + n(9) + ";\n  int get() { return v" + (t.statics ? " + made" : "")
            + "; }\n  @Override public String toString() { return \"Nested\" + v; }\n}"));
      }
      m.add(member("@Override public String toString() { return \"" + n + "[\" + a + \",\" + b"
          + (generic ? " + \",\" + tag" : "") + " + \"]\"; }"));
      return m;
    }

    /** A record: a factory, perhaps a static field and a constructor that delegates, varargs. */
    List<Node> recordMembers(LocalType t) {
      String n = t.name;
      if (p(0.25)) {
        t.typeArg = pick(List.of("String", "Integer"));
      }
      boolean generic = t.typeArg != null;
      t.statics = p(0.4);
      t.shortConstructor = !generic && p(0.4);
      List<Node> m = new ArrayList<>();
      if (t.statics) {
        m.add(member("static int made;"));
      }
      String made = t.statics ? "made++; " : "";
      String factoryType = generic ? n + "<" + t.typeArg + ">" : n;
      String factoryValue = !generic ? "\"r\" + x" : t.typeArg.equals("String") ? "\"r\" + x" : "x * 2";
      m.add(member("static " + factoryType + " of(int x) { " + made + "return new " + n + (generic ? "<>" : "")
          + "(x, " + factoryValue + "); }"));
      if (t.shortConstructor) {
        m.add(member(n + "(int x) { this(x, \"d\" + x); }"));
      }
      String w = inTypeBody(true, () -> scopes.peek().add(newVar("x", T.INT, false, true, lambdaDepth)),
          () -> e(T.INT, 2).code);
      m.add(member("int w() {\n  return " + w + " + " + (generic ? "String.valueOf(tag).length()" : "s.length()")
          + ";\n}"));
      m.add(member("int sum(" + annotated("int") + "... xs) { int t = x; for (int y : xs) t += y; return t; }"));
      if (t.iface != null) {
        m.add(member("@Override public int v() { return x + 1; }"));
      }
      return m;
    }

    /** An enum: constants with arguments, one perhaps with a body, a constructor, a static method. */
    List<Node> enumMembers(LocalType t) {
      String n = t.name;
      List<String> constants = new ArrayList<>();
      int withBody = p(0.7) ? n(3) : -1;
      for (int i = 0; i < 3; i++) {
        String c = "ABC".charAt(i) + "(" + n(9) + ")";
        if (i == withBody) {
          String body = inTypeBody(true, () -> scopes.peek().add(newVar("k", T.INT, false, true, lambdaDepth)),
              () -> e(T.INT, 2).code);
          c += " {\n  @Override int w() { return " + body + "; }\n}";
        }
        constants.add(c);
      }
      List<Node> m = new ArrayList<>();
      m.add(member(String.join(",\n", constants) + ";"));
      // Not final: after an "if (true) throw ...;" and inside a loop, javac (17 and 25) reports a
      // constant body's read of a blank final field as "might not have been initialized" (FuzzTest
      // seed 38004, program p404: the synchronous reference did not compile).
      m.add(member("int k;"));
      // Not traced: javac initializes every enum a class switches over when its first switch on an
      // enum runs (one switch map per top-level class), so the trace of a local enum's constructors
      // would show where the other programs of a batch, and the machine's own class, switch.
      m.add(member(n + "(int k) { this.k = k; }"));
      m.add(member("int w() { return k; }"));
      m.add(member("static " + n + " pick(int i) { return values()[Math.floorMod(i, 3)]; }"));
      if (t.iface != null) {
        m.add(member("@Override public int v() { return k * 3; }"));
      }
      return m;
    }

    /** An interface: default, private and static methods, perhaps a member record and a factory. */
    List<Node> interfaceMembers(LocalType t) {
      t.impl = p(0.6);
      List<Node> m = new ArrayList<>();
      m.add(member("int v();"));
      m.add(member("default int twice() { return v() * 2 + helper(); }"));
      m.add(member("private int helper() { return g(" + n(9) + "); }"));
      m.add(member("static int sum(int... xs) { int t = 0; for (int x : xs) t += x; return t; }"));
      if (t.impl) {
        m.add(member("record Impl(int n) implements " + t.name + " {\n  @Override public int v() { return n + " + n(5)
            + "; }\n}"));
        m.add(member("static " + t.name + " of(int n) { return new Impl(n); }"));
      }
      return m;
    }

    /** A creation of an instance of local class or record {@code t}. */
    String creation(LocalType t, int d) {
      if (!t.tracedStaticInit) {
        return creationOf(t, d);
      }
      noAwaits++;
      try {
        return creationOf(t, d);
      } finally {
        noAwaits--;
      }
    }

    private String creationOf(LocalType t, int d) {
      String n = t.name;
      if (t.shortConstructor && p(0.3)) {
        return t.kind == 'c' ? "new " + n + "()" : "new " + n + "(" + e(T.INT, d).code + ")";
      }
      if (t.kind == 'r' && p(0.4)) {
        return n + ".of(" + e(T.INT, d).code + ")";
      }
      String diamond = t.typeArg == null ? "" : p(0.5) ? "<>" : "<" + t.typeArg + ">";
      String second;
      if (t.typeArg == null) {
        second = t.kind == 'r' ? ", \"s" + n(10) + "\"" : "";
      } else if (t.typeArg.equals("String")) {
        second = ", " + (p(0.5) ? "\"t" + n(10) + "\"" : "String.valueOf(" + e(T.INT, d).code + ")");
      } else {
        second = ", Integer.valueOf(" + e(T.INT, d).code + ")";
      }
      return "new " + n + diamond + "(" + e(T.INT, d).code + second + ")";
    }

    /** A value of interface {@code t}: from its factory, or an instance of a local type implementing it. */
    String interfaceValue(LocalType t, int d) {
      List<LocalType> implementors = new ArrayList<>();
      for (Var v : localTypesInScope()) {
        if (v.local.iface == t) {
          implementors.add(v.local);
        }
      }
      if (!implementors.isEmpty() && (!t.impl || p(0.5))) {
        LocalType i = pick(implementors);
        return i.kind == 'e' ? i.name + "." + pick(List.of("A", "B", "C")) : creation(i, d);
      }
      return t.impl ? t.name + ".of(" + e(T.INT, d).code + ")" : null;
    }

    /** A local holding a value of the local type that {@code typeVar} declared (or a member type of it). */
    Line localValueDeclaration(Var typeVar) {
      LocalType t = typeVar.local;
      String n = varName("o");
      String type = t.typeName();
      String member = null;
      String init;
      switch (t.kind) {
        case 'c': {
          int k = choose(4, t.inner ? 3 : 0, t.nested ? 2 : 0);
          if (k == 1) {
            member = "Inner";
            type = t.typeName() + ".Inner";
            List<Var> outers = vars(v -> v.type == T.OBJ && v.local == t && v.member == null);
            init = (!outers.isEmpty() && p(0.6) ? pick(outers).name : creation(t, 1)) + ".new Inner()";
          } else if (k == 2) {
            member = "Nested";
            type = t.name + ".Nested";
            init = "new " + t.name + ".Nested()";
          } else {
            init = creation(t, 2);
          }
          break;
        }
        case 'r':
          init = creation(t, 2);
          break;
        case 'e':
          init = p(0.5) ? t.name + "." + pick(List.of("A", "B", "C")) : t.name + ".pick(" + topExpr(T.INT).code + ")";
          break;
        default: {
          String value = interfaceValue(t, 2);
          if (value == null || t.impl && p(0.45)) {
            if (!t.impl) {
              return traceStatement();
            }
            member = "Impl";
            type = t.name + ".Impl";
            init = "new " + t.name + ".Impl(" + topExpr(T.INT).code + ")";
          } else {
            init = value;
          }
          break;
        }
      }
      if (canAwait() && p(0.25)) {
        init = "await(" + (p(0.6) ? "val" : "ready") + "(" + init + "))";
      }
      String spelled = type;
      if (p(0.2) && (t.kind != 'i' || member != null)) {
        spelled = "var"; // an interface's value may be of the implementing type: not with var
      }
      if (p(0.2)) {
        spelled = "final " + spelled;
      }
      Var v = newVar(n, T.OBJ, false, true, lambdaDepth);
      v.local = t;
      v.member = member;
      scopes.peek().add(v);
      return new Line(annotated(spelled) + " " + n + " = " + init + ";", Kind.OTHER);
    }

    /** An int from a local type in scope or a value of one. */
    E localUse(int d) {
      List<Var> values = localValues();
      List<Var> types = localTypesInScope();
      if (!values.isEmpty() && (types.isEmpty() || p(0.6))) {
        return valueUse(pick(values), d);
      }
      return typeUse(pick(types).local, d);
    }

    /** An int from local {@code o}, a value of a local type: a call, a field, a change of a field. */
    E valueUse(Var o, int d) {
      LocalType t = o.local;
      String r = o.name;
      if ("Inner".equals(o.member)) {
        return new E(r + ".twice()", T.INT);
      }
      if ("Nested".equals(o.member)) {
        return new E(p(0.5) ? r + ".get()" : r + ".v", T.INT);
      }
      if ("Impl".equals(o.member)) {
        return new E(r + pick(List.of(".v()", ".n()", ".twice()")), T.INT);
      }
      if (t.kind == 'i' || t.iface != null && p(0.3)) {
        return new E(r + pick(List.of(".v()", ".twice()")), T.INT);
      }
      switch (t.kind) {
        case 'c':
          switch (choose(3, 2, 2, 2, 1, t.inner ? 1 : 0, t.typeArg != null ? 1 : 0)) {
            case 0:
              return new E(r + ".sum(" + varargs(d) + ")", T.INT);
            case 1:
              return new E(r + ".bump(" + e(T.INT, d - 1).code + ")", T.INT);
            case 2:
              return new E(r + ".calc(" + e(T.INT, d - 1).code + ")", T.INT);
            case 3:
              return new E(r + pick(List.of(".a", ".b")), T.INT);
            case 4:
              return new E(p(0.5) ? r + ".b++" : paren(r + ".b " + pick(List.of("+=", "-=")) + " " + e(T.INT, d - 1).code),
                  T.INT);
            case 5:
              return new E(r + ".new Inner().twice()", T.INT);
            default:
              return new E("String.valueOf(" + r + ".tag).length()", T.INT);
          }
        case 'r':
          switch (n(5)) {
            case 0:
              return new E(r + ".x()", T.INT);
            case 1:
              return new E(r + ".w()", T.INT);
            case 2:
              return new E(r + ".sum(" + varargs(d) + ")", T.INT);
            case 3:
              return new E(t.typeArg == null ? r + ".s().length()" : "String.valueOf(" + r + ".tag()).length()", T.INT);
            default:
              return new E(paren(r + ".equals(" + creation(t, d - 1) + ") ? 1 : 0"), T.INT);
          }
        default: // an enum
          switch (n(5)) {
            case 0:
              return new E(r + ".w()", T.INT);
            case 1:
              return new E(r + ".ordinal()", T.INT);
            case 2:
              return new E(r + ".k", T.INT);
            default:
              // A switch over a local enum, whose arms may await; cast: arms may box.
              return new E(paren("(int) (switch (" + r + ") { case A -> " + e(T.INT, d - 1).code + "; case "
                  + pick(List.of("B", "C")) + " -> " + e(T.INT, d - 1).code + "; default -> "
                  + e(T.INT, d - 1).code + "; })"), T.INT);
          }
      }
    }

    /** The arguments of a varargs call: none, one or two. */
    String varargs(int d) {
      return switch (n(3)) {
        case 0 -> "";
        case 1 -> e(T.INT, d - 1).code;
        default -> e(T.INT, d - 1).code + ", " + e(T.INT, d - 1).code;
      };
    }

    /** An int from local type {@code t} itself: a creation, a static member, a constant. */
    E typeUse(LocalType t, int d) {
      String n = t.name;
      switch (t.kind) {
        case 'c':
          switch (choose(3, 2, t.statics ? 2 : 0, t.nested ? 1 : 0, t.inner ? 1 : 0)) {
            case 0:
              return new E(creation(t, d - 1) + ".sum(" + varargs(d) + ")", T.INT);
            case 1:
              return new E(creation(t, d - 1) + ".calc(" + e(T.INT, d - 1).code + ")", T.INT);
            case 2:
              return new E(p(0.5) ? n + ".count()" : n + ".made", T.INT);
            case 3:
              return new E("new " + n + ".Nested().get()", T.INT);
            default:
              return new E(creation(t, d - 1) + ".new Inner().twice()", T.INT);
          }
        case 'r':
          switch (choose(3, 2, t.statics ? 1 : 0)) {
            case 0:
              return new E(creation(t, d - 1) + ".w()", T.INT);
            case 1:
              return new E(creation(t, d - 1) + ".sum(" + varargs(d) + ")", T.INT);
            default:
              return new E(n + ".made", T.INT);
          }
        case 'e':
          switch (n(4)) {
            case 0:
              return new E(n + ".pick(" + e(T.INT, d - 1).code + ").w()", T.INT);
            case 1:
              return new E(n + ".values().length", T.INT);
            case 2:
              return new E(n + ".valueOf(\"" + pick(List.of("A", "B", "C")) + "\").w()", T.INT);
            default:
              return new E(n + "." + pick(List.of("A", "B", "C")) + ".k", T.INT);
          }
        default: {
          String value = interfaceValue(t, d - 1);
          switch (choose(2, value != null ? 3 : 0, t.impl ? 1 : 0, lambdaDepth == 0 && anonymousDepth == 0 ? 1 : 0)) {
            case 1:
              return new E(value + pick(List.of(".v()", ".twice()")), T.INT);
            case 2:
              return new E("new " + n + ".Impl(" + e(T.INT, d - 1).code + ").v()", T.INT);
            case 3: {
              // An anonymous class of the local interface (an expression: never a variable's type).
              String body = anonymousClassBody();
              return new E("new " + n + "() { @Override public int v() { return " + body + "; } }.twice()", T.INT);
            }
            default:
              return new E(n + ".sum(" + varargs(d) + ")", T.INT);
          }
        }
      }
    }

    /** A statement of a body with local types: a declaration of one, of a local holding one, a call. */
    S localTypeStatement() {
      List<Var> types = localTypesInScope();
      if (types.isEmpty() || localTypeCount < 3 && p(0.3)) {
        return localTypeDeclaration();
      }
      List<Var> values = localValues();
      if (values.isEmpty() || p(0.5)) {
        return S.of(localValueDeclaration(pick(types)), true);
      }
      Var o = pick(values);
      if (o.local.kind == 'c' && o.member == null && p(0.5)) {
        return S.of(new Line(p(0.5) ? o.name + ".bump(" + topExpr(T.INT).code + ");"
            : o.name + ".b " + pick(List.of("+=", "-=", "*=")) + " " + topExpr(T.INT).code + ";", Kind.EXPRESSION), true);
      }
      return S.of(new Line("trace(\"" + id("t") + " \" + " + o.name + " + \" \" + " + topExpr(T.INT).code + ");",
          Kind.EXPRESSION), true);
    }

    S blockStatement(int d) {
      if (p(0.6)) {
        String label = id("B");
        Target t = new Target(label, Target.K.BLOCK, null);
        targets.push(t);
        B body;
        try {
          body = block(d + 1, limits.maxBlock(), true, Block.Style.BRACES, branchTrace(label), null);
        } finally {
          targets.pop();
        }
        return S.of(new Compound(label + ": ", body.block), body.normal || t.broken);
      }
      B body = block(d + 1, limits.maxBlock(), true, Block.Style.BRACES, List.of(), null);
      return S.of(new Compound("", body.block), body.normal);
    }
  }
}
