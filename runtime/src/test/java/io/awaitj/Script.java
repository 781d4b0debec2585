package io.awaitj;

import java.util.Arrays;
import java.util.List;

/**
 * A hand-written state machine for runtime tests, until the processor writes them: a list of steps,
 * each given the previous step's outcome. A step returns an {@link Awaitable} (which is awaited, and
 * its result handed to the next step) or a plain value (handed on as it is). The last outcome is the
 * coroutine's result. An error handler, if set, receives a failure (of a step or of an await) and its
 * outcome goes to the next step, as a {@code catch} would; a finally action runs once at the end.
 */
public final class Script<T> extends Coroutine<T> {
  /** One step of the script. */
  @FunctionalInterface
  public interface Step {
    Object run(Object previous) throws Throwable;
  }

  /** What the error handler receives. */
  @FunctionalInterface
  public interface Handler {
    Object handle(Throwable error) throws Throwable;
  }

  private final List<Step> steps;
  private Handler onError;
  private Runnable onFinally;
  private int index;

  private Script(List<Step> steps) {
    this.steps = steps;
  }

  public static <T> Script<T> of(Step... steps) {
    return new Script<>(Arrays.asList(steps));
  }

  public Script<T> onError(Handler handler) {
    this.onError = handler;
    return this;
  }

  public Script<T> onFinally(Runnable action) {
    this.onFinally = action;
    return this;
  }

  @Override
  protected Object step() throws Throwable {
    Object input = null;
    Throwable pending = null;
    if (state == 1) {
      try {
        input = awaitResult();
      } catch (Throwable e) {
        pending = e;
      }
    }
    while (true) {
      Object out;
      try {
        if (pending != null) {
          Throwable e = pending;
          pending = null;
          if (onError == null) {
            throw e;
          }
          out = onError.handle(e);
        } else if (index == steps.size()) {
          runFinally();
          return input;
        } else {
          out = steps.get(index++).run(input);
        }
      } catch (Throwable e) {
        runFinally();
        throw e;
      }
      if (out instanceof Awaitable<?> a) {
        state = 1;
        boolean suspended;
        try {
          suspended = suspendOn(a);
        } catch (Throwable e) {
          pending = e;
          continue;
        }
        if (suspended) {
          return SUSPEND;
        }
        try {
          input = awaitResult();
        } catch (Throwable e) {
          pending = e;
        }
      } else {
        input = out;
      }
    }
  }

  private void runFinally() {
    Runnable f = onFinally;
    onFinally = null;
    if (f != null) {
      f.run();
    }
  }
}
