package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An abstract class implementing AsyncCloseable with an @Async closeAsync, instantiated as its XAsync
 * and used in a try-with-resources inside another @Async method: its close is awaited on normal exit,
 * on exception and on cancellation.
 */
class ResourcesTest {
  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("""
        package res;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.AsyncCloseable;
        import io.awaitj.Coroutine;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Conn implements AsyncCloseable {
          public static final List<String> log = new ArrayList<>();
          final String name;

          protected Conn(String name) {
            this.name = name;
          }

          @Async
          @Override
          public Coroutine<Void> closeAsync() {
            log.add("closing " + name);
            await(Aio.sleep(Duration.ofSeconds(1)));
            log.add("closed " + name);
            return done();
          }

          @Async
          public static Coroutine<String> use(String mode) {
            try (Conn a = new ConnAsync("a"); Conn b = new ConnAsync("b")) {
              log.add("using " + a.name + b.name);
              await(Aio.sleep(Duration.ofSeconds(1)));
              if (mode.equals("fail")) {
                throw new IllegalStateException("body failed");
              }
              if (mode.equals("hang")) {
                await(Aio.sleep(Duration.ofHours(1)));
              }
              return done("result");
            } finally {
              log.add("finally");
            }
          }
        }
        """);
  }

  private static Coroutine<?> use(String mode) {
    return Compiled.call(compiled.load("res.ConnAsync"), "use", mode);
  }

  @SuppressWarnings("unchecked")
  private static List<String> log() {
    try {
      return (List<String>) compiled.load("res.Conn").getField("log").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void closedInReverseOrderOnNormalExit() {
    log().clear();
    assertEquals("result", Aio.runVirtual(use("ok")));
    assertEquals(List.of("using ab", "closing b", "closed b", "closing a", "closed a", "finally"), log());
  }

  @Test
  void closedWhenTheBodyThrows() {
    log().clear();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.runVirtual(use("fail")));
    assertEquals("body failed", e.getMessage());
    assertEquals(List.of("using ab", "closing b", "closed b", "closing a", "closed a", "finally"), log());
  }

  @Test
  void closedWhenTheTaskIsCancelled() {
    log().clear();
    EventLoop loop = EventLoop.createVirtual();
    @SuppressWarnings("unchecked")
    Task<Object> t = loop.createTask((Coroutine<Object>) use("hang"));
    loop.runUntilComplete(Aio.sleep(java.time.Duration.ofSeconds(10)));
    assertTrue(t.cancel());
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    assertTrue(t.isCancelled());
    assertEquals(List.of("using ab", "closing b", "closed b", "closing a", "closed a", "finally"), log());
    loop.close();
  }

  @Test
  void taskGroupAndTimeoutScopesWorkAsAsyncWith() {
    Compiled c = Compiled.compile("""
        package scopes;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.AsyncTimeoutException;
        import io.awaitj.Coroutine;
        import io.awaitj.TaskGroup;
        import io.awaitj.TaskGroupException;
        import io.awaitj.Timeout;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public final class Scopes {
          private Scopes() {}

          @Async
          static Coroutine<String> work(String name, int seconds, boolean fail) {
            await(Aio.sleep(Duration.ofSeconds(seconds)));
            if (fail) {
              throw new IllegalStateException(name + " failed");
            }
            return done(name);
          }

          @Async
          public static Coroutine<String> group(boolean fail) {
            List<String> log = new ArrayList<>();
            try (TaskGroup g = new TaskGroup()) {
              g.createTask(work("a", 1, false));
              g.createTask(work("b", 2, fail));
              await(Aio.sleep(Duration.ofSeconds(fail ? 3600 : 0)));
              log.add("body done");
            } catch (TaskGroupException e) {
              log.add("group failed: " + e.exceptions().get(0).getMessage());
            }
            log.add("at " + (long) Aio.loop().time());
            return done(String.join(", ", log));
          }

          @Async
          public static Coroutine<String> timeout(int limit) {
            try (Timeout t = Aio.timeout(Duration.ofSeconds(limit))) {
              await(Aio.sleep(Duration.ofSeconds(10)));
              return done("finished");
            } catch (AsyncTimeoutException e) {
              return done("timed out at " + (long) Aio.loop().time());
            }
          }
        }
        """);
    Class<?> scopes = c.load("scopes.ScopesAsync");
    assertEquals("body done, at 2", Aio.runVirtual(Compiled.call(scopes, "group", false)));
    assertEquals("group failed: b failed, at 2", Aio.runVirtual(Compiled.call(scopes, "group", true)));
    assertEquals("timed out at 3", Aio.runVirtual(Compiled.call(scopes, "timeout", 3)));
    assertEquals("finished", Aio.runVirtual(Compiled.call(scopes, "timeout", 30)));
  }
}
