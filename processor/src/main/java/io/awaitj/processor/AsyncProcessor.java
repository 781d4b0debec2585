package io.awaitj.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.awaitj.processor.analysis.JavacLimits;
import io.awaitj.processor.analysis.AsyncElements;
import io.awaitj.processor.analysis.AwaitAnalysis;
import io.awaitj.processor.diagnostics.Diagnostics;
import io.awaitj.processor.diagnostics.SafetyNet;
import io.awaitj.processor.emit.MachineEmitter;
import io.awaitj.processor.emit.ShellEmitter;
import io.awaitj.processor.lower.Body;
import io.awaitj.processor.lower.LoweredBody;
import io.awaitj.processor.lower.Lowerer;
import io.awaitj.processor.model.AsyncType;
import io.awaitj.processor.model.MachineContract;
import io.awaitj.processor.validate.Validator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The awaitj annotation processor: compiles every {@code @Async} method into a state machine.
 *
 * <p>Two rounds per type. Round 1 validates the type and writes {@code XAsync}, built from elements
 * only. Attributing method bodies before {@code XAsync} exists would let javac record the missing type
 * in the user's class and crash later (a ClassCastException in TransTypes); in round 2 the generated
 * type exists, and the lowering may ask javac for the types of expressions and locals safely, then
 * writes one state-machine class per method.
 *
 * <p>Nothing escapes {@link #process}: every problem, including a bug of the processor, becomes a
 * diagnostic on the element concerned.
 */
@AutoService(Processor.class)
public final class AsyncProcessor extends JavacProcessor {

  /** Types whose XAsync was written in an earlier round and whose machines are still to be written. */
  private final Set<String> toLower = new LinkedHashSet<>();

  /** Types whose signatures had unresolved types: tried again in the next round. */
  private final Set<String> deferred = new LinkedHashSet<>();

  /** Types already handled, by qualified name (a type is handled once). */
  private final Set<String> seen = new LinkedHashSet<>();

  /** The methods left without a working machine, reported if javac goes on regardless. */
  private SafetyNet net;

  /** For tests: the methods whose lowering gives up silently, as if javac reported an error there. */
  private final java.util.function.Predicate<ExecutableElement> givesUpSilently;

  public AsyncProcessor() {
    this(m -> false);
  }

  /**
   * For tests of the {@link SafetyNet}: the lowering of each method {@code givesUpSilently} accepts
   * stops without an error, as it does where it expects javac to report one; no error is reported.
   */
  AsyncProcessor(java.util.function.Predicate<ExecutableElement> givesUpSilently) {
    this.givesUpSilently = givesUpSilently;
  }

  @Override
  public synchronized void init(javax.annotation.processing.ProcessingEnvironment env) {
    super.init(env);
    net = trees == null ? null : new SafetyNet(trees);
  }

  /** {@code @Async}, which it claims. (The misuse checks are {@link MisuseProcessor}'s.) */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(MachineContract.ASYNC);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (trees == null) {
      if (!annotations.isEmpty()) {
        processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
            "awaitj needs javac: the compiler in use does not offer the com.sun.source Trees API");
      }
      return false;
    }
    List<String> pending = new ArrayList<>(toLower);
    toLower.clear();
    for (String name : pending) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null) {
        guarded(type, () -> lowerType(type));
      }
    }
    if (!pending.isEmpty()) {
      guarded(null, this::flushJavacAnnotations);
    }
    // The machines the shells of the last round use exist now: what was held back can be printed.
    diagnostics.flush();
    diagnostics.holdBack(!round.processingOver());
    try {
      List<String> retry = new ArrayList<>(deferred);
      deferred.clear();
      for (String name : retry) {
        TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
        if (type != null) {
          guarded(type, () -> writeShell(type, asyncMethodsOf(type), round.processingOver()));
        }
      }
      for (Map.Entry<TypeElement, List<ExecutableElement>> e : asyncMethodsByType(round).entrySet()) {
        TypeElement type = e.getKey();
        if (seen.add(type.getQualifiedName().toString())) {
          guarded(type, () -> writeShell(type, e.getValue(), round.processingOver()));
        }
      }
    } finally {
      diagnostics.holdBack(false);
      if (toLower.isEmpty() || round.processingOver()) {
        // No shell was written, so there will be no next round to print them in.
        diagnostics.flush();
      }
      if (round.processingOver()) {
        net.processingOver();
      }
    }
    return true;
  }

  /** How many times {@link #flushJavacAnnotations} ran (each needs a package name of its own). */
  private int annotationFlushes;

  /**
   * Makes javac finish the annotation work that attributing the classes of this round left queued.
   *
   * <p>Attributing a method body queues the second stage of each type annotation in it that no later
   * declaration flushes (as in {@code return o instanceof @A T;} in a class's last method). javac 17
   * runs that queue only when it enters the next round's trees, after cleaning them, and then fails an
   * assertion (Annotate.fromAnnotations: the cleaned annotation has no attribute), crashing the
   * compilation. Completing a package javac has not seen yet flushes the queue through the public
   * API: a name no package has, new for each flush. (JDK 25's javac needs none of this; it is
   * harmless there.)
   */
  private void flushJavacAnnotations() {
    annotationFlushes++;
    processingEnv.getElementUtils().getPackageElement(
        "io.awaitj.processor.flush$" + annotationFlushes + ".none");
  }

  private void guarded(Element element, Runnable work) {
    try {
      work.run();
    } catch (Diagnostics.AbortException reported) {
      // Already reported; the other types go on.
    } catch (AssertionError | RuntimeException e) {
      if (e instanceof AssertionError && isFromJavac(e)) {
        // javac failed an assertion while attributing a body it reports as erroneous itself (its
        // error recovery): its own error is the one to show.
        return;
      }
      diagnostics.internalError(element, e);
    } catch (Throwable bug) {
      diagnostics.internalError(element, bug);
    }
  }

  /** Whether {@code e} was thrown by javac itself (an Assert.check of javac's, say), not by awaitj. */
  private static boolean isFromJavac(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith("com.sun.tools.javac.");
  }

  private Map<TypeElement, List<ExecutableElement>> asyncMethodsByType(RoundEnvironment round) {
    Map<TypeElement, List<ExecutableElement>> byType = new LinkedHashMap<>();
    TypeElement async = processingEnv.getElementUtils().getTypeElement(MachineContract.ASYNC);
    if (async == null) {
      return byType;
    }
    for (Element e : round.getElementsAnnotatedWith(async)) {
      if (e.getKind() != ElementKind.METHOD) {
        continue; // @Target(METHOD) makes javac reject anything else
      }
      byType.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>())
          .add((ExecutableElement) e);
    }
    return byType;
  }

  /** Generated class names already taken, with the type they were generated for. */
  private final Map<String, String> generatedNames = new java.util.HashMap<>();

  /**
   * Round 1: validate, then write XAsync. A type whose signatures name a type javac cannot resolve
   * waits for the next round; in the last, only its errors are reported.
   */
  private void writeShell(TypeElement type, List<ExecutableElement> methods, boolean lastRound) {
    AsyncType model = AsyncType.of(type, methods);
    String generated = model.generated().canonicalName();
    String other = generatedNames.putIfAbsent(generated, type.getQualifiedName().toString());
    if (other != null) {
      diagnostics.error(type, "both " + other + " and " + type.getQualifiedName() + " would generate "
          + generated + ": rename one of them");
      return;
    }
    Validator validator =
        new Validator(diagnostics, processingEnv.getElementUtils(), this::isWrittenByUser);
    Diagnostics.Trial trial = diagnostics.trial();
    boolean valid;
    try {
      valid = validator.validate(model);
    } finally {
      if (!lastRound && validator.wasErroneous()) {
        // A type in a signature is unresolved: maybe another processor generates it later. Its other
        // errors are reported once, in the last round (they were reported every round).
        trial.discard();
        generatedNames.remove(generated);
        deferred.add(type.getQualifiedName().toString());
      } else {
        trial.keep();
      }
    }
    if (!valid || lastRound) {
      return; // (in the last round, a shell could get no machines: javac reports what is unresolved)
    }
    write(new ShellEmitter(processingEnv.getTypeUtils(), processingEnv.getElementUtils()).emit(model), type);
    toLower.add(type.getQualifiedName().toString());
  }

  /** Whether a type found under a generated name was written by the user (and not by awaitj). */
  private boolean isWrittenByUser(TypeElement existing) {
    for (var a : existing.getAnnotationMirrors()) {
      TypeElement at = (TypeElement) a.getAnnotationType().asElement();
      if (at.getQualifiedName().contentEquals("javax.annotation.processing.Generated")) {
        return false;
      }
    }
    // Compiled in an earlier build (a class file, whose source-retention @Generated is gone) counts
    // as ours only if it is not being compiled from source now.
    return trees.getPath(existing) != null;
  }

  private static List<ExecutableElement> asyncMethodsOf(TypeElement type) {
    List<ExecutableElement> methods = new ArrayList<>();
    for (Element e : type.getEnclosedElements()) {
      if (AsyncElements.isAsyncMethod(e)) {
        methods.add((ExecutableElement) e);
      }
    }
    return methods;
  }

  /** Round 2: attribute, analyse and lower each method, and write its machine. */
  private void lowerType(TypeElement type) {
    AsyncType model = AsyncType.of(type, asyncMethodsOf(type));
    AsyncElements asyncElements = new AsyncElements(trees, processingEnv.getTypeUtils());
    List<Machine> files = new ArrayList<>();
    for (AsyncType.Method m : model.methods()) {
      TreePath path = trees.getPath(m.element());
      if (path == null) {
        throw diagnostics.abort(m.element(), "awaitj: cannot find the source of this method");
      }
      CompilationUnitTree unit = path.getCompilationUnit();
      MethodTree tree = (MethodTree) path.getLeaf();
      String location = diagnostics.location(unit, tree);
      MachineEmitter emitter = new MachineEmitter(processingEnv.getTypeUtils());
      int before = diagnostics.errorCount();
      LoweredBody lowered = null;
      try {
        AwaitAnalysis analysis = AwaitAnalysis.of(path, asyncElements, diagnostics);
        if (givesUpSilently.test(m.element())) {
          throw diagnostics.abortSilently();
        }
        if (diagnostics.errorCount() == before && !analysis.isErroneous()) {
          lowered = Lowerer.lower(trees, processingEnv.getElementUtils(), processingEnv.getTypeUtils(),
              diagnostics, unit, Body.of(path, m.element(), m.machine(), model.machineTypeVariables(m)),
              type, analysis);
        }
      } catch (Diagnostics.AbortException reported) {
        lowered = null;
      } catch (AssertionError | RuntimeException e) {
        if (!isFromJavac(e)) {
          throw e;
        }
        if (e instanceof RuntimeException) {
          // javac itself failed while attributing the body (its error recovery on a broken class, as
          // far as seen): it may report nothing, so this error says what happened.
          StackTraceElement top = e.getStackTrace()[0];
          diagnostics.error(m.element(), "awaitj: javac failed while attributing this method ("
              + e.getClass().getSimpleName() + " in " + top.getClassName() + "." + top.getMethodName()
              + "): correct the errors javac reports in it first; if it reports none, please report this");
        }
        lowered = null; // an assertion: javac's error recovery on a body it reports as erroneous itself
      }
      // A method that could not be compiled still gets a machine (one that throws), so that XAsync,
      // already written, compiles and only the real error is shown.
      if (lowered != null) {
        files.add(new Machine(emitter.emit(model, m, lowered), lowered.localClasses()));
        for (LoweredBody lambda : lowered.lambdas()) {
          files.add(new Machine(emitter.emitLambda(model, m, lambda), lambda.localClasses()));
        }
      } else {
        files.add(new Machine(emitter.emitFailed(model, m, location), List.of()));
        net.record(processingEnv, m.element(), (diagnostics.errorCount() == before
            ? "its lowering stopped, expecting javac to report an error in it"
            : "awaitj reported an error in it") + "; it got a machine that throws",
            m.machine().canonicalName());
      }
    }
    checkJavacLimits(type);
    for (Machine f : files) {
      if (f.localClasses().isEmpty()) {
        write(f.file(), type);
      } else {
        writeSource(f.file(), MachineEmitter.source(f.file()), type);
      }
    }
  }

  /** Outermost classes already checked for what javac cannot compile after attributing them. */
  private final Set<String> checkedOutermost = new java.util.HashSet<>();

  /** Reports what javac cannot compile in a class it attributed during processing (see JavacLimits). */
  private void checkJavacLimits(TypeElement type) {
    TypeElement outermost = type;
    while (outermost.getEnclosingElement() instanceof TypeElement enclosing) {
      outermost = enclosing;
    }
    TreePath path = trees.getPath(outermost);
    if (path != null && checkedOutermost.add(outermost.getQualifiedName().toString())) {
      JavacLimits.check(trees, processingEnv.getTypeUtils(), path, diagnostics);
    }
  }

  /** A machine's file, and the local classes of its body, which become its members. */
  private record Machine(JavaFile file, List<com.palantir.javapoet.CodeBlock> localClasses) {}

  private void writeSource(JavaFile file, String source, Element origin) {
    String name = file.packageName().isEmpty() ? file.typeSpec().name()
        : file.packageName() + "." + file.typeSpec().name();
    try (java.io.Writer w = processingEnv.getFiler().createSourceFile(name, origin).openWriter()) {
      w.write(source);
    } catch (IOException e) {
      diagnostics.error(origin, "awaitj: could not write " + name + ": " + e.getMessage());
    }
  }

  private void write(JavaFile file, Element origin) {
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      diagnostics.error(origin, "awaitj: could not write " + file.packageName() + "."
          + file.typeSpec().name() + ": " + e.getMessage());
    }
  }
}
