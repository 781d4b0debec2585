package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.model.MachineContract;
import javax.lang.model.element.Name;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Loops that contain an await. Each becomes a condition state, the states of its body, and an exit
 * state; {@code continue} jumps to the condition (or the update of a {@code for}), {@code break} to
 * the exit. A loop needs a fixed number of states however often it runs.
 */
final class LoopLowering extends Rule {
  LoopLowering(Parts parts) {
    super(parts);
  }

  void lower(TreePath path, Name label) {
    switch (path.getLeaf().getKind()) {
      case WHILE_LOOP:
        whileLoop(path, (WhileLoopTree) path.getLeaf(), label);
        return;
      case DO_WHILE_LOOP:
        doWhile(path, (DoWhileLoopTree) path.getLeaf(), label);
        return;
      case FOR_LOOP:
        forLoop(path, (ForLoopTree) path.getLeaf(), label);
        return;
      default:
        forEach(path, (EnhancedForLoopTree) path.getLeaf(), label);
    }
  }

  private void whileLoop(TreePath path, WhileLoopTree w, Name label) {
    MachineBuilder.Loop loop = machine.openLoop();
    State cond = machine.newState(null);
    State exit = machine.newState(null);
    machine.jump(cond);
    machine.enter(cond);
    machine.describe(w);
    exitUnless(expressions().expr(new TreePath(path, w.getCondition())), exit);
    body(path, w.getStatement(), label, exit, cond);
    machine.jump(cond);
    close(loop, path, w.getCondition(), w.getStatement());
    machine.enter(exit);
  }

  private void doWhile(TreePath path, DoWhileLoopTree d, Name label) {
    MachineBuilder.Loop loop = machine.openLoop();
    State body = machine.newState(null);
    State cond = machine.newState(null);
    State exit = machine.newState(null);
    machine.jump(body);
    machine.enter(body);
    machine.describe(d);
    body(path, d.getStatement(), label, exit, cond);
    machine.jump(cond);
    machine.enter(cond);
    machine.describe(d.getCondition());
    // Leaves when the condition is false, else jumps back to the body: the back edge is the state's
    // own jump, so that the loop runs inline in the body's case while its awaits complete at once
    // (see emit.LoopCases).
    exitUnless(expressions().expr(new TreePath(path, d.getCondition())), exit);
    machine.jump(body);
    close(loop, path, d.getStatement(), d.getCondition());
    machine.enter(exit);
  }

  private void forLoop(TreePath path, ForLoopTree f, Name label) {
    for (StatementTree init : f.getInitializer()) {
      if (init instanceof ExpressionStatementTree e) {
        // An expression statement without its semicolon, as in the update.
        TreePath initPath = new TreePath(new TreePath(path, e), e.getExpression());
        if (source.analysis.containsAwait(e)) {
          expressions().asStatement(initPath);
        } else {
          machine.emitStatement("$L", verbatim.copy(initPath));
        }
      } else {
        statements().statement(new TreePath(path, init));
      }
    }
    // (The initializer runs before the loop: what it reads and declares is not the loop's.)
    MachineBuilder.Loop loop = machine.openLoop();
    State cond = machine.newState(null);
    State update = machine.newState(null);
    State exit = machine.newState(null);
    machine.jump(cond);
    machine.enter(cond);
    machine.describe(f);
    if (f.getCondition() != null) {
      exitUnless(expressions().expr(new TreePath(path, f.getCondition())), exit);
    }
    body(path, f.getStatement(), label, exit, update);
    machine.jump(update);
    machine.enter(update);
    for (ExpressionStatementTree u : f.getUpdate()) {
      // An update is an expression statement without its semicolon.
      TreePath updatePath = new TreePath(new TreePath(path, u), u.getExpression());
      if (source.analysis.containsAwait(u)) {
        expressions().asStatement(updatePath);
      } else {
        machine.emitStatement("$L", verbatim.copy(updatePath));
      }
    }
    machine.jump(cond);
    java.util.List<com.sun.source.tree.Tree> parts = new java.util.ArrayList<>(f.getUpdate());
    parts.add(f.getStatement());
    if (f.getCondition() != null) {
      parts.add(f.getCondition());
    }
    close(loop, path, parts.toArray(new com.sun.source.tree.Tree[0]));
    machine.enter(exit);
  }

  private void forEach(TreePath path, EnhancedForLoopTree f, Name label) {
    TreePath exprPath = new TreePath(path, f.getExpression());
    TreePath varPath = new TreePath(path, f.getVariable());
    VariableElement var = (VariableElement) source.trees.getElement(varPath);
    String element = frame.promote(var);
    TypeMirror iterated = source.typeOf(exprPath);
    CodeBlock iterable = expressions().expr(exprPath);
    State exit = machine.newState(null);
    State cond;
    MachineBuilder.Loop loop;
    if (iterated.getKind() == TypeKind.ARRAY) {
      // (The iterable is evaluated before the loop: what it reads is not the loop's. The array and its
      // index, or the iterator, are taken in the loop: its head reads them.)
      loop = machine.openLoop();
      cond = machine.newState(null);
      String array = frame.temporary("array", source.typeNameOf(exprPath));
      String index = frame.temporary("index", TypeName.INT);
      machine.emitStatement("$L = $L", array, iterable);
      machine.emitStatement("$L = 0", index);
      enterHead(cond, f);
      exitWhen(CodeBlock.of("$L >= $L.length", index, array), exit, element,
          CodeBlock.of("$L[$L++]", array, index), null);
    } else {
      // An Iterable, or an AsyncIterable (async for: each step awaits the next element).
      boolean async = isAsyncIterable(iterated);
      TypeName elementType = source.typeNames.denotable(var.asType());
      if (elementType == null) {
        throw source.abort(f.getVariable(), "cannot determine the element type of this loop");
      }
      ClassName iteratorClass = async ? MachineContract.ASYNC_ITERATOR : ClassName.get("java.util", "Iterator");
      loop = async ? null : machine.openLoop();
      String iterator = frame.temporary(async ? "asyncIterator" : "iterator",
          ParameterizedTypeName.get(iteratorClass, WildcardTypeName.subtypeOf(elementType.box())));
      machine.emitStatement("$L = $L.$L()", iterator, ExpressionLowering.paren(iterable),
          async ? "asyncIterator" : "iterator");
      if (async) {
        // Left before the end (break, return, a jump out, an exception, a cancellation), the loop
        // awaits the iterator's closeAsync(), as a try-with-resources would: a generator's finally
        // blocks run. Exhausted, it sets the iterator to null, and nothing is closed.
        // Each element is one await (Coroutine.awaitNext): a generator's body is resumed directly
        // until its next emit, and its value handed over; another iterator is asked hasNext().
        new TryLowering(parts).closingIterator(path, iterator, () -> {
          // The loop is what runs in the region (the close after it is not), and its head reads the
          // iterator.
          MachineBuilder.Loop inRegion = machine.openLoop();
          inRegion.read(iterator);
          // The head is made here, in the protected region, as every state of the loop is: an
          // exception thrown at awaitNext (another iterator's hasNext()) closes the iterator too, and
          // the loop's states share one handler (see emit.LoopCases).
          State head = machine.newState(null);
          enterHead(head, f);
          State resume = machine.newState(null);
          machine.suspendNext(resume, iterator, frame.releaseWhileSuspended());
          machine.enter(resume);
          machine.describeResume(f, "");
          String next = frame.localName("next");
          machine.emitStatement("$T $L = $L", Object.class, next, MachineContract.resumeNext(iterator));
          exitWhen(MachineContract.exhausted(next), exit, element,
              MachineContract.element(elementType.box(), next), iterator);
          body(path, f.getStatement(), label, exit, head);
          machine.jump(head);
          close(inRegion, path, f.getVariable(), f.getStatement());
          machine.enter(exit);
        });
        return;
      }
      cond = machine.newState(null);
      enterHead(cond, f);
      exitWhen(CodeBlock.of("!$L.hasNext()", iterator), exit, element, CodeBlock.of("$L.next()", iterator), null);
    }
    body(path, f.getStatement(), label, exit, cond);
    machine.jump(cond);
    close(loop, path, f.getVariable(), f.getStatement());
    machine.enter(exit);
  }

  /**
   * Ends the lowering of {@code loop}, whose code is lowered from {@code parts} of the loop at {@code
   * path} (its condition, update and body; for an enhanced for, its variable and body): records what
   * that code does with the machine's fields ({@link LoopFields}), from the source and the frame.
   */
  private void close(MachineBuilder.Loop loop, TreePath path, com.sun.source.tree.Tree... parts) {
    java.util.Set<String> read = new java.util.LinkedHashSet<>();
    java.util.Set<String> declared = new java.util.HashSet<>();
    com.sun.source.util.TreePathScanner<Void, Void> scan = new com.sun.source.util.TreePathScanner<>() {
      /** How many anonymous class bodies are around the tree scanned (their members' locals are their own). */
      private int classes;

      @Override
      public Void visitClass(com.sun.source.tree.ClassTree node, Void p) {
        if (!(getCurrentPath().getParentPath().getLeaf() instanceof com.sun.source.tree.NewClassTree)) {
          return null; // a local class: a member of the machine (LocalClasses), not in the loop's code
        }
        classes++;
        try {
          return super.visitClass(node, p);
        } finally {
          classes--;
        }
      }

      @Override
      public Void visitVariable(com.sun.source.tree.VariableTree node, Void p) {
        if (classes == 0 && frame.fieldOf(source.trees.getElement(getCurrentPath())) == null) {
          declared.add(node.getName().toString()); // a Java local of the step (a lambda's too)
        }
        return super.visitVariable(node, p);
      }

      @Override
      public Void visitIdentifier(com.sun.source.tree.IdentifierTree node, Void p) {
        javax.lang.model.element.Element e = source.trees.getElement(getCurrentPath());
        String field = e instanceof VariableElement ? frame.fieldOf(e) : null;
        if (field != null && !assignedOnly(getCurrentPath())) {
          read.add(field);
        }
        return null;
      }
    };
    for (com.sun.source.tree.Tree part : parts) {
      scan.scan(new TreePath(path, part), null);
    }
    read.addAll(loop.read);
    machine.closeLoop(loop, new LoopFields(loop.number, read, declared));
  }

  /** Whether the variable named at {@code name} is assigned there, not read: {@code x = ...}, {@code (x) = ...}. */
  private static boolean assignedOnly(TreePath name) {
    TreePath p = name;
    while (p.getParentPath().getLeaf() instanceof com.sun.source.tree.ParenthesizedTree) {
      p = p.getParentPath();
    }
    return p.getParentPath().getLeaf() instanceof com.sun.source.tree.AssignmentTree a
        && a.getVariable() == p.getLeaf();
  }

  /** Jumps to the head state {@code cond} of a loop and starts filling it. */
  private void enterHead(State cond, EnhancedForLoopTree f) {
    machine.jump(cond);
    machine.enter(cond);
    machine.describe(f);
  }

  /**
   * Leaves the loop when {@code done} (clearing {@code exhausted}, the field of an async iterator,
   * unless null: nothing to close); else takes the next element.
   */
  private void exitWhen(CodeBlock done, State exit, String element, CodeBlock next, String exhausted) {
    CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("if ($L)", done);
    if (exhausted != null) {
      b.addStatement("$L = null", exhausted);
    }
    machine.emit(b
        .add(MachineContract.jump(exit))
        .endControlFlow()
        .addStatement("$L = $L", element, next)
        .build());
  }

  private boolean isAsyncIterable(TypeMirror t) {
    javax.lang.model.element.TypeElement async = source.elements.getTypeElement(MachineContract.ASYNC_ITERABLE.canonicalName());
    return async != null && source.types.isAssignable(source.types.erasure(t), source.types.erasure(async.asType()));
  }

  private void exitUnless(CodeBlock condition, State exit) {
    machine.emit(CodeBlock.builder()
        .beginControlFlow("if (!$L)", ExpressionLowering.paren(condition))
        .add(MachineContract.jump(exit))
        .endControlFlow()
        .build());
  }

  private void body(TreePath loop, StatementTree body, Name label, State exit, State next) {
    jumps.pushTarget(label, true, false, exit, next);
    try {
      statements().statement(new TreePath(loop, body));
    } finally {
      jumps.popTarget();
    }
  }
}
