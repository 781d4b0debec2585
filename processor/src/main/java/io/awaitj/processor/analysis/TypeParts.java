package io.awaitj.processor.analysis;

import java.util.function.Predicate;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Searches a type and the types it is made of: an array's element, type arguments, intersection
 * bounds, a union's alternatives.
 */
public final class TypeParts {
  private TypeParts() {}

  /**
   * Whether {@code t} is a type variable javac made by capturing a wildcard ({@code capture#1 of ?
   * extends Number}): one no source can name.
   */
  public static boolean isCapture(TypeMirror t) {
    return t instanceof javax.lang.model.type.TypeVariable v && (v.toString().startsWith("capture#")
        || v.asElement().getSimpleName().toString().contains("captured"));
  }

  /** The first part of {@code t} (itself first) that {@code test} accepts, or null. */
  public static TypeMirror find(TypeMirror t, Predicate<TypeMirror> test) {
    if (t.getKind() == TypeKind.INTERSECTION) {
      // javac models an intersection as a synthetic class: only its bounds are types of the source.
      for (TypeMirror bound : ((IntersectionType) t).getBounds()) {
        TypeMirror found = find(bound, test);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (t.getKind() == TypeKind.UNION) {
      // A multi-catch parameter's type: javac models it as the class of the alternatives' least upper
      // bound, a synthetic class (without a name, as an anonymous one) when that is an intersection;
      // only the alternatives are types of the source.
      for (TypeMirror alternative : ((javax.lang.model.type.UnionType) t).getAlternatives()) {
        TypeMirror found = find(alternative, test);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (test.test(t)) {
      return t;
    }
    if (t instanceof ArrayType a) {
      return find(a.getComponentType(), test);
    }
    if (t instanceof javax.lang.model.type.WildcardType w) {
      TypeMirror bound = w.getExtendsBound() != null ? w.getExtendsBound() : w.getSuperBound();
      return bound == null ? null : find(bound, test);
    }
    if (t instanceof DeclaredType d) {
      for (TypeMirror arg : d.getTypeArguments()) {
        TypeMirror found = find(arg, test);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The first class of nesting kind {@code kind} that {@code t} names, or null. */
  public static TypeElement classOfKind(TypeMirror t, NestingKind kind) {
    TypeMirror found = find(t, m -> m instanceof DeclaredType d
        && ((TypeElement) d.asElement()).getNestingKind() == kind);
    return found == null ? null : (TypeElement) ((DeclaredType) found).asElement();
  }

  /** Whether {@code t} names a type javac could not resolve. */
  public static boolean isErroneous(TypeMirror t) {
    return find(t, m -> m.getKind() == TypeKind.ERROR) != null;
  }
}
