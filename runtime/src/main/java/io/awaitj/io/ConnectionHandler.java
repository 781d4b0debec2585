package io.awaitj.io;

import io.awaitj.Coroutine;

/**
 * What a server runs for each connection it accepts, as its own task: asyncio's {@code
 * client_connected_cb}. An {@code @Async} method or an async lambda:
 *
 * <pre>{@code
 * Server server = await(Aio.startServer(this::echo, "127.0.0.1", 0));
 *
 * @Async
 * Coroutine<Void> echo(StreamReader reader, StreamWriter writer) {
 *   for (String line : reader) {
 *     writer.write(line + "\n");
 *     await(writer.drain());
 *   }
 *   return done();
 * }
 * }</pre>
 *
 * <p>When the handler returns, the connection is closed (once what it wrote is sent); when it fails,
 * the failure goes to the loop's exception handler and the connection is aborted.
 */
@FunctionalInterface
public interface ConnectionHandler {
  /**
   * Handles one connection. Threading: called on the server's loop thread.
   *
   * @return the coroutine the server runs as the connection's task
   */
  Coroutine<Void> handle(StreamReader reader, StreamWriter writer);
}
