package io.awaitj.junit.cases;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * {@code @BeforeEach} and {@code @AfterEach} run their coroutines on the test's loop; fields set there
 * reach the test; a {@code @Nested} class's tests get the loop too.
 */
public class LifecycleCases {
  /** What ran, in order, with the loop's virtual time: the test reads it. */
  public static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());

  EventLoop loopOfBefore;
  Task<Void> server;
  List<String> requests;

  @BeforeEach
  void start(EventLoop loop, TestTime time) {
    loopOfBefore = loop;
    requests = new ArrayList<>();
    server = loop.createTask(LifecycleCasesAsync.serve(requests), "server");
    String s = loop.runUntilComplete(LifecycleCasesAsync.warmUp());
    LOG.add("before: " + s + " at " + time.now());
  }

  @AsyncTest
  void sharesTheLoopOfBeforeEach(EventLoop loop, TestTime time) {
    assertSame(loopOfBefore, loop);
    time.advanceBy(Duration.ofSeconds(3)); // from 1 s, where @BeforeEach left the clock, to 4 s
    assertEquals(List.of("request@1", "request@2", "request@3", "request@4"), requests);
    LOG.add("test at " + time.now());
  }

  @AfterEach
  void stop(EventLoop loop, TestTime time) {
    assertSame(loopOfBefore, loop);
    String s = loop.runUntilComplete(LifecycleCasesAsync.shutDown(server));
    LOG.add("after: " + s + " at " + time.now());
  }

  @Nested
  class Inner {
    @AsyncTest
    void getsTheLoopOfTheOuterBeforeEach(EventLoop loop, TestTime time) {
      assertSame(loopOfBefore, loop);
      assertEquals(Duration.ofSeconds(1), time.now());
      LOG.add("nested test at " + time.now());
    }
  }

  @Async
  static Coroutine<String> warmUp() {
    await(Aio.sleep(Duration.ofSeconds(1)));
    return done("warm");
  }

  @Async
  static Coroutine<Void> serve(List<String> requests) {
    int n = 0;
    while (true) {
      await(Aio.sleep(Duration.ofSeconds(1)));
      requests.add("request@" + ++n);
    }
  }

  @Async
  static Coroutine<String> shutDown(Task<Void> server) {
    server.cancel();
    try {
      await(server);
    } catch (CancelledError e) {
      return done("stopped");
    }
    return done("ended by itself");
  }
}
