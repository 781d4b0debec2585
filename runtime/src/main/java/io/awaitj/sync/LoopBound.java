package io.awaitj.sync;

import io.awaitj.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * asyncio's {@code _LoopBoundMixin}: a primitive belongs to the event loop on which it first has to
 * wait, and waiting on it from another loop throws.
 *
 * <p>As in asyncio, the binding happens when a waiter promise is first created, not on fast paths:
 * a lock that is only ever acquired uncontended binds to no loop.
 */
abstract class LoopBound {
  private static final VarHandle LOOP;

  static {
    try {
      LOOP = MethodHandles.lookup().findVarHandle(LoopBound.class, "loop", EventLoop.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The loop of first wait; {@code null} until then. Written once, possibly racing another loop. */
  private volatile EventLoop loop;

  /**
   * Binds this primitive to {@code running} if it is not bound yet.
   *
   * @throws IllegalStateException if it is bound to another loop
   */
  final void bindTo(EventLoop running) {
    EventLoop l = loop;
    if (l == running) {
      return;
    }
    if (l == null) {
      if (LOOP.compareAndSet(this, (EventLoop) null, running)) {
        return;
      }
      if (loop == running) {
        return;
      }
    }
    throw new IllegalStateException(
        kind() + " is bound to a different event loop (" + this + "): a synchronisation"
            + " primitive belongs to the loop on which something first waited on it. Create a new "
            + kind() + " for each event loop (for example inside the coroutine given to Aio.run)");
  }

  /** The name used in the binding error. */
  String kind() {
    return getClass().getSimpleName();
  }
}
