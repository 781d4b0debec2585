package io.awaitj.processor;

import com.sun.source.util.Trees;
import io.awaitj.processor.diagnostics.Diagnostics;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.SourceVersion;

/**
 * What awaitj's two processors share: javac's Trees API (null when the compiler is not javac, which
 * awaitj needs), the error funnel, and support for every source version javac offers.
 */
abstract class JavacProcessor extends AbstractProcessor {
  /** javac's Trees API, or null when the compiler in use is not javac. */
  Trees trees;
  Diagnostics diagnostics;

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    trees = Diagnostics.javacTrees(env);
    diagnostics = new Diagnostics(env.getMessager(), trees);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }
}
