package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overloads of {@link Aio}'s combinators, compiled by a real javac against the runtime: the call
 * shapes users write, with awaitables (as before the {@link java.util.concurrent.CompletionStage}
 * forms came) and with stages, resolve without ambiguity and without warnings.
 */
class CallShapesTest {
  @TempDir Path out;

  private static final String IMPORTS =
      "package shapes;\n"
          + "import io.awaitj.*;\n"
          + "import java.time.Duration;\n"
          + "import java.util.*;\n"
          + "import java.util.concurrent.*;\n";

  /** Parameters in scope of every shape. */
  private static final String PARAMETERS =
      "Task<String> t1, Task<String> t2, Coroutine<String> c, Promise<Integer> pi,"
          + " List<Coroutine<String>> coros, List<Task<String>> tasks, Set<Promise<String>> promises,"
          + " List<Awaitable<String>> aws, Awaitable<String>[] array,"
          + " CompletableFuture<String> f1, CompletableFuture<String> f2, CompletionStage<Integer> s3,"
          + " List<CompletableFuture<String>> stages";

  /** Compiles {@code body} as a method with {@link #PARAMETERS}; returns javac's errors and warnings. */
  private List<String> compile(String body) throws Exception {
    String source =
        IMPORTS + "class Shapes {\n  @SuppressWarnings(\"unused\")\n  static void shapes(" + PARAMETERS
            + ") {\n" + body + "\n  }\n}\n";
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String runtime = new File(Aio.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getPath();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      JavaFileObject unit =
          new SimpleJavaFileObject(URI.create("string:///shapes/Shapes.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return source;
            }
          };
      List<String> options =
          List.of("--release", "17", "-Xlint:all", "-proc:none", "-classpath", runtime, "-d",
              Files.createDirectories(out).toString());
      javac.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
    }
    List<String> found = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.NOTE) {
        found.add(d.getKind() + " line " + (d.getLineNumber() - 8) + ": " + d.getMessage(null));
      }
    }
    return found;
  }

  @Test
  void theCallShapesOfAwaitablesAndStagesCompileCleanly() throws Exception {
    List<String> problems =
        compile(
            String.join(
                "\n",
                // Awaitables, as before.
                "Promise<List<String>> a = Aio.gather(t1, t2);",
                "var a2 = Aio.gather(t1, t2);",
                "Promise<List<String>> a3 = a2;",
                "Promise<List<String>> b = Aio.gather(coros);",
                "Promise<List<String>> b2 = Aio.gather(tasks);",
                "Promise<List<String>> b3 = Aio.gather(aws);",
                "Promise<List<String>> b4 = Aio.gather(array);",
                "Promise<List<String>> b5 = Aio.gather(c);",
                "Promise<List<Object>> mixed = Aio.gather(t1, c, pi);",
                "Promise<List<Object>> mixed2 = Aio.<Object>gather(t1, c, pi);",
                "Promise<List<Object>> empty = Aio.gather();",
                "Promise<List<String>> empty2 = Aio.<String>gather();",
                "Promise<List<Result<String>>> settled = Aio.gatherSettled(t1, c);",
                "Promise<List<Result<String>>> settled2 = Aio.gatherSettled(coros);",
                "Promise<List<Result<Object>>> settledEmpty = Aio.gatherSettled();",
                "Coroutine<String> w1 = Aio.waitFor(t1, Duration.ofSeconds(1));",
                "Coroutine<String> w2 = Aio.waitFor(c, null);",
                "Promise<String> sh1 = Aio.shield(t1);",
                "Promise<String> sh2 = Aio.shield(c);",
                "List<Coroutine<String>> ac = Aio.asCompleted(aws);",
                "List<Coroutine<String>> ac2 = Aio.asCompleted(coros, Duration.ofSeconds(1));",
                "Coroutine<WaitResult<Task<String>>> wt = Aio.wait(tasks);",
                "Coroutine<WaitResult<Promise<String>>> wt2 = Aio.wait(promises,"
                    + " ReturnWhen.FIRST_COMPLETED);",
                // Stages.
                "Promise<String> p = Aio.fromStage(f1);",
                "Promise<Integer> p2 = Aio.fromStage(s3);",
                "Promise<List<String>> s = Aio.gather(f1, f2);",
                "var s1 = Aio.gather(f1, f2);",
                "Promise<List<String>> s1b = s1;",
                "Promise<List<Object>> s2 = Aio.gather(f1, s3);",
                "Promise<List<String>> s4 = Aio.gather(f1);",
                "Promise<List<Result<String>>> gs = Aio.gatherSettled(f1, f2);",
                "Promise<List<Object>> both = Aio.gather(t1, Aio.fromStage(f1));",
                "Promise<List<String>> list = Aio.gather(stages.stream().map(Aio::fromStage).toList());",
                "Coroutine<String> w3 = Aio.waitFor(f1, Duration.ZERO);",
                "Coroutine<Integer> w4 = Aio.waitFor(s3, null);",
                "Promise<String> sh3 = Aio.shield(f1);",
                "Coroutine<String> w5 = Aio.waitFor(Aio.shield(f1), Duration.ofSeconds(1));",
                "List<Coroutine<String>> ac3 = Aio.asCompleted(stages.stream().map(Aio::fromStage)"
                    + ".toList());",
                "Coroutine<WaitResult<Promise<String>>> wt3 ="
                    + " Aio.wait(stages.stream().map(Aio::fromStage).toList(),"
                    + " ReturnWhen.FIRST_COMPLETED);"));
    assertEquals(List.of(), problems);
  }

  @Test
  void aMixOfStagesAndAwaitablesNeedsFromStage() throws Exception {
    // The README's rule: a stage among awaitables goes through Aio.fromStage.
    List<String> problems = compile("Aio.gather(t1, f1);");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("ERROR"), problems.toString());
    assertTrue(
        problems.stream().collect(Collectors.joining()).contains("gather"), problems.toString());
  }
}
