package io.awaitj;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

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
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T> T await(Awaitable<T> awaitable) {
    throw new IllegalStateException(AWAIT_OUTSIDE);
  }

  /**
   * Waits for a {@link CompletionStage}, which may complete on any thread; the coroutine resumes on
   * its loop's thread. Only meaningful inside an {@link Async} method, as {@link #await(Awaitable)}.
   *
   * @throws IllegalStateException always, when it actually runs
   */
  public static <T> T await(CompletionStage<T> stage) {
    throw new IllegalStateException(AWAIT_OUTSIDE);
  }

  /**
   * How an {@link Async} method returns its value: {@code return done(value);}. Outside a template it
   * is a coroutine already finished with {@code value}.
   */
  public static <T> Coroutine<T> done(T value) {
    return new Coroutine.Completed<>(value, null);
  }

  /** How an {@link Async} method of {@code Coroutine<Void>} returns: {@code return done();}. */
  public static Coroutine<Void> done() {
    return new Coroutine.Completed<>(null, null);
  }

  /** A coroutine that, when awaited, throws {@code exception}. */
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
   * cancelled and allowed to finish, and the loop is closed.
   *
   * @throws IllegalStateException if called from a running loop
   */
  public static <T> T run(Coroutine<T> coroutine) {
    return run(coroutine, EventLoop.create());
  }

  /**
   * As {@link #run(Coroutine)}, on a loop with a virtual clock ({@link EventLoop#createVirtual()}):
   * sleeps and timeouts take no real time, and events happen in a deterministic order. For tests.
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

  /** The running loop. @throws IllegalStateException if none runs in this thread */
  public static EventLoop loop() {
    return EventLoop.running();
  }

  /** The task running now, or {@code null} outside a task. */
  public static Task<?> currentTask() {
    EventLoop l = EventLoop.runningOrNull();
    return l == null ? null : l.currentTask;
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks.

  /** Schedules {@code coroutine} to run as a task on the running loop: asyncio's {@code create_task}. */
  public static <T> Task<T> createTask(Coroutine<T> coroutine) {
    return EventLoop.running().createTask(coroutine);
  }

  /** As {@link #createTask(Coroutine)}, with a name. */
  public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    return EventLoop.running().createTask(coroutine, name);
  }

  /** A new promise of the running loop: asyncio's {@code loop.create_future()}. */
  public static <T> Promise<T> createPromise() {
    return EventLoop.running().createPromise();
  }

  // ---------------------------------------------------------------------------------------------
  // Time.

  /**
   * A coroutine that completes after {@code delay}; a zero delay yields to the loop for one pass. The
   * timer starts when the coroutine is awaited, not when it is created (it is lazy, as Python's).
   */
  public static Coroutine<Void> sleep(Duration delay) {
    return new Sleep<>(delay, null);
  }

  /** {@link #sleep(Duration)} in milliseconds. */
  public static Coroutine<Void> sleep(long millis) {
    return new Sleep<>(Duration.ofMillis(millis), null);
  }

  /** As {@link #sleep(Duration)}, completing with {@code value}. */
  public static <T> Coroutine<T> sleep(Duration delay, T value) {
    return new Sleep<>(delay, value);
  }
}
