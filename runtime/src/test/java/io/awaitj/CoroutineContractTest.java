package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract between state machines and the runtime: suspension, the fast path, inline awaits. */
class CoroutineContractTest {

  /** {@code int a = await(x); return done(a + 1);}, written by hand as the processor would. */
  static class PlusOne extends Coroutine<Integer> {
    private final Awaitable<Integer> x;

    PlusOne(Awaitable<Integer> x) {
      this.x = x;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(x)) {
            return SUSPEND;
          }
          // fall through
        case 1:
          int a = this.<Integer>awaitResult();
          return a + 1;
        default:
          throw illegalState();
      }
    }
  }

  /** {@code if (n == 0) { await(leaf); return done(0); } return done(await(depth(n - 1)) + 1);} */
  static final class Depth extends Coroutine<Integer> {
    private final int n;
    private final Coroutine<?> leaf;

    Depth(int n, Coroutine<?> leaf) {
      this.n = n;
      this.leaf = leaf;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          if (n == 0) {
            state = 2;
            if (leaf == null || !suspendOn(leaf)) {
              return 0;
            }
            return SUSPEND;
          }
          state = 1;
          if (suspendOn(new Depth(n - 1, leaf))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          return this.<Integer>awaitResult() + 1;
        case 2:
          awaitResult();
          return 0;
        default:
          throw illegalState();
      }
    }
  }

  @Test
  void runReturnsTheCoroutineResult() {
    assertEquals(42, Aio.run(new PlusOne(Aio.done(41))));
  }

  @Test
  void awaitingACompletedPromiseDoesNotSuspend() {
    EventLoop loop = EventLoop.createVirtual();
    Promise<Integer> p = loop.createPromise();
    p.complete(1);
    Task<Integer> t = loop.createTask(new PlusOne(p));
    // One pass runs the task's first step; it must finish in that step.
    assertTrue(loop.runOnce());
    assertTrue(t.isDone());
    assertEquals(2, t.result());
    loop.close();
  }

  @Test
  void awaitingACoroutineRunsItInlineWithoutATripThroughTheLoop() {
    EventLoop loop = EventLoop.createVirtual();
    Task<Integer> t = loop.createTask(new PlusOne(new PlusOne(new PlusOne(Aio.done(0)))));
    assertTrue(loop.runOnce());
    assertTrue(t.isDone());
    assertEquals(3, t.result());
    assertEquals(0, loop.allTasks().size());
    loop.close();
  }

  @Test
  void awaitingAPendingPromiseSuspendsUntilItCompletes() {
    EventLoop loop = EventLoop.createVirtual();
    Promise<Integer> p = loop.createPromise();
    Task<Integer> t = loop.createTask(new PlusOne(new PlusOne(p)));
    loop.runOnce();
    assertFalse(t.isDone());
    p.complete(10);
    assertEquals(12, loop.runUntilComplete(t));
    loop.close();
  }

  @Test
  void failuresPropagateThroughTheChainAsThemselves() {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> Aio.runVirtual(new PlusOne(new PlusOne(Aio.failed(boom)))));
    assertSame(boom, thrown);
  }

  @Test
  void failuresAfterSuspensionPropagateToo() {
    IllegalStateException boom = new IllegalStateException("late");
    Coroutine<Integer> late = Script.of(prev -> Aio.sleep(Duration.ofSeconds(1)), prev -> { throw boom; });
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Aio.runVirtual(new PlusOne(late))));
  }

  @Test
  void aCoroutineRunsOnce() {
    Coroutine<Integer> once = Aio.done(1);
    Coroutine<Integer> twice =
        Script.of(prev -> once, prev -> once);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.runVirtual(twice));
    assertTrue(e.getMessage().contains("coroutine already awaited"), e.getMessage());
  }

  /** Records, inside its own step, whether it counts as started and which task it runs in. */
  static final class WhereAmI extends Coroutine<Integer> {
    final List<Object> seen = new ArrayList<>();

    @Override
    protected Object step() {
      seen.add(isStarted());
      seen.add(requireTask());
      return 7;
    }
  }

  @Test
  void aCoroutineStartedInlineRunsInItsCallersTaskAndCountsAsStarted() {
    // An inline start leaves the child's task unset (Coroutine.task): it is found through the caller,
    // two levels up here (PlusOne, PlusOne, then the task's).
    EventLoop loop = EventLoop.createVirtual();
    WhereAmI inner = new WhereAmI();
    assertFalse(inner.isStarted());
    Task<Integer> t = loop.createTask(new PlusOne(new PlusOne(inner)));
    assertEquals(9, loop.runUntilComplete(t));
    assertEquals(List.of(true, t), inner.seen);
    assertTrue(inner.isStarted(), "finished inline, it stays started");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Aio.runVirtual(new PlusOne(inner)));
    assertTrue(e.getMessage().contains("coroutine already awaited"), e.getMessage());
    loop.close();
  }

  /** Fails at once, in its first step: {@code throw new IllegalArgumentException("at once");}. */
  static final class FailsAtOnce extends Coroutine<Integer> {
    @Override
    protected Object step() {
      throw new IllegalArgumentException("at once");
    }

    @Override
    protected StackTraceElement sourceFrame() {
      return sourceFrame("demo.Child", "child", "Child.java", 5, "6");
    }
  }

  /** {@link PlusOne} as the machine of {@code return done(await(x) + 1);} at line 12 of demo.Parent. */
  static final class FramedPlusOne extends PlusOne {
    FramedPlusOne(Awaitable<Integer> x) {
      super(x);
    }

    @Override
    protected StackTraceElement sourceFrame() {
      return sourceFrame("demo.Parent", "parent", "Parent.java", 10, "11 12");
    }
  }

  @Test
  void aChildFailingInlineAtOnceShowsInTheTraceAboveItsCaller() {
    // The child started inline has no task of its own (Coroutine.task): Traces finds its caller's.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Aio.runVirtual(new FramedPlusOne(new FailsAtOnce())));
    List<String> frames = new ArrayList<>();
    for (StackTraceElement f : e.getStackTrace()) {
      if (f.getClassName().startsWith("demo.")) {
        frames.add(f.toString());
      }
    }
    assertEquals(List.of("demo.Child.child(Child.java:6)", "demo.Parent.parent(Parent.java:12)"), frames);
  }

  @Test
  void aTaskCannotAwaitItself() {
    List<Task<?>> self = new ArrayList<>();
    Coroutine<Object> c = Script.of(prev -> Aio.sleep(0), prev -> self.get(0));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Aio.runVirtual(
                    Script.of(
                        prev -> {
                          Task<Object> t = Aio.createTask(c);
                          self.add(t);
                          return t;
                        })));
    assertTrue(e.getMessage().contains("cannot await itself"), e.getMessage());
  }

  @Test
  void aMillionNestedAwaitsCompleteWithoutStackOverflow() {
    assertEquals(1_000_000, Aio.runVirtual(new Depth(1_000_000, null)));
  }

  @Test
  void aMillionNestedAwaitsThatSuspendAtTheBottomComplete() {
    assertEquals(
        1_000_000, Aio.runVirtual(new Depth(1_000_000, Aio.sleep(Duration.ofSeconds(5)))));
  }

  @Test
  void awaitOutsideAStateMachineSaysWhatToDo() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Aio.await(Aio.done(1)));
    assertTrue(e.getMessage().contains("@Async"), e.getMessage());
    assertTrue(e.getMessage().contains("XAsync"), e.getMessage());
  }

  @Test
  void aStateMachineThatSuspendsWithoutAwaitingFailsClearly() {
    Coroutine<Void> broken =
        new Coroutine<>() {
          @Override
          protected Object step() {
            return SUSPEND;
          }
        };
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.runVirtual(broken));
    assertTrue(e.getMessage().contains("without awaiting"), e.getMessage());
  }

  @Test
  void awaitingAPromiseOfAnotherLoopFails() {
    EventLoop other = EventLoop.createVirtual();
    Promise<Integer> foreign = other.createPromise();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Aio.runVirtual(new PlusOne(foreign)));
    assertTrue(e.getMessage().contains("another event loop"), e.getMessage());
    other.close();
  }

  @Test
  void doneIsACompletedCoroutine() {
    Coroutine<String> d = Aio.done("x");
    assertFalse(d.isStarted());
    assertEquals("x", Aio.run(d));
    assertTrue(d.isStarted());
    assertInstanceOf(Coroutine.class, Aio.done());
  }

  /**
   * {@code await(Aio.sleep(0)); return done(await(new Depth(n, null)));}: after the yield, the task's
   * driver resumes this coroutine at the bottom of the Java stack, so its own inline start is not
   * counted (Coroutine.startInline), while every start below it is.
   */
  static final class YieldThenDepth extends Coroutine<Integer> {
    private final int n;

    YieldThenDepth(int n) {
      this.n = n;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(Aio.sleep(0))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult();
          state = 2;
          if (suspendOn(new Depth(n, null))) {
            return SUSPEND;
          }
          // fall through
        case 2:
          return this.<Integer>awaitResult();
        default:
          throw illegalState();
      }
    }
  }

  @Test
  void aMillionNestedAwaitsStartedByAResumedInnerCoroutineComplete() {
    // The chain starts from a coroutine that is not the task's outermost and that the driver
    // resumed: only its own start goes uncounted, and the million levels below still bounce.
    assertEquals(1_000_001, Aio.runVirtual(new PlusOne(new YieldThenDepth(1_000_000))));
  }

  @Test
  void closeFailedKeepsJavasSuppressionAndTheCancellationRule() throws Throwable {
    // No exception from the block: the close's failure is thrown.
    IllegalStateException closing = new IllegalStateException("close");
    assertSame(closing, assertThrows(IllegalStateException.class, () -> Coroutine.closeFailed$(null, closing)));
    assertEquals(0, closing.getSuppressed().length);
    // The block's exception goes on, the close's suppressed in it.
    RuntimeException primary = new RuntimeException("block");
    IllegalStateException second = new IllegalStateException("close");
    assertSame(primary, Coroutine.closeFailed$(primary, second));
    assertEquals(List.of(second), List.of(primary.getSuppressed()));
    // The same exception from both: nothing suppressed (self-suppression is not permitted).
    assertSame(primary, Coroutine.closeFailed$(primary, primary));
    assertEquals(1, primary.getSuppressed().length);
    // A cancelled block whose close fails otherwise: the close's failure goes on.
    CancelledError cancelled = new CancelledError();
    IllegalStateException own = new IllegalStateException("close");
    assertSame(own, Coroutine.closeFailed$(cancelled, own));
    assertEquals(List.of(cancelled), List.of(own.getSuppressed()));
    // A cancelled block whose close is cancelled too: the block's cancellation goes on.
    CancelledError again = new CancelledError();
    assertSame(cancelled, Coroutine.closeFailed$(cancelled, again));
    assertEquals(List.of(again), List.of(cancelled.getSuppressed()));
  }

  /**
   * Awaits {@code x} with {@code awaitNow} inside a {@code try}, as a processor's machine does when the
   * await stands in a {@code try} block, and says what happened: {@code "value v"}, {@code "suspended"},
   * {@code "caught e"} (thrown by {@code awaitNow} itself, at the await, with {@code state} already the
   * resume label) or {@code "returned DELIVERED"}.
   */
  static final class AwaitNowProbe extends Coroutine<String> {
    private final Object x;

    AwaitNowProbe(Object x) {
      this.x = x;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          Object now;
          try {
            now = x instanceof java.util.concurrent.CompletionStage<?> s ? awaitNow(s) : awaitNow((Awaitable<?>) x);
          } catch (IllegalStateException | CancelledError e) {
            return "caught " + e.getMessage() + " at state " + state;
          }
          if (now == SUSPEND) {
            return SUSPEND;
          }
          if (now == DELIVERED) {
            return "returned DELIVERED";
          }
          return "value " + awaitedValue(now);
        case 1:
          return "resumed " + awaitedValue(SUSPEND);
        default:
          throw illegalState();
      }
    }
  }

  @Test
  void awaitNowThrowsAFailureThatIsAlreadyThereAndReturnsOnlyValuesOrSuspend() {
    // A failure the await finds at once is thrown by awaitNow, where the machine's try around the await
    // catches it (the state already the resume label); awaitedValue then compares with SUSPEND only.
    IllegalStateException boom = new IllegalStateException("boom");
    EventLoop loop = EventLoop.createVirtual();
    Promise<Integer> failed = loop.createPromise();
    failed.fail(boom);
    assertEquals("caught boom at state 1", loop.runUntilComplete(loop.createTask(new AwaitNowProbe(failed))));
    assertEquals("caught boom at state 1",
        loop.runUntilComplete(loop.createTask(new AwaitNowProbe(new PlusOne(Aio.failed(boom))))));
    assertEquals("caught boom at state 1", loop.runUntilComplete(
        loop.createTask(new AwaitNowProbe(java.util.concurrent.CompletableFuture.failedFuture(boom)))));
    Promise<Integer> cancelled = loop.createPromise();
    cancelled.cancel("stop");
    assertEquals("caught stop at state 1", loop.runUntilComplete(loop.createTask(new AwaitNowProbe(cancelled))));
    // Values, and a stage's value, are handed over; a pending promise suspends as before.
    assertEquals("value 2", loop.runUntilComplete(loop.createTask(new AwaitNowProbe(new PlusOne(Aio.done(1))))));
    assertEquals("value 7", loop.runUntilComplete(
        loop.createTask(new AwaitNowProbe(java.util.concurrent.CompletableFuture.completedFuture(7)))));
    Promise<Integer> p = loop.createPromise();
    Task<String> t = loop.createTask(new AwaitNowProbe(p));
    loop.runOnce();
    assertFalse(t.isDone());
    p.complete(5);
    assertEquals("resumed 5", loop.runUntilComplete(t));
    loop.close();
  }
}
