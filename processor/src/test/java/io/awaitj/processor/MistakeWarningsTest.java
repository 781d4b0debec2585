package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * Compile-time warnings for the classic async mistakes (issue 11): a coroutine made and dropped, a
 * blocking call in an {@code @Async} body, {@code await(Aio.createTask(...))} in a loop. Each on the
 * user's line, with its {@code @SuppressWarnings} key; none where the code is right. And a program
 * written as the README shows compiles with {@code -Xlint:all -Werror}.
 */
class MistakeWarningsTest {
  private static final String HEADER = """
      package demo;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.util.ArrayList;
      import java.util.List;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      """;

  /** The warnings of compiling {@code source}, as "line: [key]" (the key is the message's start). */
  private static List<String> warnings(String source) {
    Compilation c = Compiled.compileRaw(HEADER + source);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    return c.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.WARNING && d.getMessage(Locale.ROOT).startsWith("[awaitj"))
        .map(d -> (d.getLineNumber() - 10) + ": " + d.getMessage(Locale.ROOT).substring(0,
            d.getMessage(Locale.ROOT).indexOf(']') + 1))
        .collect(Collectors.toList());
  }

  @Test
  void aCoroutineMadeAndDroppedIsReportedInAsyncBodiesAndInOrdinaryCode() {
    // Line numbers count from the class declaration (line 1).
    assertEquals(List.of("4: [awaitj-unawaited]", "5: [awaitj-unawaited]", "11: [awaitj-unawaited]"),
        warnings("""
            public abstract class Demo {
              @Async static Coroutine<Integer> one() { return done(1); }
              @Async static Coroutine<Integer> f() {
                Aio.sleep(100);
                one();
                io.awaitj.Task<Integer> t = Aio.createTask(DemoAsync.one());
                Aio.createTask(DemoAsync.one());
                return done(await(one()) + await(t));
              }
              static void plain() {
                DemoAsync.f();
                Coroutine<Integer> kept = DemoAsync.f();
                System.out.println(Aio.run(kept));
              }
            }
            """));
  }

  @Test
  void anAsyncGeneratorMadeAndDroppedIsReportedInAsyncBodiesAndInOrdinaryCode() {
    assertEquals(List.of("7: [awaitj-unawaited]", "13: [awaitj-unawaited]", "14: [awaitj-unawaited]"),
        warnings("""
            public abstract class Demo {
              @Async static io.awaitj.AsyncGenerator<Integer> numbers() {
                Aio.emit(1);
                return Aio.finish();
              }
              @Async static Coroutine<Integer> f() {
                numbers();
                int sum = 0;
                for (int x : numbers()) sum += x;
                return done(sum);
              }
              static void plain() {
                DemoAsync.numbers();
                io.awaitj.flow.Flows.from(DemoAsync.numbers()).map(x -> x + 1);
                io.awaitj.AsyncGenerator<Integer> kept = DemoAsync.numbers();
                System.out.println(Aio.run(io.awaitj.flow.Flows.from(kept).toList()));
              }
            }
            """));
  }

  @Test
  void blockingCallsInAsyncBodiesButNotInTheirLambdasOrOnMemory() {
    assertEquals(List.of("3: [awaitj-blocking]", "5: [awaitj-blocking]", "6: [awaitj-blocking]",
            "7: [awaitj-blocking]"),
        warnings("""
            public abstract class Demo {
              @Async static Coroutine<Integer> f(java.util.concurrent.CompletableFuture<Integer> future) throws Exception {
                Thread.sleep(10);
                int a = await(future);
                int b = future.join();
                int c = future.get();
                new java.util.concurrent.locks.ReentrantLock().lock();
                int d = new java.io.ByteArrayInputStream(new byte[] {1}).read();
                int e = await(Aio.toThread(() -> { Thread.sleep(1); return future.get(); }));
                Runnable r = new Runnable() {
                  @Override public void run() {
                    try { Thread.sleep(1); } catch (InterruptedException x) { }
                  }
                };
                r.run();
                return done(a + b + c + d + e);
              }
              static int plain(java.util.concurrent.CompletableFuture<Integer> future) throws Exception {
                Thread.sleep(10);
                return future.get();
              }
            }
            """));
  }

  @Test
  void aMethodThatOnlySharesABlockingCallsNameIsNotReported() {
    // Found by the samples: await(Aio.wait(tasks)) was reported as Object.wait.
    assertEquals(List.of("8: [awaitj-blocking]"),
        warnings("""
            public abstract class Demo {
              static void wait(int x) { }
              static int read(java.io.InputStream in, int n) { return n; }
              @Async static Coroutine<Integer> f(List<io.awaitj.Task<String>> tasks, java.io.InputStream in) throws Exception {
                await(Aio.wait(tasks));
                wait(3);
                int n = read(in, 2);
                return done(n + in.read());
              }
            }
            """));
  }

  @Test
  void aBlockingFileReadPointsToAsyncFiles() {
    Compilation c = Compiled.compileRaw(HEADER + """
        public abstract class Demo {
          @Async static Coroutine<String> f(java.nio.file.Path p) throws Exception {
            return done(java.nio.file.Files.readString(p));
          }
        }
        """);
    List<String> messages = c.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.WARNING)
        .map(d -> d.getMessage(Locale.ROOT))
        .collect(Collectors.toList());
    assertEquals(1, messages.size(), messages::toString);
    assertEquals(true, messages.get(0).startsWith("[awaitj-blocking]"), messages::toString);
    assertEquals(true, messages.get(0).contains("use io.awaitj.io.AsyncFiles (await(AsyncFiles.readString(path))"),
        messages::toString);
  }

  @Test
  void awaitingEachTaskAsItIsCreatedInALoop() {
    assertEquals(List.of("6: [awaitj-serial]", "7: [awaitj-serial]", "8: [awaitj-serial]",
            "10: [awaitj-serial]"),
        warnings("""
            public abstract class Demo {
              @Async static Coroutine<Integer> one(int i) { return done(i); }
              @Async static Coroutine<Integer> f(List<Integer> items) {
                int sum = 0;
                for (int i = 0; i < 3; i++) {
                  await(Aio.createTask(DemoAsync.one(i)));
                  sum += await(Aio.createTask(DemoAsync.one(i)));
                  int x = await(Aio.createTask(DemoAsync.one(i)));
                }
                for (int i : items) sum += await(Aio.createTask(DemoAsync.one(i)));
                List<io.awaitj.Task<Integer>> tasks = new ArrayList<>();
                for (int i : items) {
                  tasks.add(Aio.createTask(DemoAsync.one(i)));
                  sum += await(one(i));
                }
                for (io.awaitj.Task<Integer> t : tasks) {
                  sum += await(t);
                }
                sum += await(Aio.createTask(DemoAsync.one(1)));
                return done(sum);
              }
            }
            """));
  }

  @Test
  void eachWarningIsSuppressedByItsKeyOrAllOnAnEnclosingDeclaration() {
    assertEquals(List.of("13: [awaitj-blocking]"),
        warnings("""
            public abstract class Demo {
              @SuppressWarnings("awaitj-unawaited")
              @Async static Coroutine<Integer> f() throws Exception {
                Aio.sleep(1);
                @SuppressWarnings("awaitj-blocking") int x = blocking();
                for (int i = 0; i < 2; i++) {
                  @SuppressWarnings("awaitj-serial") int y = await(Aio.createTask(DemoAsync.f()));
                }
                return done(x);
              }
              @SuppressWarnings("all")
              @Async static Coroutine<Integer> g() throws Exception { Thread.sleep(1); Aio.sleep(1); return done(1); }
              @Async static Coroutine<Integer> h() throws Exception { Thread.sleep(1); return done(1); }
              static int blocking() throws Exception { Thread.sleep(1); return 1; }
            }
            """));
  }

  /**
   * A program as the README writes it builds with {@code -Xlint:all -Werror}: the generated classes'
   * {@code @Generated} is claimed (else {@code -Xlint:processing} warns that no processor claimed
   * it), and a scope used only for its effect ({@code try (Timeout t = ...)}) takes the documented
   * {@code @SuppressWarnings("try")}.
   */
  @Test
  void theReadmesIdiomsBuildWithXlintAllAndWerror() {
    Compilation c = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AsyncProcessor(), new MisuseProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .withClasspath(Compiled.classpath())
        .compile(JavaFileObjects.forSourceString("demo.Demo", HEADER + """
            import io.awaitj.Timeout;
            import io.awaitj.sync.Semaphore;
            import java.time.Duration;

            public abstract class Demo {
              private final Semaphore permits = new Semaphore(2);

              @Async
              public Coroutine<String> fetch(String url) {
                await(Aio.sleep(Duration.ofMillis(10)));
                return done("page " + url);
              }

              @SuppressWarnings("try") // the scopes below are used for their effect only
              @Async
              public Coroutine<List<String>> crawl(List<String> urls) {
                List<io.awaitj.Task<String>> tasks = new ArrayList<>();
                for (String url : urls) {
                  tasks.add(Aio.createTask(fetch(url)));
                }
                List<String> pages = new ArrayList<>();
                try (Timeout t = Aio.timeout(Duration.ofSeconds(5))) {
                  for (io.awaitj.Task<String> task : tasks) {
                    try (var permit = await(permits.hold())) {
                      pages.add(await(task));
                    }
                  }
                }
                return done(pages);
              }
            }
            """));
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    assertEquals(List.of(), c.diagnostics().stream()
        .filter(d -> d.getKind() != Diagnostic.Kind.NOTE).map(Object::toString).collect(Collectors.toList()));
  }
}
