package io.awaitj.samples.io;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.io.Connection;
import io.awaitj.io.Server;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat server and three clients on one loop, over real TCP sockets on 127.0.0.1, with
 * asyncio's streams ({@code Aio.startServer}, {@code Aio.openConnection}). The server runs one
 * handler task per connection; each line a client sends is broadcast to the others.
 *
 * <p>What to watch for: the handler is an ordinary {@code for} over the reader's lines
 * ({@code async for}); {@code drain()} applies back-pressure per client; when a client closes its
 * side, its handler's loop ends and the others hear that it left. One thread does all of it.
 */
public abstract class ChatServer {
  /** Who is connected: name → writer. Only the loop's thread touches it, so no locking. */
  private final Map<String, StreamWriter> members = new LinkedHashMap<>();

  /** The connection handler: {@code server = new ChatServerAsync(); startServer(server::handle, ...)}. */
  @Async
  Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
    String name = await(reader.readLine()); // the first line is the name
    if (name == null) {
      return done();
    }
    await(broadcast(name + " joined", null));
    members.put(name, writer);
    writer.write("welcome, " + name + "; here: " + members.keySet() + "\n");
    await(writer.drain());
    try {
      for (String line : reader) {
        await(broadcast(name + ": " + line, name));
      }
    } finally {
      members.remove(name);
    }
    await(broadcast(name + " left", null));
    return done();
  }

  @Async
  Coroutine<Void> broadcast(String message, String from) {
    for (Map.Entry<String, StreamWriter> m : new ArrayList<>(members.entrySet())) {
      if (!m.getKey().equals(from)) {
        m.getValue().write(message + "\n");
        await(m.getValue().drain());
      }
    }
    return done();
  }

  /** A client: connects, sends its name and reads the welcome line. */
  @Async
  static Coroutine<Connection> join(int port, String name, PrintStream out) {
    Connection c = await(Aio.openConnection("127.0.0.1", port));
    c.writer().write(name + "\n");
    out.println(name + " reads: " + await(c.reader().readLine()));
    return done(c);
  }

  /** Each named client reads one line, in the order given, and prints it. */
  @Async
  static Coroutine<Void> hear(Map<String, Connection> clients, List<String> names, PrintStream out) {
    for (String name : names) {
      out.println("  " + name + " hears: " + await(clients.get(name).reader().readLine()));
    }
    return done();
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    ChatServer chat = new ChatServerAsync();
    try (Server server = await(Aio.startServer(chat::handle, "127.0.0.1", 0))) {
      int port = server.port();
      Map<String, Connection> clients = new LinkedHashMap<>(); // in the order they joined
      for (String name : List.of("ann", "bob", "cid")) {
        Connection c = await(join(port, name, out));
        await(hear(clients, List.copyOf(clients.keySet()), out)); // the others hear that name joined
        clients.put(name, c);
      }

      out.println("ann says hello");
      clients.get("ann").writer().write("hello, everyone\n");
      await(hear(clients, List.of("bob", "cid"), out));

      out.println("bob says hi");
      clients.get("bob").writer().write("hi ann\n");
      await(hear(clients, List.of("ann", "cid"), out));

      for (String name : List.of("cid", "ann", "bob")) {
        out.println(name + " leaves");
        await(clients.remove(name).closeAsync());
        await(hear(clients, List.copyOf(clients.keySet()), out));
      }
    } // leaving the block closes the server and waits for its handlers to finish
    out.println("server closed");
    return done();
  }

  public static void main(String[] args) {
    Aio.run(ChatServerAsync.run(System.out));
  }
}
