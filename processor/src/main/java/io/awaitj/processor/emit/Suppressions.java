package io.awaitj.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.CodeBlock;
import io.awaitj.processor.model.SuppressedWarnings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/**
 * The {@code @SuppressWarnings} of generated code.
 *
 * <p>Every type and member generated code uses, and every statement it copies, stands for one in the
 * user's source, and javac already warns there when it should. Repeated in generated code, some of
 * those warnings would be noise the user cannot act on, and some would be wrong:
 *
 * <ul>
 *   <li>{@link #OUTSIDE_THE_CLASS}: javac does not warn about uses of deprecated elements inside the
 *       outermost class that declares them; generated classes are outside it.
 *   <li>{@link #SIGNATURE}: a member of {@code XAsync} repeats the signature of the user's (raw
 *       types, generic varargs), which javac reports at the user's declaration.
 *   <li>the suppressions the user wrote on the {@code @Async} method or around it, which cover the
 *       body the machine is compiled from.
 * </ul>
 */
final class Suppressions {
  /** On every generated class. */
  static final List<String> OUTSIDE_THE_CLASS = List.of("deprecation", "removal");

  /** On a placeholder machine, whose constructor repeats the user's parameter types. */
  static final List<String> SIGNATURE = List.of("rawtypes", "unchecked");

  /** XAsync extends the user's class: a serializable one without its own serialVersionUID is fine. */
  static final List<String> SUBCLASS = List.of("serial");

  private Suppressions() {}

  /** The warnings the user suppressed on {@code e} and on the elements around it, in sorted order. */
  static Set<String> inScope(Element e) {
    Set<String> names = new TreeSet<>();
    for (Element at = e; at != null && at.getKind() != ElementKind.PACKAGE
        && at.getKind() != ElementKind.MODULE; at = at.getEnclosingElement()) {
      names.addAll(SuppressedWarnings.of(at));
    }
    return names;
  }

  /**
   * What a member repeating the signature of {@code e} must suppress: {@code rawtypes} if it names a
   * raw type, {@code unchecked} for a varargs parameter of a non-reifiable type (possible heap
   * pollution); javac reports both at the user's declaration.
   */
  static Set<String> ofSignature(ExecutableElement e) {
    Set<String> names = new TreeSet<>(rawTypesIn(e));
    if (e.isVarArgs() && !e.getParameters().isEmpty()
        && e.getParameters().get(e.getParameters().size() - 1).asType() instanceof ArrayType a
        && !isReifiable(a.getComponentType())) {
      names.add("unchecked");
    }
    return names;
  }

  /**
   * {@code rawtypes} if the signature of {@code e} names a raw type (which a machine repeats in its
   * type variables and fields), else nothing.
   */
  static List<String> rawTypesIn(ExecutableElement e) {
    List<TypeMirror> named = new ArrayList<>(e.getParameters().size() + 1);
    named.add(e.getReturnType());
    for (VariableElement p : e.getParameters()) {
      named.add(p.asType());
    }
    named.addAll(e.getThrownTypes());
    for (TypeParameterElement t : e.getTypeParameters()) {
      named.addAll(t.getBounds());
    }
    for (TypeMirror t : named) {
      if (namesRawType(t)) {
        return List.of("rawtypes");
      }
    }
    return List.of();
  }

  private static boolean namesRawType(TypeMirror t) {
    switch (t.getKind()) {
      case ARRAY:
        return namesRawType(((ArrayType) t).getComponentType());
      case WILDCARD: {
        WildcardType w = (WildcardType) t;
        return w.getExtendsBound() != null && namesRawType(w.getExtendsBound())
            || w.getSuperBound() != null && namesRawType(w.getSuperBound());
      }
      case DECLARED: {
        DeclaredType d = (DeclaredType) t;
        if (d.getTypeArguments().isEmpty()
            && !((TypeElement) d.asElement()).getTypeParameters().isEmpty()) {
          return true;
        }
        for (TypeMirror a : d.getTypeArguments()) {
          if (namesRawType(a)) {
            return true;
          }
        }
        return d.getEnclosingType().getKind() == TypeKind.DECLARED && namesRawType(d.getEnclosingType());
      }
      default:
        return false;
    }
  }

  /** JLS 4.7, without the corner of nested types of generic classes (a conservative "no"). */
  private static boolean isReifiable(TypeMirror t) {
    switch (t.getKind()) {
      case ARRAY:
        return isReifiable(((ArrayType) t).getComponentType());
      case TYPEVAR:
        return false;
      case DECLARED: {
        for (TypeMirror a : ((DeclaredType) t).getTypeArguments()) {
          if (!(a instanceof WildcardType w) || w.getExtendsBound() != null || w.getSuperBound() != null) {
            return false;
          }
        }
        TypeMirror outer = ((DeclaredType) t).getEnclosingType();
        return outer.getKind() != TypeKind.DECLARED || isReifiable(outer);
      }
      default:
        return true;
    }
  }

  /**
   * {@code @SuppressWarnings} of the given names, sorted and without repeats (stable output); null
   * for none.
   */
  @SafeVarargs
  static AnnotationSpec annotation(Collection<String>... groups) {
    Set<String> names = new TreeSet<>();
    for (Collection<String> g : groups) {
      names.addAll(g);
    }
    if (names.isEmpty()) {
      return null;
    }
    CodeBlock.Builder value = CodeBlock.builder();
    if (names.size() == 1) {
      value.add("$S", names.iterator().next());
    } else {
      value.add("{");
      String separator = "";
      for (String n : names) {
        value.add("$L$S", separator, n);
        separator = ", ";
      }
      value.add("}");
    }
    return AnnotationSpec.builder(SuppressWarnings.class).addMember("value", value.build()).build();
  }
}
