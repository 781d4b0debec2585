package io.awaitj.benchmarks.echo;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.io.Server;
import org.junit.jupiter.api.Test;

/**
 * The echo benchmark's awaitj server and its client, in one process for a fraction of a second: the
 * code {@code benchmarks/echo.sh} runs works, and the client's count is real (each echo is checked).
 * Measures nothing.
 */
class EchoHarnessTest {

  @Async
  static Coroutine<String> shortRun(int size, int connections) {
    try (Server server = await(Aio.startServer(EchoServersAsync::echo, "127.0.0.1", 0))) {
      return done(await(EchoClientAsync.runLoad(server.port(), size, connections, 0.05, 0.2)));
    }
  }

  private static long trips(String result) {
    assertTrue(result.startsWith("MSGS "), result);
    return Long.parseLong(result.split(" ")[5]);
  }

  @Test
  void smallMessagesOnManyConnections() {
    assertTrue(trips(Aio.run(EchoHarnessTestAsync.shortRun(1024, 50))) > 50);
  }

  @Test
  void largeMessagesOnOneConnection() {
    assertTrue(trips(Aio.run(EchoHarnessTestAsync.shortRun(65536, 1))) > 1);
  }
}
