package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import javax.lang.model.element.Element;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;

/** What {@link Verbatim} asks of the machine being built, answered by the parts that know. */
final class CopyContext implements Verbatim.Context {
  private final Parts parts;

  CopyContext(Parts parts) {
    this.parts = parts;
  }

  @Override
  public String fieldOf(Element local) {
    return parts.frame.fieldOf(local);
  }

  @Override
  public CodeBlock read(String field) {
    return parts.frame.read(field);
  }

  @Override
  public String self() {
    return parts.frame.self();
  }

  @Override
  public CodeBlock breakOut(Tree at, Name label) {
    return block(parts.jumps.breakCode(at, label));
  }

  @Override
  public CodeBlock continueOut(Tree at, Name label) {
    return block(parts.jumps.continueCode(at, label));
  }

  @Override
  public CodeBlock yieldOut(Tree at, CodeBlock value) {
    return block(parts.jumps.yieldCode(value));
  }

  @Override
  public CodeBlock returnOut(Tree at, CodeBlock value) {
    CodeBlock code = parts.jumps.returnWith(value);
    return parts.jumps.innermostFinally() == null ? code : block(code);
  }

  /** Statements as one block, to stand where the copied code had one statement. */
  private static CodeBlock block(CodeBlock statements) {
    return CodeBlock.builder().add("{\n").indent().add(statements).unindent().add("}").build();
  }

  @Override
  public CodeBlock bindPattern(CodeBlock value, CodeBlock type, String field) {
    return parts.expressions.bindPattern(value, type, field);
  }

  @Override
  public void unsupported(Tree tree, String message) {
    parts.source.unsupported(tree, message);
  }

  @Override
  public RuntimeException erroneous() {
    return parts.source.erroneous();
  }

  @Override
  public TypeElement userType() {
    return parts.source.userType;
  }

  @Override
  public CodeBlock resourceAlias(Element local, String field) {
    return parts.frame.resourceAlias(local, field);
  }

  @Override
  public boolean isAsyncLambda(Tree lambda) {
    return parts.source.analysis.isAsyncLambda(lambda);
  }

  /** Lowers an async lambda into a machine of its own; see {@link AsyncLambdaLowering}. */
  @Override
  public CodeBlock asyncLambda(TreePath path) {
    return new AsyncLambdaLowering(parts).lower(path);
  }

  @Override
  public PrivateAccess privateAccess() {
    return parts.privateAccess;
  }

  @Override
  public String captured(Element local, String field) {
    return parts.frame.captured(local, field);
  }

  @Override
  public String assertionsEnabled() {
    return parts.frame.assertionsEnabled();
  }

  @Override
  public boolean isMemberLocalClass(TypeElement t) {
    return parts.localClasses.isMember(t);
  }

  @Override
  public CodeBlock hoistedCapture(Element e) {
    return parts.localClasses.hoistedCapture(e);
  }

  @Override
  public boolean isDeclaredInBody(TypeElement t) {
    return parts.localClasses.isDeclaredInBody(t);
  }
}
