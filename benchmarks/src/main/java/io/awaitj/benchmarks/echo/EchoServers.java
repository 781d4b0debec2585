package io.awaitj.benchmarks.echo;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.io.ConnectionOptions;
import io.awaitj.io.Server;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JVM echo servers of the echo benchmark ({@link Echo} runs each in a process of its own):
 *
 * <pre>
 *   java -cp benchmarks.jar io.awaitj.benchmarks.echo.EchoServers awaitj|netty|virtual
 * </pre>
 *
 * Each listens on 127.0.0.1 (port chosen by the system), prints {@code PORT <n>}, and serves until its
 * stdin ends; on the line {@code mem} it collects garbage and prints {@code HEAP <bytes in use>}.
 * Every server echoes each chunk it reads, as it comes, with back-pressure: awaitj with its streams
 * ({@code read}, {@code write}, {@code drain}: the code of asyncio's streams benchmark), Netty 4.2
 * with an NIO event loop (the same JDK selector awaitj uses; one thread, as awaitj and asyncio have)
 * and a handler that writes each buffer back and stops reading while the channel is not writable,
 * virtual threads with blocking sockets (a thread per connection, read then write).
 */
public final class EchoServers {
  private EchoServers() {}

  /**
   * One buffer for every connection of the (single) loop: a read fills it and the write that follows
   * takes its bytes (sends them, or copies what the socket does not take) before the handler awaits
   * again, so no connection holds it across an await, and an idle connection holds no buffer.
   */
  private static final byte[] BUFFER = new byte[65536];

  /**
   * awaitj's echo: what asyncio's and uvloop's streams benchmark runs, read into a buffer as Java code
   * reads a stream ({@code InputStream.read(byte[])}), where Python's allocates each chunk.
   */
  @Async
  static Coroutine<Void> echo(StreamReader reader, StreamWriter writer) {
    byte[] buffer = BUFFER;
    while (true) {
      int n = await(reader.read(buffer));
      if (n < 0) {
        break;
      }
      writer.write(buffer, 0, n);
      await(writer.drain());
    }
    return done();
  }

  @Async
  static Coroutine<Void> awaitjServer() {
    ConnectionOptions o = ConnectionOptions.defaults().withBacklog(4096);
    try (Server server = await(Aio.startServer(EchoServersAsync::echo, "127.0.0.1", 0, o))) {
      System.out.println("PORT " + server.port());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (true) {
        // stdin blocks: read it on a thread, the loop goes on serving
        String line = await(Aio.toThread(in::readLine));
        if (line == null) {
          break;
        }
        if (line.trim().equals("mem")) {
          System.out.println("HEAP " + heapAfterGc());
          System.out.flush();
        }
      }
      server.abortClients();
    }
    return done();
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Waits for stdin's lines, answering {@code mem}, until it ends. */
  static void controlLoop() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.trim().equals("mem")) {
        System.out.println("HEAP " + heapAfterGc());
        System.out.flush();
      }
    }
  }

  static void virtualServer() throws Exception {
    ExecutorService threads =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    ServerSocket listener = new ServerSocket(0, 4096, InetAddress.getByName("127.0.0.1"));
    System.out.println("PORT " + listener.getLocalPort());
    System.out.flush();
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          Socket s = listener.accept();
          s.setTcpNoDelay(true);
          threads.execute(() -> serve(s));
        }
      } catch (IOException closed) {
        // the listener closed: done
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    controlLoop();
    listener.close();
  }

  private static void serve(Socket s) {
    byte[] buf = new byte[65536];
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  public static void main(String[] args) throws Exception {
    switch (args.length == 1 ? args[0] : "") {
      case "awaitj":
        try (EventLoop loop = EventLoop.create()) {
          loop.runUntilComplete(EchoServersAsync.awaitjServer());
        }
        break;
      case "netty":
        NettyEcho.run();
        break;
      case "virtual":
        virtualServer();
        break;
      default:
        System.err.println("usage: EchoServers awaitj|netty|virtual");
        System.exit(2);
    }
    System.exit(0);
  }
}
