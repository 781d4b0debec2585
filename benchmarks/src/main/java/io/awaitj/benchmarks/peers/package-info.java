/**
 * A whole-process comparison of awaitj with virtual and platform threads on many waiting tasks
 * ({@link io.awaitj.benchmarks.peers.WaitingTasks}, run by {@code benchmarks/peers.sh}); the awaitj
 * side is written with {@code @Async} methods and compiled by the processor.
 */
package io.awaitj.benchmarks.peers;
