package io.awaitj.processor.lower;

import com.palantir.javapoet.TypeName;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.awaitj.processor.analysis.AsyncElements;
import io.awaitj.processor.analysis.AwaitAnalysis;
import io.awaitj.processor.diagnostics.Diagnostics;
import io.awaitj.processor.model.CodeSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * What the lowering of one body reads and never changes: javac's view of it (trees, types, elements),
 * its source text and file, the analysis facts, how types are written in the machine, and where
 * errors go. Passive: every part of the lowering shares one.
 */
final class Source {
  final Trees trees;
  final Elements elements;
  final Types types;
  final CompilationUnitTree unit;
  final Diagnostics diagnostics;
  final AsyncElements asyncElements;
  final AwaitAnalysis analysis;
  final TypeElement userType;
  final TypeNames typeNames;
  private final CharSequence text;

  Source(Trees trees, Elements elements, Types types, Diagnostics diagnostics, CompilationUnitTree unit,
      TypeElement userType, AwaitAnalysis analysis, TypeNames typeNames) {
    this.trees = trees;
    this.elements = elements;
    this.types = types;
    this.diagnostics = diagnostics;
    this.unit = unit;
    this.userType = userType;
    this.analysis = analysis;
    this.typeNames = typeNames;
    this.asyncElements = new AsyncElements(trees, types);
    try {
      this.text = unit.getSourceFile().getCharContent(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Source text.

  /** The source text, as javac read it. */
  CharSequence text() {
    return text;
  }

  /** {@link CodeSize#prefixes} of the text, computed when first asked for. */
  private int[] sizes;

  /**
   * Whether the source from the start of {@code from} to the end of {@code to} is longer than
   * {@code limit}, as {@link CodeSize} estimates generated code.
   */
  boolean longerThan(Tree from, Tree to, int limit) {
    var positions = trees.getSourcePositions();
    long start = positions.getStartPosition(unit, from);
    long end = positions.getEndPosition(unit, to);
    if (start < 0 || end <= start || end > text.length() || end - start <= limit) {
      return false; // no more characters than the limit, so no more that count
    }
    if (sizes == null) {
      sizes = CodeSize.prefixes(text);
    }
    return sizes[(int) end] - sizes[(int) start] > limit;
  }

  /** The source line of {@code tree}, 1-based. */
  long line(Tree tree) {
    return unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, tree));
  }

  /** {@code File.java:line} of {@code tree}. */
  String location(Tree tree) {
    return diagnostics.location(unit, tree);
  }

  /** The first line of {@code tree}'s text, trimmed, for comments. */
  String firstLine(Tree tree) {
    String text = text(tree);
    int nl = text.indexOf('\n');
    String first = (nl < 0 ? text : text.substring(0, nl)).trim();
    first = first.length() > 100 ? first.substring(0, 97) + "..." : first;
    // For a comment: javac reads unicode escapes even there (a cut one is an error, an escaped line
    // break would end the comment). Doubled backslashes start none.
    return first.replace("\\", "\\\\");
  }

  /** The raw source text of {@code tree}. */
  String text(Tree tree) {
    long start = trees.getSourcePositions().getStartPosition(unit, tree);
    long end = trees.getSourcePositions().getEndPosition(unit, tree);
    return text.subSequence((int) start, (int) end).toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Types.

  TypeMirror typeOf(TreePath path) {
    return trees.getTypeMirror(path);
  }

  /** A type that can be written in the machine for the expression at {@code path}. */
  TypeName typeNameOf(TreePath path) {
    TypeMirror t = typeOf(path);
    if (t == null || t.getKind() == TypeKind.ERROR) {
      throw diagnostics.abortSilently(); // javac reports the error in the source itself
    }
    TypeName n = typeNames.denotable(t);
    if (n == null) {
      throw diagnostics.abort(path.getLeaf(), unit,
          "cannot determine a type that can be written for this expression; assign it to a local"
              + " variable of an explicit type first");
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Errors.

  /** Reports {@code message} at {@code tree}; the lowering goes on, and no machine is written. */
  void unsupported(Tree tree, String message) {
    diagnostics.error(tree, unit, message);
  }

  /** Reports {@code message} at {@code tree} and returns the exception that abandons the body. */
  RuntimeException abort(Tree tree, String message) {
    return diagnostics.abort(tree, unit, message);
  }

  /** The exception that abandons the body silently: javac reports the error in the source. */
  RuntimeException erroneous() {
    return diagnostics.abortSilently();
  }
}
