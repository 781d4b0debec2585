package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;

/**
 * Copies code that contains no await as the user wrote it (their text, their comments, re-indented to
 * where it lands), splicing in the edits that moving it into the machine class requires, which {@link
 * CopyScan} collects from the rewrites:
 *
 * <ul>
 *   <li>locals that became fields are renamed to their field;
 *   <li>implicit {@code this} becomes the machine's reference to the user object, {@code self};
 *   <li>static members are qualified by their class, types by {@code $T} (so imports follow);
 *   <li>calls and references to static {@code @Async} templates go to their generated class;
 *   <li>{@code break}, {@code continue} and {@code return} that leave the copied code become jumps
 *       between states (through lowered {@code finally} blocks where they cross one).
 * </ul>
 */
public final class Verbatim {

  /** What the copier needs to know about the machine being built. */
  public interface Context {
    /** The field a local variable was moved to, or {@code null} if it stays a local. */
    String fieldOf(Element local);

    /** How code reads {@code field}, a local's field (through a cast, for an intersection type). */
    CodeBlock read(String field);

    /** The name of the machine's reference to the user object. */
    String self();

    /** The jump for a {@code break} (label may be null) that leaves the copied code. */
    CodeBlock breakOut(Tree at, Name label);

    /**
     * {@code value instanceof type name} where the pattern variable became {@code field}: tests the
     * value and stores it in the field when it matches.
     */
    CodeBlock bindPattern(CodeBlock value, CodeBlock type, String field);

    /** The code for a {@code yield} of a lowered switch expression that encloses the copied code. */
    CodeBlock yieldOut(Tree at, CodeBlock value);

    /** The jump for a {@code continue} (label may be null) that leaves the copied code. */
    CodeBlock continueOut(Tree at, Name label);

    /** The code for {@code return done(value)}; {@code value} is null for {@code done()}. */
    CodeBlock returnOut(Tree at, CodeBlock value);

    /** Reports an unsupported construct at {@code tree}. */
    void unsupported(Tree tree, String message);

    /** The exception that abandons the body silently: javac reports the error in the source. */
    RuntimeException erroneous();

    /** The user type whose method is being compiled. */
    TypeElement userType();

    /** {@code final T alias = field}, a resource declaration standing for a local that became a field. */
    CodeBlock resourceAlias(Element local, String field);

    /** Whether {@code lambda} is an async lambda of the body (it awaits, and returns a Coroutine). */
    boolean isAsyncLambda(Tree lambda);

    /** Lowers an async lambda into its own machine; the code of the lambda that replaces it. */
    CodeBlock asyncLambda(TreePath lambda);

    /** Access to the user type's private members, which the machine cannot name. */
    PrivateAccess privateAccess();

    /**
     * The name to use for a local that became a field, inside a lambda or a local or anonymous class:
     * an effectively final copy taken where the lambda is created, as Java captures the value, not
     * the variable.
     */
    String captured(Element local, String field);

    /**
     * The name of the machine's flag for whether assertions are enabled for the user's class (an
     * assert copied into the machine would otherwise follow the machine's own status, which {@code
     * -ea:the.UserClass} does not enable).
     */
    String assertionsEnabled();

    /** Whether {@code t}, a local class of the body, is declared as a member of the machine. */
    boolean isMemberLocalClass(TypeElement t);

    /**
     * How the local class being copied as a member of the machine reads local {@code e} it captures,
     * or null when no such class is being copied.
     */
    CodeBlock hoistedCapture(Element e);

    /** Whether local class {@code t} is declared inside the body the machine is compiled from. */
    boolean isDeclaredInBody(TypeElement t);
  }

  private final Source src;
  private final CharSequence source;
  private final Context context;

  Verbatim(Source source, Context context) {
    this.src = source;
    this.source = source.text();
    this.context = context;
  }

  /** A copy of the tree at {@code path}, with the edits described above. */
  public CodeBlock copy(TreePath path) {
    return copyTree(path, java.util.Map.of(), null);
  }

  /**
   * A copy of the tree at {@code path}, which lies in the code {@code outer} is scanning (an argument of
   * a call it rewrites, say): with the edits described above, made as they are where the tree lies,
   * inside the lambdas and the local and anonymous classes around it, with {@code outer}'s renamings.
   */
  CodeBlock copyWithin(TreePath path, CopyScan outer) {
    return copyTree(path, outer.renamed, outer);
  }

  private CodeBlock copyTree(TreePath path, java.util.Map<Element, String> renamed, CopyScan outer) {
    Tree tree = path.getLeaf();
    SourcePositions p = src.trees.getSourcePositions();
    int start = (int) p.getStartPosition(src.unit, tree);
    return copy(path, start, (int) p.getEndPosition(src.unit, tree), start - lineStart(start), renamed, outer);
  }

  /**
   * A copy of the source text from {@code start} to {@code end}, which lies within the tree at {@code
   * path}, with the edits described above; the variables in {@code renamed} (declarations and uses)
   * take the names given there instead of their fields.
   */
  public CodeBlock copyRange(TreePath path, int start, int end, java.util.Map<Element, String> renamed) {
    return copy(path, start, end, start - lineStart(start), renamed, null);
  }

  /**
   * A copy of what lies between the braces of the block from {@code open} (its {@code '{'}) to {@code
   * close} (after its {@code '}'}), within the tree at {@code path}, without the blanks around it,
   * re-indented by its least indented line: the body of a member that JavaPoet writes.
   */
  CodeBlock copyContents(TreePath path, int open, int close) {
    int start = open + 1;
    int end = close - 1;
    while (start < end && Character.isWhitespace(source.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(source.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return CodeBlock.builder().build();
    }
    int column = Integer.MAX_VALUE;
    for (int line = lineStart(start); line < end; line = nextLine(line)) {
      int first = line;
      while (first < end && (source.charAt(first) == ' ' || source.charAt(first) == '\t')) {
        first++;
      }
      boolean blank = first >= end || source.charAt(first) == '\n';
      // The first line counts from where the copy starts (it may follow the brace on its line).
      if (!blank) {
        column = Math.min(column, (line < start ? start : first) - line);
      }
    }
    return copy(path, start, end, column, java.util.Map.of(), null);
  }

  private int nextLine(int pos) {
    int i = pos;
    while (i < source.length() && source.charAt(i) != '\n') {
      i++;
    }
    return i + 1;
  }

  private CodeBlock copy(TreePath path, int start, int end, int column, java.util.Map<Element, String> renamed,
      CopyScan outer) {
    List<CopyScan.Edit> edits = new ArrayList<>();
    CopyScan scan = new CopyScan(this, src, context, edits, start, end, renamed);
    if (outer != null) {
      scan.enterAs(outer);
    }
    scan.scan(path, null);
    edits.sort(Comparator.comparingInt(CopyScan.Edit::start));
    CodeBlock.Builder b = CodeBlock.builder();
    int at = start;
    for (CopyScan.Edit e : edits) {
      if (e.start() < at) {
        continue; // nested in an edit already made
      }
      appendText(b, at, e.start(), column);
      b.add(e.code());
      at = e.end();
    }
    appendText(b, at, end, column);
    return b.build();
  }

  private int lineStart(int pos) {
    int i = pos;
    while (i > 0 && source.charAt(i - 1) != '\n') {
      i--;
    }
    return i;
  }

  /** Appends source text, removing up to {@code column} leading blanks of each continuation line. */
  private void appendText(CodeBlock.Builder b, int from, int to, int column) {
    if (from >= to) {
      return;
    }
    StringBuilder out = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      char c = source.charAt(i++);
      out.append(c);
      if (c == '\n') {
        int skipped = 0;
        while (i < to && skipped < column && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
          i++;
          skipped++;
        }
      }
    }
    b.add("$L", out.toString());
  }
}
