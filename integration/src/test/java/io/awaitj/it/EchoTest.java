package io.awaitj.it;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.io.Connection;
import io.awaitj.io.Server;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An echo server and its clients on one loop, over real sockets on 127.0.0.1. */
class EchoTest {

  /** Echoes each line back, upper-cased, until the client ends its side. */
  @Async
  static Coroutine<Void> echo(StreamReader reader, StreamWriter writer) {
    for (String line : reader) {
      writer.write(line.toUpperCase() + "\n");
      await(writer.drain());
    }
    return done();
  }

  @Async
  static Coroutine<List<String>> roundTrip(List<String> lines) {
    List<String> answers = new ArrayList<>();
    try (Server server = await(Aio.startServer(EchoTestAsync::echo, "127.0.0.1", 0))) {
      try (Connection c = await(Aio.openConnection("127.0.0.1", server.port()))) {
        for (String line : lines) {
          c.writer().write(line + "\n");
        }
        c.writer().writeEof();
        String answer;
        while ((answer = await(c.reader().readLine())) != null) {
          answers.add(answer);
        }
        answers.add("eof=" + c.reader().atEof());
      }
    }
    return done(answers);
  }

  @Test
  void linesComeBackInOrder() {
    List<String> answers = Aio.run(EchoTestAsync.roundTrip(List.of("hello", "wörld", "", "x")));
    assertEquals(List.of("HELLO", "WÖRLD", "", "X", "eof=true"), answers);
  }
}
