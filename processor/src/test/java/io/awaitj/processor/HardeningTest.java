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
  /**
   * An annotation with an argument on a local, a loop variable, a catch parameter, a resource or a
   * lambda parameter, and a type annotation with an argument: javac names the single element of
   * {@code @A("x")} ({@code value}), which the analysis took for an instance member used in a static
   * method, and gave up on the body silently. The suppression on a local that becomes a field reaches
   * the machine (its assignment moves away from the annotation).
   */
  @Test
  void annotationsWithArgumentsOnLocalsInStaticAndInstanceMethods() {
    Compiled c = Compiled.compile("""
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
        """);
    assertEquals(2 + 2 + 10 + 100 + 1,
        Aio.runVirtual(Compiled.call(c.load("hard.AnnotatedAsync"), "statics", List.of("a", "bc"))));
    assertEquals(3, Aio.runVirtual(Compiled.call(c.instantiate("hard.AnnotatedAsync"), "instance",
        List.of("a", "bc"))));
  }
}
