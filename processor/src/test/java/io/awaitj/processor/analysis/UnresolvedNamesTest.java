package io.awaitj.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import com.sun.source.util.Trees;
import io.awaitj.processor.Compiled;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * {@link UnresolvedNames}, read in the first round of processing: the names that no class, import or
 * declaration makes a type yet, and none that one does (a name it reports wrongly would hold a valid
 * class back to the last round).
 */
class UnresolvedNamesTest {
  /** Reads the unresolved names of every file of the first round. */
  @SupportedAnnotationTypes("*")
  static final class Reader extends AbstractProcessor {
    final Map<String, List<String>> found = new TreeMap<>();

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      for (Element e : round.getRootElements()) {
        var unit = Trees.instance(processingEnv).getPath(e).getCompilationUnit();
        found.put(e.getSimpleName().toString(),
            UnresolvedNames.in(processingEnv.getElementUtils(), processingEnv.getElementUtils().getModuleOf(e),
                unit, 100));
      }
      return false;
    }
  }

  private static Map<String, List<String>> read(String... sources) {
    Reader reader = new Reader();
    Compiler.javac().withProcessors(reader).withOptions("-proc:only")
        .withClasspath(Compiled.classpath())
        .compile(java.util.Arrays.stream(sources)
            .map(s -> JavaFileObjects.forSourceString(Compiled.qualifiedName(s), s)).toList());
    return reader.found;
  }

  @Test
  void namesThatResolveAndNamesThatDoNot() {
    Map<String, List<String>> found = read("""
        package un;

        import java.util.*;
        import java.util.concurrent.ConcurrentHashMap;
        import java.util.Map.Entry;
        import static java.util.concurrent.TimeUnit.SECONDS;
        import static java.lang.Thread.State.*;
        import static java.util.AbstractMap.SimpleEntry;

        public abstract class Uses<T> extends Base implements Comparable<Uses<T>> {
          static final Object LOCK = new Object();

          interface Shape {}

          <R extends Number> R f(T t, Object o) {
            class Local implements Shape {}
            record Pair(int a) {}
            List<Entry<String, Local>> l = new ArrayList<>();
            Map<String, Pair> m = new ConcurrentHashMap<>();
            var v = new SimpleEntry<>("k", 1);
            Runnable r = Local::new;
            java.util.function.Function<String, String> id = s -> s;
            Object c = String.class;
            Inherited i = null;
            Nested n = new Nested();
            LOG.append("x");
            SECONDS.toMillis(1);
            NEW.name();
            Helper.help();
            Outer.Inner oi = null;
            Object a = new Object() { Inherited again; };
            synchronized (LOCK) { LOCK.notify(); }
            return null;
          }

          Object g(Object o) {
            Missing a = new MissingToo();
            List<MissingArgument> b = null;
            Object c = (MissingCast) o;
            Object d = MissingLiteral.class;
            java.util.function.Supplier<Object> e = MissingConstructor::new;
            MissingQualifier.call();
            class L extends MissingSuper {}
            if (o instanceof MissingInstanceOf x) {
              return x;
            }
            return new MissingArray[0];
          }

          static class Nested {}
        }
        """, """
        package un;

        public abstract class Base {
          protected final StringBuilder LOG = new StringBuilder();

          public static class Inherited {}
        }
        """, """
        package un;

        public class Helper {
          static void help() {}
        }

        class Outer {
          static class Inner {}
        }
        """);
    assertEquals(new java.util.TreeSet<>(List.of("Missing", "MissingToo", "MissingArgument",
        "MissingCast", "MissingLiteral", "MissingConstructor", "MissingQualifier", "MissingSuper",
        "MissingInstanceOf", "MissingArray")), new java.util.TreeSet<>(found.get("Uses")));
    assertEquals(List.of(), found.get("Base"));
    assertEquals(List.of(), found.get("Helper"));
  }
}
