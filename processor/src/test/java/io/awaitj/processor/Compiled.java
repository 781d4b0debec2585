package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Test support: compiles sources with the awaitj processor (as a user's build would) and loads the
 * resulting classes, so tests can run generated state machines.
 */
public final class Compiled {
  private final Compilation compilation;
  private final ClassLoader loader;

  /** Loads the classes of a successful {@code compilation}. */
  public Compiled(Compilation compilation) {
    this.compilation = compilation;
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : compilation.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String path = f.toUri().getPath();
        String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length())
            .replace(".class", "").replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    this.loader = new ClassLoader(Compiled.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
  }

  /** The class loader of the compiled classes (for its assertion status, say). */
  public ClassLoader loader() {
    return loader;
  }

  /** The options of {@link #compiler()}. */
  private static final List<String> OPTIONS = List.of("-Xlint:all", "-Xlint:-processing");

  /** The compiler as users run it: our processor, the runtime on the class path, -Xlint:all. */
  public static Compiler compiler() {
    return Compiler.javac()
        .withProcessors(new AsyncProcessor(), new MisuseProcessor())
        .withOptions(OPTIONS)
        .withClasspath(classpath());
  }

  /** The class path of compiled sources: awaitj's runtime (which holds {@code @Async}), and {@code more}. */
  public static List<File> classpath(Class<?>... more) {
    List<File> files = new ArrayList<>(List.of(locationOf(Async.class), locationOf(Coroutine.class)));
    for (Class<?> c : more) {
      files.add(locationOf(c));
    }
    return files;
  }

  private static File locationOf(Class<?> c) {
    try {
      return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compiles {@code sources} (each a full compilation unit); fails the test on any error or warning. */
  public static Compiled compile(String... sources) {
    return compileWith(List.of(), sources);
  }

  /**
   * Compiles {@code sources} with javac options {@code more} besides those of {@link #compiler()}
   * (processor options, say); fails the test on any error or warning.
   */
  public static Compiled compileWith(List<String> more, String... sources) {
    List<String> options = new ArrayList<>(OPTIONS);
    options.addAll(more);
    return compileWith(compiler().withOptions(options), sources);
  }

  /** As {@link #compile}, with {@code compiler} (one with more processors, say). */
  public static Compiled compileWith(Compiler compiler, String... sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (String s : sources) {
      files.add(JavaFileObjects.forSourceString(qualifiedName(s), s));
    }
    Compilation c = compiler.compile(files);
    // Errors anywhere; warnings only in generated code (the test's own templates may warn), and
    // javac's warning that a file was written in the last round (a valid class's machines must be
    // written while rounds go on, even when its class waited for a type generated later).
    List<Diagnostic<? extends JavaFileObject>> problems = c.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR
            || (d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                && (d.getSource() != null && d.getSource().toUri().toString().contains("SOURCE_OUTPUT")
                    || d.getMessage(java.util.Locale.ROOT).contains("created in the last round")))
        .collect(Collectors.toList());
    if (c.status() != Compilation.Status.SUCCESS || !problems.isEmpty()) {
      StringBuilder b = new StringBuilder("compilation failed or warned:\n");
      for (Diagnostic<? extends JavaFileObject> d : problems) {
        b.append(d).append('\n');
      }
      if (c.status() == Compilation.Status.SUCCESS) {
        for (JavaFileObject f : c.generatedSourceFiles()) {
          try {
            b.append("---- ").append(f.getName()).append('\n').append(f.getCharContent(true)).append('\n');
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      fail(b.toString());
    }
    return new Compiled(c);
  }

  /** The result of compiling {@code sources}, for tests of diagnostics. */
  public static Compilation compileRaw(String... sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (String s : sources) {
      files.add(JavaFileObjects.forSourceString(qualifiedName(s), s));
    }
    return compiler().compile(files);
  }

  /** The qualified name of the first top-level type declared in {@code source}. */
  public static String qualifiedName(String source) {
    String pkg = "";
    java.util.regex.Matcher p = java.util.regex.Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;").matcher(source);
    if (p.find()) {
      pkg = p.group(1) + ".";
    }
    java.util.regex.Matcher t = java.util.regex.Pattern
        .compile("(?m)^(?:public\\s+|abstract\\s+|final\\s+|sealed\\s+|non-sealed\\s+|static\\s+)*(?:class|interface|enum|record)\\s+(\\w+)")
        .matcher(source);
    if (!t.find()) {
      throw new IllegalArgumentException("no top-level type in source");
    }
    return pkg + t.group(1);
  }

  public Compilation compilation() {
    return compilation;
  }

  /** The text of a generated source file, by qualified type name. */
  public String generatedSource(String qualifiedName) {
    for (JavaFileObject f : compilation.generatedSourceFiles()) {
      if (f.getName().endsWith("/" + qualifiedName.replace('.', '/') + ".java")) {
        try {
          return f.getCharContent(true).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("no generated source " + qualifiedName);
  }

  public Class<?> load(String name) {
    try {
      return Class.forName(name, true, loader);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** A new instance of the generated class {@code name} through its constructor taking {@code args}. */
  public Object instantiate(String name, Object... args) {
    Class<?> c = load(name);
    for (var ctor : c.getDeclaredConstructors()) {
      if (ctor.getParameterCount() == args.length) {
        try {
          ctor.setAccessible(true);
          return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no constructor of " + name + " with " + args.length + " parameters");
  }

  /** Calls a method (static when {@code target} is a Class) returning a coroutine. */
  public static Coroutine<?> call(Object target, String method, Object... args) {
    Class<?> c = target instanceof Class<?> k ? k : target.getClass();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == args.length) {
          try {
            m.setAccessible(true);
            return (Coroutine<?>) m.invoke(target instanceof Class<?> ? null : target, args);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    throw new AssertionError("no method " + method + " in " + c);
  }

  /** Asserts that javac warned about nothing in the generated files. */
  static void assertNoWarningsInGenerated(Compilation c) {
    assertEquals(List.of(), c.warnings().stream()
        .filter(d -> d.getSource() != null && d.getSource().toUri().toString().contains("SOURCE_OUTPUT"))
        .collect(Collectors.toList()));
  }
}
