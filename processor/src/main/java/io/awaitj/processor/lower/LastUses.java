package io.awaitj.processor.lower;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;

/**
 * Where the variables of one body are last used, read from its source: which of them a suspension can
 * let go of because no code that may run after it mentions them (Kotlin's liveness, in the simple
 * form Java's structured control flow allows).
 *
 * <p>A variable is dead at a suspension when no identifier of its name (any, whatever it denotes:
 * doubt keeps a value) appears at or after the start of the statement being lowered there, nor
 * anywhere in a loop around that statement whose body does not declare the variable (the next turn
 * runs the loop's code again; a variable declared in the body is a new one each turn, assigned before
 * it is read). Code after a point in the source is all that can run after it, but for loops: {@code
 * break} and labeled blocks jump forward, a {@code catch} or {@code finally} follows its {@code try}.
 * Kept whatever the positions say: a resource of a {@code try} (closed at the end of its block, with
 * no identifier there), a {@code synchronized} block's lock, and any name a local class mentions (the
 * machine's member made of it reads the field when an instance is created, wherever that is).
 */
final class LastUses {
  private final SourcePositions positions;
  private final CompilationUnitTree unit;
  private final Tree body;
  /** The last start position of an identifier of each name in the body. */
  private final Map<String, Long> lastUse = new HashMap<>();
  /** The first start position of an identifier of each name in the body. */
  private final Map<String, Long> firstUse = new HashMap<>();
  /** Names never released before their scope ends (see the class's documentation). */
  private final Set<String> kept = new HashSet<>();
  /** The start position of the declaration of each variable declared in the body. */
  private final Map<Element, Long> declared = new IdentityHashMap<>();

  private LastUses(Trees trees, CompilationUnitTree unit, Tree body) {
    this.positions = trees.getSourcePositions();
    this.unit = unit;
    this.body = body;
  }

  /** Reads the uses of names in {@code body} (a method's or a lambda's body). */
  static LastUses of(Trees trees, TreePath body) {
    LastUses uses = new LastUses(trees, body.getCompilationUnit(), body.getLeaf());
    new TreePathScanner<Void, Void>() {
      private int inClass;

      @Override
      public Void visitIdentifier(IdentifierTree node, Void p) {
        String name = node.getName().toString();
        uses.lastUse.merge(name, uses.start(node), Math::max);
        uses.firstUse.merge(name, uses.start(node), Math::min);
        if (inClass > 0) {
          uses.kept.add(name);
        }
        return null;
      }

      @Override
      public Void visitVariable(VariableTree node, Void p) {
        Element e = trees.getElement(getCurrentPath());
        if (e != null) {
          uses.declared.put(e, uses.start(node));
        }
        return super.visitVariable(node, p);
      }

      @Override
      public Void visitClass(ClassTree node, Void p) {
        inClass++;
        try {
          return super.visitClass(node, p);
        } finally {
          inClass--;
        }
      }

      @Override
      public Void visitTry(TryTree node, Void p) {
        for (Tree r : node.getResources()) {
          if (r instanceof VariableTree v) {
            uses.kept.add(v.getName().toString());
          } else if (r instanceof IdentifierTree id) {
            uses.kept.add(id.getName().toString());
          }
        }
        return super.visitTry(node, p);
      }

      @Override
      public Void visitSynchronized(SynchronizedTree node, Void p) {
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitIdentifier(IdentifierTree id, Void q) {
            uses.kept.add(id.getName().toString());
            return null;
          }
        }.scan(new TreePath(getCurrentPath(), node.getExpression()), null);
        return super.visitSynchronized(node, p);
      }
    }.scan(body, null);
    return uses;
  }

  /**
   * Whether variable {@code v}, named {@code name}, is dead at a suspension in the statement at
   * {@code statement} (a path inside the body this was read from).
   */
  boolean deadAt(Element v, String name, TreePath statement) {
    if (kept.contains(name)) {
      return false;
    }
    Long last = lastUse.get(name);
    if (last == null) {
      return true;
    }
    long from = start(statement.getLeaf());
    long declaredAt = declared.getOrDefault(v, -1L);
    for (TreePath p = statement; p != null && p.getLeaf() != body; p = p.getParentPath()) {
      StatementTree loopBody = JumpRewrites.loopBody(p.getLeaf());
      if (loopBody != null && !(declaredAt >= start(loopBody) && declaredAt < end(loopBody))) {
        from = Math.min(from, start(p.getLeaf()));
      }
    }
    return last < from;
  }

  /**
   * Whether variable {@code v}, named {@code name}, is read only inside {@code operand}, an awaited
   * expression of the statement at {@code statement}: every identifier of its name lies in {@code
   * operand}, and no loop around that statement runs it again with the same variable (one whose body
   * does not declare it). Then nothing reads the variable once {@code operand} has been evaluated, as
   * the await begins.
   */
  boolean onlyIn(Element v, String name, TreePath statement, Tree operand) {
    Long first = firstUse.get(name);
    Long last = lastUse.get(name);
    if (kept.contains(name) || first == null || last == null) {
      return false;
    }
    long from = start(operand);
    long to = end(operand);
    if (from < 0 || to < 0 || first < from || last >= to) {
      return false;
    }
    long declaredAt = declared.getOrDefault(v, -1L);
    for (TreePath p = statement; p != null && p.getLeaf() != body; p = p.getParentPath()) {
      StatementTree loopBody = JumpRewrites.loopBody(p.getLeaf());
      if (loopBody != null && !(declaredAt >= start(loopBody) && declaredAt < end(loopBody))) {
        return false;
      }
    }
    return true;
  }

  private long start(Tree t) {
    return positions.getStartPosition(unit, t);
  }

  private long end(Tree t) {
    return positions.getEndPosition(unit, t);
  }
}
