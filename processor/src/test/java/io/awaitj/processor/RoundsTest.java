package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the user sees of the rounds of annotation processing. */
class RoundsTest {

  /** Its XAsync is written in the first round. */
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
    assertEquals(List.of("Plain.java:7: @Async method must return io.awaitj.Coroutine<T>, not int:"
        + " declare it as Coroutine<T> and end it with 'return done(value);'"), errors(c));
  }

  /**
   * The net: a method whose lowering gives up expecting javac to report an error, where javac reports
   * none, gets an error that says so, when javac is about to compile its placeholder machine (one
   * that throws "did not compile"): the worst case is a clear compile error.
   */
  @Test
  void aPlaceholderThatNoErrorExplainsGetsAnError() {
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
    assertEquals(List.of("Net.java:17: awaitj could not compile this @Async method (its lowering"
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

  private static List<String> describe(List<Diagnostic<? extends JavaFileObject>> ds) {
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : ds) {
      String file = d.getSource() == null ? "?" : d.getSource().getName();
      file = file.substring(file.lastIndexOf('/') + 1);
      out.add(file + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
    }
    return out;
  }
}
