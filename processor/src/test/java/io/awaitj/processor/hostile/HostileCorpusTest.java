package io.awaitj.processor.hostile;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Invalid, unsupported and merely odd programs, each with the one diagnostic it must produce. Every
 * entry also holds the processor to its contract ({@link Hostile#judge}): no internal error, no stack
 * trace, no error in generated code. Where javac itself rejects the program, the processor must say
 * nothing at all (its messages would only be noise); where awaitj rejects it, the error must be
 * awaitj's own, printed through the Messager.
 *
 * <p>An entry is one expression in {@link #CORPUS}; the first source holds the expected error.
 */
class HostileCorpusTest {

  /** Who must report the expected error. */
  enum Origin {
    /** javac itself; the processor must print nothing. */
    JAVAC,
    /** The processor, through its Messager. */
    AWAITJ,
    /** Nobody: the program compiles, without warnings in generated code. */
    NONE
  }

  /** One program and what compiling it must report: an error containing {@code message} on the line containing {@code line}. */
  record Entry(String name, Origin origin, String message, String line, List<String> sources) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Entry javac(String name, String message, String line, String... sources) {
    return new Entry(name, Origin.JAVAC, message, line, List.of(sources));
  }

  static Entry awaitj(String name, String message, String line, String... sources) {
    return new Entry(name, Origin.AWAITJ, message, line, List.of(sources));
  }

  static Entry ok(String name, String... sources) {
    return new Entry(name, Origin.NONE, null, null, List.of(sources));
  }

  static final String IMPORTS = """
      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.time.Duration;
      import java.util.*;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;
      """;

  /** A compilation unit of package {@code demo}: the usual imports and {@code body}. */
  static String demo(String body) {
    return "package demo;\n\n" + IMPORTS + "\n" + body;
  }

  /** A compilation unit of package {@code demo} with the usual imports but {@code missing}. */
  static String without(String missing, String body) {
    String imports = IMPORTS.lines().filter(l -> !l.equals(missing)).collect(Collectors.joining("\n"));
    assertTrue(!imports.equals(IMPORTS.strip()), () -> "no such import: " + missing);
    return "package demo;\n\n" + imports + "\n\n" + body;
  }

  static final List<Entry> CORPUS = List.of(
      // ---------------------------------------------------------------------------------------------
      // Generics at the edges.
      ok("wildcardReturn", demo("""
          public class Demo {
            @Async static Coroutine<?> any() { await(Aio.sleep(1)); return done(1); }
          }
          """)),
      ok("boundedWildcardReturn", demo("""
          public class Demo {
            @Async static Coroutine<? extends Number> num() { await(Aio.sleep(1)); return done(1); }
          }
          """)),
      ok("boundedTypeParameters", demo("""
          public abstract class Demo<K extends Comparable<? super K>> {
            @Async <T extends Comparable<? super T>> Coroutine<T> max(List<? extends T> xs, K key) {
              T best = null;
              for (T x : xs) {
                T seen = await(Aio.sleep(Duration.ZERO, x));
                if (best == null || seen.compareTo(best) > 0) best = seen;
              }
              return done(best);
            }
          }
          """)),
      ok("intersectionBound", demo("""
          public class Demo {
            @Async static <T extends Number & Comparable<T>> Coroutine<T> min(T a, T b) {
              T x = await(Aio.sleep(Duration.ZERO, a));
              return done(x.compareTo(b) < 0 ? x : b);
            }
          }
          """)),
      ok("recursiveGenerics", demo("""
          public abstract class Demo<N extends Demo<N>> {
            @SuppressWarnings("unchecked") N self() { return (N) this; }
            @Async Coroutine<N> next(List<N> all) {
              N me = await(Aio.sleep(Duration.ZERO, self()));
              return done(all.isEmpty() ? me : all.get(0));
            }
          }
          """)),
      ok("capturedWildcardLocalAcrossAwait", demo("""
          public class Demo {
            @Async static Coroutine<String> first(List<? extends CharSequence> xs) {
              var first = xs.get(0);
              await(Aio.sleep(1));
              return done(first.toString());
            }
          }
          """)),
      // javac itself cannot compile a variable of anonymous type in a class it attributed during
      // processing (see HardeningTest): the error says so, wherever the variable lives.
      awaitj("anonymousTypeLocalAcrossAwait", "is an anonymous class, which javac cannot compile",
          "var o = new Object()", demo("""
          public class Demo {
            @Async static Coroutine<Integer> anon() {
              var o = new Object() { int n = 1; };
              await(Aio.sleep(1));
              return done(o.n);
            }
          }
          """)),
      ok("intersectionTypeLocalAcrossAwait", demo("""
          public class Demo {
            @Async static Coroutine<String> mixed(boolean flag) {
              var x = flag ? 1 : "one";
              await(Aio.sleep(1));
              return done(x.toString());
            }
          }
          """)),
      ok("arrayAndNestedGenericResults", demo("""
          public class Demo {
            @Async static Coroutine<int[]> ints() { await(Aio.sleep(1)); return done(new int[] {1}); }
            @Async static Coroutine<Map<String, List<? super Integer>>> nested() {
              Map<String, List<? super Integer>> m = new HashMap<>();
              await(Aio.sleep(1));
              return done(m);
            }
          }
          """)),

      // ---------------------------------------------------------------------------------------------
      // Missing imports: javac's error alone.
      javac("missingAsyncImport", "cannot find symbol", "@Async static", without("import io.awaitj.Async;", """
          public class Demo {
            @Async static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """)),
      javac("unknownTypeInBody", "cannot find symbol", "Missing m = null;", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              Missing m = null;
              await(Aio.sleep(1));
              return done(m.size());
            }
          }
          """)),
      javac("unknownSuperclass", "cannot find symbol", "extends Missing", demo("""
          public abstract class Demo extends Missing {
            @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """)),
      javac("cyclicInheritance", "cyclic inheritance", "public abstract class Demo extends Other", demo("""
          public abstract class Demo extends Other {
            @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          abstract class Other extends Demo {}
          """)),

      // ---------------------------------------------------------------------------------------------
      // Sources that do not parse.
      javac("missingClosingBrace", "reached end of file while parsing", "return done(1); }", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              return done(1); }
          """)),
      javac("extraClosingBrace", "class, interface, enum, or record expected", "} // one too many", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              return done(1);
            }
          }
          } // one too many
          """)),
      javac("truncatedMidExpression", "reached end of file while parsing", "int x = await(Aio.sl", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              int x = await(Aio.sl""")),
      javac("unterminatedString", "unclosed string literal", "String s = \"open;", demo("""
          public class Demo {
            @Async static Coroutine<String> f() {
              String s = "open;
              await(Aio.sleep(1));
              return done(s);
            }
          }
          """)),
      // JDK 17 says "')' expected", JDK 25 "')' or ',' expected".
      javac("unbalancedParentheses", "')'", "int x = await(Aio.sleep(Duration.ZERO, 1);", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              int x = await(Aio.sleep(Duration.ZERO, 1);
              return done(x);
            }
          }
          """)),

      // ---------------------------------------------------------------------------------------------
      // @Target(METHOD): javac rejects the annotation elsewhere.
      javac("onConstructor", "not applicable to this kind of declaration", "@Async Demo()", demo("""
          public class Demo {
            @Async Demo() {}
          }
          """)),
      javac("onField", "not applicable to this kind of declaration", "@Async Coroutine<Integer> field", demo("""
          public class Demo {
            @Async Coroutine<Integer> field = done(1);
          }
          """)),
      javac("onClass", "not applicable to this kind of declaration", "@Async public class Demo", demo("""
          @Async public class Demo {
            static Coroutine<Integer> f() { return done(1); }
          }
          """)),
      javac("onLocalVariable", "not applicable to this kind of declaration", "@Async int x", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              @Async int x = await(Aio.sleep(Duration.ZERO, 1));
              return done(x);
            }
          }
          """)),
      javac("onParameter", "not applicable to this kind of declaration", "@Async int x", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f(@Async int x) { await(Aio.sleep(1)); return done(x); }
          }
          """)),

      // ---------------------------------------------------------------------------------------------
      // @Async bodies with errors javac reports.
      javac("typeErrorInBody", "incompatible types: java.lang.String cannot be converted to int", "int x = \"one\";", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              int x = "one";
              return done(x);
            }
          }
          """)),
      javac("returnWithoutValue", "missing return value", "return;", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              return;
            }
          }
          """)),
      javac("missingReturn", "missing return statement", "await(Aio.sleep(1)); }", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1)); }
          }
          """)),
      javac("returnOfPlainValue", "incompatible types: int cannot be converted to io.awaitj.Coroutine<java.lang.Integer>", "return 1;", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              return 1;
            }
          }
          """)),
      javac("doneOfWrongType", "incompatible types", "return done(\"one\");", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              return done("one");
            }
          }
          """)),
      javac("uncheckedExceptionNotDeclared", "unreported exception java.io.IOException", "throw new java.io.IOException", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              if (true) throw new java.io.IOException("io");
              return done(1);
            }
          }
          """)),
      javac("unreachableAfterReturn", "unreachable statement", "await(Aio.sleep(2));", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              await(Aio.sleep(1));
              return done(1);
              await(Aio.sleep(2));
            }
          }
          """)),
      javac("uninitializedLocalAcrossAwait", "variable x might not have been initialized", "return done(x);", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              int x;
              await(Aio.sleep(1));
              return done(x);
            }
          }
          """)),
      javac("duplicateLocal", "variable x is already defined", "int x = 2;", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              int x = await(Aio.sleep(Duration.ZERO, 1));
              int x = 2;
              return done(x);
            }
          }
          """)),
      javac("assignToFinalAcrossAwait", "cannot assign a value to final variable x", "x = 2;", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              final int x = 1;
              await(Aio.sleep(1));
              x = 2;
              return done(x);
            }
          }
          """)),
      javac("lambdaCapturesReassignedLocal", "effectively final", "return x;", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              int x = 1;
              x = await(Aio.sleep(Duration.ZERO, 2));
              java.util.function.IntSupplier s = () -> {
                return x;
              };
              return done(s.getAsInt());
            }
          }
          """)),
      javac("duplicateMethod", "method f() is already defined in class demo.Demo", "static Coroutine<Integer> f() { return done(2); }", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
            @Async static Coroutine<Integer> f() { return done(2); }
          }
          """)),
      javac("classNotAbstractMissingImplementation", "is not abstract and does not override abstract method run()", "public class Demo implements Runnable", demo("""
          public class Demo implements Runnable {
            @Async static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """)),

      // ---------------------------------------------------------------------------------------------
      // Declarations awaitj rejects or must handle.
      awaitj("enumConstantBody", "@Async methods are not supported in local or anonymous classes", "Coroutine<Integer> f() {", demo("""
          public enum Demo {
            A {
              @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
            };
          }
          """)),
      awaitj("compoundAssignmentOfPrivateFieldOfComputedObject",
          "compound assignment of private field 'n' of a computed object", "other().n += 1;", demo("""
          public abstract class Demo {
            private int n;
            Demo other() { return this; }
            @Async Coroutine<Integer> f() {
              await(Aio.sleep(1));
              other().n += 1;
              return done(n);
            }
          }
          """)),
      awaitj("compoundAssignmentOfPrivateFieldOfReassignedLocal",
          "compound assignment of private field 'n' of a computed object", "d.n += (d = this).n;", demo("""
          public abstract class Demo {
            private int n;
            @Async Coroutine<Integer> f(Demo d) {
              await(Aio.sleep(1));
              d.n += (d = this).n;
              return done(n);
            }
          }
          """)),
      awaitj("incrementOfGenericPrivateField", "incrementing private field 'value' of type T", "value++;",
          demo("""
          public abstract class Demo<T extends Integer> {
            private T value;
            @Async Coroutine<Integer> f() {
              await(Aio.sleep(1));
              value++;
              return done(1);
            }
          }
          """)),
      ok("privateFieldUpdatesInLambdasAndAnonymousClasses", demo("""
          public abstract class Demo {
            private int n;
            private static long total;
            @Async Coroutine<Integer> f() {
              Runnable r = () -> { n++; total += n; };
              await(Aio.sleep(1));
              r.run();
              Object o = new Object() {
                int own;
                @Override public String toString() { own++; n += 2; Demo.total--; return "" + own; }
              };
              await(Aio.sleep(1));
              return done(n + (int) total + o.toString().length());
            }
          }
          """)),
      ok("localClassesNamedLikeTypesTheMachineUses", demo("""
          public abstract class Demo {
            @Async Coroutine<Integer> f() {
              record Override(int x) {}
              class Object { int y = 2; }
              interface Throwable {}
              enum String { A }
              Override o = new Override(await(Aio.sleep(Duration.ZERO, 1)));
              Object p = new Object();
              await(Aio.sleep(1));
              return done(o.x() + p.y + String.A.ordinal());
            }
          }
          """)),
      ok("localClassInAsyncLambda", demo("""
          public abstract class Demo {
            @Async Coroutine<Integer> f() {
              java.util.function.Supplier<Coroutine<Integer>> s = () -> {
                record Box(int v) {}
                Box b = new Box(await(Aio.sleep(Duration.ZERO, 3)));
                await(Aio.sleep(1));
                return done(b.v());
              };
              return done(await(s.get()));
            }
          }
          """)),
      awaitj("localClassOfTheMethodInAsyncLambda",
          "local class 'Box' of the enclosing method cannot be used inside an async lambda", "Box b = new Box(",
          demo("""
          public abstract class Demo {
            @Async Coroutine<Integer> f() {
              record Box(int v) {}
              await(Aio.sleep(1));
              java.util.function.Supplier<Coroutine<Integer>> s = () -> {
                Box b = new Box(await(Aio.sleep(Duration.ZERO, 3)));
                return done(b.v());
              };
              return done(await(s.get()));
            }
          }
          """)),
      ok("genericLocalClassInMethodThatAwaits", demo("""
          public abstract class Demo {
            @Async <U> Coroutine<Integer> f(U u) {
              record Box<T>(T v) {}
              class Cell<V extends Number> { V v; U u; Cell(V v) { this.v = v; } }
              Box<Integer> b = new Box<>(await(Aio.sleep(Duration.ZERO, 3)));
              java.util.List<Cell<Long>> cells = java.util.List.of(new Cell<>(4L));
              await(Aio.sleep(1));
              return done(b.v() + cells.get(0).v.intValue());
            }
          }
          """)),
      awaitj("voidAsyncMethod", "@Async method must return io.awaitj.Coroutine<T> or io.awaitj.AsyncGenerator<T>, not void", "static void run()", demo("""
          public class Demo {
            @Async static void run() {}
          }
          """)),
      awaitj("subtypeOfCoroutineReturned", "@Async method must return io.awaitj.Coroutine<T>", "static io.awaitj.Task<Integer> f()", demo("""
          public class Demo {
            @Async static io.awaitj.Task<Integer> f() { return Aio.createTask(done(1)); }
          }
          """)),
      awaitj("foreignCoroutineType", "@Async method must return io.awaitj.Coroutine<T>", "static other.Coroutine<Integer> f()", demo("""
          public class Demo {
            @Async static other.Coroutine<Integer> f() { return null; }
          }
          """), """
          package other;
          public class Coroutine<T> {}
          """),
      ok("overloadedAsyncMethods", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f(int x) { await(Aio.sleep(1)); return done(x); }
            @Async static Coroutine<Integer> f(String s) { await(Aio.sleep(1)); return done(s.length()); }
          }
          """)),
      ok("defaultPackage", IMPORTS + """
          public class Demo {
            @Async static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """),
      ok("checkedThrowsClause", demo("""
          public abstract class Demo {
            @Async Coroutine<Integer> f() throws java.io.IOException {
              await(Aio.sleep(1));
              if (System.nanoTime() < 0) throw new java.io.IOException("io");
              return done(1);
            }
          }
          """)),
      ok("unicodeEscapes", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              int \\u0078 = \\u0061wait(Aio.sleep(Duration.ZERO, 1));
              return done(x + "\\u00e9".length());
            }
          }
          """)),
      ok("dollarNames", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f$1(int $x) { int y$ = await(Aio.sleep(Duration.ZERO, $x)); return done(y$); }
          }
          """)),
      ok("twoTopLevelClassesInOneFile", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() { return done(await(Helper.g())); }
          }
          abstract class Helper {
            @Async static Coroutine<Integer> g() { await(Aio.sleep(1)); return done(2); }
          }
          """)),
      ok("staticMethodOfNestedInterface", demo("""
          public class Demo {
            interface Api {
              @Async static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
            }
          }
          """)),
      ok("userMethodNamedAwaitIsNotAnAwait", demo("""
          public class Demo {
            static int await(int x) { return x + 1; }
            @Async static Coroutine<Integer> f() {
              int x = await(1);
              int y = Aio.await(Aio.sleep(Duration.ZERO, x));
              return done(y);
            }
          }
          """)),

      ok("sealedHierarchyWithStaticAsyncMethods", demo("""
          public sealed interface Demo permits Demo.A {
            record A(int x) implements Demo {
              @Async static Coroutine<Integer> f(A a) { await(Aio.sleep(1)); return done(a.x()); }
            }
            @Async static Coroutine<Integer> g() { return done(await(A.f(new A(1)))); }
          }
          """)),
      awaitj("privateStaticInterfaceMethod", "static @Async method cannot be private", "private static Coroutine<Integer> f()", demo("""
          public interface Demo {
            @Async private static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """)),
      ok("asyncMethodsNamedLikeMachineMembers", demo("""
          public abstract class Demo {
            @Async Coroutine<Integer> step() { await(Aio.sleep(1)); return done(1); }
            @Async Coroutine<Integer> state(int state) { return done(await(step()) + state); }
            @Async Coroutine<Integer> awaitResult() { return done(await(state(2)) + await(step())); }
          }
          """)),
      ok("genericVarargsAndArrays", demo("""
          public class Demo {
            @SafeVarargs
            @Async static <T extends Comparable<T>> Coroutine<T[]> sorted(T... xs) {
              T[] copy = xs.clone();
              await(Aio.sleep(1));
              Arrays.sort(copy);
              return done(copy);
            }
            @Async static Coroutine<int[][]> grid(int n) {
              int[][] g = new int[n][];
              for (int i = 0; i < n; i++) { g[i] = new int[await(Aio.sleep(Duration.ZERO, i + 1))]; }
              return done(g);
            }
          }
          """)),
      ok("wildcardParametersAcrossAwait", demo("""
          public class Demo {
            @Async static Coroutine<Double> sum(List<? extends Number> xs, Map<? super String, ?> seen) {
              double total = 0;
              for (Number n : xs) {
                total += await(Aio.sleep(Duration.ZERO, n)).doubleValue();
              }
              Iterator<? extends Number> it = xs.iterator();
              await(Aio.sleep(1));
              return done(total + (it.hasNext() ? it.next().doubleValue() : 0) + seen.size());
            }
          }
          """)),
      ok("bodiesThatEndWithoutCompletingNormally", demo("""
          public class Demo {
            @Async static Coroutine<Integer> forEver() {
              await(Aio.sleep(1));
              for (;;) { return done(1); }
            }
            @Async static Coroutine<Integer> whileTrue() {
              await(Aio.sleep(1));
              while (true) { if (await(Aio.sleep(Duration.ZERO, true))) return done(1); }
            }
            @Async static Coroutine<Integer> labeled() {
              await(Aio.sleep(1));
              out: { return done(1); }
            }
            @Async static Coroutine<Integer> oldSwitch(int k) {
              await(Aio.sleep(1));
              switch (k) { case 1: return done(1); default: return done(2); }
            }
            @Async static Coroutine<Integer> arrowSwitch(int k) {
              await(Aio.sleep(1));
              switch (k) { case 1 -> { return done(1); } default -> throw new IllegalStateException(); }
            }
            @Async static Coroutine<Integer> ifElse(boolean b) {
              await(Aio.sleep(1));
              if (b) return done(1); else return done(2);
            }
            @Async static Coroutine<Integer> tryCatch() {
              try { await(Aio.sleep(1)); return done(1); } catch (RuntimeException e) { return done(2); }
            }
            @Async static Coroutine<Integer> tryFinally() {
              try { await(Aio.sleep(1)); } finally { return done(3); }
            }
            @Async static Coroutine<Integer> inSynchronized() {
              await(Aio.sleep(1));
              synchronized (Demo.class) { return done(1); }
            }
            @Async static Coroutine<Integer> throwing() {
              await(Aio.sleep(1));
              throw new IllegalStateException();
            }
            @Async static Coroutine<Integer> doWhileTrue() {
              await(Aio.sleep(1));
              do { await(Aio.sleep(1)); } while (true);
            }
            @Async static Coroutine<Integer> awaitingDoWhileThatReturns() {
              do { await(Aio.sleep(1)); return done(1); } while (System.nanoTime() < 0);
            }
            @Async static Coroutine<Integer> noAwaitDoWhileWithBreak() {
              int i = 0;
              do { if (i++ > 2) break; } while (true);
              return done(i);
            }
          }
          """)),
      // ---------------------------------------------------------------------------------------------
      // Names the generated code uses too, in the user's code.
      ok("staticParametersNamedLikeMachineMembers", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f(int state, String self, int value, Object lookup, int step) {
              int dispatch = await(Aio.sleep(Duration.ZERO, state + value + step));
              return done(dispatch + self.length() + lookup.hashCode() * 0);
            }
          }
          """)),
      ok("localsNamedLikeMachineMembers", demo("""
          public abstract class Demo {
            @Async Coroutine<Integer> f(int state, String self) {
              int dispatch = await(Aio.sleep(Duration.ZERO, state));
              Throwable thrown$ = null;
              int step = dispatch + self.length();
              await(Aio.sleep(1));
              try {
                await(Aio.sleep(1));
              } catch (RuntimeException illegalState) {
                thrown$ = illegalState;
              }
              return done(step + state + (thrown$ == null ? 0 : 1));
            }
          }
          """)),
      ok("fieldsShadowedByLocals", demo("""
          public abstract class Demo {
            int n = 10;
            @Async Coroutine<Integer> f() {
              int n = await(Aio.sleep(Duration.ZERO, 1));
              await(Aio.sleep(1));
              return done(n + this.n);
            }
          }
          """)),
      ok("nestedTypesNamedLikeRuntimeTypes", demo("""
          public abstract class Demo {
            static class Promise {}
            static class Task {}
            @Async Coroutine<Integer> f() {
              Promise p = new Promise();
              Task t = new Task();
              await(Aio.sleep(1));
              return done(p.hashCode() + t.hashCode());
            }
          }
          """)),
      // ---------------------------------------------------------------------------------------------
      // More shapes.
      ok("doneAsAStatementAndInALocal", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() {
              done(0);
              Coroutine<Integer> c = done(1);
              int x = await(c);
              Coroutine<Integer> d = done(x + 1);
              return d;
            }
          }
          """)),
      ok("constructorsOfEveryKind", demo("""
          public abstract class Demo {
            protected <X extends Number> Demo(X x) throws java.io.IOException {}
            Demo(String... names) {}
            @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """)),
      ok("deepNesting", demo("""
          public class Demo {
            public static class A {
              public abstract static class B {
                @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
                @Async static Coroutine<Integer> g() { await(Aio.sleep(1)); return done(2); }
              }
            }
            interface I { enum E { X; @Async static Coroutine<Integer> h() { await(Aio.sleep(1)); return done(3); } } }
          }
          """)),
      ok("labeledBlockAcrossAwait", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f(boolean early) {
              int r = 0;
              block: {
                r = await(Aio.sleep(Duration.ZERO, 1));
                if (early) break block;
                r = await(Aio.sleep(Duration.ZERO, 2));
              }
              return done(r);
            }
          }
          """)),
      ok("textBlockAcrossAwait", demo("""
          public class Demo {
            @Async static Coroutine<String> f() {
              String t = \"""
                  a "quoted" \\\\ line
                  \""";
              await(Aio.sleep(1));
              return done(t + '\\'' + "\\"");
            }
          }
          """)),
      javac("awaitInResourceSpecification", "incompatible types", "try (AutoCloseable r = await(", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() throws Exception {
              try (AutoCloseable r = await(Aio.sleep(Duration.ZERO, 1))) {
                return done(1);
              }
            }
          }
          """)),
      ok("awaitedResource", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() throws Exception {
              try (AutoCloseable r = await(Aio.sleep(Duration.ZERO, (AutoCloseable) () -> {}))) {
                await(Aio.sleep(1));
              }
              return done(1);
            }
          }
          """)),
      ok("typeVariableNamedObject", demo("""
          public class Demo {
            @Async static <Object> Coroutine<Object> f(Object x) { await(Aio.sleep(1)); return done(x); }
          }
          """)),
      ok("typeVariableNamedThrowableAndString", demo("""
          public abstract class Demo<String, Throwable> {
            @Async Coroutine<String> f(String x, Throwable t) {
              await(Aio.sleep(1));
              try { await(Aio.sleep(1)); } catch (RuntimeException e) { return done(x); }
              return done(x);
            }
          }
          """)),
      ok("packageClassNamedIllegalStateException", demo("""
          public class Demo {
            @Async static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """), """
          package demo;
          class IllegalStateException {}
          """),
      ok("packageClassNamedCoroutine", without("import io.awaitj.Coroutine;", """
          public class Demo {
            @Async static io.awaitj.Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          }
          """), """
          package demo;
          class Coroutine {}
          """)
  );

  @TestFactory
  Stream<DynamicTest> eachHostileProgramGetsItsDiagnostic() {
    return CORPUS.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> check(e)));
  }

  static void check(Entry e) {
    Hostile.Outcome o = Hostile.compile(e.sources().toArray(String[]::new));
    if (Boolean.getBoolean("awaitj.hostile.explore")) {
      System.out.println("==== " + e.name() + "\n" + o.describe());
    }
    assertEquals(List.of(), o.findings(), () -> e.name() + ":\n" + o.describe());
    Compilation c = o.compilation();
    List<Diagnostic<? extends JavaFileObject>> ours = c.diagnostics().stream()
        .filter(d -> Hostile.MESSAGER_CODE.equals(d.getCode()))
        .collect(Collectors.toList());
    // Whatever went wrong, it is not the generated code the user should read about.
    assertEquals(List.of(), c.diagnostics().stream()
        .filter(d -> Hostile.isGenerated(d) && d.getKind() != Diagnostic.Kind.NOTE)
        .map(Hostile::format).collect(Collectors.toList()), "diagnostics in generated code");
    switch (e.origin()) {
      case NONE -> assertThat(c).succeeded();
      case JAVAC -> {
        assertThat(c).hadErrorContaining(e.message()).inFile(file(c, e)).onLineContaining(e.line());
        assertEquals(List.of(), ours.stream().map(Hostile::format).collect(Collectors.toList()),
            "the processor added to javac's own error");
      }
      case AWAITJ -> {
        assertThat(c).hadErrorContaining(e.message()).inFile(file(c, e)).onLineContaining(e.line());
        assertTrue(ours.stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR
                && Hostile.message(d).contains(e.message())),
            () -> "the error is not awaitj's own:\n" + o.describe());
        assertEquals(1, ours.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count(),
            () -> "awaitj reported more than the one error:\n" + o.describe());
      }
    }
  }

  /** The first source of the entry, as compiled. */
  private static JavaFileObject file(Compilation c, Entry e) {
    String name = Hostile.qualifiedName(e.sources().get(0)).replace('.', '/') + ".java";
    return c.sourceFiles().stream()
        .filter(f -> f.toUri().toString().equals(name) || f.toUri().toString().endsWith("/" + name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no source " + name + " in " + c.sourceFiles()));
  }
}
