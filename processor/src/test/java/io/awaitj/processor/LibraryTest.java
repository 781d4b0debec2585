package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.awaitj.Aio;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compiled library's templates (@Async has class retention): another compilation's @Async body
 * calls them through the library's generated classes, and extends its XAsync.
 */
class LibraryTest {
  @Test
  void templatesOfACompiledLibraryAreRoutedToTheirGeneratedClasses(@TempDir Path dir) throws IOException {
    Compilation lib = Compiled.compiler().compile(JavaFileObjects.forSourceString("lib.Lib", """
        package lib;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Lib {
          @Async
          public static Coroutine<Integer> twice(int x) {
            return done(await(Aio.done(x)) * 2);
          }

          @Async
          public Coroutine<String> name() {
            await(Aio.sleep(1));
            return done("lib");
          }
        }
        """));
    com.google.testing.compile.CompilationSubject.assertThat(lib).succeededWithoutWarnings();
    File classes = dir.toFile();
    for (JavaFileObject f : lib.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String path = f.toUri().getPath();
        Path out = dir.resolve(path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length()));
        Files.createDirectories(out.getParent());
        try (InputStream in = f.openInputStream()) {
          Files.write(out, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    List<File> classpath = new ArrayList<>(Compiled.classpath());
    classpath.add(classes);
    Compilation app = Compiled.compiler().withClasspath(classpath).compile(
        JavaFileObjects.forSourceString("app.App", """
            package app;

            import io.awaitj.Async;
            import io.awaitj.Coroutine;
            import java.util.function.IntFunction;
            import lib.Lib;
            import lib.LibAsync;
            import static io.awaitj.Aio.await;
            import static io.awaitj.Aio.done;
            import static lib.Lib.twice;

            public abstract class App extends LibAsync {
              @Async
              public Coroutine<String> run() {
                IntFunction<Coroutine<Integer>> f = Lib::twice;
                int a = await(Lib.twice(1)) + await(twice(2)) + await(f.apply(3));
                return done(await(name()) + " " + a);
              }
            }
            """));
    com.google.testing.compile.CompilationSubject.assertThat(app).succeeded();
    Compiled.assertNoWarningsInGenerated(app);
    java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {classes.toURI().toURL()},
        LibraryTest.class.getClassLoader());
    ClassLoader appLoader = new ClassLoader(loader) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (JavaFileObject f : app.generatedFiles()) {
          if (f.getKind() == JavaFileObject.Kind.CLASS && f.toUri().getPath().endsWith("/" + name.replace('.', '/') + ".class")) {
            try (InputStream in = f.openInputStream()) {
              byte[] b = in.readAllBytes();
              return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
        }
        throw new ClassNotFoundException(name);
      }
    };
    try {
      Object instance = appLoader.loadClass("app.AppAsync").getDeclaredConstructor().newInstance();
      assertEquals("lib 12", Aio.runVirtual(Compiled.call(instance, "run")));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
