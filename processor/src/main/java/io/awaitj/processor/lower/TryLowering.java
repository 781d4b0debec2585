package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.lang.model.element.TypeElement;
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
 * resumes what was interrupted (rethrows, returns through any enclosing finally, or jumps). When the
 * source has no return or jump out of the try ({@link #jumpsOut}), the record is one field, the
 * exception or null ({@link JumpStack.Finally#throwOnly}).
 *
 * <p>A {@code try}-with-resources is the same machinery, as the JLS defines it (14.20.3): each
 * resource is a try whose finally closes it, adding a close failure as suppressed to the block's
 * failure. An {@link io.awaitj.AsyncCloseable} resource is closed with an awaited {@code
 * closeAsync(failure)}; when the block ends with a {@code CancelledError} and the close throws
 * something else, the close's exception propagates, with the cancellation suppressed.
 */
final class TryLowering extends Rule {
  private static final ClassName THROWABLE = ClassName.get(Throwable.class);

  TryLowering(Parts parts) {
    super(parts);
  }

  void lower(TreePath path) {
    TryTree t = (TryTree) path.getLeaf();
    if (t.getResources().isEmpty()) {
      guarded(path, jumpsOut(path, t), t.getCatches(), () -> statements().statement(new TreePath(path, t.getBlock())),
          t.getFinallyBlock() == null ? null
              : fin -> statements().statement(new TreePath(path, t.getFinallyBlock())));
    } else if (t.getCatches().isEmpty() && t.getFinallyBlock() == null) {
      resources(path, t, 0);
    } else {
      // Extended try-with-resources: the resources are closed before catch and finally run.
      guarded(path, jumpsOut(path, t), t.getCatches(), () -> resources(path, t, 0),
          t.getFinallyBlock() == null ? null
              : fin -> statements().statement(new TreePath(path, t.getFinallyBlock())));
    }
  }

  /** Resource {@code i} and, inside its protection, the following ones and the block. */
  private void resources(TreePath path, TryTree t, int i) {
    if (i == t.getResources().size()) {
      statements().statement(new TreePath(path, t.getBlock()));
      return;
    }
    Tree resource = t.getResources().get(i);
    TreePath resourcePath = new TreePath(path, resource);
    machine.describe(resource);
    String field;
    TypeMirror type;
    if (resource instanceof VariableTree v) {
      VariableElement e = (VariableElement) source.trees.getElement(resourcePath);
      field = frame.promote(e);
      type = e.asType();
      TreePath init = new TreePath(resourcePath, v.getInitializer());
      machine.emitStatement("$L = $L", field, expressions().expr(init));
    } else {
      type = source.typeOf(resourcePath);
      field = frame.temporary("resource", source.typeNameOf(resourcePath));
      // A variable of an intersection type: the field has its first bound's type, maybe not the
      // AutoCloseable one; the close reads it through a cast to every bound. One that cannot be
      // cast to (a class bound with wildcards, which comes first) is closed through that bound, as
      // before: only the close reads this field.
      try {
        if (source.typeNames.intersection(type, source.types) != null) {
          frame.holds(field, type, resource, "this resource");
        }
      } catch (TypeNames.WildcardIntersection w) {
        // see above
      }
      machine.emitStatement("$L = $L", field, expressions().expr(resourcePath));
    }
    java.util.function.Function<String, CodeBlock> closeAsync = isAsyncCloseable(type)
        ? primary -> CodeBlock.of("$L.closeAsync($L)", frame.read(field), primary) : null;
    guarded(resourcePath, jumpsOut(path, t), List.of(), () -> resources(path, t, i + 1),
        fin -> close(fin, field, closeAsync, resource));
  }

  /**
   * {@code body} (an async for loop over the iterator in field {@code iterator}), closed as a resource
   * when it is left before the iterator is exhausted: {@code iterator.closeAsync()} is awaited on
   * {@code break}, {@code return}, a jump out, an exception or a cancellation, with the rules of an
   * async close; the loop sets the field to null when {@code hasNext()} answers false, which skips it.
   */
  void closingIterator(TreePath at, String iterator, Runnable body) {
    guarded(at, jumpsOut(at.getLeaf(), List.of(at)), List.of(), body,
        fin -> close(fin, iterator, primary -> CodeBlock.of("$L.closeAsync()", iterator), at.getLeaf()));
  }

  private boolean isAsyncCloseable(TypeMirror type) {
    TypeElement async = source.elements.getTypeElement(MachineContract.ASYNC_CLOSEABLE.canonicalName());
    if (async == null) {
      return false;
    }
    if (type instanceof javax.lang.model.type.IntersectionType both) {
      // The erasure of an intersection is its first bound's: AsyncCloseable may be another.
      return both.getBounds().stream().anyMatch(this::isAsyncCloseable);
    }
    if (type instanceof javax.lang.model.type.TypeVariable v) {
      return isAsyncCloseable(v.getUpperBound()); // T extends Kind & AsyncCloseable: erased to Kind
    }
    return source.types.isAssignable(source.types.erasure(type), source.types.erasure(async.asType()));
  }

  /**
   * The finally of one resource: close it, keeping Java's (and asyncio's) exception rules; {@code
   * closeAsync} makes the awaited close from the field of the primary exception, or is null for a
   * synchronous {@code close()}.
   */
  private void close(JumpStack.Finally fin, String resource,
      java.util.function.Function<String, CodeBlock> closeAsync, Tree at) {
    boolean async = closeAsync != null;
    // The exception the block ends with, or null: a throw-only finally's own field holds it.
    String primary = fin.value();
    if (!fin.throwOnly()) {
      primary = frame.temporary("primary", THROWABLE);
      machine.emitStatement("$L = $L == $L ? ($T) $L : null", primary, fin.kind(), JumpStack.Finally.THROW,
          THROWABLE, fin.value());
    }
    State closed = machine.newState(null);
    machine.emit(CodeBlock.builder()
        .beginControlFlow("if ($L == null)", resource)
        .add(MachineContract.jump(closed))
        .endControlFlow()
        .build());
    String suppressed = frame.localName("suppressed");
    if (!async) {
      machine.emit(CodeBlock.builder()
          .beginControlFlow("if ($L != null)", primary)
          .beginControlFlow("try")
          .addStatement("$L.close()", frame.read(resource))
          .nextControlFlow("catch ($T $L)", THROWABLE, suppressed)
          .addStatement("$L.addSuppressed($L)", primary, suppressed)
          .endControlFlow()
          .nextControlFlow("else")
          .addStatement("$L.close()", frame.read(resource))
          .endControlFlow()
          .build());
      machine.jump(closed);
    } else {
      State resumed = machine.newState(null);
      // The outcome through the fields: a close that fails at once is thrown in the try below, not
      // by the await (awaitNow would throw it there, outside that try).
      machine.emit(MachineContract.suspendThroughFields(resumed, closeAsync.apply(primary),
          frame.releaseWhileSuspended()));
      machine.jump(resumed);
      machine.enter(resumed);
      machine.describeResume(at, "closing ");
      // The close failed: with no exception from the block, that is thrown; else the cancellation
      // rule and the suppression are the runtime's (Coroutine.closeFailed$).
      machine.emit(CodeBlock.builder()
          .beginControlFlow("try")
          .add(MachineContract.resumeFromFields())
          .nextControlFlow("catch ($T $L)", THROWABLE, suppressed)
          .addStatement("$L = $L($L, $L)", fin.value(), MachineContract.CLOSE_FAILED, primary, suppressed)
          .endControlFlow()
          .build());
      machine.jump(closed);
    }
    machine.enter(closed);
    if (!fin.throwOnly()) {
      machine.emitStatement("$L = null", primary);
    }
  }

  /**
   * A try with these catch clauses around {@code body}, and a finally made by {@code finallyBody}
   * (none if null), which receives the record of why it was entered: only whether an exception
   * entered it unless {@code jumpsOut} (a return or a jump may leave the body).
   */
  private void guarded(TreePath path, boolean jumpsOut, List<? extends CatchTree> catches,
      Runnable protectedBody, Consumer<JumpStack.Finally> finallyBody) {
    Region outer = machine.region();
    State after = machine.newState(null);

    JumpStack.Finally fin = null;
    Region finallyRegion = null;
    if (finallyBody != null) {
      String kind = jumpsOut ? frame.temporary("finallyKind", TypeName.INT) : null;
      String value = jumpsOut ? frame.temporary("finallyValue", ClassName.OBJECT)
          : frame.temporary("finallyThrown", THROWABLE);
      if (!jumpsOut && inLoop(path)) {
        // Normal completion enters the block with the field null; a finally left by a throw of its
        // own (or a jump) may have left an exception there, before the loop comes back.
        machine.emitStatement("$L = null", value);
      }
      State entry = machine.newState(null);
      // (The jump target's field is made only if a jump enters the block.)
      fin = new JumpStack.Finally(kind, value, () -> frame.temporary("finallyTarget", TypeName.INT), entry,
          outer);
      // The handler runs in the catch: it cannot throw, so no state of the parent region need run it.
      finallyRegion = Region.inline(outer, entry, "finally");
      finallyRegion.comment = "an exception leaves the try: run the finally block";
      finallyRegion.inline = JumpStack.enterFinally(fin, JumpStack.Finally.THROW,
          CodeBlock.of("$N", MachineContract.THROWN), null);
    }

    Region catchParent = finallyRegion != null ? finallyRegion : outer;
    Region catchRegion = null;
    State dispatch = null;
    // The catch clauses' dispatch runs in the catch (inline) when it cannot throw into a region around
    // it: a finally takes what no clause catches, or no region is around the statement. Else it is a
    // state of the parent region, which its rethrow reaches through the parent's catch.
    boolean inline = fin != null || outer == null;
    if (!catches.isEmpty()) {
      if (inline) {
        catchRegion = Region.inline(catchParent, after, "catch");
      } else {
        catchRegion = new Region(catchParent, frame.temporary("caught", THROWABLE));
        machine.setRegion(catchParent);
        dispatch = machine.newState("an exception leaves the try: find its catch clause");
        catchRegion.handler = dispatch;
      }
    }

    // The try block.
    if (fin != null) {
      jumps.pushFinally(fin);
    }
    machine.setRegion(catchRegion != null ? catchRegion : finallyRegion);
    State tryStart = machine.newState(null);
    machine.jump(tryStart);
    machine.enter(tryStart);
    protectedBody.run();
    leaveNormally(fin, after);

    // The catch clauses.
    if (catchRegion != null) {
      machine.setRegion(catchParent);
      CodeBlock.Builder tested = CodeBlock.builder();
      String thrown = MachineContract.THROWN;
      if (!inline) {
        machine.enter(dispatch);
        thrown = frame.localName("thrown");
        machine.emitStatement("$T $L = $L", THROWABLE, thrown, catchRegion.exceptionField);
        machine.emitStatement("$L = null", catchRegion.exceptionField);
      } else {
        catchRegion.comment = "an exception leaves the try: find its catch clause";
      }
      List<State> bodies = new ArrayList<>();
      for (CatchTree c : catches) {
        TreePath catchPath = new TreePath(path, c);
        TreePath paramPath = new TreePath(catchPath, c.getParameter());
        VariableElement param = (VariableElement) source.trees.getElement(paramPath);
        TypeName fieldType = catchType(param, c);
        String field = frame.promoteAs(param, fieldType, catchBound(param, c), c.getParameter());
        State body = machine.newState(null);
        bodies.add(body);
        List<CodeBlock> tests = new ArrayList<>();
        TreePath typePath = new TreePath(paramPath, c.getParameter().getType());
        for (Tree alternative : alternatives(c)) {
          TreePath altPath = alternative == typePath.getLeaf() ? typePath : new TreePath(typePath, alternative);
          tests.add(CodeBlock.of("$L instanceof $L", thrown, verbatim.copy(altPath)));
        }
        tested.add(CodeBlock.builder()
            .beginControlFlow("if ($L)", CodeBlock.join(tests, " || "))
            .addStatement("$L = ($T) $L", field, fieldType, thrown)
            .add(MachineContract.jump(body))
            .endControlFlow()
            .build());
      }
      if (fin != null) {
        // (Inline, as a finally's catch clauses are: the finally's region's handler, which the table's
        // case for this region may fall through into.)
        catchRegion.then = finallyRegion;
      } else {
        tested.addStatement("throw $L", thrown);
      }
      if (inline) {
        catchRegion.inline = tested.build();
      } else {
        machine.close(tested.build());
      }
      for (int i = 0; i < catches.size(); i++) {
        CatchTree c = catches.get(i);
        machine.enter(bodies.get(i));
        machine.describe(c);
        statements().statement(new TreePath(new TreePath(path, c), c.getBlock()));
        leaveNormally(fin, after);
      }
    }
    if (fin != null) {
      jumps.popFinally();
    }

    // The finally block, and what it resumes.
    machine.setRegion(outer);
    if (fin != null) {
      machine.enter(fin.entry());
      finallyBody.accept(fin);
      if (!machine.isClosed()) {
        resume(fin, after);
      }
    }
    machine.enter(after);
  }

  /**
   * The end of a finally block: carry on with what it interrupted. Only the ways in that were made are
   * resumed (an exception always is: the handler enters the block so); the last, completing normally,
   * is the state's jump to {@code after}, which falls through into it where it is written next.
   */
  private void resume(JumpStack.Finally fin, State after) {
    CodeBlock.Builder resume = CodeBlock.builder();
    resume.add("// The finally block is done: carry on with what entered it.\n");
    if (fin.throwOnly()) {
      resume.beginControlFlow("if ($L != null)", fin.value())
          .addStatement("throw $L", fin.value())
          .endControlFlow();
      machine.emit(resume.build());
      machine.jump(after);
      return;
    }
    String thrown = frame.localName("thrown");
    resume.beginControlFlow("if ($L == $L)", fin.kind(), JumpStack.Finally.THROW)
        .addStatement("$T $L = ($T) $L", THROWABLE, thrown, THROWABLE, fin.value())
        .addStatement("$L = null", fin.value())
        .addStatement("throw $L", thrown)
        .endControlFlow();
    if (fin.entered(JumpStack.Finally.RETURN)) {
      resume.beginControlFlow("if ($L == $L)", fin.kind(), JumpStack.Finally.RETURN);
      JumpStack.Finally enclosing = jumps.innermostFinally();
      if (enclosing != null) {
        resume.add(JumpStack.enterFinally(enclosing, JumpStack.Finally.RETURN, CodeBlock.of("$L", fin.value()),
            null));
      } else {
        resume.add(MachineContract.complete(CodeBlock.of("$L", fin.value())));
      }
      resume.endControlFlow();
    }
    if (fin.entered(JumpStack.Finally.JUMP)) {
      resume.beginControlFlow("if ($L == $L)", fin.kind(), JumpStack.Finally.JUMP)
          .add(MachineContract.jump(fin.target()))
          .endControlFlow();
    }
    machine.emit(resume.build());
    machine.jump(after);
  }

  /** The end of the try block or of a catch clause, when reached. */
  private void leaveNormally(JumpStack.Finally fin, State after) {
    if (machine.isClosed()) {
      return;
    }
    if (fin != null) {
      machine.emit(JumpStack.enterFinallyWithoutJump(fin, JumpStack.Finally.NORMAL, null, null).build());
      machine.jump(fin.entry());
    } else {
      machine.jump(after);
    }
  }

  /**
   * Whether try statement {@code t} (at {@code path}) holds a return, or a break, continue or yield
   * that leaves it, in its block or its catch clauses (lambda and class bodies aside: their jumps are
   * their own). Read from the source before the statement is lowered, so that a finally none enters
   * takes one field (see {@link JumpStack.Finally#throwOnly}).
   */
  private static boolean jumpsOut(TreePath path, TryTree t) {
    List<TreePath> scanned = new ArrayList<>();
    scanned.add(new TreePath(path, t.getBlock()));
    for (CatchTree c : t.getCatches()) {
      scanned.add(new TreePath(new TreePath(path, c), c.getBlock()));
    }
    return jumpsOut(t, scanned);
  }

  /**
   * Whether the code at {@code scanned} holds a return, or a break, continue or yield whose target is
   * neither inside {@code boundary} nor {@code boundary} itself (an async for's own break and continue
   * stay inside the finally that closes its iterator: see LoopLowering).
   */
  private static boolean jumpsOut(Tree boundary, List<TreePath> scanned) {
    JumpsOut scan = new JumpsOut(boundary);
    for (TreePath p : scanned) {
      if (Boolean.TRUE.equals(scan.scan(p, null))) {
        return true;
      }
    }
    return false;
  }

  /** Finds a return, or a jump whose target is outside {@code boundary} (see {@link #jumpsOut(Tree, List)}). */
  private static final class JumpsOut extends com.sun.source.util.TreePathScanner<Boolean, Void> {
    private final Tree boundary;

    JumpsOut(Tree boundary) {
      this.boundary = boundary;
    }

    @Override
    public Boolean reduce(Boolean a, Boolean b) {
      return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
    }

    @Override
    public Boolean visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree t, Void v) {
      return false;
    }

    @Override
    public Boolean visitClass(com.sun.source.tree.ClassTree t, Void v) {
      return false;
    }

    @Override
    public Boolean visitReturn(com.sun.source.tree.ReturnTree t, Void v) {
      return true;
    }

    @Override
    public Boolean visitBreak(com.sun.source.tree.BreakTree t, Void v) {
      return !inside(t.getLabel(), false);
    }

    @Override
    public Boolean visitContinue(com.sun.source.tree.ContinueTree t, Void v) {
      return !inside(t.getLabel(), true);
    }

    @Override
    public Boolean visitYield(com.sun.source.tree.YieldTree t, Void v) {
      return !inside(null, false) || Boolean.TRUE.equals(super.visitYield(t, v));
    }

    /** Whether the target of the jump being visited (a yield's, if neither break nor continue) is inside. */
    private boolean inside(javax.lang.model.element.Name label, boolean isContinue) {
      boolean yield = getCurrentPath().getLeaf() instanceof com.sun.source.tree.YieldTree;
      for (TreePath p = getCurrentPath().getParentPath(); p != null; p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (yield ? leaf instanceof com.sun.source.tree.SwitchExpressionTree
            : label != null ? leaf instanceof com.sun.source.tree.LabeledStatementTree l && l.getLabel().equals(label)
            : JumpRewrites.isLoop(leaf) || !isContinue && leaf instanceof com.sun.source.tree.SwitchTree) {
          return true;
        }
        if (leaf == boundary) {
          return false;
        }
      }
      return false;
    }
  }

  /** Whether the statement at {@code path} is inside a loop of its body (so it may run again). */
  private static boolean inLoop(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof com.sun.source.tree.LambdaExpressionTree || leaf instanceof com.sun.source.tree.MethodTree
          || leaf instanceof com.sun.source.tree.ClassTree) {
        return false;
      }
      if (JumpRewrites.isLoop(leaf)) {
        return true;
      }
    }
    return false;
  }

  private TypeName catchType(VariableElement param, CatchTree c) {
    TypeName name = source.typeNames.denotable(catchBound(param, c));
    return name != null ? name : THROWABLE;
  }

  /**
   * The type the source reads catch parameter {@code param} as: for a multi-catch, the least upper
   * bound of its alternatives, an intersection if they share interfaces beside their class ({@code Fa
   * | Fb}, both {@code RuntimeException} and {@code Named}).
   */
  private TypeMirror catchBound(VariableElement param, CatchTree c) {
    return c.getParameter().getType() instanceof UnionTypeTree ? source.trees.getLub(c) : param.asType();
  }

  private static List<? extends Tree> alternatives(CatchTree c) {
    Tree type = c.getParameter().getType();
    if (type instanceof UnionTypeTree u) {
      return u.getTypeAlternatives();
    }
    return List.of(type);
  }
}
