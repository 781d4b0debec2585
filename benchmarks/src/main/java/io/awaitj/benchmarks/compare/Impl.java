package io.awaitj.benchmarks.compare;

import java.util.function.LongSupplier;

/**
 * One JVM implementation of the scenarios: awaitj ({@link AwaitjImpl}), Kotlin coroutines
 * ({@code KotlinPeer}, compiled by the Kotlin Maven plugin), virtual threads ({@link VirtualImpl})
 * and {@code CompletableFuture} chains ({@link FutureImpl}). Each method does the work of one
 * scenario and returns its checksum; {@link PeerMain} times it and measures the memory, the same way
 * for every implementation. A method an implementation has no meaningful version of throws {@link
 * UnsupportedOperationException} (the harness does not call it).
 */
public interface Impl {
  /** {@code n} tasks each sleeping {@code millis}; the sum of their ids. */
  long sleep(int n, long millis) throws Exception;

  /**
   * {@code n} tasks, task {@code i} sleeping {@link #delayOf delayOf(i, millis, spread)}: {@code
   * spread} different delays in a scattered order, as sleeps of a random jitter are; the sum of their
   * ids.
   */
  long jitter(int n, long millis, int spread) throws Exception;

  /**
   * The sleep of task {@code i} in {@link #jitter}: {@code millis} and {@code (i * 7919) % spread}
   * more (7919 is prime: for {@code n >= spread} every value below {@code spread} is taken).
   */
  static long delayOf(long i, long millis, int spread) {
    return millis + (i * 7919) % spread;
  }

  /**
   * {@code n} tasks waiting on one gate; stores the heap per waiting task (after full collections)
   * in {@code heapPerTask[0]}, then opens the gate; the sum of their ids.
   */
  long heap(int n, long[] heapPerTask) throws Exception;

  /** A recursion {@code depth} deep whose leaf sleeps {@code millis}; each level adds 1. */
  long recurse(int depth, long millis) throws Exception;

  /** The least depth argument {@link #recurse} reached (for a run that overflowed its stack). */
  int deepest();

  /** Gathers {@code n} tasks each yielding {@code yields} times; the sum of id + yields done. */
  long gather(int n, int yields) throws Exception;

  /** Passes 0 .. n-1 from a producer to a consumer through a queue of capacity 64; their sum. */
  long queue(int n) throws Exception;

  /**
   * A batch of {@code ops} awaits of completed promises: {@link Probe#PROMISES} of them, promise k
   * holding k, the i-th await on promise {@code i % PROMISES} (one promise awaited again and again
   * would let the JIT hoist the await out of the loop); the sum of the values.
   */
  LongSupplier completedBatch(int ops);

  /**
   * A batch of {@code ops} calls + awaits of a coroutine that awaits the completed promise {@code i %
   * PROMISES} (as {@link #completedBatch}) and adds i to its value; the sum.
   */
  LongSupplier noSuspendBatch(int ops);

  /** A batch of {@code ops} calls + awaits of a coroutine without an await returning i + 1. */
  LongSupplier noAwaitBatch(int ops);

  /** One task yielding {@code n} times; the count. */
  long yieldLoop(int n) throws Exception;

  /**
   * A batch of {@code ops} elements of an async generator consumed by an async for: the generator
   * emits the boxed value {@code i % PROMISES} of {@link Probe#values()} (boxed before, so that no
   * element costs an allocation of its own), the consumer sums them; the sum.
   */
  LongSupplier generatorBatch(int ops);
}
