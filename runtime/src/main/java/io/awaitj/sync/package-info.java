/**
 * Synchronisation primitives for coroutines: asyncio's {@code locks.py} and {@code queues.py}.
 *
 * <p>They follow asyncio's rules exactly. All are FIFO-fair: a fast path (taking a lock or permit, or
 * an item or a slot of a queue, without waiting) is used only when no live waiter is queued ahead;
 * waiters whose task was cancelled are skipped; and a waiter woken and then cancelled before it ran
 * passes its wake-up on to the next, so no wake-up is lost. The operations that may wait return lazy
 * {@link io.awaitj.Coroutine}s, to be awaited: as with Python's coroutines, nothing happens until they
 * are. {@code Lock.acquire()}, {@code Semaphore.acquire()}, their {@code hold()}, {@code Queue.get()}
 * and {@code Event.waitSet()} return one coroutine shared by every call on the primitive ({@link
 * io.awaitj.Coroutine.Shared}): an await on the fast path allocates nothing (for {@code hold()}, when
 * its {@link io.awaitj.sync.Lock.Held} can be the one the task had before: see {@link
 * io.awaitj.sync.Lock#hold()}), and the coroutine may be awaited again, each await one operation; only
 * an await that must wait makes a coroutine of its own (in debug mode, every call makes a new one, as
 * other coroutines are made). {@code Queue.put(item)} shares its coroutine as its javadoc says; the
 * others ({@code Condition}'s and {@code Barrier}'s waits) allocate their coroutine object on the fast
 * path, and nothing else. {@link
 * io.awaitj.sync.Lock#tryAcquire()} and {@link io.awaitj.sync.Semaphore#tryAcquire()} allocate nothing.
 *
 * <p>Like asyncio's ({@code _LoopBoundMixin}), a primitive belongs to the event loop on which something
 * first waits on it; waiting on it from another loop throws {@link IllegalStateException}. A primitive
 * that has never had to wait belongs to no loop yet. None is thread-safe: every method of every
 * primitive belongs to its loop's thread (from other threads, call it inside {@link
 * io.awaitj.EventLoop#callSoonThreadsafe(Runnable)}). This is checked only where a waiter's promise is
 * created or completed, which fails fast with an {@link IllegalStateException}; the fast paths are not
 * checked.
 *
 * <h2>Names</h2>
 *
 * {@code wait}, {@code notify} and {@code notifyAll} are final methods of {@link Object}, so some names
 * change; Python's {@code RuntimeError} and {@code ValueError} become {@link IllegalStateException} and
 * {@link IllegalArgumentException}, and all exceptions are unchecked.
 *
 * <table>
 *   <caption>asyncio names and awaitj names</caption>
 *   <tr><th>asyncio</th><th>awaitj</th></tr>
 *   <tr><td>{@code async with lock:} (Lock, Semaphore, Condition)</td>
 *       <td>{@code try (var held = await(lock.hold())) {...}}</td></tr>
 *   <tr><td>{@code Lock.locked()}, {@code Semaphore.locked()}</td><td>{@code isLocked()}</td></tr>
 *   <tr><td>(none)</td><td>{@code Lock.tryAcquire()}, {@code Semaphore.tryAcquire()}</td></tr>
 *   <tr><td>{@code Event.wait()}, {@code Event.is_set()}</td><td>{@code waitSet()}, {@code isSet()}</td></tr>
 *   <tr><td>{@code Condition.wait()}, {@code wait_for(p)}</td><td>{@code waitSignal()}, {@code waitFor(p)}</td></tr>
 *   <tr><td>{@code Condition.notify(n)}, {@code notify_all()}</td><td>{@code signal(n)}, {@code signalAll()}</td></tr>
 *   <tr><td>{@code Barrier.wait()}</td><td>{@code arrive()}, returning the arrival index</td></tr>
 *   <tr><td>{@code await Barrier.reset()}, {@code await Barrier.abort()}</td>
 *       <td>{@code reset()}, {@code abort()}: plain methods, see {@link io.awaitj.sync.Barrier}</td></tr>
 *   <tr><td>{@code Barrier.n_waiting}, {@code broken}</td><td>{@code waiting()}, {@code isBroken()}</td></tr>
 *   <tr><td>{@code BrokenBarrierError}</td><td>{@link io.awaitj.sync.BrokenBarrierException}</td></tr>
 *   <tr><td>{@code Queue.put_nowait}, {@code get_nowait}, {@code task_done}</td>
 *       <td>{@code putNowait}, {@code getNowait}, {@code taskDone}</td></tr>
 *   <tr><td>{@code Queue.qsize()}, {@code empty()}, {@code full()}</td>
 *       <td>{@code size()}, {@code isEmpty()}, {@code isFull()}</td></tr>
 *   <tr><td>{@code Queue.shutdown(immediate=False)}</td><td>{@code shutdown()}, {@code shutdown(boolean)}</td></tr>
 *   <tr><td>{@code RuntimeError} (releasing a lock not held, signalling a condition whose lock is
 *       not held, waiting from another loop)</td><td>{@link IllegalStateException}</td></tr>
 *   <tr><td>{@code ValueError} (a negative semaphore value, a barrier of fewer than one party,
 *       {@code BoundedSemaphore.release()} past its initial value, {@code Queue.task_done()} called
 *       more often than items were put)</td><td>{@link IllegalArgumentException}</td></tr>
 *   <tr><td>{@code QueueFull}, {@code QueueEmpty}, {@code QueueShutDown}</td>
 *       <td>{@link io.awaitj.sync.QueueFullException}, {@link io.awaitj.sync.QueueEmptyException},
 *       {@link io.awaitj.sync.QueueShutDownException}</td></tr>
 *   <tr><td>{@code Queue._init}, {@code _put}, {@code _get}</td>
 *       <td>{@code init(int)}, {@code putItem(T)}, {@code getItem()} (protected)</td></tr>
 * </table>
 */
package io.awaitj.sync;
