package io.awaitj.samples.io;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.AsyncTimeoutException;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.io.ConnectionOptions;
import io.awaitj.io.Server;
import io.awaitj.io.StreamReader;
import io.awaitj.io.StreamWriter;
import io.awaitj.sync.Semaphore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP, the tutorials' favourite example, with the JDK's {@link HttpClient}: its
 * {@code sendAsync} returns a {@code CompletableFuture}, which {@code await} takes as it is. The
 * server is part of the sample: a tiny HTTP/1.1 server written with awaitj's own
 * {@code Aio.startServer}, on 127.0.0.1 (no sample touches the internet). Shown: one URL's status, a
 * client-side timeout, a crawler limited to 3 requests at a time by a {@link Semaphore}, 1,000
 * requests through {@code gather}, failures sorted out with {@code wait} and {@code exception()}, and
 * progress reported with {@code asCompleted}.
 *
 * <p>What to watch for: {@code await(http.sendAsync(...))} never blocks the loop: the server's
 * handlers run on the same thread, between the client's awaits.
 */
public abstract class HttpRequests {
  /** How many /page/ requests the server is answering, and the most at once. */
  private int pagesInFlight;
  private int maxPagesInFlight;

  // ---------------------------------------------------------------------------------------------
  // The server: one handler task per connection, one request after another (keep-alive).

  @Async
  Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
    String requestLine;
    while ((requestLine = await(reader.readLine())) != null) {
      String header = await(reader.readLine());
      while (header != null && !header.isEmpty()) { // skip the headers: only GETs come here
        header = await(reader.readLine());
      }
      String path = requestLine.split(" ")[1];
      String body = await(respond(path));
      int status = body == null ? 404 : 200;
      byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
      writer.write("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "Content-Length: " + bytes.length + "\r\n\r\n");
      writer.write(bytes);
      try {
        await(writer.drain());
      } catch (UncheckedIOException e) {
        // The client went away before its answer (it gave up waiting, or was closed): asyncio's
        // ConnectionResetError. Nobody is left to answer, so this connection's handler just ends.
        return done();
      }
    }
    return done();
  }

  /** The body for {@code path}, or {@code null} for a 404. */
  @Async
  Coroutine<String> respond(String path) {
    if (path.equals("/status")) {
      return done("ok");
    } else if (path.equals("/slow")) {
      await(Aio.sleep(2000));
      return done("slow");
    } else if (path.startsWith("/page/")) {
      pagesInFlight++;
      maxPagesInFlight = Math.max(maxPagesInFlight, pagesInFlight);
      await(Aio.sleep(50)); // a little work, so that requests overlap
      pagesInFlight--;
      return done("page " + path.substring("/page/".length()));
    } else if (path.startsWith("/n/")) {
      return done(path.substring("/n/".length()));
    }
    return done(null);
  }

  // ---------------------------------------------------------------------------------------------
  // The client.

  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).build();
  }

  /** The body of {@code url}; an {@link IOException} for any status but 200. */
  @Async
  static Coroutine<String> fetch(String url) throws IOException {
    HttpResponse<String> r = await(HTTP.sendAsync(get(url), BodyHandlers.ofString()), IOException.class);
    if (r.statusCode() != 200) {
      throw new IOException(URI.create(url).getPath() + ": HTTP " + r.statusCode());
    }
    return done(r.body());
  }

  @Async
  static Coroutine<String> crawlOne(String url, Semaphore limit) throws IOException {
    await(limit.acquire());
    try {
      return done(await(fetch(url)));
    } finally {
      limit.release();
    }
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) throws IOException {
    HttpRequests site = new HttpRequestsAsync();
    ConnectionOptions options = ConnectionOptions.defaults().withBacklog(1024);
    try (Server server = await(Aio.startServer(site::handle, "127.0.0.1", 0, options))) {
      String base = "http://127.0.0.1:" + server.port();

      // One URL's status.
      HttpResponse<String> r = await(HTTP.sendAsync(get(base + "/status"), BodyHandlers.ofString()));
      out.println("GET /status: " + r.statusCode() + " " + r.body());

      // A client timeout: the server takes 2 s, the client waits 0.5 s.
      try {
        await(Aio.waitFor(HTTP.sendAsync(get(base + "/slow"), BodyHandlers.ofString()),
            Duration.ofMillis(500)));
      } catch (AsyncTimeoutException e) {
        out.println("GET /slow: gave up after 0.5 s");
      }

      // A crawler: 10 pages, at most 3 requests at a time.
      Semaphore limit = new Semaphore(3);
      List<Coroutine<String>> crawl = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        crawl.add(crawlOne(base + "/page/" + i, limit));
      }
      List<String> pages = await(Aio.gather(crawl));
      out.println("crawled " + pages.size() + " pages, first " + pages.get(0) + ", last "
          + pages.get(9) + "; never more than 3 at once: " + (site.maxPagesInFlight <= 3));

      // 1,000 requests through gather.
      List<Coroutine<String>> many = new ArrayList<>();
      for (int i = 1; i <= 1000; i++) {
        many.add(fetch(base + "/n/" + i));
      }
      long sum = 0;
      for (String body : await(Aio.gather(many))) {
        sum += Long.parseLong(body);
      }
      out.println("1000 requests through gather, sum of the bodies: " + sum);

      // Failures: wait never throws them; each task holds its result or its exception.
      List<Task<String>> tasks = new ArrayList<>();
      for (String path : List.of("/page/1", "/missing", "/status", "/gone")) {
        tasks.add(Aio.createTask(fetch(base + path), path));
      }
      await(Aio.wait(tasks));
      for (Task<String> t : tasks) {
        out.println("  " + t.name() + " -> "
            + (t.exception() == null ? "ok: " + t.result() : "failed: " + t.exception().getMessage()));
      }

      // Progress as the responses come in.
      List<Coroutine<String>> batch = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        batch.add(fetch(base + "/page/" + i));
      }
      int count = 0;
      for (Coroutine<String> next : Aio.asCompleted(batch)) {
        await(next);
        count++;
        if (count % 5 == 0) {
          out.println("progress: " + count + "/20");
        }
      }

      // HttpClient keeps idle connections open: end them so that the server can close.
      server.closeClients();
    }
    out.println("server closed");
    return done();
  }

  public static void main(String[] args) throws IOException {
    Aio.run(HttpRequestsAsync.run(System.out));
  }
}
