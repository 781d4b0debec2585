package io.awaitj;

/**
 * Something {@link Aio#await(Awaitable)} accepts: a {@link Coroutine} (run inline), or a {@link Promise}
 * (which includes {@link Task}). {@link java.util.concurrent.CompletionStage}s are accepted too, through
 * an overload of {@code await} and of most combinators; {@link Aio#fromStage} makes one a promise for
 * the rest.
 *
 * <p>The interface is sealed: to make a value of your own awaitable, complete a {@link Promise}, or write
 * an {@link Async} method.
 *
 * @param <T> the type of the awaited result
 */
public sealed interface Awaitable<T> permits Coroutine, Promise {}
