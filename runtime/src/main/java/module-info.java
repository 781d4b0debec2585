/**
 * awaitj's runtime: the event loop, coroutines and tasks, the combinators, generators, {@code @Async}
 * ({@link io.awaitj}), synchronisation primitives ({@link io.awaitj.sync}), I/O on the loop ({@link
 * io.awaitj.io}) and operators on async iterables ({@link io.awaitj.flow}). Every package is API and
 * exported; the module needs nothing but java.base.
 *
 * <p>A module of your own that has {@code @Async} methods reads this one and java.compiler, whose
 * {@code javax.annotation.processing.Generated} marks every class the processor writes (the
 * processor, {@code awaitj-processor}, goes on the processor path, not in the module graph):
 *
 * <pre>{@code
 * module com.example.app {
 *   requires io.awaitj;
 *   requires static java.compiler;
 * }
 * }</pre>
 *
 * <p>The state machines generated into your module extend {@link io.awaitj.Coroutine} (or {@link
 * io.awaitj.GeneratorMachine}) and use their protected members, which exported packages allow; the
 * runtime reaches your classes only through those types, so your module opens nothing to it.
 * Threading: a loop and what runs on it belong to the thread that runs the loop (see {@link
 * io.awaitj.EventLoop}).
 */
module io.awaitj {
  exports io.awaitj;
  exports io.awaitj.flow;
  exports io.awaitj.io;
  exports io.awaitj.sync;
}
