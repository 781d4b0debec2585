package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Valid programs that once compiled silently into a machine that threw "did not compile" at run time,
 * or did not compile at all (issue 9): each must compile without warnings in generated code and run.
 */
class HardeningTest {
  /** Annotations with arguments on locals of every kind, in a static and an instance method. */
  static final String ANNOTATED = """
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.AsyncCloseable;
        import io.awaitj.Coroutine;
        import java.lang.annotation.ElementType;
        import java.lang.annotation.Target;
        import java.util.List;
        import java.util.function.Function;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Annotated {
          @Target(ElementType.TYPE_USE)
          @interface Tag {
            String value();
          }

          static final class Res implements AutoCloseable {
            @Override
            public void close() {}
          }

          @Async
          public static Coroutine<Integer> statics(Object o) {
            @SuppressWarnings("unchecked") List<String> l = (List<String>) o;
            @Tag("type use") String first = l.get(0);
            int n = await(Aio.done(l.size()));
            for (@SuppressWarnings("unused") String s : l) {
              n += await(Aio.done(1));
            }
            try {
              throw new IllegalStateException(first);
            } catch (@SuppressWarnings("unused") IllegalStateException e) {
              n += await(Aio.done(10));
            }
            try (@SuppressWarnings("unused") Res r = new Res()) {
              n += await(Aio.done(100));
            }
            Function<@Tag("arg") String, Integer> len = (@SuppressWarnings("unused") String s) -> s.length();
            n += await(Aio.done(len.apply(first)));
            return done(n);
          }

          @Async
          public Coroutine<Integer> instance(Object o) {
            @SuppressWarnings(value = "unchecked") List<String> l = (List<String>) o;
            int n = await(Aio.done(l.size()));
            return done(n + l.get(0).length());
          }
        }
        """;

  /**
   * An annotation with an argument on a local, a loop variable, a catch parameter, a resource or a
   * lambda parameter, and a type annotation with an argument: javac names the single element of
   * {@code @A("x")} ({@code value}), which the analysis took for an instance member used in a static
   * method, and gave up on the body silently. The suppression on a local that becomes a field reaches
   * the machine (its assignment moves away from the annotation).
   */
  @Test
  void annotationsWithArgumentsOnLocalsInStaticAndInstanceMethods() {
    Compiled c = Compiled.compile(ANNOTATED);
    assertEquals(2 + 2 + 10 + 100 + 1,
        Aio.runVirtual(Compiled.call(c.load("hard.AnnotatedAsync"), "statics", List.of("a", "bc"))));
    assertEquals(3, Aio.runVirtual(Compiled.call(c.instantiate("hard.AnnotatedAsync"), "instance",
        List.of("a", "bc"))));
  }

  /**
   * A local that no later statement of its block awaits after stays a Java local of its state, as a
   * person would write it: its type is kept exactly (an intersection type chooses the same overload
   * as in the source; before, its field had the first bound's type and {@code g(Object)} was chosen,
   * issue 9 item 4 where no await follows), and it is no field of the machine.
   */
  @Test
  void localsThatNoAwaitFollowsStayJavaLocals() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.io.Serializable;
        import java.util.ArrayList;
        import java.util.LinkedList;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Locals {
          static String g(Serializable s) {
            return "serializable";
          }

          static String g(Object o) {
            return "object";
          }

          @Async
          public static Coroutine<String> pick(boolean flag) {
            int n = await(Aio.done(1));
            var list = flag ? new ArrayList<String>() : new LinkedList<String>();
            final String label = g(list) + n;
            return done(label);
          }
        }
        """);
    assertEquals("serializable1", Aio.runVirtual(Compiled.call(c.load("hard.LocalsAsync"), "pick", true)));
    String machine = c.generatedSource("hard.LocalsAsync_pick");
    assertEquals(false, machine.matches("(?s).*private [^;]* (list|label|n);.*"), machine);
  }

  /**
   * A variable whose type is an anonymous class ({@code var c = new Object() { int hits; }}) in a class
   * with @Async methods: javac, having attributed the class during processing, fails later with
   * "cannot find symbol: class X$1" (JDK 17 and 25), even in methods that are not @Async. The
   * processor says what to write instead, on the variable, and that is the only error.
   */
  @Test
  void variablesOfAnonymousTypesGetAClearError() {
    com.google.testing.compile.Compilation c = Compiled.compileRaw("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.stream.Stream;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Anonymous {
          static int helper() {
            var counter = new Runnable() { int hits; public void run() { hits++; } };
            return Stream.of(new Object() { int h = 4; }).mapToInt(o -> o.h).sum() + counter.hits;
          }

          @Async
          public static Coroutine<Integer> f(int k) {
            int n = await(Aio.done(k));
            return done(n + helper());
          }
        }
        """);
    java.util.List<String> errors = c.errors().stream().map(d -> d.getLineNumber() + ": "
        + d.getMessage(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toList());
    assertEquals(2, errors.size(), errors::toString);
    assertEquals(true, errors.get(0).startsWith("12: the type of 'counter' is an anonymous class")
        && errors.get(0).contains("declare 'counter' with a named type, such as Runnable or a local class"),
        errors::toString);
    assertEquals(true, errors.get(1).startsWith("13: the type of 'o' is an anonymous class"), errors::toString);
  }

  /**
   * Found by MutationFuzzTest (seed 120212, mutant 4631): inside an anonymous class in a local class
   * that becomes a member of the machine, a field of the local class was qualified with {@code self}
   * (only the innermost class's members were left alone), which failed in generated code only.
   */
  @Test
  void membersOfEveryEnclosingLocalClassKeepTheirSimpleNames() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Nested {
          int count = 100;

          @Async
          Coroutine<Integer> f() {
            class Counter {
              int count;
              void hit() {
                new Object() { void bump() { count++; } }.bump();
              }
            }
            Counter counter = new Counter();
            counter.hit();
            await(Aio.sleep(1));
            counter.hit();
            return done(counter.count * 1000 + count);
          }
        }
        """);
    assertEquals(2100, Aio.runVirtual(Compiled.call(c.instantiate("hard.NestedAsync"), "f")));
  }

  /**
   * Found by MutationFuzzTest (seed 120212, mutant 6277): a private field whose type javac could not
   * resolve (a broken import) made the handles' class throw inside the processor; javac's own error
   * is the one to show.
   */
  @Test
  void privateMembersOfUnresolvedTypesLeaveJavacsErrorAlone() {
    com.google.testing.compile.Compilation c = Compiled.compileRaw("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.ArrayList;
        import java.utilListList;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Broken {
          private final List<String> history = new ArrayList<>();

          @Async
          Coroutine<String> f() {
            await(Aio.sleep(1));
            history.add("x");
            return done(history.toString());
          }
        }
        """);
    java.util.List<String> errors = c.errors().stream().map(d -> d.getMessage(java.util.Locale.ROOT))
        .collect(java.util.stream.Collectors.toList());
    assertEquals(false, errors.isEmpty());
    assertEquals(true, errors.stream().noneMatch(m -> m.contains("awaitj")), errors::toString);
  }

  /**
   * Issue 9 item 5: a record whose canonical constructor is written out (compact or not), in a class
   * with @Async methods, is rejected by javac's final attribution ("canonical constructor must not
   * contain explicit constructor invocation": the super() it added itself in the first). The error
   * says what to do instead, on the constructor, and is the only one; a record with other
   * constructors only compiles and runs.
   */
  @Test
  void canonicalConstructorsOfRecordsGetAClearError() {
    com.google.testing.compile.Compilation c = Compiled.compileRaw("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Records {
          record Point(int x, int y) {
            Point {
              if (x < 0) throw new IllegalArgumentException();
            }
          }

          record Size(int w, int h) {
            Size(int w, int h) {
              this.w = w;
              this.h = h;
            }
          }

          @Async
          public static Coroutine<Integer> f(int k) {
            int n = await(Aio.done(k));
            return done(n + new Point(1, 2).y() + new Size(3, 4).w());
          }
        }
        """);
    java.util.List<String> errors = c.errors().stream().map(d -> d.getLineNumber() + ": "
        + d.getMessage(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toList());
    assertEquals(2, errors.size(), errors::toString);
    assertEquals(true, errors.get(0).startsWith("11: the canonical constructor of record 'Point' cannot be"
        + " written out in a class with @Async methods"), errors::toString);
    assertEquals(true, errors.get(1).startsWith("17: the canonical constructor of record 'Size'"),
        errors::toString);

    Compiled ok = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Records {
          record Point(int x, int y) {
            Point(int x) {
              this(x, 0);
            }
          }

          @Async
          public static Coroutine<Integer> f(int k) {
            record Local(int v) {}
            int n = await(Aio.done(k));
            return done(n + new Point(1, 2).y() + new Point(5).y() + new Local(7).v());
          }
        }
        """);
    assertEquals(30, Aio.runVirtual(Compiled.call(ok.load("hard.RecordsAsync"), "f", 21)));
  }

  /**
   * Found by MutationFuzzTest (seed 120313, mutant 9360, the mutant as found): a broken {@code
   * @SuppressWarnings} (an element that does not exist) on a local made the processor throw reading
   * it; the suppressions of methods and classes are read the same way now. javac's error is the only
   * one.
   */
  @Test
  void brokenSuppressWarningsLeaveJavacsErrorAlone() {
    String broken = ANNOTATED.replace("@SuppressWarnings(value = \"unchecked\")",
        "@SuppressWarnings(io = \"unchecked\")");
    assertEquals(false, broken.equals(ANNOTATED));
    com.google.testing.compile.Compilation c = Compiled.compileRaw(broken);
    java.util.List<String> errors = c.errors().stream().map(d -> d.getMessage(java.util.Locale.ROOT))
        .collect(java.util.stream.Collectors.toList());
    assertEquals(true, errors.stream().anyMatch(m -> m.contains("missing a default value")), errors::toString);
    // javac 25 itself throws attributing this body (a NullPointerException in its Lint); the processor
    // then says so, as it does wherever javac fails inside its own attribution. No other message.
    assertEquals(true, errors.stream().filter(m -> m.contains("awaitj")).allMatch(m -> m.startsWith(
        "awaitj: javac failed while attributing this method (NullPointerException in com.sun.tools.javac.")),
        errors::toString);
  }

  /**
   * Values of an intersection type kept across an await (issue 9 item 4): a {@code var} local, its
   * copy captured by a lambda, a spilled operand, a conditional, a switch expression and an await's
   * result. Each field had the first bound's type, so a read of it chose {@code g(Object)} where the
   * source chooses {@code g(Serializable)}; reads now cast to every bound.
   */
  @Test
  void intersectionTypesKeptAcrossAnAwaitKeepEveryBound() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.io.Serializable;
        import java.util.ArrayList;
        import java.util.LinkedList;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Both {
          static String g(Serializable s) {
            return "S";
          }

          static String g(Object o) {
            return "O";
          }

          static String g2(Serializable s, int n) {
            return "S" + n;
          }

          static String g2(Object o, int n) {
            return "O" + n;
          }

          @Async
          public static Coroutine<String> pick(boolean flag, int k) {
            var list = flag ? new ArrayList<String>() : new LinkedList<String>();
            await(Aio.sleep(1));
            list.add("a");
            String r = g(list);
            Supplier<String> later = () -> g(list);
            r += g2(list, await(Aio.sleep(java.time.Duration.ofMillis(1), 2)));
            r += g(await(Aio.sleep(java.time.Duration.ofMillis(1), 3)) > 0 ? new ArrayList<String>() : new LinkedList<String>());
            r += g(switch (k) {
              case 0 -> new ArrayList<String>();
              default -> { int w = await(Aio.sleep(java.time.Duration.ofMillis(1), 4)); yield w > 0 ? new LinkedList<String>() : null; }
            });
            r += g(await(Aio.done(flag ? new ArrayList<String>() : new LinkedList<String>())));
            var other = flag ? new LinkedList<String>() : new ArrayList<String>();
            await(Aio.sleep(1));
            other = flag ? new ArrayList<String>() : new LinkedList<String>();
            r += g(other);
            return done(r + later.get() + list.size());
          }
        }
        """);
    assertEquals("SS2SSSSS1", Aio.runVirtual(Compiled.call(c.load("hard.BothAsync"), "pick", true, 1)));
  }

  /**
   * An intersection with a generic bound ({@code String} or {@code StringBuilder}: {@code Serializable
   * & CharSequence & Comparable<? extends ...>}) kept across an await and awaited: the machine's casts
   * to it are unchecked, which javac 25 reported as a warning in generated code (found by FuzzTest's
   * default run on JDK 25); the machine suppresses it, the source having no cast.
   */
  @Test
  void intersectionsWithAGenericBoundDrawNoWarningInGeneratedCode() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Generic {
          @Async
          public static Coroutine<Integer> pick(boolean flag) {
            var text = flag ? "abc" : new StringBuilder("de");
            await(Aio.sleep(1));
            int n = text.length();
            n += await(Aio.done(flag ? new StringBuilder("f") : "gh")).length();
            return done(n + text.length());
          }
        }
        """);
    assertEquals(7, Aio.runVirtual(Compiled.call(c.load("hard.GenericAsync"), "pick", true)));
  }

  /**
   * A multi-catch whose alternatives share an interface beside their class ({@code Fa | Fb}, both
   * {@code RuntimeException} and {@code Named}): javac reads the parameter as the intersection {@code
   * RuntimeException & Named}. JavacLimits took javac's model of that union (a class without a name)
   * for an anonymous class and refused every such catch in a class with {@code @Async} methods, even
   * one that no await follows (the valid program was refused); let through, a parameter kept across
   * an await was a field of the first bound, {@code e.name()} "cannot find symbol" in generated code.
   * Now the field is read through a cast to every bound, as other intersections: in the machine, in
   * the copies lambdas and classes take, in an async lambda's machine, and rethrown.
   */
  @Test
  void multiCatchOfAnIntersectionKeepsEveryBound() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Caught {
          interface Named {
            String name();
          }

          static class Fa extends RuntimeException implements Named {
            Fa() {
              super("ma");
            }

            public String name() {
              return "a";
            }
          }

          static class Fb extends RuntimeException implements Named {
            Fb() {
              super("mb");
            }

            public String name() {
              return "b";
            }
          }

          static class Ca extends Exception implements Named {
            public String name() {
              return "c";
            }
          }

          static class Cb extends Exception implements Named {
            public String name() {
              return "d";
            }
          }

          static String h(Named n) {
            return "N" + n.name();
          }

          static String h(Object o) {
            return "O";
          }

          static String plain(boolean flag) {
            try {
              if (flag) throw new Fa(); else throw new Fb();
            } catch (Fa | Fb e) {
              return h(e) + e.name();
            }
          }

          static void fail(boolean flag) throws Ca, Cb {
            if (flag) throw new Ca(); else throw new Cb();
          }

          @Async
          public static Coroutine<String> pick(boolean flag) {
            String r = plain(flag) + "/";
            Supplier<Coroutine<String>> s = null;
            try {
              if (flag) throw new Fa(); else throw new Fb();
            } catch (Fa | Fb e) {
              await(Aio.sleep(1));
              r += h(e) + e.name() + e.getMessage();
              Supplier<String> p = () -> h(e) + e.name();
              Object q = new Object() {
                @Override
                public String toString() {
                  return h(e) + e.name();
                }
              };
              class L {
                String v() {
                  return h(e) + e.name();
                }
              }
              r += p.get() + q + new L().v();
              s = () -> {
                await(Aio.sleep(1));
                return done(h(e) + e.name());
              };
            }
            r += await(s.get()) + "/";
            try {
              if (flag) throw new Fa(); else throw new Fb();
            } catch (Fa | Fb e) {
              s = () -> {
                await(Aio.sleep(1));
                Supplier<Coroutine<String>> u = () -> {
                  await(Aio.sleep(1));
                  return done(h(e) + e.name());
                };
                return done(h(e) + e.name() + await(u.get()));
              };
            }
            r += await(s.get()) + "/";
            try {
              try {
                if (flag) throw new Fa(); else throw new Fb();
              } catch (Fa | Fb e) {
                await(Aio.sleep(1));
                throw e;
              }
            } catch (Fa e) {
              r += "A";
            } catch (Fb e) {
              r += "B";
            }
            try {
              fail(flag);
            } catch (Ca | Cb e) {
              await(Aio.sleep(1));
              r += h(e) + e.name();
            }
            return done(r);
          }
        }
        """);
    Class<?> machine = c.load("hard.CaughtAsync");
    assertEquals("Naa/NaamaNaaNaaNaaNaa/NaaNaa/ANcc",
        Aio.runVirtual(Compiled.call(machine, "pick", true)));
    assertEquals("Nbb/NbbmbNbbNbbNbbNbb/NbbNbb/BNdd",
        Aio.runVirtual(Compiled.call(machine, "pick", false)));
  }

  /**
   * A value of an intersection whose class bound has wildcard arguments ({@code flag ? new
   * ArrayList<>() : new LinkedList<String>()}: {@code AbstractList<? extends Object> & Serializable &
   * Cloneable}) kept across an await, awaited, or held by a conditional that awaits: no cast to it
   * compiles (see {@code HostileRegressionTest.intersectionWithAWildcardClassBoundHasNoCastJavacAccepts}),
   * so the machine refused it ("an intersection of types with wildcards"). It now reads the field
   * through a view, a member class whose type variables stand for the wildcards and the
   * intersection, captured at each read: the overloads are the source's ({@code g(Serializable)},
   * not {@code k(List<Object>)}), the members too ({@code subList}), in the machine and in an async
   * lambda's.
   */
  @Test
  void intersectionWithAWildcardClassBoundReadThroughAView() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.io.Serializable;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.LinkedList;
        import java.util.List;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Viewed {
          static String g(Serializable s) {
            return "S";
          }

          static String g(Object o) {
            return "O";
          }

          static String k(List<Object> l) {
            return "L";
          }

          static String k(Object o) {
            return "O";
          }

          static <T> T id(T t) {
            return t;
          }

          @Async
          public static Coroutine<String> pick(boolean flag) {
            String r = g(await(Aio.done(flag ? new ArrayList<>() : new LinkedList<String>())));
            r += k(await(Aio.done(flag ? new ArrayList<>() : new LinkedList<String>())));
            r += await(Aio.done(flag ? new ArrayList<>() : new LinkedList<String>())).subList(0, 0).size();
            r += g(id(await(Aio.done(flag ? new ArrayList<Integer>() : new LinkedList<Number>()))));
            r += g(switch (r.length()) {
              case 0 -> new ArrayList<>();
              default -> {
                int w = await(Aio.sleep(Duration.ofMillis(1), 4));
                yield w > 0 ? new LinkedList<String>() : new ArrayList<>();
              }
            });
            Supplier<Coroutine<String>> s = () -> {
              String t = g(await(Aio.done(flag ? new ArrayList<>() : new LinkedList<String>())));
              return done(t + k(await(Aio.done(flag ? new LinkedList<>() : new ArrayList<String>()))));
            };
            return done(r + await(s.get()));
          }
        }
        """);
    assertEquals(true, c.generatedSource("hard.ViewedAsync_pick").contains("View$1.VIEW.of("));
    Class<?> machine = c.load("hard.ViewedAsync");
    assertEquals("SO0SSSO", Aio.runVirtual(Compiled.call(machine, "pick", true)));
    assertEquals("SO0SSSO", Aio.runVirtual(Compiled.call(machine, "pick", false)));
  }

  /**
   * A {@code var} whose inferred type is an intersection with a class bound that has wildcards, in
   * any method of a class with {@code @Async} methods: javac, having attributed the class during
   * processing, rejected that type in its second attribution with an error at no line ("subList(int,int)
   * in AbstractList cannot implement subList(int,int) in List", JDK 17 and 25). JavacLimits now says
   * so on the variable, the only error.
   */
  @Test
  void varOfAnIntersectionWithAWildcardClassBoundGetsAClearError() {
    com.google.testing.compile.Compilation c = Compiled.compileRaw("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.ArrayList;
        import java.util.LinkedList;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Wild {
          static int plain(boolean flag) {
            var list = flag ? new ArrayList<>() : new LinkedList<String>();
            return list.size();
          }

          @Async
          public static Coroutine<Integer> f(boolean flag) {
            await(Aio.sleep(1));
            return done(plain(flag));
          }
        }
        """);
    java.util.List<String> errors = c.errors().stream().map(d -> d.getLineNumber() + ": "
        + d.getMessage(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toList());
    assertEquals(1, errors.size(), errors::toString);
    assertEquals(true, errors.get(0).startsWith("13: the type of 'list' is ")
        && errors.get(0).contains("an intersection whose class bound has wildcards, which javac cannot"
            + " compile in a class with @Async methods")
        && errors.get(0).contains("declare 'list' with a named type, such as AbstractList<?>"),
        errors::toString);
  }

  /**
   * A value whose type javac infers with an intersection nested in a wildcard's bound ({@code flag ?
   * List.of(1) : List.of(2L)}: {@code List<? extends Number & Comparable<? extends Number &
   * Comparable<?> & ...> & ...>}), kept across an await: its field had the first bound's type, {@code
   * List<? extends Number>}, so {@code Comparable<?> c = list.get(0)} was "incompatible types" in the
   * generated machine only.
   */
  @Test
  void nestedIntersectionInAWildcardBoundKeepsEveryBound() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Nested {
          @Async
          public static Coroutine<String> pick(boolean flag) {
            var list = flag ? List.of(1) : List.of(2L);
            await(Aio.sleep(0));
            Comparable<?> c = list.get(0);
            return done(String.valueOf(c));
          }
        }
        """);
    Class<?> machine = c.load("hard.NestedAsync");
    assertEquals("1", Aio.runVirtual(Compiled.call(machine, "pick", true)));
    assertEquals("2", Aio.runVirtual(Compiled.call(machine, "pick", false)));
  }

  /**
   * The same type where the first bound alone picks another overload: {@code f(list.get(0))} chooses
   * {@code f(Comparable<?>)} in the source (the element is a Number and a Comparable) and chose {@code
   * f(Object)} in the machine, whose field was a {@code List<? extends Number>}: a program that
   * compiled and behaved otherwise than its source. The machine must agree with the same code run
   * as a plain method.
   */
  @Test
  void nestedIntersectionInAWildcardBoundPicksTheSourcesOverload() throws ReflectiveOperationException {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Overloaded {
          static String f(Object o) {
            return "O";
          }

          static String f(Comparable<?> c) {
            return "C";
          }

          public static String plain(boolean flag) {
            var list = flag ? List.of(1) : List.of(2L);
            return f(list.get(0)) + list.size();
          }

          @Async
          public static Coroutine<String> pick(boolean flag) {
            var list = flag ? List.of(1) : List.of(2L);
            await(Aio.sleep(0));
            return done(f(list.get(0)) + list.size());
          }
        }
        """);
    Class<?> user = c.load("hard.Overloaded");
    Class<?> machine = c.load("hard.OverloadedAsync");
    for (boolean flag : new boolean[] {true, false}) {
      assertEquals(user.getMethod("plain", boolean.class).invoke(null, flag),
          Aio.runVirtual(Compiled.call(machine, "pick", flag)));
    }
  }

  /**
   * The neighbours of {@link #nestedIntersectionInAWildcardBoundPicksTheSourcesOverload}, each kept
   * across an await and compared with the same code run as a plain method: a nested bound two levels
   * deep ({@code Map<String, ? extends List<? extends Number & Comparable<...>>>}), an array of an
   * intersection ({@code flag ? new Integer[] {3} : new Long[] {4L}}, a field of {@code Number[]}), an
   * intersection as a type argument ({@code new ArrayList<>(List.of(7, 8L))}, to which the machine
   * still adds), a generic method's inferred result, a variable assigned again after the await, a
   * copy a lambda takes, a for-each variable, an awaited value and a multi-catch of alternatives that
   * are each {@code Comparable} of themselves (the bound {@code Comparable<? extends RuntimeException &
   * Comparable<?>>}). Each read goes through a view, {@code View$n.view().of(field)}, and the overloads
   * are the source's; with first bounds {@code f(array[0])}, {@code k(list)} and others chose {@code
   * Object}'s overload.
   */
  @Test
  void nestedIntersectionsEverywhereKeepEveryBound() throws ReflectiveOperationException {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.Map;
        import java.util.function.Function;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Deep {
          static String f(Object o) {
            return "O";
          }

          static String f(Comparable<?> c) {
            return "C";
          }

          static String k(List<? extends Comparable<?>> l) {
            return "L";
          }

          static String k(Object o) {
            return "O";
          }

          static <T> T first(List<T> l) {
            return l.get(0);
          }

          @SuppressWarnings("serial")
          static final class Fa extends RuntimeException implements Comparable<Fa> {
            public int compareTo(Fa o) {
              return 0;
            }
          }

          @SuppressWarnings("serial")
          static final class Fb extends RuntimeException implements Comparable<Fb> {
            public int compareTo(Fb o) {
              return 0;
            }
          }

          public static String plain(boolean flag) {
            var map = flag ? Map.of("a", List.of(1)) : Map.of("a", List.of(2L));
            var array = flag ? new Integer[] {3} : new Long[] {4L};
            var list = flag ? List.of(5) : List.of(6L);
            var mixed = new ArrayList<>(List.of(7, 8L));
            var one = first(flag ? List.of(9) : List.of(10L));
            String r = f(map.get("a").get(0)) + k(map.get("a")) + f(array[0]) + k(list) + f(one) + f(mixed.get(0));
            list = flag ? List.of(11) : List.of(12L);
            mixed.add(13);
            var kept = list;
            Supplier<String> later = () -> f(kept.get(0)) + k(kept);
            for (var e : list) {
              r += f(e) + e;
            }
            r += f(mixed.get(2)) + later.get();
            r += f(first(flag ? List.of(1) : List.of(2L)));
            try {
              if (flag) throw new Fa(); else throw new Fb();
            } catch (Fa | Fb e) {
              r += f(e);
            }
            return r;
          }

          @Async
          public static Coroutine<String> pick(boolean flag) {
            var map = flag ? Map.of("a", List.of(1)) : Map.of("a", List.of(2L));
            var array = flag ? new Integer[] {3} : new Long[] {4L};
            var list = flag ? List.of(5) : List.of(6L);
            var mixed = new ArrayList<>(List.of(7, 8L));
            var one = first(flag ? List.of(9) : List.of(10L));
            await(Aio.sleep(0));
            String r = f(map.get("a").get(0)) + k(map.get("a")) + f(array[0]) + k(list) + f(one) + f(mixed.get(0));
            list = flag ? List.of(11) : List.of(12L);
            mixed.add(await(Aio.done(13)));
            var kept = list;
            Supplier<String> later = () -> f(kept.get(0)) + k(kept);
            for (var e : list) {
              await(Aio.sleep(0));
              r += f(e) + e;
            }
            r += f(mixed.get(2)) + later.get();
            r += f(await(Aio.done(first(flag ? List.of(1) : List.of(2L)))));
            try {
              if (flag) throw new Fa(); else throw new Fb();
            } catch (Fa | Fb e) {
              await(Aio.sleep(0));
              r += f(e);
            }
            return done(r);
          }
        }
        """);
    assertEquals(true, c.generatedSource("hard.DeepAsync_pick").contains(".view().of("));
    Class<?> user = c.load("hard.Deep");
    Class<?> machine = c.load("hard.DeepAsync");
    for (boolean flag : new boolean[] {true, false}) {
      assertEquals(user.getMethod("plain", boolean.class).invoke(null, flag),
          Aio.runVirtual(Compiled.call(machine, "pick", flag)));
    }
  }

  /**
   * An intersection whose class bound has wildcards with an intersection inside their bound ({@code
   * flag ? new ArrayList<>(List.of(1)) : new LinkedList<>(List.of(2L))}: {@code AbstractList<? extends
   * Number & Comparable<...> & ...> & Serializable & Cloneable}), awaited: the view of {@link
   * #intersectionWithAWildcardClassBoundReadThroughAView} captured {@code ? extends Number}, the first
   * bound only, and {@code f(...get(0))} chose {@code f(Object)} where the source chooses {@code
   * f(Comparable<?>)}; its {@code view()} now has javac infer the nested intersections first.
   */
  @Test
  void nestedIntersectionInAWildcardClassBoundKeepsEveryBound() throws ReflectiveOperationException {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.io.Serializable;
        import java.util.*;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Wc {
          static String f(Object o) { return "O"; }
          static String f(Comparable<?> c) { return "C"; }
          static String g(Serializable s) { return "S"; }
          static String g(Object o) { return "O"; }

          public static String plain(boolean flag) {
            return f((flag ? new ArrayList<>(List.of(1)) : new LinkedList<>(List.of(2L))).get(0))
                + g(flag ? new ArrayList<>(List.of(1)) : new LinkedList<>(List.of(2L)))
                + (flag ? new ArrayList<>(List.of(1)) : new LinkedList<>(List.of(2L))).subList(0, 1).size();
          }

          @Async
          public static Coroutine<String> pick(boolean flag) {
            String r = f(await(Aio.done(flag ? new ArrayList<>(List.of(1)) : new LinkedList<>(List.of(2L)))).get(0));
            r += g(await(Aio.done(flag ? new ArrayList<>(List.of(1)) : new LinkedList<>(List.of(2L)))));
            r += await(Aio.done(flag ? new ArrayList<>(List.of(1)) : new LinkedList<>(List.of(2L)))).subList(0, 1).size();
            return done(r);
          }
        }
        """);
    Class<?> user = c.load("hard.Wc");
    Class<?> machine = c.load("hard.WcAsync");
    for (boolean flag : new boolean[] {true, false}) {
      assertEquals(user.getMethod("plain", boolean.class).invoke(null, flag),
          Aio.runVirtual(Compiled.call(machine, "pick", flag)));
    }
  }

  /**
   * What {@code DiagnosticsTest.lambdaParameterOfACapturedWildcardType} tells to write compiles and
   * runs: lambdas over a {@code List<? extends Number>} with their parameters' types written, in a
   * plain method and in an {@code @Async} body, before and after an await.
   */
  @Test
  void lambdaParametersOverAWildcardListWithTheirTypesWritten() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.List;
        import java.util.function.Function;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Typed {
          static <T> int apply(T t, Function<T, Integer> f) {
            return f.apply(t);
          }

          static int plain(List<? extends Number> list) {
            return apply(list, (List<? extends Number> l) -> l.size());
          }

          @Async
          public static Coroutine<Integer> sum(List<? extends Number> list) {
            int[] total = {plain(list)};
            list.forEach((Number e) -> total[0] += e.intValue());
            await(Aio.sleep(0));
            list.forEach((Number e) -> total[0] += e.intValue());
            return done(total[0] + list.stream().mapToInt((Number e) -> e.intValue()).sum());
          }
        }
        """);
    assertEquals(2 + 3 + 3 + 3, Aio.runVirtual(Compiled.call(c.load("hard.TypedAsync"), "sum", List.of(1, 2L))));
  }

  /**
   * Found by MutationFuzzTest, seed 360011 (ExceptionsTest's Fetcher with 'e' renamed 'Coroutine'): a
   * catch parameter named as a type the machine names in code of its own became a field of that name
   * (locals and parameters take a '$' more when capitalised; catch parameters did not), which hid
   * io.awaitj.Coroutine in the machine's 'Coroutine.declaring(FetcherAsync.fetch(true), ...)': an
   * error only in generated code. Its neighbour (a capitalised local always takes a field with a '$'
   * more): a lambda's parameter named Coroutine in scope of that call, now the inherited
   * 'declaring(...)'. (An async lambda's parameter named Integer, around the boxing of a direct call's
   * primitive result, 'Integer.valueOf(...)', is a field 'Integer$' of its machine: no neighbour.)
   */
  @Test
  void namesOfTypesTheMachineWritesDoNotHideThem() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import io.awaitj.Task;
        import java.io.IOException;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Caps {
          @Async
          static Coroutine<String> checked(boolean fail) throws IOException {
            await(Aio.sleep(0));
            if (fail) {
              throw new IOException("io");
            }
            return done("ok");
          }

          @Async
          static Coroutine<Integer> next(int x) {
            return done(x + 1);
          }

          @Async
          static Coroutine<String> run(boolean fail) {
            String r = "";
            Task<String> t;
            try {
              t = Aio.createTask(checked(fail));
            } catch (IOException Coroutine) {
              return done("created " + Coroutine.getMessage());
            }
            try {
              r += await(t, IOException.class);
            } catch (IOException Coroutine) {
              r += "caught " + Coroutine.getMessage() + await(Aio.sleep(java.time.Duration.ZERO, "!"));
            }
            return done(r + await(local()) + await(boxes()));
          }

          @Async
          static Coroutine<String> local() {
            await(Aio.sleep(0));
            String c = " c ";
            Task<String> u;
            try {
              u = Aio.createTask(checked(false));
            } catch (IOException e) {
              return done("no");
            }
            java.util.function.Function<String, String> f = Coroutine -> {
              try {
                Aio.createTask(checked(false)).cancel();
              } catch (IOException e) {
                return "no";
              }
              return Coroutine + "!";
            };
            return done(c + u.isDone() + f.apply(" f"));
          }

          @Async
          static Coroutine<String> boxes() {
            await(Aio.sleep(0));
            Object boxed = await(next(41));
            java.util.function.Function<Object, Coroutine<String>> g = Integer -> {
              Object again = await(next(1));
              return done(" " + again + Integer);
            };
            return done(" " + boxed + await(g.apply(" g")));
          }
        }
        """);
    Class<?> machine = c.load("hard.CapsAsync");
    assertEquals("ok c false f! 42 2 g", Aio.runVirtual(Compiled.call(machine, "run", false)));
    assertEquals("caught io! c false f! 42 2 g", Aio.runVirtual(Compiled.call(machine, "run", true)));
  }

  /**
   * Found by MutationFuzzTest, seed 360012 (an invalid mutant, 'T x = await(Aio.sleep(ZERO, x))', whose
   * machine had an error of its own beside javac's), and its valid neighbour: a local whose
   * initializer awaits and assigns the local itself ('int x = (x = 3) + await(one())', which Java
   * allows) stayed a Java local, declared in the state after the await, while the initializer's state
   * before it assigned x: "cannot find symbol" in the generated machine only. Such a local is now a
   * field.
   */
  @Test
  void aLocalAssignedInItsOwnAwaitingInitializer() {
    Compiled c = Compiled.compile("""
        package hard;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class SelfInit {
          @Async
          static Coroutine<Integer> one() {
            await(Aio.sleep(0));
            return done(1);
          }

          @Async
          static Coroutine<Integer> f() {
            int x = (x = 3) + await(one()) + x;
            return done(x);
          }

          @Async
          static Coroutine<String> g() {
            String s = (s = "a") + await(one());
            await(Aio.sleep(0));
            return done(s);
          }
        }
        """);
    Class<?> machine = c.load("hard.SelfInitAsync");
    assertEquals(7, Aio.runVirtual(Compiled.call(machine, "f")));
    assertEquals("a1", Aio.runVirtual(Compiled.call(machine, "g")));
  }
}
