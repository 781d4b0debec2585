package io.awaitj;

/**
 * What a closed generator receives at the {@link Aio#emit emit} it is paused at: Python's {@code
 * GeneratorExit}. Thrown there by {@link AsyncGenerator#closeAsync()} (and so by an {@code async for}
 * left early) so that the generator's {@code finally} blocks and async closes run. An {@code Error},
 * as {@link CancelledError} is, so that {@code catch (Exception e)} does not swallow it; a generator
 * that catches it must not emit again (that emit throws an {@link IllegalStateException}, which fails
 * the close if it leaves the generator).
 *
 * <p>Threading: thrown on the loop's thread.
 */
public final class GeneratorExit extends Error {
  private static final long serialVersionUID = 1L;

  GeneratorExit() {
    super("the async generator is being closed", null, false, false);
  }
}
