package io.awaitj.processor.emit;

import com.palantir.javapoet.JavaFile;

/**
 * A generated file and its text, rendered once: JavaPoet renders a file in two passes (one to choose
 * its imports, one to write it), so the text is made once and kept, both for sizing a machine's
 * {@code step()} ({@link MachineEmitter}) and for writing it. The text keeps the top-level class's
 * fields together: JavaPoet separates every member by a blank line, which for a machine's fields
 * (one per local that lives across an await) is a blank line per field.
 *
 * @param file the file as JavaPoet built it (its package, type name and originating elements)
 * @param text its source text
 */
public record Rendered(JavaFile file, String text) {
  /** Renders {@code file}. */
  public static Rendered of(JavaFile file) {
    return new Rendered(file, groupFields(file.toString()));
  }

  /**
   * {@code text} without the blank lines between two fields of its top-level class: a blank line is
   * dropped where the line before it and the line after it are each a whole declaration at the
   * class's member indentation (four spaces, not starting a comment or an annotation, ending in
   * {@code ;}). Code inside methods is indented further, so no other line is touched.
   */
  static String groupFields(String text) {
    String[] lines = text.split("\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty() && i > 0 && i + 1 < lines.length && isMemberDeclaration(lines[i - 1])
          && isMemberDeclaration(lines[i + 1])) {
        continue;
      }
      out.append(lines[i]);
      if (i + 1 < lines.length) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** Whether {@code line} is a one-line declaration of a member of the top-level class. */
  private static boolean isMemberDeclaration(String line) {
    return line.length() > 5 && line.startsWith("    ") && line.charAt(4) != ' ' && line.endsWith(";")
        && !line.startsWith("/", 4) && !line.startsWith("*", 4) && !line.startsWith("@", 4);
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
