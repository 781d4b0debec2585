package io.awaitj.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The estimate of generated code's size: what it counts and what it leaves out. */
class CodeSizeTest {
  @Test
  void countsCharactersThatAreNotBlanks() {
    assertEquals("total=spill$2+1;".length(), CodeSize.estimate("    total = spill$2 + 1;\n"));
  }

  @Test
  void leavesOutALineComment() {
    assertEquals("x++;".length(), CodeSize.estimate("    // Demo.java:12: x++;\n    x++;\n"));
  }

  /** A state's source line is written on its {@code case} line: it is a comment, not code. */
  @Test
  void leavesOutTheCommentOfACaseLabel() {
    assertEquals("case3:".length(), CodeSize.estimate("    case 3: // Demo.java:12: resumes after await(f(\"a\"))\n"));
    assertEquals("case12:{".length(), CodeSize.estimate("    case 12: { // Demo.java:12: while (x) {\n"));
    assertEquals("case3:x++;".length(), CodeSize.estimate("case 3: // Demo.java:12: x++;\nx++;\n"));
  }

  /** After other code {@code //} may be in a string: what follows is counted. */
  @Test
  void countsWhatFollowsSlashesAfterOtherCode() {
    assertEquals("s=\"http://x\";".length(), CodeSize.estimate("    s = \"http://x\";\n"));
    assertEquals("f();//tail".length(), CodeSize.estimate("    f(); // tail\n"));
    assertEquals("x=\"case1:\";//y".length(), CodeSize.estimate("x = \"case 1:\"; // y\n"));
    assertEquals("mycase1://z".length(), CodeSize.estimate("mycase 1: // z\n"));
  }

  /** Prefixes agree with the estimate wherever a range between two trees starts or ends: outside comments. */
  @Test
  void prefixesAgreeWithTheEstimateOutsideComments() {
    String text = "case 3: // a\n  x = \"//\";\n  y++;\n";
    int[] prefixes = CodeSize.prefixes(text);
    for (int i = 0; i <= text.length(); i++) {
      if (i == 0 || text.charAt(i - 1) == '\n' || i > text.indexOf('x')) {
        assertEquals(CodeSize.estimate(text.substring(0, i)), prefixes[i], "at " + i);
      }
    }
    assertEquals(CodeSize.estimate(text), prefixes[text.length()]);
  }
}
