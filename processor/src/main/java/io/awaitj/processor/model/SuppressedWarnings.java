package io.awaitj.processor.model;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The warnings an element's {@code @SuppressWarnings} names, read from its annotation mirror: an
 * annotation javac reports as broken ({@code @SuppressWarnings(io = "x")}) names none, where the
 * reflective {@code getAnnotation(...).value()} would throw inside the processor.
 */
public final class SuppressedWarnings {
  private SuppressedWarnings() {}

  /** The names in {@code e}'s {@code @SuppressWarnings}, in order; empty if it has none. */
  public static List<String> of(Element e) {
    List<String> names = new ArrayList<>();
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (!((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals("java.lang.SuppressWarnings")) {
        continue;
      }
      for (var entry : a.getElementValues().entrySet()) {
        ExecutableElement element = entry.getKey();
        if (element.getSimpleName().contentEquals("value")) {
          collect(entry.getValue(), names);
        }
      }
    }
    return names;
  }

  private static void collect(AnnotationValue v, List<String> names) {
    Object value = v.getValue();
    if (value instanceof String s) {
      names.add(s);
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof AnnotationValue av) {
          collect(av, names);
        }
      }
    }
  }
}
