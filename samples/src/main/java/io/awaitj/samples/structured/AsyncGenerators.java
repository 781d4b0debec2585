package io.awaitj.samples.structured;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static io.awaitj.Aio.emit;
import static io.awaitj.Aio.finish;

import io.awaitj.Aio;
import io.awaitj.AsyncGenerator;
import io.awaitj.AsyncIterable;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.flow.Flows;
import io.awaitj.io.AsyncFiles;
import io.awaitj.io.Connection;
import io.awaitj.io.Server;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Async generators, Python's {@code async def} with {@code yield}: an {@code @Async} method declared
 * to return {@code AsyncGenerator<T>} produces values with {@code emit(x)}, may await anything
 * between them, and ends with {@code return finish();}. Shown: a paginated fetch over HTTP from a
 * server the sample starts on 127.0.0.1 (awaitj's own {@code Aio.startServer} and {@code
 * Aio.openConnection}), consumed with {@code async for}; a loop left early, which closes the
 * generator and runs its {@code finally}; operators over it ({@code map}, {@code filter}, {@code
 * take}, {@code chunked}); {@code buffer}, which lets a slow producer and a slow consumer overlap;
 * and the lines of a file turned into records by a generator that iterates {@code
 * AsyncFiles.lines}.
 *
 * <p>What to watch for: nothing is fetched before the loop asks for it ("fetching page" comes just
 * before the items of that page); a {@code break}, or a {@code take} that has enough, closes the
 * generator: its {@code finally} runs and the next page is never requested. Compare {@link AsyncFor},
 * where the same pagination is a hand-written iterator with its own state.
 */
public final class AsyncGenerators {
  private AsyncGenerators() {}

  /** The server's items, three to a page. */
  static final List<String> ITEMS =
      List.of("apple", "bread", "cheese", "dates", "eggs", "flour", "grapes", "honey", "ice");

  static final int PER_PAGE = 3;

  // ---------------------------------------------------------------------------------------------
  // The server: GET /items?page=N answers page N (one item a line) after 0.2 s, or 404.

  @Async
  static Coroutine<Void> serve(StreamReader reader, StreamWriter writer, int[] served) {
    String requestLine;
    while ((requestLine = await(reader.readLine())) != null) {
      String header = await(reader.readLine());
      while (header != null && !header.isEmpty()) { // skip the headers: only GETs come here
        header = await(reader.readLine());
      }
      served[0]++;
      String path = requestLine.split(" ")[1];
      int page = Integer.parseInt(path.substring(path.indexOf("page=") + "page=".length()));
      await(Aio.sleep(200)); // the database
      int from = (page - 1) * PER_PAGE;
      String body = page >= 1 && from < ITEMS.size()
          ? String.join("\n", ITEMS.subList(from, Math.min(from + PER_PAGE, ITEMS.size())))
          : null;
      byte[] bytes = (body == null ? "no such page" : body).getBytes(StandardCharsets.UTF_8);
      writer.write("HTTP/1.1 " + (body == null ? "404 Not Found" : "200 OK") + "\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "Content-Length: " + bytes.length + "\r\n\r\n");
      writer.write(bytes);
      await(writer.drain());
    }
    return done();
  }

  // ---------------------------------------------------------------------------------------------
  // The client: one HTTP/1.1 connection, kept alive, one request at a time.

  /** An HTTP response: its status code and its body. */
  record Response(int status, String body) {}

  @Async
  static Coroutine<Response> get(Connection c, String path) {
    c.writer().write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await(c.writer().drain());
    String statusLine = await(c.reader().readLine());
    int length = 0;
    String header;
    while ((header = await(c.reader().readLine())) != null && !header.isEmpty()) {
      if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).trim());
      }
    }
    byte[] body = await(c.reader().readExactly(length));
    return done(new Response(Integer.parseInt(statusLine.split(" ")[1]),
        new String(body, StandardCharsets.UTF_8)));
  }

  /** Every item, page after page, each page fetched when the consumer asks past the last one. */
  @Async
  static AsyncGenerator<String> items(Connection c, PrintStream out) {
    try {
      for (int page = 1; ; page++) {
        out.println("  fetching page " + page);
        Response r = await(get(c, "/items?page=" + page));
        if (r.status() == 404) {
          out.println("  page " + page + ": 404, the last page was " + (page - 1));
          return finish();
        }
        for (String item : r.body().split("\n")) {
          emit(item); // pauses here until the consumer asks for the next item
        }
      }
    } finally {
      out.println("  items(): finally"); // at the end, and when the consumer leaves early
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A slow producer and a slow consumer, with and without buffer.

  @Async
  static AsyncGenerator<Integer> slowSource(int n) {
    for (int i = 1; i <= n; i++) {
      await(Aio.sleep(300)); // 0.3 s to produce each value
      emit(i);
    }
    return finish();
  }

  @Async
  static Coroutine<Integer> slowlyConsume(AsyncIterable<Integer> values) {
    int sum = 0;
    for (int v : values) {
      await(Aio.sleep(200)); // 0.2 s to consume each value
      sum += v;
    }
    return done(sum);
  }

  // ---------------------------------------------------------------------------------------------
  // The lines of a file as records.

  /** One order of the file. */
  record Order(String customer, int amount) {}

  /** The orders of a CSV file: the header, blank lines and # comments skipped. */
  @Async
  static AsyncGenerator<Order> orders(Path csv) {
    boolean header = true;
    for (String line : AsyncFiles.lines(csv)) { // async for inside a generator
      if (header) {
        header = false;
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",");
      emit(new Order(fields[0].trim(), Integer.parseInt(fields[1].trim())));
    }
    return finish();
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    int[] served = {0};
    try (Server server = await(Aio.startServer(
        (reader, writer) -> AsyncGeneratorsAsync.serve(reader, writer, served), "127.0.0.1", 0));
        Connection c = await(Aio.openConnection("127.0.0.1", server.port()))) {
      out.println("-- every item, as its page arrives");
      Stopwatch watch = Timed.start();
      int count = 0;
      for (String item : items(c, out)) {
        out.println(item + " at " + watch);
        count++;
      }
      out.println(count + " items, " + served[0] + " requests, in " + watch);

      out.println("-- leaving early: the first item that starts with 'e'");
      for (String item : items(c, out)) {
        if (item.startsWith("e")) {
          out.println("found " + item + "; break");
          break; // closes the generator: its finally runs, page 3 is never fetched
        }
      }
      out.println("requests so far: " + served[0] + " (pages 1 and 2 again; page 3 never asked for)");

      out.println("-- map, filter, take");
      List<String> five = await(Flows.from(items(c, out))
          .filter(item -> item.length() == 5)
          .map(item -> item.toUpperCase(Locale.ROOT))
          .take(3) // has enough after 3: closes the generator
          .toList());
      out.println(five);

      out.println("-- chunked(4)");
      for (List<String> batch : Flows.from(items(c, out)).chunked(4)) {
        out.println("batch " + batch);
      }
    } // the connection closes, then the server, which waits for its handler
    out.println("server closed");

    out.println("-- a slow producer (0.3 s a value) and a slow consumer (0.2 s a value), 5 values");
    Stopwatch timer = Timed.start();
    int sum = await(slowlyConsume(slowSource(5)));
    out.println("one after the other: sum " + sum + " in " + timer);
    timer = Timed.start();
    sum = await(slowlyConsume(Flows.from(slowSource(5)).buffer(2)));
    out.println("with buffer(2), the producer running ahead in a task: sum " + sum + " in " + timer);

    out.println("-- the lines of a file, as records");
    Path dir = await(Aio.toThread(() -> Files.createTempDirectory("awaitj-sample-")));
    try {
      Path csv = dir.resolve("orders.csv");
      await(AsyncFiles.writeString(csv, String.join("\n", "customer,amount", "ann,120", "bob,80", "",
          "# returned: bob,15", "ann,40", "cid,200", "bob,95") + "\n"));
      for (Order o : orders(csv)) {
        out.println(o);
      }
      Map<String, Integer> totals = await(Flows.from(orders(csv)).fold(new TreeMap<String, Integer>(),
          (m, o) -> {
            m.merge(o.customer(), o.amount(), Integer::sum);
            return m;
          }));
      out.println("totals: " + totals);
      out.println("orders of 100 or more: " + await(Flows.from(orders(csv))
          .filter(o -> o.amount() >= 100).count()));
    } finally {
      await(Aio.toThread(() -> {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
        return null;
      }));
    }
    return done();
  }

  public static void main(String[] args) {
    Aio.run(AsyncGeneratorsAsync.run(System.out));
  }
}
