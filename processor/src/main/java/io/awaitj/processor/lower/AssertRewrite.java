package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.AssertTree;
import com.sun.source.util.TreePath;

/**
 * {@code assert} in copied code: it must follow the assertion status of the user's class, not the
 * machine's (which {@code -ea:the.UserClass} does not enable), so it becomes a test of the machine's
 * flag for that status.
 */
final class AssertRewrite {
  private AssertRewrite() {}

  static void rewrite(AssertTree node, CopyScan scan) {
    TreePath path = scan.getCurrentPath();
    TreePath cond = new TreePath(path, node.getCondition());
    // Braced: an assert may be the branch of an if with an else.
    CodeBlock check = CodeBlock.of("{ if ($L && !($L)) { throw new $T($L); } }",
        scan.context.assertionsEnabled(), scan.copy(cond), AssertionError.class,
        node.getDetail() == null ? "" : scan.copy(new TreePath(path, node.getDetail())));
    scan.replace(node, check);
  }
}
