package io.awaitj.processor.lower;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import io.awaitj.processor.analysis.TypeParts;
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
    return write(t, null);
  }

  /**
   * A name for {@code t}: each intersection in it is written as its first bound if {@code variables}
   * is null, else as a new type variable added to {@code variables} with every bound (written so in
   * turn), which a {@linkplain #nestedView nested view} declares; null if {@code t} has no name.
   */
  private TypeName write(TypeMirror t, Variables variables) {
    switch (t.getKind()) {
      case BOOLEAN: case BYTE: case SHORT: case INT: case LONG: case CHAR: case FLOAT: case DOUBLE:
      case VOID:
        return TypeName.get(t);
      case NULL:
        return ClassName.OBJECT;
      case ARRAY:
        TypeName component = write(((ArrayType) t).getComponentType(), variables);
        return component == null ? null : ArrayTypeName.of(component);
      case TYPEVAR:
        TypeVariable v = (TypeVariable) t;
        if (TypeParts.isCapture(v)) {
          return write(v.getUpperBound(), variables);
        }
        return TypeVariableName.get(v.asElement().getSimpleName().toString());
      case INTERSECTION:
        List<? extends TypeMirror> bounds = ((IntersectionType) t).getBounds();
        if (variables != null) {
          return variable((IntersectionType) t, variables);
        }
        return bounds.isEmpty() ? ClassName.OBJECT : denotable(bounds.get(0));
      case DECLARED:
        return declared((DeclaredType) t, variables);
      case WILDCARD:
        return wildcard((WildcardType) t, variables);
      default:
        return null;
    }
  }

  /**
   * A new type variable of {@code variables} for intersection {@code t}, bounded by its bounds (those
   * another bound does not imply, see {@link #implied}), each written with its own intersections as
   * variables; null if a bound has no name. A class bound with wildcard arguments cannot bound a
   * type variable (javac captures it and its supertypes apart): the {@link WildcardIntersection} error.
   */
  private TypeVariableName variable(IntersectionType t, Variables variables) {
    int index = variables.list.size();
    String name = "T$" + (index + 1);
    variables.list.add(null); // its place: the variables of its bounds come after it
    List<TypeName> bounds = new ArrayList<>();
    for (TypeMirror bound : t.getBounds()) {
      if (implied(bound, t.getBounds(), variables.types)) {
        continue;
      }
      if (isWildcardClass(bound)) {
        throw new WildcardIntersection(t);
      }
      TypeName n = write(bound, variables);
      if (n == null) {
        return null;
      }
      bounds.add(n);
    }
    variables.list.set(index, TypeVariableName.get(name, bounds.toArray(new TypeName[0])));
    return TypeVariableName.get(name);
  }

  /** The type variables a nested view declares for the intersections of a type, in order. */
  private record Variables(List<TypeVariableName> list, javax.lang.model.util.Types types) {}

  /** Whether {@code bound} is a class (not an interface) with a wildcard type argument. */
  private boolean isWildcardClass(TypeMirror bound) {
    return bound instanceof DeclaredType d && d.asElement().getKind() == javax.lang.model.element.ElementKind.CLASS
        && d.getTypeArguments().stream().anyMatch(a -> a.getKind() == javax.lang.model.type.TypeKind.WILDCARD
            || a instanceof TypeVariable v && TypeParts.isCapture(v));
  }

  /**
   * Whether {@code t} has an intersection inside it (in a type argument, a wildcard's bound, an array's
   * component, a captured variable's bound), which {@link #denotable} writes as its first bound.
   */
  private static boolean hasNestedIntersection(TypeMirror t, java.util.Set<TypeMirror> seen) {
    switch (t.getKind()) {
      case ARRAY:
        return hasIntersection(((ArrayType) t).getComponentType(), seen);
      case DECLARED:
        DeclaredType d = (DeclaredType) t;
        for (TypeMirror a : d.getTypeArguments()) {
          if (hasIntersection(a, seen)) {
            return true;
          }
        }
        return d.getEnclosingType() instanceof DeclaredType outer && hasNestedIntersection(outer, seen);
      case INTERSECTION:
        for (TypeMirror b : ((IntersectionType) t).getBounds()) {
          if (hasNestedIntersection(b, seen)) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }

  /** Whether {@code t} is or has an intersection (see {@link #hasNestedIntersection}). */
  private static boolean hasIntersection(TypeMirror t, java.util.Set<TypeMirror> seen) {
    switch (t.getKind()) {
      case INTERSECTION:
        return true;
      case WILDCARD:
        WildcardType w = (WildcardType) t;
        return w.getExtendsBound() != null && hasIntersection(w.getExtendsBound(), seen)
            || w.getSuperBound() != null && hasIntersection(w.getSuperBound(), seen);
      case TYPEVAR:
        TypeVariable v = (TypeVariable) t;
        if (!TypeParts.isCapture(v) || !seen.add(v)) {
          return false; // a declared variable is written by its name; a capture's bound once
        }
        return hasIntersection(v.getUpperBound(), seen)
            || v.getLowerBound() != null && hasIntersection(v.getLowerBound(), seen);
      default:
        return hasNestedIntersection(t, seen);
    }
  }

  /**
   * For an intersection type whose bounds can all be written, how code reads a value of it from a field
   * of its first bound's type keeping every bound, as overload resolution and member lookup in the
   * source saw them: a cast to {@code A & B}, or, for a class bound with wildcard arguments, which no
   * cast can write, a {@linkplain #view view}. Null for any other type.
   */
  Intersection intersection(TypeMirror t, javax.lang.model.util.Types types) {
    while (t instanceof TypeVariable v && TypeParts.isCapture(v)) {
      t = v.getUpperBound(); // a spilled list.get(0) of a List<? extends A & B>: read as A & B
    }
    boolean nested = hasNestedIntersection(t, new java.util.HashSet<>());
    if (t.getKind() != javax.lang.model.type.TypeKind.INTERSECTION) {
      return nested ? nestedView(t, types) : null;
    }
    List<TypeName> bounds = new ArrayList<>();
    boolean generic = false;
    ParameterizedTypeName wildcardClass = null;
    List<? extends TypeMirror> all = ((IntersectionType) t).getBounds();
    // The bounds with their own intersections as the type variables of a view (for a class bound with
    // wildcards), as written with none inside.
    Variables variables = new Variables(new ArrayList<>(), types);
    for (TypeMirror bound : all) {
      if (implied(bound, all, types)) {
        continue;
      }
      TypeName n;
      try {
        n = write(bound, variables);
      } catch (WildcardIntersection w) {
        throw new WildcardIntersection(t, denotable(t)); // a class bound with wildcards inside
      }
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
    if (wildcardClass != null) {
      return new Intersection(null, view(t, bounds, wildcardClass, variables.list()));
    }
    if (nested) {
      return nestedView(t, types);
    }
    if (bounds.size() < 2) {
      return null;
    }
    uncheckedCasts |= generic;
    List<com.palantir.javapoet.CodeBlock> written = new ArrayList<>();
    for (TypeName n : bounds) {
      written.add(com.palantir.javapoet.CodeBlock.of("$T", n));
    }
    return new Intersection(com.palantir.javapoet.CodeBlock.join(written, " & "), null);
  }

  /**
   * How code reads a value of an intersection type, or of a type with an intersection inside, from a
   * field: through {@code cast}, or through {@code view}, the expression of a member class's instance
   * (see {@link #view} and {@link #nestedView}).
   */
  record Intersection(com.palantir.javapoet.CodeBlock cast, String view) {
    /** The expression that reads {@code value} (code or a name) with every bound. */
    com.palantir.javapoet.CodeBlock read(Object value) {
      return cast != null ? com.palantir.javapoet.CodeBlock.of("(($L) $L)", cast, value)
          : com.palantir.javapoet.CodeBlock.of("$L.of($L)", view, value);
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
  private String view(TypeMirror t, List<TypeName> bounds, ParameterizedTypeName wildcardClass,
      List<TypeVariableName> nested) {
    if (wildcardClass.enclosingType() != null || namesOtherTypeVariables(bounds, nested)) {
      throw new WildcardIntersection(t, nested.isEmpty() ? null : denotable(t));
    }
    String key = bounds + " " + nested.stream().map(v -> v.name() + " " + v.bounds()).toList();
    String receiver = nested.isEmpty() ? ".VIEW" : ".view()";
    com.palantir.javapoet.TypeSpec existing = views.get(key);
    if (existing != null) {
      return existing.name() + receiver;
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
    com.palantir.javapoet.TypeSpec.Builder view = com.palantir.javapoet.TypeSpec.classBuilder(name)
        .addJavadoc("Reads values of $L, which no cast can write: see {@code $L}$L\n", String.join(" & ",
            bounds.stream().map(TypeName::toString).toList()), nested.isEmpty() ? "VIEW" : "view()",
            nested.isEmpty() ? "." : ", where")
        .addModifiers(javax.lang.model.element.Modifier.STATIC, javax.lang.model.element.Modifier.FINAL);
    if (nested.isEmpty()) {
      view.addTypeVariables(variables)
          .addField(com.palantir.javapoet.FieldSpec.builder(
                  ParameterizedTypeName.get(self, viewArguments.toArray(new TypeName[0])), "VIEW",
                  javax.lang.model.element.Modifier.STATIC, javax.lang.model.element.Modifier.FINAL)
              .addJavadoc("Captured at each read: {@code R} is then the value's type, with one capture of"
                  + " each wildcard.\n")
              .initializer("new $T<>()", self)
              .build());
    } else {
      // The wildcards' bounds have intersections inside: view(), as a nested view's, has javac infer
      // them (T$1, ...), then captures its result as VIEW is captured.
      view.addJavadoc(variablesDoc(nested)).addTypeVariables(variables).addTypeVariables(nested);
      variables.addAll(nested);
      nested.forEach(v -> viewArguments.add(TypeVariableName.get(v.name())));
      addViewMethod(view, self, variables.size(), nested,
          ParameterizedTypeName.get(self, viewArguments.toArray(new TypeName[0])));
    }
    views.put(key, view.addMethod(of(r)).build());
    return name + receiver;
  }

  /**
   * Adds to {@code view} (named {@code self}, of {@code arity} type variables) its instance {@code
   * VIEW} and the static {@code view()} that returns it as a {@code type}: generic in {@code bounded},
   * which javac infers each as the intersection of its bounds when it is called as a receiver.
   */
  private static void addViewMethod(com.palantir.javapoet.TypeSpec.Builder view, ClassName self, int arity,
      List<TypeVariableName> bounded, TypeName type) {
    TypeName[] wildcards = new TypeName[arity];
    java.util.Arrays.fill(wildcards, WildcardTypeName.subtypeOf(Object.class));
    view.addField(com.palantir.javapoet.FieldSpec.builder(ParameterizedTypeName.get(self, wildcards), "VIEW",
                javax.lang.model.element.Modifier.PRIVATE, javax.lang.model.element.Modifier.STATIC,
                javax.lang.model.element.Modifier.FINAL)
            .initializer("new $T<>()", self)
            .build())
        .addMethod(com.palantir.javapoet.MethodSpec.methodBuilder("view")
            .addJavadoc("Called as a receiver, without a target type: javac infers each variable as the"
                + " intersection\nof its bounds, the source's type.\n")
            .addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(SuppressWarnings.class)
                .addMember("value", "$S", "unchecked").build())
            .addModifiers(javax.lang.model.element.Modifier.STATIC)
            .addTypeVariables(bounded)
            .returns(type)
            .addStatement("return ($T) VIEW", type)
            .build());
  }

  /**
   * How the machine reads a value whose type has an intersection inside, which Java cannot write
   * ({@code flag ? List.of(1) : List.of(2L)}: {@code List<? extends Number & Comparable<? extends
   * Number & Comparable<?> & ...> & ...>}; a field has the type with first bounds, {@code List<?
   * extends Number>}): through a member class, {@code View$n<T$1, T$2>}, whose static {@code view()}
   * declares a type variable per intersection, bounded by its bounds (written with the variables of
   * the intersections nested in them: {@code T$1 extends Number & Comparable<? extends T$2> & ...}).
   * The machine calls it as the receiver of {@code of(field)}, where it has no target type, so javac
   * infers each variable as the intersection of its bounds: {@code view().of(field)}, not generic,
   * has the source's type exactly ({@code List<? extends T$1>} of those intersections), and picks
   * the source's overloads and members. A bound that names a type variable of the machine (which
   * the static view cannot see), or a class bound with wildcards (which javac rejects as a type
   * variable's bound), is the clear error of {@link WildcardIntersection}.
   */
  private Intersection nestedView(TypeMirror t, javax.lang.model.util.Types types) {
    Variables variables = new Variables(new ArrayList<>(), types);
    TypeName shape;
    try {
      shape = write(t, variables);
    } catch (WildcardIntersection w) {
      throw new WildcardIntersection(t, denotable(t)); // a class bound with wildcards inside
    }
    if (shape == null) {
      return null; // not denotable at all: the field's own type reports it
    }
    List<TypeVariableName> bounded = variables.list();
    if (namesOtherTypeVariables(List.of(shape), bounded)) {
      throw new WildcardIntersection(t, denotable(t));
    }
    String key = shape + " " + bounded.stream().map(v -> v.name() + " " + v.bounds()).toList();
    com.palantir.javapoet.TypeSpec existing = views.get(key);
    if (existing != null) {
      return new Intersection(null, existing.name() + ".view()");
    }
    String name = "View$" + (views.size() + 1);
    List<TypeVariableName> plain = bounded.stream().map(v -> TypeVariableName.get(v.name())).toList();
    ClassName self = ClassName.get("", name);
    com.palantir.javapoet.TypeSpec.Builder view = com.palantir.javapoet.TypeSpec.classBuilder(name)
        .addJavadoc("Reads values of {@code $T}, which Java cannot write (see {@code view()}), where\n", shape)
        .addJavadoc(variablesDoc(bounded))
        .addModifiers(javax.lang.model.element.Modifier.STATIC, javax.lang.model.element.Modifier.FINAL)
        .addTypeVariables(plain);
    addViewMethod(view, self, plain.size(), bounded, ParameterizedTypeName.get(self, plain.toArray(new TypeName[0])));
    views.put(key, view.addMethod(of(shape)).build());
    return new Intersection(null, name + ".view()");
  }

  /** A view's {@code of(value)}: {@code value} as a {@code type} (not generic: no target types it). */
  private static com.palantir.javapoet.MethodSpec of(TypeName type) {
    return com.palantir.javapoet.MethodSpec.methodBuilder("of")
        .addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(SuppressWarnings.class)
            .addMember("value", "$S", "unchecked").build())
        .returns(type)
        .addParameter(Object.class, "value")
        .addStatement("return ($T) value", type)
        .build();
  }

  /** A view's javadoc lines that say which intersection each of {@code bounded} stands for. */
  private static com.palantir.javapoet.CodeBlock variablesDoc(List<TypeVariableName> bounded) {
    com.palantir.javapoet.CodeBlock.Builder doc = com.palantir.javapoet.CodeBlock.builder();
    for (TypeVariableName v : bounded) {
      List<com.palantir.javapoet.CodeBlock> bounds = new ArrayList<>();
      v.bounds().forEach(b -> bounds.add(com.palantir.javapoet.CodeBlock.of("$T", b)));
      doc.add("{@code $L} is {@code $L}\n", v.name(), com.palantir.javapoet.CodeBlock.join(bounds, " & "));
    }
    return doc.build();
  }

  /**
   * Whether {@code types} or the bounds of {@code own} name a type variable other than {@code own}: one
   * of the machine, which a view, a static member class, cannot see.
   */
  private static boolean namesOtherTypeVariables(List<TypeName> types, List<TypeVariableName> own) {
    return types.stream().anyMatch(n -> namesTypeVariableOtherThan(n, own))
        || own.stream().anyMatch(v -> v.bounds().stream().anyMatch(b -> namesTypeVariableOtherThan(b, own)));
  }

  /** Whether {@code n} names a type variable other than {@code own}. */
  private static boolean namesTypeVariableOtherThan(TypeName n, List<TypeVariableName> own) {
    if (n instanceof TypeVariableName v) {
      return own.stream().noneMatch(o -> o.name().equals(v.name()));
    }
    if (n instanceof ParameterizedTypeName p) {
      return p.typeArguments().stream().anyMatch(a -> namesTypeVariableOtherThan(a, own))
          || p.enclosingType() != null && namesTypeVariableOtherThan(p.enclosingType(), own);
    }
    if (n instanceof WildcardTypeName w) {
      return w.upperBounds().stream().anyMatch(b -> namesTypeVariableOtherThan(b, own))
          || w.lowerBounds().stream().anyMatch(b -> namesTypeVariableOtherThan(b, own));
    }
    if (n instanceof ArrayTypeName a) {
      return namesTypeVariableOtherThan(a.componentType(), own);
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

    /** For a type with an intersection inside, a named type it is: the error suggests it. */
    final TypeName nested;

    WildcardIntersection(TypeMirror type) {
      this(type, null);
    }

    WildcardIntersection(TypeMirror type, TypeName nested) {
      super(null, null, false, false);
      this.type = type;
      this.nested = nested;
    }

    /** The error to report where a value of the type is kept. */
    String message(String what) {
      if (nested != null) {
        return what + " has the type " + type + ", with an intersection inside whose bounds name a type"
            + " variable of the method or a class with wildcards, which awaitj cannot write in the state"
            + " machine without changing which overloads it picks: give it a named type (declare the"
            + " variable, or cast the expression, to one such as " + nested + ")";
      }
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

  private TypeName declared(DeclaredType t, Variables variables) {
    TypeElement element = (TypeElement) t.asElement();
    ClassName raw = className(element);
    if (raw == null) {
      return null; // a local or anonymous class: it cannot be named outside its method
    }
    List<TypeName> args = new ArrayList<>();
    for (TypeMirror a : t.getTypeArguments()) {
      TypeName n = argument(a, variables);
      if (n == null) {
        return null;
      }
      args.add(n);
    }
    // An inner class of a generic class: its name says the outer type's arguments.
    if (element.getNestingKind() == javax.lang.model.element.NestingKind.MEMBER
        && t.getEnclosingType() instanceof DeclaredType outer && !outer.getTypeArguments().isEmpty()
        && declared(outer, variables) instanceof ParameterizedTypeName o) {
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

  /**
   * A type argument: a captured variable becomes the wildcard it was captured from; an intersection
   * ({@code List.of(1, 2L)} is a {@code List<Number & Comparable<...> & ...>}) a wildcard of its first
   * bound ({@code List<? extends Number>}), which the value is, as it is no {@code List<Number>}: a
   * field of that type takes the value a view reads (see {@link #nestedView}).
   */
  private TypeName argument(TypeMirror a, Variables variables) {
    if (a instanceof TypeVariable v && TypeParts.isCapture(v)) {
      TypeMirror upper = v.getUpperBound();
      TypeMirror lower = v.getLowerBound();
      if (lower != null && lower.getKind() != javax.lang.model.type.TypeKind.NULL) {
        TypeName l = write(lower, variables);
        return l == null ? null : WildcardTypeName.supertypeOf(l);
      }
      TypeName u = write(upper, variables);
      if (u == null) {
        return null;
      }
      return u.equals(ClassName.OBJECT) ? WildcardTypeName.subtypeOf(Object.class) : WildcardTypeName.subtypeOf(u);
    }
    if (variables == null && a.getKind() == javax.lang.model.type.TypeKind.INTERSECTION) {
      TypeName first = denotable(a);
      return first == null ? null : WildcardTypeName.subtypeOf(first);
    }
    return write(a, variables);
  }

  private TypeName wildcard(WildcardType w, Variables variables) {
    if (w.getSuperBound() != null) {
      TypeName s = write(w.getSuperBound(), variables);
      return s == null ? null : WildcardTypeName.supertypeOf(s);
    }
    if (w.getExtendsBound() != null) {
      TypeName e = write(w.getExtendsBound(), variables);
      return e == null ? null : WildcardTypeName.subtypeOf(e);
    }
    return WildcardTypeName.subtypeOf(Object.class);
  }
}
