package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debug mode: slow callbacks, failures nobody retrieved (reported when the promise is collected) and
 * coroutines never awaited (reported when collected, if created while a loop in debug mode ran).
 * Debug mode is a setting of each loop: nothing here assigns a static. Reports that depend
 * on garbage collection are awaited by running the collector until they arrive, within a generous
 * bound; a report that must not happen is checked against a control that must, collected alongside.
 */
class DebugModeTest {
  private static final long GC_BOUND_NANOS = Duration.ofSeconds(10).toNanos();

  private Locale savedLocale;

  @BeforeEach
  void saveLocale() {
    savedLocale = Locale.getDefault();
  }

  @AfterEach
  void restoreLocale() {
    Locale.setDefault(savedLocale);
  }

  /** What a loop's exception handler received; reports may come from the Cleaner's thread. */
  static final class Reports implements EventLoop.ExceptionHandler {
    record Report(String message, Throwable exception) {}

    final ConcurrentLinkedQueue<Report> all = new ConcurrentLinkedQueue<>();

    @Override
    public void handle(String message, Throwable exception) {
      all.add(new Report(message, exception));
    }

    List<String> messagesAbout(Throwable e) {
      return all.stream()
          .filter(r -> r.exception() == e)
          .map(Report::message)
          .collect(Collectors.toList());
    }

    List<String> messagesContaining(String text) {
      return all.stream()
          .map(Report::message)
          .filter(m -> m.contains(text))
          .collect(Collectors.toList());
    }
  }

  /** Runs the garbage collector until {@code condition} holds; fails after ten seconds. */
  static void collectUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > GC_BOUND_NANOS) {
        fail("after 10 s of garbage collection, still not: " + what);
      }
      System.gc();
      Thread.sleep(10);
    }
  }

  /** A few more collections, so that anything collected alongside a control has been processed. */
  static void collectSomeMore() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
    }
  }

  static EventLoop debugLoop(Reports reports) {
    EventLoop loop = EventLoop.createVirtual();
    loop.setDebug(true);
    loop.setExceptionHandler(reports);
    return loop;
  }

  // -----------------------------------------------------------------------------------------------
  // Slow callbacks.

  /** A callback that holds the loop for a while, with a recognisable description. */
  static final class SlowCallback implements Runnable {
    private final long millis;

    SlowCallback(long millis) {
      this.millis = millis;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String toString() {
      return "SlowCallback(" + millis + " ms)";
    }
  }

  @Test
  void slowCallbacksAreReported() {
    Locale.setDefault(Locale.GERMANY); // the duration must not be formatted with a decimal comma
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    loop.setSlowCallbackDuration(Duration.ofMillis(20));
    loop.callSoon(new SlowCallback(100));
    loop.runUntilComplete(Aio.sleep(0));
    loop.close();
    List<String> messages = reports.messagesContaining("SlowCallback(100 ms)");
    assertEquals(1, messages.size(), reports.all.toString());
    assertTrue(
        messages.get(0).matches(
            "Executing Handle\\[SlowCallback\\(100 ms\\)\\] took \\d+\\.\\d{3} seconds"),
        messages.get(0));
    for (Reports.Report r : reports.all) {
      assertNull(r.exception(), r.message());
    }
  }

  @Test
  void aSlowTaskStepIsReportedWithTheTask() {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    loop.setSlowCallbackDuration(Duration.ofMillis(20));
    Task<Object> t =
        loop.createTask(
            Script.of(
                p -> Aio.sleep(0),
                p -> {
                  new SlowCallback(100).run();
                  return "done";
                }),
            "slow-step");
    assertEquals("done", loop.runUntilComplete(t));
    loop.close();
    List<String> about = reports.messagesContaining("slow-step");
    assertEquals(1, about.size(), reports.all.toString());
    assertTrue(about.get(0).startsWith("Executing Task[slow-step"), about.get(0));
  }

  @Test
  void callbacksUnderTheThresholdOrWithoutDebugModeAreNotReported() {
    Reports underThreshold = new Reports();
    EventLoop loop = debugLoop(underThreshold);
    loop.setSlowCallbackDuration(Duration.ofSeconds(30));
    loop.callSoon(new SlowCallback(50));
    loop.runUntilComplete(Aio.sleep(0));
    loop.close();
    assertEquals(List.of(), List.copyOf(underThreshold.all));

    Reports noDebug = new Reports();
    EventLoop plain = EventLoop.createVirtual();
    plain.setDebug(false);
    plain.setExceptionHandler(noDebug);
    plain.setSlowCallbackDuration(Duration.ofNanos(1));
    plain.callSoon(new SlowCallback(50));
    plain.runUntilComplete(Aio.sleep(0));
    plain.close();
    assertEquals(List.of(), List.copyOf(noDebug.all));
  }

  // -----------------------------------------------------------------------------------------------
  // Failures nobody retrieved.

  /** Fails a promise of {@code loop} and forgets it. */
  static WeakReference<Promise<?>> failAndForget(EventLoop loop, Throwable e) {
    Promise<Object> p = loop.createPromise();
    p.fail(e);
    assertEquals(loop.isDebug(), Debug.isTracked(p));
    return new WeakReference<>(p);
  }

  @Test
  void aFailedPromiseNobodyAskedAboutIsReportedWhenCollected() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    RuntimeException lost = new RuntimeException("lost");
    WeakReference<Promise<?>> ref = failAndForget(loop, lost);
    collectUntil(() -> !reports.messagesAbout(lost).isEmpty(), "the lost failure is reported");
    assertNull(ref.get());
    assertEquals(List.of("Promise exception was never retrieved"), reports.messagesAbout(lost));
    loop.close();
  }

  static WeakReference<Task<?>> failTaskAndForget(EventLoop loop, Throwable e) {
    Task<Object> t =
        loop.createTask(
            Script.of(
                p -> Aio.sleep(Duration.ofSeconds(1)),
                p -> {
                  throw e;
                }),
            "doomed");
    loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(2)));
    assertTrue(t.isDone());
    assertTrue(Debug.isTracked(t));
    return new WeakReference<>(t);
  }

  @Test
  void aFailedTaskNobodyAwaitedIsReportedWhenCollected() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    IllegalStateException lost = new IllegalStateException("task failure");
    failTaskAndForget(loop, lost);
    collectUntil(() -> !reports.messagesAbout(lost).isEmpty(), "the task's failure is reported");
    List<String> messages = reports.messagesAbout(lost);
    assertEquals(1, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("Task[doomed"), messages.get(0));
    assertTrue(messages.get(0).endsWith("exception was never retrieved"), messages.get(0));
    loop.close();
  }

  /** Every way a failure can be retrieved; each leaves its promise untracked. */
  static List<WeakReference<?>> failAndRetrieveInEveryWay(EventLoop loop, List<Throwable> errors) {
    List<WeakReference<?>> refs = new ArrayList<>();
    List<Promise<?>> promises = new ArrayList<>();

    // result(), exception(), toResult()
    Promise<Object> p1 = loop.createPromise();
    p1.fail(error(errors, "result()"));
    assertThrows(RuntimeException.class, p1::result);
    promises.add(p1);
    Promise<Object> p2 = loop.createPromise();
    p2.fail(error(errors, "exception()"));
    assertSame(errors.get(errors.size() - 1), p2.exception());
    promises.add(p2);
    Promise<Object> p3 = loop.createPromise();
    p3.fail(error(errors, "toResult()"));
    assertTrue(p3.toResult().isFailure());
    promises.add(p3);

    // toCompletableFuture(), whose callback runs on the loop
    Promise<Object> p4 = loop.createPromise();
    CompletableFuture<Object> f4 = p4.toCompletableFuture();
    p4.fail(error(errors, "toCompletableFuture()"));
    promises.add(p4);

    // copyFrom(): the failure is handed to another promise, which is then retrieved
    Promise<Object> p5 = loop.createPromise();
    p5.fail(error(errors, "copyFrom() source"));
    Promise<Object> copy = loop.createPromise();
    copy.copyFrom(p5);
    copy.exception();
    promises.add(p5);
    promises.add(copy);

    // Awaited when already failed (no suspension), and awaited while pending (after suspension).
    Promise<Object> p6 = loop.createPromise();
    p6.fail(error(errors, "awaited when failed"));
    Task<Object> awaiter6 = loop.createTask(Script.of(p -> p6).onError(e -> "caught"));
    Promise<Object> p7 = loop.createPromise();
    Task<Object> awaiter7 = loop.createTask(Script.of(p -> p7).onError(e -> "caught"));
    promises.add(p6);
    promises.add(p7);

    // A task whose failure another task awaits after suspending, a task awaited by
    // runUntilComplete, and the failures of a TaskGroup's tasks.
    Task<Object> failing =
        loop.createTask(
            Script.of(
                p -> Aio.sleep(Duration.ofSeconds(1)),
                p -> {
                  throw error(errors, "task awaited by a task");
                }));
    Task<Object> awaitsTask = loop.createTask(Script.of(p -> failing).onError(e -> "caught"));
    promises.add(failing);

    Task<Object> grouped =
        loop.createTask(
            Script.of(
                    p -> {
                      TaskGroup g = new TaskGroup();
                      promises.add(
                          g.createTask(
                              Script.of(
                                  q -> {
                                    throw error(errors, "task of a TaskGroup");
                                  })));
                      return g.closeAsync();
                    })
                .onError(e -> e));

    // A promise that fails while its task is being cancelled: the task receives the cancellation,
    // and the failure is consumed as asyncio's Task.__wakeup consumes it.
    Promise<Object> p8 = loop.createPromise();
    Task<Object> cancelled = loop.createTask(Script.of(p -> p8));
    promises.add(p8);

    loop.runUntilComplete(Aio.sleep(Duration.ofMillis(500)));
    p7.fail(error(errors, "awaited after suspension"));
    loop.callSoon(
        () -> {
          p8.fail(error(errors, "failed while the task is cancelled"));
          cancelled.cancel();
        });
    loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(2)));
    assertTrue(cancelled.isCancelled());
    assertTrue(f4.isCompletedExceptionally());
    assertEquals("caught", awaitsTask.result());
    assertInstanceOf(TaskGroupException.class, grouped.result());
    assertEquals("caught", awaiter6.result());
    assertEquals("caught", awaiter7.result());

    // A task that fails and whose failure is returned by runUntilComplete.
    Task<Object> runUntil =
        loop.createTask(
            Script.of(
                p -> {
                  throw error(errors, "runUntilComplete()");
                }));
    assertThrows(RuntimeException.class, () -> loop.runUntilComplete(runUntil));
    promises.add(runUntil);

    for (Promise<?> p : promises) {
      assertTrue(p.isDone(), p.toString());
      assertFalse(Debug.isTracked(p), "still tracked after its failure was retrieved: " + p);
      refs.add(new WeakReference<>(p));
    }
    assertEquals(11, errors.size());
    return refs;
  }

  static RuntimeException error(List<Throwable> errors, String how) {
    RuntimeException e = new RuntimeException("retrieved by " + how);
    errors.add(e);
    return e;
  }

  @Test
  void failuresThatWereRetrievedAreNotReported() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    List<Throwable> retrieved = new ArrayList<>();
    List<WeakReference<?>> refs = failAndRetrieveInEveryWay(loop, retrieved);
    RuntimeException control = new RuntimeException("control");
    failAndForget(loop, control);
    collectUntil(
        () -> !reports.messagesAbout(control).isEmpty() && refs.stream().allMatch(r -> r.get() == null),
        "the control is reported and the retrieved promises are collected");
    collectSomeMore();
    for (Throwable e : retrieved) {
      assertEquals(List.of(), reports.messagesAbout(e), e.getMessage());
    }
    loop.close();
  }

  @Test
  void switchingDebugModeOffBeforeTheRetrievalCausesNoFalseReport() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    RuntimeException retrieved = new RuntimeException("retrieved with debug mode off");
    WeakReference<Promise<?>> ref = failSwitchOffAndRetrieve(loop, retrieved);
    RuntimeException control = new RuntimeException("control");
    loop.setDebug(true);
    failAndForget(loop, control);
    collectUntil(
        () -> !reports.messagesAbout(control).isEmpty() && ref.get() == null,
        "the control is reported and the retrieved promise is collected");
    collectSomeMore();
    assertEquals(List.of(), reports.messagesAbout(retrieved));
    loop.close();
  }

  static WeakReference<Promise<?>> failSwitchOffAndRetrieve(EventLoop loop, Throwable e) {
    Promise<Object> p = loop.createPromise();
    p.fail(e);
    loop.setDebug(false);
    assertSame(e, p.exception());
    assertFalse(Debug.isTracked(p));
    return new WeakReference<>(p);
  }

  @Test
  void failuresWithoutDebugModeAreNotTracked() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop plain = EventLoop.createVirtual();
    plain.setDebug(false);
    plain.setExceptionHandler(reports);
    RuntimeException untracked = new RuntimeException("no debug mode");
    WeakReference<Promise<?>> ref = failAndForget(plain, untracked);
    EventLoop debug = debugLoop(reports);
    RuntimeException control = new RuntimeException("control");
    failAndForget(debug, control);
    collectUntil(
        () -> !reports.messagesAbout(control).isEmpty() && ref.get() == null,
        "the control is reported and the untracked promise is collected");
    collectSomeMore();
    assertEquals(List.of(), reports.messagesAbout(untracked));
    plain.close();
    debug.close();
  }

  static WeakReference<Task<?>> startTaskThatFailsOnShutdown(EventLoop loop, Throwable e) {
    Task<Object> t = loop.createTask(
        Script.of(p -> Aio.sleep(Duration.ofHours(1)))
            .onError(
                err -> {
                  throw e;
                }));
    loop.runUntilComplete(Aio.sleep(Duration.ofSeconds(1)));
    assertFalse(t.isDone());
    return new WeakReference<>(t);
  }

  @Test
  void aFailureDuringShutdownIsReportedOnceNotAgainWhenCollected() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    IllegalStateException onShutdown = new IllegalStateException("failed while cancelled");
    WeakReference<Task<?>> ref = startTaskThatFailsOnShutdown(loop, onShutdown);
    loop.close();
    List<String> messages = reports.messagesAbout(onShutdown);
    assertEquals(1, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("unhandled exception during shutdown"), messages.get(0));

    EventLoop other = debugLoop(reports);
    RuntimeException control = new RuntimeException("control");
    failAndForget(other, control);
    collectUntil(
        () -> !reports.messagesAbout(control).isEmpty() && ref.get() == null,
        "the control is reported and the task is collected");
    collectSomeMore();
    assertEquals(messages, reports.messagesAbout(onShutdown));
    other.close();
  }

  // -----------------------------------------------------------------------------------------------
  // Coroutines never awaited.

  /** A coroutine that is never started. */
  static final class ForgottenProbe extends Coroutine<Void> {
    @Override
    protected Object step() {
      return null;
    }
  }

  /** A coroutine that is started, one way or another. */
  static final class StartedProbe extends Coroutine<String> {
    @Override
    protected Object step() {
      return "started";
    }
  }

  static List<String> reportsAbout(Reports reports, Class<?> probe) {
    return reports.messagesContaining("coroutine " + probe.getName() + " ");
  }

  /** Creates a coroutine in a plain callback while {@code loop} runs (no task), and forgets it. */
  static WeakReference<Coroutine<?>> createAndForgetInACallback(EventLoop loop) {
    List<WeakReference<Coroutine<?>>> ref = new ArrayList<>();
    loop.callSoon(() -> ref.add(createAndForget()));
    loop.runUntilComplete(Aio.sleep(0));
    return ref.get(0);
  }

  /** Creates a coroutine in a task of {@code loop}, and forgets it. */
  static WeakReference<Coroutine<?>> createAndForgetACoroutine(EventLoop loop) {
    List<WeakReference<Coroutine<?>>> ref = new ArrayList<>();
    loop.runUntilComplete(
        Script.of(
            p -> {
              ref.add(createAndForget());
              return null;
            }));
    return ref.get(0);
  }

  static WeakReference<Coroutine<?>> createAndForget() {
    ForgottenProbe c = new ForgottenProbe();
    assertTrue(Debug.isTracked(c));
    return new WeakReference<>(c);
  }

  @Test
  void aCoroutineNeverAwaitedInATaskIsReportedWithTheTask() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    WeakReference<Coroutine<?>> ref = createAndForgetACoroutine(loop);
    collectUntil(
        () -> !reportsAbout(reports, ForgottenProbe.class).isEmpty(), "the coroutine is reported");
    assertNull(ref.get());
    List<String> messages = reportsAbout(reports, ForgottenProbe.class);
    assertEquals(
        List.of(
            "coroutine " + ForgottenProbe.class.getName() + " was never awaited; created in"
                + " Task[Task-1], whose coroutine is " + Script.class.getName()),
        messages);
    loop.close();
  }

  @Test
  void aCoroutineNeverAwaitedOutsideATaskIsReportedWithWhereItWasCreated() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    WeakReference<Coroutine<?>> ref = createAndForgetInACallback(loop);
    collectUntil(
        () -> !reportsAbout(reports, ForgottenProbe.class).isEmpty(), "the coroutine is reported");
    assertNull(ref.get());
    List<String> messages = reportsAbout(reports, ForgottenProbe.class);
    assertEquals(1, messages.size(), messages.toString());
    String m = messages.get(0);
    assertTrue(m.startsWith("coroutine " + ForgottenProbe.class.getName() + " was never awaited; created at"), m);
    assertTrue(m.contains("DebugModeTest.createAndForget("), m);
    loop.close();
  }

  /** Starts probes, made while the debug loop runs, in every way there is; returns them, weakly. */
  static List<WeakReference<Coroutine<?>>> startProbesInEveryWay(EventLoop loop) {
    List<Coroutine<?>> probes = new ArrayList<>();
    loop.runUntilComplete(
        Script.of(
            p -> {
              for (int i = 0; i < 5; i++) {
                probes.add(new StartedProbe());
              }
              return null;
            }));
    Coroutine<?> inline = probes.get(0);
    Coroutine<?> asTask = probes.get(1);
    Coroutine<?> cancelledBeforeItsFirstStep = probes.get(2);
    Coroutine<?> refusedByAGroup = probes.get(3);
    @SuppressWarnings("unchecked")
    Coroutine<String> run = (Coroutine<String>) probes.get(4);
    for (Coroutine<?> c : probes) {
      assertTrue(Debug.isTracked(c));
    }
    loop.runUntilComplete(
        Script.of(
            p -> inline,
            p -> Aio.createTask(asTask),
            p -> {
              Aio.createTask(cancelledBeforeItsFirstStep).cancel();
              TaskGroup g = new TaskGroup();
              return g.closeAsync();
            },
            p -> null));
    // A group that is finished refuses new tasks; the coroutine it was given is dealt with.
    loop.runUntilComplete(
        Script.of(
            p -> {
              TaskGroup g = new TaskGroup();
              return Script.of(q -> g.closeAsync(), q -> g);
            },
            p -> {
              assertThrows(IllegalStateException.class, () -> ((TaskGroup) p).createTask(refusedByAGroup));
              return null;
            }));
    assertEquals("started", loop.runUntilComplete(run));
    List<WeakReference<Coroutine<?>>> refs = new ArrayList<>();
    for (Coroutine<?> c : probes) {
      assertFalse(Debug.isTracked(c), "still tracked: " + c);
      refs.add(new WeakReference<>(c));
    }
    return refs;
  }

  @Test
  void coroutinesThatWereStartedAreNotReported() throws InterruptedException {
    Reports reports = new Reports();
    EventLoop loop = debugLoop(reports);
    List<WeakReference<Coroutine<?>>> refs = startProbesInEveryWay(loop);
    createAndForgetACoroutine(loop);
    collectUntil(
        () ->
            !reportsAbout(reports, ForgottenProbe.class).isEmpty()
                && refs.stream().allMatch(r -> r.get() == null),
        "the control is reported and the started coroutines are collected");
    collectSomeMore();
    assertEquals(List.of(), reportsAbout(reports, StartedProbe.class));
    loop.close();
  }

  @Test
  void aCoroutineIsTrackedByTheDebugModeOfTheLoopRunningWhereItIsCreated() {
    EventLoop plain = EventLoop.createVirtual();
    plain.setDebug(false);
    EventLoop debug = EventLoop.createVirtual();
    debug.setDebug(true);
    List<Coroutine<?>> made = new ArrayList<>();
    plain.runUntilComplete(Script.of(p -> made.add(new StartedProbe())));
    debug.runUntilComplete(Script.of(p -> made.add(new StartedProbe())));
    assertFalse(Debug.isTracked(made.get(0)), "made while a loop without debug mode ran");
    assertTrue(Debug.isTracked(made.get(1)), "made while a loop in debug mode ran");
    // Outside any running loop, the default (the system property awaitj.debug, read once) decides.
    StartedProbe outside = new StartedProbe();
    assertEquals(Debug.DEFAULT, Debug.isTracked(outside));
    // Started, they are no longer tracked.
    debug.runUntilComplete(made.get(1));
    assertFalse(Debug.isTracked(made.get(1)));
    plain.close();
    debug.close();
  }

  @Test
  void newLoopsStartInTheDefaultModeAndEachLoopHasItsOwn() {
    EventLoop a = EventLoop.createVirtual();
    EventLoop b = EventLoop.createVirtual();
    assertEquals(Debug.DEFAULT, a.isDebug());
    a.setDebug(!Debug.DEFAULT);
    assertEquals(!Debug.DEFAULT, a.isDebug());
    assertEquals(Debug.DEFAULT, b.isDebug(), "setting one loop's mode changed another's");
    assertEquals(Debug.DEFAULT, EventLoop.createVirtual().isDebug());
    a.close();
    b.close();
  }
}
