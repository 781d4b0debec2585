package io.awaitj.processor.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.palantir.javapoet.TypeName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which fields a loop turning in its head's case holds in locals ({@link LoopLocals}), read from its text. */
class LoopLocalsTest {
  private static final Map<String, TypeName> FIELDS = new LinkedHashMap<>();

  static {
    for (String f : new String[] {"a", "b", "c", "d", "e"}) {
      FIELDS.put(f, TypeName.INT);
    }
  }

  /** The locals of {@code code}: each name, with "=" after it when written. */
  private static String locals(String code) {
    return LoopLocals.of(code, FIELDS).stream().map(l -> l.name() + (l.written() ? "=" : ""))
        .collect(Collectors.joining(" "));
  }

  @Test
  void namesReadAndWritten() {
    assertEquals("a= b c= d= e", locals("a = b + 1; c++; --d; if (e.x()) { f(); } // a b c\n a++;"));
    assertEquals("a= b=", locals("(a) = 1; b += \"c = 1\".length(); a--;"));
    // Assigned and never read: stays a field.
    assertEquals("c", locals("a = null; b = c; d = null;"));
    assertEquals("a b", locals("x[a] = b; s.c = 2; d(1); s::e;"));
    assertEquals("a", locals("b: while (a > 0) { break b; }"));
  }

  @Test
  void aNameThatMayBeDeclaredOrIsReadThroughThisStaysAField() {
    assertEquals("c=", locals("int a = 1; List<String> b = null; c++;"));
    assertEquals("c", locals("for (int i = 0, a = 1; i < c; i++) {} long x = 1, b = 2;"));
    assertEquals("b=", locals("a += 1; this.a = 2; b += 3;"));
    assertEquals("b=", locals("if (x instanceof Foo a) { b += a; }"));
    assertEquals("b=", locals("try { b(); b++; } catch (RuntimeException a) { }"));
    assertEquals("a", locals("f(a, b); int[] b = null;"));
  }

  @Test
  void codeWithALambdaOrAClassOfItsOwnHoldsNoLocal() {
    assertEquals("", locals("a += 1; run(() -> b);"));
    assertEquals("", locals("a += 1; switch (b) { case 1 -> c++; default -> {} }"));
    assertEquals("", locals("a += 1; new Object() { int b; };"));
    assertEquals("a b c d e", locals("a += new int[] {b}[0]; new StringBuilder(c).append(d); e.class.getName();")
        .replace("=", ""));
  }

  @Test
  void theTokensSkipCommentsAndLiterals() {
    assertEquals(List.of("x", "=", "\"", "+", "\"", ";", "y", "+=", "1.5e-3", ";", "z", ">>=", "0x1F", ";",
            "state", "==", "3"),
        JavaTokens.of("x = \"a = b\" + 'c'; /* d = e */ y += 1.5e-3; z >>= 0x1F; state == 3"));
  }
}
