package io.awaitj.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test ({@code @Test}) run with a fresh {@link io.awaitj.EventLoop} of its own, on a virtual clock
 * unless {@link #realTime()} says otherwise. The test and its {@code @BeforeEach} and {@code
 * @AfterEach} methods receive the loop and its {@link TestTime} as parameters, run their coroutines on
 * it with {@link io.awaitj.EventLoop#runUntilComplete}, and step its clock with {@link TestTime}:
 *
 * <pre>{@code
 * class TickerTest {
 *   @AsyncTest(timeout = 60)
 *   void ticksOncePerSecond(EventLoop loop, TestTime time) {
 *     AtomicInteger ticks = new AtomicInteger();
 *     Task<Void> ticker = loop.createTask(TickerTestAsync.tick(ticks));
 *     time.advanceBy(Duration.ofSeconds(10));
 *     assertEquals(10, ticks.get());
 *     ticker.cancel();
 *     time.runCurrent();
 *   }
 *
 *   @Async
 *   static Coroutine<Void> tick(AtomicInteger ticks) {
 *     while (true) {
 *       await(Aio.sleep(Duration.ofSeconds(1)));
 *       ticks.incrementAndGet();
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>After the last {@code @AfterEach} method, the test fails, with the loop's task dump in the
 * message, if it left tasks not done, if a task of the loop failed and nobody retrieved its exception
 * ({@link io.awaitj.Promise#isExceptionUnretrieved()}), or if a callback of the loop threw (the loop's
 * exception handler received an exception). It fails when its {@link #timeout()} passes on the loop's
 * clock: the tasks left are cancelled and the test fails with the dump of the moment. A coroutine that
 * can never complete fails at once: on a virtual clock {@code runUntilComplete} reports the deadlock
 * (with a timeout set, the clock jumps to the timeout instead, which reports it). Then the loop is
 * closed, which cancels what is left.
 *
 * <p>JUnit runs no test method that returns a value, and instantiates no abstract class; so the test
 * method is an ordinary {@code void} method, and the {@code @Async} code it runs is a static {@code
 * @Async} method of the test class (called through the generated {@code XAsync}), or a method of an
 * object made by the test. For a {@code @ParameterizedTest}, a {@code @RepeatedTest} or a whole class,
 * use {@link AsyncLoop @AsyncLoop}, which has the same settings and does not make a method a test.
 *
 * <p>Threading: the loop belongs to the thread that runs the test.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(AsyncTestExtension.class)
public @interface AsyncTest {
  /**
   * Whether the loop runs on the real clock ({@link io.awaitj.EventLoop#create()}) instead of a virtual
   * one ({@link io.awaitj.EventLoop#createVirtual()}, the default).
   *
   * @return {@code true} for the real clock
   */
  boolean realTime() default false;

  /**
   * The time the test may take on its loop's clock, in {@link #timeoutUnit()}s, counted from the
   * loop's creation (before the first {@code @BeforeEach}); zero or less: no timeout. On a virtual
   * clock this is virtual time: a test that sleeps an hour takes no time, and fails an hour into it
   * if its timeout is shorter.
   *
   * @return the timeout, or 0 for none
   */
  long timeout() default 0;

  /**
   * The unit of {@link #timeout()}.
   *
   * @return the unit, seconds by default
   */
  TimeUnit timeoutUnit() default TimeUnit.SECONDS;
}
