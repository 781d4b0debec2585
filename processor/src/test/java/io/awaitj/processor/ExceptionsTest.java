package io.awaitj.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Checked exceptions (issue 11 part 3, README "Exceptions"): a template's {@code throws} clause is
 * what awaiting its coroutine may throw; creating one never throws, so XAsync's factories declare
 * nothing; {@code await(x, IOException.class)} declares the checked exception an awaitable of any
 * other type may throw. Both directions: the catch the user writes compiles and catches the real
 * exception, and creating a coroutine needs no handler.
 */
class ExceptionsTest {
  static final String FETCHER = """
      package exc;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import io.awaitj.Task;
      import java.io.FileNotFoundException;
      import java.io.IOException;
      import java.util.concurrent.CompletableFuture;
      import java.util.function.Function;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Fetcher {
        @Async
        public static Coroutine<String> fetch(boolean fail) throws IOException {
          String s = await(Aio.sleep(java.time.Duration.ZERO, "fetched"));
          if (fail) {
            throw new IOException("fetch failed");
          }
          return done(s);
        }

        @Async
        public Coroutine<String> load(boolean fail) throws IOException {
          await(Aio.sleep(0));
          if (fail) {
            throw new FileNotFoundException("load failed");
          }
          return done("loaded");
        }

        /** A CompletionStage failed with an IOException: the declaring form lets the catch compile. */
        @Async
        public static Coroutine<String> stage(CompletableFuture<String> f) {
          try {
            return done(await(f, IOException.class));
          } catch (IOException e) {
            return done("caught " + e.getMessage());
          }
        }

        /** Another checked exception through the declaring form arrives as it is. */
        @Async
        public static Coroutine<Throwable> other(CompletableFuture<String> f) {
          try {
            await(f, IOException.class);
            return done(null);
          } catch (IOException e) {
            return done(new AssertionError("not an IOException", e));
          } catch (Exception e) {
            return done(e);
          }
        }

        /**
         * A template declaring IOException, awaited as it is created: javac sees its throws clause, so
         * the catch compiles; the exception arrives at the await.
         */
        @Async
        public static Coroutine<String> direct() {
          try {
            return done(await(fetch(true)));
          } catch (IOException e) {
            return done("direct " + e.getMessage());
          }
        }

        /**
         * Created in a try without awaits (copied as it is, with its catch, which javac demands in
         * the template), awaited later through a task with the declaring form.
         */
        @Async
        public static Coroutine<String> task() {
          Task<String> t;
          try {
            t = Aio.createTask(fetch(true));
          } catch (IOException e) {
            return done("created " + e.getMessage());
          }
          try {
            return done(await(t, IOException.class));
          } catch (IOException e) {
            return done("task " + e.getMessage());
          }
        }

        /** Made through the class's own XAsync in a template: no handler. */
        @Async
        public static Coroutine<String> spawn() {
          Task<String> t = Aio.createTask(FetcherAsync.fetch(true));
          try {
            return done(await(t, IOException.class));
          } catch (IOException e) {
            return done("spawned " + e.getMessage());
          }
        }

        /** An instance template through this: its throws clause is the template's. */
        @Async
        public Coroutine<String> instance() {
          Coroutine<String> c;
          try {
            c = load(true);
          } catch (IOException e) {
            return done("created " + e.getMessage());
          }
          try {
            return done(await(c, IOException.class));
          } catch (FileNotFoundException e) {
            return done("not found " + e.getMessage());
          } catch (IOException e) {
            return done("io " + e.getMessage());
          }
        }

        /** In an async lambda. */
        @Async
        public static Coroutine<String> lambda(CompletableFuture<String> f) {
          Function<Integer, Coroutine<String>> g = n -> {
            try {
              return done(await(f, IOException.class) + n);
            } catch (IOException e) {
              return done("lambda " + e.getMessage());
            }
          };
          return g.apply(1);
        }
      }
      """;

  /**
   * A template extending XAsync: its override cannot declare IOException, so it fails with
   * Aio.failed(e); its callers await with the declaring form.
   */
  static final String CACHED = """
      package exc;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.io.IOException;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Cached extends FetcherAsync {
        @Override
        @Async
        public Coroutine<String> load(boolean fail) {
          String s = await(super.load(fail));
          if (s.isEmpty()) {
            return Aio.failed(new IOException("empty"));
          }
          return done("cached " + s);
        }

        @Async
        public Coroutine<String> caller(boolean fail) {
          try {
            return done(await(load(fail), IOException.class));
          } catch (IOException e) {
            return done("caught " + e.getMessage());
          }
        }
      }
      """;

  /** Ordinary code: creating the coroutines through XAsync needs no handler. */
  static final String PLAIN = """
      package exc;

      import io.awaitj.Coroutine;

      public final class Plain {
        private Plain() {}

        public static Coroutine<String> created(boolean fail) {
          return FetcherAsync.fetch(fail);
        }

        public static Coroutine<String> createdInstance(boolean fail) {
          FetcherAsync f = new FetcherAsync();
          return f.load(fail);
        }
      }
      """;

  private static Compiled compiled() {
    return Compiled.compile(FETCHER, PLAIN, CACHED);
  }

  private static Object run(Coroutine<?> c) {
    return Aio.run(c);
  }

  @Test
  void theDeclaringAwaitCatchesTheIOExceptionOfAFailedStage() {
    Compiled c = compiled();
    Class<?> fetcher = c.load("exc.FetcherAsync");
    assertEquals("caught now", run(Compiled.call(fetcher, "stage",
        CompletableFuture.failedFuture(new IOException("now")))));
    CompletableFuture<String> later = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)
        .execute(() -> later.completeExceptionally(new IOException("later")));
    assertEquals("caught later", run(Compiled.call(fetcher, "stage", later)));
    assertEquals("value", run(Compiled.call(fetcher, "stage", CompletableFuture.completedFuture("value"))));
  }

  @Test
  void anotherCheckedExceptionThroughTheDeclaringAwaitArrivesAsItIs() {
    Compiled c = compiled();
    TimeoutException timeout = new TimeoutException("other");
    assertSame(timeout, run(Compiled.call(c.load("exc.FetcherAsync"), "other",
        CompletableFuture.failedFuture(timeout))));
  }

  @Test
  void theIOExceptionOfATemplateArrivesWhereItIsAwaited() {
    Compiled c = compiled();
    Class<?> fetcher = c.load("exc.FetcherAsync");
    assertEquals("direct fetch failed", run(Compiled.call(fetcher, "direct")));
    assertEquals("task fetch failed", run(Compiled.call(fetcher, "task")));
    assertEquals("spawned fetch failed", run(Compiled.call(fetcher, "spawn")));
    Object instance = c.instantiate("exc.FetcherAsync");
    assertEquals("not found load failed", run(Compiled.call(instance, "instance")));
    assertEquals("lambda now", run(Compiled.call(fetcher, "lambda",
        CompletableFuture.failedFuture(new IOException("now")))));
  }

  @Test
  void creatingACoroutineOfATemplateThatThrowsNeedsNoHandler() {
    Compiled c = compiled();
    Class<?> plain = c.load("exc.Plain");
    assertEquals("fetched", run(Compiled.call(plain, "created", false)));
    assertEquals("loaded", run(Compiled.call(plain, "createdInstance", false)));
    // Aio.run rethrows the coroutine's own exception, checked or not.
    IOException e = assertThrows(IOException.class, () -> Aio.run(Compiled.call(plain, "created", true)));
    assertEquals("fetch failed", e.getMessage());
    assertThrows(FileNotFoundException.class, () -> Aio.run(Compiled.call(plain, "createdInstance", true)));
  }

  @Test
  void aTemplateExtendingXAsyncFailsWithAioFailedAndItsCallersCatch() {
    Compiled c = compiled();
    Object cached = c.instantiate("exc.CachedAsync");
    assertEquals("cached loaded", run(Compiled.call(cached, "caller", false)));
    assertEquals("caught load failed", run(Compiled.call(cached, "caller", true)));
  }

  /** The generated shapes: factories without throws, the routed call in a copied try declared again. */
  @Test
  void theFactoriesDeclareNothingAndACopiedCatchStillCompiles() {
    Compiled c = compiled();
    String shell = c.generatedSource("exc.FetcherAsync");
    assertTrue(shell.contains("public static Coroutine<String> fetch(boolean fail) {"), shell);
    assertTrue(shell.contains("public Coroutine<String> load(boolean fail) {"), shell);
    String task = c.generatedSource("exc.FetcherAsync_task");
    assertTrue(task.contains("t = Aio.createTask(declaring(FetcherAsync.fetch(true), IOException.class));"),
        task);
    // Outside a try, and in a lowered try, the call is routed as it is.
    assertTrue(c.generatedSource("exc.FetcherAsync_direct").contains("awaitNow(FetcherAsync.fetch(true))"));
  }

  // -----------------------------------------------------------------------------------------------
  // What does not compile, and why.

  @Test
  void theSecondArgumentOfAwaitMustBeAClassLiteral() {
    DiagnosticsTest.run(DiagnosticsTest.demo("""
        public abstract class Demo {
          @Async static Coroutine<String> get(java.util.concurrent.CompletableFuture<String> f) {
            Class<java.io.IOException> k = java.io.IOException.class;
            try {
              return done(await(f, k));
            } catch (java.io.IOException e) {
              return done("caught");
            }
          }
        }
        """))
        .onlyError("the second argument of await must be a class literal, such as IOException.class:"
            + " it only names the checked exception the await may throw, and is never evaluated",
            "await(f, k)");
  }

  /** A template Demo (left open) whose instance method declares IOException. */
  private static final String THROWING_GET = """
      public abstract class Demo {
        @Async public Coroutine<String> get() throws java.io.IOException {
          return done(await(Aio.sleep(java.time.Duration.ZERO, "x")));
        }
      """;

  /** javac's own error (not awaitj's), in file {@code file} on the line containing {@code line}. */
  private static void javacError(String message, int file, String line, String... sources) {
    DiagnosticsTest.Run r = DiagnosticsTest.run(sources);
    assertThat(r.compilation()).hadErrorContaining(message).inFile(r.file(file)).onLineContaining(line);
  }

  /** The plain await declares nothing: the reason for the declaring form. javac's own error. */
  @Test
  void aCatchAroundThePlainAwaitOfAStageDoesNotCompile() {
    javacError("exception java.io.IOException is never thrown in body of corresponding try statement",
        0, "catch (java.io.IOException e)", DiagnosticsTest.demo("""
        public abstract class Demo {
          @Async static Coroutine<String> get(java.util.concurrent.CompletableFuture<String> f) {
            try {
              return done(await(f));
            } catch (java.io.IOException e) {
              return done("caught");
            }
          }
        }
        """));
  }

  /**
   * Through a variable of the template's type, javac reads the template's throws clause: creating
   * needs a handler there (declare the variable as XAsync instead).
   */
  @Test
  void throughTheTemplateTypeJavacAsksForAHandler() {
    javacError("unreported exception java.io.IOException; must be caught or declared to be thrown",
        0, "return d.get();", DiagnosticsTest.demo(THROWING_GET + """

          static Coroutine<String> make() {
            Demo d = new DemoAsync();
            return d.get();
          }
        }
        """));
  }

  /** The cost of the rule, javac's own error: an override in a template extending XAsync cannot widen. */
  @Test
  void anOverrideOfXAsyncCannotDeclareTheTemplatesException() {
    javacError("overridden method does not throw java.io.IOException",
        1, "public Coroutine<String> get() throws", DiagnosticsTest.demo(THROWING_GET + "}\n"), DiagnosticsTest.demo("""
        public abstract class Sub extends DemoAsync {
          @Override @Async public Coroutine<String> get() throws java.io.IOException {
            return done(await(super.get()));
          }
        }
        """));
  }

  /**
   * A routed call in a copied try, declared again as javac inferred it: a thrown type variable, two
   * exceptions and a multi-catch, a lambda's own try.
   */
  @Test
  void routedCallsInCopiedTriesDeclareWhatJavacInferred() {
    Compiled c = Compiled.compile("""
        package exc;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.io.IOException;
        import java.util.concurrent.TimeoutException;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Generic {
          @Async
          static <E extends Exception> Coroutine<String> fail(E e) throws E {
            await(Aio.sleep(0));
            throw e;
          }

          @Async
          static <T> Coroutine<T> id(T t) throws IOException, TimeoutException {
            await(Aio.sleep(0));
            return done(t);
          }

          @Async
          static Coroutine<String> use() {
            Coroutine<String> c;
            try {
              c = Generic.fail(new IOException("inferred"));
            } catch (IOException e) {
              return done("made");
            }
            Coroutine<String> d;
            try {
              d = Generic.<String>id("d");
            } catch (IOException | TimeoutException e) {
              return done("made");
            }
            Supplier<Coroutine<String>> s = () -> {
              try {
                return id("s");
              } catch (IOException e) {
                return null;
              } catch (TimeoutException e) {
                return null;
              }
            };
            String ds = await(d) + await(s.get());
            try {
              return done(ds + await(c, IOException.class));
            } catch (IOException e) {
              return done(ds + " caught " + e.getMessage());
            }
          }
        }
        """);
    assertEquals("ds caught inferred", run(Compiled.call(c.load("exc.GenericAsync"), "use")));
    String use = c.generatedSource("exc.GenericAsync_use");
    assertTrue(use.contains("c = declaring(GenericAsync.fail(new IOException(\"inferred\")), IOException.class);"),
        use);
    assertTrue(use.contains("d = declaring(declaring(GenericAsync.<String>id(\"d\"),"
        + " IOException.class), TimeoutException.class);"), use);
  }

  /**
   * A jump out of a try of the copied code (no await in it) whose finally throws, inside a lowered
   * try: the finally's exception replaces the jump and the lowered try's catch takes it. The jump has
   * already stored its target in {@code state} when the finally throws, so the step's handler table,
   * which finds the region by {@code state}, would see a state outside the try and rethrow: such a
   * state keeps a try of its own (emit.Handlers). So does a generator's emit, whose value is evaluated
   * after {@code state} holds its resume state.
   */
  @Test
  void aJumpOutOfACopiedTryWhoseFinallyThrowsIsCaughtByTheLoweredTry() {
    Compiled c = Compiled.compile("""
        package exc;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Jumps {
          @Async
          static Coroutine<String> run() {
            StringBuilder log = new StringBuilder();
            outer:
            for (int i = 0; i < 3; i++) {
              try {
                await(Aio.sleep(0));
                log.append(i);
                try {
                  if (i < 2) continue outer;
                  break outer;
                } finally {
                  if (i == 1) throw new IllegalStateException("finally " + i);
                }
              } catch (IllegalStateException e) {
                log.append(" caught ").append(e.getMessage()).append(' ');
              }
            }
            return done(log.toString());
          }
        }
        """);
    assertEquals("01 caught finally 1 2", run(Compiled.call(c.load("exc.JumpsAsync"), "run")));
  }

  /**
   * A try with a catch clause and a finally: the handler table's case for the try's states tests the
   * catch clause and, when it does not match, enters the finally block as the case for the catch
   * clause's states does, so it falls through into that case (written next) instead of repeating it.
   * Where another try's case lies between the two (a try inside the try), it writes the entry itself.
   * Every way through: nothing thrown, an exception the clause catches, one it does not, one thrown
   * in the clause, and the same inside the inner try (caught there, or thrown out of its catch).
   */
  @Test
  void theHandlerOfATryWithACatchClauseFallsThroughIntoItsFinallysHandler() {
    Compiled c = Compiled.compile("""
        package exc;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Handled {
          static void fail(int how, int at, RuntimeException e) {
            if (how == at) {
              throw e;
            }
          }

          @Async
          static Coroutine<String> adjacent(int how) {
            StringBuilder log = new StringBuilder();
            try {
              try {
                log.append('a');
                await(Aio.sleep(0));
                fail(how, 1, new IllegalStateException("1"));
                fail(how, 2, new IllegalArgumentException("2"));
                log.append('b');
              } catch (IllegalStateException e) {
                log.append(" caught ").append(e.getMessage());
                await(Aio.sleep(0));
                fail(how, 1, new IllegalArgumentException("from the catch"));
              } finally {
                log.append(" finally");
              }
            } catch (IllegalArgumentException e) {
              log.append(" outside ").append(e.getMessage());
            }
            return done(log.toString());
          }

          @Async
          static Coroutine<String> between(int how) {
            StringBuilder log = new StringBuilder();
            try {
              try {
                log.append('a');
                await(Aio.sleep(0));
                try {
                  await(Aio.sleep(0));
                  fail(how, 3, new UnsupportedOperationException("3"));
                } catch (UnsupportedOperationException u) {
                  log.append(" inner");
                  await(Aio.sleep(0));
                  fail(how, 3, new IllegalArgumentException("from the inner catch"));
                }
                fail(how, 1, new IllegalStateException("1"));
                fail(how, 2, new IllegalArgumentException("2"));
                log.append('b');
              } catch (IllegalStateException e) {
                log.append(" caught ").append(e.getMessage());
              } finally {
                log.append(" finally");
              }
            } catch (IllegalArgumentException e) {
              log.append(" outside ").append(e.getMessage());
            }
            return done(log.toString());
          }
        }
        """);
    Class<?> handled = c.load("exc.HandledAsync");
    assertEquals("ab finally", run(Compiled.call(handled, "adjacent", 0)));
    assertEquals("a caught 1 finally outside from the catch", run(Compiled.call(handled, "adjacent", 1)));
    assertEquals("a finally outside 2", run(Compiled.call(handled, "adjacent", 2)));
    assertEquals("ab finally", run(Compiled.call(handled, "between", 0)));
    assertEquals("a caught 1 finally", run(Compiled.call(handled, "between", 1)));
    assertEquals("a finally outside 2", run(Compiled.call(handled, "between", 2)));
    assertEquals("a inner finally outside from the inner catch", run(Compiled.call(handled, "between", 3)));
    String adjacent = c.generatedSource("exc.HandledAsync_adjacent");
    assertTrue(adjacent.contains("// not caught here: falls through into the next case"), adjacent);
  }
}
