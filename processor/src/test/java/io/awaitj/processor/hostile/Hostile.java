package io.awaitj.processor.hostile;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.awaitj.processor.AsyncProcessor;
import io.awaitj.processor.MisuseProcessor;
import io.awaitj.processor.Compiled;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles hostile input with the awaitj processor and judges the result against the processor's
 * contract, whatever the input: javac returns, the processor never reports an internal error nor
 * prints a stack trace of its own, code it generates compiles whenever the user's code does, and
 * errors in it beside errors in the user's code only {@linkplain #repeats repeat} those.
 */
public final class Hostile {
  private Hostile() {}

  /** How long one compilation may take before it counts as a hang. */
  static final long TIMEOUT_SECONDS = 120;

  /** The javac diagnostic code of every message printed through the processor's Messager. */
  static final String MESSAGER_CODE = "compiler.err.proc.messager";

  /** A way the processor broke its contract. */
  public enum Kind {
    /** An exception escaped javac's compile call (the processor's or javac's own). */
    THREW,
    /** The compilation did not finish in {@link #TIMEOUT_SECONDS}. */
    HANG,
    /** A diagnostic says "internal error" (the processor caught a bug of its own). */
    INTERNAL_ERROR,
    /** A diagnostic holds a stack trace with frames of {@code io.awaitj.processor}. */
    PROCESSOR_TRACE,
    /**
     * javac reported errors in generated code only: the user's code was fine, ours was not. (Or javac
     * stopped before it checked the user's code, as it does when a generated file does not parse: the
     * user's own errors are then hidden behind ours, a bug as well.)
     */
    ERRORS_ONLY_IN_GENERATED,
    /**
     * Errors in generated code next to awaitj's own errors only: the processor rejected the input
     * and still generated code that does not compile (noise the user should not see).
     */
    GENERATED_ERRORS_BESIDE_AWAITJ_ERRORS,
    /**
     * Errors in generated code next to javac's errors in the user's code, other than {@linkplain
     * #repeats repeats} of those: the processor turned a broken program into other errors the user
     * should not read about.
     */
    GENERATED_ERRORS_BESIDE_JAVAC_ERRORS
  }

  /** One breach of the contract, with the text that shows it. */
  public record Finding(Kind kind, String detail) {
    /**
     * A short key that tells bugs apart: the kind, and the first processor frame of a trace, or the
     * first error message in generated code without its positions and names of generated classes.
     */
    public String signature() {
      return kind + ": " + Hostile.signatureOf(detail);
    }
  }

  /** What one compilation produced: the compilation (null when javac threw or hung) and the findings. */
  public record Outcome(Compilation compilation, List<Finding> findings, long millis) {
    /** Whether the processor kept its contract. */
    public boolean ok() {
      return findings.isEmpty();
    }

    /** Every diagnostic, one a line, for reports. */
    public String describe() {
      StringBuilder b = new StringBuilder();
      for (Finding f : findings) {
        b.append("FINDING ").append(f.kind()).append(": ").append(f.detail()).append('\n');
      }
      if (compilation != null) {
        for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
          b.append(format(d)).append('\n');
        }
      }
      return b.toString();
    }
  }

  private static final ExecutorService JAVAC = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hostile-javac");
    t.setDaemon(true);
    return t;
  });

  /**
   * Compiles {@code sources} as {@link Compiled#compiler()} does; {@code names} are the qualified
   * names of the files (a mutant keeps the name of its seed, whatever its text says).
   */
  public static Outcome compile(List<String> names, List<String> sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      files.add(JavaFileObjects.forSourceString(names.get(i), sources.get(i)));
    }
    long start = System.nanoTime();
    Future<Compilation> f = submit(files, new AsyncProcessor(), new MisuseProcessor());
    Compilation c;
    try {
      c = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (crashesWithAnyProcessor(files)) {
        // javac's own crash (its parser fails on some broken type annotations whenever annotation
        // processing is on): not the processor's; counted apart.
        JAVAC_OWN_CRASHES.incrementAndGet();
        return new Outcome(null, List.of(), elapsed(start));
      }
      return new Outcome(null, List.of(new Finding(Kind.THREW, trace(e.getCause()))), elapsed(start));
    } catch (TimeoutException e) {
      f.cancel(true);
      return new Outcome(null, List.of(new Finding(Kind.HANG, "no result after " + TIMEOUT_SECONDS
          + " s")), elapsed(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new Outcome(c, judge(c), elapsed(start));
  }

  /** Compilations on which javac failed with any processor, not only awaitj's (see {@link #compile}). */
  public static final java.util.concurrent.atomic.AtomicInteger JAVAC_OWN_CRASHES =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Compiles {@code files} on the compiler thread, as users compile, with {@code processors}. */
  private static Future<Compilation> submit(List<JavaFileObject> files,
      javax.annotation.processing.Processor... processors) {
    Compiler like = Compiled.compiler();
    return JAVAC.submit(() -> Compiler.compiler(new Rendering())
        .withProcessors(processors)
        .withOptions(like.options())
        .withClasspath(like.classPath().orElseThrow())
        .compile(files));
  }

  /** A processor that supports every annotation and does nothing. */
  private static final class Idle extends javax.annotation.processing.AbstractProcessor {
    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public javax.lang.model.SourceVersion getSupportedSourceVersion() {
      return javax.lang.model.SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends javax.lang.model.element.TypeElement> annotations,
        javax.annotation.processing.RoundEnvironment round) {
      return false;
    }
  }

  /** Whether javac also throws on {@code files} with a processor that does nothing instead of awaitj's. */
  private static boolean crashesWithAnyProcessor(List<JavaFileObject> files) {
    Future<Compilation> f = submit(files, new Idle());
    try {
      f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      f.cancel(true);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The sources the processor generates for {@code sources}, by path, whether or not they compile
   * (compile-testing keeps generated files only from successful compilations): for reports.
   */
  public static Map<String, String> generatedSources(String... sources) {
    try {
      Path dir = Files.createTempDirectory("hostile");
      Path src = dir.resolve("src");
      Path gen = dir.resolve("gen");
      Path out = dir.resolve("out");
      Files.createDirectories(gen);
      Files.createDirectories(out);
      List<File> files = new ArrayList<>();
      for (String s : sources) {
        Path p = src.resolve(qualifiedName(s).replace('.', '/') + ".java");
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
        files.add(p.toFile());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
        List<String> options = new ArrayList<>(List.of("-s", gen.toString(), "-d", out.toString(),
            "-classpath", Compiled.classpath().stream().map(File::toString)
                .collect(Collectors.joining(File.pathSeparator))));
        JavaCompiler.CompilationTask task = javac.getTask(new StringWriter(), fm, d -> {},
            options, null, fm.getJavaFileObjectsFromFiles(files));
        task.setProcessors(List.of(new AsyncProcessor(), new MisuseProcessor()));
        task.call();
      }
      Map<String, String> result = new TreeMap<>();
      try (var walk = Files.walk(gen)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          result.put(gen.relativize(p).toString(), Files.readString(p));
        }
      }
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether {@code sources} compile without errors with annotation processing off (the user's code
   * alone, as far as it does not use generated classes).
   */
  public static boolean compilesWithoutProcessor(List<String> names, List<String> sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      files.add(JavaFileObjects.forSourceString(names.get(i), sources.get(i)));
    }
    Compilation c = Compiler.javac().withOptions("-proc:none")
        .withClasspath(Compiled.classpath()).compile(files);
    return c.errors().isEmpty();
  }

  /** Compiles sources whose qualified names are read from their text (see {@link #qualifiedName}). */
  public static Outcome compile(String... sources) {
    List<String> names = new ArrayList<>();
    for (String s : sources) {
      names.add(qualifiedName(s));
    }
    return compile(names, List.of(sources));
  }

  private static final Pattern PACKAGE =
      Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
  private static final Pattern TYPE = Pattern.compile(
      "(?m)^\\s*(?:@\\w+\\s+)*(?:(?:public|abstract|final|sealed|non-sealed|strictfp)\\s+)*"
          + "(?:class|interface|enum|record|@interface)\\s+(\\w+)");

  /**
   * The qualified name of the first top-level type of {@code source}, annotated types and annotation
   * interfaces included; {@code Hostile} when there is none (a file name is needed all the same).
   */
  public static String qualifiedName(String source) {
    Matcher p = PACKAGE.matcher(source);
    Matcher t = TYPE.matcher(source);
    return (p.find() ? p.group(1) + "." : "") + (t.find() ? t.group(1) : "Hostile");
  }

  private static long elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** The text of each diagnostic, rendered while javac still ran (see {@link Rendering}). */
  private static final Map<Diagnostic<?>, String> MESSAGES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The text of a diagnostic in the root locale. */
  static String message(Diagnostic<? extends JavaFileObject> d) {
    String m = MESSAGES.get(d);
    return m != null ? m : render(d);
  }

  private static String render(Diagnostic<?> d) {
    try {
      return d.getMessage(Locale.ROOT);
    } catch (RuntimeException e) {
      return "(javac cannot render this message: " + e + ")";
    }
  }

  /**
   * javac, rendering the text of each diagnostic as it is reported. Rendered later, after the
   * compilation, some messages of javac make it complete symbols of a compiler that is closed, and
   * it throws (a NullPointerException in JavaCompiler.readSourceFile), which is no fault of ours.
   */
  static final class Rendering implements JavaCompiler {
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();

    @Override
    public CompilationTask getTask(Writer out, JavaFileManager fileManager,
        DiagnosticListener<? super JavaFileObject> listener, Iterable<String> options,
        Iterable<String> classes, Iterable<? extends JavaFileObject> units) {
      DiagnosticListener<JavaFileObject> rendering = d -> {
        MESSAGES.put(d, render(d));
        listener.report(d);
      };
      return javac.getTask(out, fileManager, rendering, options, classes, units);
    }

    @Override
    public StandardJavaFileManager getStandardFileManager(
        DiagnosticListener<? super JavaFileObject> listener, Locale locale,
        Charset charset) {
      return javac.getStandardFileManager(listener, locale, charset);
    }

    @Override
    public int isSupportedOption(String option) {
      return javac.isSupportedOption(option);
    }

    @Override
    public int run(InputStream in, OutputStream out, OutputStream err,
        String... arguments) {
      return javac.run(in, out, err, arguments);
    }

    @Override
    public Set<javax.lang.model.SourceVersion> getSourceVersions() {
      return javac.getSourceVersions();
    }
  }

  /**
   * Whether error {@code d} in generated code repeats one of javac's errors in the user's code, whose
   * {@linkplain #userErrorKeys keys} are {@code userErrors}: the same code and the same message
   * (symbols, types and locations included), up to the names the processor gives its copies of the
   * user's locals ({@code x$}, {@code x$2}, {@code x_} for {@code x}) and local classes (member classes of the
   * machine: {@code DemoAsync_f.Pair} for {@code Pair}); or a symbol javac did not find in the user's
   * code either, looked up in the machine's {@code self}, the field through which it reads the user's
   * {@code this}, or in the same variable (whose copy may have a named supertype of an intersection
   * type), or in a temporary ({@code spill$N}) that holds a receiver of the same type, which the
   * machine evaluated first to keep Java's order around an await. The processor copies the user's expressions into the machine as they are written,
   * so an expression javac rejects in the user's code is rejected again in its copy; nothing else is
   * excused.
   */
  static boolean repeats(Diagnostic<? extends JavaFileObject> d, Set<String> userErrors) {
    String m = normalized(message(d));
    if (userErrors.contains(d.getCode() + " " + m)) {
      return true;
    }
    Matcher symbol = SYMBOL.matcher(m);
    if (!d.getCode().startsWith(CANT_RESOLVE) || !symbol.find()) {
      return false;
    }
    Matcher variable = VARIABLE_LOCATION.matcher(m);
    if (SELF_LOCATION.matcher(m).find() && userErrors.contains(CANT_RESOLVE + " " + symbol.group(1))) {
      return true;
    }
    if (!m.contains("location:")
        && userErrors.contains(CANT_RESOLVE + " " + symbol.group(1) + " in an intersection")) {
      return true; // looked up in the machine's read of a local of that type, a cast, which has no name
    }
    if (!variable.find()) {
      return false;
    }
    return userErrors.contains(CANT_RESOLVE + " " + symbol.group(1) + " in " + variable.group(1))
        || SPILL.matcher(variable.group(1)).matches()
            && userErrors.contains(CANT_RESOLVE + " " + symbol.group(1) + " of type " + variable.group(2));
  }

  /** What {@link #repeats} compares error {@code d} of the user's code with. */
  static List<String> userErrorKeys(Diagnostic<? extends JavaFileObject> d) {
    String m = normalized(message(d));
    List<String> keys = new ArrayList<>(List.of(d.getCode() + " " + m));
    Matcher symbol = SYMBOL.matcher(m);
    if (d.getCode().startsWith(CANT_RESOLVE) && symbol.find()) {
      keys.add(CANT_RESOLVE + " " + symbol.group(1));
      Matcher variable = VARIABLE_LOCATION.matcher(m);
      if (variable.find()) {
        keys.add(CANT_RESOLVE + " " + symbol.group(1) + " in " + variable.group(1));
        keys.add(CANT_RESOLVE + " " + symbol.group(1) + " of type " + variable.group(2));
        if (variable.group(2).contains("&")) {
          keys.add(CANT_RESOLVE + " " + symbol.group(1) + " in an intersection");
        }
      }
    }
    return keys;
  }

  /** A message without the names of the machine's copies of locals and local classes. */
  private static String normalized(String message) {
    return COPY_NAME.matcher(MACHINE_MEMBER.matcher(message).replaceAll("")).replaceAll("$1");
  }

  /** The codes of javac's "cannot find symbol" (with and without a location). */
  private static final String CANT_RESOLVE = "compiler.err.cant.resolve";

  /** The symbol line of a "cannot find symbol". */
  private static final Pattern SYMBOL = Pattern.compile("(?m)^\\s*symbol:\\s+(.*)$");

  /**
   * A symbol's location in a variable, by name: the machine's copy of a local whose type has no
   * name (an intersection) has a named supertype of it, which javac names instead.
   */
  private static final Pattern VARIABLE_LOCATION =
      Pattern.compile("(?m)^\\s*location: variable (\\S+) of type (\\S+)");

  /** A temporary of the machine holding an operand evaluated before an await (a spilled receiver). */
  private static final Pattern SPILL = Pattern.compile("spill(\\$\\d*)?");

  /** The location of a symbol looked up in the machine's field for the user's {@code this}. */
  private static final Pattern SELF_LOCATION = Pattern.compile("(?m)^\\s*location: variable self of type ");

  /**
   * The machine's (qualified) name before one of its member classes (a local class of the user's body),
   * with its type arguments when it is generic.
   */
  private static final Pattern MACHINE_MEMBER = Pattern.compile("\\b(?:[A-Za-z_]\\w*\\.)*[A-Za-z_]\\w*Async_\\w+(?:<[^<>]*>)?\\.(?=[A-Za-z_])");

  /**
   * A name the processor gives its copy of a user's local: the local's name, then '$' and a number,
   * or the underscores its name allocator adds when the name is taken ({@code e_} for a second
   * catch parameter {@code e}).
   */
  private static final Pattern COPY_NAME = Pattern.compile("(?<![\\w$])([A-Za-z_]\\w*?)(?:\\$\\d*|_+)(?![\\w$])");

  /** The breaches of the contract in a finished compilation. */
  static List<Finding> judge(Compilation c) {
    List<Finding> out = new ArrayList<>();
    boolean userErrors = false;
    boolean javacUserErrors = false;
    List<String> generatedErrors = new ArrayList<>();
    Set<String> javacUserErrorTexts = new HashSet<>();
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      if (!isGenerated(d) && !MESSAGER_CODE.equals(d.getCode())) {
        javacUserErrorTexts.addAll(userErrorKeys(d));
      }
    }
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      String message = message(d);
      if (message.contains("internal error")) {
        out.add(new Finding(Kind.INTERNAL_ERROR, format(d)));
      } else if (message.contains("at io.awaitj.processor.")) {
        out.add(new Finding(Kind.PROCESSOR_TRACE, format(d)));
      }
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      if (isGenerated(d)) {
        if (!repeats(d, javacUserErrorTexts)) {
          generatedErrors.add(format(d));
        }
      } else {
        userErrors = true;
        javacUserErrors |= !MESSAGER_CODE.equals(d.getCode());
      }
    }
    if (!generatedErrors.isEmpty() && !userErrors) {
      out.add(new Finding(Kind.ERRORS_ONLY_IN_GENERATED, String.join("\n", generatedErrors)));
    } else if (!generatedErrors.isEmpty() && !javacUserErrors) {
      out.add(new Finding(Kind.GENERATED_ERRORS_BESIDE_AWAITJ_ERRORS, String.join("\n", generatedErrors)));
    } else if (!generatedErrors.isEmpty()) {
      out.add(new Finding(Kind.GENERATED_ERRORS_BESIDE_JAVAC_ERRORS, String.join("\n", generatedErrors)));
    }
    return out;
  }

  /** Whether a diagnostic is about a file the processor generated. */
  static boolean isGenerated(Diagnostic<? extends JavaFileObject> d) {
    return d.getSource() != null && d.getSource().toUri().toString().contains("/SOURCE_OUTPUT/");
  }

  /** A diagnostic as one readable text: kind, code, file:line and message. */
  static String format(Diagnostic<? extends JavaFileObject> d) {
    String where = d.getSource() == null ? "(no file)"
        : d.getSource().toUri().getPath() + ":" + d.getLineNumber();
    return d.getKind() + " [" + d.getCode() + "] " + where + ": " + message(d);
  }

  static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** See {@link Finding#signature()}. */
  static String signatureOf(String detail) {
    String exception = null;
    for (String line : detail.split("\n")) {
      String l = line.strip();
      if (exception == null && l.matches("(Caused by: )?[\\w.$]+(Exception|Error)(: .*)?")) {
        exception = l.replaceFirst("^Caused by: ", "").replaceFirst(":.*", "");
      }
      if (l.startsWith("at io.awaitj.processor.")) {
        return (exception == null ? "" : exception + " ") + l.replaceFirst("\\(.*", "");
      }
    }
    String[] lines = detail.split("\n");
    // For errors in generated code: the message without its position, numbers and names of generated
    // classes, and the kind of its location when javac gives one ("cannot find symbol" says little).
    String location = "";
    for (int i = 1; i < lines.length && !lines[i].matches("^\\w+ \\[.*"); i++) {
      if (lines[i].strip().startsWith("location:")) {
        location = " (" + lines[i].strip().replaceFirst("^(location: \\w+).*", "$1") + ")";
        break;
      }
    }
    return lines[0].replaceFirst("^\\w+ \\[([^]]*)\\] [^:]*:\\d+: ", "$1 ")
        .replaceAll("\\b\\w+Async(_\\w+)?\\b", "XAsync")
        .replaceAll("\\d+", "N") + location;
  }
}
