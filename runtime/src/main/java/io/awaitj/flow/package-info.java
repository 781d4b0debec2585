/**
 * Operators on async iterables, Kotlin's {@code Flow} operators for awaitj: {@link
 * io.awaitj.flow.Flows} makes an {@link io.awaitj.flow.AsyncStream} (from iterables, ranges, a clock,
 * any {@link io.awaitj.AsyncIterable}, merged sources, a {@link java.util.concurrent.Flow.Publisher}),
 * whose operators ({@code map}, {@code filter}, {@code take}, {@code flatMap}, {@code zip}, {@code
 * chunked}, {@code timeout}, {@code buffer}, ...) return new streams and whose terminal coroutines
 * ({@code toList}, {@code first}, {@code fold}, ...) read them; {@link
 * io.awaitj.flow.Flows#toPublisher} turns an async iterable into a {@code Flow.Publisher}.
 *
 * <p>Closing and cancellation propagate through every operator: see {@link
 * io.awaitj.flow.AsyncStream}. Threading: streams are built on any thread and run on the loop of the
 * task that reads them.
 */
package io.awaitj.flow;
