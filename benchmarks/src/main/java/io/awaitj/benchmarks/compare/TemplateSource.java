package io.awaitj.benchmarks.compare;

/**
 * The source of the javac scenario: an abstract class with {@code methods} {@code @Async} methods of
 * the usual kinds (a loop with awaits in both branches of an {@code if}, a {@code try}/{@code
 * catch}/{@code finally} around an await, a {@code while} whose condition's body awaits, a {@code
 * switch}), each awaiting the one before it, about 21 lines a method: 50 methods make about 1,100
 * lines. Without the processor it is plain Java that javac compiles as it is (the template is never
 * run); with it javac also compiles the generated {@code GeneratedAsync}.
 */
final class TemplateSource {
  private TemplateSource() {}

  static final String PACKAGE = "gen";
  static final String CLASS = "Generated";

  static String generate(int methods) {
    StringBuilder b = new StringBuilder();
    b.append("package ").append(PACKAGE).append(";\n\n")
        .append("import static io.awaitj.Aio.await;\n")
        .append("import static io.awaitj.Aio.done;\n\n")
        .append("import io.awaitj.Aio;\n")
        .append("import io.awaitj.Async;\n")
        .append("import io.awaitj.Coroutine;\n")
        .append("import java.util.List;\n\n")
        .append("public abstract class ").append(CLASS).append(" {\n")
        .append("  @Async\n")
        .append("  Coroutine<Integer> one() {\n")
        .append("    await(Aio.sleep(0));\n")
        .append("    return done(1);\n")
        .append("  }\n\n")
        .append("  @Async\n")
        .append("  Coroutine<String> label(int n) {\n")
        .append("    if (n < 0) {\n")
        .append("      throw new IllegalStateException(\"negative\");\n")
        .append("    }\n")
        .append("    return done(\"n\" + n);\n")
        .append("  }\n");
    for (int m = 0; m < methods; m++) {
      String previous = m == 0 ? "one()" : "step" + (m - 1) + "(i % 4, log)";
      b.append('\n')
          .append("  @Async\n")
          .append("  Coroutine<Integer> step").append(m).append("(int n, List<Integer> log) {\n")
          .append("    int total = ").append(m).append(";\n")
          .append("    for (int i = 0; i < n; i++) {\n")
          .append("      if (i % 3 == 0) {\n")
          .append("        total += await(").append(previous).append(");\n")
          .append("      } else {\n")
          .append("        total += i * await(one());\n")
          .append("      }\n")
          .append("    }\n")
          .append("    try {\n")
          .append("      log.add(await(label(total - 3)).length());\n")
          .append("    } catch (IllegalStateException e) {\n")
          .append("      log.add(-1);\n")
          .append("    } finally {\n")
          .append("      log.add(").append(m).append(");\n")
          .append("    }\n")
          .append("    while (total > 100) {\n")
          .append("      total = total / 2 + await(one());\n")
          .append("    }\n")
          .append("    return done(total % 3 == 0 ? total + await(one()) : total - 1);\n")
          .append("  }\n");
    }
    return b.append("}\n").toString();
  }
}
