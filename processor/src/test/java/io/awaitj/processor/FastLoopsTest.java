package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Execution tests of the loops that run inline in their head's case (emit.LoopCases): for, while,
 * do/while and async for loops whose awaits complete at once on most turns and suspend on some (a
 * yield), left by their end, a break, a return and an exception, nested; the values they compute
 * must be the same whichever way each turn went. An async for's generator records its close.
 */
class FastLoopsTest {
  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.AsyncGenerator;
        import io.awaitj.AsyncIterator;
        import io.awaitj.Coroutine;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;
        import static io.awaitj.Aio.emit;
        import static io.awaitj.Aio.finish;

        public class Fast {
          public static final List<String> log = new ArrayList<>();

          /** i, at once, or after a yield (the await suspends) on every {@code every}-th turn. */
          static Coroutine<Integer> value(int i, int every) {
            return every > 0 && i % every == every - 1 ? Aio.sleep(Duration.ZERO, i) : Aio.done(i);
          }

          @Async
          public static Coroutine<String> carried(int n, int every) {
            long sum = 0;
            long mix = 1;
            int last = -1;
            for (int i = 0; i < n; i++) {
              int v = await(value(i, every));
              sum += v;
              mix = mix * 31 + v;
              last = v;
            }
            return done(sum + " " + mix + " " + last);
          }

          @Async
          public static Coroutine<String> leaves(int n, int stopAt, int how, int every) {
            long sum = 0;
            int i = 0;
            try {
              while (i < n) {
                sum += await(value(i, every));
                i++;
                if (i == stopAt) {
                  if (how == 0) {
                    break;
                  }
                  if (how == 1) {
                    return done("returned " + sum + " at " + i);
                  }
                  throw new IllegalStateException("thrown");
                }
              }
            } catch (IllegalStateException e) {
              return done("caught " + sum + " at " + i);
            }
            return done("left " + sum + " at " + i);
          }

          @Async
          public static Coroutine<String> nested(int n, int every) {
            long total = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
              long row = 0;
              for (int j = 0; j <= i; j++) {
                row += await(value(j, every));
                count++;
              }
              total = total * 7 + row;
            }
            return done(total + " " + count);
          }

          @Async
          public static Coroutine<String> doWhile(int n, int every) {
            long sum = 0;
            int i = 0;
            do {
              sum += await(value(i, every));
              i++;
            } while (i < n);
            return done(sum + " " + i);
          }

          @Async
          public static AsyncGenerator<Integer> gen(int n, int every) {
            int i = 0;
            try {
              for (; i < n; i++) {
                if (every > 0 && i % every == every - 1) {
                  await(Aio.sleep(0));
                }
                emit(i);
              }
            } finally {
              log.add("gen finally at " + i);
            }
            return finish();
          }

          /** Consumes gen(n, every); at the stopAt-th element leaves by a break (how 0), a return (1), a throw (2). */
          @Async
          public static Coroutine<String> consume(int n, int every, int stopAt, int how) {
            long sum = 0;
            int count = 0;
            try {
              try {
                for (int x : gen(n, every)) {
                  sum += x;
                  count++;
                  if (count == stopAt) {
                    if (how == 0) {
                      break;
                    }
                    if (how == 1) {
                      return done("returned");
                    }
                    throw new IllegalStateException("thrown at " + x);
                  }
                }
              } catch (IllegalStateException e) {
                return done("caught " + sum + " " + count);
              }
              return done("ended " + sum + " " + count);
            } finally {
              log.add("consume finally " + sum + " " + count);
            }
          }

          /** An iterable whose iterator's hasNext() throws (no coroutine) at its third call; its close logs. */
          public static final class Throwing implements io.awaitj.AsyncIterable<Integer> {
            public AsyncIterator<Integer> asyncIterator() {
              return new AsyncIterator<Integer>() {
                int next;
                public Coroutine<Boolean> hasNext() {
                  if (next == 2) {
                    throw new IllegalStateException("hasNext failed");
                  }
                  return done(true);
                }
                public Integer next() { return next++; }
                @Override public Coroutine<Void> closeAsync() {
                  log.add("closed at " + next);
                  return done();
                }
              };
            }
          }

          @Async
          public static Coroutine<String> overThrowing() {
            long sum = 0;
            try {
              for (int x : new Throwing()) {
                sum += x + 1;
              }
            } catch (IllegalStateException e) {
              return done(e.getMessage() + " after " + sum);
            }
            return done("ended");
          }

          /**
           * Fields j and k (they live across an await) and locals j and k of a loop's code; a lambda
           * in another loop.
           */
          @Async
          public static Coroutine<String> sameNames(int n, int every) {
            StringBuilder out = new StringBuilder();
            {
              int j = 5;
              int k = 6;
              await(value(0, every));
              out.append(j).append(k).append(' ');
            }
            long sum = 0;
            for (int i = 0; i < n; i++) {
              sum += await(value(i, every));
              for (int j = 0, k = 2; j < k; j++) {
                sum += j;
              }
            }
            out.append(sum).append(' ');
            for (int i = 0; i < n; i++) {
              long before = sum;
              sum += await(value(i, every));
              java.util.function.LongSupplier s = () -> before;
              out.append(s.getAsLong() < sum ? "+" : "0");
            }
            return done(out.toString() + sum);
          }
        }
        """);
  }

  private static Object run(String method, Object... args) {
    return Aio.runVirtual(Compiled.call(compiled.load("gen.FastAsync"), method, args));
  }

  @SuppressWarnings("unchecked")
  private static List<String> log() {
    try {
      return (List<String>) compiled.load("gen.Fast").getField("log").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** What Fast.carried computes, without awaits. */
  private static String carried(int n) {
    long sum = 0;
    long mix = 1;
    int last = -1;
    for (int i = 0; i < n; i++) {
      sum += i;
      mix = mix * 31 + i;
      last = i;
    }
    return sum + " " + mix + " " + last;
  }

  /** Every await completing at once, one in three suspending, every one suspending. */
  private static final int[] EVERY = {0, 3, 1};

  @Test
  void localsCarriedAcrossTurnsAreRightWhetherTheAwaitsSuspendOrNot() {
    for (int every : EVERY) {
      assertEquals(carried(20), run("carried", 20, every), "every " + every);
      assertEquals(carried(0), run("carried", 0, every), "every " + every);
    }
  }

  @Test
  void aLoopLeftByItsEndABreakAReturnOrAnExceptionLeavesItsLocalsRight() {
    for (int every : EVERY) {
      assertEquals("left 45 at 10", run("leaves", 10, -1, 0, every), "every " + every);
      assertEquals("left 10 at 5", run("leaves", 10, 5, 0, every), "every " + every);
      assertEquals("returned 10 at 5", run("leaves", 10, 5, 1, every), "every " + every);
      assertEquals("caught 10 at 5", run("leaves", 10, 5, 2, every), "every " + every);
    }
  }

  @Test
  void nestedLoops() {
    long total = 0;
    int count = 0;
    for (int i = 0; i < 7; i++) {
      long row = 0;
      for (int j = 0; j <= i; j++) {
        row += j;
        count++;
      }
      total = total * 7 + row;
    }
    for (int every : EVERY) {
      assertEquals(total + " " + count, run("nested", 7, every), "every " + every);
    }
  }

  @Test
  void aDoWhileLoop() {
    for (int every : EVERY) {
      assertEquals("45 10", run("doWhile", 10, every), "every " + every);
      assertEquals("0 1", run("doWhile", 0, every), "every " + every);
    }
  }

  @Test
  void anAsyncForExhaustedBrokenOutOfReturnedFromAndThrownOutOf() {
    for (int every : EVERY) {
      log().clear();
      assertEquals("ended 45 10", run("consume", 10, every, -1, 0), "every " + every);
      assertEquals(List.of("gen finally at 10", "consume finally 45 10"), log(), "every " + every);
      log().clear();
      assertEquals("ended 6 4", run("consume", 10, every, 4, 0), "every " + every);
      assertEquals(List.of("gen finally at 3", "consume finally 6 4"), log(), "every " + every);
      log().clear();
      assertEquals("returned", run("consume", 10, every, 4, 1), "every " + every);
      assertEquals(List.of("gen finally at 3", "consume finally 6 4"), log(), "every " + every);
      log().clear();
      assertEquals("caught 6 4", run("consume", 10, every, 4, 2), "every " + every);
      assertEquals(List.of("gen finally at 3", "consume finally 6 4"), log(), "every " + every);
    }
  }

  /**
   * An exception thrown by the iterator at the await of the next element (an iterator whose {@code
   * hasNext()} throws instead of returning a coroutine) leaves the loop, which closes the iterator as
   * for any other exception: the loop's head is in the loop's protected region.
   */
  @Test
  void anIteratorThatThrowsAtTheAwaitOfItsNextElementIsClosed() {
    log().clear();
    assertEquals("hasNext failed after 3", run("overThrowing"));
    assertEquals(List.of("closed at 2"), log());
  }

  /** The async for and the do/while loop run inline in their head's case (see LoopCases). */
  @Test
  void anAsyncForAndADoWhileTurnInsideTheirHeadsCase() {
    for (String machine : new String[] {"gen.FastAsync_consume", "gen.FastAsync_doWhile"}) {
      String source = compiled.generatedSource(machine);
      // The dispatch loop's while, and the loop's own.
      assertEquals(2, source.split("while \\(true\\) \\{", -1).length - 1, source);
    }
  }

  /**
   * A loop holds no field in a local where the code may declare a local of its name, nor where a
   * lambda may read it (see LoopLocals): both compile and run.
   */
  @Test
  void aLocalOfAFieldsNameAndALambdaInAFastLoop() {
    for (int every : EVERY) {
      assertEquals("56 21 0+++++36", run("sameNames", 6, every), "every " + every);
    }
  }

  /**
   * Loops whose fields the loop's lowering says it reads (LoopLocals), where a reading of the loop's
   * text held fewer in locals or none: a lambda and an anonymous class that capture a variable of the
   * turn (each takes a copy from the local, the value of its turn: a copy read from the field, written
   * back only as the loop leaves, would be a turn late), a lambda's parameter named like a field the
   * loop reads (that field stays a field, or the two would clash), a field read after a '>' and in an
   * array's initializer, and a field the loop only assigns (it stays a field). Each value is the
   * same whether the awaits complete at once, suspend on some turns, or on every one.
   */
  @Test
  void theFieldsTheLoopsLoweringSaysItReadsAreHeldInLocals() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.IntSupplier;
        import java.util.function.IntUnaryOperator;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public class Held {
          static Coroutine<Integer> value(int i, int every) {
            return every > 0 && i % every == every - 1 ? Aio.sleep(Duration.ZERO, i) : Aio.done(i);
          }

          @Async
          public static Coroutine<String> captured(int n, int every) {
            List<IntSupplier> made = new ArrayList<>();
            int sum = 0;
            for (int i = 0; i < n; i++) {
              int before = sum;
              sum += await(value(i, every));
              made.add(() -> before);
              made.add(new IntSupplier() {
                int sum = 1000;
                public int getAsInt() { return sum + before; }
              });
            }
            StringBuilder out = new StringBuilder();
            for (IntSupplier s : made) {
              out.append(s.getAsInt()).append(' ');
            }
            return done(out.toString() + sum);
          }

          @Async
          public static Coroutine<String> parameterNamedLikeAField(int n, int every) {
            long total = 0;
            for (int i = 0; i < n; i++) {
              {
                int x = await(value(i, every));
                total += await(value(x, every)) + x;
              }
              IntUnaryOperator twice = x -> x * 2;
              total = twice.applyAsInt((int) (total % 1000)) + total;
            }
            return done(Long.toString(total));
          }

          @Async
          public static Coroutine<String> compared(int n, int every) {
            int limit = n;
            long sum = 0;
            int i = 0;
            int last = -1;
            while (limit > i) {
              sum += await(value(i, every));
              int[] pair = {i, limit};
              sum += pair[1] - pair[0];
              last = i;
              i++;
            }
            return done(sum + " " + i + " " + last);
          }
        }
        """);
    java.util.function.BiFunction<String, Object[], Object> run =
        (method, args) -> Aio.runVirtual(Compiled.call(c.load("gen.HeldAsync"), method, args));
    for (int every : EVERY) {
      // Sums before each turn: 0 0 1 3 6; each lambda gives its own, each object 1000 more.
      assertEquals("0 1000 0 1000 1 1001 3 1003 6 1006 10", run.apply("captured", new Object[] {5, every}),
          "every " + every);
      long total = 0;
      for (int i = 0; i < 6; i++) {
        total += i + i;
        total = (int) (total % 1000) * 2 + total;
      }
      assertEquals(Long.toString(total), run.apply("parameterNamedLikeAField", new Object[] {6, every}),
          "every " + every);
      long sum = 0;
      for (int i = 0; i < 7; i++) {
        sum += i + 7 - i;
      }
      assertEquals(sum + " 7 6", run.apply("compared", new Object[] {7, every}), "every " + every);
    }
    // What the loops hold in locals (the case of each loop's head), and what stays a field.
    String captured = c.generatedSource("gen.HeldAsync_captured");
    assertTrue(captured.contains("int sum = this.sum;") && captured.contains("int before = this.before;"),
        captured);
    String parameter = c.generatedSource("gen.HeldAsync_parameterNamedLikeAField");
    assertTrue(parameter.contains("long total = this.total;") && !parameter.contains("int x = this.x;"),
        parameter);
    String compared = c.generatedSource("gen.HeldAsync_compared");
    assertTrue(compared.contains("int i = this.i;") && compared.contains("int limit = this.limit;")
        && !compared.contains("int last = this.last;"), compared);
  }
}
