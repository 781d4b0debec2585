package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An {@code @Async} body uses the {@link java.util.concurrent.CompletionStage} forms of the
 * combinators and {@link Aio#fromStage}, compiled by the processor as a user's build compiles it.
 */
class StageCombinatorsTest {
  @Test
  void anAsyncBodyCombinesStagesCompletedOnOtherThreads() throws Exception {
    Compiled c = Compiled.compile("""
        package demo;

        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.AsyncTimeoutException;
        import io.awaitj.Coroutine;
        import io.awaitj.Promise;
        import io.awaitj.ReturnWhen;
        import io.awaitj.WaitResult;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.concurrent.CompletableFuture;
        import java.util.concurrent.Executor;

        public abstract class Stages {
          @Async
          static Coroutine<List<String>> run(Executor pool) {
            List<String> log = new ArrayList<>();
            Thread loop = Thread.currentThread();
            CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> "a", pool);
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> "b", pool);
            List<String> both = await(Aio.gather(a, b));
            log.add(both + (Thread.currentThread() == loop ? " on the loop" : " elsewhere"));

            CompletableFuture<String> never = new CompletableFuture<>();
            try {
              log.add(await(Aio.waitFor(never, Duration.ofMillis(50))));
            } catch (AsyncTimeoutException e) {
              log.add("timed out, cancelled " + never.isCancelled());
            }

            CompletableFuture<String> slow = new CompletableFuture<>();
            List<Promise<String>> ps =
                List.of(slow, CompletableFuture.supplyAsync(() -> "fast", pool)).stream()
                    .map(Aio::fromStage)
                    .toList();
            WaitResult<Promise<String>> w = await(Aio.wait(ps, ReturnWhen.FIRST_COMPLETED));
            log.add("first " + w.done().iterator().next().result());
            Promise<String> shielded = Aio.shield(slow);
            shielded.cancel();
            slow.complete("slow");
            for (Coroutine<String> next : Aio.asCompleted(ps)) {
              log.add("next " + await(next));
            }
            return done(log);
          }
        }
        """);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      assertEquals(
          java.util.List.of(
              "[a, b] on the loop",
              "timed out, cancelled true",
              "first fast",
              "next fast",
              "next slow"),
          Aio.run(Compiled.call(c.load("demo.StagesAsync"), "run", pool)));
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
