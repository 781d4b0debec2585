package io.awaitj.processor.lower;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import io.awaitj.processor.model.MachineContract;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;

/**
 * Turns the type javac inferred for an expression into a type that can be written in source, for the
 * fields and temporaries of a machine: captured wildcards become wildcards (or their bound),
 * intersections their first bound.
 */
final class TypeNames {
  /** For types that cannot name a local class of a body (primitives, boxes). */
  static final TypeNames PLAIN = new TypeNames(java.util.Set.of(), List.of());

  /**
   * The local classes that the machine declares as its members (see {@link LocalClasses}), each with
   * the simple name it has there.
   */
  private final java.util.Map<TypeElement, String> memberLocalClasses;

  /**
   * {@code memberLocalClasses} become members of a machine that declares {@code typeVariables}. A
   * member type named like one of them would hide it in the whole machine (in {@code class M<T> {
   * class T {} }}, {@code T} is the class everywhere in {@code M}: the machine's fields and
   * constructor, written with the type variable, would take the class), and one named like a type
   * the machine declares for itself ({@link MachineContract#RESERVED_TYPE_NAMES}) would clash with it.
   * Such a class takes another name in the machine, {@code T$} (then {@code T$2}, ...): no name of
   * the user's ends in '$' by convention, and the machine writes every use of the class by that name.
   */
  TypeNames(java.util.Set<TypeElement> memberLocalClasses, List<TypeVariableName> typeVariables) {
    java.util.Set<String> taken = new java.util.HashSet<>(MachineContract.RESERVED_TYPE_NAMES);
    for (TypeVariableName v : typeVariables) {
      taken.add(v.name());
    }
    java.util.Set<String> used = new java.util.HashSet<>(taken);
    for (TypeElement t : memberLocalClasses) {
      used.add(t.getSimpleName().toString());
    }
    java.util.Map<TypeElement, String> names = new java.util.LinkedHashMap<>();
    for (TypeElement t : memberLocalClasses) {
      String name = t.getSimpleName().toString();
      if (taken.contains(name)) {
        String other = name + "$";
        for (int n = 2; !used.add(other); n++) {
          other = name + "$" + n;
        }
        name = other;
      }
      names.put(t, name);
    }
    this.memberLocalClasses = java.util.Collections.unmodifiableMap(names);
  }

  /**
   * The simple name that local class {@code t} has as a member of the machine (its own, unless that
   * would hide a type variable of the machine or clash with a type of its own: see the constructor),
   * or null if {@code t} is not one the machine declares.
   */
  String memberName(TypeElement t) {
    return memberLocalClasses.get(t);
  }

  /** The simple names of the local classes the machine declares as members, as they are there. */
  java.util.Collection<String> memberNames() {
    return memberLocalClasses.values();
  }

  /** A denotable name for {@code t}, or {@code null} if there is none (an error type). */
  TypeName denotable(TypeMirror t) {
    switch (t.getKind()) {
      case BOOLEAN: case BYTE: case SHORT: case INT: case LONG: case CHAR: case FLOAT: case DOUBLE:
      case VOID:
        return TypeName.get(t);
      case NULL:
        return ClassName.OBJECT;
      case ARRAY:
        TypeName component = denotable(((ArrayType) t).getComponentType());
        return component == null ? null : ArrayTypeName.of(component);
      case TYPEVAR:
        TypeVariable v = (TypeVariable) t;
        if (isCaptured(v)) {
          return denotable(v.getUpperBound());
        }
        return TypeVariableName.get(v.asElement().getSimpleName().toString());
      case INTERSECTION:
        List<? extends TypeMirror> bounds = ((IntersectionType) t).getBounds();
        return bounds.isEmpty() ? ClassName.OBJECT : denotable(bounds.get(0));
      case DECLARED:
        return declared((DeclaredType) t);
      case WILDCARD:
        return wildcard((WildcardType) t);
      default:
        return null;
    }
  }

  /**
   * For an intersection type whose bounds can all be written, how code reads a value of it from a field
   * of its first bound's type keeping every bound, as overload resolution and member lookup in the
   * source saw them: a cast to {@code A & B}, or, for a class bound with wildcard arguments, which no
   * cast can write, a {@linkplain #view view}. Null for any other type.
   */
  Intersection intersection(TypeMirror t, javax.lang.model.util.Types types) {
    if (t.getKind() != javax.lang.model.type.TypeKind.INTERSECTION) {
      return null;
    }
    List<TypeName> bounds = new ArrayList<>();
    boolean generic = false;
    ParameterizedTypeName wildcardClass = null;
    List<? extends TypeMirror> all = ((IntersectionType) t).getBounds();
    for (TypeMirror bound : all) {
      if (implied(bound, all, types)) {
        continue;
      }
      TypeName n = denotable(bound);
      if (n == null) {
        return null;
      }
      if (n instanceof ParameterizedTypeName p && bound instanceof DeclaredType d
          && d.asElement().getKind() == javax.lang.model.element.ElementKind.CLASS
          && p.typeArguments().stream().anyMatch(a -> a instanceof WildcardTypeName)) {
        wildcardClass = p;
      }
      generic |= n instanceof ParameterizedTypeName || n instanceof TypeVariableName;
      bounds.add(n);
    }
    if (bounds.size() < 2) {
      return null;
    }
    if (wildcardClass != null) {
      return new Intersection(null, view(t, bounds, wildcardClass));
    }
    uncheckedCasts |= generic;
    List<com.palantir.javapoet.CodeBlock> written = new ArrayList<>();
    for (TypeName n : bounds) {
      written.add(com.palantir.javapoet.CodeBlock.of("$T", n));
    }
    return new Intersection(com.palantir.javapoet.CodeBlock.join(written, " & "), null);
  }

  /**
   * How code reads a value of an intersection type from a field: through {@code cast}, or through
   * the member class {@code view} (see {@link #view}).
   */
  record Intersection(com.palantir.javapoet.CodeBlock cast, String view) {
    /** The expression that reads {@code value} (code or a name) with every bound. */
    com.palantir.javapoet.CodeBlock read(Object value) {
      return cast != null ? com.palantir.javapoet.CodeBlock.of("(($L) $L)", cast, value)
          : com.palantir.javapoet.CodeBlock.of("$L.VIEW.of($L)", view, value);
    }
  }

  /** The views the machine declares as its member classes (see {@link #view}), by the type written. */
  private final java.util.Map<String, com.palantir.javapoet.TypeSpec> views = new java.util.LinkedHashMap<>();

  /** The member classes the machine declares for the views its code reads through. */
  List<com.palantir.javapoet.TypeSpec> views() {
    return List.copyOf(views.values());
  }

  /**
   * A member class through which the machine reads values of an intersection whose class bound has
   * wildcard arguments ({@code AbstractList<? extends Object> & Serializable & Cloneable}, the type of
   * {@code flag ? new ArrayList<>() : new LinkedList<String>()}): javac rejects a cast to it, and a
   * type variable bounded by it ("subList(int,int) in AbstractList cannot implement subList(int,int) in
   * List": it captures the class bound and its supertypes apart), and a cast to any other type picks
   * other overloads. The view's type variables stand for the wildcards, its {@code R} for the
   * intersection ({@code R extends AbstractList<E1> & Serializable & Cloneable}); its instance {@code
   * VIEW} is of type {@code View$1<? extends Object, ?>}, which javac captures at each read, so that
   * {@code VIEW.of(field)} (not generic: never typed by its target) has the type of a captured {@code
   * R}, whose bounds are those of the source's value, with one capture of each wildcard. A bound that
   * names a type variable of the machine (which a static class cannot see), or a class bound nested in
   * a generic class, stays the clear error of {@link WildcardIntersection}.
   */
  private String view(TypeMirror t, List<TypeName> bounds, ParameterizedTypeName wildcardClass) {
    if (wildcardClass.enclosingType() != null || bounds.stream().anyMatch(TypeNames::namesTypeVariable)) {
      throw new WildcardIntersection(t);
    }
    String key = bounds.toString();
    com.palantir.javapoet.TypeSpec existing = views.get(key);
    if (existing != null) {
      return existing.name();
    }
    String name = "View$" + (views.size() + 1);
    List<TypeVariableName> variables = new ArrayList<>();
    List<TypeName> classArguments = new ArrayList<>();
    List<TypeName> viewArguments = new ArrayList<>();
    for (TypeName a : wildcardClass.typeArguments()) {
      if (a instanceof WildcardTypeName w) {
        TypeVariableName v = TypeVariableName.get("E" + (variables.size() + 1));
        variables.add(v);
        classArguments.add(v);
        viewArguments.add(w);
      } else {
        classArguments.add(a);
      }
    }
    List<TypeName> rBounds = new ArrayList<>();
    for (TypeName b : bounds) {
      rBounds.add(b == wildcardClass
          ? ParameterizedTypeName.get(wildcardClass.rawType(), classArguments.toArray(new TypeName[0])) : b);
    }
    TypeVariableName r = TypeVariableName.get("R", rBounds.toArray(new TypeName[0]));
    variables.add(r);
    viewArguments.add(WildcardTypeName.subtypeOf(Object.class));
    ClassName self = ClassName.get("", name);
    com.palantir.javapoet.TypeSpec view = com.palantir.javapoet.TypeSpec.classBuilder(name)
        .addJavadoc("Reads values of $L, which no cast can write: see {@code VIEW}.\n", String.join(" & ",
            bounds.stream().map(TypeName::toString).toList()))
        .addModifiers(javax.lang.model.element.Modifier.STATIC, javax.lang.model.element.Modifier.FINAL)
        .addTypeVariables(variables)
        .addField(com.palantir.javapoet.FieldSpec.builder(
                ParameterizedTypeName.get(self, viewArguments.toArray(new TypeName[0])), "VIEW",
                javax.lang.model.element.Modifier.STATIC, javax.lang.model.element.Modifier.FINAL)
            .addJavadoc("Captured at each read: {@code R} is then the value's type, with one capture of"
                + " each wildcard.\n")
            .initializer("new $T<>()", self)
            .build())
        .addMethod(com.palantir.javapoet.MethodSpec.methodBuilder("of")
            .addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(SuppressWarnings.class)
                .addMember("value", "$S", "unchecked").build())
            .returns(r)
            .addParameter(Object.class, "value")
            .addStatement("return ($T) value", r)
            .build())
        .build();
    views.put(key, view);
    return name;
  }

  /** Whether {@code n} names a type variable (of the machine: captures were written as wildcards). */
  private static boolean namesTypeVariable(TypeName n) {
    if (n instanceof TypeVariableName) {
      return true;
    }
    if (n instanceof ParameterizedTypeName p) {
      return p.typeArguments().stream().anyMatch(TypeNames::namesTypeVariable)
          || p.enclosingType() != null && namesTypeVariable(p.enclosingType());
    }
    if (n instanceof WildcardTypeName w) {
      return w.upperBounds().stream().anyMatch(TypeNames::namesTypeVariable)
          || w.lowerBounds().stream().anyMatch(TypeNames::namesTypeVariable);
    }
    if (n instanceof ArrayTypeName a) {
      return namesTypeVariable(a.componentType());
    }
    return false;
  }

  /**
   * An intersection with a class bound that has wildcard type arguments that even a {@linkplain #view
   * view} cannot read: one whose bounds name a type variable of the machine, which the view, a static
   * member class, cannot see, or whose class bound is nested in a generic class. The lowering reports
   * it at the code it came from.
   */
  static final class WildcardIntersection extends RuntimeException {
    final transient TypeMirror type;

    WildcardIntersection(TypeMirror type) {
      super(null, null, false, false);
      this.type = type;
    }

    /** The error to report where a value of the type is kept. */
    String message(String what) {
      return what + " has the type " + type + ", an intersection of types with wildcards, which awaitj"
          + " cannot write in the state machine without changing which overloads it picks: give it a"
          + " named type (declare the variable, or cast the expression, to one of them)";
    }
  }

  /**
   * Whether {@code bound} is a supertype of another of {@code all} (by their classes): that one
   * implies it. Written as well, two generic bounds can disagree on a member's type ({@code
   * AbstractList<?> & List<?>}: "subList(int,int) in AbstractList cannot implement subList(int,int) in
   * List"), which javac's own intersection, of the same captured arguments, does not.
   */
  private static boolean implied(TypeMirror bound, List<? extends TypeMirror> all,
      javax.lang.model.util.Types types) {
    TypeMirror erased = types.erasure(bound);
    for (TypeMirror other : all) {
      TypeMirror o = types.erasure(other);
      if (other != bound && !types.isSameType(o, erased) && types.isSubtype(o, erased)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an intersection written so far has a generic bound: the cast to it is unchecked (javac 25
   * warns, javac 17 does not), which the machine suppresses, as the source has no such cast.
   */
  boolean uncheckedCasts() {
    return uncheckedCasts;
  }

  private boolean uncheckedCasts;

  private TypeName declared(DeclaredType t) {
    TypeElement element = (TypeElement) t.asElement();
    ClassName raw = className(element);
    if (raw == null) {
      return null; // a local or anonymous class: it cannot be named outside its method
    }
    List<TypeName> args = new ArrayList<>();
    for (TypeMirror a : t.getTypeArguments()) {
      TypeName n = argument(a);
      if (n == null) {
        return null;
      }
      args.add(n);
    }
    // An inner class of a generic class: its name says the outer type's arguments.
    if (element.getNestingKind() == javax.lang.model.element.NestingKind.MEMBER
        && t.getEnclosingType() instanceof DeclaredType outer && !outer.getTypeArguments().isEmpty()
        && declared(outer) instanceof ParameterizedTypeName o) {
      return o.nestedClass(raw.simpleName(), args);
    }
    return args.isEmpty() ? raw : ParameterizedTypeName.get(raw, args.toArray(new TypeName[0]));
  }

  /**
   * The name of class {@code e}: a local class the machine declares as its member (and its member
   * classes) by its simple name, which the machine resolves; null for other local and anonymous classes.
   */
  private ClassName className(TypeElement e) {
    switch (e.getNestingKind()) {
      case TOP_LEVEL:
        return ClassName.get(e);
      case MEMBER:
        ClassName outer = className((TypeElement) e.getEnclosingElement());
        return outer == null ? null : outer.nestedClass(e.getSimpleName().toString());
      case LOCAL:
        String member = memberLocalClasses.get(e);
        return member == null ? null : ClassName.get("", member);
      default:
        return null;
    }
  }

  /** A type argument: a captured variable becomes the wildcard it was captured from. */
  private TypeName argument(TypeMirror a) {
    if (a instanceof TypeVariable v && isCaptured(v)) {
      TypeMirror upper = v.getUpperBound();
      TypeMirror lower = v.getLowerBound();
      if (lower != null && lower.getKind() != javax.lang.model.type.TypeKind.NULL) {
        TypeName l = denotable(lower);
        return l == null ? null : WildcardTypeName.supertypeOf(l);
      }
      TypeName u = denotable(upper);
      if (u == null) {
        return null;
      }
      return u.equals(ClassName.OBJECT) ? WildcardTypeName.subtypeOf(Object.class) : WildcardTypeName.subtypeOf(u);
    }
    return denotable(a);
  }

  private TypeName wildcard(WildcardType w) {
    if (w.getSuperBound() != null) {
      TypeName s = denotable(w.getSuperBound());
      return s == null ? null : WildcardTypeName.supertypeOf(s);
    }
    if (w.getExtendsBound() != null) {
      TypeName e = denotable(w.getExtendsBound());
      return e == null ? null : WildcardTypeName.subtypeOf(e);
    }
    return WildcardTypeName.subtypeOf(Object.class);
  }

  private static boolean isCaptured(TypeVariable v) {
    return v.toString().startsWith("capture#") || v.asElement().getSimpleName().toString().contains("captured");
  }
}
