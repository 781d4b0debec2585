package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program in a named module (every other test compiles in the unnamed one): the processor looks
 * generated names up in the user type's module, which must find the user's type that clashes with
 * one there, and must not keep a valid module from compiling. The runtime is its own module, {@code
 * io.awaitj}, as the test's class path has it (its classes directory or jar, with its module-info);
 * the processor runs in this JVM. (integration's ModulePathTest compiles and runs such a module with
 * the JDK's javac and java and the built jars.)
 */
class NamedModuleTest {

  /** (The generated classes' {@code @Generated} is java.compiler's.) */
  private static final String MODULE =
      "module demo { requires io.awaitj; requires static java.compiler; exports demo; }\n";

  private static final String DEMO = """
      package demo;

      import static io.awaitj.Aio.*;

      import io.awaitj.Async;
      import io.awaitj.Coroutine;

      public abstract class Demo {
        @Async public Coroutine<Integer> twice(int x) {
          int y = await(half(x * 4));
          return done(y);
        }

        @Async public static Coroutine<Integer> half(int x) {
          await(sleep(0));
          return done(x / 2);
        }
      }
      """;

  /** What javac said, and the classes it wrote (by path under the output, with '/'). */
  private record Result(boolean ok, List<String> errors, List<String> classes) {}

  @Test
  void aValidModuleCompiles(@TempDir Path dir) throws IOException {
    Result r = compile(dir, Map.of("module-info.java", MODULE, "demo/Demo.java", DEMO));
    assertTrue(r.ok(), r.errors()::toString);
    assertTrue(r.classes().containsAll(List.of("demo/DemoAsync.class", "demo/DemoAsync_twice.class",
        "demo/DemoAsync_half.class")), r.classes()::toString);
  }

  @Test
  void aTypeOfTheModuleUnderAGeneratedNameIsAClash(@TempDir Path dir) throws IOException {
    Result r = compile(dir, Map.of("module-info.java", MODULE, "demo/Demo.java", DEMO,
        "demo/DemoAsync_half.java", "package demo;\nclass DemoAsync_half {}\n"));
    assertEquals(List.of("cannot generate demo.DemoAsync_half: a type with that name already exists"),
        r.errors());
  }

  @Test
  void aTypeOfTheModuleUnderTheShellsNameIsAClash(@TempDir Path dir) throws IOException {
    Result r = compile(dir, Map.of("module-info.java", MODULE, "demo/Demo.java", DEMO,
        "demo/DemoAsync.java", "package demo;\npublic class DemoAsync {}\n"));
    assertEquals(List.of("cannot generate demo.DemoAsync for Demo: a type with that name already exists;"
        + " rename one of them"), r.errors());
  }

  /**
   * A module that does not read java.compiler: javax.annotation.processing.Generated, which every
   * generated class carries, is not visible there. Said once, on the user's class, with what to do,
   * instead of javac's error in each generated file.
   */
  @Test
  void aModuleThatDoesNotReadJavaCompilerIsToldToRequireIt(@TempDir Path dir) throws IOException {
    Result r = compile(dir, Map.of("module-info.java", "module demo { requires io.awaitj; exports demo; }\n",
        "demo/Demo.java", DEMO));
    assertEquals(List.of("awaitj marks the classes it generates with @javax.annotation.processing.Generated,"
        + " whose module java.compiler module demo does not read: add 'requires static java.compiler;'"
        + " to its module-info.java"), r.errors());
  }

  private static Result compile(Path dir, Map<String, String> sources) throws IOException {
    Path src = dir.resolve("src");
    Path out = Files.createDirectories(dir.resolve("out"));
    List<File> files = new ArrayList<>();
    for (Map.Entry<String, String> s : sources.entrySet()) {
      Path f = src.resolve(s.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, s.getValue());
      files.add(f.toFile());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, null)) {
      JavaCompiler.CompilationTask task = javac.getTask(new StringWriter(), fm, diagnostics,
          List.of("--module-path", runtimeModule(), "-d", out.toString(),
              "-s", Files.createDirectories(dir.resolve("gen")).toString()),
          null, fm.getJavaFileObjectsFromFiles(files));
      task.setProcessors(List.of(new AsyncProcessor(), new MisuseProcessor()));
      boolean ok = task.call();
      List<String> errors = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(d -> d.getMessage(null)).toList();
      List<String> classes;
      try (Stream<Path> all = Files.walk(out)) {
        classes = all.filter(p -> p.toString().endsWith(".class"))
            .map(p -> out.relativize(p).toString().replace(File.separatorChar, '/')).sorted().toList();
      }
      return new Result(ok, errors, classes);
    }
  }

  /** The runtime, module io.awaitj: where the class path has it (Compiled.classpath()'s entries). */
  private static String runtimeModule() {
    return Compiled.classpath().stream().distinct().map(File::toString)
        .collect(java.util.stream.Collectors.joining(File.pathSeparator));
  }
}
