package io.awaitj;

import java.time.Duration;

/**
 * A deadline for a block of code: asyncio's {@code Timeout}, made by {@link Aio#timeout(Duration)} and
 * {@link Aio#timeoutAt(long)}, used as the resource of a {@code try}-with-resources inside an {@link
 * Async} method:
 *
 * <pre>{@code
 * try (Timeout t = Aio.timeout(Duration.ofSeconds(10))) {
 *   await(longRunningOperation());
 * }   // throws AsyncTimeoutException if the ten seconds ran out
 * }</pre>
 *
 * <p>A timeout is entered when it is created, which must happen inside a task: it remembers the task
 * and that task's {@link Task#cancelling()} count, and sets a timer. If the deadline passes before the
 * block is closed, the timer cancels the task, so the block receives a {@link CancelledError} at its
 * current await. When the block is closed ({@link #closeAsync(Throwable)}, called by the generated code
 * with the exception the block ends with), the timer is cancelled; if the deadline had passed, the
 * cancellation this timeout requested is withdrawn with {@link Task#uncancel()}, and if the block ends
 * with a {@link CancelledError} and no other cancellation of the task is pending, the close throws an
 * {@link AsyncTimeoutException} (its cause is the {@code CancelledError}) in its place. A cancellation
 * of the task from elsewhere still propagates as a {@code CancelledError}, and nested timeouts each
 * convert only their own expiry, as in asyncio.
 *
 * <p>Deadlines are instants of the loop's clock, {@link EventLoop#nanoTime()}; {@link #NO_DEADLINE}
 * means none. A timeout belongs to the loop's thread, like everything of the loop.
 */
public final class Timeout implements AsyncCloseable {
  /** The deadline of a timeout that never expires. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final byte ENTERED = 0;
  private static final byte EXPIRING = 1;
  private static final byte EXPIRED = 2;
  private static final byte EXITED = 3;

  private final EventLoop loop;
  private final Task<?> task;
  private final int cancellingOnEntry;
  private long when;
  private Handle timer;
  private byte state;

  /** Enters a timeout for {@code task}, expiring at {@code when} ({@link #NO_DEADLINE}: never). */
  Timeout(EventLoop loop, Task<?> task, long when) {
    this(loop, task);
    reschedule(when);
  }

  /**
   * Enters a timeout for {@code task}, expiring {@code delay} from now ({@code null}: never): its timer
   * joins the queue of its delay, as {@code callLater}'s do.
   */
  Timeout(EventLoop loop, Task<?> task, Duration delay) {
    this(loop, task);
    reschedule(delay);
  }

  private Timeout(EventLoop loop, Task<?> task) {
    this.loop = loop;
    this.task = task;
    this.cancellingOnEntry = task.cancelling();
    this.state = ENTERED;
  }

  /** The task running now on the running loop, for {@code what}. */
  static Task<?> currentTask(EventLoop loop, String what) {
    Task<?> task = loop.currentTask;
    if (task == null) {
      throw new IllegalStateException(
          what + " must be used inside a task: call it from an @Async method run by Aio.run(...) or"
              + " Aio.createTask(...), not from a plain loop callback");
    }
    return task;
  }

  /**
   * The deadline, on the clock of {@link EventLoop#nanoTime()}; {@link #NO_DEADLINE} if there is none.
   *
   * <p>Threading: any thread (from another thread, a snapshot).
   */
  public long when() {
    return when;
  }

  /**
   * Moves the deadline to {@code deadlineNanos} of {@link EventLoop#nanoTime()}; {@link #NO_DEADLINE}
   * removes it. A deadline already past expires the timeout on the loop's next pass.
   *
   * <p>Threading: the loop's thread; elsewhere it fails fast with an {@link IllegalStateException}.
   *
   * @throws IllegalStateException if the timeout has expired or has been closed
   */
  public void reschedule(long deadlineNanos) {
    move(deadlineNanos, 0, -1);
  }

  /**
   * Moves the deadline to {@code delay} from now; {@code null} removes it.
   *
   * <p>Threading: the loop's thread; elsewhere it fails fast with an {@link IllegalStateException}.
   *
   * @throws IllegalStateException if the timeout has expired or has been closed
   */
  public void reschedule(Duration delay) {
    if (delay == null) {
      reschedule(NO_DEADLINE);
      return;
    }
    long now = loop.nanoTime();
    long nanos = EventLoop.delayNanos(delay);
    move(EventLoop.deadlineAfterNanos(now, nanos), now, nanos);
  }

  /**
   * Moves the deadline to {@code deadline}, made {@code nanos} after {@code now} for a relative delay
   * (its timer then joins the queue of its delay, see TimerHeap: O(1) in and out), or given as it is
   * when {@code nanos} is -1 (a timer of {@code callAt}). A deadline already due expires the timeout
   * on the loop's next pass.
   */
  private void move(long deadline, long now, long nanos) {
    checkReschedule();
    when = deadline;
    cancelTimer();
    if (deadline != NO_DEADLINE) {
      Runnable expire = this::expire;
      if (nanos < 0) {
        timer = deadline <= loop.nanoTime() ? loop.callSoon(expire) : loop.callAt(deadline, expire);
      } else {
        timer = nanos == 0 ? loop.callSoon(expire) : loop.callAfter(now, nanos, expire);
      }
    }
  }

  private void checkReschedule() {
    loop.checkThread("reschedule a timeout");
    if (state != ENTERED) {
      throw new IllegalStateException(
          "cannot reschedule " + this + ": only a timeout that has neither expired nor been closed can be"
              + " moved");
    }
  }

  /**
   * Whether the deadline passed while the block ran (the task was cancelled by this timeout).
   *
   * <p>Threading: any thread (from another thread, a snapshot).
   */
  public boolean expired() {
    return state == EXPIRING || state == EXPIRED;
  }

  /**
   * Closes the timeout after a block that completed normally; see {@link #closeAsync(Throwable)}.
   *
   * <p>Threading: any thread may create the coroutine; it runs on the loop of the task that awaits it.
   */
  @Override
  public Coroutine<Void> closeAsync() {
    return new Close(this, null);
  }

  /**
   * Closes the timeout: asyncio's {@code Timeout.__aexit__}. The returned coroutine, when awaited,
   * cancels the timer; if the timeout expired, it withdraws its cancellation of the task and, when
   * {@code failure} is a {@link CancelledError} and no other cancellation of the task is pending,
   * throws an {@link AsyncTimeoutException} caused by {@code failure}. Otherwise it completes normally,
   * and the block's own exception, if any, goes on propagating.
   *
   * <p>Threading: any thread may create the coroutine; it runs on the loop of the task that awaits it.
   *
   * @param failure the exception the block ends with, or {@code null}
   */
  @Override
  public Coroutine<Void> closeAsync(Throwable failure) {
    return new Close(this, failure);
  }

  /**
   * The work of {@link #closeAsync(Throwable)}, done now.
   *
   * @throws AsyncTimeoutException if this timeout turns the block's cancellation into a timeout
   * @throws IllegalStateException if it was closed already
   */
  void exit(Throwable failure) {
    if (state != ENTERED && state != EXPIRING) {
      throw new IllegalStateException("cannot close " + this + ": it was closed already");
    }
    cancelTimer();
    if (state == EXPIRING) {
      state = EXPIRED;
      if (task.uncancel() <= cancellingOnEntry && failure instanceof CancelledError) {
        throw new AsyncTimeoutException(
            "the timeout expired (deadline " + when + " ns of the loop's clock)", failure);
      }
    } else {
      state = EXITED;
    }
  }

  private void cancelTimer() {
    Handle h = timer;
    if (h != null) {
      timer = null;
      h.cancel();
    }
  }

  private void expire() {
    timer = null;
    if (state != ENTERED) {
      return;
    }
    state = EXPIRING;
    task.cancel();
  }

  @Override
  public String toString() {
    String s;
    switch (state) {
      case ENTERED:
        s = when == NO_DEADLINE ? "active, no deadline" : "active, when=" + when;
        break;
      case EXPIRING:
        s = "expiring";
        break;
      case EXPIRED:
        s = "expired";
        break;
      default:
        s = "finished";
    }
    return "Timeout[" + s + "]";
  }

  /** The coroutine of {@link #closeAsync(Throwable)}: closes when awaited, as {@code __aexit__} does. */
  private static final class Close extends Coroutine<Void> {
    private final Timeout timeout;
    private final Throwable failure;

    Close(Timeout timeout, Throwable failure) {
      this.timeout = timeout;
      this.failure = failure;
    }

    @Override
    protected Object step() {
      if (state != 0) {
        throw illegalState();
      }
      state = 1;
      timeout.exit(failure);
      return null;
    }

    @Override
    public String toString() {
      return timeout + ".closeAsync()";
    }
  }
}
