package io.awaitj.benchmarks.echo;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.io.Connection;
import io.awaitj.sync.Lock;
import io.awaitj.sync.Semaphore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The load of the echo benchmark, the same for every server ({@link Echo} runs it in a process of its
 * own), written with awaitj's streams:
 *
 * <pre>
 *   EchoClient run PORT SIZE CONNECTIONS WARMUP_SECONDS SECONDS
 *   EchoClient idle PORT CONNECTIONS
 * </pre>
 *
 * {@code run}: each connection sends a message of {@code SIZE} bytes, reads the whole echo back, and
 * sends the next (request and response, as uvloop's benchmark client does); after the warm-up it
 * counts for {@code SECONDS} and prints {@code MSGS <round trips> SECONDS <measured> TOTAL <round
 * trips, warm-up included>}. Every echo is checked (its first and last bytes carry a counter).
 * {@code idle}: opens the connections (at most 100 connecting at a time), prints {@code OPEN <n>},
 * and holds them until its stdin ends.
 */
public final class EchoClient {
  private EchoClient() {}

  /** Shared state of one run: read and written on the loop's thread only. */
  static final class Run {
    boolean measuring;
    boolean stop;
    long measured;
    long total;
  }

  @Async
  static Coroutine<Void> connection(int port, int size, Run run, Semaphore connecting) {
    Connection c;
    try (Lock.Held permit = await(connecting.hold())) {
      c = await(Aio.openConnection("127.0.0.1", port));
    }
    try (Connection open = c) {
      byte[] message = new byte[size];
      byte[] echo = new byte[size];
      byte n = 0;
      while (!run.stop) {
        n++;
        message[0] = n;
        message[size - 1] = n;
        open.writer().write(message);
        await(open.writer().drain());
        int got = 0;
        while (got < size) {
          int k = await(open.reader().read(echo));
          if (k < 0) {
            throw new AssertionError("the server closed the connection after " + got + " bytes");
          }
          if (got == 0 && echo[0] != n || got + k == size && echo[k - 1] != n) {
            throw new AssertionError("a wrong echo for " + n);
          }
          got += k;
        }
        run.total++;
        if (run.measuring) {
          run.measured++;
        }
      }
    }
    return done();
  }

  @Async
  static Coroutine<String> runLoad(int port, int size, int connections, double warmup,
      double seconds) {
    Run run = new Run();
    Semaphore connecting = new Semaphore(100);
    List<Task<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      tasks.add(Aio.createTask(connection(port, size, run, connecting)));
    }
    await(Aio.sleep((long) (warmup * 1000)));
    run.measuring = true;
    long t0 = System.nanoTime();
    await(Aio.sleep((long) (seconds * 1000)));
    run.measuring = false;
    double measured = (System.nanoTime() - t0) / 1e9;
    long count = run.measured;
    run.stop = true;
    await(Aio.gather(tasks));
    return done("MSGS " + count + " SECONDS " + measured + " TOTAL " + run.total);
  }

  @Async
  static Coroutine<Void> holdIdle(int port, int connections) {
    Semaphore connecting = new Semaphore(100);
    List<Connection> open = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      try (Lock.Held permit = await(connecting.hold())) {
        open.add(await(Aio.openConnection("127.0.0.1", port)));
      }
    }
    System.out.println("OPEN " + open.size());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (await(Aio.toThread(in::readLine)) != null) {
      // hold the connections until stdin ends
    }
    for (Connection c : open) {
      c.writer().close();
    }
    return done();
  }

  public static void main(String[] args) {
    try (EventLoop loop = EventLoop.create()) {
      if (args.length == 6 && args[0].equals("run")) {
        System.out.println(loop.runUntilComplete(EchoClientAsync.runLoad(Integer.parseInt(args[1]),
            Integer.parseInt(args[2]), Integer.parseInt(args[3]), Double.parseDouble(args[4]),
            Double.parseDouble(args[5]))));
      } else if (args.length == 3 && args[0].equals("idle")) {
        loop.runUntilComplete(EchoClientAsync.holdIdle(Integer.parseInt(args[1]), Integer.parseInt(args[2])));
      } else {
        System.err.println("usage: EchoClient run PORT SIZE CONNECTIONS WARMUP SECONDS"
            + " | idle PORT CONNECTIONS");
        System.exit(2);
      }
    }
    System.exit(0);
  }
}
