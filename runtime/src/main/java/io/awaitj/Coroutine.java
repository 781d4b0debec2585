package io.awaitj;

import java.util.concurrent.CompletionStage;

/**
 * A lazy, single-use computation that may suspend: what an {@link Async} method returns, and the base
 * class of the state machines the awaitj processor generates.
 *
 * <p>Like a Python coroutine object, a {@code Coroutine} does nothing until it is awaited (inline, inside
 * the awaiting task) or wrapped in a {@link Task} ({@link Aio#createTask}, {@link Aio#run}). It can be
 * started once; awaiting it a second time throws {@link IllegalStateException}.
 *
 * <h2>The contract with generated code</h2>
 *
 * A state machine is a subclass that implements one method, {@link #step()}, and keeps what it needs
 * across suspensions in fields:
 *
 * <ul>
 *   <li>{@link #state} is the resume label: {@code 0} on the first call, afterwards whatever the
 *       machine stored before it suspended. While the machine runs, only the machine writes it; the
 *       runtime writes it once, when the machine has finished: {@code -1}, a label no machine stores,
 *       so that a finished machine stepped again by mistake fails in {@link #illegalState()} instead
 *       of running again. The runtime reads it only for that exception's message.
 *   <li>Locals that are live across an await are fields of the subclass ("spilled"), typed exactly, so
 *       primitives are not boxed.
 *   <li>To await {@code a}, the machine stores the label to resume at, then calls {@link
 *       #suspendOn(Awaitable)}. If that returns {@code true} the machine returns {@link #SUSPEND} at
 *       once; it will be called again, at that label, when the result is in. If it returns {@code false}
 *       the result is already in (a completed {@link Promise}, or a coroutine that ran to its end inline)
 *       and the machine continues without leaving {@code step()}: no suspension, no allocation, no trip
 *       through the loop.
 *   <li>At the resume label the machine calls {@link #awaitResult()}, which returns the awaited value
 *       or throws the awaited failure (a {@link CancelledError} when the task was cancelled while
 *       waiting). Throwing at that exact place lets the machine's own {@code try} blocks, emitted around
 *       the resume point, catch it as the source's {@code try} would.
 *   <li>The processor's machines use the faster pair {@link #awaitNow(Awaitable)} and {@link
 *       #awaitedValue(Object)}, which hands a value that is already there to the resume label in a Java
 *       local instead of this object's fields: {@code awaitNow} returns the value itself or {@link
 *       #SUSPEND} (return it); a failure that is already there it throws itself, at the await, where
 *       {@link #state} already holds the resume label, so the machine's {@code try} blocks catch it as
 *       they would at the label (no code of the body with an effect runs between the two: what the
 *       label's statement evaluates before the value are copies made before the await). The machine
 *       keeps what it returned in a local of {@code step()} that starts as {@link #SUSPEND}, and at
 *       the resume label calls {@code awaitedValue(local)}, which returns the value it is given, or,
 *       for {@link #SUSPEND} (the machine was stepped again after a suspension), does what {@link
 *       #awaitResult()} does. Nothing is stored, nothing boxed escapes, and one sentinel is compared,
 *       on the path that does not suspend.
 *   <li>An async for ({@code for (T x : iterable)} over an {@link AsyncIterable}) awaits each element
 *       with the pair {@link #awaitNext(AsyncIterator)} and {@link #nextOf(Object, AsyncIterator)},
 *       the same shape with the element (or {@link #EXHAUSTED}) as the value: the iterator of an {@link
 *       Async} generator is advanced directly, its body resumed inline until its next emit, without a
 *       {@code hasNext()} coroutine, and its value handed over without a field of the generator
 *       between; any other iterator is awaited through {@code hasNext()} and {@code next()}.
 *   <li>To finish, {@code step()} returns the result value ({@code null} for {@code Void}) or throws.
 * </ul>
 *
 * A hand-written example, equivalent to {@code int a = await(x); return done(a + 1);}:
 *
 * <pre>{@code
 * final class PlusOne extends Coroutine<Integer> {
 *   private final Awaitable<Integer> x;
 *   PlusOne(Awaitable<Integer> x) { this.x = x; }
 *
 *   protected Object step() {
 *     switch (state) {
 *       case 0:
 *         state = 1;
 *         if (suspendOn(x)) return SUSPEND;
 *       case 1:
 *         int a = this.<Integer>awaitResult();
 *         return a + 1;
 *       default:
 *         throw illegalState();
 *     }
 *   }
 * }
 * }</pre>
 *
 * <h2>How coroutines run</h2>
 *
 * A {@link Task} drives a chain of coroutines: the outermost it was created with, and each coroutine
 * that one awaits. Awaiting a coroutine starts it inline, in the awaiting frame (Python's semantics: no
 * scheduling, no extra task); when it finishes without suspending, the awaiting machine simply continues.
 * When it suspends, the whole chain suspends, and when its result is in, the task resumes the innermost
 * coroutine and walks its completion up the chain in a loop, not by recursion. Inline starts are limited
 * to a fixed depth; past it the start bounces to the task's loop, so a chain of a million nested awaits
 * needs no deeper Java stack than a chain of a hundred.
 *
 * <p>Threading: creating a coroutine and {@link #isStarted()} work from any thread; a started coroutine
 * runs on its task's loop thread, and the protected methods belong to that thread.
 *
 * @param <T> the result type
 */
public abstract non-sealed class Coroutine<T> implements Awaitable<T> {

  /** Returned by {@link #step()} when the machine has suspended. */
  protected static final Object SUSPEND = new Object() {
    @Override
    public String toString() {
      return "SUSPEND";
    }
  };

  /**
   * Returned by {@link #awaitNext(AsyncIterator)} when the await did not suspend but its outcome is not
   * a value handed over directly (a failure, a cancellation): {@link #nextOf(Object, AsyncIterator)}
   * takes it from the fields, as {@link #awaitResult()} does. ({@link #awaitNow(Awaitable)} throws such
   * an outcome itself instead.)
   */
  protected static final Object DELIVERED = new Object() {
    @Override
    public String toString() {
      return "DELIVERED";
    }
  };

  /**
   * What {@link #awaitNext(AsyncIterator)} and {@link #nextOf(Object, AsyncIterator)} give when the
   * async for's iterator has no more elements.
   */
  protected static final Object EXHAUSTED = new Object() {
    @Override
    public String toString() {
      return "EXHAUSTED";
    }
  };

  /**
   * Why a generated machine entered a lowered {@code finally} block, as the block's kind field records
   * it: the protected code completed normally. Constants for generated code (named with a '$', clear
   * of the user's names); they never change, so any thread may read them.
   */
  protected static final int NORMAL$ = 0;
  /** The protected code of a lowered {@code finally} threw (see {@link #NORMAL$}). */
  protected static final int THROW$ = 1;
  /** The protected code of a lowered {@code finally} returned (see {@link #NORMAL$}). */
  protected static final int RETURN$ = 2;
  /** The protected code of a lowered {@code finally} jumped out of it (see {@link #NORMAL$}). */
  protected static final int JUMP$ = 3;

  /**
   * How many coroutines may be started inline, one inside the other, before a start bounces: counted
   * from the second level, as the starts by the coroutine the task's driver steps are not counted
   * (see {@link #startInline}), so at most one more level runs.
   */
  static final int MAX_INLINE_DEPTH = 100;

  /**
   * The resume label. Owned by the generated subclass while it runs; the runtime sets it to {@code -1}
   * when the machine has finished, and reads it only in {@link #illegalState()}.
   */
  protected int state;

  /**
   * The task running this coroutine; {@code null} until it is started. A coroutine started inline by
   * an await ({@link #startInline}) gets no task there: it runs in its caller's, which {@link
   * #requireTask()} finds and keeps here the first time it is asked (a coroutine that completes at once
   * usually never is). So the JIT, which replaces such a child by its fields, holds no register for its
   * task through the child's run (benchmarks/README.md, the {@code nosusp2} branch).
   */
  Task<?> task;

  /** The coroutine awaiting this one, or {@code null} if this is the task's outermost coroutine. */
  Coroutine<?> caller;

  /**
   * The outcome of the last await, delivered before {@link #step()} continues. Before the coroutine is
   * started, its {@link Debug.CoroutineTracker} if debug mode tracks it: nothing reads the field
   * until a delivery, and the start settles the tracker and clears the field, so tracking costs the
   * coroutine no field of its own and the start no lookup.
   */
  private Object resumeValue;

  private Throwable resumeError;

  /** Creates a coroutine. Nothing runs until it is awaited or wrapped in a task. */
  protected Coroutine() {
    // A plain read (not a volatile one, which the JIT may not move or merge: a third of a coroutine
    // call that completes inline, in a loop): what matters is the loop running in this thread, whose
    // debug mode was set in this thread (setDebug checks it) or before the loop was handed to it.
    if (Debug.DEFAULT || EventLoop.DEBUG_LOOPS.getPlain() > 0) {
      EventLoop running = EventLoop.runningOrNull();
      if (Debug.tracksNewCoroutines(running)) {
        resumeValue = Debug.trackCoroutine(this, running);
      }
    }
  }

  /**
   * Runs the machine from its current {@link #state} until it suspends or finishes.
   *
   * @return the result when finished, or {@link #SUSPEND}
   * @throws Throwable the coroutine's failure
   */
  protected abstract Object step() throws Throwable;

  /**
   * Begins an await of {@code awaitable}. Call after storing the resume label in {@link #state}.
   *
   * @return {@code true} if the machine must return {@link #SUSPEND} now; {@code false} if the result is
   *     already available through {@link #awaitResult()}
   * @throws IllegalStateException if {@code awaitable} is a coroutine that was already started, or the
   *     task itself
   */
  protected final boolean suspendOn(Awaitable<?> awaitable) {
    if (awaitable instanceof Promise<?> promise) {
      return suspendOnPromise(promise);
    }
    if (awaitable == null) {
      throw new NullPointerException("await(null): the awaited value is null");
    }
    return suspendOnCoroutine((Coroutine<?>) awaitable);
  }

  /**
   * Begins an await of a {@link CompletionStage}, which may complete on any thread; the coroutine
   * resumes on its own loop thread. A stage that is already complete continues without suspending.
   *
   * @return as {@link #suspendOn(Awaitable)}
   */
  protected final boolean suspendOn(CompletionStage<?> stage) {
    if (stage == null) {
      throw new NullPointerException("await(null): the awaited stage is null");
    }
    java.util.concurrent.CompletableFuture<?> f = stage.toCompletableFuture();
    if (f.isDone()) {
      deliverStage(f);
      return false;
    }
    return suspendOnPromise(requireTask().loop.promiseOf(f, stage, false));
  }

  /**
   * Returns {@code coroutine}, declaring {@code thrown}, and does nothing else. A machine writes a call
   * of a static {@link Async} method {@code X.m(...)} that a {@code try} of the body guards as {@code
   * declaring(XAsync.m(...), IOException.class)}: {@code XAsync.m} does not declare the checked
   * exceptions of its template, and the {@code catch} copied from the body must still find them thrown.
   *
   * <p>Threading: any thread.
   */
  protected static <V, E extends Throwable> V declaring(V coroutine, Class<E> thrown) throws E {
    return coroutine;
  }

  /**
   * Begins an await of {@code awaitable}, as {@link #suspendOn(Awaitable)} does, and hands over its value
   * when it is already there: a completed {@link Promise}'s, or that of a coroutine that ran to its
   * end inline. Call after storing the resume label in {@link #state}; keep what it returns in a local
   * for {@link #awaitedValue(Object)} at that label.
   *
   * <p>Threading: the coroutine's loop thread, inside {@link #step()}.
   *
   * <p>An await that completes with a failure without suspending (a failed or cancelled promise, a
   * coroutine that failed inline) throws it here, undeclared, rather than by {@link
   * #awaitedValue(Object)} at the label: that method then compares with one sentinel, not two, on the
   * path of every await that completes at once (benchmarks/README.md, the {@code inl7} branch).
   *
   * @return the value, or {@link #SUSPEND} if the machine must return {@link #SUSPEND} now (never
   *     {@link #DELIVERED})
   * @throws IllegalStateException as {@link #suspendOn(Awaitable)}
   */
  protected final Object awaitNow(Awaitable<?> awaitable) {
    if (awaitable instanceof Promise<?> promise) {
      if (promise.isSuccess()) {
        return promise.result; // the fast path: no field of this machine written
      }
      return suspendOnPromise(promise) ? SUSPEND : awaitResult();
    }
    if (awaitable == null) {
      throw new NullPointerException("await(null): the awaited value is null");
    }
    Object r = startInline((Coroutine<?>) awaitable);
    return r == DELIVERED ? awaitResult() : r;
  }

  /**
   * As {@link #awaitNow(Awaitable)}, for a {@link CompletionStage} (see {@link
   * #suspendOn(CompletionStage)}): a stage already complete gives its value, or its failure is thrown.
   *
   * <p>Threading: the coroutine's loop thread, inside {@link #step()}.
   *
   * @return the value, or {@link #SUSPEND}
   */
  protected final Object awaitNow(CompletionStage<?> stage) {
    return suspendOn(stage) ? SUSPEND : awaitResult();
  }

  /**
   * Begins the await of an async for's next element from {@code iterator}, as {@link
   * #awaitNow(Awaitable)} begins an await: call after storing the resume label in {@link #state}, keep
   * what it returns in the local for {@link #nextOf(Object, AsyncIterator)} at that label. The iterator
   * of an {@link Async} generator ({@link GeneratorMachine}) is advanced directly: its body runs,
   * inline, to its next emit, its end or a suspension, with no {@code hasNext()} coroutine between,
   * and the emitted value is handed over as it is. Any other iterator is asked {@code hasNext()},
   * awaited with {@link #awaitNow(Awaitable)}, then {@code next()} if it answered {@code true}.
   *
   * <p>Threading: the coroutine's loop thread, inside {@link #step()}.
   *
   * @return the element, {@link #EXHAUSTED}, {@link #SUSPEND}, or {@link #DELIVERED} (a failure)
   * @throws IllegalStateException if the generator is running a step already (one step at a time)
   */
  protected final Object awaitNext(AsyncIterator<?> iterator) {
    if (iterator instanceof GeneratorMachine<?> g) {
      return g.advance(this);
    }
    Object r = awaitNow(iterator.hasNext()); // a failure is thrown here, at the await
    if (r == SUSPEND) {
      return r; // nextOf takes hasNext()'s answer from the fields, and asks next() for the element
    }
    return (Boolean) r ? iterator.next() : EXHAUSTED;
  }

  /**
   * As {@link #awaitNext(AsyncIterator)}, the outcome going through this machine's fields (for an
   * await whose resume label is not written right after it): call {@link #nextOf(Object,
   * AsyncIterator)} with {@link #SUSPEND} at the label.
   *
   * <p>Threading: the coroutine's loop thread, inside {@link #step()}.
   *
   * @return {@code true} if the machine must return {@link #SUSPEND} now
   */
  protected final boolean suspendNext(AsyncIterator<?> iterator) {
    if (!(iterator instanceof GeneratorMachine<?>)) {
      return suspendOn(iterator.hasNext()); // hasNext()'s answer in the fields, as nextOf expects
    }
    return suspendsWith(awaitNext(iterator));
  }

  /**
   * At the resume label of an {@link #awaitNext(AsyncIterator)}: the next element, or {@link #EXHAUSTED}
   * when {@code iterator} has none; its failure (or the generator's) is thrown. {@code now} is what
   * {@code awaitNext} returned, or {@link #SUSPEND} when the machine was stepped again after it
   * suspended there. Call it once, at the resume label; {@link #asElement(Object)} gives the element
   * its type.
   *
   * <p>Threading: the coroutine's loop thread, inside {@link #step()}.
   */
  protected final Object nextOf(Object now, AsyncIterator<?> iterator) {
    if (now != SUSPEND && now != DELIVERED) {
      return now; // the element, or EXHAUSTED, handed over by awaitNext
    }
    Object r = awaitResult(); // throws the failure
    if (iterator instanceof GeneratorMachine<?>) {
      return r; // the element or EXHAUSTED, handed over by the generator's step
    }
    return (Boolean) r ? iterator.next() : EXHAUSTED;
  }

  /**
   * {@code next}, an element that {@link #nextOf(Object, AsyncIterator)} gave, as the loop's element
   * type (the cast the generated code would otherwise write unchecked). Threading: any thread.
   */
  @SuppressWarnings("unchecked")
  protected final <V> V asElement(Object next) {
    return (V) next;
  }

  /**
   * At a resume label: the value {@code now} that {@link #awaitNow(Awaitable)} returned for this
   * await; or, when {@code now} is {@link #SUSPEND} (the machine suspended there and was stepped again),
   * the outcome in the fields, as {@link #awaitResult()} gives it (a failure thrown). Call it once, at
   * the resume label.
   *
   * <p>Threading: the coroutine's loop thread, inside {@link #step()}.
   */
  @SuppressWarnings("unchecked")
  protected final <V> V awaitedValue(Object now) {
    if (now == SUSPEND) {
      return awaitResult();
    }
    return (V) now;
  }

  /**
   * Returns the outcome of the await that just finished: its value, or throws its failure. Call it once,
   * at the resume label.
   */
  @SuppressWarnings("unchecked")
  protected final <V> V awaitResult() {
    Throwable error = resumeError;
    if (error != null) {
      resumeError = null;
      throw Promise.sneakyThrow(error);
    }
    Object value = resumeValue;
    if (value != null) {
      resumeValue = null; // a generator resumed after an emit gets nothing: no store on its hot path
    }
    return (V) value;
  }

  /**
   * As {@link #awaitResult()}, for an await whose outcome can only be a failure or nothing (a
   * generator resumed after an emit, {@code GeneratorMachine.afterEmit$}): throws the failure if one
   * was delivered; reads nothing else.
   */
  final void throwDelivered() {
    Throwable error = resumeError;
    if (error != null) {
      resumeError = null;
      throw Promise.sneakyThrow(error);
    }
  }

  /** The exception a machine throws when {@link #step()} finds a label it never stored. */
  protected final IllegalStateException illegalState() {
    return new IllegalStateException(
        "coroutine " + getClass().getName() + " resumed at unknown state " + state);
  }

  /**
   * Where this coroutine stands in the user's source: its method, at the line of the state it runs
   * or, while it waits, of the await it waits at; {@code null} if it cannot say (the runtime's own
   * coroutines, a hand-written one that does not override this). What stack traces ({@link Task#stack()},
   * and the frames a failure gains when it leaves a coroutine) and task dumps show for it. Generated
   * machines override it with one call to {@link #sourceFrame(String, String, String, long, String)}.
   * Called only when a trace or a dump is built, never while the coroutine runs.
   *
   * <p>Threading: the coroutine's loop thread (it reads {@link #state}).
   */
  protected StackTraceElement sourceFrame() {
    return null;
  }

  /**
   * The frame of a machine compiled from {@code method} of {@code declaringClass} (its binary name)
   * in {@code file}, at the line of the current {@link #state}: {@code lines} holds the source line
   * of each state, in order, separated by spaces; a state it does not cover (the label {@code -1} of
   * a finished machine, or a table cut short) is shown at {@code firstLine}, the line of the body.
   * For generated overrides of {@link #sourceFrame()}; it parses the table each time it is called.
   * Threading: as {@link #sourceFrame()}.
   */
  protected final StackTraceElement sourceFrame(String declaringClass, String method, String file,
      long firstLine, String lines) {
    long line = firstLine;
    int s = state;
    if (s >= 0) {
      int start = 0;
      for (int i = 0; i < s && start >= 0; i++) {
        int space = lines.indexOf(' ', start);
        start = space < 0 ? -1 : space + 1;
      }
      if (start >= 0 && start < lines.length()) {
        int end = lines.indexOf(' ', start);
        try {
          line = Long.parseLong(lines.substring(start, end < 0 ? lines.length() : end));
        } catch (NumberFormatException e) {
          line = firstLine;
        }
      }
    }
    // StackTraceElement's "line unknown" is negative; a line past int's range cannot be a source line.
    return new StackTraceElement(declaringClass, method, file,
        line <= 0 || line > Integer.MAX_VALUE ? -1 : (int) line);
  }

  /**
   * For the direct method of a generated machine (the body of an {@code @Async} method without
   * awaits, which an {@code await(m(...))} calls as a plain method instead of starting m's machine):
   * {@code failure} leaves that body, called by {@code awaiting} (null when m's own machine called
   * it: the failure then leaves that machine's {@code step()}, which adds its frames as usual). The
   * first time, the failure's stack trace gains the frames it would have gained leaving m's machine:
   * m at {@code line} of {@code file} ({@code declaringClass}, its binary name, and {@code method}),
   * then {@code awaiting} and the coroutines awaiting it (see {@code sourceFrame()}), in place of the
   * direct method's frame (its class {@code machine}). The caller rethrows the failure.
   *
   * <p>Threading: the loop thread of {@code awaiting}'s task.
   */
  protected static void tracedDirectly(Coroutine<?> awaiting, Throwable failure, Class<?> machine,
      String declaringClass, String method, String file, int line) {
    if (awaiting != null) {
      Traces.leavingDirect(awaiting, failure, machine.getName(),
          new StackTraceElement(declaringClass, method, file, line <= 0 ? -1 : line));
    }
  }

  /**
   * For a coroutine that says where it stands ({@link #sourceFrame()}), as generated machines do: its
   * method, its state and the source line of that state, such as {@code Greeter.greet() at state 1
   * (Greeter.java:20)}, or {@code async lambda in Greeter.greet() at state 0 (Greeter.java:31)} for
   * the machine of an async lambda (whose frame's method is {@code lambda$greet}); a machine that has
   * finished says so instead of naming a state ({@code Greeter.greet(), finished (Greeter.java:18)}).
   * The class is
   * written as in the source, {@code Outer.Inner} for a nested one. Otherwise {@link
   * Object#toString()}. Generated machines write no {@code toString()} of their own: it is read from
   * their {@code sourceFrame()}'s table, built only when asked for.
   *
   * <p>Threading: any thread, for a message (it reads {@link #state}, which only the coroutine's loop
   * thread writes, so from another thread it may be stale).
   */
  @Override
  public String toString() {
    StackTraceElement at = Traces.frameOf(this);
    if (at == null) {
      return super.toString();
    }
    String type = at.getClassName();
    type = type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
    String method = at.getMethodName();
    String lambda = "lambda$";
    boolean isLambda = method.startsWith(lambda) && method.length() > lambda.length();
    StringBuilder b = new StringBuilder();
    if (isLambda) {
      b.append("async lambda in ");
      method = method.substring(lambda.length());
    }
    b.append(type).append('.').append(method).append("()");
    if (state == -1) {
      b.append(", finished"); // the label the runtime stores at the end (see state)
    } else {
      b.append(" at state ").append(state);
    }
    b.append(" (").append(at.getFileName());
    if (at.getLineNumber() > 0) {
      b.append(':').append(at.getLineNumber());
    }
    return b.append(')').toString();
  }

  /** The loop this coroutine runs on, for generated code that needs it. */
  protected final EventLoop loop() {
    return requireTask().loop;
  }

  /**
   * Whether this coroutine has been started (awaited, or wrapped in a task). Threading: any thread;
   * from another thread, a snapshot.
   */
  public final boolean isStarted() {
    return task != null || caller != null || state == -1;
  }

  // ---------------------------------------------------------------------------------------------
  // Runtime internals.

  final Task<?> requireTask() {
    Task<?> t = task;
    if (t == null) {
      t = taskOfCallers();
      if (t == null) {
        throw new IllegalStateException("coroutine " + this + " is not running in a task");
      }
    }
    return t;
  }

  /**
   * The task of this coroutine, or {@code null} if it is not running in one: {@link #task}, or for a
   * coroutine started inline (see {@link #task}) that of the nearest caller that has one, then kept in
   * each coroutine of the chain up to it. A loop, not a recursion: a chain of inline starts may be as
   * deep as the coroutines awaiting each other (each bounce to the driver starts a new run of them).
   */
  final Task<?> taskOrNull() {
    Task<?> t = task;
    return t != null ? t : taskOfCallers();
  }

  private Task<?> taskOfCallers() {
    Coroutine<?> k = this;
    Task<?> t = null;
    while (k != null && (t = k.task) == null) {
      k = k.caller;
    }
    if (t != null) {
      for (Coroutine<?> c = this; c != k; c = c.caller) {
        c.task = t;
      }
    }
    return t;
  }

  final void deliver(Object value, Throwable error) {
    resumeValue = value;
    resumeError = error;
  }

  private void deliverStage(java.util.concurrent.CompletableFuture<?> f) {
    try {
      deliver(f.join(), null);
    } catch (java.util.concurrent.CancellationException e) {
      deliver(null, CancelledError.delivered(EventLoop.STAGE_CANCELLED));
    } catch (java.util.concurrent.CompletionException e) {
      deliver(null, e.getCause() != null ? e.getCause() : e);
    }
  }

  private boolean suspendOnPromise(Promise<?> promise) {
    if (promise.isDone()) {
      promise.deliverTo(this);
      return false;
    }
    Task<?> t = requireTask();
    if (promise == t) {
      throw new IllegalStateException("a task cannot await itself: " + t);
    }
    t.waitOn(promise, this);
    return true;
  }

  private boolean suspendOnCoroutine(Coroutine<?> child) {
    return suspendsWith(startInline(child));
  }

  /**
   * The answer of {@link #suspendOn} for {@code r}, what {@link #startInline} or {@link #awaitNext}
   * gave: {@code true} for {@link #SUSPEND}; otherwise {@code false}, with a value handed over put in
   * the fields for {@link #awaitResult()} ({@link #DELIVERED}'s outcome is there already).
   */
  private boolean suspendsWith(Object r) {
    if (r == SUSPEND) {
      return true;
    }
    if (r != DELIVERED) {
      deliver(r, null);
    }
    return false;
  }

  /**
   * Starts {@code child} for an await by this coroutine: runs it inline (or bounces it to the loop past
   * {@link #MAX_INLINE_DEPTH}).
   *
   * <p>The inline depth ({@code EventLoop.inlineDepth}) is counted only when this coroutine was itself
   * started inline: when it is the one the task's driver steps ({@code EventLoop.inlineBase}, set by
   * {@code Task.drive}), it runs at the bottom of the Java stack and its child at the first level,
   * which nothing needs to count. That is the common case of a loop of awaits of coroutines that
   * complete at once (after the task's first suspension, every coroutine resumed runs at the bottom),
   * and there the check is a compare of two values the JIT reads once before the loop: no load,
   * store or register of the count per await (see benchmarks/README.md, the {@code nosusp} branch).
   * A coroutine is never on the stack twice, so at most one level goes uncounted, whatever
   * {@code inlineBase} holds.
   *
   * @return its result when it finished without suspending; {@link #SUSPEND} if it suspended (or
   *     bounced); {@link #DELIVERED} if its outcome was delivered to this coroutine (a failure, a
   *     sleep that completed at once)
   */
  private Object startInline(Coroutine<?> child) {
    if (child instanceof Sleep<?> sleep) {
      // The awaiting coroutine sleeps itself: no coroutine level, promise or timer object of its own.
      return sleep.awaitedBy(this) ? SUSPEND : DELIVERED;
    }
    if (child instanceof GeneratorMachine<?>.Step step) {
      // An async for's hasNext() of a generator: started by a call site of its own, which the JIT
      // inlines (this method's child.step() sees every kind of coroutine).
      return step.awaitedBy(this);
    }
    if (child instanceof Shared<?> shared) {
      Object r;
      try {
        r = shared.now();
      } catch (Throwable e) {
        deliver(null, e);
        return DELIVERED;
      }
      if (r != Shared.WAIT) {
        return r; // the fast path: nothing started, nothing allocated
      }
      child = shared.fresh();
    }
    if (child.isStarted()) {
      throw alreadyAwaited(child);
    }
    EventLoop l = requireTask().loop;
    child.caller = this; // its task is this one's, found through caller when asked (see task)
    child.settleDebugTracking();
    if (l.inlineBase != this) {
      return startCounted(child, l);
    }
    Object r;
    try {
      r = child.step();
    } catch (Throwable e) {
      // Written out, not shared with startCounted through a helper taking child: C2 on JDK 17 did
      // not see through that call (never executed, so not inlined), let child escape and
      // allocated it on every await (benchmarks/README.md, the nosusp branch).
      Traces.leaving(child, e);
      child.finished();
      deliver(null, e);
      return DELIVERED;
    }
    if (r == SUSPEND) {
      return SUSPEND;
    }
    child.finished();
    return r;
  }

  /**
   * {@link #startInline} by a coroutine that was itself started inline (or resumed inline, as a
   * generator's body): one level more on the Java stack, counted in {@code l.inlineDepth}; past
   * {@link #MAX_INLINE_DEPTH} the start bounces to the driver ({@code l.bounced}).
   */
  private Object startCounted(Coroutine<?> child, EventLoop l) {
    if (l.inlineDepth >= MAX_INLINE_DEPTH) {
      child.task = requireTask();
      l.bounced = child; // the driver starts it
      return SUSPEND;
    }
    l.inlineDepth++;
    Object r;
    try {
      r = child.step();
    } catch (Throwable e) {
      l.inlineDepth--;
      Traces.leaving(child, e);
      child.finished();
      deliver(null, e);
      return DELIVERED;
    }
    l.inlineDepth--;
    if (r == SUSPEND) {
      return SUSPEND;
    }
    child.finished();
    return r;
  }

  /**
   * Whether {@code a} is a shared coroutine ({@link Shared}, or a shared sleep: {@code sleep(d)}
   * outside debug mode), which stands for a new coroutine each time it is passed.
   */
  static boolean isShared(Awaitable<?> a) {
    return a instanceof Shared<?> || Sleep.isShared(a);
  }

  /** The error of awaiting {@code c} a second time. */
  static IllegalStateException alreadyAwaited(Coroutine<?> c) {
    return new IllegalStateException(
        "coroutine already awaited: " + c + " was started before; a coroutine runs once."
            + " To await a result several times, wrap it in a task with Aio.createTask(...)");
  }

  /** The coroutine is started (or refused): debug mode no longer reports it as never awaited. */
  final void settleDebugTracking() {
    if (resumeValue instanceof Debug.CoroutineTracker t) {
      resumeValue = null;
      t.settle();
    }
  }

  /** The tracker of a coroutine debug mode tracks and that is not started yet, or {@code null}. */
  final Debug.CoroutineTracker debugTracker() {
    return !isStarted() && resumeValue instanceof Debug.CoroutineTracker t ? t : null;
  }

  /**
   * Marks the machine finished: unlinks it from its caller and stores the label {@code -1}, the
   * runtime's only write to {@link #state}.
   */
  final void finished() {
    caller = null;
    state = -1;
  }

  /**
   * A coroutine that is shared instead of made for each call, for an operation that often completes
   * at once: {@code Lock.acquire()}, {@code Semaphore.acquire()}, {@code Queue.get()} and {@code
   * Event.waitSet()} of {@code io.awaitj.sync} return one per primitive. An await first asks {@link
   * #now()} whether the operation completes at once, its fast path, which then allocates nothing;
   * only if it must wait does {@link #fresh()} make a single-use coroutine, started in its place. A
   * shared coroutine itself is never started: it may be awaited any number of times, by any task of
   * its primitive's loop, each await one operation; {@link #isStarted()} stays {@code false}; a task
   * made with it ({@link Aio#createTask}, and so {@code gather} and the others) runs {@link #fresh()}.
   * In debug mode the primitives return {@link #fresh()} instead ({@link #forCall()}).
   *
   * <p>Meant for the runtime's primitives (hence protected: it is part of the contract with
   * subclasses, as {@link #step()} is). Threading: {@link #now()} and {@link #fresh()} run on the
   * thread of the awaiting task's loop.
   *
   * @param <T> the result type
   */
  protected abstract static class Shared<T> extends Coroutine<T> {
    /** What {@link #now()} returns when the operation must wait. */
    protected static final Object WAIT =
        new Object() {
          @Override
          public String toString() {
            return "WAIT";
          }
        };

    /** Creates the shared coroutine of a primitive. */
    protected Shared() {
      settleDebugTracking(); // shared for good: never reported as never awaited
    }

    /**
     * The operation, if it completes at once: its result (or it throws its failure), without
     * waiting; otherwise {@link #WAIT}, having changed nothing.
     */
    protected abstract Object now();

    /** A new single-use coroutine that performs the operation, waiting if it must. */
    protected abstract Coroutine<T> fresh();

    /**
     * What the primitive's method returns for one call: this shared coroutine, or in debug mode
     * ({@link EventLoop#setDebug}) {@link #fresh()}, so that a coroutine never awaited is reported and
     * one awaited twice fails, as every other coroutine. Threading: any thread.
     */
    protected final Coroutine<T> forCall() {
      return Debug.DEFAULT || EventLoop.DEBUG_LOOPS.get() > 0 ? fresh() : this;
    }

    /** Never called: an await asks {@link #now()}, and a task runs {@link #fresh()}. */
    @Override
    protected final Object step() {
      throw new IllegalStateException("a shared coroutine is never started itself: " + this);
    }
  }

  /** A coroutine that is already finished: the value of {@link Aio#done(Object)}. */
  static final class Completed<T> extends Coroutine<T> {
    private final T value;
    private final Throwable failure;

    Completed(T value, Throwable failure) {
      this.value = value;
      this.failure = failure;
    }

    @Override
    protected Object step() throws Throwable {
      if (failure != null) {
        throw failure;
      }
      return value;
    }

    @Override
    public String toString() {
      return failure != null ? "Coroutine.failed(" + failure + ")" : "Coroutine.done(" + value + ")";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers of generated code, so that each machine need not write their logic out.

  /**
   * The exception a lowered try-with-resources (or an async for) goes on with after its awaited
   * {@code closeAsync} failed with {@code failure}, by Java's rules for a resource's close and
   * asyncio's for a cancellation: with no exception from the block ({@code primary} null), {@code
   * failure} is thrown; when the block ended with a {@link CancelledError} and the close with
   * something else, the resource turned the cancellation into a failure of its own: {@code failure}
   * is returned, the cancellation suppressed in it; else {@code primary} is returned, {@code failure}
   * suppressed in it (unless it is {@code primary} itself). Called by generated code on the loop
   * thread that runs the machine; it touches no state but the two exceptions.
   *
   * @param primary the exception the block ended with, or null if it completed otherwise
   * @param failure what the awaited close threw
   * @return the exception to go on with (the finally block rethrows it)
   * @throws Throwable {@code failure}, when {@code primary} is null
   */
  protected static Throwable closeFailed$(Throwable primary, Throwable failure) throws Throwable {
    if (primary == null) {
      throw failure;
    }
    if (primary instanceof CancelledError && !(failure instanceof CancelledError)) {
      failure.addSuppressed(primary);
      return failure;
    }
    if (failure != primary) {
      primary.addSuppressed(failure);
    }
    return primary;
  }
}
