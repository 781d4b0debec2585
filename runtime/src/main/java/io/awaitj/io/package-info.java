/**
 * Files for coroutines, as asyncio users have them from {@code aiofiles}: {@link
 * io.awaitj.io.AsyncFiles} (whole-file reads and writes, lines streamed with a bounded buffer, {@code
 * open}) and {@link io.awaitj.io.AsyncFile} (positional reads and writes of an open file). Every
 * operation is a lazy coroutine whose blocking {@link java.nio.channels.FileChannel} call runs on a
 * bounded pool of file threads, never on the loop's thread; {@link io.awaitj.io.AsyncFiles} says why
 * this mechanism, with the numbers measured, and what cancellation leaves behind.
 */
package io.awaitj.io;
