package io.awaitj.processor.emit;

import com.palantir.javapoet.JavaFile;

/**
 * A generated file and its text, rendered once: JavaPoet renders a file in two passes (one to choose
 * its imports, one to write it), so the text is made once and kept, both for sizing a machine's
 * {@code step()} ({@link MachineEmitter}) and for writing it.
 *
 * @param file the file as JavaPoet built it (its package, type name and originating elements)
 * @param text its source text
 */
public record Rendered(JavaFile file, String text) {
  /** Renders {@code file}. */
  public static Rendered of(JavaFile file) {
    return new Rendered(file, file.toString());
  }

  /** The simple name of the file's top-level class. */
  public String simpleName() {
    return file.typeSpec().name();
  }

  /** The qualified name of the file's top-level class. */
  public String qualifiedName() {
    return file.packageName().isEmpty() ? simpleName() : file.packageName() + "." + simpleName();
  }
}
