package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import org.junit.jupiter.api.Test;

/**
 * Local classes of a body that awaits become member types of its machine, written by JavaPoet from
 * javac's view of each declaration (not as text moved out of a method): every kind of class and
 * member, the order in which fields are initialized, and names of member classes of local classes.
 */
class HoistedLocalClassesTest {
  private static final String HEADER = """
      package demo;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.util.ArrayList;
      import java.util.List;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      """;

  @Test
  void everyKindOfLocalClassAndMemberKeepsItsMeaning() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          private int secret = 7;
          @Async public Coroutine<String> run(int base) {
            int captured = base * 2;
            /** A point. */
            record Point(int x, int y, String[] tags) {
              static int made = 0;
              Point(int x) { this(x, 0, new String[] {"one"}); }
              int sum() { return x + y + tags.length; } // the sum
            }
            enum Color {
              RED(1) { @Override int weight() { return 10; } },
              GREEN(2),
              BLUE(3);
              private final int w;
              Color(int w) { this.w = w; }
              int weight() { return w; }
            }
            interface Shape<T extends Comparable<T>> {
              int SIDES = 4;
              T size();
              default String describe() { return "shape " + size() + helper(); }
              private String helper() { return "/" + SIDES; }
              static <U extends Comparable<U>> Shape<U> of(U u) { return () -> u; }
              enum Kind { ROUND, SQUARE }
            }
            abstract class Counter implements Shape<Integer> {
              int n = captured;
              final List<String> log = new ArrayList<>();
              Counter() { log.add("made"); }
              Counter(int extra) {
                this();
                n += extra;
              }
              @SuppressWarnings({"unchecked", "rawtypes"})
              final <E extends CharSequence> void add(final E... items) throws Exception {
                for (E s : items) {
                  log.add(s.toString() + secret);
                }
              }
              public Integer size() { return n; }
              class Inner { int twice() { return n * 2; } }
              abstract int abs();
            }
            Counter c = new Counter(3) { int abs() { return 1; } };
            await(Aio.sleep(1));
            Point p = new Point(1, 2, new String[] {"a", "b"});
            Color k = Color.RED;
            try { c.add("a", "b"); } catch (Exception e) { throw new RuntimeException(e); }
            Counter.Inner in = c.new Inner();
            Shape.Kind kind = Shape.Kind.SQUARE;
            await(Aio.sleep(1));
            return done(p.sum() + " " + new Point(5).sum() + " " + k.weight() + " " + Color.GREEN.weight()
                + " " + c.size() + " " + c.log + " " + in.twice() + " " + Shape.of("z").describe() + " "
                + c.abs() + " " + kind);
          }
        }
        """);
    assertEquals("5 6 10 2 13 [made, a7, b7] 26 shape z/4 1 SQUARE",
        Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "run", 5)));
    String machine = c.generatedSource("demo.DemoAsync_run");
    assertFalse(machine.contains("localClasses$"), machine);
    // Member types of the machine, written as declarations (with the javadoc and the annotations).
    assertTrue(machine.contains("     * A point.\n     */\n    record Point(int x, int y, String[] tags) {"),
        machine);
    assertTrue(machine.contains("    enum Color {\n        RED(1) {\n            @Override\n"), machine);
    assertTrue(machine.contains("@SuppressWarnings({\"unchecked\", \"rawtypes\"})\n"
        + "        final <E extends CharSequence> void add(final E... items) throws Exception {"), machine);
  }

  /** A member class of a local class, as the type of a local: it compiled into a machine that threw. */
  @Test
  void memberClassOfALocalClassAsTheTypeOfALocal() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          @Async public static Coroutine<Integer> run() {
            class Outer { class Inner { int v = 20; } static class Nested { int v = 1; } }
            Outer.Inner in = new Outer().new Inner();
            Outer.Nested n = new Outer.Nested();
            await(Aio.sleep(1));
            return done(in.v + n.v);
          }
          @Async public <T> Coroutine<Integer> generic(T t) {
            class Box { T value = t; class Part { int size() { return String.valueOf(value).length(); } } }
            Box.Part part = new Box().new Part();
            await(Aio.sleep(1));
            return done(part.size());
          }
        }
        """);
    assertEquals(21, Aio.runVirtual(Compiled.call(c.load("demo.DemoAsync"), "run")));
    assertEquals(5, Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "generic", "hello")));
  }

  /**
   * JavaPoet writes fields before initializer blocks: a field initialized after a block keeps its
   * place in the order of initialization (its initializer moves into the blocks), a constant keeps
   * its initializer, and an array initializer stays valid.
   */
  @Test
  void fieldsInitializedAfterAnInitializerBlockKeepTheirOrder() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          @Async public static Coroutine<String> run() {
            class Order {
              static StringBuilder trace = new StringBuilder("s");
              static { trace.append("1"); }
              static String late = trace.append("2").toString();
              int a = 1;
              { a = a * 10; }
              int b = a + 1;
              final int[] c = {b, b};
              static final int K = 3;
              final String k = "k" + K;
              { b = b * 2; }
              int d = b;
            }
            await(Aio.sleep(1));
            Order o = new Order();
            return done(Order.late + " " + o.a + " " + o.b + " " + o.c[1] + " " + o.d + " " + o.k);
          }
        }
        """);
    assertEquals("s12 10 22 11 22 k3", Aio.runVirtual(Compiled.call(c.load("demo.DemoAsync"), "run")));
  }

  /**
   * A local class named like a type variable of the machine (the class's {@code T}, the method's {@code
   * U}) would hide it in the whole machine, whose fields and constructor are written with it ("cannot
   * infer type arguments for DemoAsync_f<>"); one named like the machine's own {@code Access} clashed
   * with it, and one named {@code state} was refused. Each is renamed in the machine ({@code T$}), and
   * the type variable keeps its meaning before the class is declared.
   */
  @Test
  void localClassesNamedLikeTypeVariablesOrTypesOfTheMachine() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo<T> {
          private int calls;
          @Async <U> Coroutine<String> f(T t, U u) {
            T first = t;
            class T {
              int count;
              String name(int i) { calls++; count++; return "n" + i; }
              T self() { return this; }
            }
            class U { final Object held; U(Object held) { this.held = held; } }
            class Access { static String of(Object o) { return "<" + o + ">"; } }
            class state { int value = 4; }
            T counter = new T();
            String a = counter.self().name(1);
            await(Aio.sleep(1));
            U late = new U(u);
            await(Aio.sleep(1));
            return done(first + " " + a + " " + counter.count + " " + calls + " " + Access.of(late.held)
                + " " + new state().value);
          }
        }
        """);
    assertEquals("t n1 1 1 <u> 4", Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "f", "t", "u")));
    String machine = c.generatedSource("demo.DemoAsync_f");
    assertTrue(machine.contains("class DemoAsync_f<T, U> "), machine);
    assertTrue(machine.contains("class T$ {"), machine);
  }

  /**
   * A variable the body's lambdas or classes can see, named like the machine's reference to the user
   * object ({@code self}): a field of a local class, a lambda's parameter, a local of a lambda, a field an
   * anonymous class inherits. The machine read members of the user's class through it ("List<String>
   * cannot be converted to Demo", or the wrong value); its reference takes another name.
   */
  @Test
  void variablesNamedSelfInTheBodysLambdasAndClasses() {
    Compiled c = Compiled.compile(HEADER + """
        public abstract class Demo {
          private int secret = 7;
          int shown = 3;
          static class Base { String self = "base"; }
          @Async public Coroutine<String> run() {
            class Log {
              final List<String> self = new ArrayList<>();
              void add(String s) { self.add(s + secret + shown); }
            }
            Log log = new Log();
            log.add("a");
            java.util.function.Function<String, String> f = self -> self + secret + shown;
            Base b = new Base() { @Override public String toString() { return self + secret + shown; } };
            java.util.function.Supplier<String> g = () -> { String self = "g"; return self + shown; };
            await(Aio.sleep(1));
            log.add("b");
            return done(log.self + " " + f.apply("f") + " " + b + " " + g.get());
          }
        }
        """);
    assertEquals("[a73, b73] f73 base73 g3", Aio.runVirtual(Compiled.call(c.instantiate("demo.DemoAsync"), "run")));
  }
}
