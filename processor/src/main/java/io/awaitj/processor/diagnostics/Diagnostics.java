package io.awaitj.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The one funnel for every problem the processor reports. {@link #error} records and goes on; {@link
 * #abort} reads as control flow ({@code throw diagnostics.abort(...)}) and stops work on the current
 * class; {@link #errorCount()} is compared before code is generated, so broken input never produces code.
 */
public final class Diagnostics {
  private final Messager messager;
  private final Trees trees;
  private int errors;

  /** Messages held back while {@link #holdBack} is on; see {@link #flush()}. */
  private final java.util.List<Runnable> held = new java.util.ArrayList<>();
  private boolean holdBack;

  /** Reports through javac's {@code messager}, finding trees through {@code trees}. */
  public Diagnostics(Messager messager, Trees trees) {
    this.messager = messager;
    this.trees = trees;
  }

  /** javac's Trees API, or null when the compiler in use is not javac (then awaitj cannot work). */
  public static Trees javacTrees(javax.annotation.processing.ProcessingEnvironment env) {
    try {
      return Trees.instance(env);
    } catch (IllegalArgumentException notJavac) {
      return null;
    }
  }

  /** The simple name of {@code unit}'s file ({@code Crawler.java}), as locations name it. */
  public static String fileName(CompilationUnitTree unit) {
    String file = unit.getSourceFile().getName();
    return file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  }

  /** {@code File.java:line} of {@code tree}: how generated comments and messages name a place. */
  public String location(CompilationUnitTree unit, Tree tree) {
    return fileName(unit) + ":"
        + unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, tree));
  }

  /** Thrown by {@link #abort}: the current class is abandoned, the others go on. */
  public static final class AbortException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbortException() {
      super(null, null, false, false);
    }
  }

  /**
   * While on, errors are counted at once but printed only at {@link #flush()}. javac runs no further
   * round after one in which an error was printed, so the processor holds its errors back until the
   * last round: the state machines that the XAsync shells of a round use, and the classes other
   * processors generate later, are written meanwhile; otherwise valid classes would fail with missing
   * symbols too.
   */
  public void holdBack(boolean on) {
    holdBack = on;
  }

  /** Prints the messages held back. */
  public void flush() {
    List<Runnable> out = new java.util.ArrayList<>(held);
    held.clear();
    out.forEach(Runnable::run);
  }

  private void print(Runnable r) {
    if (trial != null) {
      trial.messages.add(r);
    } else if (holdBack) {
      held.add(r);
    } else {
      r.run();
    }
  }

  /** The innermost trial open, or null. */
  private Trial trial;

  /**
   * Opens a trial: what is reported until it is closed is counted at once but printed only if it is
   * {@linkplain Trial#keep kept}; a {@linkplain Trial#discard discarded} trial leaves no trace. For
   * work that may be done again in a later round (a class javac could not attribute yet), whose
   * messages would then be reported twice, or too early. Trials nest; each is closed once, innermost
   * first.
   */
  public Trial trial() {
    trial = new Trial(trial, errors);
    return trial;
  }

  /** What was reported while a trial was open. */
  public final class Trial {
    private final Trial outer;
    private final int errorsBefore;
    private final List<Runnable> messages = new java.util.ArrayList<>();
    private boolean closed;

    private Trial(Trial outer, int errorsBefore) {
      this.outer = outer;
      this.errorsBefore = errorsBefore;
    }

    /** Closes the trial and reports its messages (to the trial around it, if any). */
    public void keep() {
      close();
      messages.forEach(Diagnostics.this::print);
    }

    /** Closes the trial and forgets its messages, and its errors. */
    public void discard() {
      close();
      errors = errorsBefore;
    }

    private void close() {
      if (closed || trial != this) {
        throw new IllegalStateException("trials close once, innermost first");
      }
      closed = true;
      trial = outer;
    }

    /** Whether {@link #keep} or {@link #discard} was called. */
    public boolean isClosed() {
      return closed;
    }
  }

  /**
   * Reports an error on an element. Its place is read now: javac makes new elements for the methods
   * and variables of a class every round, and an element of an earlier round, printed in a later one
   * (held back, see {@link #holdBack}), would lose its line. Its tree stays.
   */
  public void error(Element element, String message) {
    errors++;
    print(at(element, Diagnostic.Kind.ERROR, message));
  }

  /** What prints {@code message} at {@code element}: at its tree in the source, where it has one. */
  private Runnable at(Element element, Diagnostic.Kind kind, String message) {
    com.sun.source.util.TreePath path = element == null ? null : trees.getPath(element);
    if (path == null) {
      return () -> messager.printMessage(kind, message, element);
    }
    Tree tree = path.getLeaf();
    CompilationUnitTree unit = path.getCompilationUnit();
    return () -> trees.printMessage(kind, message, tree, unit);
  }

  /** Reports an error at a tree node of a compilation unit (the most precise position there is). */
  public void error(Tree tree, CompilationUnitTree unit, String message) {
    errors++;
    print(() -> trees.printMessage(Diagnostic.Kind.ERROR, message, tree, unit));
  }

  /** Reports a warning on an element. */
  public void warning(Element element, String message) {
    print(at(element, Diagnostic.Kind.WARNING, message));
  }

  /** Reports an error and returns the exception that abandons the current class. */
  public AbortException abort(Element element, String message) {
    error(element, message);
    return new AbortException();
  }

  /**
   * Abandons the current class without a message: for input javac itself reports as erroneous (an
   * unresolved symbol, a type error), where a message of ours would only add noise.
   */
  public AbortException abortSilently() {
    return new AbortException();
  }

  /** Reports an error at a tree node and returns the exception that abandons the current class. */
  public AbortException abort(Tree tree, CompilationUnitTree unit, String message) {
    error(tree, unit, message);
    return new AbortException();
  }

  /** Reports a bug of the processor itself, with its stack trace, instead of letting javac crash. */
  public void internalError(Element element, Throwable bug) {
    StringWriter trace = new StringWriter();
    bug.printStackTrace(new PrintWriter(trace));
    error(
        element,
        "awaitj: internal error while processing this element; please report it with this trace:\n"
            + trace);
  }

  /** How many errors were reported so far. */
  public int errorCount() {
    return errors;
  }
}
