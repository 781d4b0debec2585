package io.awaitj.processor.fuzz;

import com.google.testing.compile.Compilation;
import io.awaitj.processor.Compiled;
import io.awaitj.processor.Differential;
import io.awaitj.processor.Differential.Case;
import io.awaitj.processor.Differential.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.opentest4j.AssertionFailedError;

/**
 * Compiles generated programs in batches (one compilation costs seconds, so many programs share one)
 * and checks each with {@link Differential#check}. A compilation problem is attributed to the program
 * whose method it is in (by line, or by the generated machine's file); the others are compiled again
 * without it. What is reported:
 *
 * <ul>
 *   <li>{@code INVALID}: the synchronous reference does not compile — a bug of the generator;
 *   <li>{@code COMPILE}: the processor reported an error, crashed, or generated code that does not
 *       compile or warns (a warning the user's own code also has, like a fall-through, is inherited
 *       and ignored);
 *   <li>{@code MISMATCH}: the state machine's trace or outcome differs from the synchronous body's;
 *   <li>{@code HANG}: the check did not end in time; {@code CRASH}: the harness failed running it;
 *   <li>{@code JAVAC}: javac itself fails on the synchronous reference (it crashes, or its bytecode
 *       does not verify) — a javac bug the generator should steer clear of.
 * </ul>
 *
 * <p>Classes are loaded (and so verified) before any check runs: a method whose bytecode does not
 * verify breaks its whole class, so its program is taken out and the others compiled again.
 *
 * <p>The two forms live in packages {@code a} and {@code s}, so an exception class declared in the
 * subject (the generator's {@code Boom}) is named {@code a.Subject$Boom} in one and {@code
 * s.Subject$Boom} in the other: a difference only in that prefix is not a mismatch.
 */
public final class FuzzHarness {

  /** What happened to a program. */
  public enum Kind { PASS, MISMATCH, COMPILE, HANG, CRASH, INVALID, JAVAC }

  /** The verdict on one program: its kind, a signature to recognise the same failure, details. */
  public record Verdict(Kind kind, String signature, String detail) {
    public boolean failed() {
      return kind != Kind.PASS;
    }

    static Verdict pass() {
      return new Verdict(Kind.PASS, "pass", "");
    }
  }

  private static final Pattern HEADER =
      Pattern.compile("(?:Coroutine|AsyncGenerator)<[^>]*>\\s+(p\\d+)(?:_h\\d+|_g)?\\s*\\(");
  private static final Pattern MACHINE =
      Pattern.compile("SubjectAsync_(p\\d+)(?:_h\\d+|_g)?(?:_\\d+)?\\.java");

  private final long timeoutMillis;
  private ExecutorService runner = newRunner();
  private int compilations;

  public FuzzHarness(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** How many compilations this harness has run. */
  public int compilations() {
    return compilations;
  }

  private static ExecutorService newRunner() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-check");
      t.setDaemon(true);
      return t;
    });
  }

  /** The extra members of a compilation of {@code programs}: the shared ones and their helpers. */
  public static String extra(List<Program> programs) {
    StringBuilder b = new StringBuilder(ProgramGenerator.SHARED);
    for (Program p : programs) {
      b.append(p.helperText());
    }
    return b.toString();
  }

  /** Compiles {@code programs} together and checks each; the verdicts by program name. */
  public Map<String, Verdict> evaluate(List<Program> programs) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    if (programs.isEmpty()) {
      return out;
    }
    List<Case> cases = new ArrayList<>();
    for (Program p : programs) {
      cases.add(p.toCase());
    }
    String extra = extra(programs);
    String asyncSource = Differential.source("a", true, cases, extra);
    String syncSource = Differential.source("s", false, cases, extra);
    String syncImpl = "package s;\npublic class SubjectImpl extends Subject {}\n";
    compilations++;
    Compilation c;
    try {
      c = compile(syncSource, syncImpl, asyncSource);
    } catch (RuntimeException | Error e) {
      // The compiler itself failed (a processor crash that escaped javac).
      if (programs.size() > 1) {
        return bisect(programs);
      }
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      boolean referenceCrashes;
      try {
        compilations++;
        compile(syncSource, syncImpl);
        referenceCrashes = false;
      } catch (RuntimeException | Error again) {
        referenceCrashes = true;
      }
      out.put(programs.get(0).name(), referenceCrashes
          ? new Verdict(Kind.JAVAC, "javac-crash", "javac crashes on the reference alone: " + stackTrace(e))
          : new Verdict(Kind.COMPILE, "compiler-crash " + root.getClass().getName(),
              "the compiler threw (not on the reference alone): " + stackTrace(e)));
      return out;
    }

    Map<String, List<String>> invalid = new LinkedHashMap<>();
    Map<String, List<String>> broken = new LinkedHashMap<>();
    Map<String, String> signatures = new LinkedHashMap<>();
    Map<String, Set<String>> userWarnings = new LinkedHashMap<>();
    List<Diagnostic<? extends JavaFileObject>> generatedWarnings = new ArrayList<>();
    List<String> unattributed = new ArrayList<>();
    List<String> unownedReference = new ArrayList<>();
    Map<String, String> generatedTexts = generatedSources(c);

    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      boolean error = d.getKind() == Diagnostic.Kind.ERROR;
      boolean warning = d.getKind() == Diagnostic.Kind.WARNING
          || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING;
      if (!error && !warning) {
        continue;
      }
      String uri = d.getSource() == null ? null : d.getSource().toUri().toString();
      boolean generated = uri != null && uri.contains("SOURCE_OUTPUT");
      String owner = owner(uri, d.getLineNumber(), asyncSource, syncSource, generatedTexts);
      if (uri != null && !generated && isReference(uri)) {
        if (warning) {
          userWarnings.computeIfAbsent(String.valueOf(owner), k -> new HashSet<>()).add(d.getCode());
          continue;
        }
        if (owner == null) {
          // Outside every program's lines (SubjectImpl's constructor, say): javac's recovery from a
          // program that breaks the class's structure. Which program is found below.
          unownedReference.add(d.toString());
          continue;
        }
        invalid.computeIfAbsent(owner, k -> new ArrayList<>()).add(d.toString());
        continue;
      }
      if (warning && !generated) {
        continue; // the async user source warns as the sync one does
      }
      if (warning) {
        generatedWarnings.add(d);
        continue;
      }
      if (owner == null) {
        unattributed.add(d.toString());
        continue;
      }
      broken.computeIfAbsent(owner, k -> new ArrayList<>()).add((generated ? "generated: " : "") + d);
      signatures.putIfAbsent(owner, signature(d, generated));
    }
    for (Diagnostic<? extends JavaFileObject> d : generatedWarnings) {
      String uri = d.getSource().toUri().toString();
      String owner = owner(uri, d.getLineNumber(), asyncSource, syncSource, generatedTexts);
      if (owner == null) {
        unattributed.add("warning in generated code: " + d);
        continue;
      }
      Set<String> inherited = userWarnings.getOrDefault(owner, Set.of());
      if (!inherited.contains(d.getCode())) {
        broken.computeIfAbsent(owner, k -> new ArrayList<>()).add("generated warning: " + d);
        signatures.putIfAbsent(owner, signature(d, true));
      }
    }
    if (!unownedReference.isEmpty()) {
      if (programs.size() > 1) {
        return bisect(programs);
      }
      // The shared members compile in every other batch: this program broke them.
      out.put(programs.get(0).name(), invalid(
          ", with errors outside the program's lines (javac's recovery from what the program broke)",
          unownedReference));
      return out;
    }
    boolean processorErrors = false;
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      processorErrors |= d.getCode().startsWith("compiler.err.proc");
    }
    if (processorErrors || !unattributed.isEmpty()) {
      // javac does not attribute sources after the processor reports errors or crashes.
      // The reference's own errors when the batch has none of it to show.
      for (Map.Entry<String, String> e : invalidReferences(programs).entrySet()) {
        invalid.computeIfAbsent(e.getKey(), k -> new ArrayList<>(
            List.of("(in the reference compiled alone) " + e.getValue())));
      }
      if (!invalid.isEmpty() && !unattributed.isEmpty()) {
        List<Program> valid = new ArrayList<>();
        for (Program p : programs) {
          if (invalid.containsKey(p.name())) {
            out.put(p.name(), invalid("", invalid.get(p.name())));
          } else {
            valid.add(p);
          }
        }
        out.putAll(evaluate(valid));
        return order(programs, out);
      }
    }
    if (!unattributed.isEmpty()) {
      if (programs.size() > 1) {
        return bisect(programs);
      }
      String name = programs.get(0).name();
      out.put(name, new Verdict(Kind.COMPILE, "unattributed " + normalize(unattributed.get(0)),
          String.join("\n", unattributed) + generatedListing(c)));
      return out;
    }
    List<Program> rest = new ArrayList<>();
    for (Program p : programs) {
      if (invalid.containsKey(p.name())) {
        out.put(p.name(), invalid("", invalid.get(p.name())));
      } else if (broken.containsKey(p.name())) {
        out.put(p.name(), new Verdict(Kind.COMPILE, signatures.get(p.name()),
            String.join("\n", broken.get(p.name())) + generatedListing(c, p.name())));
      } else {
        rest.add(p);
      }
    }
    if (rest.size() < programs.size() && c.status() != Compilation.Status.SUCCESS) {
      out.putAll(evaluate(rest));
      return order(programs, out);
    }
    if (c.status() != Compilation.Status.SUCCESS) {
      if (programs.size() > 1) {
        return bisect(programs);
      }
      out.put(programs.get(0).name(), new Verdict(Kind.COMPILE, "failed without errors",
          "compilation failed without an attributable error: " + c.diagnostics()));
      return out;
    }
    Compiled compiled = new Compiled(c);
    LinkageError unverifiable = null;
    String owner = null;
    String where = null;
    List<String> classes = new ArrayList<>(List.of("s.SubjectImpl", "a.SubjectAsync"));
    for (Program p : rest) {
      classes.add("a.SubjectAsync_" + p.name());
      for (int k = 0; k < p.helpers.size(); k++) {
        classes.add("a.SubjectAsync_" + p.name() + "_h" + k);
      }
    }
    for (String name : classes) {
      try {
        compiled.load(name);
      } catch (LinkageError | AssertionError e) {
        if (e instanceof AssertionError && e.getCause() instanceof ClassNotFoundException) {
          continue; // a helper without a machine (the shrinker removed it)
        }
        unverifiable = e instanceof LinkageError l ? l : new LinkageError(e.toString(), e);
        Matcher m = VERIFY_LOCATION.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
          where = m.group(1) + "/" + m.group(2) + "." + m.group(3);
          owner = programOf(m.group(3));
          if (owner == null) {
            owner = programOf(m.group(2).replaceFirst("^SubjectAsync_", ""));
          }
        }
        break;
      }
    }
    if (unverifiable != null) {
      String blamed = owner;
      if (blamed == null || rest.stream().noneMatch(p -> p.name().equals(blamed))) {
        if (rest.size() > 1) {
          out.putAll(bisect(rest));
          return order(programs, out);
        }
        out.put(rest.get(0).name(), new Verdict(Kind.CRASH, "unloadable", stackTrace(unverifiable)));
        return order(programs, out);
      }
      boolean reference = where.startsWith("s/");
      out.put(blamed, reference
          ? new Verdict(Kind.JAVAC, "javac-unverifiable",
              "javac's bytecode for the reference does not verify: " + unverifiable.getMessage())
          : new Verdict(Kind.COMPILE, "unverifiable " + (where.contains("SubjectAsync") ? "machine" : "template"),
              "the bytecode of " + where + " does not verify (the reference's does): "
                  + unverifiable.getMessage()));
      List<Program> others = new ArrayList<>();
      for (Program p : rest) {
        if (!p.name().equals(blamed)) {
          others.add(p);
        }
      }
      out.putAll(evaluate(others));
      return order(programs, out);
    }
    Differential differential = new Differential(compiled, cases);
    for (Program p : rest) {
      out.put(p.name(), check(differential, p));
    }
    return order(programs, out);
  }

  /** Where a VerifyError happened: "a/Subject.p12(", "s/Subject.p3_h0(", "a/SubjectAsync_p7.step(". */
  private static final Pattern VERIFY_LOCATION =
      Pattern.compile("Location:\\s+([as])/(Subject(?:Async(?:_\\w+)?)?)\\.(\\w+)\\(");

  /** The program of a method (p12, p12_h0) or of a machine's method, or null. */
  private static String programOf(String method) {
    Matcher m = Pattern.compile("^(p\\d+)").matcher(method == null ? "" : method);
    return m.find() ? m.group(1) : null;
  }

  /**
   * The compiler of {@link Compiled#compiler()} with two changes for batches: no limit on the number
   * of errors and warnings reported (the harness needs all of them to attribute them), and flow
   * analysis (definite assignment, reachability, missing returns) of every class even after another
   * class had errors, so that each program's flow errors are reported in the same compilation. The
   * synchronous reference comes first, so that its errors mark a program invalid.
   */
  static Compilation compile(String... sources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (String s : sources) {
      files.add(com.google.testing.compile.JavaFileObjects.forSourceString(qualifiedName(s), s));
    }
    List<String> options = new ArrayList<>(List.of("-Xlint:all", "-Xlint:-processing", "-Xmaxerrs", "100000",
        "-Xmaxwarns", "100000", "-XDshould-stop.ifError=FLOW"));
    String partSize = System.getProperty("awaitj.fuzz.stepPartSize");
    if (partSize != null) {
      options.add("-Aawaitj.stepPartSize=" + partSize);
    }
    return Compiled.compiler().withOptions(options).compile(files);
  }

  private static String qualifiedName(String source) {
    Matcher pkg = Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(source);
    Matcher type = Pattern.compile("(?m)^public\\s+(?:abstract\\s+)?class\\s+(\\w+)").matcher(source);
    if (!pkg.find() || !type.find()) {
      throw new IllegalArgumentException("no package or class in source");
    }
    return pkg.group(1) + "." + type.group(1);
  }

  /**
   * An {@code INVALID} verdict: the reference does not compile ({@code where} says more, or is empty),
   * with javac's errors, its first error first, so that a report says why.
   */
  private static Verdict invalid(String where, List<String> errors) {
    String others = errors.size() > 1
        ? "\nand the others:\n" + String.join("\n", errors.subList(1, errors.size()))
        : "";
    return new Verdict(Kind.INVALID, "invalid", "the synchronous reference does not compile (a generator"
        + " bug)" + where + "; javac's first error: " + errors.get(0) + others);
  }

  /**
   * The programs whose synchronous reference alone does not compile, each with javac's first error
   * in it (after the processor reports an error javac attributes nothing, so the batch's compilation
   * has no error of the reference to show).
   */
  private Map<String, String> invalidReferences(List<Program> programs) {
    List<Case> cases = new ArrayList<>();
    for (Program p : programs) {
      cases.add(p.toCase());
    }
    String syncSource = Differential.source("s", false, cases, extra(programs));
    compilations++;
    Compilation c = compile(syncSource);
    Map<String, String> out = new LinkedHashMap<>();
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      String owner = d.getSource() == null ? null : ownerByLine(syncSource, d.getLineNumber());
      if (owner == null) {
        throw new AssertionError("the generator's shared members do not compile: " + d);
      }
      out.putIfAbsent(owner, d.toString());
    }
    return out;
  }

  private static Map<String, Verdict> order(List<Program> programs, Map<String, Verdict> verdicts) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    for (Program p : programs) {
      out.put(p.name(), verdicts.get(p.name()));
    }
    return out;
  }

  private Map<String, Verdict> bisect(List<Program> programs) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    int half = programs.size() / 2;
    out.putAll(evaluate(programs.subList(0, half)));
    out.putAll(evaluate(programs.subList(half, programs.size())));
    return out;
  }

  private Verdict check(Differential differential, Program p) {
    Case c = p.toCase();
    Future<?> f = runner.submit(() -> differential.check(c));
    try {
      f.get(timeoutMillis, TimeUnit.MILLISECONDS);
      return Verdict.pass();
    } catch (TimeoutException e) {
      f.cancel(true);
      runner.shutdownNow();
      runner = newRunner();
      return new Verdict(Kind.HANG, "hang", "the check did not end within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AssertionFailedError afe && afe.getExpected() != null
          && afe.getExpected().getEphemeralValue() instanceof Outcome sync
          && afe.getActual().getEphemeralValue() instanceof Outcome async) {
        Outcome s = normalize(sync);
        Outcome a = normalize(async);
        if (s.equals(a)) {
          return Verdict.pass();
        }
        return new Verdict(Kind.MISMATCH, "mismatch", describe(s, a));
      }
      return new Verdict(Kind.CRASH, "crash " + cause.getClass().getName(),
          "the check failed: " + stackTrace(cause));
    }
  }

  private static Outcome normalize(Outcome o) {
    List<String> trace = new ArrayList<>();
    for (String t : o.trace()) {
      trace.add(unpackage(t));
    }
    return new Outcome(trace, unpackage(o.result()));
  }

  /**
   * A trace line or result with what only one side can name made the same: the package of the
   * program's class, and the runtime's message for an emit while closing, which names the generator
   * by its state (the synchronous reference's says "the generator"; seed 18001, a body that caught it
   * and traced its message).
   */
  private static String unpackage(String s) {
    return EMIT_WHILE_CLOSING.matcher(s.replace("a.Subject$", "Subject$").replace("s.Subject$", "Subject$"))
        .replaceAll("the generator emitted a value while it was being closed");
  }

  private static final java.util.regex.Pattern EMIT_WHILE_CLOSING = java.util.regex.Pattern.compile(
      "async generator .*? emitted a value while it was being closed: a generator that catches"
          + " GeneratorExit \\(or Throwable\\) must not emit again \\(Python's 'async generator ignored"
          + " GeneratorExit'\\)");

  /** Where the two runs part: the first differing trace line with context, and both results. */
  static String describe(Outcome sync, Outcome async) {
    StringBuilder b = new StringBuilder();
    List<String> s = sync.trace();
    List<String> a = async.trace();
    int i = 0;
    while (i < s.size() && i < a.size() && s.get(i).equals(a.get(i))) {
      i++;
    }
    if (i < s.size() || i < a.size()) {
      b.append("traces differ at line ").append(i).append(" (").append(s.size()).append(" lines in the ")
          .append("synchronous reference, ").append(a.size()).append(" in the state machine)\n");
      int from = Math.max(0, i - 3);
      b.append("  synchronous reference:\n");
      for (int k = from; k < Math.min(s.size(), i + 3); k++) {
        b.append(k == i ? "  >> " : "     ").append(s.get(k)).append('\n');
      }
      b.append("  state machine:\n");
      for (int k = from; k < Math.min(a.size(), i + 3); k++) {
        b.append(k == i ? "  >> " : "     ").append(a.get(k)).append('\n');
      }
    } else {
      b.append("traces are identical (").append(s.size()).append(" lines)\n");
    }
    b.append("  result of the synchronous reference: ").append(sync.result()).append('\n');
    b.append("  result of the state machine:         ").append(async.result()).append('\n');
    return b.toString();
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    String s = w.toString();
    return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
  }

  // ---------------------------------------------------------------------------------------------
  // Attribution.

  /**
   * The generated sources by URI. compile-testing lists the generated files of successful
   * compilations only; after a failure, those that have diagnostics are read through them.
   */
  private static Map<String, String> generatedSources(Compilation c) {
    Map<String, String> out = new LinkedHashMap<>();
    List<JavaFileObject> files = new ArrayList<>();
    if (c.status() == Compilation.Status.SUCCESS) {
      files.addAll(c.generatedSourceFiles());
    }
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      if (d.getSource() != null && d.getSource().toUri().toString().contains("SOURCE_OUTPUT")) {
        files.add(d.getSource());
      }
    }
    for (JavaFileObject f : files) {
      try {
        out.putIfAbsent(f.toUri().toString(), f.getCharContent(true).toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The program a diagnostic belongs to, or null for the shared members (or unknown). */
  private static String owner(String uri, long line, String asyncSource, String syncSource,
      Map<String, String> generated) {
    if (uri == null) {
      return null;
    }
    if (uri.contains("SOURCE_OUTPUT")) {
      Matcher m = MACHINE.matcher(uri);
      if (m.find()) {
        return m.group(1);
      }
      String text = generated.get(uri);
      return text == null ? null : ownerByLine(text, line);
    }
    if (uri.endsWith("SubjectImpl.java")) {
      return null;
    }
    return ownerByLine(isReference(uri) ? syncSource : asyncSource, line);
  }

  /** Whether a source URI ({@code s/Subject.java}, perhaps with a scheme) is the reference's. */
  private static boolean isReference(String uri) {
    return uri.startsWith("s/") || uri.contains("/s/");
  }

  private static String ownerByLine(String text, long line) {
    if (line <= 0) {
      return null;
    }
    String[] lines = text.split("\n", -1);
    for (int i = (int) Math.min(line, lines.length) - 1; i >= 0; i--) {
      Matcher m = HEADER.matcher(lines[i]);
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  private static String signature(Diagnostic<? extends JavaFileObject> d, boolean generated) {
    String message = d.getMessage(Locale.ROOT);
    String first = message.split("\n", 2)[0];
    return (generated ? "generated " : "source ") + d.getKind() + " " + d.getCode() + " "
        + normalize(first);
  }

  /** A message without the names and numbers that vary between programs. */
  static String normalize(String message) {
    return message.replaceAll("\\b[a-z]+\\$?\\d+\\b", "X").replaceAll("\\d+", "N");
  }

  private static String generatedListing(Compilation c) {
    return generatedListing(c, null);
  }

  /** The generated machines of {@code program} (all if null), to read with a failure. */
  private static String generatedListing(Compilation c, String program) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> f : generatedSources(c).entrySet()) {
      Matcher m = MACHINE.matcher(f.getKey());
      if (program != null && !(m.find() && m.group(1).equals(program))) {
        continue;
      }
      b.append("\n---- ").append(f.getKey()).append('\n').append(f.getValue());
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Shrinking.

  /**
   * The smallest variant of {@code program} found that still fails with {@code verdict}'s
   * signature, by greedy delta debugging over {@link Program#reductions()}: candidates are compiled
   * in batches, the first that still fails the same way replaces the program, until no candidate
   * does or {@code maxCompilations} compilations were spent.
   */
  public Program shrink(Program program, Verdict verdict, int maxCompilations) {
    if (verdict.kind() == Kind.HANG || verdict.kind() == Kind.PASS || verdict.kind() == Kind.INVALID) {
      // A hang leaves a thread spinning: do not multiply them. An invalid program is a generator
      // bug, and any smaller invalid program would do: the original says more.
      return program;
    }
    int budget = compilations + maxCompilations;
    Program current = program;
    int cursor = 0;
    boolean fromStart = true;
    int serial = 0;
    // A crash fails the whole batch, which must then be bisected: crashes are shrunk one at a time.
    final int batch = verdict.signature().contains("crash") ? 1 : 16;
    while (compilations < budget) {
      List<Program> candidates = current.reductions();
      boolean progress = false;
      for (int i = Math.min(cursor, candidates.size()); i < candidates.size() && compilations < budget;
          i += batch) {
        List<Program> chunk = new ArrayList<>();
        for (int k = i; k < Math.min(candidates.size(), i + batch); k++) {
          chunk.add(candidates.get(k).renamed("p" + (900_000 + serial++)));
        }
        Map<String, Verdict> verdicts = evaluate(chunk);
        for (int k = 0; k < chunk.size(); k++) {
          Verdict v = verdicts.get(chunk.get(k).name());
          if (v != null && v.kind() == verdict.kind() && v.signature().equals(verdict.signature())) {
            current = chunk.get(k).renamed(program.name());
            cursor = i + k;
            progress = true;
            break;
          }
        }
        if (progress) {
          break;
        }
      }
      if (!progress) {
        if (fromStart) {
          break;
        }
        cursor = 0;
        fromStart = true;
      } else {
        fromStart = cursor == 0;
      }
    }
    return current;
  }
}
