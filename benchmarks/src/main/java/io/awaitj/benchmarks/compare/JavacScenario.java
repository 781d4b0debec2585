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
import javax.tools.JavaCompiler;
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
 */
final class JavacScenario {
  private JavacScenario() {}

  static Probe.Report run(String impl, int methods) throws Exception {
    boolean processor;
    switch (impl) {
      case "awaitj":
        processor = true;
        break;
      case "javac":
        processor = false;
        break;
      default:
        throw new IllegalArgumentException("javac scenario: awaitj or javac, not " + impl);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run on a JDK");
    }
    String keep = System.getProperty("awaitj.javac.keep");
    Path dir = keep == null ? Files.createTempDirectory("awaitj-javac") : Path.of(keep);
    if (keep != null && Files.exists(dir)) {
      delete(dir);
    }
    try {
      Path src = dir.resolve("src").resolve(TemplateSource.PACKAGE);
      Path out = dir.resolve("classes");
      Path gen = dir.resolve("generated");
      Files.createDirectories(src);
      Files.createDirectories(out);
      Files.createDirectories(gen);
      String text = TemplateSource.generate(methods);
      Path file = src.resolve(TemplateSource.CLASS + ".java");
      Files.writeString(file, text);
      String cp = System.getProperty("java.class.path");
      List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-s", gen.toString(),
          "-classpath", cp, "-implicit:none"));
      if (processor) {
        options.addAll(List.of("-processorpath", cp));
      } else {
        options.add("-proc:none");
      }
      StringWriter diagnostics = new StringWriter();
      long c0 = Probe.processCpuNanos();
      long t0 = System.nanoTime();
      boolean ok = javac.getTask(diagnostics, null, null, options, null,
          javac.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
      double ms = (System.nanoTime() - t0) / 1e6;
      double cpuMs = (Probe.processCpuNanos() - c0) / 1e6;
      if (!ok) {
        throw new IllegalStateException("javac failed:\n" + diagnostics);
      }
      String name = TemplateSource.PACKAGE + "." + TemplateSource.CLASS + (processor ? "Async" : "");
      long coroutineMethods;
      try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
          JavacScenario.class.getClassLoader())) {
        coroutineMethods = Stream.of(Class.forName(name, false, loader).getDeclaredMethods())
            .map(Method::getReturnType).filter(Coroutine.class::equals).count();
      }
      Probe.Report r = new Probe.Report().put("ms", ms).put("cpu_ms", cpuMs);
      long templateLines = text.lines().count();
      r.put("template_lines", templateLines);
      if (processor) {
        // GeneratedAsync.java and the files of its state machines.
        long generatedLines = 0;
        long generatedFiles = 0;
        try (Stream<Path> files = Files.walk(gen)) {
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
      return r.put("checksum", coroutineMethods);
    } finally {
      if (keep == null) {
        delete(dir);
      }
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
