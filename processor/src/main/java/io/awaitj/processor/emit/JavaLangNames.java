package io.awaitj.processor.emit;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Which simple names are names of {@code java.lang} types, asked for one compilation (one processor
 * instance holds one, and every emitter of that compilation shares it): the generated files do not
 * import {@code java.lang} (a line per type in every file), so where a type of the user's package
 * has the name of a {@code java.lang} type and hides it, they write that type in full.
 *
 * <p>Each name is looked up once, in java.base only: listing java.lang's members instead makes javac
 * read every class file of java.lang, and a look-up without the module searches every module for a
 * name that is in none.
 */
public final class JavaLangNames {
  private final Elements elements;
  /** Whether java.lang has a type of each simple name asked so far. */
  private final Map<String, Boolean> known = new HashMap<>();
  /** java.base, found on the first look-up; null also for a release before modules. */
  private ModuleElement javaBase;
  private boolean javaBaseLooked;

  /** Looks names up through javac's {@code elements} of the compilation. */
  public JavaLangNames(Elements elements) {
    this.elements = elements;
  }

  /** The simple names of the types of {@code x}'s package that are also names of java.lang types. */
  String[] hiddenIn(TypeElement x) {
    Set<String> names = new TreeSet<>();
    for (Element t : elements.getPackageOf(x).getEnclosedElements()) {
      String n = t.getSimpleName().toString(); // (a package holds types only)
      if (known.computeIfAbsent(n, this::inJavaLang)) {
        names.add(n);
      }
    }
    return names.toArray(new String[0]);
  }

  private boolean inJavaLang(String name) {
    if (!javaBaseLooked) {
      javaBase = elements.getModuleElement("java.base");
      javaBaseLooked = true;
    }
    return (javaBase == null ? elements.getTypeElement("java.lang." + name)
        : elements.getTypeElement(javaBase, "java.lang." + name)) != null;
  }
}
