package io.awaitj.processor.analysis;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.TypeParameterTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * The simple names of types that a class uses and that do not resolve yet, read from its source
 * alone, before javac attributes it: a class another processor, or awaitj, generates in a later
 * round ({@code new DerivedAsync()} of a subclass that extends this class's XAsync).
 *
 * <p>Such a class is attributed only once the names resolve (or in the last round): javac 25's
 * attribution of an expression whose type it cannot resolve reports more than the unresolved name
 * (its inference fails: "cannot infer type-variable(s)"), and such an error, printed at the end of
 * the round, ends processing before the class is generated. (javac 17 reports the name alone;
 * {@link JavacErrors} finds it in the attributed trees.)
 *
 * <p>The reading is conservative: a name counts only where it can only be a type (a created class,
 * a declared type, a type argument, a cast, a class literal, a supertype), or qualifies a member and
 * is capitalised and names no variable; and it resolves if anything could make it: a class or type
 * variable declared in the file, a member type of a class of the file (inherited ones too), an import
 * of it or of its package or class, its own package, {@code java.lang}. A name missed here is found
 * by javac's attribution all the same; a name found here that javac would resolve only delays the
 * class to the last round.
 */
public final class UnresolvedNames {
  private UnresolvedNames() {}

  /**
   * The unresolved names of the classes of {@code unit}, at most {@code limit}; {@code module} is
   * the module of its classes (null where javac compiles for a release before modules), where the
   * names are looked up, as its code sees them.
   */
  public static List<String> in(Elements elements, ModuleElement module, CompilationUnitTree unit,
      int limit) {
    for (ImportTree i : unit.getImports()) {
      if (i.toString().trim().startsWith("import module")) {
        return List.of(); // every type of a module: not read here
      }
    }
    Names names = new Names();
    names.scan(unit, null);
    String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
    Set<String> visible = new HashSet<>(names.declared);
    visible.addAll(names.variables);
    for (Tree t : unit.getTypeDecls()) {
      if (t instanceof ClassTree c) {
        TypeElement top = AsyncElements.typeIn(elements, module, pkg.isEmpty() ? c.getSimpleName().toString()
            : pkg + "." + c.getSimpleName());
        if (top != null) {
          addMembers(elements, top, visible, new HashSet<>());
        }
      }
    }
    List<String> found = new ArrayList<>();
    for (String name : names.used) {
      if (found.size() >= limit) {
        break;
      }
      if (!visible.contains(name) && !resolves(elements, module, unit, pkg, name, names.supertypes)) {
        found.add(name);
      }
    }
    return found;
  }

  /**
   * Adds the simple names of the members of {@code type} (fields and member types, inherited ones
   * too), and of the members of its member types.
   */
  private static void addMembers(Elements elements, TypeElement type, Set<String> names,
      Set<TypeElement> seen) {
    if (!seen.add(type)) {
      return;
    }
    List<Element> members = new ArrayList<>(elements.getAllMembers(type));
    members.addAll(type.getEnclosedElements());
    for (Element e : members) {
      if (e.getKind().isField()) {
        names.add(e.getSimpleName().toString());
      } else if (e instanceof TypeElement member) {
        names.add(member.getSimpleName().toString());
        addMembers(elements, member, names, seen);
      }
    }
  }

  private static boolean resolves(Elements elements, ModuleElement module, CompilationUnitTree unit,
      String pkg, String name,
      Set<String> supertypes) {
    if (AsyncElements.typeIn(elements, module, "java.lang." + name) != null
        || AsyncElements.typeIn(elements, module, pkg.isEmpty() ? name : pkg + "." + name) != null) {
      return true;
    }
    for (ImportTree i : unit.getImports()) {
      String imported = i.getQualifiedIdentifier().toString();
      if (imported.endsWith(".*")) {
        String from = imported.substring(0, imported.length() - 2);
        if (AsyncElements.typeIn(elements, module, from + "." + name) != null) {
          return true;
        }
        TypeElement container = i.isStatic() ? AsyncElements.typeIn(elements, module, from) : null;
        if (i.isStatic() && (container == null || memberNames(elements, container).contains(name))) {
          return true; // a static member of a class (one javac cannot find yet reports itself)
        }
      } else if (imported.endsWith("." + name)
          && (i.isStatic() || AsyncElements.typeIn(elements, module, imported) != null)) {
        return true; // (a static member: a field, say)
      }
    }
    // A member inherited by a local or anonymous class from a supertype of its own.
    for (String s : supertypes) {
      TypeElement t = resolvedType(elements, module, unit, pkg, s);
      if (t != null && memberNames(elements, t).contains(name)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> memberNames(Elements elements, TypeElement type) {
    Set<String> names = new HashSet<>();
    addMembers(elements, type, names, new HashSet<>());
    return names;
  }

  private static TypeElement resolvedType(Elements elements, ModuleElement module,
      CompilationUnitTree unit, String pkg,
      String name) {
    TypeElement t = AsyncElements.typeIn(elements, module, "java.lang." + name);
    if (t == null) {
      t = AsyncElements.typeIn(elements, module, pkg.isEmpty() ? name : pkg + "." + name);
    }
    for (ImportTree i : unit.getImports()) {
      String imported = i.getQualifiedIdentifier().toString();
      if (t == null && imported.endsWith("." + name)) {
        t = AsyncElements.typeIn(elements, module, imported);
      } else if (t == null && imported.endsWith(".*")) {
        t = AsyncElements.typeIn(elements, module, imported.substring(0, imported.length() - 1) + name);
      }
    }
    return t;
  }

  /** What the file declares, and the names it uses where only a type can stand. */
  private static final class Names extends TreeScanner<Void, Void> {
    final Set<String> declared = new HashSet<>();
    final Set<String> variables = new HashSet<>();
    final Set<String> used = new LinkedHashSet<>();
    final Set<String> supertypes = new HashSet<>();

    @Override
    public Void visitClass(ClassTree node, Void p) {
      declared.add(node.getSimpleName().toString());
      type(node.getExtendsClause(), supertypes);
      for (Tree t : node.getImplementsClause()) {
        type(t, supertypes);
      }
      type(node.getExtendsClause(), used);
      for (Tree t : node.getImplementsClause()) {
        type(t, used);
      }
      return super.visitClass(node, p);
    }

    @Override
    public Void visitTypeParameter(TypeParameterTree node, Void p) {
      declared.add(node.getName().toString());
      return super.visitTypeParameter(node, p);
    }

    @Override
    public Void visitVariable(VariableTree node, Void p) {
      variables.add(node.getName().toString());
      type(node.getType(), used);
      return super.visitVariable(node, p);
    }

    @Override
    public Void visitMethod(MethodTree node, Void p) {
      type(node.getReturnType(), used);
      return super.visitMethod(node, p);
    }

    @Override
    public Void visitNewClass(NewClassTree node, Void p) {
      type(node.getIdentifier(), used);
      return super.visitNewClass(node, p);
    }

    @Override
    public Void visitNewArray(com.sun.source.tree.NewArrayTree node, Void p) {
      type(node.getType(), used);
      return super.visitNewArray(node, p);
    }

    @Override
    public Void visitParameterizedType(ParameterizedTypeTree node, Void p) {
      for (Tree t : node.getTypeArguments()) {
        type(t, used);
      }
      return super.visitParameterizedType(node, p);
    }

    @Override
    public Void visitTypeCast(TypeCastTree node, Void p) {
      type(node.getType(), used);
      return super.visitTypeCast(node, p);
    }

    @Override
    public Void visitInstanceOf(InstanceOfTree node, Void p) {
      type(node.getType(), used);
      return super.visitInstanceOf(node, p);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree node, Void p) {
      if (node.getMode() == MemberReferenceTree.ReferenceMode.NEW) {
        type(node.getQualifierExpression(), used);
      }
      return super.visitMemberReference(node, p);
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree node, Void p) {
      if (node.getExpression() instanceof IdentifierTree q) {
        String name = q.getName().toString();
        if (node.getIdentifier().contentEquals("class")
            || !name.isEmpty() && Character.isUpperCase(name.charAt(0))) {
          used.add(name); // a class literal, or a capitalised qualifier (unless it is a variable)
        }
      }
      return super.visitMemberSelect(node, p);
    }

    @Override
    public Void visitAnnotation(com.sun.source.tree.AnnotationTree node, Void p) {
      return null; // javac attributes annotations apart from the class
    }

    /** Adds the simple name {@code type} is written with, if it is one (of an array, a generic). */
    private static void type(Tree type, Set<String> to) {
      Tree t = type;
      while (true) {
        if (t instanceof com.sun.source.tree.ArrayTypeTree a) {
          t = a.getType();
        } else if (t instanceof ParameterizedTypeTree g) {
          t = g.getType();
        } else if (t instanceof com.sun.source.tree.AnnotatedTypeTree a) {
          t = a.getUnderlyingType();
        } else {
          break;
        }
      }
      if (t instanceof IdentifierTree id && !id.getName().contentEquals("var")) {
        to.add(id.getName().toString());
      }
    }
  }
}
