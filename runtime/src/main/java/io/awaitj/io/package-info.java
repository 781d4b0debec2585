/**
 * I/O on the event loop: asyncio's streams, servers and transports, and files as asyncio users have
 * them from {@code aiofiles}.
 *
 * <ul>
 *   <li>Network: {@link io.awaitj.Aio#openConnection} gives a {@link io.awaitj.io.Connection} (a
 *       {@link io.awaitj.io.StreamReader} and a {@link io.awaitj.io.StreamWriter}); {@link
 *       io.awaitj.Aio#startServer} a {@link io.awaitj.io.Server} running a {@link
 *       io.awaitj.io.ConnectionHandler} per connection. TCP and Unix domain sockets, non-blocking, on
 *       the loop's own selector. Underneath, {@link io.awaitj.io.Transport} and {@link
 *       io.awaitj.io.Protocol} are asyncio's layer for protocol authors: {@link
 *       io.awaitj.Aio#createConnection} and {@link io.awaitj.Aio#createServer} connect and serve a
 *       protocol of one's own.
 *   <li>Files: {@link io.awaitj.io.AsyncFiles} (whole-file reads and writes, lines streamed with a
 *       bounded buffer, {@code open}) and {@link io.awaitj.io.AsyncFile} (positional reads and writes
 *       of an open file). Every operation is a lazy coroutine whose blocking {@link
 *       java.nio.channels.FileChannel} call runs on a bounded pool of file threads, never on the
 *       loop's thread; {@link io.awaitj.io.AsyncFiles} says why this mechanism, with the numbers
 *       measured, and what cancellation leaves behind.
 * </ul>
 *
 * <p>Threading: every class here belongs to the thread of the loop it runs on; each method's javadoc
 * says so.
 */
package io.awaitj.io;
