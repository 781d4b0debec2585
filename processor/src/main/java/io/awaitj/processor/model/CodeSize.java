package io.awaitj.processor.model;

import com.palantir.javapoet.CodeBlock;

/**
 * How large generated code may grow before the JVM's limit of 64 KB of bytecode per method is near:
 * the estimate of a piece of code's size, and the two sizes that keep a machine's methods under the
 * limit. A state grown past {@link #cut} at the end of a statement goes on in a new state (see {@code
 * StatementLowering}); a machine whose states add up to more than {@link #part} has its {@code step()}
 * split into parts of at most that size (see {@code StepParts}).
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
    return estimate(text, 0, text.length(), Integer.MAX_VALUE);
  }

  /**
   * Whether the estimated size of {@code text} from {@code from} to {@code to} exceeds {@code limit}
   * (read no further than needed to tell).
   */
  public static boolean exceeds(CharSequence text, int from, int to, int limit) {
    return to - from > limit && estimate(text, from, to, limit) > limit;
  }

  private static int estimate(CharSequence text, int from, int to, int limit) {
    int size = 0;
    boolean lineStart = true;
    for (int i = from; i < to && size <= limit; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        lineStart = true;
      } else if (!Character.isWhitespace(c)) {
        if (lineStart && c == '/' && i + 1 < to && text.charAt(i + 1) == '/') {
          while (i + 1 < to && text.charAt(i + 1) != '\n') {
            i++;
          }
          continue;
        }
        lineStart = false;
        size++;
      }
    }
    return size;
  }
}
