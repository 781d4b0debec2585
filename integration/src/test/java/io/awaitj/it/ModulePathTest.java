package io.awaitj.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.awaitj.Async;
import io.awaitj.Coroutine;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * awaitj as a user's build uses it, through the JDK's own {@code javac} and {@code java} commands (of
 * the JDK running the test) in processes of their own: a program with {@code @Async} methods (a
 * gather of two sleeps, an async generator) compiled with the processor on the processor path, against
 * the runtime as Maven resolved it for this module (in {@code mvn verify}, the built jars: the
 * runtime's and the processor's shaded one; in a {@code test} run, their classes directories, and
 * JavaPoet beside the processor's), then run: as a named module on the module path, with the
 * processor on the processor path or on the processor module path; the same program on the class
 * path; and a test module whose {@code @AsyncTest}s JUnit's launcher runs, awaitj-junit and JUnit on
 * the module path too. Before the runtime held {@code @Async} and declared its module, the module
 * path refused awaitj: "module demo reads package io.awaitj from both awaitj.runtime and
 * awaitj.annotations".
 */
class ModulePathTest {

  private static final String MODULE_INFO = """
      // The generated classes carry @javax.annotation.processing.Generated, of java.compiler.
      module demo {
        requires io.awaitj;
        requires static java.compiler;
      }
      """;

  private static final String MAIN = """
      package demo;

      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;
      import static io.awaitj.Aio.emit;
      import static io.awaitj.Aio.finish;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.AsyncGenerator;
      import io.awaitj.Coroutine;
      import java.util.List;

      public class Main {
        @Async
        static Coroutine<String> greet(String who, long millis) {
          await(Aio.sleep(millis));
          return done("hello " + who);
        }

        @Async
        static AsyncGenerator<Integer> countdown(int from) {
          for (int i = from; i > 0; i--) {
            await(Aio.sleep(1));
            emit(i);
          }
          return finish();
        }

        @Async
        static Coroutine<String> all() {
          List<String> greetings = await(Aio.gather(greet("a", 20), greet("b", 10)));
          StringBuilder counted = new StringBuilder();
          for (int i : countdown(3)) {
            counted.append(i);
          }
          return done(greetings + " " + counted);
        }

        public static void main(String[] args) {
          System.out.println(Aio.run(MainAsync.all()));
          System.out.println("demo in " + Main.class.getModule() + ", awaitj in "
              + Aio.class.getModule());
        }
      }
      """;

  @Test
  void aNamedModuleCompilesWithTheProcessorPathAndRunsOnTheModulePath(@TempDir Path dir)
      throws IOException, InterruptedException {
    assertEquals(List.of("[hello a, hello b] 321", "demo in module demo, awaitj in module io.awaitj"),
        compileAndRunTheModule(dir, "--processor-path", processor()));
  }

  @Test
  void theClassPathStillWorks(@TempDir Path dir) throws IOException, InterruptedException {
    Path out = dir.resolve("out");
    run(javac(), "-cp", path(runtime()), "-processorpath", path(processor()),
        "-d", out.toString(), "-s", dir.resolve("gen").toString(),
        write(dir, Map.of("demo/Main.java", MAIN)));
    List<String> lines = run(java(), "-cp", path(runtime(), out.toFile()), "demo.Main");
    assertEquals(2, lines.size(), lines::toString);
    assertEquals("[hello a, hello b] 321", lines.get(0));
    // Both in the unnamed module of the class path ("unnamed module @1b6d3586").
    assertTrue(lines.get(1).matches("demo in unnamed module @\\w+, awaitj in unnamed module @\\w+"),
        lines::toString);
  }

  /**
   * The processor jar as an automatic module ({@code io.awaitj.processor}, its manifest's name), on
   * javac's processor module path: javac finds it by the service its META-INF/services declares. Only
   * the built jar can be there (a classes directory without a module-info is no module), so this
   * needs {@code package}, as {@code mvn verify} runs it.
   */
  @Test
  void theProcessorRunsFromTheProcessorModulePath(@TempDir Path dir)
      throws IOException, InterruptedException {
    Set<File> processor = processor();
    assumeTrue(processor.size() == 1 && processor.iterator().next().isFile(),
        () -> "the processor is not a jar in this build: " + processor);
    // The name a user writes (--add-modules, --limit-modules) is its manifest's, not the file's.
    assertEquals(List.of("io.awaitj.processor"),
        ModuleFinder.of(processor.iterator().next().toPath()).findAll().stream()
            .map(m -> m.descriptor().name()).toList());
    assertEquals(List.of("[hello a, hello b] 321", "demo in module demo, awaitj in module io.awaitj"),
        compileAndRunTheModule(dir, "--processor-module-path", processor));
  }

  /**
   * Compiles the module demo (MODULE_INFO, MAIN) against the runtime on the module path, with the
   * processor at {@code processorOption}, and runs its main class from the module path.
   */
  private static List<String> compileAndRunTheModule(Path dir, String processorOption,
      Set<File> processor) throws IOException, InterruptedException {
    Path out = dir.resolve("out");
    run(javac(), "--module-path", path(runtime()), processorOption, path(processor),
        "-d", out.toString(), "-s", dir.resolve("gen").toString(),
        write(dir, Map.of("module-info.java", MODULE_INFO, "demo/Main.java", MAIN)));
    return run(java(), "--module-path", path(runtime(), out.toFile()),
        "-m", "demo/demo.Main");
  }

  private static final String TICKER_TEST = """
      package demo;

      import static io.awaitj.Aio.await;
      import static org.junit.jupiter.api.Assertions.assertEquals;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import io.awaitj.EventLoop;
      import io.awaitj.Task;
      import io.awaitj.junit.AsyncTest;
      import io.awaitj.junit.TestTime;
      import java.time.Duration;
      import java.util.concurrent.atomic.AtomicInteger;

      class TickerTest {
        @AsyncTest(timeout = 60)
        void ticksOncePerSecond(EventLoop loop, TestTime time) {
          AtomicInteger ticks = new AtomicInteger();
          Task<Void> ticker = loop.createTask(TickerTestAsync.tick(ticks));
          time.advanceBy(Duration.ofSeconds(10));
          assertEquals(10, ticks.get());
          ticker.cancel();
          time.runCurrent();
        }

        @AsyncTest
        void leavesATaskPending(EventLoop loop) {
          loop.createTask(TickerTestAsync.tick(new AtomicInteger()));
        }

        @Async
        static Coroutine<Void> tick(AtomicInteger ticks) {
          while (true) {
            await(Aio.sleep(Duration.ofSeconds(1)));
            ticks.incrementAndGet();
          }
        }
      }
      """;

  private static final String RUN_TESTS = """
      package demo;

      import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

      import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
      import org.junit.platform.launcher.core.LauncherFactory;
      import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
      import org.junit.platform.launcher.listeners.TestExecutionSummary;

      public class RunTests {
        public static void main(String[] args) {
          SummaryGeneratingListener listener = new SummaryGeneratingListener();
          LauncherFactory.create().execute(
              LauncherDiscoveryRequestBuilder.request().selectors(selectClass(TickerTest.class)).build(),
              listener);
          TestExecutionSummary summary = listener.getSummary();
          System.out.println(summary.getTestsSucceededCount() + " succeeded, "
              + summary.getTestsFailedCount() + " failed");
          for (TestExecutionSummary.Failure f : summary.getFailures()) {
            System.out.println(f.getTestIdentifier().getDisplayName() + ": "
                + f.getException().getMessage().lines().findFirst().orElse(""));
          }
          System.out.println("extension in " + io.awaitj.junit.AsyncTest.class.getModule());
        }
      }
      """;

  /**
   * awaitj-junit as the named module {@code io.awaitj.junit}: a test module that requires it alone
   * reads the runtime and JUnit Jupiter's API through it, and JUnit's launcher, on the module path
   * too, runs its {@code @AsyncTest}s: one that steps the virtual clock and passes, one that leaves a
   * task pending and fails by the extension's check.
   */
  @Test
  void theJunitExtensionWorksOnTheModulePath(@TempDir Path dir)
      throws IOException, InterruptedException {
    Set<File> modules = new LinkedHashSet<>(runtime());
    modules.add(locationOf(load("io.awaitj.junit.AsyncTest")));
    for (String c : List.of("org.junit.jupiter.api.Test", "org.junit.jupiter.engine.JupiterTestEngine",
        "org.junit.platform.commons.support.AnnotationSupport", "org.junit.platform.engine.TestEngine",
        "org.junit.platform.launcher.core.LauncherFactory", "org.opentest4j.AssertionFailedError",
        "org.apiguardian.api.API")) {
      modules.add(locationOf(load(c)));
    }
    Path out = dir.resolve("out");
    run(javac(), "--module-path", path(modules), "--processor-path", path(processor()),
        "-d", out.toString(), "-s", dir.resolve("gen").toString(),
        write(dir, Map.of("module-info.java", """
            module demo {
              requires io.awaitj.junit;
              requires org.junit.platform.launcher;
              requires static java.compiler;
              opens demo to org.junit.platform.commons;
            }
            """, "demo/TickerTest.java", TICKER_TEST, "demo/RunTests.java", RUN_TESTS)));
    List<String> lines = run(java(), "--module-path", path(modules, out.toFile()),
        "-m", "demo/demo.RunTests");
    assertEquals(List.of("1 succeeded, 1 failed",
        "leavesATaskPending(EventLoop): the test left 1 task not done (await them, or cancel them and"
            + " run the loop until they are done, before the test ends)",
        "extension in module io.awaitj.junit"), lines);
  }

  // -----------------------------------------------------------------------------------------------

  /** Writes {@code sources} under {@code dir/src}, and returns their paths. */
  private static String[] write(Path dir, Map<String, String> sources) throws IOException {
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, String> s : sources.entrySet()) {
      Path f = dir.resolve("src").resolve(s.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, s.getValue());
      files.add(f.toString());
    }
    return files.toArray(String[]::new);
  }

  /** Where awaitj's runtime is for this module's tests: {@code @Async}'s and {@code Coroutine}'s. */
  private static Set<File> runtime() {
    return new LinkedHashSet<>(List.of(locationOf(Async.class), locationOf(Coroutine.class)));
  }

  /**
   * The processor as this module's build has it: the shaded jar alone (JavaPoet inside), or, in a
   * build that stops before {@code package}, its classes and JavaPoet's jar.
   */
  private static Set<File> processor() {
    Set<File> files = new LinkedHashSet<>();
    File processor = locationOf(load("io.awaitj.processor.AsyncProcessor"));
    files.add(processor);
    if (processor.isDirectory()) {
      files.add(locationOf(load("com.palantir.javapoet.JavaFile")));
    }
    return files;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ModulePathTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name + " is not on this module's test class path", e);
    }
  }

  private static File locationOf(Class<?> c) {
    try {
      return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String path(Set<File> first, File... more) {
    return Stream.concat(first.stream(), Stream.of(more))
        .map(File::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private static String javac() {
    return Path.of(System.getProperty("java.home"), "bin", "javac").toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs {@code command} (its arguments: strings, or arrays of them), and returns its output's lines
   * (stderr with stdout); fails with the command and its output unless it exits with 0.
   */
  private static List<String> run(String command, Object... args)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(command));
    for (Object a : args) {
      if (a instanceof String[] all) {
        argv.addAll(List.of(all));
      } else {
        argv.add((String) a);
      }
    }
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    int exit = p.waitFor();
    assertEquals(0, exit, () -> String.join(" ", argv) + "\n" + output);
    return output.lines().toList();
  }
}
