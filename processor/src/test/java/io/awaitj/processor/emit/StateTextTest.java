package io.awaitj.processor.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the emitter reads from a state's code as text: whether it declares a local at its top level
 * (its case then needs braces), and its stores to {@code state} (where the step's handler table
 * would read another state's number).
 */
class StateTextTest {
  @Test
  void declarationsAtTheTopLevelAreFound() {
    for (String code : List.of(
        "int x = 1;",
        "final int x;",
        "int a, b;",
        "java.util.List<String> xs = null;",
        "Map<String, List<Integer>> m = f();",
        "int[] a = {1, 2};",
        "int[][] a;",
        "var v = g();",
        "@SuppressWarnings(\"unchecked\") List<T> t = (List<T>) o;",
        "Throwable thrown$1 = caught$9;\ncaught$9 = null;",
        "class Local {}",
        "record R(int x) {}",
        "enum E { A }",
        "log.add(1);\n// a comment\nString s = \"x;\";",
        "if (a) {\n  f();\n}\nint y = 2;",
        "Foo.Bar<X>.Baz z = null;")) {
      assertEquals(true, TopLevelDeclarations.in(code), code);
    }
  }

  @Test
  void otherStatementsDeclareNothing() {
    for (String code : List.of(
        "",
        "x = 1;",
        "x += 1;\ny >>>= 2;\nz++;\n--w;",
        "this.x = y;\nself.f(a, b);",
        "a[i] = 3;\na[i][j] += 1;",
        "total = spill$2 + (this.<Integer>awaitedValue(awaited$));",
        "spill$10.add((this.<String>awaitedValue(awaited$)).length());",
        "if (!(i < n)) {\n  int inner = 1;\n  state = 6;\n  continue dispatch$;\n}",
        "for (int i = 0; i < n; i++) {\n  int x = i;\n}",
        "try {\n  int x = 1;\n} catch (Exception e) {\n  throw e;\n}",
        "return x;",
        "throw new IllegalStateException(\"int x = 1;\");",
        "new Thread(() -> { int y = 0; }).start();",
        "((Runnable) r).run();",
        "outer: while (true) {\n  break outer;\n}",
        "// int x = 1;\n/* int y = 2; */\nf();",
        "assert x > 0 : \"int x\";",
        "synchronized (lock) {\n  int held = 1;\n}",
        "Outer.this.x = 1;",
        "System.out.println('\\'');")) {
      assertEquals(false, TopLevelDeclarations.in(code), code);
    }
  }

  @Test
  void storesToStateAreFoundWithWhatFollowsThem() {
    assertEquals(new StateStores.Found(false, List.of()),
        StateStores.in("if (x) {\n  state = 3;\n  continue dispatch$;\n}\nf();"));
    assertEquals(new StateStores.Found(false, List.of(4)),
        StateStores.in("state = 4;\nemit$(value);\nreturn EMITTED;"));
    assertEquals(new StateStores.Found(false, Arrays.asList((Integer) null)),
        StateStores.in("state = finallyTarget$7;\nf();"));
    assertEquals(new StateStores.Found(false, List.of()),
        StateStores.in("if (state == 3) {\n  f();\n}\nother.state = 5;\ng();"));
    assertEquals(new StateStores.Found(true, List.of()),
        StateStores.in("try {\n  state = 5;\n  continue dispatch$;\n} finally {\n  g();\n}"));
    assertEquals(new StateStores.Found(true, List.of()),
        StateStores.in("try (var r = open()) {\n  f();\n} catch (E e) {\n  state = 5;\n  continue dispatch$;\n}"));
    assertEquals(new StateStores.Found(false, List.of()),
        StateStores.in("try {\n  r.close();\n} catch (Throwable s) {\n  p.addSuppressed(s);\n}\n"
            + "state = 5;\ncontinue dispatch$;"));
    assertEquals(new StateStores.Found(false, List.of()),
        StateStores.in("String s = \"state = 1; try {\";\n// state = 2;\nf();"));
  }

  /** (Moved from LoopLocalsTest, whose class no longer reads text.) */
  @Test
  void theTokensSkipCommentsAndLiterals() {
    assertEquals(List.of("x", "=", "\"", "+", "\"", ";", "y", "+=", "1.5e-3", ";", "z", ">>=", "0x1F", ";",
            "state", "==", "3"),
        JavaTokens.of("x = \"a = b\" + 'c'; /* d = e */ y += 1.5e-3; z >>= 0x1F; state == 3"));
  }
}
