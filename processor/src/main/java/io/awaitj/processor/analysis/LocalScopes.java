package io.awaitj.processor.analysis;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Facts about the local variables and local classes of a body, computed once when the lowering
 * starts: the local classes its statements declare, the variables declared inside a loop, and (on
 * request, for a subtree) the locals a lambda or a local class captures.
 */
public final class LocalScopes {
  private final Trees trees;
  /** The body the facts are about. */
  private final TreePath body;
  private final List<TypeElement> localClasses;
  private final Set<Element> declaredInLoops;
  private final Set<String> suppressedOnLocals;
  /** How many variables of each name the body declares (outside lambdas and classes). */
  private final java.util.Map<String, Integer> declarations;
  private final boolean hasTryWithResources;

  private LocalScopes(Trees trees, TreePath body, List<TypeElement> localClasses, Set<Element> declaredInLoops,
      Set<String> suppressedOnLocals, java.util.Map<String, Integer> declarations,
      boolean hasTryWithResources) {
    this.hasTryWithResources = hasTryWithResources;
    this.declarations = java.util.Map.copyOf(declarations);
    this.trees = trees;
    this.body = body;
    this.localClasses = List.copyOf(localClasses);
    this.declaredInLoops = Collections.unmodifiableSet(declaredInLoops);
    this.suppressedOnLocals = Collections.unmodifiableSet(suppressedOnLocals);
  }

  /** The facts of the body at {@code body}. */
  public static LocalScopes of(Trees trees, TreePath body) {
    List<TypeElement> classes = new ArrayList<>();
    Set<Element> inLoops = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> suppressed = new java.util.TreeSet<>();
    java.util.Map<String, Integer> declarations = new java.util.HashMap<>();
    boolean[] tryWithResources = new boolean[1];
    new TreePathScanner<Void, Void>() {
      private int loops;

      @Override
      public Void visitClass(ClassTree node, Void p) {
        var parent = getCurrentPath().getParentPath().getLeaf();
        if (parent instanceof StatementTree || parent instanceof BlockTree || parent instanceof CaseTree) {
          if (trees.getElement(getCurrentPath()) instanceof TypeElement t) {
            classes.add(t);
          }
        }
        return null; // classes inside it are its own members, or local to its methods
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree node, Void p) {
        return null;
      }

      @Override
      public Void visitNewClass(NewClassTree node, Void p) {
        scan(node.getEnclosingExpression(), p);
        scan(node.getArguments(), p);
        return null; // an anonymous class body is not the body's
      }

      @Override
      public Void visitVariable(VariableTree node, Void p) {
        declarations.merge(node.getName().toString(), 1, Integer::sum);
        Element e = trees.getElement(getCurrentPath());
        if (e != null && loops > 0) {
          inLoops.add(e);
        }
        if (e != null) {
          suppressed.addAll(io.awaitj.processor.model.SuppressedWarnings.of(e));
        }
        return super.visitVariable(node, p);
      }

      @Override
      public Void visitTry(com.sun.source.tree.TryTree node, Void p) {
        tryWithResources[0] |= !node.getResources().isEmpty();
        return super.visitTry(node, p);
      }

      @Override
      public Void visitForLoop(com.sun.source.tree.ForLoopTree node, Void p) {
        return inLoop(() -> super.visitForLoop(node, p));
      }

      @Override
      public Void visitEnhancedForLoop(com.sun.source.tree.EnhancedForLoopTree node, Void p) {
        return inLoop(() -> super.visitEnhancedForLoop(node, p));
      }

      @Override
      public Void visitWhileLoop(com.sun.source.tree.WhileLoopTree node, Void p) {
        return inLoop(() -> super.visitWhileLoop(node, p));
      }

      @Override
      public Void visitDoWhileLoop(com.sun.source.tree.DoWhileLoopTree node, Void p) {
        return inLoop(() -> super.visitDoWhileLoop(node, p));
      }

      private Void inLoop(java.util.function.Supplier<Void> scan) {
        loops++;
        try {
          return scan.get();
        } finally {
          loops--;
        }
      }
    }.scan(body, null);
    return new LocalScopes(trees, body, classes, inLoops, suppressed, declarations, tryWithResources[0]);
  }

  /** The local classes (records, enums, interfaces) declared by statements of the body, in order. */
  public List<TypeElement> localClasses() {
    return localClasses;
  }

  /**
   * Whether local {@code v} is declared inside a loop of the body (so has a value per iteration);
   * locals of lambdas and of local or anonymous classes are not the body's.
   */
  public boolean isDeclaredInLoop(VariableElement v) {
    return declaredInLoops.contains(v);
  }

  /**
   * The warnings suppressed on the body's local declarations ({@code @SuppressWarnings("unchecked")
   * List<String> l = (List<String>) o;}), in order: a local that becomes a field of the machine is
   * assigned where it was declared, away from its annotation, so the machine suppresses them.
   */
  public Set<String> suppressedOnLocals() {
    return suppressedOnLocals;
  }

  /** Whether the body has a try-with-resources (outside lambdas and classes). */
  public boolean hasTryWithResources() {
    return hasTryWithResources;
  }

  /** Whether the body declares exactly one variable named {@code name} (outside lambdas and classes). */
  public boolean declaresOnce(CharSequence name) {
    return declarations.getOrDefault(name.toString(), 0) == 1;
  }

  /** See {@link #namesInScopesOfTheirOwn}; computed on first use. */
  private Set<String> namesInScopesOfTheirOwn;

  /**
   * The names that code of the body can see in scopes of its own, where a member of the machine of
   * that name is hidden (or obscured, a type by a variable): every variable the body declares, inside
   * its lambdas and its local and anonymous classes too (their fields, parameters and locals), the
   * fields those classes inherit, and every class and type variable the body declares. A name the
   * machine makes up for code copied into such a scope (its reference to the user object, {@code self},
   * its class of handles on private members, {@code Access}) must be none of them: in {@code class Log
   * { List<String> self; void add(String s) { self.add(s + secret); } }}, the machine's {@code
   * Access.get$secret(self)} would read the class's field.
   */
  public Set<String> namesInScopesOfTheirOwn() {
    if (namesInScopesOfTheirOwn == null) {
      Set<String> names = new java.util.HashSet<>();
      Set<TypeElement> inherited = new java.util.HashSet<>();
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree node, Void p) {
          names.add(node.getName().toString());
          return super.visitVariable(node, p);
        }

        @Override
        public Void visitClass(ClassTree node, Void p) {
          names.add(node.getSimpleName().toString());
          if (trees.getElement(getCurrentPath()) instanceof TypeElement t) {
            fieldsOfSupertypes(t, names, inherited);
          }
          return super.visitClass(node, p);
        }

        @Override
        public Void visitTypeParameter(com.sun.source.tree.TypeParameterTree node, Void p) {
          names.add(node.getName().toString());
          return super.visitTypeParameter(node, p);
        }
      }.scan(body, null);
      namesInScopesOfTheirOwn = Collections.unmodifiableSet(names);
    }
    return namesInScopesOfTheirOwn;
  }

  /** Adds the names of the fields of the supertypes of {@code t} (and of theirs) to {@code names}. */
  private static void fieldsOfSupertypes(TypeElement t, Set<String> names, Set<TypeElement> visited) {
    List<javax.lang.model.type.TypeMirror> supertypes = new ArrayList<>(t.getInterfaces());
    supertypes.add(t.getSuperclass());
    for (javax.lang.model.type.TypeMirror s : supertypes) {
      if (s instanceof javax.lang.model.type.DeclaredType d && d.asElement() instanceof TypeElement st
          && visited.add(st)) {
        for (Element m : st.getEnclosedElements()) {
          if (m.getKind().isField()) {
            names.add(m.getSimpleName().toString());
          }
        }
        fieldsOfSupertypes(st, names, visited);
      }
    }
  }

  /** The locals the body's local classes capture (computed on first use). */
  private Set<VariableElement> capturedByLocalClasses;

  /** Whether local {@code v} is used inside one of the body's local classes. */
  public boolean isCapturedByLocalClass(VariableElement v) {
    if (capturedByLocalClasses == null) {
      capturedByLocalClasses = new java.util.HashSet<>();
      for (TypeElement t : localClasses) {
        TreePath path = trees.getPath(t);
        if (path != null) {
          capturedByLocalClasses.addAll(capturedIn(path, List.of()));
        }
      }
    }
    return capturedByLocalClasses.contains(v);
  }

  /** Whether {@code e} is a local variable or parameter of a method or lambda (not a field). */
  public static boolean isLocal(Element e) {
    if (!(e instanceof VariableElement)) {
      return false;
    }
    switch (e.getKind()) {
      case LOCAL_VARIABLE: case PARAMETER: case EXCEPTION_PARAMETER: case RESOURCE_VARIABLE:
      case BINDING_VARIABLE:
        return true;
      default:
        return false;
    }
  }

  /**
   * The locals declared outside the tree at {@code scope} that it uses (those of {@code own}, and those
   * it declares itself, excluded), in order of first use: what a lambda or a local class captures.
   */
  public Set<VariableElement> capturedIn(TreePath scope, Collection<? extends Element> own) {
    Set<Element> declared = Collections.newSetFromMap(new IdentityHashMap<>());
    declared.addAll(own);
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void p) {
        Element e = trees.getElement(getCurrentPath());
        if (e != null) {
          declared.add(e);
        }
        return super.visitVariable(node, p);
      }
    }.scan(scope, null);
    Set<VariableElement> used = new LinkedHashSet<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void p) {
        Element e = trees.getElement(getCurrentPath());
        if (isLocal(e) && !declared.contains(e)) {
          used.add((VariableElement) e);
        }
        return super.visitIdentifier(node, p);
      }
    }.scan(scope, null);
    return used;
  }
}
