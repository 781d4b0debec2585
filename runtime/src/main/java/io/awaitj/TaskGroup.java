package io.awaitj;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Structured concurrency: asyncio's {@code TaskGroup}. Tasks created through the group are awaited
 * when the block that owns the group ends, and if one fails the others are cancelled.
 *
 * <pre>{@code
 * @Async
 * Coroutine<Void> fetchBoth() {
 *   try (TaskGroup group = new TaskGroup()) {
 *     Task<Page> a = group.createTask(fetch(urlA));
 *     Task<Page> b = group.createTask(fetch(urlB));
 *   } // waits here for a and b
 *   ...
 * }
 * }</pre>
 *
 * <p>The rules are asyncio's:
 *
 * <ul>
 *   <li>A group is created inside a running task, its <em>parent</em>; the try-with-resources of an
 *       {@link Async} method awaits {@link #closeAsync(Throwable)} when the block ends, which waits
 *       until every task of the group is done. Tasks may add tasks to the group while it waits.
 *   <li>When a task of the group fails (with anything but a {@link CancelledError}), the other tasks
 *       are cancelled, and so is the parent if its block is still running, so that the block stops at
 *       its current await. The group takes that cancellation back when it closes ({@link
 *       Task#uncancel()}), so the parent goes on normally after the block.
 *   <li>When the block itself fails, or is cancelled, the tasks are cancelled too.
 *   <li>When the parent is cancelled from outside while the group waits for its tasks, the tasks are
 *       cancelled, the group still waits for them to finish, and then the {@link CancelledError}
 *       propagates.
 *   <li>On close, the failures of the tasks, if any, are thrown together as a {@link
 *       TaskGroupException}, which takes precedence over a cancellation. A failure of the block other
 *       than a cancellation is not thrown again by the close: it stays the block's exception, with the
 *       {@code TaskGroupException}, if any, suppressed in it (Java's try-with-resources rule).
 * </ul>
 *
 * <p>A group is used by its parent task and the tasks of its loop, on the loop's thread.
 */
public final class TaskGroup implements AsyncCloseable {
  private final EventLoop loop;

  /** The task whose block owns the group; {@code null} once the group is closed. */
  private Task<?> parent;

  /** The tasks not done yet, in creation order. */
  private final LinkedHashSet<Task<?>> tasks = new LinkedHashSet<>();

  /** The tasks' failures in the order they happened; {@code null} until there is one. */
  private List<Throwable> errors;

  /** Set when {@link #closeAsync(Throwable)} starts. */
  private boolean exiting;

  /** Set when the tasks have been cancelled: no new task may be created. */
  private boolean aborting;

  /** Whether the group cancelled the parent, a request it must take back on close. */
  private boolean parentCancelRequested;

  /** Completed when the last task is done, while the close waits. */
  private Promise<Void> onCompleted;

  /** The done callback of every task, made once. */
  private final TaskListener onTaskDone;

  /**
   * Creates a group owned by the running task.
   *
   * <p>Threading: the thread of the running loop, inside a task; elsewhere it fails fast with an
   * {@link IllegalStateException}.
   *
   * @throws IllegalStateException if no task is running on this thread
   */
  public TaskGroup() {
    EventLoop l = EventLoop.runningOrNull();
    Task<?> p = l == null ? null : l.currentTask;
    if (p == null) {
      throw new IllegalStateException(
          "new TaskGroup() was called outside a running task: create the group inside an @Async"
              + " method (or any coroutine run by Aio.run(...) or a task), in a try-with-resources"
              + " block");
    }
    this.loop = l;
    this.parent = p;
    this.onTaskDone = new TaskListener(l, this);
  }

  /**
   * Starts {@code coroutine} as a task of the group: asyncio's {@code create_task}.
   *
   * <p>Threading: the thread of the group's loop; from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}.
   *
   * @throws IllegalStateException if the group is finished (closed, all tasks done) or shutting down
   *     (its tasks are being cancelled)
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine) {
    return createTask(coroutine, null);
  }

  /**
   * As {@link #createTask(Coroutine)}, with a name for the task.
   *
   * <p>Threading: the thread of the group's loop; from other threads, make the call inside {@link
   * EventLoop#callSoonThreadsafe(Runnable)}.
   *
   * @throws IllegalStateException if the group is finished or shutting down
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    if (coroutine == null) {
      throw new NullPointerException("coroutine");
    }
    if (exiting && tasks.isEmpty()) {
      discard(coroutine);
      throw new IllegalStateException(
          this + " is finished: create tasks inside the group's block, or from its tasks while it"
              + " still waits for them; use a new TaskGroup to start more");
    }
    if (aborting) {
      discard(coroutine);
      throw new IllegalStateException(
          this + " is shutting down (a task failed, or the block failed or was cancelled), so it"
              + " cannot start a new task");
    }
    Task<T> task = loop.createTask(coroutine, name);
    tasks.add(task);
    task.addCallback(onTaskDone);
    return task;
  }

  /**
   * Waits for the tasks after a normal exit of the block; see {@link #closeAsync(Throwable)}.
   *
   * <p>Threading: any thread may create the coroutine; it runs on the loop of the task that awaits it.
   */
  @Override
  public Coroutine<Void> closeAsync() {
    return new Closer(null);
  }

  /**
   * Waits until every task of the group is done: asyncio's {@code __aexit__}. The try-with-resources
   * of an {@link Async} method awaits it when the block ends; it must be awaited by the group's parent
   * task, once.
   *
   * <p>If {@code failure} is not {@code null}, the tasks are cancelled first. If the parent is
   * cancelled while the close waits, the tasks are cancelled and the close goes on waiting. At the end,
   * the tasks' failures are thrown as a {@link TaskGroupException}; failing that, a cancellation of the
   * parent from outside is thrown as a {@link CancelledError}, unless the block is already ending with
   * one. {@code failure} itself is never thrown.
   *
   * <p>Threading: any thread may create the coroutine; it runs on the loop of the task that awaits it.
   *
   * @param failure the exception the block is ending with, or {@code null}
   */
  @Override
  public Coroutine<Void> closeAsync(Throwable failure) {
    return new Closer(failure);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("TaskGroup[");
    if (exiting && tasks.isEmpty() && parent == null) {
      b.append("finished");
    } else {
      b.append("tasks=").append(tasks.size());
      if (errors != null) {
        b.append(", errors=").append(errors.size());
      }
      if (aborting) {
        b.append(", cancelling");
      } else if (exiting) {
        b.append(", exiting");
      }
    }
    return b.append(']').toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Internals.

  /** Cancels every task not done yet; from now on no task may be created. */
  private void abort() {
    aborting = true;
    for (Task<?> t : tasks) {
      if (!t.isDone()) {
        t.cancel();
      }
    }
  }

  /** Done callback of the group's tasks. */
  private void taskDone(Promise<?> done) {
    tasks.remove(done);
    Promise<Void> waiter = onCompleted;
    if (waiter != null && tasks.isEmpty() && !waiter.isDone()) {
      waiter.complete(null);
    }
    if (done.isCancelled()) {
      return;
    }
    Throwable e = done.exception();
    if (e == null) {
      return;
    }
    if (errors == null) {
      errors = new ArrayList<>(2);
    }
    errors.add(e);
    Task<?> p = parent;
    if (p.isDone()) {
      loop.callExceptionHandler(
          "task " + done + " of a TaskGroup failed, but the group's parent task " + p
              + " is already done: close the group (try-with-resources) before the task ends",
          e);
      return;
    }
    if (!aborting && !parentCancelRequested) {
      // Stop the parent's block at its current await; the close takes this cancellation back.
      abort();
      parentCancelRequested = true;
      p.cancel();
    }
  }

  /**
   * The done callback of the group's tasks: a promise for that alone (never completed, never handed
   * out), queued as itself when a task is done ({@link Promise#notifiedBy}), so that nothing is
   * allocated per task. The tasks whose completion queued it wait in a ring, in that order, until
   * their run ({@link #taskDone}): the loop runs the queued entries in the same order. The ring is made
   * at the first completion, of {@value #INITIAL_RING} slots, and doubles when more tasks are done
   * than have been run, so it grows only as far as the most completions queued at once.
   */
  private static final class TaskListener extends Promise<Void> {
    private static final int INITIAL_RING = 8;

    private final TaskGroup group;
    private Promise<?>[] ring;
    private int head;
    private int size;

    TaskListener(EventLoop loop, TaskGroup group) {
      super(loop);
      this.group = group;
    }

    @Override
    void notifiedBy(Promise<?> done) {
      Promise<?>[] r = ring;
      if (r == null) {
        r = new Promise<?>[INITIAL_RING];
        ring = r;
      } else if (size == r.length) {
        Promise<?>[] grown = new Promise<?>[r.length * 2];
        for (int i = 0; i < size; i++) {
          grown[i] = r[(head + i) & (r.length - 1)];
        }
        r = grown;
        ring = r;
        head = 0;
      }
      r[(head + size) & (r.length - 1)] = done;
      size++;
    }

    @Override
    void runReady() {
      Promise<?>[] r = ring;
      Promise<?> done = r[head];
      r[head] = null;
      head = (head + 1) & (r.length - 1);
      size--;
      group.taskDone(done);
    }

    @Override
    public String toString() {
      return group + ".taskDone";
    }
  }

  /**
   * Marks a refused coroutine as dealt with, so that debug mode does not also report it as never
   * awaited: the caller gets an exception instead (asyncio closes it).
   */
  private static void discard(Coroutine<?> coroutine) {
    coroutine.settleDebugTracking();
  }

  /** The close: asyncio's {@code __aexit__}, as a hand-written state machine. */
  private final class Closer extends Coroutine<Void> {
    private final Throwable bodyFailure;

    /** The cancellation to throw at the end, if nothing takes precedence. */
    private CancelledError propagate;

    /** The last cancellation received while waiting. */
    private CancelledError received;

    Closer(Throwable bodyFailure) {
      this.bodyFailure = bodyFailure;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          begin();
          break;
        case 1:
          resumed();
          break;
        default:
          throw illegalState();
      }
      while (!tasks.isEmpty()) {
        Promise<Void> waiter = onCompleted;
        if (waiter == null) {
          waiter = loop.createPromise();
          onCompleted = waiter;
        }
        state = 1;
        if (suspendOn(waiter)) {
          return SUSPEND;
        }
        resumed();
      }
      end();
      return null;
    }

    private void begin() {
      if (exiting) {
        throw new IllegalStateException(
            TaskGroup.this + " was already closed: await closeAsync() once, when its block ends");
      }
      Task<?> closing = requireTask(); // this close was started inline: its task is its caller's
      if (closing != parent) {
        throw new IllegalStateException(
            TaskGroup.this + " must be closed by the task that created it, " + parent
                + ", not by " + closing);
      }
      exiting = true;
      if (bodyFailure != null && !aborting) {
        // The block failed, or its task is being cancelled: cancel the tasks.
        abort();
      }
    }

    private void resumed() {
      try {
        awaitResult();
      } catch (CancelledError e) {
        received = e;
        if (!aborting) {
          // The parent is cancelled from outside while the group waits for its tasks.
          propagate = e;
          abort();
        }
      }
      onCompleted = null;
    }

    private void end() {
      Task<?> p = parent;
      List<Throwable> errs = errors;
      parent = null;
      errors = null;
      if (parentCancelRequested) {
        // Take back the cancellation the group requested; propagate only one that is not ours.
        if (p.uncancel() == 0) {
          propagate = null;
        } else if (propagate == null) {
          propagate = received;
        }
      }
      boolean bodyFailedOtherwise = bodyFailure != null && !(bodyFailure instanceof CancelledError);
      if (errs == null && !bodyFailedOtherwise) {
        if (propagate != null && !(bodyFailure instanceof CancelledError)) {
          throw propagate;
        }
        // A block ending with a CancelledError goes on propagating its own.
        return;
      }
      if (p.cancelling() > 0) {
        // A cancellation from outside is pending, and an exception other than CancelledError will
        // propagate: re-arm it, so that the parent's next await is cancelled (the count stays).
        p.uncancel();
        p.cancel();
      }
      if (errs != null) {
        throw new TaskGroupException(errs);
      }
    }

    @Override
    public String toString() {
      return TaskGroup.this + ".closeAsync()";
    }
  }
}
