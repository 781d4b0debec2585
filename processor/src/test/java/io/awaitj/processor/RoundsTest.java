package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.awaitj.Aio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Bodies that use classes generated in later rounds of annotation processing, and what the user sees
 * when a body is broken (issue 9, items 2 and 8, and the net under placeholders).
 *
 * <p>javac reports a name it cannot resolve only in the last round of processing; before, a body
 * that used a class generated after its class was lowered (the README's {@code DerivedAsync} of a
 * subclass that extends {@code XAsync}) got a machine that threw "did not compile" at run time, and
 * javac, finding the class at last, reported nothing. And javac drops those errors of a round that an
 * error of the processor ends: the user saw awaitj's error only, not javac's first one.
 */
class RoundsTest {
  /** The validator's error for Plain.java's {@code @Async public int h()}. */
  static final String WRONG_RETURN_TYPE = "@Async method must return io.awaitj.Coroutine<T> or"
      + " io.awaitj.AsyncGenerator<T>, not int: declare it as Coroutine<T> and end it with 'return"
      + " done(value);', or, to produce values over time, as AsyncGenerator<T> (an async generator:"
      + " emit(x) for each value, and 'return finish();' at the end)";

  /** The base class: its bodies create the generated classes of its subclasses. */
  static final String SHAPE = """
      package rounds;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.function.Supplier;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Shape {
        @Async
        public Coroutine<String> name() {
          await(Aio.sleep(1));
          return done("shape");
        }

        @Async
        public static Coroutine<String> both() {
          Shape square = new SquareAsync();
          CircleAsync circle = new CircleAsync();
          String a = await(square.name());
          return done(a + "+" + await(circle.name()));
        }

        @Async
        public Coroutine<String> squares(int k) {
          List<SquareAsync> all = new ArrayList<>();
          Supplier<SquareAsync> make = SquareAsync::new;
          for (int i = 0; i < k; i++) {
            SquareAsync square = make.get();
            await(Aio.sleep(1));
            all.add(square);
          }
          StringBuilder b = new StringBuilder(await(name()));
          for (SquareAsync s : all) {
            b.append(' ').append(await(s.name()));
          }
          return done(b.toString());
        }
      }
      """;

  /** Extends ShapeAsync: its own XAsync can be written only a round after ShapeAsync. */
  static final String SQUARE = """
      package rounds;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Square extends ShapeAsync {
        @Async
        @Override
        public Coroutine<String> name() {
          await(Aio.sleep(1));
          return done("square");
        }
      }
      """;

  /** Its XAsync is written in the same round as ShapeAsync. */
  static final String CIRCLE = """
      package rounds;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Circle {
        @Async
        public Coroutine<String> name() {
          await(Aio.sleep(1));
          return done("circle");
        }
      }
      """;

  /**
   * Item 2: static and instance bodies create the generated class of a subclass written in the same
   * round as their own (CircleAsync) and in a later one (SquareAsync: Square extends ShapeAsync), use it
   * as a type argument, a method reference and the type of a local that lives across an await. Before,
   * javac exited 0 and both methods threw "did not compile".
   */
  @Test
  void bodiesUseTheGeneratedClassesOfSubclassesOfThisRoundAndOfLaterOnes() {
    Compiled c = Compiled.compile(SHAPE, SQUARE, CIRCLE);
    assertEquals("square+circle", Aio.runVirtual(Compiled.call(c.load("rounds.ShapeAsync"), "both")));
    assertEquals("shape square square",
        Aio.runVirtual(Compiled.call(c.instantiate("rounds.ShapeAsync"), "squares", 2)));
    assertEquals("square square square",
        Aio.runVirtual(Compiled.call(c.instantiate("rounds.SquareAsync"), "squares", 2)));
  }

  /**
   * Writes {@code rounds.Gen} once it sees a class awaitj generated (a round after awaitj's first), or
   * in the last round.
   */
  @javax.annotation.processing.SupportedAnnotationTypes("*")
  static final class GeneratesLater extends AbstractProcessor {
    private final boolean inTheLastRound;
    private boolean written;

    GeneratesLater(boolean inTheLastRound) {
      this.inTheLastRound = inTheLastRound;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    /**
     * Every annotation, claiming none, as a processor that looks at all classes does. It comes before
     * awaitj's on the processor path (see {@link #withProcessor}).
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
      boolean afterAwaitj = env.getRootElements().stream()
          .anyMatch(e -> e.getSimpleName().toString().endsWith("Async"));
      if (!written && (inTheLastRound ? env.processingOver() : afterAwaitj)) {
        written = true;
        try (Writer w = processingEnv.getFiler().createSourceFile("rounds.Gen").openWriter()) {
          w.write("package rounds;\npublic class Gen {\n  public int value() { return 42; }\n}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  /** The class uses Gen in a body, and a signature of another class uses it (its shell waits). */
  static final String USES_GEN = """
      package rounds;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class UsesGen {
        @Async
        public static Coroutine<Integer> twice() {
          Gen g = new Gen();
          int first = await(Aio.sleep(java.time.Duration.ZERO, g.value()));
          Gen made = await(MakerAsync.make());
          return done(first + made.value());
        }
      }
      """;

  static final String MAKER = """
      package rounds;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Maker {
        @Async
        public static Coroutine<Gen> make() {
          await(Aio.sleep(1));
          return done(new Gen());
        }
      }
      """;

  /**
   * awaitj's processors with {@code other} before them on the processor path. javac looks for the
   * processors of a round's annotations in path order and stops once all are claimed: awaitj claims
   * {@code @Async}, and the {@code @Generated} of the rounds of its own classes (so that {@code
   * -Xlint:processing} is quiet), so a processor that supports {@code "*"} and first matches in such a
   * round runs only if it comes first (the README says so).
   */
  private static Compiler withProcessor(Processor other) {
    Compiler like = Compiled.compiler();
    return Compiler.javac()
        .withProcessors(other, new AsyncProcessor(), new MisuseProcessor())
        .withOptions(like.options())
        .withClasspath(like.classPath().orElseThrow());
  }

  /**
   * Item 2: a class another processor generates in its second round, used in a body (as a type, a
   * constructor, the result of an await) and in the signature of another class's @Async method, whose
   * XAsync the body uses too.
   */
  @Test
  void bodiesUseAClassAnotherProcessorGeneratesInALaterRound() {
    Compiled c = Compiled.compileWith(withProcessor(new GeneratesLater(false)), USES_GEN, MAKER);
    assertEquals(84, Aio.runVirtual(Compiled.call(c.load("rounds.UsesGenAsync"), "twice")));
  }

  /**
   * A class generated only in the last round of processing is not there when awaitj compiles the
   * body (javac warns that the file is not processed, and it is compiled after processing): javac's
   * own error, where the body uses it, and no program that compiles and throws. (The body passes no
   * value of the class to a generic method: javac 25 would add its own "cannot infer type-variable(s)",
   * as it does without processors.)
   */
  @Test
  void aClassGeneratedInTheLastRoundIsJavacsError() {
    Compilation c = compile(withProcessor(new GeneratesLater(true)), USES_GEN
        .replace("Gen made = await(MakerAsync.make());", "Gen made = new Gen();")
        .replace("int first = await(Aio.sleep(java.time.Duration.ZERO, g.value()));",
            "int first = g.value();\n    await(Aio.sleep(1));"));
    assertEquals(List.of("UsesGen.java:12: cannot find symbol", "UsesGen.java:12: cannot find symbol",
        "UsesGen.java:15: cannot find symbol", "UsesGen.java:15: cannot find symbol"), errors(c));
  }

  /**
   * A class nobody generates, named like a generated one or not, in a static and an instance body:
   * javac's error alone, on the line, once each (before, javac's error was right too; the bodies now
   * wait for the last round to see it).
   */
  @Test
  void aClassThatIsNeverGeneratedIsJavacsErrorAlone() {
    Compilation c = compile(Compiled.compiler(), """
        package rounds;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Lonely {
          @Async
          public static Coroutine<Object> make() {
            Object o = new LonelierAsync();
            await(Aio.sleep(1));
            return done(o);
          }

          @Async
          public Coroutine<Integer> count() {
            await(Aio.sleep(1));
            Missing m = null;
            return done(m.size());
          }
        }
        """);
    assertEquals(List.of("Lonely.java:12: cannot find symbol", "Lonely.java:20: cannot find symbol"),
        errors(c));
    assertEquals(List.of(), warnings(c));
  }

  /**
   * Item 8: javac's error on an earlier line of the body (a name it cannot resolve) was dropped when
   * awaitj reported its own later in the same body; both are shown now, javac's first.
   */
  @Test
  void javacsErrorInTheBodyIsShownBesideAwaitjs() {
    Compilation c = compile(Compiled.compiler(), """
        package rounds;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Both {
          @Async
          public Coroutine<Integer> f() {
            Strin s = "x";
            synchronized (this) {
              await(Aio.sleep(1));
            }
            return done(s.length());
          }
        }
        """);
    assertEquals(List.of("Both.java:12: cannot find symbol",
        "Both.java:14: await cannot be used inside 'synchronized': a coroutine suspends and resumes on"
            + " the loop thread, where a monitor means nothing; use io.awaitj.sync.Lock"), errors(c));
  }

  /**
   * Item 8's neighbour: javac's error is one whose tree keeps its type (an instance field in a static
   * method), which the analysis finds; and javac's error in one class beside awaitj's in another, of
   * this round and of the first (held back until the machines are written).
   */
  @Test
  void javacsErrorsAreShownBesideAwaitjsInOtherMethodsAndClasses() {
    Compilation c = compile(Compiled.compiler(), """
        package rounds;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Statics {
          int count;

          @Async
          public static Coroutine<Integer> f() {
            int n = count;
            synchronized (Statics.class) {
              await(Aio.sleep(1));
            }
            return done(n);
          }
        }
        """, """
        package rounds;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Typo {
          @Async
          public Coroutine<Integer> g() {
            await(Aio.sleep(1));
            return done(lenght("x"));
          }
        }
        """, """
        package rounds;

        import io.awaitj.Async;

        public abstract class Plain {
          @Async
          public int h() {
            return 1;
          }
        }
        """);
    assertEquals(List.of(
        "Plain.java:7: " + WRONG_RETURN_TYPE,
        "Statics.java:14: non-static variable count cannot be referenced from a static context",
        "Statics.java:16: await cannot be used inside 'synchronized': a coroutine suspends and resumes"
            + " on the loop thread, where a monitor means nothing; use io.awaitj.sync.Lock",
        "Typo.java:13: cannot find symbol"), sorted(errors(c)));
  }

  static final String HELPER = """
      package rounds;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Helper {
        static int helper() {
          Strin s = "x";
          return "x".lenght();
        }

        @Async
        public Coroutine<Integer> f() {
          synchronized (this) {
            await(Aio.sleep(1));
          }
          return done(helper());
        }
      }
      """;

  /**
   * Item 8's neighbour: javac's error outside the @Async bodies of the class (a helper method), which
   * the lowering never meets, beside awaitj's error in a body: a type javac cannot find (seen in the
   * source) and a method (seen in javac's attribution only).
   */
  @Test
  void javacsErrorElsewhereInTheClassIsShownBesideAwaitjs() {
    Compilation c = compile(Compiled.compiler(), HELPER);
    assertEquals(List.of("Helper.java:11: cannot find symbol", "Helper.java:12: cannot find symbol",
        "Helper.java:18: await cannot be used inside 'synchronized': a coroutine suspends and resumes on"
            + " the loop thread, where a monitor means nothing; use io.awaitj.sync.Lock"), errors(c));
    assertEquals(List.of("Helper.java:12: cannot find symbol",
        "Helper.java:18: await cannot be used inside 'synchronized': a coroutine suspends and resumes on"
            + " the loop thread, where a monitor means nothing; use io.awaitj.sync.Lock"),
        errors(compile(Compiled.compiler(), HELPER.replace("Strin s = \"x\";", ""))));
  }

  /**
   * A base class with javac's error, and a class that extends its XAsync: the base waits until the
   * last round and gets no machines, so the subclass is never attributed (that would attribute the
   * base's XAsync, and javac would print the missing machines there): javac's error alone.
   */
  @Test
  void aSubclassOfTheXAsyncOfABrokenClassAddsNoErrors() {
    Compilation c = compile(Compiled.compiler(),
        SHAPE.replace("Shape square = new SquareAsync();", "Shape square = new Squar();"), SQUARE, CIRCLE);
    assertEquals(List.of("Shape.java:21: cannot find symbol"), errors(c));
    // An error javac reports at once (not a name it cannot resolve: in another class) ends the rounds
    // early: the subclass would be compiled in the last round, attributing ShapeAsync without machines.
    Compilation early = compile(Compiled.compiler(), SHAPE, SQUARE,
        CIRCLE.replace("await(Aio.sleep(1));", "int bad = \"circle\";"));
    assertEquals(List.of("Circle.java:12: incompatible types: java.lang.String cannot be converted to"
        + " int"), errors(early));
  }

  /**
   * awaitj's error in one class does not end processing early: a class another processor generates
   * later is still there for the bodies that use it, and awaitj's error is the only one.
   */
  @Test
  void anErrorOfAwaitjDoesNotHideClassesGeneratedLater() {
    Compilation c = compile(withProcessor(new GeneratesLater(false)), USES_GEN, MAKER, PLAIN);
    assertEquals(List.of("Plain.java:7: " + WRONG_RETURN_TYPE), errors(c));
  }

  /**
   * The net: a method whose lowering gives up expecting javac to report an error, where javac reports
   * none (as the bodies of item 2 did), gets an error that says so, and no machine that throws.
   */
  @Test
  void aMethodLeftWithoutAMachineAndWithoutAnErrorGetsAnError() {
    Compiler silent = Compiler.javac()
        .withProcessors(new AsyncProcessor(m -> m.getSimpleName().contentEquals("broken")),
            new MisuseProcessor())
        .withOptions(Compiled.compiler().options())
        .withClasspath(Compiled.compiler().classPath().orElseThrow());
    Compilation c = compile(silent, """
        package rounds;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Net {
          @Async
          public Coroutine<Integer> fine() {
            await(Aio.sleep(1));
            return done(1);
          }

          @Async
          public static Coroutine<Integer> broken() {
            await(Aio.sleep(1));
            return done(2);
          }
        }
        """);
    // Before javac analyses the program (and then reports the missing machine in generated code).
    assertEquals("Net.java:17: awaitj could not compile this @Async method (its lowering stopped,"
        + " expecting javac to report an error in it), and no error was reported that says why, so the"
        + " program cannot run as it is; please report this to awaitj with the method",
        errors(c).get(0));
    assertEquals(List.of(), errors(c).subList(1, errors(c).size()).stream()
        .filter(e -> !e.startsWith("NetAsync.java:")).toList());
  }

  /** A class with a member class that extends its own XAsync: attributing it attributes XAsync. */
  static final String NESTED = """
      package rounds;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Nested {
        public static class Impl extends NestedAsync {}

        @Async
        public Coroutine<String> name() {
          await(Aio.sleep(1));
          return done("nested");
        }

        @Async
        public static Coroutine<String> both() {
          Nested square = new SquareAsync();
          String a = await(square.name());
          return done(a + "+" + await(new Impl().name()) + "+" + await(new NestedAsync() {}.name()));
        }
      }
      """;

  /**
   * Item 2 where the class's attribution attributes its own XAsync (a member and an anonymous class
   * extend it), whose machines are missing until the class is compiled: it waits while the rounds go
   * on, and runs.
   */
  @Test
  void aClassThatExtendsItsOwnXAsyncUsesAClassGeneratedLater() {
    Compiled c = Compiled.compile(NESTED, SQUARE.replace("ShapeAsync", "NestedAsync"));
    assertEquals("square+nested+nested", Aio.runVirtual(Compiled.call(c.load("rounds.NestedAsync"), "both")));
  }

  /**
   * Such a class with javac's error: it is compiled in the last round that awaitj writes in, with
   * placeholders, and javac's error is the only one (attributed in the last round, the class would
   * have attributed its XAsync without machines, whose errors javac would have printed); beside an
   * error of awaitj's elsewhere (which ends the compilation before javac's analysis), the class is
   * attributed again in the last round, so that javac's error is printed all the same.
   */
  @Test
  void aClassThatExtendsItsOwnXAsyncWithJavacsErrorGetsJavacsErrorAlone() {
    String broken = NESTED.replace("Nested square = new SquareAsync();", "Nested square = new Squar();");
    assertEquals(List.of("Nested.java:20: cannot find symbol"), errors(compile(Compiled.compiler(), broken)));
    assertEquals(List.of("Nested.java:20: cannot find symbol",
        "Plain.java:7: " + WRONG_RETURN_TYPE),
        sorted(errors(compile(Compiled.compiler(), broken, PLAIN))));
  }

  /**
   * The net under a placeholder: a method of such a class gives up expecting javac's error, javac
   * reports none: the placeholder that throws gets an error when javac is about to compile it.
   */
  @Test
  void aPlaceholderThatNoErrorExplainsGetsAnError() {
    Compiler silent = Compiler.javac()
        .withProcessors(new AsyncProcessor(m -> m.getSimpleName().contentEquals("name")),
            new MisuseProcessor())
        .withOptions(Compiled.compiler().options())
        .withClasspath(Compiled.compiler().classPath().orElseThrow());
    Compilation c = compile(silent, NESTED.replace("Nested square = new SquareAsync();",
        "Nested square = new Impl();"));
    assertEquals(List.of("Nested.java:13: awaitj could not compile this @Async method (its lowering"
        + " stopped, expecting javac to report an error in it; it got a machine that throws), and no"
        + " error was reported that says why, so the program cannot run as it is; please report this"
        + " to awaitj with the method"), errors(c));
  }

  /**
   * A class whose signature names a type javac cannot resolve waits for a later round; its other
   * errors were reported once per round, and now once.
   */
  @Test
  void theErrorsOfAClassWhoseSignatureWaitsAreReportedOnce() {
    Compilation c = compile(Compiled.compiler(), """
        package rounds;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;

        public abstract class Waits {
          @Async
          public abstract Coroutine<Integer> f(Missing m);
        }
        """, CIRCLE);
    assertEquals(List.of("Waits.java:8: cannot find symbol", "Waits.java:8: @Async method cannot be"
        + " abstract: it needs a body to compile into a state machine; declare the abstract method"
        + " without @Async and implement it with one"), errors(c));
  }

  static final String PLAIN = """
      package rounds;

      import io.awaitj.Async;

      public abstract class Plain {
        @Async
        public int h() {
          return 1;
        }
      }
      """;

  /**
   * An error of the first round (a signature), held back until the next round has written the
   * machines of the other classes, lost its line: it was printed at an element of the first round,
   * which javac no longer knows in the second.
   */
  @Test
  void anErrorHeldBackFromTheFirstRoundKeepsItsLine() {
    Compilation c = compile(Compiled.compiler(), """
        package rounds;

        import io.awaitj.Async;

        public abstract class Plain {
          @Async
          public int h() {
            return 1;
          }
        }
        """, CIRCLE);
    assertEquals(List.of("Plain.java:7: " + WRONG_RETURN_TYPE), errors(c));
  }

  private static Compilation compile(Compiler compiler, String... sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (String s : sources) {
      files.add(JavaFileObjects.forSourceString(Compiled.qualifiedName(s), s));
    }
    return compiler.compile(files);
  }

  /** The errors, each as {@code File.java:line: first line of the message}. */
  static List<String> errors(Compilation c) {
    return describe(c.errors());
  }

  static List<String> warnings(Compilation c) {
    return describe(c.warnings());
  }

  private static List<String> describe(List<Diagnostic<? extends JavaFileObject>> ds) {
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : ds) {
      String file = d.getSource() == null ? "?" : d.getSource().getName();
      file = file.substring(file.lastIndexOf('/') + 1);
      out.add(file + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
    }
    return out;
  }

  private static List<String> sorted(List<String> l) {
    List<String> s = new ArrayList<>(l);
    s.sort(null);
    return s;
  }

  /**
   * Writes {@code rounds.Late}, a class with an {@code @Async} method, in the round after awaitj's
   * shells (one where awaitj's own classes alone had no {@code @Async}).
   */
  @javax.annotation.processing.SupportedAnnotationTypes("*")
  static final class WritesAsyncLater extends AbstractProcessor {
    private boolean written;

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
      if (!written && env.getRootElements().stream()
          .anyMatch(e -> e.getSimpleName().toString().endsWith("Async"))) {
        written = true;
        try (Writer w = processingEnv.getFiler().createSourceFile("rounds.Late").openWriter()) {
          w.write("""
              package rounds;

              import io.awaitj.Aio;
              import io.awaitj.Async;
              import io.awaitj.Coroutine;
              import static io.awaitj.Aio.await;
              import static io.awaitj.Aio.done;

              public final class Late {
                @Async
                public static Coroutine<Integer> late() {
                  await(Aio.sleep(1));
                  return done(7);
                }
              }
              """);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  /**
   * The rounds after the first are looked at for @Async methods only when their classes have any
   * (javac's set of the round's annotations): a class another processor writes with one, in the
   * round after awaitj's shells, gets its own XAsync and machine.
   */
  @Test
  void aClassWithAsyncMethodsWrittenByAnotherProcessorInALaterRoundIsCompiled() {
    Compiled c = Compiled.compileWith(withProcessor(new WritesAsyncLater()), CIRCLE);
    assertEquals(7, Aio.runVirtual(Compiled.call(c.load("rounds.LateAsync"), "late")));
    assertEquals("circle", Aio.runVirtual(Compiled.call(c.instantiate("rounds.CircleAsync"), "name")));
  }
}
