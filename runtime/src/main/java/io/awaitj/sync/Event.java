package io.awaitj.sync;

import io.awaitj.Coroutine;

/**
 * A flag coroutines can wait for: asyncio's {@code Event}. Initially clear; {@link #set()} wakes every
 * waiter, and while it is set {@link #waitSet()} returns at once.
 */
public final class Event extends LoopBound {
  private boolean value;
  final WaitQueue waiters = new WaitQueue(this);
  private final String kind;

  /** The shared coroutine of {@link #waitSet()}, made at its first call; {@code null} until then. */
  private Wait.Now sharedWait;

  /**
   * Creates a clear event.
   *
   * <p>Threading: any thread.
   */
  public Event() {
    this.kind = null;
  }

  /** An event used inside another primitive, named after it in the loop-binding error. */
  Event(String kind) {
    this.kind = kind;
  }

  /**
   * Whether the flag is set: asyncio's {@code is_set()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public boolean isSet() {
    return value;
  }

  /**
   * Sets the flag and wakes every waiter, in the order they started waiting.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public void set() {
    if (!value) {
      value = true;
      waiters.wake(Integer.MAX_VALUE, false);
    }
  }

  /**
   * Clears the flag: later {@link #waitSet()}s wait until the next {@link #set()}.
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public void clear() {
    value = false;
  }

  /**
   * Waits until the flag is set: asyncio's {@code wait()} (renamed because {@code Object.wait()} is
   * final). Returns at once if it is set when awaited. A waiter woken by {@link #set()} returns even
   * if the flag was cleared again before it ran. The coroutine is this
   * event's one shared coroutine (see {@link io.awaitj.Coroutine.Shared}): an await that completes at once
   * allocates nothing, and it may be awaited again, each await one operation (in debug mode
   * each call makes a new one).
   *
   * <p>Threading: the loop's thread (see the package documentation).
   */
  public Coroutine<Void> waitSet() {
    Wait.Now w = sharedWait;
    if (w == null) {
      w = new Wait.Now(this);
      sharedWait = w;
    }
    return w.call();
  }

  @Override
  String kind() {
    return kind != null ? kind : super.kind();
  }

  @Override
  public String toString() {
    String s = value ? "set" : "unset";
    return "Event[" + (waiters.isEmpty() ? s : s + ", waiters:" + waiters.size()) + "]";
  }

  private static final class Wait extends Waiter<Void> {
    private final Event event;

    Wait(Event event) {
      this.event = event;
    }

    @Override
    protected Object step() {
      switch (state) {
        case 0:
          if (event.value) {
            return null;
          }
          state = 1;
          return park(event.waiters);
        case 1:
          resumeWait();
          return null;
        default:
          throw illegalState();
      }
    }

    @Override
    void waitCancelled(boolean woken) {
      // set() wakes everyone: there is nothing to pass on.
    }

    @Override
    public String toString() {
      return "Event.waitSet() of " + event;
    }

    /**
     * {@link Event#waitSet()}, shared (see {@link io.awaitj.Coroutine.Shared}): an await of a set event returns
     * at once, allocating nothing; otherwise it runs a new {@link Wait}, which waits.
     */
    static final class Now extends Coroutine.Shared<Void> {
      private final Event event;

      Now(Event event) {
        this.event = event;
      }

        /** What the primitive returns for one call ({@link #forCall()}). */
      Coroutine<Void> call() {
        return forCall();
      }

    @Override
      protected Object now() {
        return event.value ? null : WAIT;
      }

      @Override
      protected Coroutine<Void> fresh() {
        return new Wait(event);
      }

      @Override
      public String toString() {
        return "Event.waitSet() of " + event;
      }
    }
  }
}
