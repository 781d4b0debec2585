package io.awaitj;

/**
 * An element of the event loop's ready queue: something the loop runs once, when it comes out of the
 * queue, by one virtual call to {@link #runReady()}. The kinds (the table on {@code EventLoop.ready}
 * says who schedules each): a {@link Task} (one step of its coroutine), a {@link Handle} or {@link
 * TimerHandle} (its callback), and the runtime's promises that listen to others, queued as themselves
 * when one completes ({@code Promise.notifiedBy}). A {@code Consumer} done callback of a completed
 * promise is queued as two slots, the consumer and the promise, and is not a {@code Ready} (see the
 * table on {@code EventLoop.ready}).
 *
 * <p>A task, or a promise that listens to others, is in the queue as itself, so re-scheduling it
 * allocates nothing: that is why {@link Promise} extends this class. The class has
 * no fields, so it adds nothing to a waiting task's footprint, and no public or protected member, so it
 * adds nothing to the public API of {@code Promise}, {@code Task} or {@code Handle}.
 *
 * <p>An element's {@code toString()} must say what it is: debug mode's slow-callback report and the
 * exception handler's {@code "exception in callback "} message print it.
 */
abstract class Ready {
  Ready() {}

  /**
   * Runs this element. Called by the loop only, on its thread, once for each time the element was put
   * in the ready queue. What it throws the loop reports to its exception handler, and goes on.
   */
  abstract void runReady();
}
