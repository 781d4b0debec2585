package io.awaitj.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Script;
import io.awaitj.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Minimal reproductions of what the stress tests found in the core, kept as regression tests.
 *
 * <p>A coroutine chain deeper than the runtime's inline limit (100) "bounces": the start of the next
 * coroutine is handed back to the task's driver, which starts it without a trip through the loop.
 * That is an implementation detail and must not be observable; in particular it is not a point where a
 * pending cancellation may land. In asyncio a task that cancels itself (or is cancelled by code it
 * calls) goes on running until it actually suspends; the cancellation is thrown in there, or, if the
 * task ends without suspending again, the task ends cancelled.
 *
 * <p>Closing a loop (as {@code Aio.run} does on its way out) cancels the tasks still alive and runs
 * the loop until they are done; their done callbacks, scheduled by their completion, must run too,
 * as in asyncio, or whoever listens for an outcome (a gather, a group, a user's callback) never hears
 * of it.
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
class CoreRegressionTest {

  /** {@code entered.add(k); return k == 0 ? await(bottom) : await(new Nest(k - 1)) + 1;} */
  static final class Nest extends Coroutine<Integer> {
    private final int k;
    private final List<Integer> entered;
    private final Coroutine<?> bottom;

    Nest(int k, List<Integer> entered, Coroutine<?> bottom) {
      this.k = k;
      this.entered = entered;
      this.bottom = bottom;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          entered.add(k);
          state = 1;
          if (suspendOn(k == 0 ? bottom : new Nest(k - 1, entered, bottom))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          Object v = awaitResult();
          return k == 0 ? 0 : (Integer) v + 1;
        default:
          throw illegalState();
      }
    }
  }

  @Test
  void aSelfCancelledTaskRunsADeepChainUpToItsSuspensionBeforeTheCancellationLands() {
    List<Integer> entered = new ArrayList<>();
    Object r =
        Aio.runVirtual(
            Script.of(
                    p -> {
                      Aio.currentTask().cancel();
                      return new Nest(150, entered, Aio.sleep(Duration.ofSeconds(1)));
                    })
                .onError(e -> e instanceof CancelledError ? "cancelled" : e));
    assertEquals("cancelled", r);
    assertEquals(151, entered.size(), "levels entered before the cancellation was thrown in");
  }

  @Test
  void aSelfCancelledTaskCompletesADeepChainThatNeverSuspends() {
    List<Integer> entered = new ArrayList<>();
    List<Object> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
                p -> {
                  Aio.currentTask().cancel();
                  return new Nest(150, entered, Aio.done(0));
                },
                p -> {
                  log.add(p);
                  return Aio.sleep(0);
                })
            .onError(e -> log.add(e.getClass().getSimpleName())));
    assertEquals(List.of(150, "CancelledError"), log);
    assertEquals(151, entered.size());
  }

  @Test
  void closingRunsTheDoneCallbacksOfTheTasksItCancels() {
    EventLoop loop = EventLoop.createVirtual();
    List<String> log = new ArrayList<>();
    loop.runUntilComplete(
        Script.of(
            p -> {
              Task<Void> t = Aio.createTask(Aio.sleep(Duration.ofHours(1)));
              t.addDoneCallback(x -> log.add("task cancelled: " + x.isCancelled()));
              // A gather's callback runs after the task's, and its own listener one pass later.
              Promise<List<Object>> g = Aio.gather(t);
              g.addDoneCallback(x -> log.add("gather failed: " + !x.isSuccess()));
              return Aio.sleep(0);
            }));
    loop.close();
    assertEquals(List.of("task cancelled: true", "gather failed: true"), log);
  }

  @Test
  void closingRunsTheDoneCallbacksOfATaskThatFinishedInTheLastPass() {
    List<String> log = new ArrayList<>();
    Aio.runVirtual(
        Script.of(
            p -> {
              Task<Integer> t = Aio.createTask(Aio.done(7));
              t.addDoneCallback(x -> log.add("done " + x.result()));
              return Aio.sleep(0); // t finishes in the pass where this task resumes and finishes
            }));
    assertEquals(List.of("done 7"), log);
  }
}
