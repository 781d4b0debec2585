package io.awaitj.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import io.awaitj.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge cases found by the hostile-input fuzzing: valid programs whose generated code must compile and
 * run, and invalid ones where javac's own error must be the only one shown.
 */
class EdgeCasesTest {
  private static final String HEADER = """
      package demo;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.time.Duration;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      """;

  @Test
  void localsNamedLikeTypesLabelsNamedDispatchAndForInitExpressions() {
    Compiled c = Compiled.compile(HEADER + """
        public class Demo {
          @Async static Coroutine<String> f() {
            await(Aio.sleep(1));
            String Aio = "shadow";
            await(io.awaitj.Aio.sleep(1));
            int i;
            int sum = 0;
            dispatch:
            for (i = 0, sum = 1; i < 3; i++) {
              sum += await(io.awaitj.Aio.done(i));
              if (sum > 100) break dispatch;
            }
            return done(Aio + sum);
          }
        }
        """);
    assertEquals("shadow4", Aio.runVirtual(Compiled.call(c.load("demo.DemoAsync"), "f")));
  }

  @Test
  void typeAnnotationsInTheLastMethodBodyOfTheClass() {
    // javac 17 crashed entering the next round when attributing a body left a type annotation's
    // second stage queued (nothing after `o instanceof @TU String` flushes it).
    Compiled c = Compiled.compile(HEADER + """
        import java.lang.annotation.ElementType;
        import java.lang.annotation.Target;

        public class Demo {
          @Target(ElementType.TYPE_USE) @interface TU {}
          @Async static Coroutine<String> f(Object o) {
            await(Aio.sleep(1));
            String s = o instanceof @TU String ? (@TU String) o : "-";
            return done(s + (o instanceof @TU Integer ? 1 : 2));
          }
        }
        """);
    assertEquals("x2", Aio.runVirtual(Compiled.call(c.load("demo.DemoAsync"), "f", "x")));
  }

  @Test
  void machineNamesAvoidMemberTypesOverloadsAndLambdaMachines() {
    Compiled c = Compiled.compile(HEADER + """
        import java.util.function.Supplier;

        public abstract class Demo extends Base {
          static class DemoAsync_f {}
          static class Override {}
          @Async Coroutine<String> f() {
            Supplier<Coroutine<String>> s = () -> { return done("L" + await(Aio.sleep(Duration.ofMillis(1), 1))); };
            return done(await(s.get()) + await(f_lambda1()) + await(f(2)) + await(f_2()));
          }
          @Async Coroutine<String> f_lambda1() { return done("a" + await(Aio.sleep(Duration.ofMillis(1), 1))); }
          @Async Coroutine<String> f(int x) { return done("b" + await(Aio.sleep(Duration.ofMillis(1), x))); }
          @Async Coroutine<String> f_2() { return done("c" + await(Aio.sleep(Duration.ofMillis(1), 3))); }
        }
        """, """
        package demo;
        abstract class Base {
          interface DemoAsync_f_2 {}
        }
        """);
    assertEquals("L1a1b2c3", Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "f")));
    // f: DemoAsync_f and DemoAsync_f_2 are member types, so _3; its lambda's machine after it. The
    // async lambda comes first in the class: its type is known before any local is looked at.
    for (String machine : List.of("DemoAsync_f_3", "DemoAsync_f_3_lambda1", "DemoAsync_f_lambda1",
        "DemoAsync_f_4", "DemoAsync_f_2_2")) {
      c.load("demo." + machine);
    }
  }

  @Test
  void superCallsOfTheSuperclassAndOfDefaultMethods() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo extends Base implements Loud {
          @Override public String greet(String n) { return "overridden " + n; }
          @Override String name() { return "demo"; }
          @Async Coroutine<String> f() {
            String a = Loud.super.greet(await(Aio.sleep(Duration.ofMillis(1), "x")));
            String b = Loud.super.greet("y") + greet("z");
            String c = Demo.super.name() + super.name() + await(Aio.sleep(Duration.ofMillis(1), name()));
            java.util.function.Supplier<String> inLambda = () -> super.name() + Loud.super.greet("l");
            return done(a + "|" + b + "|" + c + "|" + inLambda.get());
          }
        }
        """, """
        package demo;
        public interface Greeter { default String greet(String n) { return "hi " + n; } }
        """, """
        package demo;
        public interface Loud extends Greeter {}
        """, """
        package demo;
        abstract class Base { String name() { return "base"; } }
        """);
    assertEquals("hi x|hi yoverridden z|basebasedemo|basehi l",
        Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "f")));
  }

  @Test
  void localClassesRecordsEnumsAndInterfacesInMethodsThatAwait() {
    Compiled c = Compiled.compile(HEADER + """
        import java.util.ArrayList;
        import java.util.List;

        public abstract class Demo<T> {
          private int calls;
          String prefix() { return "p"; }
          @Async <U> Coroutine<String> f(U u) {
            record Pair(String url, int status) {}
            enum Kind { FAST, SLOW }
            interface Namer { String name(int i); }
            class Counter implements Namer {
              int count;
              public String name(int i) { calls++; count++; return prefix() + i + Kind.values()[i % 2]; }
            }
            List<Pair> pairs = new ArrayList<>();
            Counter counter = new Counter();
            for (int i = 0; i < 3; i++) {
              pairs.add(new Pair(counter.name(i), await(Aio.sleep(Duration.ofMillis(1), i * 100))));
            }
            class Late { U held; Late(U held) { this.held = held; } }
            Late late = new Late(u);
            await(Aio.sleep(1));
            return done(pairs + " " + counter.count + " " + calls + " " + late.held);
          }
        }
        """);
    assertEquals("[Pair[url=p0FAST, status=0], Pair[url=p1SLOW, status=100], Pair[url=p2FAST, status=200]] 3 3 u",
        Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "f", "u")));
  }

  @Test
  void assertsFollowTheAssertionStatusOfTheUsersClass() {
    String source = HEADER + """
        public class Demo {
          @Async static Coroutine<String> f(boolean awaitFirst) {
            if (awaitFirst) {
              await(Aio.sleep(1));
            }
            assert false : "copied";
            return done("not asserted");
          }
          @Async static Coroutine<String> g() {
            assert await(Aio.sleep(Duration.ofMillis(1), false)) : await(Aio.sleep(Duration.ofMillis(1), "lowered"));
            return done("not asserted");
          }
        }
        """;
    for (boolean enabled : new boolean[] {true, false}) {
      Compiled c = Compiled.compile(source);
      // The machines' own status is the opposite of the user's class's: asserts must follow Demo's.
      c.loader().setDefaultAssertionStatus(!enabled);
      c.loader().setClassAssertionStatus("demo.Demo", enabled);
      Class<?> async = c.load("demo.DemoAsync");
      for (String call : new String[] {"f", "g"}) {
        Object[] args = call.equals("f") ? new Object[] {true} : new Object[0];
        if (enabled) {
          AssertionError e = assertThrows(AssertionError.class,
              () -> Aio.runVirtual(Compiled.call(async, call, args)));
          assertEquals(call.equals("f") ? "copied" : "lowered", e.getMessage());
        } else {
          assertEquals("not asserted", Aio.runVirtual(Compiled.call(async, call, args)));
        }
      }
    }
  }

  @Test
  void localClassesCapturingLocalsAndParametersInMethodsThatAwait() {
    Compiled c = Compiled.compile(HEADER + """
        import java.util.ArrayList;
        import java.util.List;

        public abstract class Demo {
          @Async Coroutine<String> g(String prefix) {
            Runnable r;
            List<String> out = new ArrayList<>();
            {
              String msg = prefix + "-msg";
              class Speaker implements Runnable {
                public void run() { out.add(msg + "/" + prefix + "/" + (out.size() + 1)); }
              }
              r = new Speaker();
              await(Aio.sleep(1));
              r.run();
            }
            // msg's scope has ended, but the Speaker still reads it after this suspension.
            await(Aio.sleep(1));
            r.run();
            return done(String.join(",", out));
          }
        }
        """);
    assertEquals("p-msg/p/1,p-msg/p/2", Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "g", "p")));
  }

  @Test
  void otherAbstractMethodsShadowingTypeVariablesAndSealedClasses() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract sealed class Demo<T> permits DemoAsync {
          abstract String name();
          @Async <T> Coroutine<T> echo(T t) {
            await(Aio.sleep(1));
            return done(t);
          }
        }
        """, """
        package demo;
        public class Impl extends DemoAsync<Integer> {
          String name() { return "impl"; }
        }
        """);
    assertEquals("x", Aio.runVirtual(Compiled.call(c.instantiate("demo.Impl"), "echo", "x")));
  }

  @Test
  void classesOfTheUsersPackageNamedLikeJavaLangTypes() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          @Async Coroutine<java.lang.String> f() {
            await(Aio.sleep(1));
            return done("ok");
          }
        }
        """, "package demo;\npublic class Override {}\n", "package demo;\npublic class String {}\n",
        "package demo;\npublic class Throwable {}\n", "package demo;\npublic class Object {}\n");
    assertEquals("ok", Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "f")));
  }

  @Test
  void aSealedClassThatDoesNotPermitItsAsyncIsAnError() {
    Compilation c = Compiled.compileRaw(HEADER + """
        public abstract sealed class Demo permits Demo.Other {
          static final class Other extends Demo {}
          @Async Coroutine<Integer> f() { return done(1); }
        }
        """);
    assertThat(c).hadErrorContaining("sealed class Demo has instance @Async methods");
  }

  private static void onlyJavacError(String expected, String... sources) {
    Compilation c = Compiled.compileRaw(sources);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(expected);
    assertEquals(1, c.errors().size(), c.errors().toString());
  }

  @Test
  void javacsOwnErrorIsTheOnlyOne() {
    onlyJavacError("cannot find symbol", """
        package demo;
        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.done;
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            return done(1);
          }
        }
        """);
    onlyJavacError("cannot find symbol", """
        package demo;
        import io.awaitj.Async;
        import static io.awaitj.Aio.done;
        public class Demo {
          @Async static Coroutine<Integer> f() {
            return done(1);
          }
        }
        """);
    onlyJavacError("cannot find symbol", HEADER + """
        public class Demo {
          @Async static Coroutine<Missing<String>> f() {
            return done(null);
          }
        }
        """);
    onlyJavacError("cannot find symbol", HEADER + """
        public abstract class Demo {
          @Async Coroutine<Integer> f() {
            return done(super.missing(await(Aio.done(1))));
          }
        }
        """);
  }

  @Test
  void annotationInterfacesAndAbstractInterfaceMethodsGetOneClearError() {
    Compilation a = Compiled.compileRaw(HEADER + """
        public interface Demo {
          @Async Coroutine<Integer> f();
        }
        """);
    assertThat(a).hadErrorContaining("@Async method cannot be abstract");
    assertEquals(1, a.errors().size(), a.errors().toString());
  }

  /**
   * An inner (non-static) member class created in an @Async body is created on the machine's {@code
   * self}; the copy wrote {@code self.new Demo.Inner()}, which javac does not parse (mutation fuzzer,
   * seed 170010: a {@code static} deleted from a member class named {@code Promise}).
   */
  @Test
  void innerMemberClassesCreatedInTheBody() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          int base = 10;
          class Inner { int v() { return base + 1; } }
          class Promise { int v() { return base + 2; } }
          class Box<T> { T t; Box(T t) { this.t = t; } }
          @Async Coroutine<Integer> f() {
            Inner a = new Inner() { int v() { return base + 1; } };
            await(Aio.sleep(1));
            Promise b = new Demo.Promise();
            Box<String> box = new Box<String>("abc");
            await(Aio.sleep(1));
            Box<Integer> other = new Box<Integer>(await(Aio.done(4))) { };
            return done(a.v() + b.v() + box.t.length() + other.t);
          }
        }
        """);
    assertEquals(30, Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "f")));
    Compiled d = Compiled.compile(HEADER + """
        public abstract class Demo {
          class Inner { int v() { return 1; } }
          @Async Coroutine<Integer> f() {
            Inner a = new Inner();
            await(Aio.sleep(1));
            return done(a.v() + new Demo.Inner() { int v() { return 5; } }.v());
          }
        }
        """);
    assertEquals(6, Aio.runVirtual(Compiled.call(d.instantiate("demo.DemoAsync"), "f")));
  }

  /**
   * A constructor that XAsync mirrors, with a type javac cannot resolve in its signature: XAsync was
   * written with the constructor as it stands, and javac reported the type again in generated code,
   * in words of its own ("cannot find symbol ... location: class demo.DemoAsync"). Such a class now
   * waits, as one whose @Async signatures have such a type does, and only javac's errors are shown
   * (mutation fuzzer, seed 170011: java renamed to result in a throws clause).
   */
  @Test
  void aMirroredConstructorWithAnUnresolvedTypeLeavesJavacsErrorsAlone() {
    onlyJavacError("package missing.io does not exist", HEADER + """
        public abstract class Demo {
          protected Demo(int x) throws missing.io.Failure {}
          @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
        }
        """);
    onlyJavacError("cannot find symbol", HEADER + """
        public abstract class Demo {
          Demo(Missing m) {}
          @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
        }
        """);
  }

  /**
   * Variables of the body named like what the machine declares (neighbours of a local class's field
   * named {@code self}, MutationFuzzTest seed 180011): {@code Access} as a lambda's parameter and as a
   * local class's field hid the machine's class of handles on private members ("int cannot be
   * dereferenced" in {@code Access.get$secret(self)}), which now takes another name; a parameter named
   * {@code state}, locals named {@code SUSPEND} and {@code DELIVERED} across an await, a lambda's
   * parameter named {@code step} keep working. A lambda's locals named like the copies the machine
   * takes of the locals it captures ({@code x$1} for {@code x}) were "already defined in method step()";
   * the copies take other names.
   */
  @Test
  void variablesNamedLikeMembersOfTheMachine() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          private int secret = 7;
          @Async public Coroutine<String> run(int state) {
            java.util.function.IntUnaryOperator f = Access -> Access + secret;
            class Box { int Access = 2; int get() { return Access + secret; } }
            Box b = new Box();
            int SUSPEND = 3;
            String DELIVERED = "d";
            int x = state;
            await(Aio.sleep(1));
            java.util.function.IntUnaryOperator h = step -> step + state + SUSPEND;
            java.util.function.IntSupplier s = () -> { int x$1 = 1, x$2 = 2, x$3 = 3; return x + x$1 + x$2 + x$3; };
            return done(f.applyAsInt(1) + " " + b.get() + " " + h.applyAsInt(1) + DELIVERED + state + " "
                + s.getAsInt());
          }
        }
        """);
    assertEquals("8 9 9d5 11", Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "run", 5)));
  }

  /**
   * A lambda's variable named {@code awaited$} and a label named {@code dispatch$}, names of the
   * machine's step (a local and the label of its dispatch loop), which Java does not let code inside
   * them declare again: an error only in generated code ("variable awaited$ is already defined in method
   * step()", "label dispatch$ already in use"), now one on the user's declaration.
   */
  @Test
  void namesTheStepDeclaresAreReportedOnTheUsersDeclaration() {
    Compilation c = Compiled.compileRaw(HEADER + """
        public abstract class Demo {
          @Async public Coroutine<Integer> run() {
            java.util.function.IntUnaryOperator g = awaited$ -> awaited$ + 1;
            Runnable r = () -> { dispatch$: for (int j = 0; j < 2; j++) { if (j == 1) break dispatch$; } };
            r.run();
            await(Aio.sleep(1));
            return done(g.applyAsInt(1));
          }
        }
        """);
    assertThat(c).hadErrorContaining("a variable named 'awaited$' in a lambda of an @Async method");
    assertThat(c).hadErrorContaining("a label named 'dispatch$' in an @Async method");
    assertThat(c).hadErrorCount(2);
  }

  /**
   * The program MutationFuzzTest found with seed 192010: a {@code var} of an intersection type
   * captured by async lambdas, whose machines held it as a field of the first bound ({@code
   * Serializable}): {@code text.length()} failed in generated code only, and {@code g(text)} would
   * pick {@code g(Object)}. Here it is also a seed of the mutation fuzzer (it comes last in its class,
   * so the other seeds keep their names). FuzzRegressionTest has its neighbours.
   */
  @Test
  void intersectionCapturedByAsyncLambdas() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          static String g(Object o) { return "O"; }
          static String g(CharSequence s) { return "C" + s.length(); }
          @Async public static Coroutine<String> run(boolean flag) {
            var text = flag ? "abc" : new StringBuilder("de");
            java.util.function.Supplier<Coroutine<Integer>> s = () -> { int m = await(Aio.done(1)); return done(m + text.length()); };
            java.util.function.Supplier<Coroutine<String>> t = () -> { await(Aio.sleep(1)); return done(g(text)); };
            return done(await(s.get()) + g(text) + await(t.get()));
          }
        }
        """);
    assertEquals("4C3C3", Aio.runVirtual(Compiled.call(c.load("demo.DemoAsync"), "run", true)));
    assertEquals("3C2C2", Aio.runVirtual(Compiled.call(c.load("demo.DemoAsync"), "run", false)));
  }

  /**
   * Whether a name of the package is also java.lang's is looked up once per compilation and name,
   * and which names a package has, for each package: two packages in one compilation, one with a
   * class named Override and one without, write {@code @Override} qualified in the first only.
   */
  @Test
  void javaLangNamesAreQualifiedOnlyInThePackageThatHidesThem() {
    String hidden = """
        package demo;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Demo {
          @Async Coroutine<java.lang.String> f() {
            await(Aio.sleep(1));
            return done("demo");
          }
        }
        """;
    String plainSource = """
        package plain;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Demo {
          @Async Coroutine<String> f() {
            await(Aio.sleep(1));
            return done("plain");
          }
        }
        """;
    Compiled c = Compiled.compile(hidden, "package demo;\npublic class Override {}\n",
        plainSource, "package plain;\npublic class Helper {}\n");
    assertTrue(c.generatedSource("demo.DemoAsync").contains("@java.lang.Override"),
        () -> c.generatedSource("demo.DemoAsync"));
    String plain = c.generatedSource("plain.DemoAsync");
    assertTrue(plain.contains("@Override") && !plain.contains("java.lang.Override"), plain);
    assertEquals("demo", Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "f")));
    assertEquals("plain", Aio.runVirtual(Compiled.call(c.instantiate("plain.DemoAsync"), "f")));
  }
}
