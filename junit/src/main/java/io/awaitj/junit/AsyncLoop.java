package io.awaitj.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives every test it applies to a fresh {@link io.awaitj.EventLoop}, as {@link AsyncTest @AsyncTest}
 * does, without making a method a test: for a {@code @ParameterizedTest} or a {@code @RepeatedTest}
 * (each invocation gets a loop of its own), or on a class, for all of its tests and those of its
 * {@code @Nested} classes. The settings and the checks are {@link AsyncTest}'s; where both apply, the
 * method's annotation wins over the class's, and a method's {@code @AsyncTest} over everything.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @ValueSource(ints = {1, 5, 30})
 * @AsyncLoop(timeout = 60)
 * void expires(int seconds, EventLoop loop) {
 *   assertTrue(loop.runUntilComplete(CacheTestAsync.expiresAfter(seconds)));
 * }
 * }</pre>
 *
 * <p>Threading: the loop belongs to the thread that runs the test.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AsyncTestExtension.class)
public @interface AsyncLoop {
  /**
   * Whether the loop runs on the real clock instead of a virtual one (the default).
   *
   * @return {@code true} for the real clock
   */
  boolean realTime() default false;

  /**
   * The time a test may take on its loop's clock, in {@link #timeoutUnit()}s, as {@link
   * AsyncTest#timeout()}; zero or less: no timeout.
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
