/**
 * A JUnit Jupiter extension for testing awaitj code: each test gets a fresh {@link
 * io.awaitj.EventLoop}, on a virtual clock unless asked otherwise, and a {@link
 * io.awaitj.junit.TestTime} that steps the clock by hand; the test fails if it leaves tasks pending, if
 * a task's exception was never retrieved, if a callback of the loop threw, or if its timeout passes.
 *
 * <p>Mark a test {@link io.awaitj.junit.AsyncTest @AsyncTest} (a {@code @Test}), or put {@link
 * io.awaitj.junit.AsyncLoop @AsyncLoop} on any other kind of test (a {@code @ParameterizedTest}, a
 * {@code @RepeatedTest}) or on a class, and declare parameters of type {@link io.awaitj.EventLoop} and
 * {@link io.awaitj.junit.TestTime} in the test and its {@code @BeforeEach} / {@code @AfterEach}
 * methods, which share the test's loop.
 *
 * <p>awaitj's own build uses it: the samples' tests ({@code SamplesTest} runs every sample on an
 * {@code @AsyncLoop} loop, {@code TimelineTest} and {@code TickerTest} step the clock with {@code
 * TestTime}) and the integration module's tests of the runtime in time ({@code TimeoutsTimelineTest},
 * {@code TaskGroupTimelineTest}, {@code QueueTimelineTest}).
 *
 * <p>Threading: a test's loop belongs to the thread that runs the test (JUnit runs a test's {@code
 * @BeforeEach}, its body and its {@code @AfterEach} on one thread); run it and step its clock from that
 * thread.
 */
package io.awaitj.junit;
