package io.awaitj;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The static entry points of awaitj, named after asyncio's: users write {@code Aio.gather(...)} where
 * Python users write {@code asyncio.gather(...)}. Only {@link #await} and {@link #done} are meant for
 * static import.
 *
 * <p>Unless said otherwise, these methods belong to the thread of the running loop ({@link
 * EventLoop#running()}), that is, to code inside coroutines and loop callbacks.
 */
public final class Aio {
  private Aio() {}

  static final String AWAIT_OUTSIDE =
      "await(...) ran outside a generated state machine. await only works in the body of an @Async"
          + " method, compiled by the awaitj processor: call the generated XAsync class (for example"
          + " CrawlerAsync.crawl(...) instead of Crawler.crawl(...)), and check that awaitj-processor is"
          + " on the annotation processor path";

  /**
   * Waits for {@code awaitable} and returns its result, or throws its failure. Only meaningful inside
   * an {@link Async} method, whose state machine replaces this call; anywhere else it throws.
   *
   * <p>Threading: any thread (it always throws).
   *
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T> T await(Awaitable<T> awaitable) {
    throw new IllegalStateException(AWAIT_OUTSIDE);
  }

  /**
   * Waits for a {@link CompletionStage}, which may complete on any thread; the coroutine resumes on
   * its loop's thread. Only meaningful inside an {@link Async} method, as {@link #await(Awaitable)}.
   * Where a promise is needed instead, {@link #fromStage} makes one of the stage.
   *
   * <p>Threading: any thread (it always throws).
   *
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T> T await(CompletionStage<T> stage) {
    throw new IllegalStateException(AWAIT_OUTSIDE);
  }

  /**
   * As {@link #await(Awaitable)}, declaring that the await may throw the checked exception {@code
   * thrown} names, so that {@code try { await(task, IOException.class); } catch (IOException e) {...}}
   * compiles: the form for an awaitable whose type says nothing about its failures (a task, a promise,
   * a coroutine kept in a variable). {@code thrown} must be a class literal; it only declares: a failure
   * of another type is thrown as it is, unwrapped, checked or not. See the README, "Exceptions".
   *
   * <p>Threading: the loop thread, inside an {@link Async} body (the state machine replaces the call;
   * anywhere else it throws).
   *
   * @param thrown the checked exception the await may throw, as a class literal ({@code IOException.class})
   * @throws E the awaited failure, when it is one
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T, E extends Exception> T await(Awaitable<T> awaitable, Class<E> thrown) throws E {
    throw new IllegalStateException(AWAIT_OUTSIDE);
  }

  /**
   * As {@link #await(CompletionStage)}, declaring that the await may throw the checked exception {@code
   * thrown} names: {@code try { await(http.sendAsync(request, handler), IOException.class); } catch
   * (IOException e) {...}}. The failure of a stage arrives as it is, not wrapped in a {@link
   * java.util.concurrent.CompletionException}. {@code thrown} must be a class literal; it only declares,
   * as in {@link #await(Awaitable, Class)}.
   *
   * <p>Threading: the loop thread, inside an {@link Async} body (the state machine replaces the call;
   * anywhere else it throws).
   *
   * @param thrown the checked exception the await may throw, as a class literal ({@code IOException.class})
   * @throws E the awaited failure, when it is one
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T, E extends Exception> T await(CompletionStage<T> stage, Class<E> thrown) throws E {
    throw new IllegalStateException(AWAIT_OUTSIDE);
  }

  /**
   * How an {@link Async} method returns its value: {@code return done(value);}. Outside a template it
   * is a coroutine already finished with {@code value}.
   *
   * <p>Threading: any thread.
   */
  public static <T> Coroutine<T> done(T value) {
    return new Coroutine.Completed<>(value, null);
  }

  /**
   * Emits {@code value} from an {@link Async} generator (a method declared to return {@link
   * AsyncGenerator AsyncGenerator&lt;T&gt;}): Python's {@code yield} in an {@code async def}. A suspension
   * point, as an await is: the generator pauses here until its consumer asks for the next value, and
   * a close of the generator throws {@link GeneratorExit} here, so that its {@code finally} blocks
   * run. The value must be a {@code T} (the processor checks it). Only meaningful in a generator's
   * body, whose state machine replaces this call; anywhere else it throws.
   *
   * <pre>{@code
   * @Async
   * static AsyncGenerator<Integer> countdown(int from) {
   *   for (int i = from; i > 0; i--) {
   *     emit(i);
   *     await(Aio.sleep(1000));
   *   }
   *   return finish();
   * }
   * }</pre>
   *
   * <p>Threading: any thread (it always throws).
   *
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T> void emit(T value) {
    throw new IllegalStateException(EMIT_OUTSIDE);
  }

  /**
   * How an {@link Async} generator ends: {@code return finish();} (Python's {@code return} in an async
   * generator). Only meaningful in a generator's body; anywhere else it throws.
   *
   * <p>Threading: any thread (it always throws).
   *
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T> AsyncGenerator<T> finish() {
    throw new IllegalStateException(EMIT_OUTSIDE);
  }

  private static final String EMIT_OUTSIDE =
      "emit(...) and finish() work only inside an @Async method declared to return AsyncGenerator<T>,"
          + " compiled by the awaitj processor: call the generated XAsync class, and check that"
          + " awaitj-processor is on the annotation processor path";

  /**
   * How an {@link Async} method of {@code Coroutine<Void>} returns: {@code return done();}.
   *
   * <p>Threading: any thread.
   */
  public static Coroutine<Void> done() {
    return new Coroutine.Completed<>(null, null);
  }

  /**
   * A coroutine that, when awaited, throws {@code exception}.
   *
   * <p>Threading: any thread.
   */
  public static <T> Coroutine<T> failed(Throwable exception) {
    if (exception == null) {
      throw new NullPointerException("exception");
    }
    return new Coroutine.Completed<>(null, exception);
  }

  // ---------------------------------------------------------------------------------------------
  // Running.

  /**
   * Runs {@code coroutine} on a new event loop until it completes and returns its result, rethrowing
   * its own exception (not a wrapper): asyncio's {@code run}. On the way out, tasks still alive are
   * cancelled and allowed to finish, and the loop is closed. Interrupting the thread cancels the
   * coroutine's task, as Ctrl-C does under {@code asyncio.run} (see {@link
   * EventLoop#runUntilComplete}); the interrupt status is set again when this method returns.
   *
   * <p>Threading: any thread in which no loop is running (the new loop belongs to it).
   *
   * @throws IllegalStateException if called from a running loop
   */
  public static <T> T run(Coroutine<T> coroutine) {
    return run(coroutine, EventLoop.create());
  }

  /**
   * As {@link #run(Coroutine)}, on a loop with a virtual clock ({@link EventLoop#createVirtual()}):
   * sleeps and timeouts take no real time, and events happen in a deterministic order. For tests.
   *
   * <p>Threading: as {@link #run(Coroutine)}.
   */
  public static <T> T runVirtual(Coroutine<T> coroutine) {
    return run(coroutine, EventLoop.createVirtual());
  }

  private static <T> T run(Coroutine<T> coroutine, EventLoop loop) {
    if (EventLoop.runningOrNull() != null) {
      throw new IllegalStateException("Aio.run() cannot be called from a running event loop");
    }
    try {
      return loop.runUntilComplete(coroutine);
    } finally {
      loop.close();
    }
  }

  /**
   * The running loop.
   *
   * <p>Threading: any thread (each has its own answer).
   *
   * @throws IllegalStateException if none runs in this thread
   */
  public static EventLoop loop() {
    return EventLoop.running();
  }

  /**
   * The task running now, or {@code null} outside a task.
   *
   * <p>Threading: any thread (each has its own answer).
   */
  public static Task<?> currentTask() {
    EventLoop l = EventLoop.runningOrNull();
    return l == null ? null : l.currentTask;
  }

  /**
   * The tasks of the running loop that are not done yet, newest first: asyncio's {@code all_tasks()}
   * (a set there). Each one's {@link Task#stack()} and {@link Task#printStack} say where it stands;
   * {@link EventLoop#dumpTasks()} prints them all.
   *
   * <p>Threading: the thread of a running loop.
   *
   * @throws IllegalStateException if no loop runs in this thread
   */
  public static java.util.List<Task<?>> allTasks() {
    return EventLoop.running().allTasks();
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks.

  /**
   * Schedules {@code coroutine} to run as a task on the running loop: asyncio's {@code create_task}.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Task<T> createTask(Coroutine<T> coroutine) {
    return EventLoop.running().createTask(coroutine);
  }

  /**
   * As {@link #createTask(Coroutine)}, with a name.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    return EventLoop.running().createTask(coroutine, name);
  }

  /**
   * A new promise of the running loop: asyncio's {@code loop.create_future()}.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Promise<T> createPromise() {
    return EventLoop.running().createPromise();
  }

  // ---------------------------------------------------------------------------------------------
  // Time.

  /**
   * A coroutine that completes after {@code delay}; a zero or negative delay yields to the loop for one
   * pass (every callback ready before it runs first), as asyncio's {@code sleep(0)}. The timer starts
   * when the coroutine is awaited, not when it is created (it is lazy, as Python's). A delay reaching
   * past the end of the loop's clock (see {@link EventLoop}) never ends by itself.
   *
   * <p>Awaiting it puts the awaiting task itself to sleep: no timer or promise is made, and nothing is
   * allocated at all, because the coroutine is shared: {@code sleep(0)} returns one coroutine, and a
   * sleep of another delay one coroutine per delay (kept in a small table: a program that sleeps many
   * different delays at once may get a new one now and then). A shared sleep, unlike any other
   * coroutine, may be awaited any number of times, by any task of any loop (each await sleeps once),
   * and {@link Coroutine#isStarted()} stays {@code false}; a task created with it ({@link #createTask},
   * and so {@link #gather} and the other combinators) runs a copy of it, which {@link Task#coroutine()}
   * returns. In debug mode ({@link EventLoop#setDebug}) every call returns a new coroutine, so that one
   * never awaited is reported and one awaited twice fails.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   */
  public static Coroutine<Void> sleep(Duration delay) {
    return Sleep.of(delay, null);
  }

  /**
   * {@link #sleep(Duration)} in milliseconds; zero or less yields, with the shared coroutine.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   */
  public static Coroutine<Void> sleep(long millis) {
    return Sleep.millis(millis);
  }

  /**
   * As {@link #sleep(Duration)}, completing with {@code value}; with a {@code null} value, the shared
   * coroutine of {@link #sleep(Duration)}; with another, a new coroutine, which runs once.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   */
  public static <T> Coroutine<T> sleep(Duration delay, T value) {
    return Sleep.of(delay, value);
  }

  // ---------------------------------------------------------------------------------------------
  // Combinators.

  /**
   * A promise for {@code awaitable}: asyncio's {@code ensure_future}. A promise (or task) is returned as
   * it is; a coroutine is wrapped in a new task of the running loop.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Promise<T> ensureFuture(Awaitable<T> awaitable) {
    return EventLoop.loopOf(awaitable).ensureFuture(awaitable);
  }

  /**
   * A promise of the running loop with the outcome of {@code stage}, which may complete on any thread:
   * asyncio's {@code wrap_future}. Use it to hand a {@link CompletionStage} to what takes awaitables
   * ({@link #wait(Collection, ReturnWhen)}, {@link #asCompleted(Collection)}, {@link TaskGroup}, a mix
   * of stages and tasks in {@link #gather(Awaitable...)}, ...): for example {@code
   * Aio.asCompleted(stages.stream().map(Aio::fromStage).toList())}.
   *
   * <ul>
   *   <li>The promise completes on the loop's thread, through its cross-thread inbox, as {@code
   *       await(stage)} resumes; a stage already complete gives a promise already done.
   *   <li>A failure is the stage's own exception, without the {@link
   *       java.util.concurrent.CompletionException} that wraps it; a cancelled stage cancels the
   *       promise.
   *   <li>Cancelling the promise cancels the stage's {@link CompletionStage#toCompletableFuture()
   *       future} (the stage itself, for a {@code CompletableFuture}), and the stage if it is another
   *       {@link java.util.concurrent.Future}.
   *   <li>Until the stage completes, the loop counts it as an event from outside, as an awaited stage:
   *       on a virtual clock it holds time still only while no timer is set (see {@link EventLoop}).
   * </ul>
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}). The stage may complete on any thread.
   *
   * @throws NullPointerException if {@code stage} is null
   */
  public static <T> Promise<T> fromStage(CompletionStage<T> stage) {
    return loopThread("Aio.fromStage").wrapStage(stage);
  }

  /**
   * The loop running in this thread, for {@code what}; fails fast with a message that says so if none
   * runs here.
   */
  private static EventLoop loopThread(String what) {
    EventLoop loop = EventLoop.runningOrNull();
    if (loop == null) {
      throw new IllegalStateException(
          "cannot call " + what + "(...) from thread " + Thread.currentThread().getName()
              + ": no event loop runs in it. Call it on the loop's thread, in a coroutine or a loop"
              + " callback; from other threads, inside loop.callSoonThreadsafe(...)");
    }
    return loop;
  }

  /** Promises of {@code stages}, for {@code what}; see {@link #fromStage}. */
  private static Awaitable<?>[] promisesOf(CompletionStage<?>[] stages, String what) {
    EventLoop loop = loopThread(what);
    for (CompletionStage<?> s : stages) {
      if (s == null) {
        throw new NullPointerException("a stage is null");
      }
    }
    Awaitable<?>[] promises = new Awaitable<?>[stages.length];
    for (int i = 0; i < stages.length; i++) {
      promises[i] = loop.wrapStage(stages[i]);
    }
    return promises;
  }

  private static final Awaitable<?>[] NONE = new Awaitable<?>[0];

  /**
   * Runs {@code awaitables} concurrently and collects their results in argument order (not completion
   * order): asyncio's {@code gather}. Coroutines are wrapped in tasks at once; promises are used as they
   * are; an awaitable passed twice runs once and its result appears twice.
   *
   * <ul>
   *   <li>The first failure completes the returned promise with that exception at once; the other
   *       awaitables are not cancelled and keep running.
   *   <li>A child cancelled from outside counts as a failure: the returned promise fails with a {@link
   *       CancelledError} (it is not itself cancelled), and the other children keep running.
   *   <li>Cancelling the returned promise, directly or by cancelling a task awaiting it, cancels every
   *       child still running; it then fails with a {@link CancelledError} once they are done. Once it
   *       is done, cancelling it does nothing.
   * </ul>
   *
   * With no awaitables, the result is an already completed empty list.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   *
   * @throws IllegalArgumentException if a promise belongs to another loop than the others
   */
  @SafeVarargs
  public static <T> Promise<List<T>> gather(Awaitable<? extends T>... awaitables) {
    return Gather.start(awaitables.clone(), false);
  }

  /**
   * As {@link #gather(Awaitable...)}, for {@link CompletionStage}s, each made a promise by {@link
   * #fromStage}: results come in argument order, and cancelling the returned promise cancels the stages
   * still running. To mix stages with tasks or coroutines, pass {@code Aio.fromStage(stage)}.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}). The stages may complete on any thread.
   */
  @SafeVarargs
  public static <T> Promise<List<T>> gather(CompletionStage<? extends T>... stages) {
    return Gather.start(promisesOf(stages, "Aio.gather"), false);
  }

  /**
   * {@link #gather(Awaitable...)} of nothing: an already completed empty list. (It keeps {@code
   * gather()} unambiguous between the awaitable and the stage forms.)
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException}.
   */
  public static <T> Promise<List<T>> gather() {
    return Gather.start(NONE, false);
  }

  /**
   * As {@link #gather(Awaitable...)}, for a collection; results come in its iteration order.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Promise<List<T>> gather(Collection<? extends Awaitable<? extends T>> awaitables) {
    return Gather.start(Gather.toArray(awaitables), false);
  }

  /**
   * As {@link #gather(Awaitable...)}, but failures are results too: asyncio's {@code
   * gather(..., return_exceptions=True)}. The returned promise completes when every awaitable is done,
   * with one {@link Result} per awaitable, in argument order; a cancelled child gives a failure with a
   * {@link CancelledError}. Cancelling the returned promise still makes it fail with a {@code
   * CancelledError}, as in asyncio.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  @SafeVarargs
  public static <T> Promise<List<Result<T>>> gatherSettled(Awaitable<? extends T>... awaitables) {
    return Gather.start(awaitables.clone(), true);
  }

  /**
   * As {@link #gatherSettled(Awaitable...)}, for {@link CompletionStage}s, each made a promise by
   * {@link #fromStage}; a cancelled stage gives a failure with a {@link CancelledError}.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}). The stages may complete on any thread.
   */
  @SafeVarargs
  public static <T> Promise<List<Result<T>>> gatherSettled(CompletionStage<? extends T>... stages) {
    return Gather.start(promisesOf(stages, "Aio.gatherSettled"), true);
  }

  /**
   * {@link #gatherSettled(Awaitable...)} of nothing: an already completed empty list. (It keeps {@code
   * gatherSettled()} unambiguous between the awaitable and the stage forms.)
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException}.
   */
  public static <T> Promise<List<Result<T>>> gatherSettled() {
    return Gather.start(NONE, true);
  }

  /**
   * As {@link #gatherSettled(Awaitable...)}, for a collection.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Promise<List<Result<T>>> gatherSettled(
      Collection<? extends Awaitable<? extends T>> awaitables) {
    return Gather.start(Gather.toArray(awaitables), true);
  }

  /**
   * Waits until all of {@code promises} are done: {@link #wait(Collection, ReturnWhen, Duration)} with
   * {@link ReturnWhen#ALL_COMPLETED} and no timeout.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   */
  public static <P extends Promise<?>> Coroutine<WaitResult<P>> wait(Collection<? extends P> promises) {
    return new WaitCombinator<>(promises, ReturnWhen.ALL_COMPLETED, null);
  }

  /**
   * {@link #wait(Collection, ReturnWhen, Duration)} without a timeout.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   */
  public static <P extends Promise<?>> Coroutine<WaitResult<P>> wait(
      Collection<? extends P> promises, ReturnWhen when) {
    return new WaitCombinator<>(promises, when, null);
  }

  /**
   * {@link #wait(Collection, ReturnWhen, Duration)} with {@link ReturnWhen#ALL_COMPLETED}.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   */
  public static <P extends Promise<?>> Coroutine<WaitResult<P>> wait(
      Collection<? extends P> promises, Duration timeout) {
    return new WaitCombinator<>(promises, ReturnWhen.ALL_COMPLETED, timeout);
  }

  /**
   * A coroutine that waits until {@code when} is satisfied or {@code timeout} has passed, and returns
   * which promises are done and which are still pending: asyncio's {@code wait}. It never throws on a
   * timeout and never cancels anything: what is pending keeps running. Each promise counts once (the
   * collection is made a set, by identity). The timeout starts when the coroutine is awaited.
   *
   * <p>To wait for coroutines, wrap them in tasks first ({@link #createTask(Coroutine)}), as asyncio
   * requires since Python 3.11: the tasks are what the result sets hold. Likewise, wrap {@link
   * CompletionStage}s with {@link #fromStage} ({@code stages.stream().map(Aio::fromStage).toList()}):
   * the result sets hold those promises.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   *
   * @param timeout the longest to wait, or {@code null} for no limit
   * @throws IllegalArgumentException if {@code promises} is empty (checked at the call), or, when
   *     awaited, if a promise belongs to another loop
   */
  public static <P extends Promise<?>> Coroutine<WaitResult<P>> wait(
      Collection<? extends P> promises, ReturnWhen when, Duration timeout) {
    return new WaitCombinator<>(promises, when, timeout);
  }

  /**
   * The results of {@code awaitables} in the order they complete: asyncio's {@code as_completed}.
   * Coroutines are wrapped in tasks at once, and each awaitable counts once. The i-th coroutine of the
   * list, when awaited, returns the result of the i-th awaitable to finish, or throws its exception (a
   * {@link CancelledError} if it was cancelled). The coroutines are served in the order they are
   * awaited, so awaiting them one after the other in list order is the usual way. The list is
   * read-only, and each of its coroutines is made when first accessed, so taking only the first few
   * results leaves nothing behind. For {@link CompletionStage}s, pass {@code
   * stages.stream().map(Aio::fromStage).toList()} (see {@link #fromStage}).
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> List<Coroutine<T>> asCompleted(
      Collection<? extends Awaitable<? extends T>> awaitables) {
    return AsCompleted.start(awaitables, null);
  }

  /**
   * As {@link #asCompleted(Collection)}, with a timeout counted from this call: once it has passed,
   * the coroutines not yet served throw {@link AsyncTimeoutException}. Nothing is cancelled.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   *
   * @param timeout the longest to wait for all results, or {@code null} for no limit
   */
  public static <T> List<Coroutine<T>> asCompleted(
      Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout) {
    return AsCompleted.start(awaitables, timeout);
  }

  /**
   * A coroutine that awaits {@code awaitable} with a time limit: asyncio's {@code wait_for} (Python
   * 3.12). When the limit passes, what the awaitable waits on is cancelled (a task passed in is
   * cancelled, a coroutine receives a {@link CancelledError} at its await), the coroutine waits until
   * that cancellation has run its course, and then throws {@link AsyncTimeoutException}; if the
   * awaitable swallowed the cancellation and returned a value, that value is returned. Cancelling the
   * task that awaits this coroutine cancels the awaitable too. To keep the awaitable running past the
   * timeout, pass it through {@link #shield(Awaitable)}.
   *
   * <p>The timeout starts when the coroutine is awaited. {@code null} means no limit. A zero or negative
   * timeout gives the awaitable no time at all: a promise already done gives its result; anything else
   * (a coroutine, which is then never started, or a pending promise) is cancelled and awaited, and the
   * call throws {@code AsyncTimeoutException} unless it completed anyway.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it.
   */
  public static <T> Coroutine<T> waitFor(Awaitable<T> awaitable, Duration timeout) {
    return new WaitFor<>(awaitable, timeout);
  }

  /**
   * As {@link #waitFor(Awaitable, Duration)}, for a {@link CompletionStage}, awaited as {@code
   * await(stage)} awaits it: when the limit passes, the stage is cancelled (as {@link #fromStage}'s
   * promise cancels it) and the coroutine throws {@link AsyncTimeoutException}. On a virtual clock a
   * stage that never completes times out as a sleep would (see {@link EventLoop}). To keep the stage
   * running past the timeout, pass {@link #shield(CompletionStage)}'s promise instead.
   *
   * <p>Threading: any thread may create it; it runs on the loop of the task that awaits it, where it
   * resumes whatever thread completes the stage.
   */
  public static <T> Coroutine<T> waitFor(CompletionStage<T> stage, Duration timeout) {
    return new WaitFor<>(stage, timeout);
  }

  /**
   * A {@link Timeout} scope of {@code delay} from now, for the task running now: asyncio's {@code
   * timeout}. Use it as the resource of a {@code try}-with-resources in an {@link Async} method; when
   * the delay passes, the task is cancelled and the block ends with {@link AsyncTimeoutException}.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   *
   * @param delay the time limit, or {@code null} for none (the deadline can be set later with {@link
   *     Timeout#reschedule})
   * @throws IllegalStateException outside a task
   */
  public static Timeout timeout(Duration delay) {
    EventLoop loop = EventLoop.running();
    return new Timeout(loop, Timeout.currentTask(loop, "Aio.timeout(...)"), delay);
  }

  /**
   * As {@link #timeout(Duration)}, expiring at {@code deadlineNanos} of the loop's clock ({@link
   * EventLoop#nanoTime()}): asyncio's {@code timeout_at}. {@link Timeout#NO_DEADLINE} means none; a
   * deadline already past expires on the loop's next pass.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   *
   * @throws IllegalStateException outside a task
   */
  public static Timeout timeoutAt(long deadlineNanos) {
    EventLoop loop = EventLoop.running();
    return new Timeout(loop, Timeout.currentTask(loop, "Aio.timeoutAt(...)"), deadlineNanos);
  }

  /**
   * Protects {@code awaitable} from cancellation: asyncio's {@code shield}. Returns a promise that
   * completes as the awaitable does (a coroutine is wrapped in a task). Cancelling the returned promise,
   * for example by cancelling a task that awaits it, cancels only that promise: the awaitable keeps
   * running, and its outcome is dropped. If the awaitable itself is cancelled, the returned promise is
   * cancelled too. An awaitable that is already a done promise is returned as it is.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Promise<T> shield(Awaitable<T> awaitable) {
    return Shield.start(awaitable);
  }

  /**
   * As {@link #shield(Awaitable)}, for a {@link CompletionStage} made a promise by {@link #fromStage}:
   * cancelling the returned promise leaves the stage running; if the stage is cancelled, so is the
   * returned promise.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}). The stage may complete on any thread.
   */
  public static <T> Promise<T> shield(CompletionStage<T> stage) {
    return Shield.start(loopThread("Aio.shield").wrapStage(stage));
  }

  // ---------------------------------------------------------------------------------------------
  // Threads.

  /**
   * Runs blocking {@code work} on the loop's {@linkplain EventLoop#defaultExecutor() default executor}
   * and returns a promise of its result: asyncio's {@code to_thread}. The promise completes on the
   * loop's thread; awaiting it returns the value or throws what {@code work} threw, checked exceptions
   * included, as they are. While the work runs, a virtual-time loop waits for it instead of jumping
   * ahead.
   * Cancelling the promise skips the work if it has not started yet; work already running is not
   * interrupted, and its outcome is dropped.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Promise<T> toThread(Callable<T> work) {
    EventLoop loop = EventLoop.running();
    return ThreadBridge.start(loop, loop.defaultExecutor(), work);
  }

  /**
   * As {@link #toThread(Callable)}, on {@code executor}: asyncio's {@code loop.run_in_executor}. A
   * {@code null} executor means the loop's default executor.
   *
   * <p>Threading: the thread of the running loop; elsewhere it fails fast with an {@link
   * IllegalStateException} (from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}).
   */
  public static <T> Promise<T> runInExecutor(Executor executor, Callable<T> work) {
    EventLoop loop = EventLoop.running();
    return ThreadBridge.start(loop, executor != null ? executor : loop.defaultExecutor(), work);
  }

  // ---------------------------------------------------------------------------------------------
  // Network streams (io.awaitj.io).

  /**
   * Opens a TCP connection: asyncio's {@code open_connection}. A host name is resolved on a thread
   * (an IP literal is not looked up); its addresses are tried in order until one connects. Lazy:
   * nothing happens until the coroutine is awaited. Cancelled while connecting, it closes the socket it
   * was connecting; nothing leaks.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws java.io.UncheckedIOException (when awaited) if the name does not resolve or no address
   *     accepts the connection (the cause is the first failure, the others suppressed in it)
   */
  public static Coroutine<io.awaitj.io.Connection> openConnection(String host, int port) {
    return io.awaitj.io.Connection.open(host, port, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #openConnection(String, int)}, with {@code options}: a connect timeout (an {@link
   * AsyncTimeoutException} when it passes), the reader's limit, the writer's water marks.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Connection> openConnection(
      String host, int port, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Connection.open(host, port, options);
  }

  /**
   * Opens a TLS connection: asyncio's {@code open_connection(host, port, ssl=context)}. The TCP
   * connection is made as by {@link #openConnection(String, int)}; then the TLS handshake runs, and
   * the coroutine completes with the connection once it succeeded. The client sends {@code host} as
   * the server's name (SNI, unless it is an IP literal) and checks the server's certificate against it
   * (hostname verification, RFC 2818's rules: {@code SSLParameters.setEndpointIdentificationAlgorithm
   * ("HTTPS")}), on top of the trust checks of {@code ssl}'s trust managers. The handshake times out
   * after {@link io.awaitj.io.ConnectionOptions#DEFAULT_HANDSHAKE_TIMEOUT}. {@code writeEof()} is not
   * supported over TLS; {@code close()} sends close_notify. Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws java.io.UncheckedIOException (when awaited) if the connection cannot be made, or the
   *     handshake fails (the cause is the {@link javax.net.ssl.SSLHandshakeException} or {@link
   *     javax.net.ssl.SSLException}: a certificate that is not trusted or does not name the host, no
   *     common protocol; a {@link java.net.SocketTimeoutException} after the handshake timeout); the
   *     socket is closed by then
   * @throws IllegalStateException (when awaited) if {@code ssl} is not initialized
   */
  public static Coroutine<io.awaitj.io.Connection> openConnection(
      String host, int port, javax.net.ssl.SSLContext ssl) {
    return openConnection(host, port, ssl, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #openConnection(String, int, javax.net.ssl.SSLContext)}, with {@code options}: besides
   * those of {@link #openConnection(String, int, io.awaitj.io.ConnectionOptions)}, the server name to
   * send and verify instead of {@code host} ({@link
   * io.awaitj.io.ConnectionOptions#withServerHostname}) and the handshake timeout ({@link
   * io.awaitj.io.ConnectionOptions#withHandshakeTimeout}). A connect timeout covers the handshake too.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Connection> openConnection(String host, int port,
      javax.net.ssl.SSLContext ssl, io.awaitj.io.ConnectionOptions options) {
    if (ssl == null) {
      throw new NullPointerException("ssl: for plain TCP, call openConnection(host, port, options)");
    }
    return io.awaitj.io.Connection.open(host, port, ssl, options);
  }

  /**
   * Opens a Unix domain socket connection: asyncio's {@code open_unix_connection}. Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Connection> openUnixConnection(java.nio.file.Path path) {
    return io.awaitj.io.Connection.openUnix(path, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #openUnixConnection(java.nio.file.Path)}, with {@code options}.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Connection> openUnixConnection(
      java.nio.file.Path path, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Connection.openUnix(path, options);
  }

  /**
   * Starts a TCP server: asyncio's {@code start_server}. Each connection runs {@code handler} as a
   * task of its own, and is closed when the handler returns. A {@code null} or empty host listens on
   * every interface; a name is resolved on a thread; port 0 lets the system choose ({@link
   * io.awaitj.io.Server#port()} tells). Lazy: the server listens once the coroutine is awaited.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws java.io.UncheckedIOException (when awaited) if the address cannot be bound
   */
  public static Coroutine<io.awaitj.io.Server> startServer(
      io.awaitj.io.ConnectionHandler handler, String host, int port) {
    return io.awaitj.io.Server.start(handler, host, port, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #startServer(io.awaitj.io.ConnectionHandler, String, int)}, with {@code options} (the
   * backlog, and each connection's limit and water marks).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Server> startServer(io.awaitj.io.ConnectionHandler handler,
      String host, int port, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Server.start(handler, host, port, options);
  }

  /**
   * Starts a TLS server: asyncio's {@code start_server(..., ssl=context)}. As {@link
   * #startServer(io.awaitj.io.ConnectionHandler, String, int)}, but each connection first runs its TLS
   * handshake (the server's certificate and key come from {@code ssl}'s key managers), and its handler
   * starts once the handshake succeeded. A failed or timed-out handshake closes that connection only:
   * it is logged at {@code DEBUG} level and reported to the loop's exception handler in debug mode
   * (see {@link io.awaitj.io.Server}). Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws IllegalStateException if {@code ssl} is not initialized
   * @throws java.io.UncheckedIOException (when awaited) if the address cannot be bound
   */
  public static Coroutine<io.awaitj.io.Server> startServer(io.awaitj.io.ConnectionHandler handler,
      String host, int port, javax.net.ssl.SSLContext ssl) {
    return startServer(handler, host, port, ssl, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #startServer(io.awaitj.io.ConnectionHandler, String, int, javax.net.ssl.SSLContext)},
   * with {@code options} (among them the handshake timeout, {@link
   * io.awaitj.io.ConnectionOptions#withHandshakeTimeout}).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws IllegalStateException if {@code ssl} is not initialized
   */
  public static Coroutine<io.awaitj.io.Server> startServer(io.awaitj.io.ConnectionHandler handler,
      String host, int port, javax.net.ssl.SSLContext ssl, io.awaitj.io.ConnectionOptions options) {
    if (ssl == null) {
      throw new NullPointerException("ssl: for plain TCP, call startServer(handler, host, port)");
    }
    return io.awaitj.io.Server.start(handler, host, port, ssl, options);
  }

  /**
   * Starts a Unix domain socket server on {@code path}: asyncio's {@code start_unix_server}. A socket
   * file left at {@code path} by an earlier server is removed first (any other file makes the start
   * fail); the server removes its file when it closes. Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Server> startUnixServer(
      io.awaitj.io.ConnectionHandler handler, java.nio.file.Path path) {
    return io.awaitj.io.Server.startUnix(handler, path, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #startUnixServer(io.awaitj.io.ConnectionHandler, java.nio.file.Path)}, with {@code
   * options}.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Server> startUnixServer(io.awaitj.io.ConnectionHandler handler,
      java.nio.file.Path path, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Server.startUnix(handler, path, options);
  }

  /**
   * Opens a TCP connection whose bytes go to a protocol of one's own: asyncio's {@code
   * loop.create_connection(protocol_factory, host, port)}. The connect is {@link #openConnection(String,
   * int)}'s (a host name resolved on a thread, its addresses tried in order; cancelled, it closes what
   * it was connecting); once connected, {@code protocolFactory} makes the protocol, the transport
   * calls its {@link io.awaitj.io.Protocol#connectionMade connectionMade}, and the coroutine completes
   * with the {@link io.awaitj.io.Transport}. From then on the transport calls the protocol as {@link
   * io.awaitj.io.Protocol} says (data, end of stream, {@code pauseWriting}/{@code resumeWriting} around
   * its write buffer's water marks, {@code connectionLost} once), on the loop's thread; the protocol
   * writes and closes through the transport. If the factory throws or returns {@code null}, or {@code
   * connectionMade} throws, the socket is closed and the await throws that. Lazy. Unlike asyncio, which
   * returns the pair {@code (transport, protocol)}, it returns the transport: the caller made the
   * protocol's factory, and keeps what it needs of it.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread, and so do all the
   * protocol's callbacks.
   *
   * @throws java.io.UncheckedIOException (when awaited) if the name does not resolve or no address
   *     accepts the connection
   */
  public static Coroutine<io.awaitj.io.Transport> createConnection(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port) {
    return createConnection(protocolFactory, host, port, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #createConnection(java.util.function.Supplier, String, int)}, with {@code options}: a
   * connect timeout, and the transport's write-buffer water marks ({@link
   * io.awaitj.io.ConnectionOptions#withWriteBufferLimits}, by default 64 KiB and 16 KiB; the reader's
   * limit does not apply: a protocol gets the bytes as they come).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Transport> createConnection(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Transport.connect(protocolFactory, host, port, options);
  }

  /**
   * Opens a TLS connection whose decrypted bytes go to a protocol of one's own: asyncio's {@code
   * loop.create_connection(protocol_factory, host, port, ssl=context)}. The connect and the handshake
   * are {@link #openConnection(String, int, javax.net.ssl.SSLContext)}'s (the server's name sent and
   * verified, the handshake timeout). {@code protocolFactory} makes the protocol once the socket is
   * connected; its {@link io.awaitj.io.Protocol#connectionMade connectionMade} runs once the handshake
   * succeeded (a failed handshake calls none of it), and the coroutine then completes with its
   * transport, as for {@link #createConnection(java.util.function.Supplier, String, int)}. The
   * protocol gets the plaintext, and its writes are encrypted;
   * {@code writeEof()} is not supported over TLS ({@link io.awaitj.io.Transport#canWriteEof()} says
   * false); {@code close()} sends close_notify. Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread, and so do all the
   * protocol's callbacks.
   *
   * @throws java.io.UncheckedIOException (when awaited) if the connection cannot be made or the
   *     handshake fails (as for {@link #openConnection(String, int, javax.net.ssl.SSLContext)})
   * @throws IllegalStateException (when awaited) if {@code ssl} is not initialized
   */
  public static Coroutine<io.awaitj.io.Transport> createConnection(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port, javax.net.ssl.SSLContext ssl) {
    return createConnection(protocolFactory, host, port, ssl, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #createConnection(java.util.function.Supplier, String, int, javax.net.ssl.SSLContext)},
   * with {@code options}: those of {@link #createConnection(java.util.function.Supplier, String, int,
   * io.awaitj.io.ConnectionOptions)}, and the server name and handshake timeout of {@link
   * #openConnection(String, int, javax.net.ssl.SSLContext, io.awaitj.io.ConnectionOptions)}.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Transport> createConnection(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port, javax.net.ssl.SSLContext ssl, io.awaitj.io.ConnectionOptions options) {
    if (ssl == null) {
      throw new NullPointerException(
          "ssl: for plain TCP, call createConnection(protocolFactory, host, port, options)");
    }
    return io.awaitj.io.Transport.connect(protocolFactory, host, port, ssl, options);
  }

  /**
   * Opens a Unix domain socket connection whose bytes go to a protocol of one's own: asyncio's {@code
   * loop.create_unix_connection(protocol_factory, path)}. As {@link
   * #createConnection(java.util.function.Supplier, String, int)}, to the socket file at {@code path}.
   * Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread, and so do all the
   * protocol's callbacks.
   *
   * @throws java.io.UncheckedIOException (when awaited) if nothing listens at {@code path}
   */
  public static Coroutine<io.awaitj.io.Transport> createUnixConnection(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory,
      java.nio.file.Path path) {
    return createUnixConnection(protocolFactory, path, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #createUnixConnection(java.util.function.Supplier, java.nio.file.Path)}, with {@code
   * options} (a connect timeout, the write-buffer water marks).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Transport> createUnixConnection(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory,
      java.nio.file.Path path, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Transport.connectUnix(protocolFactory, path, options);
  }

  /**
   * Starts a TCP server whose connections each get a new protocol of {@code protocolFactory}'s:
   * asyncio's {@code loop.create_server(protocol_factory, host, port)}. Binding is {@link
   * #startServer(io.awaitj.io.ConnectionHandler, String, int)}'s (a {@code null} or empty host listens
   * on every interface; port 0 lets the system choose). For each accepted connection the factory
   * makes a protocol, and its transport calls it as {@link io.awaitj.io.Protocol} says, on the loop's
   * thread; no task runs per connection. If the factory or {@code connectionMade} throws, that
   * connection is closed and the loop's exception handler told; the server goes on. {@link
   * io.awaitj.io.Server#waitClosed()} waits until the server is closed and every connection's protocol
   * got {@code connectionLost}; {@code closeClients()} and {@code abortClients()} close their
   * transports. Lazy: the server listens once the coroutine is awaited.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread, and so do all the
   * protocols' callbacks.
   *
   * @throws java.io.UncheckedIOException (when awaited) if the address cannot be bound
   */
  public static Coroutine<io.awaitj.io.Server> createServer(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port) {
    return createServer(protocolFactory, host, port, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #createServer(java.util.function.Supplier, String, int)}, with {@code options} (the
   * backlog, and each transport's write-buffer water marks).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Server> createServer(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Server.create(protocolFactory, host, port, options);
  }

  /**
   * Starts a TLS server whose connections each get a new protocol of {@code protocolFactory}'s:
   * asyncio's {@code loop.create_server(protocol_factory, host, port, ssl=context)}. As {@link
   * #createServer(java.util.function.Supplier, String, int)}, but each connection first runs its TLS
   * handshake, as for {@link #startServer(io.awaitj.io.ConnectionHandler, String, int,
   * javax.net.ssl.SSLContext)}: the factory makes the connection's protocol when it is accepted, and
   * its {@code connectionMade} runs once the handshake succeeded; the protocol gets the plaintext. A
   * failed or timed-out handshake closes that connection only, without calling its protocol. Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread, and so do all the
   * protocols' callbacks.
   *
   * @throws IllegalStateException if {@code ssl} is not initialized
   * @throws java.io.UncheckedIOException (when awaited) if the address cannot be bound
   */
  public static Coroutine<io.awaitj.io.Server> createServer(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port, javax.net.ssl.SSLContext ssl) {
    return createServer(protocolFactory, host, port, ssl, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #createServer(java.util.function.Supplier, String, int, javax.net.ssl.SSLContext)},
   * with {@code options} (among them the handshake timeout, {@link
   * io.awaitj.io.ConnectionOptions#withHandshakeTimeout}).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws IllegalStateException if {@code ssl} is not initialized
   */
  public static Coroutine<io.awaitj.io.Server> createServer(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory, String host,
      int port, javax.net.ssl.SSLContext ssl, io.awaitj.io.ConnectionOptions options) {
    if (ssl == null) {
      throw new NullPointerException(
          "ssl: for plain TCP, call createServer(protocolFactory, host, port, options)");
    }
    return io.awaitj.io.Server.create(protocolFactory, host, port, ssl, options);
  }

  /**
   * Starts a Unix domain socket server whose connections each get a new protocol of {@code
   * protocolFactory}'s: asyncio's {@code loop.create_unix_server(protocol_factory, path)}. As {@link
   * #createServer(java.util.function.Supplier, String, int)}, listening on the socket file at {@code
   * path}, which it handles as {@link #startUnixServer(io.awaitj.io.ConnectionHandler,
   * java.nio.file.Path)} does (a socket file left there removed first, its own removed when it
   * closes). Lazy.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread, and so do all the
   * protocols' callbacks.
   *
   * @throws java.io.UncheckedIOException (when awaited) if the path cannot be bound
   */
  public static Coroutine<io.awaitj.io.Server> createUnixServer(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory,
      java.nio.file.Path path) {
    return createUnixServer(protocolFactory, path, io.awaitj.io.ConnectionOptions.defaults());
  }

  /**
   * As {@link #createUnixServer(java.util.function.Supplier, java.nio.file.Path)}, with {@code
   * options} (the backlog, and each transport's write-buffer water marks).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<io.awaitj.io.Server> createUnixServer(
      java.util.function.Supplier<? extends io.awaitj.io.Protocol> protocolFactory,
      java.nio.file.Path path, io.awaitj.io.ConnectionOptions options) {
    return io.awaitj.io.Server.createUnix(protocolFactory, path, options);
  }

  /**
   * Starts a process running {@code command} (the program, looked up on the PATH unless it is a path,
   * and its arguments; no shell), with its stdin, stdout and stderr as pipes: asyncio's {@code
   * create_subprocess_exec} with {@code PIPE} for all three. {@link io.awaitj.io.Subprocess} says what
   * its pipes cost (a daemon thread per pipe) and how it behaves under cancellation and on a virtual
   * clock. Lazy: nothing starts until the coroutine is awaited; the process then starts on the loop's
   * thread (as asyncio forks on its thread; about a millisecond).
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws IllegalArgumentException if {@code command} is empty
   * @throws java.io.UncheckedIOException (when awaited) if the process cannot start (a missing
   *     program, a missing working directory); the message names the command
   */
  public static Coroutine<io.awaitj.io.Subprocess> createSubprocessExec(String... command) {
    if (command.length == 0) {
      throw new IllegalArgumentException("createSubprocessExec needs a command: the program to run");
    }
    return io.awaitj.io.Subprocess.exec(new ProcessBuilder(command));
  }

  /**
   * As {@link #createSubprocessExec(String...)}, for the process {@code builder} describes: its
   * command, working directory ({@link ProcessBuilder#directory(java.io.File)}), environment ({@link
   * ProcessBuilder#environment()}) and redirects. Each stream left a {@link
   * ProcessBuilder.Redirect#PIPE} (the default) gets its reader or writer and thread; a redirected one
   * (to a file, {@code INHERIT}, or stderr merged into stdout by {@link
   * ProcessBuilder#redirectErrorStream(boolean)}) gets neither. The builder is read when the coroutine
   * is awaited.
   *
   * <p>Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws IllegalArgumentException if the builder's command is empty
   * @throws java.io.UncheckedIOException (when awaited) if the process cannot start
   */
  public static Coroutine<io.awaitj.io.Subprocess> createSubprocessExec(ProcessBuilder builder) {
    return io.awaitj.io.Subprocess.exec(builder);
  }
}
