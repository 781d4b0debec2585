package io.awaitj.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The last guard against a program that compiles and then fails at run time: every {@code @Async}
 * method left without a working machine is recorded here, with what is known of why, and if javac
 * goes on to compile the program as if nothing were wrong, each gets an error.
 *
 * <p>A method is left so only with an error reported, awaitj's or javac's; but javac's errors are out
 * of the processor's sight (no public API counts them), and a wrong belief that javac reports one
 * would compile into a program that throws (issue 9). javac itself tells, through its task events:
 *
 * <ul>
 *   <li>a method without a machine: javac analyses the program after processing only if no error was
 *       reported until then ({@code JavaCompiler.shouldStop}; its default policy stops before
 *       attribution), so at its first {@link TaskEvent.Kind#ANALYZE} after the last round, nothing
 *       explained the missing machine (javac would report it in generated code next);
 *   <li>a method with a placeholder machine (one that throws, written so that XAsync compiles while
 *       javac's final attribution reports the method's error): javac generates a class only if no
 *       error was reported until then, and user classes come first, so at the {@link
 *       TaskEvent.Kind#GENERATE} of the placeholder nothing explained it.
 * </ul>
 *
 * <p>The listener is registered only once a method is recorded; a program with none is untouched.
 */
public final class SafetyNet {
  private final Trees trees;
  private final List<Entry> entries = new ArrayList<>();
  private boolean listening;
  private boolean armed;
  private boolean analysing;

  /**
   * A method without a working machine: where to report it, why it has none, and its placeholder
   * machine's qualified name (null when it has none).
   */
  private record Entry(Tree tree, CompilationUnitTree unit, javax.annotation.processing.Messager messager,
      Element element, String why, String placeholder) {}

  /** A safety net finding trees through javac's {@code trees}. */
  public SafetyNet(Trees trees) {
    this.trees = trees;
  }

  /**
   * Records that {@code method} has no working machine, because of {@code why}: none, or the
   * placeholder named {@code placeholder}. Its place is read now: the element is of this round only.
   */
  public void record(ProcessingEnvironment env, Element method, String why, String placeholder) {
    TreePath path = trees.getPath(method);
    entries.add(new Entry(path == null ? null : path.getLeaf(),
        path == null ? null : path.getCompilationUnit(), env.getMessager(), method, why, placeholder));
    if (!listening) {
      listening = true;
      try {
        JavacTask.instance(env).addTaskListener(new TaskListener() {
          @Override
          public void started(TaskEvent e) {
            if (!armed) {
              return;
            }
            if (e.getKind() == TaskEvent.Kind.ANALYZE && !analysing) {
              analysing = true;
              report(entry -> entry.placeholder() == null);
            } else if (e.getKind() == TaskEvent.Kind.GENERATE && e.getTypeElement() != null) {
              String generated = e.getTypeElement().getQualifiedName().toString();
              report(entry -> generated.equals(entry.placeholder()));
            }
          }
        });
      } catch (RuntimeException noTask) {
        listening = false; // no task to listen to: see processingOver
      }
    }
  }

  /** Whether a method was recorded. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Called in the last round, after everything else: from now on javac's analysis means that no error
   * was reported. Without a task to listen to, the recorded methods get their errors now (a second
   * error beside javac's, at worst).
   */
  public void processingOver() {
    armed = true;
    if (!listening) {
      report(entry -> true);
    }
  }

  private void report(java.util.function.Predicate<Entry> which) {
    for (java.util.Iterator<Entry> i = entries.iterator(); i.hasNext(); ) {
      Entry e = i.next();
      if (!which.test(e)) {
        continue;
      }
      i.remove(); // once
      String message = "awaitj could not compile this @Async method (" + e.why() + "), and no error"
          + " was reported that says why, so the program cannot run as it is; please report this to"
          + " awaitj with the method";
      if (e.tree() != null) {
        trees.printMessage(Diagnostic.Kind.ERROR, message, e.tree(), e.unit());
      } else {
        e.messager().printMessage(Diagnostic.Kind.ERROR, message, e.element());
      }
    }
  }
}
