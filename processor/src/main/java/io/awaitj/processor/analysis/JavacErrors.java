package io.awaitj.processor.analysis;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import io.awaitj.processor.diagnostics.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Where javac's attribution of a class went wrong, as far as the trees show it: the trees it gave an
 * error type (a name it could not resolve, an expression of the wrong type, a call of no method).
 *
 * <p>javac reports each of them itself, but during annotation processing it reports a name it could
 * not resolve only in the last round: another processor, or awaitj, may generate the type in a later
 * round (awaitj's own {@code DerivedAsync}, for a body that creates one). So a class where javac found
 * such trees is lowered again in the next round, and only in the last one are its errors final.
 */
public final class JavacErrors {
  private JavacErrors() {}

  /**
   * The innermost trees of the attributed class at {@code classPath} that have an error type, in
   * source order, at most {@code limit}, each described as {@code 'text' (File.java:line)}.
   * Annotations are left out: javac attributes their arguments apart from the class.
   */
  public static List<String> in(Trees trees, TreePath classPath, int limit) {
    CompilationUnitTree unit = classPath.getCompilationUnit();
    List<String> found = new ArrayList<>();
    new TreePathScanner<Boolean, Void>() {
      @Override
      public Boolean scan(Tree tree, Void p) {
        if (tree == null || tree instanceof AnnotationTree || found.size() >= limit) {
          return false;
        }
        TreePath here = new TreePath(getCurrentPath(), tree);
        if (Boolean.TRUE.equals(super.scan(tree, p))) {
          return true; // an inner tree is the one to name
        }
        TypeMirror t = trees.getTypeMirror(here);
        if (t == null || t.getKind() != TypeKind.ERROR) {
          return false;
        }
        if (found.size() < limit) {
          found.add(describe(trees, unit, tree));
        }
        return true;
      }

      @Override
      public Boolean reduce(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
      }
    }.scan(classPath, null);
    return found;
  }

  private static String describe(Trees trees, CompilationUnitTree unit, Tree tree) {
    String text = tree.toString().replaceAll("\\s+", " ").trim();
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    long line = unit.getLineMap().getLineNumber(
        trees.getSourcePositions().getStartPosition(unit, tree));
    return "'" + text + "' (" + Diagnostics.fileName(unit) + ":" + line + ")";
  }
}
