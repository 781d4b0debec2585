package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.awaitj.Aio;
import org.junit.jupiter.api.Test;

/** Switches with patterns (Java 21+ sources): run only where javac is 21 or later. */
class PatternSwitchTest {
  @Test
  void patternSwitchesWithAwaits() {
    assumeTrue(Runtime.version().feature() >= 21, "pattern switches need Java 21");
    Compiled c = Compiled.compile("""
        package pat;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public final class Shapes {
          private Shapes() {}

          public sealed interface Shape permits Circle, Square, Pair {}
          public record Circle(double r) implements Shape {}
          public record Square(double side) implements Shape {}
          public record Pair(Shape a, Shape b) implements Shape {}

          @Async
          static Coroutine<String> describe(Shape s) {
            String kind;
            switch (s) {
              case Circle c when c.r() > 10 -> kind = "big circle " + await(Aio.done(c.r()));
              case Circle c -> {
                double r = await(Aio.done(c.r()));
                kind = "circle " + r;
              }
              case Square(double side) -> kind = "square " + await(Aio.done(side));
              case Pair(Circle a, var b) -> kind = "pair of circle " + a.r() + " and " + await(describe(b));
              case Pair p -> kind = "pair";
            }
            String size = switch (s) {
              case Circle c -> await(Aio.done(c.r() > 1 ? "large" : "small"));
              case Square q -> "square";
              default -> {
                await(Aio.sleep(1));
                yield "other";
              }
            };
            return done(kind + " (" + size + ")");
          }

          @Async
          public static Coroutine<String> all() {
            return done(await(describe(new Circle(20))) + "; " + await(describe(new Circle(0.5)))
                + "; " + await(describe(new Square(2))) + "; "
                + await(describe(new Pair(new Circle(1), new Square(3)))) + "; "
                + await(describe(new Pair(new Square(1), new Square(3)))));
          }
        }
        """);
    assertEquals("big circle 20.0 (large); circle 0.5 (small); square 2.0 (square); "
            + "pair of circle 1.0 and square 3.0 (square) (other); pair (other)",
        Aio.runVirtual(Compiled.call(c.load("pat.ShapesAsync"), "all")));
  }

  /**
   * Issue 9 item 3: a switch expression with patterns whose block arm awaits and then yields compiled
   * into a machine that threw: copying a case's pattern label walked the case's body too, and its
   * yield looked for a switch expression not yet entered.
   */
  @Test
  void patternSwitchExpressionArmThatAwaitsThenYields() {
    assumeTrue(Runtime.version().feature() >= 21, "pattern switches need Java 21");
    Compiled c = Compiled.compile("""
        package pat;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public final class Yields {
          private Yields() {}

          @Async
          static Coroutine<Integer> f(Object x) {
            int r = switch (x) {
              case String s -> {
                int t = await(Aio.done(s.length()));
                yield t;
              }
              case Integer i -> i;
              default -> 0;
            };
            return done(r);
          }
        }
        """);
    assertEquals(3, Aio.runVirtual(Compiled.call(c.load("pat.YieldsAsync"), "f", "abc")));
    assertEquals(7, Aio.runVirtual(Compiled.call(c.load("pat.YieldsAsync"), "f", 7)));
  }
}
