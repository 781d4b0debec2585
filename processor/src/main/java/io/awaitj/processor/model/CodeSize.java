package io.awaitj.processor.model;

import com.palantir.javapoet.CodeBlock;

/**
 * How large generated code may grow before the JVM's limit of 64 KB of bytecode per method is near:
 * the estimate of a piece of code's size, and the two sizes that keep a machine's methods under the
 * limit. A state grown past {@link #cut} at the end of a statement goes on in a new state (see {@code
 * StatementLowering}); a machine whose states add up to more than {@link #part} has its {@code step()}
 * split into parts of at most that size (see {@code StepParts}). Whether they might is first read from
 * the machine's whole file as written (type names imported, see {@code MachineEmitter}), which spares
 * estimating each state of the many machines far below the limit.
 *
 * <p>The estimate is the number of characters of the generated source that are not blanks or in a
 * line comment. Measured on the machines of the construct tests and of 200 fuzzer programs, one state
 * per method: a state's bytecode took a median of 0.32 bytes per such character and at most 1.03 with
 * javac 17 (0.35 and 1.09 with javac 25, on the construct tests); the densest code there is,
 * increments of fields with one-letter names ({@code a++;}: 10 bytes for 4 characters), takes 2.5. {@link #DEFAULT_PART} characters are so at most 50 KB
 * of bytecode, and about 6 KB for usual code, which HotSpot compiles (it leaves methods over 8,000
 * bytes of bytecode to the interpreter).
 *
 * @param part the largest estimated size of {@code step()} kept in one method, and of each part
 * @param cut the estimated size past which a state is cut at the end of a statement
 */
public record CodeSize(int part, int cut) {
  /** The default {@link #part}, in estimated characters. */
  public static final int DEFAULT_PART = 20_000;

  /** The sizes for a part size of {@code part}: states are cut at two fifths of it. */
  public static CodeSize of(int part) {
    return new CodeSize(part, part / 5 * 2);
  }

  /** The defaults. */
  public static CodeSize defaults() {
    return of(DEFAULT_PART);
  }

  /** The estimated size of {@code code}: its characters that are not blanks or in a line comment. */
  public static int estimate(CodeBlock code) {
    return estimate(code.toString());
  }

  /** The estimated size of generated source {@code text} (see {@link #estimate(CodeBlock)}). */
  public static int estimate(CharSequence text) {
    return scan(text, null);
  }

  /**
   * The estimated sizes of the beginnings of {@code text}: element {@code i} is the estimate of its
   * first {@code i} characters, so that one of a range between two trees (which start and end
   * outside comments) is a difference.
   */
  public static int[] prefixes(CharSequence text) {
    int[] out = new int[text.length() + 1];
    scan(text, out);
    return out;
  }

  /** The estimated size of {@code text}, and of each of its beginnings in {@code prefixes} if not null. */
  private static int scan(CharSequence text, int[] prefixes) {
    int size = 0;
    boolean comment = false;
    int lineSize = 0; // the line's characters counted so far (none: at its start)
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        comment = false;
        lineSize = 0;
      } else if (!comment && !Character.isWhitespace(c)) {
        if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/'
            && (lineSize == 0 || isCaseLabel(text, i, lineSize))) {
          comment = true;
        } else {
          size++;
          lineSize++;
        }
      }
      if (prefixes != null) {
        prefixes[i + 1] = size;
      }
    }
    return size;
  }

  /**
   * Whether the line before position {@code i}, whose characters that are not blanks number {@code
   * counted}, is a {@code case} label of the dispatch ({@code case 12:}, or the same and an opening
   * brace), whose comment (the state's source line) follows on the same line. After other code,
   * what follows {@code //} is counted: it may be in a string.
   */
  private static boolean isCaseLabel(CharSequence text, int i, int counted) {
    int j = i - 1;
    while (j >= 0 && text.charAt(j) == ' ') {
      j--;
    }
    boolean brace = j >= 0 && text.charAt(j) == '{';
    if (brace) {
      j--;
      while (j >= 0 && text.charAt(j) == ' ') {
        j--;
      }
    }
    if (j < 0 || text.charAt(j) != ':') {
      return false;
    }
    int digits = j;
    while (digits > 0 && Character.isDigit(text.charAt(digits - 1))) {
      digits--;
    }
    if (digits == j || digits < 5 || !"case ".contentEquals(text.subSequence(digits - 5, digits))) {
      return false;
    }
    // Nothing before it on the line: the line's counted characters are the label's own.
    return counted == "case".length() + (j - digits) + 1 + (brace ? 1 : 0);
  }
}
