package io.awaitj.processor.misuse;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.awaitj.processor.model.MachineContract;
import io.awaitj.processor.model.SuppressedWarnings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Warnings for the classic mistakes of async code, each a lesson of the asyncio tutorials, on the
 * user's line with what to write instead, each suppressible with its {@code @SuppressWarnings} key
 * (or {@code "all"}) on an enclosing declaration:
 *
 * <ul>
 *   <li>{@value #UNAWAITED}: a coroutine made and thrown away ({@code Aio.sleep(100);}, a call of an
 *       {@code @Async} method as a statement), which never runs; anywhere.
 *   <li>{@value #BLOCKING}: a call known to block the thread ({@code Thread.sleep}, {@code
 *       Future.get}, {@code Lock.lock}, blocking reads...) in an {@code @Async} body, where it
 *       stops the whole loop; not inside its lambdas and classes (which may run on other threads,
 *       as {@code Aio.toThread} does).
 *   <li>{@value #SERIAL}: {@code await(Aio.createTask(c))} as a statement of a loop in an {@code
 *       @Async} body: each task is awaited before the next is created, so they run one after
 *       another.
 * </ul>
 */
final class AsyncMistakes {
  static final String UNAWAITED = "awaitj-unawaited";
  static final String BLOCKING = "awaitj-blocking";
  static final String SERIAL = "awaitj-serial";

  /** A blocking method: the type that declares it (or a supertype of it), its names, the advice. */
  private record Blocking(String type, Set<String> names, String instead) {}

  private static final String TO_THREAD = "run it on a thread with await(Aio.toThread(() -> ...))";
  private static final String STREAMS = "for a socket or a file, use io.awaitj.io's streams"
      + " (Aio.openConnection, AsyncFiles); otherwise " + TO_THREAD;
  private static final List<Blocking> BLOCKING_CALLS = List.of(
      new Blocking("java.lang.Thread", Set.of("sleep"), "await(Aio.sleep(...)) pauses this coroutine only"),
      new Blocking("java.lang.Thread", Set.of("join"), TO_THREAD),
      new Blocking("java.lang.Object", Set.of("wait"), "wait for an io.awaitj.sync.Event or Condition"),
      new Blocking("java.util.concurrent.CompletableFuture", Set.of("get", "join"),
          "await(future) waits without blocking (a CompletableFuture is a CompletionStage)"),
      new Blocking("java.util.concurrent.Future", Set.of("get"), TO_THREAD),
      new Blocking("java.util.concurrent.CountDownLatch", Set.of("await"), TO_THREAD),
      new Blocking("java.util.concurrent.CyclicBarrier", Set.of("await"), "use io.awaitj.sync.Barrier"),
      new Blocking("java.util.concurrent.Semaphore", Set.of("acquire", "acquireUninterruptibly"),
          "use io.awaitj.sync.Semaphore"),
      new Blocking("java.util.concurrent.locks.Lock", Set.of("lock", "lockInterruptibly"),
          "use io.awaitj.sync.Lock"),
      new Blocking("java.util.concurrent.BlockingQueue", Set.of("take", "put"), "use io.awaitj.sync.Queue"),
      new Blocking("java.net.http.HttpClient", Set.of("send"),
          "await(client.sendAsync(...)) waits without blocking"),
      new Blocking("java.lang.Process", Set.of("waitFor"), TO_THREAD),
      new Blocking("java.io.InputStream", Set.of("read", "readAllBytes", "readNBytes"), STREAMS),
      new Blocking("java.io.Reader", Set.of("read"), STREAMS),
      new Blocking("java.io.BufferedReader", Set.of("readLine"), STREAMS),
      new Blocking("java.nio.file.Files", Set.of("readAllBytes", "readString", "readAllLines", "lines",
          "write", "writeString"), "use io.awaitj.io.AsyncFiles (await(AsyncFiles.readString(path)),"
              + " for (String line : AsyncFiles.lines(path)), ...), or " + TO_THREAD),
      new Blocking("java.nio.file.Files", Set.of("copy"), TO_THREAD));

  /** Streams and readers over memory, which never block. */
  private static final Set<String> IN_MEMORY = Set.of("java.io.ByteArrayInputStream",
      "java.io.StringReader", "java.io.CharArrayReader");

  private final Trees trees;
  private final Types types;
  private final Elements elements;
  private final CompilationUnitTree unit;

  AsyncMistakes(Trees trees, Types types, Elements elements, CompilationUnitTree unit) {
    this.trees = trees;
    this.types = types;
    this.elements = elements;
    this.unit = unit;
  }

  /** An expression statement anywhere: a coroutine it makes and drops never runs. */
  void statement(TreePath path, ExpressionStatementTree s) {
    ExpressionTree e = s.getExpression();
    if (!(e instanceof MethodInvocationTree) && e.getKind() != Tree.Kind.NEW_CLASS) {
      return;
    }
    TypeMirror t = trees.getTypeMirror(new TreePath(path, e));
    if (t == null || t.getKind() != TypeKind.DECLARED) {
      return;
    }
    if (isSubtype(t, MachineContract.COROUTINE.canonicalName())) {
      warn(path, UNAWAITED, "this coroutine is never run: a coroutine does nothing until it is awaited"
          + " or scheduled, and its result is dropped here. Write await(...) around it in an @Async"
          + " method, Aio.createTask(...) to run it concurrently, or Aio.run(...) from ordinary code");
    } else if (isSubtype(t, MachineContract.ASYNC_GENERATOR.canonicalName())
        && !MisuseScanner.isAioMethod(trees.getElement(new TreePath(path, e)), "finish")) {
      // (finish() as a statement is an error of its own, MisuseScanner's)
      warn(path, UNAWAITED, "this async generator is never run: a generator does nothing until it is"
          + " iterated, and it is dropped here. Iterate it with for (T x : ...) in an @Async method,"
          + " or read it with an operator's terminal (Flows.from(...).toList(), count(), ...)");
    }
  }

  /**
   * Whether {@code t}'s erasure is a subtype of the type called {@code name} (looked up once per class
   * scanned: a lookup by name is not free, and this runs on every expression statement).
   */
  private boolean isSubtype(TypeMirror t, String name) {
    TypeElement type = lookedUp.computeIfAbsent(name, n -> Optional.ofNullable(elements.getTypeElement(n)))
        .orElse(null);
    return type != null && types.isSubtype(types.erasure(t), types.erasure(type.asType()));
  }

  private final Map<String, Optional<TypeElement>> lookedUp = new HashMap<>();

  /**
   * Whether {@code m} is a method of {@code listed} or overrides one: a method that only shares its
   * name (a static {@code Aio.wait} in a class that is, like every class, an {@code Object}) is not
   * the blocking call.
   */
  private boolean isOrOverrides(ExecutableElement m, TypeElement listed, TypeElement owner) {
    for (javax.lang.model.element.Element e : listed.getEnclosedElements()) {
      if (e instanceof ExecutableElement lm && lm.getSimpleName().equals(m.getSimpleName())
          && (lm.equals(m) || elements.overrides(m, lm, owner))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A call directly in an {@code @Async} body (not in its lambdas or classes). The method's name is
   * compared first: most calls block nothing, and looking the listed types up for each (some, such as
   * {@code java.net.http.HttpClient}, in modules the compilation may not read) is what cost time.
   */
  void callInAsyncBody(TreePath path) {
    if (!(trees.getElement(path) instanceof ExecutableElement m)
        || !(m.getEnclosingElement() instanceof TypeElement owner)) {
      return;
    }
    String name = m.getSimpleName().toString();
    for (Blocking b : BLOCKING_CALLS) {
      if (!b.names().contains(name)) {
        continue;
      }
      TypeElement listed = elements.getTypeElement(b.type());
      if (listed != null
          && types.isSubtype(types.erasure(owner.asType()), types.erasure(listed.asType()))
          && isOrOverrides(m, listed, owner)
          && !isInMemory(receiverType(path, owner))) {
        warn(path, BLOCKING, owner.getSimpleName() + "." + m.getSimpleName() + " blocks the thread,"
            + " and so the event loop and every task on it, in an @Async method: " + b.instead());
        return;
      }
    }
  }

  /** A statement of a loop's body in an {@code @Async} body (not in its lambdas or classes). */
  void loopStatement(TreePath path) {
    Tree s = path.getLeaf();
    ExpressionTree value = s instanceof ExpressionStatementTree e ? e.getExpression()
        : s instanceof VariableTree v ? v.getInitializer() : null;
    if (value instanceof AssignmentTree a) {
      value = a.getExpression();
    } else if (value instanceof CompoundAssignmentTree a) {
      value = a.getExpression();
    }
    if (isAioCall(path, value, "await")
        && isAioCall(path, ((MethodInvocationTree) value).getArguments().get(0), "createTask")) {
      warn(path, SERIAL, "await(Aio.createTask(...)) in a loop waits for each task before the loop"
          + " creates the next, so they run one after another: create the tasks first (a list of"
          + " Aio.createTask(...)) and then await them (await(Aio.gather(...))); if one after another"
          + " is meant, await the coroutine itself");
    }
  }

  /** Whether {@code path} is a statement of the body of a loop (directly, or in its block). */
  static boolean isLoopStatement(TreePath path) {
    TreePath parent = path.getParentPath();
    if (parent != null && parent.getLeaf() instanceof BlockTree && parent.getParentPath() != null) {
      parent = parent.getParentPath();
    }
    Tree loop = parent == null ? null : parent.getLeaf();
    Tree body = loop instanceof ForLoopTree f ? f.getStatement()
        : loop instanceof EnhancedForLoopTree f ? f.getStatement()
        : loop instanceof WhileLoopTree w ? w.getStatement()
        : loop instanceof DoWhileLoopTree d ? d.getStatement() : null;
    return body != null && (body == path.getLeaf() || body == path.getParentPath().getLeaf());
  }

  /** Whether {@code e}, in the statement at {@code statement}, is a call of {@code Aio.name(x)}. */
  private boolean isAioCall(TreePath statement, ExpressionTree e, String name) {
    while (e instanceof ParenthesizedTree p) {
      e = p.getExpression();
    }
    if (!(e instanceof MethodInvocationTree call) || call.getArguments().size() != 1) {
      return false;
    }
    // (Found under the statement's own path: a search from the compilation unit's root would scan
    // the whole file for each statement.)
    TreePath callPath = TreePath.getPath(statement, call);
    Element m = callPath == null ? null : trees.getElement(callPath);
    return m instanceof ExecutableElement && m.getSimpleName().contentEquals(name)
        && m.getEnclosingElement() instanceof TypeElement t
        && t.getQualifiedName().contentEquals(MachineContract.AIO);
  }

  /** The static type of the call's receiver, if it has one written. */
  private TypeMirror receiverType(TreePath call, TypeElement owner) {
    ExpressionTree select = ((MethodInvocationTree) call.getLeaf()).getMethodSelect();
    if (select instanceof com.sun.source.tree.MemberSelectTree s) {
      return trees.getTypeMirror(new TreePath(new TreePath(call, select), s.getExpression()));
    }
    return owner.asType();
  }

  private boolean isInMemory(TypeMirror t) {
    if (t == null || t.getKind() != TypeKind.DECLARED) {
      return false;
    }
    for (String name : IN_MEMORY) {
      TypeElement memory = elements.getTypeElement(name);
      if (memory != null && types.isSubtype(types.erasure(t), types.erasure(memory.asType()))) {
        return true;
      }
    }
    return false;
  }

  private void warn(TreePath at, String key, String message) {
    for (TreePath p = at; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof VariableTree || leaf instanceof com.sun.source.tree.MethodTree
          || leaf instanceof com.sun.source.tree.ClassTree) {
        Element e = trees.getElement(p);
        if (e != null) {
          List<String> suppressed = SuppressedWarnings.of(e);
          if (suppressed.contains(key) || suppressed.contains("all")) {
            return;
          }
        }
      }
    }
    trees.printMessage(Diagnostic.Kind.WARNING,
        "[" + key + "] " + message + " (@SuppressWarnings(\"" + key + "\") if it is meant)", at.getLeaf(),
        unit);
  }
}
