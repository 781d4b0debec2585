package io.awaitj.processor;

import com.google.auto.service.AutoService;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.awaitj.processor.analysis.JavacErrors;
import io.awaitj.processor.analysis.JavacLimits;
import io.awaitj.processor.analysis.UnresolvedNames;
import io.awaitj.processor.analysis.AsyncElements;
import io.awaitj.processor.analysis.AwaitAnalysis;
import io.awaitj.processor.analysis.DirectCalls;
import io.awaitj.processor.diagnostics.Diagnostics;
import io.awaitj.processor.diagnostics.SafetyNet;
import io.awaitj.processor.emit.JavaLangNames;
import io.awaitj.processor.emit.MachineEmitter;
import io.awaitj.processor.emit.Rendered;
import io.awaitj.processor.emit.ShellEmitter;
import io.awaitj.processor.lower.Body;
import io.awaitj.processor.lower.LoweredBody;
import io.awaitj.processor.lower.Lowerer;
import io.awaitj.processor.model.AsyncType;
import io.awaitj.processor.model.CodeSize;
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
 * <p>Two rounds per type, or more. Round 1 validates the type and writes {@code XAsync}, built from
 * elements only. Attributing method bodies before {@code XAsync} exists would let javac record the
 * missing type in the user's class and crash later (a ClassCastException in TransTypes); in round 2
 * the generated type exists, and the lowering may ask javac for the types of expressions and locals
 * safely, then writes one state-machine class per method. A class that uses a type still to be
 * generated (by another processor, or awaitj's XAsync of a class that extends an XAsync) waits for
 * it, round after round; only in the last round are its errors final (see {@link #lowerType}). The
 * processor's errors are printed in the last round, beside javac's of that round.
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

  /**
   * The option that sets the estimated size above which a machine's {@code step()} is split into
   * parts, and so where long states are cut ({@link CodeSize#DEFAULT_PART} characters by default):
   * small values split small machines, to test the split on every construct.
   */
  static final String STEP_PART_SIZE = "awaitj.stepPartSize";

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(STEP_PART_SIZE);
  }

  /** The sizes of generated methods, from {@link #STEP_PART_SIZE}. */
  private CodeSize codeSize() {
    String value = processingEnv.getOptions().get(STEP_PART_SIZE);
    if (value != null) {
      try {
        return CodeSize.of(Math.max(1, Integer.parseInt(value.trim())));
      } catch (NumberFormatException e) {
        processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.WARNING,
            "awaitj: -A" + STEP_PART_SIZE + " takes a number of characters, not '" + value + "'");
      }
    }
    return CodeSize.defaults();
  }

  /** An emitter of machines with javac's utilities, sized by {@link #codeSize()}. */
  private MachineEmitter machineEmitter() {
    return new MachineEmitter(processingEnv.getTypeUtils(), processingEnv.getElementUtils(), codeSize(),
        javaLangNames);
  }

  /** The methods left without a working machine, reported if javac goes on regardless. */
  private SafetyNet net;

  /** For tests: the methods whose lowering gives up silently, as if javac reported an error there. */
  private final java.util.function.Predicate<ExecutableElement> givesUpSilently;

  /** The processor javac loads (through {@code META-INF/services}). */
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

  /** Which names are java.lang's, asked once per name in this compilation (see {@link JavaLangNames}). */
  private JavaLangNames javaLangNames;

  @Override
  public synchronized void init(javax.annotation.processing.ProcessingEnvironment env) {
    super.init(env);
    javaLangNames = new JavaLangNames(env.getElementUtils());
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
    rounds++;
    int writtenBefore = written;
    List<String> waiting = new ArrayList<>(); // may wait only if this round writes a file
    // Errors are printed in the last round only: javac runs no further round after one in which an
    // error was printed, and types still to be generated (the machines of the shells of this round,
    // classes that other processors or awaitj write later, which bodies may use) would be reported
    // missing too. In the last round, javac prints its own errors of a round in full.
    diagnostics.holdBack(!round.processingOver());
    try {
      List<String> pending = new ArrayList<>(toLower);
      toLower.clear();
      for (String name : pending) {
        TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
        if (type == null) {
          continue;
        }
        String base = baseWithoutMachines(type);
        if (base != null) {
          // Attributing the class would attribute the XAsync it extends, whose machines are missing.
          if (round.processingOver()) {
            for (ExecutableElement m : asyncMethodsOf(type)) {
              net.record(processingEnv, m, "its class extends " + base + ", which has no machines",
                  null);
            }
          } else {
            toLower.add(name);
          }
          continue;
        }
        TreePath outermost = trees.getPath(outermost(type));
        if (!round.processingOver() && outermost != null && !UnresolvedNames.in(
            processingEnv.getElementUtils(), processingEnv.getElementUtils().getModuleOf(type),
            outermost.getCompilationUnit(), 1).isEmpty()) {
          // A type it uses is not generated yet: its class is not attributed before it is (see
          // UnresolvedNames), nor in the last round if that would attribute a generated class without
          // machines (see lowerType).
          (subclassesGeneratedWithoutMachines(outermost) ? waiting : toLower).add(name);
          continue;
        }
        guarded(type, () -> lower(type, round.processingOver() ? Mode.LAST : Mode.WAIT, waiting));
      }
      if (!pending.isEmpty()) {
        guarded(null, this::flushJavacAnnotations);
      }
      List<String> retry = new ArrayList<>(deferred);
      deferred.clear();
      for (String name : retry) {
        TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
        if (type != null) {
          guarded(type, () -> writeShell(type, asyncMethodsOf(type), round.processingOver()));
        }
      }
      // (No @Async in the round's classes, as in the rounds of the generated ones: nothing to look for.)
      for (Map.Entry<TypeElement, List<ExecutableElement>> e
          : annotations.isEmpty() ? Map.<TypeElement, List<ExecutableElement>>of().entrySet()
              : asyncMethodsByType(round).entrySet()) {
        TypeElement type = e.getKey();
        if (seen.add(type.getQualifiedName().toString())) {
          guarded(type, () -> writeShell(type, e.getValue(), round.processingOver()));
        }
      }
      if (!waiting.isEmpty() && written == writtenBefore) {
        // awaitj wrote nothing: the next round may be the last. Their classes are compiled now,
        // trusting javac to report their errors (in the last round, attributing them would attribute
        // generated code without machines).
        for (String name : waiting) {
          TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
          if (type != null) {
            guarded(type, () -> lower(type, Mode.NOW, null));
          }
        }
      } else {
        toLower.addAll(waiting);
      }
    } finally {
      diagnostics.holdBack(false);
      if (round.processingOver()) {
        if (diagnostics.errorCount() > 0) {
          guarded(null, this::attributeTrustedAgain);
        }
        diagnostics.flush();
        net.processingOver();
      }
    }
    return true;
  }

  /** How {@link #lowerType} treats a type whose class javac found errors in (see there). */
  private enum Mode {
    /** A round other than the last: the type waits for the next round. */
    WAIT,
    /** The type is compiled now, with placeholders where javac reports the errors. */
    NOW,
    /** The last round: javac prints its errors now; nothing is written. */
    LAST
  }

  /** What {@link #lowerType} decided. */
  private enum Outcome {
    /** Its machines (and placeholders), or its errors, are final. */
    DONE,
    /** It tries again in the next round. */
    WAIT,
    /** It tries again in the next round if awaitj writes a file in this one (see lowerType). */
    WAIT_IF_WRITTEN
  }

  /** Lowers {@code type} in {@code mode} and files it by the outcome ({@code waiting}: see process). */
  private void lower(TypeElement type, Mode mode, List<String> waiting) {
    String name = type.getQualifiedName().toString();
    switch (lowerType(type, mode)) {
      case DONE -> { }
      case WAIT -> toLower.add(name); // javac could not attribute its class yet
      case WAIT_IF_WRITTEN -> waiting.add(name);
    }
  }

  /** How many files awaitj has written. */
  private int written;

  /** The rounds this processor has seen, the current one included. */
  private int rounds;

  /** The round in which each type's machines were written, by name. */
  private final Map<String, Integer> machinesWritten = new java.util.HashMap<>();

  /**
   * A generated class of another outermost class that {@code type}'s outermost class, or a member
   * class in it, extends (directly or not), and that has no machines javac sees in this round (they
   * are still to be written, or were written in this round, so javac sees them in the next); null if
   * there is none. Attributing the class would attribute that generated class, and javac would report
   * its missing machines (in the last round, to the user).
   */
  private String baseWithoutMachines(TypeElement type) {
    TypeElement outermost = outermost(type);
    java.util.ArrayDeque<TypeElement> classes = new java.util.ArrayDeque<>(List.of(outermost));
    while (!classes.isEmpty()) {
      TypeElement c = classes.pop();
      for (Element e : c.getEnclosedElements()) {
        if (e instanceof TypeElement member) {
          classes.push(member);
        }
      }
      // (A class that extends the XAsync of its own outermost class would wait for itself.)
      String generated = generatedSuperclassWithoutMachines(c, outermost);
      if (generated != null) {
        return generated;
      }
    }
    return null;
  }

  /**
   * A generated class that a class in the attributed outermost class at {@code outermost} extends
   * (a member, local or anonymous class, directly or not), and that has no machines that javac sees
   * in this round; null if there is none.
   */
  private String generatedWithoutMachines(TreePath outermost) {
    String[] found = new String[1];
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitClass(com.sun.source.tree.ClassTree node, Void p) {
        if (found[0] == null && trees.getElement(getCurrentPath()) instanceof TypeElement c) {
          found[0] = generatedSuperclassWithoutMachines(c, null);
        }
        return super.visitClass(node, p);
      }
    }.scan(outermost, null);
    return found[0];
  }

  /**
   * The name of a generated class that {@code c} extends, directly or not, which has no machines that
   * javac sees in this round (they are still to be written, or were written in this round), if its
   * user type is not in the outermost class {@code except}; null if there is none.
   */
  private String generatedSuperclassWithoutMachines(TypeElement c, TypeElement except) {
    for (javax.lang.model.type.TypeMirror s = c.getSuperclass();
        s instanceof javax.lang.model.type.DeclaredType d; ) {
      TypeElement superclass = (TypeElement) d.asElement();
      String base = generatedNames.get(superclass.getQualifiedName().toString());
      if (base != null) {
        Integer written = machinesWritten.get(base);
        TypeElement user = processingEnv.getElementUtils().getTypeElement(base);
        if ((written == null || written >= rounds) && (except == null || user == null
            || !outermost(user).equals(except))) {
          return superclass.getQualifiedName().toString();
        }
      }
      s = superclass.getSuperclass();
    }
    return null;
  }

  /**
   * Whether a class in the outermost class at {@code outermost} is written to extend a generated
   * class without machines that javac sees in this round (read from the source: before attribution).
   */
  private boolean subclassesGeneratedWithoutMachines(TreePath outermost) {
    Set<String> without = new java.util.HashSet<>();
    generatedNames.forEach((generated, base) -> {
      Integer written = machinesWritten.get(base);
      if (written == null || written >= rounds) {
        without.add(generated.substring(generated.lastIndexOf('.') + 1));
      }
    });
    boolean[] found = new boolean[1];
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void visitClass(com.sun.source.tree.ClassTree node, Void p) {
        found[0] |= names(node.getExtendsClause());
        return super.visitClass(node, p);
      }

      @Override
      public Void visitNewClass(com.sun.source.tree.NewClassTree node, Void p) {
        found[0] |= node.getClassBody() != null && names(node.getIdentifier());
        return super.visitNewClass(node, p);
      }

      private boolean names(com.sun.source.tree.Tree t) {
        if (t instanceof com.sun.source.tree.ParameterizedTypeTree g) {
          t = g.getType();
        }
        return t instanceof com.sun.source.tree.IdentifierTree id && without.contains(id.getName().toString())
            || t instanceof com.sun.source.tree.MemberSelectTree ms
                && without.contains(ms.getIdentifier().toString());
      }
    }.scan(outermost.getLeaf(), null);
    return found[0];
  }

  /** Types compiled with placeholders that trust javac to report their errors, by name. */
  private final Set<String> trusted = new LinkedHashSet<>();

  /**
   * In the last round, when awaitj's errors are about to end the compilation before javac's own
   * analysis: has javac attribute the classes of {@link #trusted} types again, so that it prints
   * their errors (in the round they were compiled, javac dropped them, expecting a later round).
   * Their machines exist by now.
   */
  private void attributeTrustedAgain() {
    AsyncElements asyncElements = new AsyncElements(trees, processingEnv.getTypeUtils());
    for (String name : trusted) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      for (ExecutableElement m : type == null ? List.<ExecutableElement>of() : asyncMethodsOf(type)) {
        TreePath path = trees.getPath(m);
        if (path != null && ((MethodTree) path.getLeaf()).getBody() != null) {
          asyncElements.attributeAround(new TreePath(path, ((MethodTree) path.getLeaf()).getBody()));
          break;
        }
      }
    }
    flushJavacAnnotations();
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
    write(Rendered.of(new ShellEmitter(processingEnv.getTypeUtils(), processingEnv.getElementUtils(),
        javaLangNames).emit(model)),
        type);
    toLower.add(type.getQualifiedName().toString());
  }

  /** Whether a type found under a generated name was written by the user (and not by awaitj). */
  private boolean isWrittenByUser(TypeElement existing) {
    for (var a : existing.getAnnotationMirrors()) {
      TypeElement at = (TypeElement) a.getAnnotationType().asElement();
      if (at.getQualifiedName().contentEquals(MachineContract.GENERATED)) {
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

  /**
   * Round 2 and later: attribute, analyse and lower each method of {@code type}, and write its
   * machines.
   *
   * <p>javac reports a name it cannot resolve only in the last round: another processor, or awaitj
   * itself, may generate the type in a later one (a body that creates a {@code DerivedAsync}, whose
   * class extends this type's {@code XAsync}); and it drops such errors of a round after which an
   * error ends processing, so the user would see awaitj's errors only. So where javac found errors in
   * the class (trees of an error type, see {@link JavacErrors}) or a method's lowering gave up
   * expecting javac to report one, the type waits ({@link Mode#WAIT}): nothing is written, nothing
   * reported, and the next round tries again. In the last round ({@link Mode#LAST}) javac prints
   * everything it reports: the type's errors, javac's and awaitj's, are final, and nothing is written
   * (javac stops after processing when an error was reported; the {@link SafetyNet} reports the
   * methods if none was). A class whose attribution attributes a generated class without machines
   * (one of its classes extends its own XAsync) must not be attributed in the last round, where javac
   * would print that class's errors: it waits only while awaitj writes files (so that the next round
   * is not the last), and is otherwise compiled at the end of the round ({@link Mode#NOW}), with
   * placeholder machines where javac is to report the errors (its final attribution does).
   *
   * <p>A type whose methods fail with awaitj's errors only, in a class javac found nothing wrong with,
   * is final at once; each such method gets a placeholder machine that throws, so that the XAsync
   * already written compiles (awaitj's errors are printed in the last round, and javac stops).
   */
  private Outcome lowerType(TypeElement type, Mode mode) {
    AsyncType model = AsyncType.of(type, asyncMethodsOf(type));
    AsyncElements asyncElements = new AsyncElements(trees, processingEnv.getTypeUtils());
    List<Rendered> files = new ArrayList<>();
    Map<AsyncType.Method, String> failed = new LinkedHashMap<>(); // with why, for the net
    boolean expectsJavacError = false;
    Diagnostics.Trial trial = diagnostics.trial();
    try {
      Map<Element, TreePath> paths = methodPaths(type);
      for (AsyncType.Method m : model.methods()) {
        TreePath path = paths.containsKey(m.element()) ? paths.get(m.element()) : trees.getPath(m.element());
        if (path == null) {
          diagnostics.error(m.element(), "awaitj: cannot find the source of this method");
          files.add(machineEmitter().emitFailed(model, m, type.getQualifiedName().toString(), false));
          failed.put(m, "awaitj reported an error in it");
          continue;
        }
        CompilationUnitTree unit = path.getCompilationUnit();
        MethodTree tree = (MethodTree) path.getLeaf();
        String location = diagnostics.location(unit, tree);
        MachineEmitter emitter = machineEmitter();
        int before = diagnostics.errorCount();
        LoweredBody lowered = null;
        try {
          AwaitAnalysis analysis = AwaitAnalysis.of(path, asyncElements, diagnostics);
          if (givesUpSilently.test(m.element())) {
            throw diagnostics.abortSilently();
          }
          if (analysis.isErroneous()) {
            // javac reports an error in the body (beside which awaitj's may be): see above.
            expectsJavacError = true;
            failed.put(m, "its analysis found an error that javac reports");
          } else if (diagnostics.errorCount() == before) {
            lowered = Lowerer.lower(trees, processingEnv.getElementUtils(), processingEnv.getTypeUtils(),
                diagnostics, unit, Body.of(path, m.element(), m.machine(), model.machineTypeVariables(m)),
                type, analysis, codeSize());
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
        if (lowered != null) {
          files.add(emitter.emit(model, m, lowered));
          for (LoweredBody lambda : lowered.lambdas()) {
            files.add(emitter.emitLambda(model, m, lambda));
          }
        } else if (failed.containsKey(m)) {
          continue;
        } else if (diagnostics.errorCount() == before) {
          expectsJavacError = true;
          failed.put(m, "its lowering stopped, expecting javac to report an error in it");
        } else {
          // A method that could not be compiled gets a machine that throws, so that XAsync, already
          // written, compiles and only the real error is shown.
          files.add(emitter.emitFailed(model, m, location, DirectCalls.isDirect(m.element(), trees)));
          failed.put(m, "awaitj reported an error in it");
        }
      }
      TreePath outermost = trees.getPath(outermost(type));
      List<String> javacErrors = outermost == null ? List.of() : JavacErrors.in(trees, outermost, 3);
      int beforeLimits = diagnostics.errorCount();
      String limitsChecked = checkJavacLimits(type);
      boolean beyondJavac = diagnostics.errorCount() != beforeLimits;
      boolean trustsJavac = expectsJavacError || !javacErrors.isEmpty();
      // Its class is not attributed again if it has what javac cannot compile after attributing it
      // (JavacLimits says so: a second attribution adds javac's confusion), or if attributing it
      // attributes a generated class without machines (a class in it extends its own XAsync, say):
      // in the last round, javac would print its errors in that generated class.
      String attributesWithoutMachines = outermost == null ? null : generatedWithoutMachines(outermost);
      if (mode == Mode.WAIT && trustsJavac && !beyondJavac) {
        trial.discard();
        // Its class is attributed again in the next round; if that is the last, javac would print
        // the errors of the generated class without machines, so only if this round writes a file.
        return attributesWithoutMachines == null ? Outcome.WAIT : Outcome.WAIT_IF_WRITTEN;
      }
      trial.keep();
      if (limitsChecked != null) {
        checkedOutermost.add(limitsChecked);
      }
      if (trustsJavac && mode == Mode.NOW && !beyondJavac) {
        // Compiled now, as before awaitj waited for later rounds: javac's final attribution reports its
        // errors (the last round attributes the class again if awaitj's errors would end the
        // compilation first), and the net watches its placeholders.
        for (AsyncType.Method m : failed.keySet()) {
          if (files.stream().noneMatch(f -> f.simpleName().equals(m.machine().simpleName()))) {
            files.add(machineEmitter().emitFailed(model, m,
                diagnostics.location(trees.getPath(m.element()).getCompilationUnit(),
                    trees.getTree(m.element())), DirectCalls.isDirect(m.element(), trees)));
          }
        }
        trusted.add(type.getQualifiedName().toString());
      } else if (trustsJavac) {
        // javac's errors are printed with awaitj's (in the last round, or beside the errors of
        // JavacLimits), and the compilation stops: no machine is needed.
        List<String> why = new ArrayList<>();
        if (!javacErrors.isEmpty()) {
          why.add("javac found errors in its class while awaitj compiled it: " + String.join(", ", javacErrors));
        }
        for (AsyncType.Method m : model.methods()) {
          if (failed.isEmpty() || failed.containsKey(m)) {
            List<String> all = new ArrayList<>(why);
            if (failed.containsKey(m)) {
              all.add(0, failed.get(m));
            }
            net.record(processingEnv, m.element(), String.join("; ", all), null);
          }
        }
        return Outcome.DONE;
      }
      for (AsyncType.Method m : failed.keySet()) {
        net.record(processingEnv, m.element(), failed.get(m) + (javacErrors.isEmpty() ? ""
            : "; javac found errors in its class while awaitj compiled it: " + String.join(", ", javacErrors))
            + "; it got a machine that throws", m.machine().canonicalName());
      }
      for (Rendered f : files) {
        write(f, type);
      }
      machinesWritten.put(type.getQualifiedName().toString(), rounds);
      return Outcome.DONE;
    } finally {
      if (!trial.isClosed()) {
        trial.keep(); // a bug of the processor's: what it reported stays, beside its internal error
      }
    }
  }

  /**
   * The paths of the methods declared in {@code type}'s body, by element, found in one pass over its
   * members ({@code Trees.getPath} of an element searches its class, and then its file, for it: once
   * per method, that grows with the square of the class's size). Empty if {@code type} has no source.
   */
  private Map<Element, TreePath> methodPaths(TypeElement type) {
    TreePath typePath = trees.getPath(type);
    if (typePath == null || !(typePath.getLeaf() instanceof com.sun.source.tree.ClassTree c)) {
      return Map.of();
    }
    Map<Element, TreePath> paths = new java.util.HashMap<>();
    for (com.sun.source.tree.Tree member : c.getMembers()) {
      if (member instanceof MethodTree) {
        TreePath path = new TreePath(typePath, member);
        Element e = trees.getElement(path); // (the method's own symbol: entered, nothing to attribute)
        if (e != null) {
          paths.put(e, path);
        }
      }
    }
    return paths;
  }

  private static TypeElement outermost(TypeElement type) {
    TypeElement outermost = type;
    while (outermost.getEnclosingElement() instanceof TypeElement enclosing) {
      outermost = enclosing;
    }
    return outermost;
  }

  /** Outermost classes already checked for what javac cannot compile after attributing them. */
  private final Set<String> checkedOutermost = new java.util.HashSet<>();

  /**
   * Reports what javac cannot compile in a class it attributed during processing (see JavacLimits),
   * once per outermost class; returns the class's name if it was checked now, for {@link
   * #checkedOutermost} once the report is kept.
   */
  private String checkJavacLimits(TypeElement type) {
    TypeElement outermost = outermost(type);
    TreePath path = trees.getPath(outermost);
    String name = outermost.getQualifiedName().toString();
    if (path == null || checkedOutermost.contains(name)) {
      return null;
    }
    JavacLimits.check(trees, processingEnv.getTypeUtils(), path, diagnostics);
    return name;
  }

  /**
   * Writes {@code file} through the Filer, its text in one piece (JavaPoet's own writeTo(Filer)
   * renders into the file's writer as it goes, a few characters at a time).
   */
  private void write(Rendered file, Element origin) {
    written++;
    javax.tools.JavaFileObject out = null;
    try {
      out = processingEnv.getFiler().createSourceFile(file.qualifiedName(),
          file.file().typeSpec().originatingElements().toArray(new Element[0]));
      try (java.io.Writer w = out.openWriter()) {
        w.write(file.text());
      }
    } catch (IOException e) {
      if (out != null) {
        out.delete(); // (as JavaPoet does: no half-written file is left for javac to compile)
      }
      diagnostics.error(origin, "awaitj: could not write " + file.qualifiedName() + ": " + e.getMessage());
    }
  }
}
