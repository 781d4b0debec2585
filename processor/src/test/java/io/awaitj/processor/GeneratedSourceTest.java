package io.awaitj.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auto.value.processor.AutoValueProcessor;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.awaitj.Aio;
import io.awaitj.Coroutine;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The generated code itself: its exact shape, its stability, and its life beside other processors. */
class GeneratedSourceTest {

  static final String GREETER = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.time.Duration;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Greeter {
        final String greeting;

        protected Greeter(String greeting) {
          this.greeting = greeting;
        }

        @Async
        public Coroutine<String> greet(String name) {
          String n = await(Aio.sleep(Duration.ofMillis(10), name));
          return done(greeting + ", " + n);
        }
      }
      """;

  @Test
  void theShellAndTheMachineReadAsExpected() {
    Compilation c = Compiled.compiler().compile(JavaFileObjects.forSourceString("gen.Greeter", GREETER));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("gen.GreeterAsync").hasSourceEquivalentTo(
        JavaFileObjects.forSourceString("gen.GreeterAsync", """
            package gen;

            import io.awaitj.Coroutine;
            import javax.annotation.processing.Generated;

            @Generated("io.awaitj.processor.AsyncProcessor")
            @SuppressWarnings({"deprecation", "removal"})
            public class GreeterAsync extends Greeter {
              public GreeterAsync(String greeting) {
                super(greeting);
              }

              @Override
              public Coroutine<String> greet(String name) {
                return new GreeterAsync_greet(this, name);
              }
            }
            """));
    assertThat(c).generatedSourceFile("gen.GreeterAsync_greet").hasSourceEquivalentTo(
        JavaFileObjects.forSourceString("gen.GreeterAsync_greet", """
            package gen;

            import io.awaitj.Aio;
            import io.awaitj.Coroutine;
            import java.time.Duration;
            import javax.annotation.processing.Generated;

            @Generated("io.awaitj.processor.AsyncProcessor")
            @SuppressWarnings({"deprecation", "removal"})
            final class GreeterAsync_greet extends Coroutine<String> {
              private final Greeter self;
              private String name;

              GreeterAsync_greet(Greeter self, String name) {
                this.self = self;
                this.name = name;
              }

              @Override
              @SuppressWarnings("fallthrough")
              protected Object step() throws Throwable {
                dispatch$:
                while (true) {
                  Object awaited$ = SUSPEND;
                  switch (state) {
                    case 0:
                      state = 1;
                      awaited$ = awaitNow(Aio.sleep(Duration.ofMillis(10), name));
                      // only this await reads it: not kept while the await runs or suspends
                      name = null;
                      if (awaited$ == SUSPEND) {
                        return SUSPEND;
                      }
                    case 1: {
                      String n = this.<String>awaitedValue(awaited$);
                      return self.greeting + ", " + n;
                    }
                    default:
                      throw illegalState();
                  }
                }
              }

              @Override
              protected StackTraceElement sourceFrame() {
                return sourceFrame("gen.Greeter", "greet", "Greeter.java", 17, "19 19");
              }
            }
            """));
  }

  /**
   * A template that declares checked exceptions: the shell's overrides and static methods declare none
   * (creating a coroutine throws nothing; README "Exceptions"); a constructor keeps its own.
   */
  @Test
  void theShellOfATemplateThatThrowsDeclaresNothing() {
    Compilation c = Compiled.compiler().compile(JavaFileObjects.forSourceString("gen.Thrower", """
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.io.IOException;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Thrower {
          protected Thrower(String path) throws IOException {
            if (path.isEmpty()) {
              throw new IOException("no path");
            }
          }

          @Async
          public Coroutine<String> read() throws IOException {
            return done(await(Aio.done("read")));
          }

          @Async
          public static Coroutine<String> open(String path) throws IOException, InterruptedException {
            return done(await(Aio.done(path)));
          }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("gen.ThrowerAsync").hasSourceEquivalentTo(
        JavaFileObjects.forSourceString("gen.ThrowerAsync", """
            package gen;

            import io.awaitj.Coroutine;
            import java.io.IOException;
            import javax.annotation.processing.Generated;

            @Generated("io.awaitj.processor.AsyncProcessor")
            @SuppressWarnings({"deprecation", "removal"})
            public class ThrowerAsync extends Thrower {
              public ThrowerAsync(String path) throws IOException {
                super(path);
              }

              @Override
              public Coroutine<String> read() {
                return new ThrowerAsync_read(this);
              }

              public static Coroutine<String> open(String path) {
                return new ThrowerAsync_open(path);
              }
            }
            """));
  }

  /**
   * The step reads as a person would write it: no case that only jumps to another (the body's loop
   * heads and the states after a finally go straight to their targets), and a finally block's entry
   * kinds by name.
   */
  @Test
  void noStateOnlyForwardsAndFinallyKindsAreNamed() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Loops {
          @Async
          public Coroutine<Integer> sum(int n) {
            int sum = 0;
            for (int i = 0; i < n; i++) {
              try {
                sum += await(Aio.done(i));
                if (i == 3) break;
              } finally {
                sum++;
              }
            }
            do {
              sum += await(Aio.done(1));
            } while (sum < 10);
            return done(sum);
          }
        }
        """);
    String step = c.generatedSource("gen.LoopsAsync_sum");
    java.util.regex.Matcher onlyJumps = java.util.regex.Pattern.compile(
        "case \\d+:( \\{)?\\s*(//[^\\n]*\\s*)?state = \\d+;\\s*continue dispatch\\$;").matcher(step);
    assertEquals(false, onlyJumps.find(), () -> "a state only forwards:\n" + step);
    assertEquals(true, step.contains("finallyKind$2 = JUMP$;") && step.contains("== THROW$")
        && !step.contains("NORMAL$ ="), () -> step); // Coroutine's constants, used by name
    // Before forwarding states were left out, this body had 13 states (0 to 12); 11 before the
    // finally's handler ran in the step's catch (no state of its own).
    assertEquals(true, step.contains("case 9:") && !step.contains("case 10:"), () -> step);
    Object loops = c.instantiate("gen.LoopsAsync");
    assertEquals(11, Aio.runVirtual(Compiled.call(loops, "sum", 10)));
  }

  @Test
  void theSameInputGivesTheSameOutput() throws IOException {
    Map<String, String> first = sources(ConstructsTest.CASES);
    // Two empty outputs would be equal too: each case's method has a machine of its own, beside the shell.
    for (Differential.Case k : ConstructsTest.CASES) {
      assertTrue(first.keySet().stream().anyMatch(n -> n.endsWith("/SubjectAsync_" + k.name() + ".java")),
          () -> "no machine for " + k.name() + " among " + first.keySet());
    }
    assertTrue(first.keySet().stream().anyMatch(n -> n.endsWith("/SubjectAsync.java")),
        () -> "no shell among " + first.keySet());
    assertEquals(first, sources(ConstructsTest.CASES));
  }

  private static Map<String, String> sources(java.util.List<Differential.Case> cases) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    Compiled c = Differential.compile(cases, ConstructsTest.EXTRA + ConstructsTest.EXTRA_INCREMENT).compiled();
    for (JavaFileObject f : c.compilation().generatedSourceFiles()) {
      out.put(f.getName(), f.getCharContent(true).toString());
    }
    return out;
  }

  @Test
  void worksBesideAutoValueWhoseGeneratedTypeTheClassUses() {
    Compilation c = Compiled.compiler()
        .withProcessors(new AsyncProcessor(), new MisuseProcessor(), new AutoValueProcessor())
        .withClasspath(Compiled.classpath(com.google.auto.value.AutoValue.class))
        .compile(JavaFileObjects.forSourceString("av.Shop", """
            package av;

            import com.google.auto.value.AutoValue;
            import io.awaitj.Aio;
            import io.awaitj.Async;
            import io.awaitj.Coroutine;
            import static io.awaitj.Aio.await;
            import static io.awaitj.Aio.done;

            public abstract class Shop {
              @AutoValue
              public abstract static class Item {
                public abstract String name();
                public abstract int price();
                static Item of(String name, int price) {
                  return new AutoValue_Shop_Item(name, price);
                }
              }

              @Async
              public Coroutine<Item> buy(String name) {
                var item = await(Aio.done(Item.of(name, 3)));
                Item dearer = Item.of(item.name(), item.price() * await(Aio.done(2)));
                return done(dearer);
              }

              public static void main(String[] args) {
                System.out.println(Aio.run(new ShopAsync().buy("tea")));
              }
            }
            """));
    assertThat(c).succeeded();
    Compiled.assertNoWarningsInGenerated(c);
  }

  @Test
  void theGeneratedTourRunsOnTheRealClock() {
    Compiled c = Compiled.compile(GREETER);
    Object greeter = c.instantiate("gen.GreeterAsync", "Hello");
    assertEquals("Hello, world", Aio.run(Compiled.call(greeter, "greet", "world")));
  }

  /**
   * A machine writes no toString() of its own: Coroutine's reads the sourceFrame() table, and names
   * the class as the source does (Outer.Inner), the method, the state and that state's line; an
   * async lambda's machine says so.
   */
  @Test
  void aMachineSaysWhereItStandsFromItsLineTable() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public class Outer {
          public abstract static class Inner {
            @Async
            public Coroutine<String> greet(String name) {
              String n = await(Aio.done(name));
              return done(n);
            }

            @Async
            public Coroutine<String> viaLambda() {
              Supplier<Coroutine<String>> f = () -> {
                String r = await(Aio.done("x"));
                return done(r);
              };
              return done(f.get().toString());
            }
          }
        }
        """);
    assertEquals(false, c.generatedSource("gen.Outer_InnerAsync_greet").contains("toString()"),
        () -> c.generatedSource("gen.Outer_InnerAsync_greet"));
    Object inner = c.instantiate("gen.Outer_InnerAsync");
    assertEquals("Outer.Inner.greet() at state 0 (Outer.java:14)",
        Compiled.call(inner, "greet", "x").toString());
    assertEquals("async lambda in Outer.Inner.viaLambda() at state 0 (Outer.java:21)",
        Aio.runVirtual(Compiled.call(inner, "viaLambda")));
    Coroutine<?> finished = (Coroutine<?>) Compiled.call(inner, "greet", "y");
    assertEquals("y", Aio.runVirtual(finished));
    assertEquals(true, finished.toString().startsWith("Outer.Inner.greet(), finished (Outer.java:"),
        finished::toString); // not "at state -1": the label the runtime stores at the end
  }

  static final String LOOPS = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.AsyncGenerator;
      import io.awaitj.Coroutine;
      import java.util.List;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;
      import static io.awaitj.Aio.emit;
      import static io.awaitj.Aio.finish;

      public class Loops {
        /** Every third await suspends (a yield), the others complete at once. */
        static Coroutine<Integer> value(int i) {
          return i % 3 == 0 ? Aio.sleep(java.time.Duration.ZERO, i) : Aio.done(i);
        }

        @Async
        public static Coroutine<Long> sum(int n) {
          long sum = 0;
          for (int i = 0; i < n; i++) {
            sum += await(value(i));
          }
          return done(sum);
        }

        @Async
        public static Coroutine<String> jumps(int n) {
          StringBuilder out = new StringBuilder();
          int i = 0;
          while (i < n) {
            int v = await(value(i++));
            if (v == 2) {
              continue;
            }
            int w = await(value(v + 1));
            out.append(v).append(w).append(' ');
            if (w > 7) {
              break;
            }
            if (out.length() > 100) {
              return done("too long");
            }
          }
          return done(out.toString().trim());
        }

        @Async
        public static Coroutine<Integer> caught(int n) {
          int total = 0;
          try {
            for (int i = 0; i < n; i++) {
              total += await(value(i));
              if (total > 10) {
                throw new IllegalStateException("past 10 at " + i);
              }
            }
          } catch (IllegalStateException e) {
            return done(-total);
          }
          return done(total);
        }

        @Async
        public static Coroutine<Integer> failing(int n) {
          int total = 0;
          for (int i = 0; i < n; i++) {
            try {
              total += await(i == 4 ? Aio.failed(new IllegalArgumentException("four")) : value(i));
            } catch (IllegalArgumentException e) {
              total += 1000;
            }
          }
          return done(total);
        }

        @Async
        public static Coroutine<Integer> nested(int n) {
          int total = 0;
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
              total += await(value(j));
            }
            total += 100 * await(value(i));
          }
          return done(total);
        }

        @Async
        public static AsyncGenerator<Integer> count(int n) {
          for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
              await(Aio.sleep(0));
            }
            emit(i);
          }
          return finish();
        }

        @Async
        public static Coroutine<Integer> consume(int n, List<Integer> more) {
          int total = 0;
          for (int x : count(n)) {
            total += x;
          }
          for (int x : more) {
            total += await(value(x));
          }
          return done(total);
        }
      }
      """;

  /**
   * An innermost loop with an await runs inside its head's case, as a Java while, its later states
   * copied into it, the fields it uses held in locals there (written back by a finally): while its awaits complete at once it does not go round the dispatch loop at its
   * back edge; after one that suspends, the machine resumes in the states' own cases and is back in
   * the while at the next turn. These loops' awaits alternate between the two, and leave the loop
   * from the copies (break, continue, return, a throw caught outside the loop, a failed await caught
   * inside it).
   */
  @Test
  void anInnermostLoopWithAnAwaitTurnsInsideItsHeadsCase() {
    Compiled c = Compiled.compile(LOOPS);
    String sum = c.generatedSource("gen.LoopsAsync_sum");
    assertTrue(sum.replaceAll("\\s+", " ").contains("""
                    case 1: {
                        // Loops.java:22: for (int i = 0; i < n; i++) {
                        // The loop, run here while its awaits complete at once (after a suspension: the cases below)
                        // with the fields it uses in locals, written back as it leaves
                        int n = this.n;
                        long sum = this.sum;
                        int i = this.i;
                        long spill$2 = this.spill$2;
                        try {
                            while (true) {
                                if (!(i < n)) {
                                    state = 4;
                                    continue dispatch$;
                                }
                                spill$2 = sum;
                                state = 2;
                                if ((awaited$ = awaitNow(Loops.value(i))) == SUSPEND) {
                                    return SUSPEND;
                                }
                                // Loops.java:23: resumes after await(value(i))
                                sum = spill$2 + (this.<Integer>awaitedValue(awaited$));
                                i++;
                                state = 1;
                            }
                        } finally {
                            this.n = n;
                            this.sum = sum;
                            this.i = i;
                            this.spill$2 = spill$2;
                        }
                    }
                    case 2:
                        // Loops.java:23: resumes after await(value(i))
                        sum = spill$2 + (this.<Integer>awaitedValue(awaited$));
                    case 3:
                        i++;
                        state = 1;
                        continue dispatch$;
        """.replaceAll("\\s+", " ")), sum);
    assertLoopsRun(c.load("gen.LoopsAsync"));
    // The outer loop of nested holds another loop: only the inner one is written so.
    String nestedSource = c.generatedSource("gen.LoopsAsync_nested");
    assertEquals(1, nestedSource.split("while \\(true\\) \\{", -1).length - 2, nestedSource);
  }

  /** Runs the methods of {@link #LOOPS} (its class {@code loops}) and checks what they return. */
  static void assertLoopsRun(Class<?> loops) {
    long expected = 0;
    for (int i = 0; i < 50; i++) {
      expected += i;
    }
    assertEquals(expected, Aio.runVirtual(Compiled.call(loops, "sum", 50)));
    assertEquals("01 12 34 45 56 67 78", Aio.runVirtual(Compiled.call(loops, "jumps", 20)));
    assertEquals(-15, Aio.runVirtual(Compiled.call(loops, "caught", 20)));
    assertEquals(0 + 1 + 2 + 3 + 1000 + 5, Aio.runVirtual(Compiled.call(loops, "failing", 6)));
    int nested = 0;
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < i; j++) {
        nested += j;
      }
      nested += 100 * i;
    }
    assertEquals(nested, Aio.runVirtual(Compiled.call(loops, "nested", 6)));
    assertEquals(0 + 1 + 2 + 3 + 4 + 5 + 6 + 7,
        Aio.runVirtual(Compiled.call(loops, "consume", 5, java.util.List.of(5, 6, 7))));
  }

  /**
   * Less code for the same behaviour (issue 10): the {@code @Generated} annotation on one line; the
   * finally kinds are {@code Coroutine}'s constants, used by name; a finally block resumes only the
   * ways it was entered (no return or jump here: no such branch, no jump target field); a catch clause
   * falls through into the finally block written after it, and the finally's end into what follows.
   */
  @Test
  void aFinallyResumesOnlyTheWaysItWasEntered() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Fin {
          @Async
          public Coroutine<Integer> plain(List<Integer> log, boolean fail) {
            try {
              log.add(await(Aio.done(1)));
              if (fail) {
                throw new IllegalStateException("fail");
              }
            } catch (IllegalStateException e) {
              log.add(-1);
            } finally {
              log.add(5);
            }
            return done(await(Aio.done(log.size())));
          }

          @Async
          public Coroutine<Integer> returning(int n) {
            int r = 0;
            for (int i = 0; i < n; i++) {
              try {
                r += await(Aio.done(i));
                if (i == 3) {
                  return done(r);
                }
              } finally {
                r += 100;
              }
            }
            return done(r);
          }
        }
        """);
    String plain = c.generatedSource("gen.FinAsync_plain");
    assertTrue(plain.contains("Generated(\"io.awaitj.processor.AsyncProcessor\")\n@SuppressWarnings"), plain);
    // No return or jump leaves the try: one field, the exception that entered the finally or null.
    assertTrue(java.util.regex.Pattern.compile("if \\(finallyThrown\\$\\d+ != null\\)").matcher(plain).find()
        && !plain.contains("THROW$") && !plain.contains("RETURN$") && !plain.contains("JUMP$")
        && !plain.contains("finallyTarget") && !plain.contains("NORMAL$") && !plain.contains("finallyKind"), plain);
    // The catch clause's state stores the finally's number (another region) and falls through into it.
    assertTrue(java.util.regex.Pattern.compile(
        "log\\.add\\(-1\\);\\s*state = (\\d+);\\s*case \\1:").matcher(plain)
        .find(), plain);
    String returning = c.generatedSource("gen.FinAsync_returning");
    assertTrue(returning.contains("== RETURN$") && !returning.contains("JUMP$")
        && !returning.contains("finallyTarget"), returning);
    Object fin = c.instantiate("gen.FinAsync");
    java.util.List<Integer> log = new java.util.ArrayList<>();
    assertEquals(2, Aio.runVirtual(Compiled.call(fin, "plain", log, false)));
    assertEquals(java.util.List.of(1, 5), log);
    log.clear();
    assertEquals(3, Aio.runVirtual(Compiled.call(fin, "plain", log, true)));
    assertEquals(java.util.List.of(1, -1, 5), log);
    assertEquals(0 + 1 + 2 + 3 + 300, Aio.runVirtual(Compiled.call(fin, "returning", 10)));
    assertEquals(0 + 1 + 200, Aio.runVirtual(Compiled.call(fin, "returning", 2)));
  }

  /**
   * The finally kinds are constants {@code Coroutine} declares, which a machine's field of the same
   * name would hide (a local {@code NORMAL$} holding 1 would make a normal exit read as a throw of
   * null): a local or parameter named so takes another field name (a capital first letter: a '$' more).
   */
  @Test
  void aLocalNamedAsAFinallyKindDoesNotHideIt() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Kinds {
          @Async
          public Coroutine<Integer> run(int THROW$) {
            int NORMAL$ = 1;
            int r = 0;
            try {
              r = await(Aio.done(10));
            } finally {
              r += NORMAL$ + THROW$;
            }
            return done(r);
          }
        }
        """);
    assertEquals(10 + 1 + 3, Aio.runVirtual(Compiled.call(c.instantiate("gen.KindsAsync"), "run", 3)));
  }

  /**
   * A catch clause whose parameter is named like the parameter of the step's catch, {@code thrown$}:
   * the catch runs the clause's test itself and stores the exception into the parameter's field,
   * which took the same name and was hidden there ({@code thrown$ = (ArithmeticException) thrown$;}:
   * the clause read null). The field takes another name.
   */
  @Test
  void aCatchParameterNamedAsTheStepsCatchParameterIsStored() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Named {
          @Async
          public Coroutine<String> run(int k) {
            String got = "none";
            try {
              got = "awaited " + await(Aio.done(10 / k));
            } catch (ArithmeticException thrown$) {
              got = "caught " + thrown$.getMessage();
            } finally {
              got += "!";
            }
            return done(got);
          }
        }
        """);
    Object named = c.instantiate("gen.NamedAsync");
    assertEquals("caught / by zero!", Aio.runVirtual(Compiled.call(named, "run", 0)));
    assertEquals("awaited 5!", Aio.runVirtual(Compiled.call(named, "run", 2)));
  }

  /**
   * A finally that no return or jump enters keeps only the exception that entered it, null when the
   * try completed normally; a finally block that throws of its own leaves its exception there, so
   * a try in a loop clears the field as it is entered again (without that, the second turn's
   * finally rethrew the first turn's exception).
   */
  @Test
  void aThrowOnlyFinallyInALoopStartsEachTurnWithoutAnException() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public class Again {
          @Async
          public static Coroutine<String> again(int n) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < n; i++) {
              try {
                try {
                  await(Aio.sleep(0));
                  if (i == 0) {
                    throw new IllegalStateException("first");
                  }
                  out.append("ok").append(i);
                } finally {
                  out.append(" finally ");
                  if (i == 0) {
                    throw new IllegalArgumentException("of its own");
                  }
                }
              } catch (IllegalArgumentException | IllegalStateException e) {
                out.append(e.getMessage()).append("; ");
              }
            }
            return done(out.toString());
          }
        }
        """);
    String again = c.generatedSource("gen.AgainAsync_again");
    assertTrue(java.util.regex.Pattern.compile("finallyThrown\\$\\d+ = null;").matcher(again).find()
        && !again.contains("finallyKind"), again);
    assertEquals(" finally of its own; ok1 finally ok2 finally ",
        Aio.runVirtual(Compiled.call(c.load("gen.AgainAsync"), "again", 3)));
  }

  /**
   * An async for closes its iterator in a finally of its own: a {@code break} or {@code continue} of
   * the loop itself stays inside that finally, which then keeps one field (the exception or null);
   * a {@code return} from the loop's body goes through it, which then records why it was entered.
   */
  @Test
  void anAsyncForsFinallyRecordsAReturnOnlyWhenTheBodyHasOne() {
    Compiled c = Compiled.compile("""
        package gen;

        import io.awaitj.Async;
        import io.awaitj.AsyncGenerator;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.done;
        import static io.awaitj.Aio.emit;
        import static io.awaitj.Aio.finish;

        public class Walks {
          @Async
          static AsyncGenerator<Integer> count(int n) {
            for (int i = 0; i < n; i++) {
              emit(i);
            }
            return finish();
          }

          @Async
          public static Coroutine<Integer> upTo(int n, int limit) {
            int sum = 0;
            for (int x : count(n)) {
              if (x % 2 == 1) {
                continue;
              }
              if (x > limit) {
                break;
              }
              sum += x;
            }
            return done(sum);
          }

          @Async
          public static Coroutine<Integer> find(int n, int k) {
            for (int x : count(n)) {
              if (x == k) {
                return done(x * 10);
              }
            }
            return done(-1);
          }
        }
        """);
    String upTo = c.generatedSource("gen.WalksAsync_upTo");
    assertTrue(upTo.contains("finallyThrown$") && !upTo.contains("finallyKind"), upTo);
    String find = c.generatedSource("gen.WalksAsync_find");
    assertTrue(find.contains("finallyKind") && find.contains("RETURN$") && !find.contains("finallyThrown$"),
        find);
    Object walks = c.load("gen.WalksAsync");
    assertEquals(0 + 2 + 4, Aio.runVirtual(Compiled.call(walks, "upTo", 10, 5)));
    assertEquals(40, Aio.runVirtual(Compiled.call(walks, "find", 10, 4)));
    assertEquals(-1, Aio.runVirtual(Compiled.call(walks, "find", 3, 5)));
  }
}
