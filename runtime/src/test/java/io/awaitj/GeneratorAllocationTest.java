package io.awaitj;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures (does not time) what an async generator consumed by an async for allocates per element,
 * with the JVM's per-thread allocation counter, as {@link AllocationTest} does. The machines are
 * written by hand in the shapes the processor emits (a generator's {@code emit}, an async for's
 * {@code awaitNext(it)}), and the iterator protocol by hand ({@code await(it.hasNext())}); the values
 * are boxed before the measurement, so any byte is the runtime's own.
 *
 * <p>The figure is exact: a run of {@value #MANY} elements allocates exactly what a run of {@value
 * #FEW} does (the generator, its one {@code hasNext()} coroutine, the consumer and its task): 0 B per
 * element. One byte more per element, or an object per 100,000 elements, fails.
 */
class GeneratorAllocationTest {
  private static final int FEW = 10;
  private static final int MANY = 100_000;

  private static final Integer[] VALUES = new Integer[1024];
  private EventLoop loop;

  @BeforeAll
  static void counter() {
    AllocatedBytes.require();
    ObjectLayout.requireMeasuredLayout();
    for (int i = 0; i < VALUES.length; i++) {
      VALUES[i] = 100_000 + i; // boxed once, here
    }
  }

  @BeforeEach
  void newLoop() {
    loop = EventLoop.createVirtual();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private static long allocated() {
    return AllocatedBytes.now();
  }

  /** The fewest bytes a run of {@code elements} allocated, over warm-ups and runs. */
  private long fewest(IntFunction<GeneratorMachine<Integer>> generator, int elements) {
    return fewest(generator, elements, SumLoop::new);
  }

  /** As {@link #fewest(IntFunction, int)}, the generator consumed by {@code consumer}. */
  private long fewest(IntFunction<GeneratorMachine<Integer>> generator, int elements,
      java.util.function.Function<GeneratorMachine<Integer>, Coroutine<Long>> consumer) {
    long best = Long.MAX_VALUE;
    long expectedSum = 0;
    for (int i = 0; i < elements; i++) {
      expectedSum += VALUES[i & (VALUES.length - 1)];
    }
    for (int run = 0; run < 20; run++) {
      Coroutine<Long> sum = consumer.apply(generator.apply(elements));
      long before = allocated();
      long total = loop.runUntilComplete(sum);
      long bytes = allocated() - before;
      assertEquals(expectedSum, total);
      best = Math.min(best, bytes);
    }
    return best;
  }

  private void assertNothingPerElement(String what, IntFunction<GeneratorMachine<Integer>> generator) {
    long few = fewest(generator, FEW);
    long many = fewest(generator, MANY);
    System.out.println("GeneratorAllocationTest: " + what + ": " + few + " B for " + FEW
        + " elements, " + many + " B for " + MANY);
    assertEquals(few, many, what + ": " + (many - few) + " B more for " + (MANY - FEW)
        + " more elements (" + (double) (many - few) / (MANY - FEW) + " B per element); the goal is 0");
  }

  @Test
  void aGeneratorConsumedByAsyncForAllocatesNothingPerElement() {
    assertNothingPerElement("emits only", Numbers::new);
  }

  /**
   * The async for as the processor lowers it ({@link DirectSumLoop}: {@code awaitNext}, the body
   * advanced directly): exactly the consumer, its task and the generator, whatever the count; with a
   * suspension before each emit, the generator's one step object besides (made at its first
   * suspension and reused: the body is linked to the consumer through it whenever it suspends).
   * Exact figures, on the layout {@link ObjectLayout} requires.
   */
  @Test
  void aGeneratorAdvancedByTheLoweredAsyncForAllocatesExactlyItsObjects() {
    long few = fewest(Numbers::new, FEW, DirectSumLoop::new);
    long many = fewest(Numbers::new, MANY, DirectSumLoop::new);
    long fewYielding = fewest(YieldingNumbers::new, FEW, DirectSumLoop::new);
    long manyYielding = fewest(YieldingNumbers::new, MANY, DirectSumLoop::new);
    System.out.println("GeneratorAllocationTest: awaitNext: " + few + " B for " + FEW + " elements, "
        + many + " B for " + MANY + "; a yield before each emit: " + fewYielding + " B, "
        + manyYielding + " B");
    assertEquals(DIRECT_BYTES, few, "emits only, " + FEW + " elements");
    assertEquals(DIRECT_BYTES, many, "emits only, " + MANY + " elements");
    assertEquals(DIRECT_YIELDING_BYTES, fewYielding, "a yield before each emit, " + FEW + " elements");
    assertEquals(DIRECT_YIELDING_BYTES, manyYielding, "a yield before each emit, " + MANY + " elements");
  }

  /**
   * What {@link #aGeneratorAdvancedByTheLoweredAsyncForAllocatesExactlyItsObjects} measures: the
   * consumer, its task and the generator (136 B); with suspensions, the generator's step besides
   * (48 B), which the hand-driven {@code hasNext()} makes at its first call (184 B in both of the
   * other tests).
   */
  private static final long DIRECT_BYTES = 136;
  private static final long DIRECT_YIELDING_BYTES = 184;

  @Test
  void aGeneratorThatSuspendsBetweenValuesAllocatesNothingPerElement() {
    // Each value after an await(Aio.sleep(0)): the body suspends, the task goes through the loop,
    // and the emit reaches the consumer through the task's driver instead of inline.
    assertNothingPerElement("a yield before each emit", YieldingNumbers::new);
  }

  /** {@code for (int i = 0; i < count; i++) emit(VALUES[i % 1024]); return finish();}, by hand. */
  static final class Numbers extends GeneratorMachine<Integer> {
    private final int count;
    private int i;

    Numbers(int count) {
      this.count = count;
    }

    @Override
    protected Object step() throws Throwable {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= count) {
              return null;
            }
            state = 2;
            emit$(VALUES[i & (VALUES.length - 1)]);
            return EMITTED;
          case 2:
            awaitResult();
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** As {@link Numbers}, with an {@code await(Aio.sleep(0))} before each emit. */
  static final class YieldingNumbers extends GeneratorMachine<Integer> {
    private final int count;
    private int i;

    YieldingNumbers(int count) {
      this.count = count;
    }

    @Override
    protected Object step() throws Throwable {
      while (true) {
        switch (state) {
          case 0:
            i = 0;
            state = 1;
            continue;
          case 1:
            if (i >= count) {
              return null;
            }
            state = 2;
            if (suspendOn(Aio.sleep(0))) {
              return SUSPEND;
            }
            continue;
          case 2:
            awaitResult();
            state = 3;
            emit$(VALUES[i & (VALUES.length - 1)]);
            return EMITTED;
          case 3:
            awaitResult();
            i++;
            state = 1;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /**
   * {@code long sum = 0; for (int v : generator) sum += v; return done(sum);}, as the processor
   * lowers it: each element one {@code awaitNext}, the value in a local when it did not suspend.
   */
  static final class DirectSumLoop extends Coroutine<Long> {
    private final AsyncIterator<Integer> it;
    private long sum;

    DirectSumLoop(GeneratorMachine<Integer> generator) {
      this.it = generator.asyncIterator();
    }

    @Override
    protected Object step() {
      while (true) {
        Object awaited = SUSPEND;
        switch (state) {
          case 0:
            state = 1;
            if ((awaited = awaitNext(it)) == SUSPEND) {
              return SUSPEND;
            }
            // fall through
          case 1:
            Object next = nextOf(awaited, it);
            if (next == EXHAUSTED) {
              return sum;
            }
            sum += this.<Integer>asElement(next);
            state = 0;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /**
   * {@code long sum = 0; for (int v : generator) sum += v; return done(sum);}, through the iterator
   * protocol by hand ({@code await(it.hasNext())}, {@code it.next()}), as operators and hand-written
   * consumers use it.
   */
  static final class SumLoop extends Coroutine<Long> {
    private final AsyncIterator<Integer> it;
    private long sum;

    SumLoop(GeneratorMachine<Integer> generator) {
      this.it = generator.asyncIterator();
    }

    @Override
    protected Object step() {
      if (state == 1) {
        if (!this.<Boolean>awaitResult()) {
          return sum;
        }
        sum += it.next();
      }
      while (true) {
        state = 1;
        if (suspendOn(it.hasNext())) {
          return SUSPEND;
        }
        if (!this.<Boolean>awaitResult()) {
          return sum;
        }
        sum += it.next();
      }
    }
  }
}
