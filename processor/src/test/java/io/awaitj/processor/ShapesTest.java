package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shapes of classes and methods @Async supports: generic classes and methods, interface methods
 * implemented by @Async methods, overriding, static methods of records, enums and interfaces, nested
 * classes, varargs.
 */
class ShapesTest {
  @Test
  void genericClassesAndMethods() {
    Compiled c = Compiled.compile("""
        package shapes;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.Function;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Box<T extends Comparable<T>> {
          final List<T> items = new ArrayList<>();

          @Async
          Coroutine<T> max() {
            T best = null;
            for (T item : items) {
              T seen = await(Aio.sleep(java.time.Duration.ofMillis(1), item));
              if (best == null || seen.compareTo(best) > 0) {
                best = seen;
              }
            }
            return done(best);
          }

          @Async
          <R> Coroutine<List<R>> map(Function<? super T, ? extends R> f) {
            List<R> out = new ArrayList<>();
            for (T item : items) {
              out.add(await(Aio.done(f.apply(item))));
            }
            return done(out);
          }

          @SafeVarargs
          @Async
          static <E> Coroutine<Integer> count(E... elements) {
            int n = 0;
            for (E e : elements) {
              await(Aio.sleep(0));
              n++;
            }
            return done(n);
          }
        }
        """);
    @SuppressWarnings("unchecked")
    Object box = c.instantiate("shapes.BoxAsync");
    try {
      @SuppressWarnings("unchecked")
      java.lang.reflect.Field f = box.getClass().getSuperclass().getDeclaredField("items");
      f.setAccessible(true);
      List<Object> items = (List<Object>) f.get(box);
      items.addAll(List.of("pear", "zucchini", "apple"));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    assertEquals("zucchini", Aio.runVirtual(Compiled.call(box, "max")));
    assertEquals(List.of(4, 8, 5),
        Aio.runVirtual(Compiled.call(box, "map", (java.util.function.Function<String, Integer>) String::length)));
    assertEquals(3, Aio.runVirtual(Compiled.call(c.load("shapes.BoxAsync"), "count", (Object) new Object[] {1, 2, 3})));
  }

  @Test
  void interfacesOverridesAndStaticsOfEveryKind() {
    Compiled c = Compiled.compile("""
        package shapes;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public interface Greeter {
          Coroutine<String> greet(String name);

          @Async
          static Coroutine<String> twice(Greeter g, String name) {
            return done(await(g.greet(name)) + " " + await(g.greet(name)));
          }
        }
        """, """
        package shapes;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Polite implements Greeter {
          @Async
          @Override
          public Coroutine<String> greet(String name) {
            await(Aio.sleep(5));
            return done("Hello, " + name + suffix());
          }

          String suffix() {
            return ".";
          }

          public static abstract class Loud extends Polite {
            @Async
            @Override
            public Coroutine<String> greet(String name) {
              String polite = await(new PoliteAsync() {}.greet(name));
              return done(polite.toUpperCase());
            }
          }
        }
        """, """
        package shapes;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public record Point(int x, int y) {
          @Async
          static Coroutine<Integer> sum(Point p) {
            return done(await(Aio.done(p.x())) + p.y());
          }
        }
        """, """
        package shapes;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public enum Color {
          RED, GREEN;

          @Async
          static Coroutine<String> describe(Color c) {
            switch (c) {
              case RED:
                await(Aio.sleep(1));
                return done("warm");
              default:
                return done("cool");
            }
          }
        }
        """);
    Object polite = c.instantiate("shapes.PoliteAsync");
    assertEquals("Hello, Ann. Hello, Ann.",
        Aio.runVirtual(Compiled.call(c.load("shapes.GreeterAsync"), "twice", polite, "Ann")));
    Object loud = c.instantiate("shapes.Polite_LoudAsync");
    assertEquals("HELLO, BO.", Aio.runVirtual(Compiled.call(loud, "greet", "Bo")));
    Object point = newRecord(c.load("shapes.Point"), 3, 4);
    assertEquals(7, Aio.runVirtual(Compiled.call(c.load("shapes.PointAsync"), "sum", point)));
    Object red = c.load("shapes.Color").getEnumConstants()[0];
    assertEquals("warm", Aio.runVirtual(Compiled.call(c.load("shapes.ColorAsync"), "describe", red)));
  }

  private static Object newRecord(Class<?> type, int x, int y) {
    try {
      return type.getDeclaredConstructor(int.class, int.class).newInstance(x, y);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void extendingATemplateClassInsteadOfItsAsyncIsAnError() {
    com.google.testing.compile.Compilation c = Compiled.compileRaw("""
        package shapes;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.done;

        public abstract class Base {
          @Async
          Coroutine<String> name() {
            return done("base");
          }
        }
        """, """
        package shapes;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.done;

        public abstract class Wrong extends Base {
          @Async
          Coroutine<String> other() {
            return done("other");
          }
        }
        """, """
        package shapes;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.done;

        public abstract class Right extends BaseAsync {
          @Async
          Coroutine<String> other() {
            return done("other");
          }
        }
        """);
    com.google.testing.compile.CompilationSubject.assertThat(c)
        .hadErrorContaining("Wrong extends Base, whose @Async method name() is a template that never"
            + " runs as written: extend the generated BaseAsync instead");
    assertEquals(1, c.errors().size(), c.errors().toString());
  }
}
