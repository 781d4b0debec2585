package io.awaitj.processor;

import static io.awaitj.processor.DiagnosticsTest.run;

import org.junit.jupiter.api.Test;

/** The compile-time errors of generators: each on the user's line, with what to write instead. */
class GeneratorDiagnosticsTest {
  private static String demo(String body) {
    return """
        package demo;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.AsyncGenerator;
        import io.awaitj.Coroutine;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;
        import static io.awaitj.Aio.emit;
        import static io.awaitj.Aio.finish;

        """ + body;
  }

  @Test
  void emitInACoroutineMethod() {
    run(demo("""
        public final class A {
          @Async static Coroutine<Integer> f() {
            emit(1); // here
            return done(1);
          }
        }
        """)).onlyError("emit(...) can be used only in the body of an @Async generator", "// here");
  }

  @Test
  void emitInOrdinaryCode() {
    run(demo("""
        public final class A {
          static void f() {
            emit(1); // here
          }
        }
        """)).onlyError("emit(...) can be used only in the body of an @Async method declared to return"
            + " AsyncGenerator<T>", "// here");
  }

  @Test
  void emitOfAValueOfTheWrongType() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g() {
            emit("one"); // here
            return finish();
          }
        }
        """)).onlyError("emit(...) of a java.lang.String in a generator of java.lang.Integer", "// here");
  }

  @Test
  void emitInALambdaOfAGenerator() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g() {
            Runnable r = () -> emit(1); // here
            r.run();
            return finish();
          }
        }
        """)).onlyError("emit(...) cannot be used inside a lambda", "// here");
  }

  @Test
  void emitInAnAsyncLambdaOfAGenerator() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g() {
            Supplier<Coroutine<Integer>> s = () -> {
              await(Aio.sleep(1));
              emit(1); // here
              return done(1);
            };
            await(s.get());
            return finish();
          }
        }
        """)).onlyError("emit(...) can be used only in the body of an @Async generator", "// here");
  }

  @Test
  void emitInALocalClassOfAGenerator() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g() {
            class L {
              void f() {
                emit(1); // here
              }
            }
            new L().f();
            return finish();
          }
        }
        """)).onlyError("emit(...) cannot be used inside a local or anonymous class", "// here");
  }

  @Test
  void emitInsideSynchronized() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g(Object lock) {
            synchronized (lock) {
              emit(1); // here
            }
            return finish();
          }
        }
        """)).onlyError("emit(...) cannot be used inside 'synchronized'", "// here");
  }

  @Test
  void aGeneratorThatReturnsAnotherGenerator() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g() {
            emit(1);
            return finish();
          }
          @Async static AsyncGenerator<Integer> h() {
            return g(); // here
          }
        }
        """)).onlyError("an @Async generator ends with 'return finish();'", "// here");
  }

  // finish() anywhere but 'return finish();' in a generator's own body throws when it runs: an error.

  private static final String FINISH_OUTSIDE = "finish() can be used only as 'return finish();' in the"
      + " body of an @Async method declared to return AsyncGenerator<T>";

  @Test
  void finishInOrdinaryCode() {
    run(demo("""
        public final class A {
          static AsyncGenerator<Integer> f() {
            return finish(); // here
          }
        }
        """)).onlyError(FINISH_OUTSIDE, "// here");
  }

  @Test
  void finishAsAStatementOfAGenerator() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g() {
            emit(1);
            finish(); // here
            return finish();
          }
        }
        """)).onlyError(FINISH_OUTSIDE, "// here");
  }

  @Test
  void finishInALambdaOfAGenerator() {
    run(demo("""
        public final class A {
          @Async static AsyncGenerator<Integer> g() {
            Supplier<AsyncGenerator<Integer>> s = () -> finish(); // here
            emit(1);
            return finish();
          }
        }
        """)).onlyError(FINISH_OUTSIDE, "// here");
  }

  @Test
  void finishInACoroutineMethodIsJavacsIncompatibleTypesAlone() {
    run(demo("""
        public final class A {
          @Async static Coroutine<Integer> f() {
            return finish(); // here
          }
        }
        """)).onlyError("incompatible types", "// here");
  }
}
