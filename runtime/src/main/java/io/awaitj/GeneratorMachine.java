package io.awaitj;

import java.util.NoSuchElementException;

/**
 * The base class of the state machine of an {@link Async} generator: a method declared to return
 * {@link AsyncGenerator AsyncGenerator&lt;T&gt;}, whose body emits values with {@link Aio#emit} and
 * ends with {@code return Aio.finish();}. The machine is the generator and its own iterator: it runs
 * inside the task that iterates it (as Python's async generators run inside the task that awaits
 * {@code __anext__}), one step per {@link #hasNext()}, never on a task of its own.
 *
 * <h2>The contract with generated code</h2>
 *
 * The machine is a {@link Coroutine} machine (see that class's contract) with one more kind of
 * suspension point, the emit, which ends {@link #step()} without a promise to wait on:
 *
 * <pre>{@code
 * state = 3;               // the label to resume at
 * emit$(value);            // hands the value to the iterator, which remembers the label
 * return EMITTED;          // step() pauses the body until the consumer asks for the next value
 * case 3:
 *   afterEmit$();          // nothing, or the GeneratorExit of a close, thrown where the emit stood
 * }</pre>
 *
 * A {@code return Aio.finish();} of the body completes {@code step()} with {@code null}: the
 * generator is exhausted.
 *
 * <h2>Protocol</h2>
 *
 * <ul>
 *   <li>{@link #hasNext()} resumes the body, inline in the awaiting task, until it emits ({@code
 *       true}), returns ({@code false}) or throws (thrown to the awaiter as it is). Between values the
 *       body may await anything; a cancellation of the consuming task arrives at that await.
 *   <li>An async for (the processor's {@link Coroutine#awaitNext}) takes the same step without the
 *       {@code hasNext()} coroutine: the paused body is resumed directly, inline in the consumer's
 *       step, and the emitted value handed over as it is, {@link Coroutine#EXHAUSTED} at the end.
 *       Only when the body suspends inside is its reused step put between it and the consumer, to
 *       hand over what it does next when the task resumes it. The rules are the same either way.
 *   <li>{@link #closeAsync()}: a generator paused at an emit is resumed with a {@link GeneratorExit}
 *       thrown at the emit, so that its {@code finally} blocks and async closes run; one that never
 *       started never will; one that finished stays so. An emit reached while closing throws an
 *       {@link IllegalStateException} at that emit (Python's "async generator ignored
 *       GeneratorExit"), so that the generator's {@code finally} blocks and closes still run; if it
 *       leaves the body, the close fails with it.
 *   <li>Single use: {@link #asyncIterator()} once; a second call throws {@link IllegalStateException}.
 *       One step at a time: {@link #hasNext()} or {@link #closeAsync()} while a step runs throws.
 * </ul>
 *
 * In debug mode ({@link EventLoop#setDebug}) a generator that started and is collected before it
 * finished or was closed is reported to its loop's exception handler.
 *
 * <p>Threading: the loop's thread of the task that iterates it.
 *
 * @param <T> the type of the values
 */
public abstract class GeneratorMachine<T> extends Coroutine<Object>
    implements AsyncGenerator<T>, AsyncIterator<T> {

  /** What {@link #step()} returns when the body emits (after {@link #emit$}). */
  protected static final Object EMITTED = new Object() {
    @Override
    public String toString() {
      return "EMITTED";
    }
  };

  private static final byte NEW = 0;
  private static final byte PAUSED = 1;
  private static final byte RUNNING = 2;
  private static final byte FINISHED = 3;
  /** Paused, {@link #emitted} holding the value the last {@code hasNext()} made available. */
  private static final byte READY = 4;

  private byte phase = NEW;
  private boolean iterated;
  private Object emitted;
  /** The label the body resumes at, stored by its last emit. */
  private int pausedAt;
  /** The coroutine {@link #hasNext()} returns, reused from one step to the next. */
  private Step next;
  private Debug.GeneratorTracker tracker;

  /** Creates the machine. Nothing runs until the first value is requested. */
  protected GeneratorMachine() {
    settleDebugTracking(); // a generator never iterated is not a coroutine never awaited
  }

  /**
   * The body emits {@code value}: called after the machine stored the label to resume at, before it
   * returns {@link #EMITTED}.
   */
  protected final void emit$(Object value) {
    emitted = value;
    pausedAt = state;
  }

  /**
   * The first statement of the label an emit resumes at: throws what was delivered to the body paused
   * there (the {@link GeneratorExit} of a close, or the error of an emit while closing), where the
   * emit stood, or does nothing. It reads only the failure: nothing else is ever delivered to a body
   * paused at an emit (cheaper than {@link #awaitResult()}, which generated code before this method
   * called there and which still works).
   *
   * <p>Threading: the loop's thread of the iterating task, inside {@link #step()}.
   */
  protected final void afterEmit$() {
    throwDelivered();
  }

  /**
   * This generator, as its own iterator.
   *
   * @throws IllegalStateException if called a second time: a generator runs once
   */
  @Override
  public final AsyncIterator<T> asyncIterator() {
    if (iterated) {
      throw new IllegalStateException("async generator " + this + " is iterated a second time: a"
          + " generator runs once; call its method again for a new one");
    }
    iterated = true;
    return this;
  }

  /**
   * Runs the body to its next emit: {@code true} with the value ready for {@link #next()}, {@code
   * false} when the body returned (or the generator was closed); the body's failure is thrown as it
   * is.
   *
   * @throws IllegalStateException if the previous step is still running
   */
  @Override
  public final Coroutine<Boolean> hasNext() {
    if (phase == RUNNING) {
      throw running("hasNext()");
    }
    return reusedStep(false);
  }

  /**
   * The value the last {@link #hasNext()} made available.
   *
   * @throws NoSuchElementException if it did not answer {@code true}, or the value was taken
   */
  @Override
  @SuppressWarnings("unchecked")
  public final T next() {
    if (phase != READY) {
      throw new NoSuchElementException("next() without a hasNext() that answered true");
    }
    phase = PAUSED;
    Object v = emitted;
    emitted = null;
    return (T) v;
  }

  /**
   * The next value for an async for of {@code consumer} ({@link Coroutine#awaitNext}): the body is
   * resumed inline, as one step, until it emits (the value is returned as it is, without {@link
   * #next()}), returns ({@link #EXHAUSTED}), throws (delivered to {@code consumer}: {@link #DELIVERED}) or
   * suspends ({@link #SUSPEND}: the body is then linked to {@code consumer} through its {@link Step},
   * made at the first suspension and reused, which hands the value, or {@link #EXHAUSTED}, to the
   * consumer when the body emits or returns). A generator that never started starts the same way;
   * one that finished gives {@link #EXHAUSTED}. The rare cases (a value a {@link #hasNext()} made ready
   * that nobody took, an inline start too deep) take the {@link Step} from the start, in the same
   * mode.
   *
   * <p>Only a consumer that is itself a generator's body counts an inline level ({@code
   * EventLoop.inlineDepth}) around the resume, for a chain of generators each consuming the next: any
   * other consumer is a coroutine whose own start was counted, and what the body awaits inline counts
   * its own levels, so at most every other level of the Java stack goes uncounted.
   *
   * @throws IllegalStateException if a step is running (one step at a time)
   */
  final Object advance(Coroutine<?> consumer) {
    if (phase != PAUSED || consumer instanceof GeneratorMachine<?>) {
      return advanceOtherwise(consumer);
    }
    return resumeInline(consumer);
  }

  /**
   * {@link #advance} of a generator that is not paused, or not paused in the plain way, or for a
   * consumer that is a generator itself.
   */
  private Object advanceOtherwise(Coroutine<?> consumer) {
    if (phase == RUNNING) {
      throw running("hasNext()");
    }
    if (phase == FINISHED) {
      return EXHAUSTED;
    }
    EventLoop l = consumer.requireTask().loop;
    boolean counted = consumer instanceof GeneratorMachine<?>;
    if (phase == READY || counted && l.inlineDepth >= MAX_INLINE_DEPTH) {
      return stepFor(consumer);
    }
    if (phase == NEW && l.debug) {
      tracker = Debug.trackGenerator(this, l); // reported if collected before it finishes
    }
    if (!counted) {
      return resumeInline(consumer);
    }
    l.inlineDepth++;
    try {
      return resumeInline(consumer);
    } finally {
      l.inlineDepth--;
    }
  }

  /**
   * {@link #advance}'s hot path (kept small, so that the JIT inlines it with the body's step into
   * the consumer's): the body, paused at an emit (its label in state since) or new (label 0), runs to
   * its next emit. Only what changed is written: the caller and the task only when the consumer is
   * not the last one (a consumer belongs to one task, so the same caller means the same task).
   */
  private Object resumeInline(Coroutine<?> consumer) {
    phase = RUNNING;
    if (caller != consumer) {
      caller = consumer; // for the frames of a failure (Traces), as an awaited coroutine's
      task = consumer.requireTask();
    }
    Object r;
    try {
      r = step();
    } catch (Throwable e) {
      return failedInline(consumer, e);
    }
    if (r == EMITTED) {
      phase = PAUSED;
      Object v = emitted;
      emitted = null;
      return v;
    }
    if (r == SUSPEND) {
      return suspendedInline(consumer, task);
    }
    finished();
    finishedNow();
    return EXHAUSTED;
  }

  /** The body threw {@code e} in {@link #resumeInline}: it is finished, and {@code e} delivered. */
  private Object failedInline(Coroutine<?> consumer, Throwable e) {
    Traces.leaving(this, e);
    finished();
    finishedNow();
    consumer.deliver(null, e);
    return DELIVERED;
  }

  /**
   * The body suspended inside {@link #resumeInline}: when it resumes, the task walks up from it to
   * its caller, the step, which hands what the body did next to {@code consumer} (as a step started
   * by awaitedBy would).
   */
  private Object suspendedInline(Coroutine<?> consumer, Task<?> t) {
    Step s = reusedStep(true);
    s.state = 1;
    s.task = t;
    s.caller = consumer;
    caller = s;
    return SUSPEND;
  }

  /** {@link #advance}'s rare cases: the step, in the async for's mode, awaited by {@code consumer}. */
  private Object stepFor(Coroutine<?> consumer) {
    return reusedStep(true).awaitedBy(consumer);
  }

  /**
   * The reused step, reset for a new await: {@code direct}, for an async for ({@link #advance}: the
   * value itself, or {@link #EXHAUSTED}), or for {@link #hasNext()} ({@code Boolean}).
   */
  private Step reusedStep(boolean direct) {
    Step s = next;
    if (s == null) {
      s = next = new Step(false);
    } else {
      s.state = 0;
      s.task = null;
    }
    s.direct = direct;
    return s;
  }

  /**
   * Closes the generator (see the class's protocol): {@code finally} blocks and async closes of a
   * paused body run, and what they throw is thrown by the close. Idempotent.
   *
   * @throws IllegalStateException if a step is running
   */
  @Override
  public final Coroutine<Void> closeAsync() {
    if (phase == RUNNING) {
      throw running("closeAsync()");
    }
    return new Step(true).asVoid();
  }

  private IllegalStateException running(String what) {
    return new IllegalStateException(what + " of async generator " + this + " while it is running:"
        + " a generator takes one step at a time; await each hasNext() before the next call");
  }

  private void finishedNow() {
    phase = FINISHED;
    emitted = null;
    Debug.GeneratorTracker t = tracker;
    if (t != null) {
      tracker = null;
      t.settle();
    }
  }

  /** One step of the body, for {@link #hasNext()} or, closing, for {@link #closeAsync()}. */
  final class Step extends Coroutine<Boolean> {
    private final boolean closing;
    /**
     * Awaited by an async for ({@link #advance}): its result is the emitted value itself, or {@link
     * #EXHAUSTED}, instead of {@code Boolean.TRUE} (the value left for {@link #next()}) or {@code FALSE}.
     */
    private boolean direct;
    private GeneratorExit exit;

    Step(boolean closing) {
      this.closing = closing;
      settleDebugTracking(); // made by the runtime for one await; its owner's misuse is its own
    }

    /**
     * Awaited by {@code parent} (from {@link Coroutine#awaitNow} or {@link Coroutine#suspendOn}):
     * started inline, as any coroutine is, by a call of its own {@link #step()}, which the JIT inlines.
     *
     * @return as {@code Coroutine.startInline}: the step's result ({@code Boolean}) when it finished
     *     without suspending, {@link #SUSPEND}, or {@link #DELIVERED} when its failure was delivered to
     *     {@code parent}
     */
    Object awaitedBy(Coroutine<?> parent) {
      if (task != null) {
        throw alreadyAwaited(this);
      }
      Task<?> t = parent.requireTask();
      task = t;
      caller = parent;
      EventLoop l = t.loop;
      if (l.inlineDepth >= MAX_INLINE_DEPTH) {
        l.bounced = this; // the driver starts it
        return SUSPEND;
      }
      l.inlineDepth++;
      Object r;
      try {
        r = step();
      } catch (Throwable e) {
        l.inlineDepth--;
        Traces.leaving(this, e);
        finished();
        parent.deliver(null, e);
        return DELIVERED;
      }
      l.inlineDepth--;
      if (r != SUSPEND) {
        finished();
      }
      return r;
    }

    /**
     * Resumes the body, inline, as {@link Coroutine#suspendOn} starts a coroutine, but by a call site
     * that sees only generators' bodies, and as one inline level with this step (which started the
     * machine at the previous level). A body that paused at an emit stays linked to this step and
     * keeps its label ({@link #emit$} stored it in {@link #pausedAt} too).
     *
     * @return {@link #SUSPEND}, {@link #EMITTED} or what the body returned
     * @throws Throwable the body's failure (the machine is then finished)
     */
    private Object resume(GeneratorMachine<T> g) throws Throwable {
      Task<?> t = task;
      if (g.task != t) {
        g.task = t;
      }
      if (g.caller != this) {
        g.caller = this;
      }
      Object r;
      try {
        r = g.step();
      } catch (Throwable e) {
        Traces.leaving(g, e);
        g.finished();
        throw e;
      }
      if (r != SUSPEND && r != EMITTED) {
        g.finished();
      }
      return r;
    }

    @SuppressWarnings("unchecked")
    Coroutine<Void> asVoid() {
      return (Coroutine<Void>) (Coroutine<?>) this;
    }

    // The hot path, a paused generator resumed for its next value, is kept small (step() and
    // resume()) so that the JIT inlines it, with the body's step(), into the consumer's await; the
    // rare paths are methods of their own, and the hot path writes no field it need not. Measured by
    // the generator scenario of benchmarks/compare (Temurin 25): 13.0 ns per element when step() was
    // one 399-byte method that C2 would not inline ("hot method too big") and the body was started
    // through Coroutine.suspendOn (a call site that sees every kind of coroutine); 8.8 ns now.
    @Override
    protected Object step() throws Throwable {
      if (state == 0) {
        GeneratorMachine<T> g = GeneratorMachine.this;
        if (closing || phase != PAUSED) { // READY too: a value nobody took is dropped
          if (!begin()) {
            return closing ? null : exhausted();
          }
          g.deliver(null, exit); // exit is null unless closing
        } // else: g.state is pausedAt, and nothing is delivered to g (its last await took it)
        phase = RUNNING;
        state = 1;
        Object r;
        try {
          r = resume(g);
        } catch (Throwable e) {
          return failed(e);
        }
        if (r == SUSPEND) {
          return SUSPEND;
        }
        if (r == EMITTED && !closing) {
          return emittedValue();
        }
        deliver(r, null); // the body returned, or emitted while closing: as if resumed with it
      } else if (state != 1) {
        throw illegalState();
      }
      return resumed();
    }

    /**
     * The start of a step other than a paused generator resumed for a value: a first step, a close,
     * a step of a finished or running generator.
     *
     * @return whether the body runs; if not, the step is over (the generator is finished)
     */
    private boolean begin() {
      GeneratorMachine<T> g = GeneratorMachine.this;
      if (phase == RUNNING) {
        throw running(closing ? "closeAsync()" : "hasNext()");
      }
      if (phase == FINISHED || closing && phase == NEW) {
        finishedNow();
        return false;
      }
      emitted = null;
      if (phase == NEW) {
        EventLoop l = loop();
        if (l.debug) {
          tracker = Debug.trackGenerator(g, l);
        }
      } else {
        g.state = pausedAt;
      }
      if (closing) {
        exit = new GeneratorExit();
      }
      return true;
    }

    /** What the body did since the step resumed it: paused at an emit, returned or threw. */
    private Object resumed() throws Throwable {
      while (true) {
        Object r;
        try {
          r = awaitResult();
        } catch (Throwable e) {
          return failed(e);
        }
        if (r != EMITTED) {
          finishedNow();
          return closing ? null : exhausted();
        }
        GeneratorMachine.this.state = pausedAt; // the runtime marked the machine finished
        if (!closing) {
          return emittedValue();
        }
        Object again;
        try {
          again = emittedWhileClosing();
        } catch (Throwable e) {
          return failed(e);
        }
        if (again == SUSPEND) {
          return SUSPEND; // state is still 1
        }
        deliver(again, null);
      }
    }

    /**
     * The body paused at an emit: for {@link #hasNext()}, {@code TRUE}, the value ready for {@link
     * #next()}; for an async for ({@link #direct}), the value itself.
     */
    private Object emittedValue() {
      if (!direct) {
        phase = READY;
        return Boolean.TRUE;
      }
      phase = PAUSED;
      Object v = emitted;
      emitted = null;
      return v;
    }

    /** The body returned (or the generator was finished): {@code FALSE}, or {@link #EXHAUSTED}. */
    private Object exhausted() {
      return direct ? EXHAUSTED : Boolean.FALSE;
    }

    /** The body threw {@code e}: the close it was asked for ends normally; any other is thrown. */
    private Object failed(Throwable e) throws Throwable {
      finishedNow();
      if (e instanceof GeneratorExit && e == exit) {
        return null;
      }
      throw e;
    }

    /**
     * An emit while closing fails there, so that the generator's finally blocks still run; escaping
     * the body, it fails the close.
     *
     * @return as {@link #resume}
     */
    private Object emittedWhileClosing() throws Throwable {
      GeneratorMachine<T> g = GeneratorMachine.this;
      emitted = null;
      g.deliver(null, new IllegalStateException("async generator " + g + " emitted a value while"
          + " it was being closed: a generator that catches GeneratorExit (or Throwable) must not"
          + " emit again (Python's 'async generator ignored GeneratorExit')"));
      return resume(g);
    }

    @Override
    public String toString() {
      return (closing ? "closeAsync() of " : "hasNext() of ") + GeneratorMachine.this;
    }
  }
}
