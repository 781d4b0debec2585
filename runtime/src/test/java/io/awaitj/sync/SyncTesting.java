package io.awaitj.sync;

import io.awaitj.Aio;
import io.awaitj.Awaitable;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Script;
import io.awaitj.Task;
import java.util.List;

/** Small helpers shared by the tests of this package. */
final class SyncTesting {
  private SyncTesting() {}

  /**
   * Awaits {@code a} and completes with whether that suspended; the awaited value is kept in {@link
   * #value}, a failure is rethrown.
   */
  static final class Probe<T> extends Coroutine<Boolean> {
    private final Awaitable<T> a;
    T value;

    Probe(Awaitable<T> a) {
      this.a = a;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(a)) {
            return SUSPEND;
          }
          value = awaitResult();
          return false;
        case 1:
          value = awaitResult();
          return true;
        default:
          throw illegalState();
      }
    }
  }

  /** The virtual clock, in whole seconds. */
  static long now() {
    return Math.round(EventLoop.running().time());
  }

  /** One pass of the loop: lets the tasks that are ready run. */
  static Coroutine<Void> tick() {
    return Aio.sleep(0);
  }

  /** One pass of the loop, then {@code value}: passes a value to the next step of a script. */
  static <T> Coroutine<T> tick(T value) {
    return Aio.sleep(java.time.Duration.ZERO, value);
  }

  /** Starts a task running {@code steps}, named {@code name}. */
  static Task<Object> spawn(String name, Script.Step... steps) {
    return Aio.createTask(Script.of(steps), name);
  }

  /** A task that logs {@code name + " failed: " + simple class name} if {@code steps} fail, and rethrows. */
  static Task<Object> spawnLogging(String name, List<String> log, Script.Step... steps) {
    return Aio.createTask(
        Script.of(steps)
            .onError(
                e -> {
                  log.add(name + " failed: " + e.getClass().getSimpleName());
                  throw e;
                }),
        name);
  }
}
