package io.awaitj.processor.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How the mutation fuzzer's seeds taken from text blocks are named ({@link Seeds#memberAt}). */
class SeedsTest {
  private static final String TEST_CLASS = String.join("\n",
      "class SomeTest {",
      "  static final String BASE = \"\"\"",
      "      class Base {}",
      "      \"\"\";",
      "",
      "  @Test",
      "  void first() {",
      "    String a = \"\"\"",
      "        class A {",
      "          void inner() {}",
      "        }",
      "        \"\"\";",
      "  }",
      "",
      "  private static Compiled helper(String s) {",
      "    return compile(\"\"\"",
      "        class B {}",
      "        \"\"\");",
      "  }",
      "}");

  private static String memberOf(String marker) {
    return Seeds.memberAt(TEST_CLASS, TEST_CLASS.indexOf(marker));
  }

  @Test
  void aBlockIsNamedAfterTheMemberThatHoldsItNotItsPositionInTheFile() {
    // (by position, a test added above a block left out in Seeds.NOT_SEEDS renamed it, and the
    // mutation fuzzer's first run failed on a seed that was meant to be left out)
    assertEquals("BASE", memberOf("class Base"));
    assertEquals("first", memberOf("class A"));
    assertEquals("first", memberOf("void inner")); // lines of the block itself are not members
    assertEquals("helper", memberOf("class B {}"));
  }
}
