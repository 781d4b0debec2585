package io.awaitj.junit.cases;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Tests that fail, each for one rule of the extension. */
public class FailingCases {

  @AsyncTest
  void leavesATaskPending(EventLoop loop, TestTime time) {
    loop.createTask(FailingCasesAsync.sleepFor(Duration.ofHours(1)), "forgotten");
    time.advanceBy(Duration.ofSeconds(1));
  }

  @AsyncTest
  void leavesAnExceptionUnretrieved(EventLoop loop, TestTime time) {
    loop.createTask(FailingCasesAsync.fail("lost"), "lost");
    time.advanceBy(Duration.ofSeconds(1));
  }

  @AsyncTest
  void aCallbackThrows(EventLoop loop, TestTime time) {
    loop.callSoon(() -> {
      throw new IllegalStateException("callback");
    });
    time.runCurrent();
  }

  @AsyncTest
  void deadlocks(EventLoop loop) {
    Promise<String> never = loop.createPromise();
    loop.runUntilComplete(FailingCasesAsync.awaitIt(never));
  }

  @AsyncTest(timeout = 10)
  void runsPastItsTimeout(EventLoop loop) {
    loop.runUntilComplete(FailingCasesAsync.sleepFor(Duration.ofHours(1)));
  }

  @AsyncTest(timeout = 5)
  void stepsPastItsTimeout(EventLoop loop, TestTime time) {
    loop.createTask(FailingCasesAsync.sleepFor(Duration.ofHours(1)), "sleeper");
    time.advanceBy(Duration.ofSeconds(10));
  }

  @AsyncTest(realTime = true, timeout = 50, timeoutUnit = TimeUnit.MILLISECONDS)
  void runsPastItsRealTimeout(EventLoop loop) {
    loop.runUntilComplete(FailingCasesAsync.sleepFor(Duration.ofSeconds(30)));
  }

  @AsyncTest
  void itsOwnFailureComesFirst(EventLoop loop, TestTime time) {
    loop.createTask(FailingCasesAsync.sleepFor(Duration.ofHours(1)), "forgotten");
    time.runCurrent();
    throw new AssertionError("the test's own failure");
  }

  @Async
  static Coroutine<Void> sleepFor(Duration d) {
    await(Aio.sleep(d));
    return done();
  }

  @Async
  static Coroutine<Void> fail(String message) {
    await(Aio.sleep(1));
    throw new IllegalStateException(message);
  }

  @Async
  static Coroutine<String> awaitIt(Promise<String> p) {
    String s = await(p);
    return done(s);
  }
}
