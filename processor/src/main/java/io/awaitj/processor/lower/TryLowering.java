package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.util.TreePath;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * A {@code try} statement that contains an await.
 *
 * <p>The try block's states form a protected region whose handler is a catch dispatch: it tests the
 * exception against each catch clause in order, stores it in the clause's parameter and jumps to the
 * clause's states; if none matches it rethrows (into the enclosing region). With a {@code finally},
 * the try block and the catch clauses form an outer region whose handler enters the finally states
 * recording "throw". Every way out of the region enters the finally the same way, recording why:
 * normal completion, a thrown exception, a return value, or a jump target; at its end the finally
 * resumes what was interrupted (rethrows, returns through any enclosing finally, or jumps).
 */
final class TryLowering {
  private static final ClassName THROWABLE = ClassName.get(Throwable.class);

  private final Lowerer l;

  TryLowering(Lowerer lowerer) {
    this.l = lowerer;
  }

  void lower(TreePath path) {
    TryTree t = (TryTree) path.getLeaf();
    if (!t.getResources().isEmpty()) {
      l.unsupported(t, "await in a try-with-resources is not supported yet: close the resource in"
          + " a finally block");
      return;
    }
    Region outer = l.region;
    State after = l.newState(null);

    Lowerer.Finally fin = null;
    Region finallyRegion = null;
    if (t.getFinallyBlock() != null) {
      String kind = l.temporary("finallyKind", TypeName.INT);
      String value = l.temporary("finallyValue", ClassName.OBJECT);
      String target = l.temporary("finallyTarget", TypeName.INT);
      State entry = l.newState(null);
      finallyRegion = new Region(outer, l.temporary("thrown", THROWABLE));
      State handler = l.newState("an exception leaves the try: run the finally block");
      handler.code.addStatement("$L = $L", kind, Lowerer.Finally.THROW);
      handler.code.addStatement("$L = $L", value, finallyRegion.exceptionField);
      handler.code.addStatement("$L = null", finallyRegion.exceptionField);
      handler.code.add(Lowerer.jumpCode(entry));
      handler.closed = true;
      finallyRegion.handler = handler.id;
      fin = new Lowerer.Finally(kind, value, target, entry, outer);
    }

    Region catchParent = finallyRegion != null ? finallyRegion : outer;
    Region catchRegion = null;
    State dispatch = null;
    if (!t.getCatches().isEmpty()) {
      catchRegion = new Region(catchParent, l.temporary("caught", THROWABLE));
      l.region = catchParent;
      dispatch = l.newState("an exception leaves the try: find its catch clause");
      catchRegion.handler = dispatch.id;
    }

    // The try block.
    if (fin != null) {
      l.finallys.push(fin);
    }
    l.region = catchRegion != null ? catchRegion : finallyRegion;
    State tryStart = l.newState(null);
    l.jump(tryStart);
    l.enter(tryStart);
    l.describe(t.getBlock());
    l.statement(new TreePath(path, t.getBlock()));
    leaveNormally(fin, after);

    // The catch clauses.
    if (dispatch != null) {
      l.region = catchParent;
      l.enter(dispatch);
      String thrown = l.localName("thrown");
      l.emitStatement("$T $L = $L", THROWABLE, thrown, catchRegion.exceptionField);
      l.emitStatement("$L = null", catchRegion.exceptionField);
      List<State> bodies = new ArrayList<>();
      for (CatchTree c : t.getCatches()) {
        TreePath catchPath = new TreePath(path, c);
        TreePath paramPath = new TreePath(catchPath, c.getParameter());
        VariableElement param = (VariableElement) l.trees.getElement(paramPath);
        String field = promoteCatchParameter(param, c);
        State body = l.newState(null);
        bodies.add(body);
        List<CodeBlock> tests = new ArrayList<>();
        TreePath typePath = new TreePath(paramPath, c.getParameter().getType());
        for (Tree alternative : alternatives(c)) {
          TreePath altPath = alternative == typePath.getLeaf() ? typePath : new TreePath(typePath, alternative);
          tests.add(CodeBlock.of("$L instanceof $L", thrown, l.verbatim.copy(altPath)));
        }
        TypeName fieldType = catchType(param, c);
        l.emit(CodeBlock.builder()
            .beginControlFlow("if ($L)", CodeBlock.join(tests, " || "))
            .addStatement("$L = ($T) $L", field, fieldType, thrown)
            .add(Lowerer.jumpCode(body))
            .endControlFlow()
            .build());
      }
      if (fin != null) {
        l.close(Lowerer.enterFinally(fin, Lowerer.Finally.THROW, CodeBlock.of("$L", thrown), null));
      } else {
        l.close(CodeBlock.builder().addStatement("throw $L", thrown).build());
      }
      for (int i = 0; i < t.getCatches().size(); i++) {
        CatchTree c = t.getCatches().get(i);
        l.enter(bodies.get(i));
        l.describe(c);
        l.statement(new TreePath(new TreePath(path, c), c.getBlock()));
        leaveNormally(fin, after);
      }
    }
    if (fin != null) {
      l.finallys.pop();
    }

    // The finally block, and what it resumes.
    l.region = outer;
    if (fin != null) {
      l.enter(fin.entry);
      l.describe(t.getFinallyBlock());
      l.statement(new TreePath(path, t.getFinallyBlock()));
      if (!l.current.closed) {
        CodeBlock.Builder resume = CodeBlock.builder();
        String thrown = l.localName("thrown");
        resume.beginControlFlow("if ($L == $L)", fin.kind, Lowerer.Finally.THROW)
            .addStatement("$T $L = ($T) $L", THROWABLE, thrown, THROWABLE, fin.value)
            .addStatement("$L = null", fin.value)
            .addStatement("throw $L", thrown)
            .endControlFlow();
        resume.beginControlFlow("if ($L == $L)", fin.kind, Lowerer.Finally.RETURN);
        Lowerer.Finally enclosing = l.finallys.peek();
        if (enclosing != null) {
          resume.add(Lowerer.enterFinally(enclosing, Lowerer.Finally.RETURN, CodeBlock.of("$L", fin.value), null));
        } else {
          resume.addStatement("return $L", fin.value);
        }
        resume.endControlFlow();
        resume.beginControlFlow("if ($L == $L)", fin.kind, Lowerer.Finally.JUMP)
            .addStatement("state = $L", fin.target)
            .addStatement("continue $L", Lowerer.DISPATCH)
            .endControlFlow();
        resume.add(Lowerer.jumpCode(after));
        l.close(resume.build());
      }
    }
    l.enter(after);
  }

  /** The end of the try block or of a catch clause, when reached. */
  private void leaveNormally(Lowerer.Finally fin, State after) {
    if (l.current.closed) {
      return;
    }
    if (fin != null) {
      l.close(Lowerer.enterFinally(fin, Lowerer.Finally.NORMAL, null, null));
    } else {
      l.jump(after);
    }
  }

  private String promoteCatchParameter(VariableElement param, CatchTree c) {
    return l.promoteAs(param, catchType(param, c));
  }

  private TypeName catchType(VariableElement param, CatchTree c) {
    TypeMirror type = c.getParameter().getType() instanceof UnionTypeTree ? l.trees.getLub(c) : param.asType();
    TypeName name = TypeNames.denotable(type);
    return name != null ? name : THROWABLE;
  }

  private static List<? extends Tree> alternatives(CatchTree c) {
    Tree type = c.getParameter().getType();
    if (type instanceof UnionTypeTree u) {
      return u.getTypeAlternatives();
    }
    return List.of(type);
  }
}
