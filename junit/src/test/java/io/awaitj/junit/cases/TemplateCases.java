package io.awaitj.junit.cases;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.junit.AsyncLoop;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parameterized and repeated tests, each invocation on a loop of its own; a class's {@code @AsyncLoop}
 * for its plain tests and its nested classes', which a method's annotation overrides.
 */
@AsyncLoop(realTime = true)
public class TemplateCases {
  /** The loops the invocations got: the test checks they are all different. */
  public static final List<EventLoop> LOOPS = Collections.synchronizedList(new ArrayList<>());

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  @AsyncLoop(timeout = 60)
  void eachInvocationGetsAFreshVirtualLoop(int seconds, EventLoop loop, TestTime time) {
    LOOPS.add(loop);
    assertTrue(loop.isVirtualTime());
    assertEquals(Duration.ZERO, time.now());
    assertEquals(seconds, loop.runUntilComplete(TemplateCasesAsync.sleepFor(seconds)));
    assertEquals(Duration.ofSeconds(seconds), time.now());
  }

  @RepeatedTest(3)
  @AsyncLoop
  void eachRepetitionToo(EventLoop loop, TestTime time) {
    LOOPS.add(loop);
    assertEquals(Duration.ZERO, time.now());
    time.advanceBy(Duration.ofMinutes(5));
  }

  @Test
  void aPlainTestGetsTheClassesSettings(EventLoop loop) {
    LOOPS.add(loop);
    assertFalse(loop.isVirtualTime());
  }

  @AsyncTest
  void anAsyncTestHasItsOwn(EventLoop loop) {
    LOOPS.add(loop);
    assertTrue(loop.isVirtualTime());
  }

  @Nested
  class Inner {
    @Test
    void aNestedClassGetsTheEnclosingClassesSettings(EventLoop loop) {
      LOOPS.add(loop);
      assertFalse(loop.isVirtualTime());
    }
  }

  @Async
  static Coroutine<Integer> sleepFor(int seconds) {
    await(Aio.sleep(Duration.ofSeconds(seconds)));
    return done(seconds);
  }
}
