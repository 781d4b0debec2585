package io.awaitj.processor.lower;

import com.palantir.javapoet.TypeSpec;
import com.sun.source.tree.ClassTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.analysis.LocalScopes;
import io.awaitj.processor.analysis.TypeParts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Local classes (records, enums, interfaces) of a body that awaits: their uses may be in any state,
 * and locals of their types may live across awaits, so the machine declares them as member types
 * ({@link HoistedClass} writes each). That is only the same class if it uses no local variable of the method
 * other than ones assigned once per run (a record, an enum or an interface never does), and no other
 * local class has its name.
 */
final class LocalClasses {
  private final Source source;
  private final Frame frame;
  private final LocalScopes scopes;
  private final Body body;
  private final Set<TypeElement> members;
  private final List<TypeSpec> declarations = new ArrayList<>();
  private final Set<String> namesSeen = new HashSet<>();
  /** Whether a local class is being copied to become a member of the machine. */
  private boolean hoisting;

  LocalClasses(Source source, Frame frame, LocalScopes scopes, Body body, List<TypeElement> members) {
    this.source = source;
    this.frame = frame;
    this.scopes = scopes;
    this.body = body;
    this.members = new LinkedHashSet<>(members);
  }

  /** The member types, in order. */
  List<TypeSpec> declarations() {
    return List.copyOf(declarations);
  }

  /** The simple names of the local classes the machine declares as members, as they are there. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (TypeElement t : members) {
      names.add(source.typeNames.memberName(t));
    }
    return names;
  }

  /** Whether {@code t}, a local class, is one the machine declares as a member. */
  boolean isMember(TypeElement t) {
    return members.contains(t);
  }

  /** Whether local class {@code t} is declared inside the body the machine is compiled from. */
  boolean isDeclaredInBody(TypeElement t) {
    for (TreePath p = source.trees.getPath(t); p != null; p = p.getParentPath()) {
      if (p.getLeaf() == body.path().getLeaf()) {
        return true;
      }
    }
    return false;
  }

  /** Copies the local class declared at {@code path} as a member of the machine, or reports why not. */
  void hoist(TreePath path, ClassTree c, Verbatim verbatim) {
    String name = c.getSimpleName().toString();
    for (VariableElement captured : scopes.capturedIn(path, List.of())) {
      // A member class reads the machine's field of a captured local: the same value only if the
      // variable is assigned once per run of the body, so not one declared inside a loop.
      if (frame.fieldOf(captured) == null || scopes.isDeclaredInLoop(captured)) {
        source.unsupported(c, "local class '" + name + "' uses '" + captured.getSimpleName() + "', a"
            + " local variable declared inside a loop: in an @Async method that awaits, a local class"
            + " becomes a member of the state machine, which holds one value of it; pass the value to"
            + " its constructor, or move the class to a member of " + source.userType.getSimpleName());
        return;
      }
    }
    if (!namesSeen.add(name)) {
      source.unsupported(c, "a second local class named '" + name + "' in this @Async method: rename one");
      return;
    }
    TypeElement e = (TypeElement) source.trees.getElement(path);
    String member = e == null ? null : source.typeNames.memberName(e);
    hoisting = true;
    try {
      // A class named like a type variable of the machine, or like a type of its own, is renamed there
      // (see TypeNames): its declaration and every use take the member's name.
      declarations.add(HoistedClass.of(source, verbatim, path, member == null ? name : member));
    } finally {
      hoisting = false;
    }
  }

  /**
   * How a local class being copied as a member of the machine reads local {@code e} it captures: the
   * machine's field of it (then never released); null if no such class is being copied.
   */
  com.palantir.javapoet.CodeBlock hoistedCapture(Element e) {
    if (!hoisting) {
      return null;
    }
    String field = frame.keepForMemberClass(e);
    // Through a cast to every bound if it holds a value of an intersection type, as other reads.
    return field == null ? null : frame.read(field, body.machine().simpleName() + ".this." + field);
  }

  /** The error for local class {@code t} of the enclosing method used in an async lambda ({@code where}). */
  static String inAsyncLambda(TypeElement t, TypeElement userType, String where) {
    return "local class '" + t.getSimpleName() + "' of the enclosing method cannot be used inside an"
        + " async lambda, which is compiled into a class of its own" + where + ": move it to a member"
        + " of " + userType.getSimpleName();
  }

  /** A local class that {@code t} names (itself, in a type argument or as an array element), or null. */
  static TypeElement localClassIn(TypeMirror t) {
    return TypeParts.classOfKind(t, NestingKind.LOCAL);
  }

  /**
   * A local class that {@code t} names, or that a class it names is nested in ({@code Box.Part} of a
   * local {@code Box}), or null.
   */
  static TypeElement localClassAround(TypeMirror t) {
    javax.lang.model.type.TypeMirror found = TypeParts.find(t, m -> m instanceof javax.lang.model.type.DeclaredType d
        && outermostLocal((TypeElement) d.asElement()) != null);
    return found == null ? null
        : outermostLocal((TypeElement) ((javax.lang.model.type.DeclaredType) found).asElement());
  }

  private static TypeElement outermostLocal(TypeElement t) {
    TypeElement local = null;
    for (Element e = t; e instanceof TypeElement c; e = e.getEnclosingElement()) {
      if (c.getNestingKind() == NestingKind.LOCAL) {
        local = c;
      }
    }
    return local;
  }
}
