package io.awaitj.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.awaitj.processor.DiagnosticsTest.demo;
import static io.awaitj.processor.DiagnosticsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import io.awaitj.processor.DiagnosticsTest.Run;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The misuses of awaitj in ordinary code that {@code MisuseScanner} reports, and the uses it allows. */
class MisuseScannerTest {
  static final String AWAIT = "await can only be used in the body of an @Async method";
  static final String AWAIT_REFERENCE = "await cannot be used as a method reference";

  /** A class with one instance and one static @Async method; {@code more} goes inside it. */
  static String demoWith(String more) {
    return demo("""
        public abstract class Demo {
          final int base;
          Demo(int base) { this.base = base; }
          @Async Coroutine<Integer> twice(int x) {
            int a = await(Aio.sleep(Duration.ZERO, x));
            return done(base + 2 * a);
          }
          @Async static Coroutine<Integer> hello(int x) {
            await(Aio.sleep(1));
            return done(x + 1);
          }
        """ + more.indent(2) + "}\n");
  }

  // -----------------------------------------------------------------------------------------------
  // await outside @Async bodies.

  @Test
  void awaitInMainNextToTheGeneratedClassStillCompilesTheGeneratedClass() {
    Run r = run(demoWith("""
        public static void main(String[] args) {
          Demo d = new DemoAsync(100);
          int r = await(d.twice(1));
          System.out.println(r);
        }
        """));
    r.onlyError(AWAIT, "int r = await(d.twice(1));")
        .wrote("demo.DemoAsync")
        .wrote("demo.DemoAsync_twice")
        .wrote("demo.DemoAsync_hello");
    assertEquals(3, r.generated().size(), r.generated().toString());
  }

  @Test
  void awaitInConstructor() {
    run(demoWith("""
        Demo() {
          this(await(Aio.sleep(Duration.ZERO, 1)));
        }
        """)).onlyError(AWAIT, "this(await(");
  }

  @Test
  void awaitInFieldInitializers() {
    Run r = run(demoWith("""
        static final int START = await(Aio.sleep(Duration.ZERO, 1));
        final int next = Aio.await(Aio.sleep(Duration.ZERO, 2));
        """));
    assertThat(r.compilation()).hadErrorContaining(AWAIT).inFile(r.file(0)).onLineContaining("START =");
    assertThat(r.compilation()).hadErrorContaining(AWAIT).inFile(r.file(0)).onLineContaining("next =");
    assertThat(r.compilation()).hadErrorCount(2);
  }

  @Test
  void awaitInInitializerBlocks() {
    Run r = run(demoWith("""
        static { io.awaitj.Aio.await(Aio.sleep(1)); }
        { await(Aio.sleep(2)); }
        """));
    assertThat(r.compilation()).hadErrorContaining(AWAIT).inFile(r.file(0)).onLineContaining("static {");
    assertThat(r.compilation()).hadErrorContaining(AWAIT).inFile(r.file(0)).onLineContaining("Aio.sleep(2)");
    assertThat(r.compilation()).hadErrorCount(2);
  }

  @Test
  void awaitOfCompletionStageInLambdaOfOrdinaryMethod() {
    run(demoWith("""
        static Runnable later(java.util.concurrent.CompletableFuture<String> f) {
          return () -> System.out.println(await(f));
        }
        """)).onlyError(AWAIT, "System.out.println(await(f))");
  }

  @Test
  void awaitInAnotherClassWithoutAsyncMethods() {
    Run r = run(demoWith(""), demo("""
        class Client {
          int get(Demo d) {
            return await(d.twice(2));
          }
        }
        """));
    assertThat(r.compilation()).hadErrorContaining(AWAIT).inFile(r.file(1))
        .onLineContaining("return await(d.twice(2));");
    assertThat(r.compilation()).hadErrorCount(1);
  }

  @Test
  void awaitInSecondTopLevelClassOfAFileIsReportedOnce() {
    Run r = run(demoWith("") + """
        class Second {
          Object get() { return await(Aio.sleep(3)); }
        }
        """);
    r.onlyError(AWAIT, "return await(Aio.sleep(3));");
  }

  @Test
  void awaitAsMethodReference() {
    Run r = run(demoWith("""
        static java.util.function.Function<Coroutine<Integer>, Integer> awaiter() {
          return Aio::await;
        }
        @Async Coroutine<Integer> inside(java.util.List<Coroutine<Integer>> cs) {
          await(Aio.sleep(1));
          return done(cs.stream().map(Aio::await).mapToInt(i -> i).sum());
        }
        """));
    assertThat(r.compilation()).hadErrorContaining(AWAIT_REFERENCE).inFile(r.file(0))
        .onLineContaining("return Aio::await;");
    assertThat(r.compilation()).hadErrorContaining(AWAIT_REFERENCE).inFile(r.file(0))
        .onLineContaining("map(Aio::await)");
    assertThat(r.compilation()).hadErrorCount(2);
  }

  @Test
  void ownMethodNamedAwaitIsFine() {
    Compiled.compile(demoWith(""), demo("""
        class Other {
          static int await(int x) { return x; }
          int use() { return await(3); }
        }
        """));
  }

  // -----------------------------------------------------------------------------------------------
  // Static @Async templates called from ordinary code.

  @Test
  void qualifiedTemplateCall() {
    run(demoWith("""
        static Coroutine<Integer> entry() {
          return Demo.hello(1);
        }
        """)).onlyError("Demo.hello(...) is an @Async template: called directly, its body runs as plain"
            + " Java, where await throws. Call DemoAsync.hello(...) instead", "return Demo.hello(1);");
  }

  @Test
  void unqualifiedTemplateCallInTheSameClass() {
    run(demoWith("""
        static final Coroutine<Integer> EAGER = hello(2);
        """)).onlyError("Call DemoAsync.hello(...) instead", "EAGER = hello(2)");
  }

  @Test
  void templateCallThroughStaticImportFromAnotherPackage() {
    Run r = run(demo("""
        public abstract class Tools {
          @Async public static Coroutine<Integer> hello(int x) { return done(x); }
        }
        """), """
        package app;

        import io.awaitj.Coroutine;
        import static demo.Tools.hello;

        public class Client {
          Coroutine<Integer> get() {
            return hello(3);
          }
        }
        """);
    assertThat(r.compilation())
        .hadErrorContaining("Tools.hello(...) is an @Async template")
        .inFile(r.file(1))
        .onLineContaining("return hello(3);");
    assertThat(r.compilation()).hadErrorContaining("Call demo.ToolsAsync.hello(...) instead");
    assertThat(r.compilation()).hadErrorCount(1);
  }

  @Test
  void templateMethodReference() {
    run(demoWith("""
        static java.util.function.IntFunction<Coroutine<Integer>> factory() {
          return Demo::hello;
        }
        """)).onlyError("Demo::hello refers to an @Async template, whose body runs as plain Java, where"
            + " await throws: use DemoAsync::hello instead", "return Demo::hello;");
  }

  @Test
  void templateCallInNestedClassOfTheTemplate() {
    run(demoWith("""
        static class Nested {
          Coroutine<Integer> get() { return hello(4); }
        }
        """)).onlyError("Call DemoAsync.hello(...) instead", "return hello(4);");
  }

  // -----------------------------------------------------------------------------------------------
  // Correct uses: nothing reported.

  @Test
  void correctUsesReportNothing() {
    Compiled c = Compiled.compile(demoWith("""
        @Async static Coroutine<Integer> callsTemplates(Demo d) {
          int a = await(Demo.hello(1));
          int b = await(hello(2));
          java.util.function.IntFunction<Coroutine<Integer>> f = Demo::hello;
          int e = await(f.apply(3));
          return done(a + b + e + await(d.twice(1)));
        }
        """), demo("""
        public class Client {
          public static int run() {
            Demo d = new DemoAsync(100);
            Coroutine<Integer> direct = DemoAsync.hello(10);
            java.util.function.IntFunction<Coroutine<Integer>> f = DemoAsync::hello;
            Coroutine<Integer> instance = d.twice(1);
            return Aio.runVirtual(DemoAsync.callsTemplates(d)) + Aio.runVirtual(direct)
                + Aio.runVirtual(f.apply(20)) + Aio.runVirtual(instance);
          }
        }
        """));
    assertThat(c.compilation()).succeededWithoutWarnings();
    // 2 + 3 + 4 + 102, then 11, 21 and 102.
    assertEquals(111 + 11 + 21 + 102, invokeRun(c));
  }

  private static int invokeRun(Compiled c) {
    try {
      return (Integer) c.load("demo.Client").getMethod("run").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void scanningAttributesNothingSoWarningsAreReportedOnce() {
    Run r = run(demoWith(""), demo("""
        class Client {
          static Object get() {
            java.util.List raw = new java.util.ArrayList();
            raw.add(DemoAsync.hello(1));
            return raw;
          }
        }
        """));
    assertThat(r.compilation()).succeeded();
    // Raw List, raw ArrayList, unchecked add: once each (twice if the class were attributed during
    // processing).
    List<String> warnings = r.compilation().warnings().stream()
        .filter(d -> d.getSource() != null && d.getSource().getName().endsWith("Client.java"))
        .map(d -> d.getLineNumber() + ": " + d.getMessage(null))
        .collect(Collectors.toList());
    assertEquals(3, warnings.size(), warnings.toString());
  }

  @Test
  void unrelatedMethodsWithTheSameNameAreFine() {
    Compiled.compile(demoWith(""), demo("""
        class Other {
          static int hello(int x) { return x; }
          int twice(int x) { return 2 * x; }
          int use() { return Other.hello(1) + twice(2) + Math.max(1, 2); }
        }
        """));
  }

  // -----------------------------------------------------------------------------------------------
  // A compiled library: its @Async (class retention) is recognised.

  /** The class files of a library with a static template {@code lib.Lib.hello}, under {@code dir}. */
  private static File library(Path dir) {
    Compiled lib = Compiled.compile("""
        package lib;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.done;

        public abstract class Lib {
          @Async public static Coroutine<Integer> hello(int x) { return done(x * 10); }
        }
        """);
    return writeClasses(lib.compilation(), dir);
  }

  @Test
  void templateOfACompiledLibrary(@TempDir Path dir) {
    List<File> classpath = new ArrayList<>(Compiled.compiler().classPath().orElseThrow());
    classpath.add(library(dir));
    // One unit per way of naming Lib.hello.
    Run r = run(Compiled.compiler().withClasspath(classpath), """
        package app;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import lib.Lib;
        import lib.LibAsync;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class App {
          @Async static Coroutine<Integer> routed() { return done(await(Lib.hello(1)) + 1); }
          static Coroutine<Integer> wrong() {
            return Lib.hello(2);
          }
          static Coroutine<Integer> right() { return LibAsync.hello(3); }
        }
        """, """
        package app;

        class Sub extends lib.Lib {
          io.awaitj.Coroutine<Integer> inherited() {
            return hello(4);
          }
        }
        """, """
        package app;

        import io.awaitj.Coroutine;
        import static lib.Lib.hello;

        class StaticImport {
          Coroutine<Integer> get() {
            return hello(5);
          }
        }
        """, """
        package app;

        class FullyQualified {
          Object get() {
            return lib.Lib.hello(6);
          }
        }
        """, """
        package app;

        import lib.*;

        class OnDemandImport {
          Object get() {
            return Lib.hello(7);
          }
          Object reference() {
            java.util.function.IntFunction<?> f = Lib::hello;
            return f;
          }
        }
        """);
    Compilation c = r.compilation();
    String message = "Lib.hello(...) is an @Async template: called directly, its body runs as plain"
        + " Java, where await throws. Call lib.LibAsync.hello(...) instead";
    assertThat(c).hadErrorContaining(message).inFile(r.file(0)).onLineContaining("return Lib.hello(2);");
    assertThat(c).hadErrorContaining(message).inFile(r.file(1)).onLineContaining("return hello(4);");
    assertThat(c).hadErrorContaining(message).inFile(r.file(2)).onLineContaining("return hello(5);");
    assertThat(c).hadErrorContaining(message).inFile(r.file(3)).onLineContaining("lib.Lib.hello(6)");
    assertThat(c).hadErrorContaining(message).inFile(r.file(4)).onLineContaining("Lib.hello(7)");
    assertThat(c).hadErrorContaining("use lib.LibAsync::hello instead").inFile(r.file(4))
        .onLineContaining("Lib::hello");
    assertThat(c).hadErrorCount(6);
    r.wrote("app.AppAsync").wrote("app.AppAsync_routed");
  }

  @Test
  void templateOfACompiledLibraryInACompilationWithoutAsyncMethods(@TempDir Path dir) {
    List<File> classpath = new ArrayList<>(Compiled.compiler().classPath().orElseThrow());
    classpath.add(library(dir));
    Run r = run(Compiled.compiler().withClasspath(classpath), """
        package app;

        import io.awaitj.Coroutine;
        import lib.Lib;

        public class App {
          static Coroutine<Integer> wrong() {
            return Lib.hello(2);
          }
        }
        """);
    r.onlyError("Call lib.LibAsync.hello(...) instead", "return Lib.hello(2);");
  }

  @Test
  void errorsOfProcessingComeFirst() {
    // javac stops after processing errors, before the analysis the scanner waits for: the misuse is
    // reported once the class is fixed, and the missing DemoAsync is not reported at all.
    Run r = run(demo("""
        public final class Demo {
          @Async Coroutine<Integer> twice(int x) { return done(2 * x); }
          public static void main(String[] args) {
            Demo d = new DemoAsync();
            System.out.println(await(d.twice(1)));
          }
        }
        """));
    r.onlyError("remove 'final'", "Coroutine<Integer> twice(int x)").generatedNothingFor("DemoAsync");
  }

  @Test
  void misuseInAClassWithOtherErrors() {
    // A class without @Async methods is attributed after processing, errors or not. (A type error in
    // a class with @Async methods surfaces during processing, when the lowering attributes it, and
    // javac then stops before the analysis.)
    Run r = run(demoWith(""), demo("""
        class Client {
          static int broken() {
            int unused = await(Aio.sleep(Duration.ZERO, 1));
            return "not an int";
          }
        }
        """));
    assertThat(r.compilation()).hadErrorContaining("incompatible types").inFile(r.file(1))
        .onLineContaining("return \"not an int\";");
    assertThat(r.compilation()).hadErrorContaining(AWAIT).inFile(r.file(1))
        .onLineContaining("int unused = await(");
    assertThat(r.compilation()).hadErrorCount(2);
  }

  /** Writes the class files of {@code c} under {@code dir}; returns {@code dir}. */
  private static File writeClasses(Compilation c, Path dir) {
    Set<JavaFileObject> classes = c.generatedFiles().stream()
        .filter(f -> f.getKind() == JavaFileObject.Kind.CLASS)
        .collect(Collectors.toSet());
    for (JavaFileObject f : classes) {
      String path = f.toUri().getPath();
      String relative = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length());
      try (InputStream in = f.openInputStream()) {
        Path out = dir.resolve(relative);
        Files.createDirectories(out.getParent());
        Files.write(out, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir.toFile();
  }
}
