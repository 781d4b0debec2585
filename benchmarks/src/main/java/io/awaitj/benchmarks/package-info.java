/**
 * JMH benchmarks of the awaitj runtime's hot paths: awaiting a completed promise, awaiting a coroutine
 * that completes inline, suspending and resuming through the loop, and timers. Every coroutine here is
 * a hand-written state machine following the contract documented on {@link io.awaitj.Coroutine}, shaped
 * as the processor emits it (a {@code while (true) switch (state)} over resume labels, live locals
 * spilled to fields). See {@code benchmarks/README.md} for how to run them and the numbers measured.
 */
package io.awaitj.benchmarks;
