package io.awaitj.benchmarks.compare;

import io.awaitj.Coroutine;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * The javac scenario: compiles {@link TemplateSource} once in this (fresh) JVM, with the processor
 * ({@code awaitj}) or without it ({@code javac}, {@code -proc:none}), and reports the time of the
 * compilation. With the processor it also reports the lines of the generated sources (the
 * {@code GeneratedAsync} class and its state machines) against the template's. The checksum is the number of coroutine methods of the class a user would instantiate
 * (the template without the processor, the generated subclass with it), so a run that generated
 * nothing cannot pass for a fast one.
 *
 * <p>With the system property {@code awaitj.javac.keep} set to a directory, the run leaves its
 * sources there (the template under {@code src}, the generated sources under {@code generated})
 * instead of deleting them, for counting the generated code by kind.
 *
 * <p>{@link #warm} is the same compile repeated in one JVM (scenario {@code javac-warm}).
 *
 * <p>With the system property {@code awaitj.javac.processorpath} set, the processor is loaded from
 * there instead of from the class path: another build's, measured with the same harness.
 */
final class JavacScenario {
  private JavacScenario() {}

  static Probe.Report run(String impl, int methods) throws Exception {
    boolean processor = withProcessor(impl);
    JavaCompiler javac = compiler();
    String keep = System.getProperty("awaitj.javac.keep");
    Path dir = keep == null ? Files.createTempDirectory("awaitj-javac") : Path.of(keep);
    if (keep != null && Files.exists(dir)) {
      delete(dir);
    }
    try {
      String text = TemplateSource.generate(methods);
      Path file = writeTemplate(dir, text);
      Compile c = compile(javac, processor, dir, file);
      Probe.Report r = new Probe.Report().put("ms", c.ms()).put("cpu_ms", c.cpuMs());
      long templateLines = text.lines().count();
      r.put("template_lines", templateLines);
      if (processor) {
        // GeneratedAsync.java and the files of its state machines.
        long generatedLines = 0;
        long generatedFiles = 0;
        try (Stream<Path> files = Files.walk(dir.resolve("generated"))) {
          for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
            try (Stream<String> lines = Files.lines(f)) {
              generatedLines += lines.count();
            }
            generatedFiles++;
          }
        }
        r.put("generated_files", generatedFiles).put("generated_lines", generatedLines)
            .put("gen_ratio", generatedLines / (double) templateLines);
      }
      return r.put("checksum", c.coroutineMethods());
    } finally {
      if (keep == null) {
        delete(dir);
      }
    }
  }

  /**
   * The warm javac scenario: compiles {@link TemplateSource} {@code warmUps + measured} times in this
   * JVM, as a build tool's daemon does (Gradle's, or Maven's in-process javac), each compile with a
   * new file manager and the processor loaded by a new class loader ({@link OwnProcessorLoader}): the
   * processor's classes start cold in every compile, javac's are warm. Reports the median wall and
   * CPU time of the last {@code measured} compiles, and the first compile's wall time.
   */
  static Probe.Report warm(String impl, int methods, int warmUps, int measured) throws Exception {
    boolean processor = withProcessor(impl);
    JavaCompiler javac = compiler();
    Path dir = Files.createTempDirectory("awaitj-javac-warm");
    try {
      Path file = writeTemplate(dir, TemplateSource.generate(methods));
      double[] ms = new double[measured];
      double[] cpuMs = new double[measured];
      double first = 0;
      long checksum = 0;
      for (int i = 0; i < warmUps + measured; i++) {
        delete(dir.resolve("classes"));
        delete(dir.resolve("generated"));
        Compile c = compile(javac, processor, dir, file);
        if (i == 0) {
          first = c.ms();
        }
        if (i >= warmUps) {
          ms[i - warmUps] = c.ms();
          cpuMs[i - warmUps] = c.cpuMs();
        }
        checksum = c.coroutineMethods();
      }
      return new Probe.Report().put("ms", median(ms)).put("cpu_ms", median(cpuMs)).put("first_ms", first)
          .put("compiles", warmUps + measured).put("checksum", checksum);
    } finally {
      delete(dir);
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static boolean withProcessor(String impl) {
    switch (impl) {
      case "awaitj":
        return true;
      case "javac":
        return false;
      default:
        throw new IllegalArgumentException("javac scenario: awaitj or javac, not " + impl);
    }
  }

  private static JavaCompiler compiler() {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run on a JDK");
    }
    return javac;
  }

  /** Writes the template under {@code dir/src}; returns its file. */
  private static Path writeTemplate(Path dir, String text) throws IOException {
    Path src = dir.resolve("src").resolve(TemplateSource.PACKAGE);
    Files.createDirectories(src);
    Path file = src.resolve(TemplateSource.CLASS + ".java");
    Files.writeString(file, text);
    return file;
  }

  /** One compile: its wall and CPU time, and the checksum of what it wrote. */
  private record Compile(double ms, double cpuMs, long coroutineMethods) {}

  /**
   * Compiles {@code file} into {@code dir/classes} (generated sources into {@code dir/generated}),
   * with the processor or with {@code -proc:none}, through a new file manager.
   */
  private static Compile compile(JavaCompiler javac, boolean processor, Path dir, Path file)
      throws Exception {
    Path out = Files.createDirectories(dir.resolve("classes"));
    Path gen = Files.createDirectories(dir.resolve("generated"));
    String cp = System.getProperty("java.class.path");
    List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-s", gen.toString(),
        "-classpath", cp, "-implicit:none"));
    if (processor) {
      options.addAll(List.of("-processorpath", System.getProperty("awaitj.javac.processorpath", cp)));
    } else {
      options.add("-proc:none");
    }
    StringWriter diagnostics = new StringWriter();
    long c0 = Probe.processCpuNanos();
    long t0 = System.nanoTime();
    boolean ok;
    try (StandardJavaFileManager standard = javac.getStandardFileManager(null, null, null)) {
      JavaFileManager files = processor ? new OwnProcessorLoader(standard) : standard;
      ok = javac.getTask(diagnostics, files, null, options, null, standard.getJavaFileObjects(file)).call();
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    double cpuMs = (Probe.processCpuNanos() - c0) / 1e6;
    if (!ok) {
      throw new IllegalStateException("javac failed:\n" + diagnostics);
    }
    String name = TemplateSource.PACKAGE + "." + TemplateSource.CLASS + (processor ? "Async" : "");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
        JavacScenario.class.getClassLoader())) {
      return new Compile(ms, cpuMs, Stream.of(Class.forName(name, false, loader).getDeclaredMethods())
          .map(Method::getReturnType).filter(Coroutine.class::equals).count());
    }
  }

  /**
   * Gives javac a class loader for the processor path whose parent is the platform class loader, as a
   * build tool's is (javac's own would have this JVM's class path as its parent, where the processor
   * is too, and would find the classes loaded by the previous compile): the processor's classes are
   * loaded, and run cold, in every compile. javac closes the loader when the compile ends.
   */
  private static final class OwnProcessorLoader extends ForwardingJavaFileManager<StandardJavaFileManager> {
    OwnProcessorLoader(StandardJavaFileManager files) {
      super(files);
    }

    @Override
    public ClassLoader getClassLoader(Location location) {
      if (location != StandardLocation.ANNOTATION_PROCESSOR_PATH) {
        return super.getClassLoader(location);
      }
      List<URL> urls = new ArrayList<>();
      for (Path p : fileManager.getLocationAsPaths(location)) {
        try {
          urls.add(p.toUri().toURL());
        } catch (java.net.MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
      return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
