package io.awaitj.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * One compilation per diagnostic the processor reports: the error is on the right line of the right
 * file, the processor never reports an internal error, and nothing is generated for a class that failed
 * validation (nor a machine for a method the lowering rejected).
 */
class DiagnosticsTest {

  static final String HEADER = """
      package demo;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.time.Duration;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      """;

  /** A compilation unit of package {@code demo} with the usual imports and {@code body}. */
  static String demo(String body) {
    return HEADER + body;
  }

  // -----------------------------------------------------------------------------------------------
  // The harness.

  /** One compilation: its sources, its result, and the source files the processor created. */
  record Run(List<JavaFileObject> files, Compilation compilation, List<String> generated) {
    JavaFileObject file(int index) {
      return files.get(index);
    }

    /** The single error is {@code message}, reported in the first file on the line containing {@code line}. */
    Run onlyError(String message, String line) {
      assertThat(compilation).hadErrorContaining(message).inFile(file(0)).onLineContaining(line);
      assertThat(compilation).hadErrorCount(1);
      return this;
    }

    /** Nothing was generated whose name starts with {@code demo.<generatedPrefix>}: no XAsync, no machine. */
    Run generatedNothingFor(String generatedPrefix) {
      List<String> found = generated.stream()
          .filter(n -> n.startsWith("demo." + generatedPrefix))
          .collect(Collectors.toList());
      assertEquals(List.of(), found, "generated for a class that failed");
      return this;
    }

    Run wrote(String qualifiedName) {
      assertTrue(generated.contains(qualifiedName), () -> qualifiedName + " not generated: " + generated);
      return this;
    }

    Run didNotWrite(String qualifiedName) {
      assertFalse(generated.contains(qualifiedName), () -> qualifiedName + " generated: " + generated);
      return this;
    }
  }

  /** Compiles {@code sources} as {@link Compiled#compiler()} does, recording what is generated. */
  static Run run(String... sources) {
    return run(Compiled.compiler(), sources);
  }

  /** Compiles {@code sources} with the options and class path of {@code like} and a new processor. */
  static Run run(Compiler like, String... sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (String s : sources) {
      files.add(JavaFileObjects.forSourceString(Compiled.qualifiedName(s), s));
    }
    Recorder recorder = new Recorder();
    Compilation c = Compiler.compiler(recorder)
        .withProcessors(new AsyncProcessor(), new MisuseProcessor())
        .withOptions(like.options())
        .withClasspath(like.classPath().orElseThrow())
        .compile(files);
    assertNoInternalError(c);
    return new Run(files, c, List.copyOf(recorder.generated));
  }

  /** The processor never crashes: no diagnostic of it says "internal error". */
  static void assertNoInternalError(Compilation c) {
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      assertFalse(d.getMessage(Locale.ROOT).contains("internal error"), () -> "internal error: " + d);
    }
  }

  /**
   * javac, with a file manager that records every source file created through the Filer (compile-testing
   * hides generated files when the compilation failed).
   */
  static final class Recorder implements JavaCompiler {
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    final List<String> generated = Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompilationTask getTask(Writer out, JavaFileManager fileManager,
        DiagnosticListener<? super JavaFileObject> listener, Iterable<String> options,
        Iterable<String> classes, Iterable<? extends JavaFileObject> units) {
      return javac.getTask(out, new Recording(fileManager), listener, options, classes, units);
    }

    @Override
    public StandardJavaFileManager getStandardFileManager(
        DiagnosticListener<? super JavaFileObject> listener, Locale locale, Charset charset) {
      return javac.getStandardFileManager(listener, locale, charset);
    }

    @Override
    public int isSupportedOption(String option) {
      return javac.isSupportedOption(option);
    }

    @Override
    public int run(InputStream in, OutputStream out, OutputStream err, String... arguments) {
      return javac.run(in, out, err, arguments);
    }

    @Override
    public Set<SourceVersion> getSourceVersions() {
      return javac.getSourceVersions();
    }

    private final class Recording extends ForwardingJavaFileManager<JavaFileManager> {
      Recording(JavaFileManager delegate) {
        super(delegate);
      }

      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className,
          JavaFileObject.Kind kind, FileObject sibling) throws IOException {
        if (kind == JavaFileObject.Kind.SOURCE) {
          generated.add(className);
        }
        return super.getJavaFileForOutput(location, className, kind, sibling);
      }

      /**
       * What the Filer calls from JDK 18 on (no {@code @Override}: the method does not exist in 17,
       * where the Filer calls {@link #getJavaFileForOutput} directly).
       */
      public JavaFileObject getJavaFileForOutputForOriginatingFiles(Location location,
          String className, JavaFileObject.Kind kind, FileObject... originatingFiles)
          throws IOException {
        return getJavaFileForOutput(location, className, kind, null);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Validation: methods.

  @Test
  void wrongReturnType() {
    run(demo("""
        public abstract class Demo {
          @Async static int compute() { return 1; }
        }
        """))
        .onlyError("@Async method must return io.awaitj.Coroutine<T> or io.awaitj.AsyncGenerator<T>,"
            + " not int", "static int compute()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void abstractMethod() {
    run(demo("""
        public abstract class Demo {
          @Async abstract Coroutine<Integer> fetch();
        }
        """))
        .onlyError("@Async method cannot be abstract", "abstract Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void nativeMethod() {
    run(demo("""
        public abstract class Demo {
          @Async native Coroutine<Integer> fetch();
        }
        """))
        .onlyError("@Async method cannot be native", "native Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void synchronizedMethod() {
    run(demo("""
        public abstract class Demo {
          @Async synchronized Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("@Async method cannot be synchronized", "synchronized Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void privateInstanceMethod() {
    run(demo("""
        public abstract class Demo {
          @Async private Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("instance @Async method cannot be private: the generated DemoAsync overrides it",
            "private Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void privateStaticMethod() {
    run(demo("""
        public abstract class Demo {
          @Async private static Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("static @Async method cannot be private: the generated DemoAsync.fetch must be callable",
            "private static Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void finalInstanceMethod() {
    run(demo("""
        public abstract class Demo {
          @Async final Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("instance @Async method cannot be final", "final Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  // -----------------------------------------------------------------------------------------------
  // Validation: the shape of the class.

  @Test
  void nonAbstractClassWithInstanceMethod() {
    run(demo("""
        public class Demo {
          @Async Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("class Demo has instance @Async methods, so it must be abstract", "Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void nonAbstractClassWithOnlyStaticMethodsIsFine() {
    Run r = run(demo("""
        public class Demo {
          @Async static Coroutine<Integer> fetch() { return done(1); }
        }
        """));
    assertThat(r.compilation()).succeededWithoutWarnings();
    r.wrote("demo.DemoAsync").wrote("demo.DemoAsync_fetch");
  }

  @Test
  void finalClass() {
    run(demo("""
        public final class Demo {
          @Async Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("class Demo has instance @Async methods, so the generated DemoAsync must subclass it:"
            + " remove 'final'", "Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void record() {
    run(demo("""
        public record Demo(int x) {
          @Async Coroutine<Integer> fetch() { return done(x); }
        }
        """))
        .onlyError("a record cannot have instance @Async methods", "Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void enumType() {
    run(demo("""
        public enum Demo {
          A;
          @Async Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("an enum cannot have instance @Async methods", "Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void interfaceDefaultMethod() {
    run(demo("""
        public interface Demo {
          @Async default Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("an interface cannot have instance @Async methods (default methods)",
            "default Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void innerClass() {
    run(demo("""
        public class Demo {
          abstract class Inner {
            @Async Coroutine<Integer> fetch() { return done(1); }
          }
        }
        """))
        .onlyError("inner class Inner has instance @Async methods: make it a static nested class so that"
            + " Demo_InnerAsync can subclass it", "Coroutine<Integer> fetch()")
        .generatedNothingFor("Demo_InnerAsync");
  }

  @Test
  void localClass() {
    // The round never lists methods of local classes: the misuse scanner reports them.
    run(demo("""
        public class Demo {
          void work() {
            abstract class Local {
              @Async Coroutine<Integer> fetch() { return done(await(Aio.sleep(Duration.ZERO, 1))); }
            }
          }
          @Async static Coroutine<Integer> fine() { return done(1); }
        }
        """))
        .onlyError("@Async methods are not supported in local or anonymous classes: move them to a"
            + " top-level or static nested class", "Coroutine<Integer> fetch()")
        .wrote("demo.DemoAsync")
        .wrote("demo.DemoAsync_fine");
  }

  @Test
  void anonymousClass() {
    run(demo("""
        public class Demo {
          Object work() {
            return new Object() {
              @Async Coroutine<Integer> fetch() { return done(1); }
            };
          }
          @Async static Coroutine<Integer> fine() { return done(1); }
        }
        """))
        .onlyError("@Async methods are not supported in local or anonymous classes",
            "Coroutine<Integer> fetch()")
        .wrote("demo.DemoAsync");
  }

  @Test
  void privateClass() {
    run(demo("""
        public class Demo {
          private static class Hidden {
            @Async static Coroutine<Integer> fetch() { return done(1); }
          }
        }
        """))
        .onlyError("@Async methods are not supported in a private class: the generated class"
            + " Demo_HiddenAsync must be able to see Hidden", "private static class Hidden")
        .generatedNothingFor("Demo_HiddenAsync");
  }

  @Test
  void noAccessibleConstructor() {
    run(demo("""
        public abstract class Demo {
          private Demo() {}
          @Async Coroutine<Integer> fetch() { return done(1); }
        }
        """))
        .onlyError("class Demo has no constructor that the generated subclass DemoAsync can call",
            "Coroutine<Integer> fetch()")
        .generatedNothingFor("DemoAsync");
  }

  @Test
  void generatedNameClashesWithUserType() {
    Run r = run(demo("""
        public abstract class Demo {
          @Async static Coroutine<Integer> fetch() { return done(1); }
        }
        """), demo("""
        public class DemoAsync {}
        """));
    r.onlyError("cannot generate demo.DemoAsync for Demo: a type with that name already exists",
        "public abstract class Demo");
    assertEquals(List.of(), r.generated());
  }

  @Test
  void machineNameClashesWithUserType() {
    Run r = run(demo("""
        public abstract class Demo {
          @Async static Coroutine<Integer> fetch() { return done(1); }
        }
        """), demo("""
        class DemoAsync_fetch {}
        """));
    r.onlyError("cannot generate demo.DemoAsync_fetch: a type with that name already exists",
        "static Coroutine<Integer> fetch()");
    assertEquals(List.of(), r.generated());
  }

  @Test
  void twoClassesMappedToTheSameGeneratedName() {
    // Outer.Inner and Outer_Inner both map to Outer_InnerAsync: reported on the second, nothing crashes.
    Run r = run(demo("""
        public abstract class Outer {
          public abstract static class Inner {
            @Async static Coroutine<Integer> fetch() { return done(1); }
          }
        }
        """), demo("""
        public abstract class Outer_Inner {
          @Async static Coroutine<Integer> fetch() { return done(2); }
        }
        """));
    assertThat(r.compilation()).hadErrorContaining("both demo.Outer.Inner and demo.Outer_Inner would generate"
        + " demo.Outer_InnerAsync: rename one of them");
  }

  // -----------------------------------------------------------------------------------------------
  // The analysis of @Async bodies.

  @Test
  void awaitInsideLambda() {
    run(demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> fetch() {
            java.util.function.Supplier<Integer> later = () -> await(Aio.sleep(Duration.ZERO, 1));
            return done(later.get());
          }
        }
        """))
        .onlyError("await cannot be used inside this lambda", "() -> await(")
        .wrote("demo.DemoAsync")
        .wrote("demo.DemoAsync_fetch");
  }

  @Test
  void awaitInsideAnonymousClass() {
    run(demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> fetch() {
            java.util.function.Supplier<Integer> later = new java.util.function.Supplier<>() {
              public Integer get() { return await(Aio.sleep(Duration.ZERO, 1)); }
            };
            return done(later.get());
          }
        }
        """))
        .onlyError("await cannot be used inside a local or anonymous class", "return await(")
        .wrote("demo.DemoAsync_fetch");
  }

  @Test
  void awaitInsideSynchronized() {
    run(demo("""
        public abstract class Demo {
          final Object lock = new Object();
          @Async Coroutine<Integer> fetch() {
            synchronized (lock) {
              await(Aio.sleep(1));
            }
            return done(1);
          }
        }
        """))
        .onlyError("await cannot be used inside 'synchronized'", "await(Aio.sleep(1));")
        .wrote("demo.DemoAsync_fetch");
  }

  @Test
  void delegatingReturnInsideSynchronized() {
    run(demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> fetch() {
            synchronized (this) {
              return other();
            }
          }
          @Async Coroutine<Integer> other() { return done(1); }
        }
        """))
        .onlyError("a return that delegates to another coroutine cannot be inside 'synchronized'",
            "return other();")
        .wrote("demo.DemoAsync_fetch")
        .wrote("demo.DemoAsync_other");
  }

  // -----------------------------------------------------------------------------------------------
  // What the lowering does not support.

  @Test
  void returnNull() {
    run(demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> fetch() {
            return null;
          }
        }
        """))
        .onlyError("an @Async method cannot return null: end it with 'return done(value);'", "return null;")
        .wrote("demo.DemoAsync_fetch");
  }

  @Test
  void localClassCapturingALocalOfALoopInMethodThatAwaits() {
    run(demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> fetch() {
            for (int i = 0; i < 2; i++) {
              int base = i;
              class Helper { int get() { return base + 1; } }
              await(Aio.sleep(1));
            }
            return done(1);
          }
        }
        """))
        .onlyError("local class 'Helper' uses 'base', a local variable declared inside a loop: in an"
            + " @Async method that awaits, a local class becomes a member of the state machine, which"
            + " holds one value of it; pass the value to its constructor, or move the class to a"
            + " member of Demo", "class Helper {")
        .wrote("demo.DemoAsync_fetch");
  }

  @Test
  void twoLocalClassesOfTheSameNameInMethodThatAwaits() {
    run(demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> fetch() {
            { class Helper {} }
            await(Aio.sleep(1));
            { class Helper { int x; } }
            return done(1);
          }
        }
        """))
        .onlyError("a second local class named 'Helper' in this @Async method: rename one",
            "{ class Helper { int x; } }")
        .wrote("demo.DemoAsync_fetch");
  }

  @Test
  void privateMemberOfAnotherClassOfTheNest() {
    run(demo("""
        public abstract class Demo {
          static class Helper { private static int secret() { return 1; } }
          @Async Coroutine<Integer> fetch() {
            await(Aio.sleep(1));
            return done(Helper.secret());
          }
        }
        """))
        .onlyError("private member 'secret' of Helper cannot be used from the generated state machine:"
            + " make it package-private", "return done(Helper.secret());")
        .wrote("demo.DemoAsync_fetch");
  }

  /**
   * A type with an intersection inside whose bound names a type variable of the method ({@code
   * List<? extends I<T> & J>}): the view that keeps every bound is a static member class, which cannot
   * see {@code T}, and the first bound alone would change which overloads the machine picks.
   */
  @Test
  void nestedIntersectionNamingATypeVariableOfTheMethod() {
    run(demo("""
        import java.util.List;

        public abstract class Demo {
          interface I<X> {}
          interface J {}
          static final class A<X> implements I<X>, J {}
          static final class B<X> implements I<X>, J {}
          @Async static <T> Coroutine<Integer> fetch(boolean flag) {
            var list = flag ? List.of(new A<T>()) : List.of(new B<T>());
            await(Aio.sleep(1));
            J j = list.get(0);
            return done(list.size());
          }
        }
        """))
        .onlyError("local 'list', which lives across an await, has the type java.util.List<? extends"
            + " java.lang.Object&demo.Demo.I<T>&demo.Demo.J>, with an intersection inside whose bounds"
            + " name a type variable of the method or a class with wildcards, which awaitj cannot write"
            + " in the state machine without changing which overloads it picks: give it a named type"
            + " (declare the variable, or cast the expression, to one such as"
            + " java.util.List<? extends demo.Demo.I<T>>)", "var list = flag ?")
        .wrote("demo.DemoAsync_fetch");
  }

  /**
   * A lambda without parameter types whose parameter's type has a captured wildcard ({@code e} in
   * {@code list.forEach(e -> ...)} over a {@code List<? extends Number>}), anywhere in a class with
   * {@code @Async} methods: javac, having attributed the class during processing, wrote the type it
   * inferred into the parameter's declaration and could not find it by name in its final attribution
   * ("cannot find symbol: class <captured wildcard>", at no line on JDK 17). The error says so on the
   * parameter, and what to write.
   */
  @Test
  void lambdaParameterOfACapturedWildcardType() {
    run(demo("""
        import java.util.List;
        import java.util.function.Function;

        public abstract class Demo {
          static <T> int apply(T t, Function<T, Integer> f) {
            return f.apply(t);
          }
          static int plain(List<? extends Number> list) {
            return apply(list, l -> l.size());
          }
          @Async static Coroutine<Integer> fetch(List<? extends Number> list) {
            await(Aio.sleep(1));
            return done(plain(list));
          }
        }
        """))
        .onlyError("with a captured wildcard, which javac cannot compile in a lambda without parameter"
            + " types in a class with @Async methods (it attributes the class during annotation"
            + " processing, and then cannot find the type it inferred by name: \"cannot find symbol:"
            + " class <captured wildcard>\", at no line): give the lambda's parameters their types,"
            + " such as (List<? extends Number> l) -> ...", "return apply(list, l -> l.size());");
    run(demo("""
        import java.util.List;

        public abstract class Demo {
          @Async static Coroutine<Integer> fetch(List<? extends Number> list) {
            await(Aio.sleep(1));
            list.forEach(e -> System.out.print(e));
            return done(list.size());
          }
        }
        """))
        .onlyError("give the lambda's parameters their types, such as (Number e) -> ...",
            "list.forEach(e -> System.out.print(e));");
  }
}
