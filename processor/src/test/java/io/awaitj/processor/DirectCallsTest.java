package io.awaitj.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.awaitj.Aio;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, scenario 8: {@code await(m(args))} of a static {@code @Async} method of the same class
 * whose body has no await is a plain call of {@code XAsync_m.direct(this, args)} (see {@code
 * DirectCalls}); everything a user can see stays as it was with the machine: laziness when not
 * awaited, exceptions and their stack traces, overloads, generics, the constructs around the await;
 * every other await keeps its machine.
 */
class DirectCallsTest {
  /** Line numbers matter: the stack trace tests name them. */
  static final String DIRECT = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.io.IOException;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.function.Supplier;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Direct {
        public static final List<String> LOG = new ArrayList<>();
        public static Throwable thrown;

        @Async
        static Coroutine<Long> plusOne(long i) {
          return done(i + 1);
        }

        @Async
        static Coroutine<Long> sum(int n) {
          long sum = 0;
          for (int i = 0; i < n; i++) {
            sum += await(plusOne(i));
          }
          return done(sum);
        }

        @Async
        static Coroutine<String> logged(String s) {
          LOG.add(s);
          return done(s);
        }

        @Async
        static Coroutine<Integer> failing(int k) throws IOException {
          LOG.add("failing " + k);
          if (k > 0) {
            IOException e = new IOException("checked " + k);
            thrown = e;
            throw e;
          }
          IllegalStateException e = new IllegalStateException("unchecked");
          thrown = e;
          throw e;
        }

        @Async
        static Coroutine<String> catches(int k) {
          try {
            int v = await(failing(k));
            return done("no failure " + v);
          } catch (IOException e) {
            return done("caught " + e.getMessage() + (e == thrown ? " (same)" : " (other)"));
          } catch (IllegalStateException e) {
            return done("caught " + e.getMessage() + (e == thrown ? " (same)" : " (other)"));
          } finally {
            LOG.add("finally");
          }
        }

        @Async
        static Coroutine<Integer> propagates(int k) throws IOException {
          int v = await(failing(k));
          return done(v);
        }

        @Async
        static Coroutine<String> lazy() {
          Coroutine<String> c = logged("lazy");
          LOG.add("made");
          String s = await(c);
          LOG.add("awaited");
          return done(s);
        }

        @Async
        static Coroutine<String> id(String s) {
          return done("String " + s);
        }

        @Async
        static Coroutine<String> id(int i) {
          return done("int " + i);
        }

        @Async
        static <T extends Comparable<T>> Coroutine<T> max(T a, T b) {
          return done(a.compareTo(b) >= 0 ? a : b);
        }

        @Async
        static <T> Coroutine<List<T>> listOf(T a) {
          List<T> l = new ArrayList<>();
          l.add(a);
          return done(l);
        }

        @Async
        static Coroutine<Void> nothing() {
          LOG.add("nothing");
          return done();
        }

        @Async
        static Coroutine<String> overloadsAndGenerics() {
          String a = await(id("a")) + ", " + await(id(1));
          String b = await(max("x", "y")) + await(Direct.<Integer>max(3, 2));
          List<String> l = await(listOf("l"));
          await(nothing());
          return done(a + "; " + b + "; " + l);
        }

        @Async
        static Coroutine<String> contexts(int k) throws Exception {
          Supplier<Coroutine<Long>> lambda = () -> {
            long v = await(plusOne(k));
            return done(v * 10);
          };
          String s = "lambda " + await(lambda.get());
          try (AutoCloseable r = () -> LOG.add("closed")) {
            s += ", twr " + await(plusOne(k));
          }
          s += ", switch " + switch (k) {
            case 1 -> await(id(k));
            default -> "none";
          };
          s += ", cond " + (k > 0 ? await(id("pos")) : await(id("neg")));
          s += ", and " + (k > 5 && await(plusOne(k)) > 0);
          return done(s);
        }

        @Async
        static Coroutine<Long> mixed(long k) {
          long a = await(plusOne(k));
          await(Aio.sleep(1));
          long b = await(plusOne(a));
          return done(a + b);
        }

        @Async
        static Coroutine<Long> deep(int n) {
          if (n == 0) {
            return done(await(plusOne(0)));
          }
          return done(await(deep(n - 1)) + await(plusOne(0)));
        }

        @Async
        static Coroutine<Integer> awaits(int k) {
          await(Aio.sleep(1));
          return done(k);
        }

        @Async
        static Coroutine<Integer> withLambda(int k) {
          Supplier<Integer> s = () -> k;
          return done(s.get());
        }

        @Async
        static Coroutine<Object> task() {
          return done(Aio.currentTask());
        }

        @Async
        static Coroutine<Integer> notDirect(int k) throws IOException {
          int a = await(awaits(k));
          int b = await(withLambda(k));
          Object t = await(task());
          int c = k > 5 ? await(failing(0), IOException.class) : 0;
          return done(a + b + c + (t != null ? 1 : 0));
        }

        @Async
        static Coroutine<String> inTasks() {
          List<String> all = await(Aio.gather(logged("g1"), logged("g2")));
          String t = await(Aio.createTask(logged("t")));
          return done(all + " " + t);
        }

        @Async
        static Coroutine<Integer> small(int k) {
          return done(k);
        }

        @Async
        static Coroutine<Integer> maybe(int k) {
          return done(k > 0 ? Integer.valueOf(k) : null);
        }

        @Async
        static Coroutine<String> boxes() {
          List<Integer> l = new ArrayList<>(List.of(10, 20, 30));
          l.remove(await(small(1)));
          boolean same = await(small(1000)) == await(small(1000));
          boolean equal = await(small(1000)) == 1000;
          var v = await(small(3));
          Object o = await(small(4));
          Integer n = await(maybe(0));
          long sum = 0;
          sum += await(small(5)) * 2 + await(maybe(6));
          int k = await(small(7));
          return done(l + " " + same + " " + equal + " " + v.getClass().getSimpleName() + " "
              + o.getClass().getSimpleName() + " " + n + " " + sum + " " + -await(small(k)));
        }
      }
      """;

  private static Compiled compiled() {
    return Compiled.compile(DIRECT);
  }

  @SuppressWarnings("unchecked")
  private static List<String> log(Compiled c) {
    try {
      return (List<String>) c.load("gen.Direct").getDeclaredField("LOG").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object run(Compiled c, String method, Object... args) {
    return Aio.runVirtual(Compiled.call(c.load("gen.DirectAsync"), method, args));
  }

  @Test
  void anAwaitOfAMethodWithoutAwaitsIsAPlainCallAndTheCallersLocalsStayLocals() {
    Compiled c = compiled();
    String caller = c.generatedSource("gen.DirectAsync_sum");
    assertTrue(caller.contains("sum += DirectAsync_plusOne.direct(this, i);"), caller);
    assertTrue(caller.contains("long sum = 0;"), caller); // no await left: a Java local
    assertFalse(caller.contains("awaitNow"), caller);
    assertEquals(55L, run(c, "sum", 10));
  }

  @Test
  void theCalleesMachineRunsTheSameDirectMethod() {
    Compilation c = Compiled.compiler().compile(JavaFileObjects.forSourceString("gen.Direct", DIRECT));
    assertThat(c).succeeded();
    Compiled.assertNoWarningsInGenerated(c);
    assertThat(c).generatedSourceFile("gen.DirectAsync_plusOne").hasSourceEquivalentTo(
        JavaFileObjects.forSourceString("gen.DirectAsync_plusOne", """
            package gen;

            import io.awaitj.Coroutine;
            import javax.annotation.processing.Generated;

            /**
             * State machine of {@code Direct.plusOne(long)}, compiled by awaitj from Direct.java:17.
             */
            @Generated("io.awaitj.processor.AsyncProcessor")
            @SuppressWarnings({"deprecation", "removal"})
            final class DirectAsync_plusOne extends Coroutine<Long> {
              private long i;

              DirectAsync_plusOne(long i) {
                this.i = i;
              }

              @Override
              protected Object step() throws Throwable {
                dispatch$:
                while (true) {
                  switch (state) {
                    case 0:
                      // Direct.java:19: return done(i + 1);
                      return direct(null, i);
                    default:
                      throw illegalState();
                  }
                }
              }

              static long direct(Coroutine<?> awaiting$, long i) {
                try {
                  // Direct.java:19: return done(i + 1);
                  return i + 1;
                } catch (Throwable failure$) {
                  tracedDirectly(awaiting$, failure$, DirectAsync_plusOne.class, "gen.Direct", "plusOne",
                      "Direct.java", 19);
                  throw failure$;
                }
              }

              @Override
              protected StackTraceElement sourceFrame() {
                return sourceFrame("gen.Direct", "plusOne", "Direct.java", 17, "19");
              }
            }
            """));
    // Not awaited, the coroutine runs the same body when started.
    assertEquals(8L, run(compiled(), "plusOne", 7L));
  }

  @Test
  void aCallNotAwaitedDoesNothingUntilAwaitedAndTasksAndGatherRunItOnce() {
    Compiled c = compiled();
    assertEquals("lazy", run(c, "lazy"));
    assertEquals(List.of("made", "lazy", "awaited"), log(c));
    log(c).clear();
    assertEquals("[g1, g2] t", run(c, "inTasks"));
    assertEquals(List.of("g1", "g2", "t"), log(c));
  }

  @Test
  void exceptionsReachTheAwaitingTryAsTheSameObjectAndFinallyRuns() {
    Compiled c = compiled();
    assertEquals("caught checked 1 (same)", run(c, "catches", 1));
    assertEquals(List.of("failing 1", "finally"), log(c));
    log(c).clear();
    assertEquals("caught unchecked (same)", run(c, "catches", 0));
    assertEquals(List.of("failing 0", "finally"), log(c));
    String caller = c.generatedSource("gen.DirectAsync_catches");
    assertTrue(caller.contains("DirectAsync_failing.direct(this, k)"), caller);
  }

  @Test
  void aFailureLeavingADirectBodyNamesItsLineAndTheAwaitingCoroutines() throws Exception {
    Compiled c = compiled();
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> run(c, "propagates", 2));
    assertSame(c.load("gen.Direct").getDeclaredField("thrown").get(null), e);
    assertEquals(List.of(
        "gen.Direct.failing(Direct.java:39)",
        "gen.Direct.propagates(Direct.java:66)"), userFrames(e));
    List<StackTraceElement> all = Arrays.asList(e.getStackTrace());
    int first = 0;
    while (!all.get(first).getClassName().equals("gen.Direct")) {
      first++;
    }
    // In place of the direct method's frame, which moves below, with the awaiting machine's step.
    assertEquals("gen.DirectAsync_failing", all.get(first + 2).getClassName(), all::toString);
    assertEquals("direct", all.get(first + 2).getMethodName(), all::toString);
    assertEquals("gen.DirectAsync_propagates", all.get(first + 3).getClassName(), all::toString);
  }

  @Test
  void aFailureOfTheMachineNotAwaitedDirectlyGainsItsFramesOnce() {
    Compiled c = compiled();
    Object task = c.load("gen.DirectAsync");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(Compiled.call(task, "failing", 0)));
    assertEquals(List.of("gen.Direct.failing(Direct.java:39)"), userFrames(e));
  }

  @Test
  void overloadsGenericsAndVoidCallTheRightDirectMethod() {
    Compiled c = compiled();
    assertEquals("String a, int 1; y3; [l]", run(c, "overloadsAndGenerics"));
    assertEquals(List.of("nothing"), log(c));
    String caller = c.generatedSource("gen.DirectAsync_overloadsAndGenerics");
    assertTrue(caller.contains("DirectAsync_id.direct(this, \"a\")"), caller);
    assertTrue(caller.contains("DirectAsync_id_2.direct(this, 1)"), caller);
    assertTrue(caller.contains("DirectAsync_max.<Integer>direct(this, 3, 2)"), caller);
  }

  @Test
  void directAwaitsInAnAsyncLambdaTryWithResourcesSwitchAndConditionals() {
    Compiled c = compiled();
    assertEquals("lambda 20, twr 2, switch int 1, cond String pos, and false", run(c, "contexts", 1));
    assertEquals(List.of("closed"), log(c));
    String lambda = c.generatedSource("gen.DirectAsync_contexts_lambda1");
    assertTrue(lambda.contains("DirectAsync_plusOne.direct(this, k)"), lambda);
  }

  @Test
  void aBodyWithARealAwaitKeepsItsStatesAroundIt() {
    Compiled c = compiled();
    assertEquals(2L + 3L, run(c, "mixed", 1L));
    String caller = c.generatedSource("gen.DirectAsync_mixed");
    assertTrue(caller.contains("DirectAsync_plusOne.direct(this, k)"), caller);
    assertTrue(caller.contains("awaitNow(Aio.sleep(1))"), caller);
  }

  @Test
  void deepRecursionThroughMachinesStillBouncesWithADirectCallAtEachLevel() {
    Compiled c = compiled();
    assertEquals(100_001L, run(c, "deep", 100_000));
  }

  @Test
  void whatCouldTellADirectCallFromAMachineKeepsTheMachine() {
    Compiled c = compiled();
    assertEquals(1 + 1 + 0 + 1, run(c, "notDirect", 1));
    String caller = c.generatedSource("gen.DirectAsync_notDirect");
    assertFalse(caller.contains(".direct("), caller);
    for (String m : List.of("awaits", "withLambda", "task")) {
      String callee = c.generatedSource("gen.DirectAsync_" + m);
      assertFalse(callee.contains("direct("), callee);
    }
  }

  static final String BASE = """
      package gen;

      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Base {
        @Async
        Coroutine<Integer> value() {
          return done(1);
        }

        @Async
        Coroutine<Integer> twice(Base other) {
          return done(await(value()) + await(other.value()));
        }
      }
      """;

  static final String SUB = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Coroutine;

      public class Sub extends BaseAsync {
        @Override
        Coroutine<Integer> value() {
          return Aio.done(10);
        }
      }
      """;

  @Test
  void anInstanceMethodIsNeverCalledDirectlySoAnOverrideIsNeverBypassed() {
    Compiled c = Compiled.compile(BASE, SUB);
    Object sub = c.instantiate("gen.Sub");
    Object base = c.instantiate("gen.BaseAsync");
    assertEquals(20, Aio.runVirtual(Compiled.call(sub, "twice", sub)));
    assertEquals(11, Aio.runVirtual(Compiled.call(base, "twice", sub)));
    assertFalse(c.generatedSource("gen.BaseAsync_twice").contains("direct("));
  }

  static List<String> userFrames(Throwable e) {
    return Arrays.stream(e.getStackTrace())
        .filter(f -> f.getClassName().equals("gen.Direct"))
        .map(StackTraceElement::toString)
        .collect(Collectors.toList());
  }

  @Test
  void aPrimitiveResultIsBoxedWhereverTheAwaitsValueWasUsedAsAReference() {
    Compiled c = compiled();
    assertEquals("[10, 20, 30] false true Integer Integer null 16 -7", run(c, "boxes"));
    String callee = c.generatedSource("gen.DirectAsync_small");
    assertTrue(callee.contains("static int direct("), callee);
    assertTrue(c.generatedSource("gen.DirectAsync_maybe").contains("static Integer direct("));
    String caller = c.generatedSource("gen.DirectAsync_boxes");
    assertTrue(caller.contains("l.remove(Integer.valueOf(DirectAsync_small.direct(this, 1)));"), caller);
    assertTrue(caller.contains("int k = DirectAsync_small.direct(this, 7);"), caller);
  }

  /**
   * Found by MutationFuzzTest (seed 210010, mutants 179, 823, 991, 1358): a body that can complete
   * normally (javac: "missing return statement") ends in the lowering's {@code return null;}, which a
   * direct method returning {@code int} rejected in the generated code, beside javac's own error.
   */
  @Test
  void aBodyMissingAReturnHasJavacsErrorOnly() {
    Compilation c = Compiled.compileRaw("""
        package gen;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Missing {
          @Async
          static Coroutine<Integer> hello(int x) {
            if (System.nanoTime() > 0) {
              return done(x);
            }
          }

          @Async
          static Coroutine<Integer> caller() {
            int a = await(hello(1));
            Object b = await(hello(2));
            return done(a + b.hashCode());
          }
        }
        """);
    assertThat(c).failed();
    assertEquals(List.of("missing return statement"), c.errors().stream()
        .map(d -> d.getMessage(java.util.Locale.ROOT)).collect(Collectors.toList()));
  }

  /**
   * A method called directly whose own lowering fails with awaitj's error (here a label its machine
   * uses itself) gets a placeholder machine; the placeholder declares the direct method too (it
   * throws), so that the callers' direct calls compile and awaitj's error is the only one, never a
   * "cannot find symbol" in a generated file. javac stops before attributing the generated files
   * when a processor reported an error, unless told to go on ({@code -XDshould-stop.ifError=FLOW},
   * as FuzzHarness does): both are checked.
   */
  @Test
  void aDirectCalleeThatDidNotCompileHasItsOwnErrorOnly() {
    String failed = """
        package gen;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.io.IOException;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Failed {
          @Async
          static <T> Coroutine<Integer> hidden(T t, int x) throws IOException {
            dispatch$: {
              if (x > 1) {
                break dispatch$;
              }
              x++;
            }
            return done(x + t.hashCode());
          }

          @Async
          static Coroutine<Integer> caller() throws IOException {
            int a = await(hidden("a", 1));
            Object b = await(Failed.<String>hidden("b", 2));
            return done(a + b.hashCode());
          }
        }
        """;
    for (List<String> options : List.of(List.of("-Xlint:all", "-Xlint:-processing"),
        List.of("-Xlint:all", "-Xlint:-processing", "-XDshould-stop.ifError=FLOW"))) {
      Compilation c = Compiled.compiler().withOptions(options)
          .compile(JavaFileObjects.forSourceString("gen.Failed", failed));
      assertThat(c).failed();
      assertEquals(List.of("a label named 'dispatch$' in an @Async method: the state machine's step has a"
          + " label of that name around the body's code; rename it"), c.errors().stream()
          .map(d -> d.getMessage(java.util.Locale.ROOT)).collect(Collectors.toList()), options.toString());
      assertThat(c).hadErrorContaining("dispatch$").inFile(c.sourceFiles().get(0)).onLineContaining(
          "dispatch$: {");
    }
  }

  /**
   * A body that returns {@code done(...)} of the class's own (a static method of that name returning
   * a coroutine, not {@code Aio.done}) is not called directly: it keeps its machine and runs as
   * without direct calls. Before, the name alone admitted it, and its own lowering, which resolves
   * the symbol, refused the valid program with "please report this".
   */
  @Test
  void aBodyReturningADoneOfItsOwnKeepsItsMachine() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;

        public abstract class OwnDone {
          static Coroutine<Integer> done(int x) {
            return Aio.done(x * 10);
          }

          @Async
          static Coroutine<Integer> tenTimesNext(int x) {
            return done(x + 1);
          }

          @Async
          static Coroutine<Integer> caller() {
            int v = await(tenTimesNext(1));
            return Aio.done(v + 1);
          }
        }
        """);
    assertFalse(c.generatedSource("gen.OwnDoneAsync_caller").contains(".direct("),
        c.generatedSource("gen.OwnDoneAsync_caller"));
    assertEquals(21, Aio.runVirtual(Compiled.call(c.load("gen.OwnDoneAsync"), "caller")));
  }

  /**
   * A body with code after a statement that cannot complete normally (javac's "unreachable
   * statement") is no direct call (see HostileRegressionTest.unreachableCodeAfterAReturnInABodyWithoutAwaits);
   * the test of that follows JLS 14.22, so the early returns, breaks and loops of valid bodies keep
   * them direct.
   */
  @Test
  void earlyReturnsAndLoopsWithABreakKeepABodyDirect() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Early {
          @Async
          static Coroutine<Integer> early(int x) {
            if (x < 0) return done(-1);
            if (x == 0) {
              return done(0);
            } else if (x == 1) {
              x++;
            }
            for (int i = 0; i < 3; i++) {
              if (i == x) return done(i * 100);
            }
            while (true) {
              if (x > 5) break;
              x++;
            }
            outer:
            do {
              for (;;) {
                if (x > 0) break outer;
              }
            } while (true);
            try {
              if (x == 6) return done(6);
            } finally {
              x++;
            }
            return done(x);
          }

          @Async
          static Coroutine<Integer> caller() {
            return done(await(early(-5)) + await(early(0)) + await(early(2)) + await(early(9)));
          }
        }
        """);
    assertTrue(c.generatedSource("gen.EarlyAsync_caller").contains(".direct("),
        c.generatedSource("gen.EarlyAsync_caller"));
    assertEquals(209, Aio.runVirtual(Compiled.call(c.load("gen.EarlyAsync"), "caller")));
  }
}
