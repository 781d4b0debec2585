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
 * types ({@code *}); the work is done by {@link MisuseScanner} once javac has analysed each class.
 * It claims the annotations of the rounds that hold only awaitj's own classes: their {@code
 * @Generated}, which {@code -Xlint:processing} (part of {@code -Xlint:all}) would otherwise report as
 * claimed by no processor, and {@code java.lang}'s.
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
    return claimsOwnGenerated(annotations, round);
  }

  /**
   * Whether to claim the round's annotations: those of a round of awaitj's own classes only (the
   * rounds that compile what it generated), whose one annotation outside {@code java.lang} is
   * {@code @Generated}.
   */
  private static boolean claimsOwnGenerated(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (round.getRootElements().isEmpty()) {
      return false;
    }
    for (javax.lang.model.element.Element e : round.getRootElements()) {
      if (!(e instanceof TypeElement t) || !MisuseScanner.isGeneratedByAwaitj(t)) {
        return false;
      }
    }
    for (TypeElement a : annotations) {
      String name = a.getQualifiedName().toString();
      if (!name.equals(io.awaitj.processor.model.MachineContract.GENERATED) && !name.startsWith("java.lang.")) {
        return false;
      }
    }
    return true;
  }
}
