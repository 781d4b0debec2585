package io.awaitj.junit;

import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.TimerHandle;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit Jupiter extension behind {@link AsyncTest @AsyncTest} and {@link AsyncLoop @AsyncLoop};
 * registering it with {@code @ExtendWith(AsyncTestExtension.class)} gives every test of the class a
 * loop with the default settings (a virtual clock, no timeout).
 *
 * <p>For each test (each invocation of a parameterized or repeated one): before the first {@code
 * @BeforeEach} method, a fresh {@link EventLoop}, virtual unless {@code realTime}, whose tasks and
 * exception-handler reports are recorded; parameters of type {@link EventLoop} and {@link TestTime} of
 * the test and of its {@code @BeforeEach} and {@code @AfterEach} methods receive the loop and its
 * clock; if a timeout is set, a timer at that time on the loop's clock, which cancels the loop's tasks
 * and fails the test with the task dump of that moment. After the last {@code @AfterEach} method, if
 * the test has not failed already, the checks {@link AsyncTest} lists (tasks left pending, exceptions
 * never retrieved, callbacks that threw), each failure an {@link AssertionFailedError} whose message
 * ends with the loop's task dump; then the loop is closed, which cancels the tasks left. Reports of the
 * loop without an exception (debug mode's warnings) are logged through {@code System.Logger} {@code
 * io.awaitj.junit}, level {@code WARNING}, and fail nothing.
 *
 * <p>Threading: JUnit calls an extension on the thread that runs the test; the loop belongs to it.
 * One instance serves any number of tests, on any number of threads (JUnit's parallel execution): its
 * state is per test, in the test's {@link ExtensionContext.Store}.
 */
public final class AsyncTestExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AsyncTestExtension.class);
  private static final System.Logger LOG = System.getLogger("io.awaitj.junit");

  /** Made by JUnit, through {@code @ExtendWith}. Threading: any thread. */
  public AsyncTestExtension() {}

  // ---------------------------------------------------------------------------------------------
  // Lifecycle.

  /**
   * Creates the test's loop and its {@link TestTime}, before the test's {@code @BeforeEach} methods.
   * Threading: the test's thread.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (store.get(State.class, State.class) != null) {
      return; // registered twice (a composed annotation and @ExtendWith): one loop per test
    }
    store.put(State.class, new State(Settings.of(context)));
  }

  /**
   * Runs the checks, unless the test failed already, then closes the loop; after the test's {@code
   * AfterEach} methods. Threading: the test's thread.
   *
   * @param context the test's context
   * @throws AssertionFailedError if the test left tasks pending, left a task's exception unretrieved,
   *     or a callback of the loop threw
   */
  @Override
  public void afterEach(ExtensionContext context) {
    State state = context.getStore(NAMESPACE).remove(State.class, State.class);
    if (state == null) {
      return;
    }
    try {
      if (context.getExecutionException().isEmpty()) {
        state.check();
      }
    } finally {
      state.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters.

  /**
   * Whether the parameter is an {@link EventLoop} or a {@link TestTime} of a method run for a test:
   * the test itself, or its {@code @BeforeEach} and {@code @AfterEach} methods. Threading: the test's
   * thread.
   *
   * @param parameter the parameter
   * @param context the context of the method declaring it
   * @return whether this extension supplies it
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EventLoop.class || type == TestTime.class;
  }

  /**
   * The test's loop or its {@link TestTime}. Threading: the test's thread.
   *
   * @param parameter the parameter
   * @param context the context of the method declaring it
   * @return the loop or its clock
   * @throws ParameterResolutionException outside a test (a constructor, a {@code @BeforeAll} method):
   *     a loop exists only for each test
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    State state = context.getStore(NAMESPACE).get(State.class, State.class);
    if (state == null) {
      throw new ParameterResolutionException(
          "awaitj-junit gives an EventLoop or a TestTime to a test and its @BeforeEach and @AfterEach"
              + " methods only (each test has a loop of its own), not to "
              + parameter.getDeclaringExecutable());
    }
    return parameter.getParameter().getType() == EventLoop.class ? state.loop : state.time;
  }

  // ---------------------------------------------------------------------------------------------
  // Timeouts: what a method throws once the test's timeout has passed is the timeout.

  /**
   * Runs the test method; if the test's timeout passed meanwhile, fails it with the timeout.
   * Threading: the test's thread.
   *
   * @param invocation the test method's invocation
   * @param invocationContext the method and its arguments
   * @param context the test's context
   * @throws Throwable what the test throws, or the timeout
   */
  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    guard(invocation, context);
  }

  /**
   * As {@link #interceptTestMethod}, for an invocation of a parameterized or repeated test.
   * Threading: the test's thread.
   *
   * @param invocation the invocation
   * @param invocationContext the method and its arguments
   * @param context the invocation's context
   * @throws Throwable what the test throws, or the timeout
   */
  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    guard(invocation, context);
  }

  /**
   * As {@link #interceptTestMethod}, for a {@code @BeforeEach} method. Threading: the test's thread.
   *
   * @param invocation the invocation
   * @param invocationContext the method and its arguments
   * @param context the test's context
   * @throws Throwable what the method throws, or the timeout
   */
  @Override
  public void interceptBeforeEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    guard(invocation, context);
  }

  /**
   * As {@link #interceptTestMethod}, for an {@code @AfterEach} method. Threading: the test's thread.
   *
   * @param invocation the invocation
   * @param invocationContext the method and its arguments
   * @param context the test's context
   * @throws Throwable what the method throws, or the timeout
   */
  @Override
  public void interceptAfterEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    guard(invocation, context);
  }

  private static void guard(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    State state = context.getStore(NAMESPACE).get(State.class, State.class);
    if (state == null) {
      invocation.proceed();
      return;
    }
    try {
      invocation.proceed();
    } catch (Throwable e) {
      AssertionFailedError timeout = state.timeoutFailure(e);
      throw timeout != null ? timeout : e;
    }
    AssertionFailedError timeout = state.timeoutFailure(null);
    if (timeout != null) {
      throw timeout;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The settings of a test: its {@code @AsyncTest}, or the nearest {@code @AsyncLoop}. */
  record Settings(boolean realTime, long timeoutNanos, String timeoutText) {
    static final Settings DEFAULT = new Settings(false, 0, "");

    static Settings of(ExtensionContext context) {
      Optional<Method> method = context.getTestMethod();
      if (method.isPresent()) {
        Optional<AsyncTest> test = AnnotationSupport.findAnnotation(method.get(), AsyncTest.class);
        if (test.isPresent()) {
          AsyncTest a = test.get();
          return of(a.realTime(), a.timeout(), a.timeoutUnit());
        }
        Settings s = ofLoop(method.get());
        if (s != null) {
          return s;
        }
      }
      for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
        Settings s = ofLoop(c);
        if (s != null) {
          return s;
        }
      }
      return DEFAULT;
    }

    private static Settings ofLoop(AnnotatedElement e) {
      return AnnotationSupport.findAnnotation(e, AsyncLoop.class)
          .map(a -> of(a.realTime(), a.timeout(), a.timeoutUnit()))
          .orElse(null);
    }

    private static Settings of(boolean realTime, long timeout, TimeUnit unit) {
      if (timeout <= 0) {
        return new Settings(realTime, 0, "");
      }
      long nanos = unit.toNanos(timeout);
      String text = timeout + " " + unit.name().toLowerCase(java.util.Locale.ROOT);
      return new Settings(realTime, nanos, text);
    }
  }

  /** A report of the loop's exception handler. */
  private record Report(String message, Throwable exception) {}

  /** One test's loop, its clock and what the checks look at. Used on the test's thread. */
  private static final class State implements AutoCloseable {
    final Settings settings;
    final EventLoop loop;
    final TestTime time;
    /**
     * The tasks the loop made that may still fail unretrieved, for the check of exceptions never
     * retrieved: pruned of the others as it grows, so that a test of a million tasks keeps no more
     * than the loop does.
     */
    final List<Task<?>> tasks = new ArrayList<>();
    private int pruneAt = 1024;
    /** The reports of the loop's exception handler: from any thread (debug mode's cleaner). */
    final List<Report> reports = new ArrayList<>();
    final long deadline;
    final TimerHandle timeoutTimer;
    /** The failure of the timeout, once it has passed; {@code null} before. */
    AssertionFailedError timedOut;
    boolean timeoutThrown;

    State(Settings settings) {
      this.settings = settings;
      this.loop = settings.realTime() ? EventLoop.create() : EventLoop.createVirtual();
      this.time = new TestTime(loop);
      loop.setTaskListener(this::created);
      loop.setExceptionHandler(this::report);
      if (settings.timeoutNanos() > 0) {
        long now = loop.nanoTime();
        long d = now + settings.timeoutNanos();
        deadline = d < now ? Long.MAX_VALUE : d;
        timeoutTimer = loop.callAt(deadline, this::timeoutPassed);
      } else {
        deadline = Long.MAX_VALUE;
        timeoutTimer = null;
      }
    }

    private void created(Task<?> t) {
      tasks.add(t);
      if (tasks.size() >= pruneAt) {
        // Done without an unretrieved failure: it can never have one.
        tasks.removeIf(x -> x.isDone() && !x.isExceptionUnretrieved());
        pruneAt = Math.max(1024, tasks.size() * 2);
      }
    }

    private void report(String message, Throwable exception) {
      if (exception == null) {
        LOG.log(System.Logger.Level.WARNING, message);
        return;
      }
      synchronized (reports) {
        reports.add(new Report(message, exception));
      }
    }

    /** The timeout timer: records the failure with the dump of now, then cancels everything. */
    private void timeoutPassed() {
      if (timedOut != null) {
        return;
      }
      timedOut =
          new AssertionFailedError(
              "timed out after " + settings.timeoutText() + " of "
                  + (loop.isVirtualTime() ? "virtual" : "real") + " time (@AsyncTest(timeout = ...))"
                  + (loop.isVirtualTime()
                      ? "; on a virtual clock, a test that can never finish gets here at once"
                      : "")
                  + "\n" + loop.dumpTasks());
      time.timedOut(timedOut.getMessage());
      for (Task<?> t : loop.allTasks()) {
        t.cancel("the test timed out");
      }
    }

    /**
     * The timeout's failure, if the timeout has passed (also outside the loop, on a real clock) and it
     * was not thrown already; {@code e}, what the method threw, is added to it as suppressed.
     */
    AssertionFailedError timeoutFailure(Throwable e) {
      if (timedOut == null && loop.nanoTime() - deadline > 0 && deadline != Long.MAX_VALUE) {
        timeoutPassed();
      }
      if (timedOut == null || timeoutThrown) {
        return null;
      }
      timeoutThrown = true;
      if (e != null && e != timedOut) {
        timedOut.addSuppressed(e);
      }
      return timedOut;
    }

    /** The checks after the test. */
    void check() {
      List<String> problems = new ArrayList<>();
      List<Throwable> causes = new ArrayList<>();
      List<Task<?>> left = loop.allTasks();
      if (!left.isEmpty()) {
        problems.add(
            "the test left " + left.size() + (left.size() == 1 ? " task" : " tasks")
                + " not done (await them, or cancel them and run the loop until they are done,"
                + " before the test ends)");
      }
      for (Task<?> t : tasks) {
        if (t.isExceptionUnretrieved()) {
          Throwable e = t.exception(); // retrieves it: reported here, once
          problems.add(t + " failed and nobody retrieved its exception: " + e);
          causes.add(e);
        }
      }
      List<Report> rs;
      synchronized (reports) {
        rs = List.copyOf(reports);
      }
      for (Report r : rs) {
        problems.add("the loop reported: " + r.message() + ": " + r.exception());
        causes.add(r.exception());
      }
      if (problems.isEmpty()) {
        return;
      }
      StringBuilder b = new StringBuilder();
      for (String p : problems) {
        b.append(b.length() == 0 ? "" : "\n").append(p);
      }
      b.append('\n').append(loop.dumpTasks());
      AssertionFailedError f =
          new AssertionFailedError(b.toString(), causes.isEmpty() ? null : causes.get(0));
      for (int i = 1; i < causes.size(); i++) {
        f.addSuppressed(causes.get(i));
      }
      throw f;
    }

    /** Closes the loop (cancelling the tasks left), idempotent. */
    @Override
    public void close() {
      if (loop.isClosed()) {
        return;
      }
      if (timeoutTimer != null) {
        timeoutTimer.cancel();
      }
      loop.setTaskListener(null);
      loop.close();
    }
  }

}
