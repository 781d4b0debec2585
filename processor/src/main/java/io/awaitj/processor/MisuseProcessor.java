package io.awaitj.processor;

import com.google.auto.service.AutoService;
import io.awaitj.processor.misuse.MisuseScanner;
import java.util.Set;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.TypeElement;

/**
 * Reports misuse of awaitj in ordinary code: {@code await} outside an {@code @Async} body, and calls
 * of static templates ({@code X.m(...)} where {@code XAsync.m(...)} was meant). It concerns every
 * compilation, including those that declare no {@code @Async} method, so it supports all annotation
 * types ({@code *}) and claims none; the work is done by {@link MisuseScanner} once javac has
 * analysed each class.
 */
@AutoService(Processor.class)
public final class MisuseProcessor extends JavacProcessor {
  private final MisuseScanner misuse = new MisuseScanner();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (trees != null) {
      try {
        misuse.round(processingEnv, trees, diagnostics, round);
      } catch (RuntimeException bug) {
        processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
            "awaitj: internal error in the misuse checks; please report it: " + bug);
      }
    }
    return false;
  }
}
