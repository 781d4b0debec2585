package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a failure that leaves {@code @Async} code carries frames in the user's coordinates (the
 * throwing method at its line, then each awaiting coroutine at the line of its pending await, inline
 * and across tasks), once, above the JVM's own frames.
 */
class StackTracesTest {
  /** Line numbers matter: the tests below name them. */
  static final String CRAWLER = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.time.Duration;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Crawler {
        @Async
        public Coroutine<Integer> parse(String s) {
          await(Aio.sleep(Duration.ofMillis(1)));
          int n = Integer.parseInt(s);
          return done(n);
        }

        @Async
        public Coroutine<Integer> fetch(String s) {
          int n = await(parse(s));
          return done(n + 1);
        }

        @Async
        public Coroutine<Integer> crawl(String s) {
          int sum = 0;
          sum += await(Aio.createTask(fetch(s)));
          return done(sum);
        }

        @Async
        public Coroutine<Integer> inline(String s) {
          int sum = 0;
          sum += await(fetch(s));
          return done(sum);
        }

        @Async
        public Coroutine<String> caughtInside(String s) {
          await(Aio.sleep(Duration.ofMillis(1)));
          try {
            Integer.parseInt(s);
            return done("parsed");
          } catch (NumberFormatException e) {
            return done(frames(e));
          }
        }

        @Async
        public Coroutine<String> caughtAbove(String s) {
          try {
            await(fetch(s));
            return done("parsed");
          } catch (NumberFormatException e) {
            return done(frames(e));
          }
        }

        @Async
        public Coroutine<Integer> rethrows(String s) {
          try {
            return done(await(fetch(s)));
          } catch (NumberFormatException e) {
            await(Aio.sleep(Duration.ofMillis(1)));
            throw e;
          }
        }

        @Async
        public Coroutine<Integer> awaitsAFailedCoroutine() {
          await(Aio.sleep(Duration.ofMillis(1)));
          return done(await(Aio.<Integer>failed(new IllegalStateException("made here"))));
        }

        @Async
        public Coroutine<Integer> rethrowsAfterAnotherFailure(String s) {
          try {
            return done(await(fetch(s)));
          } catch (NumberFormatException e) {
            try {
              await(Aio.createTask(fetch("other")));
            } catch (NumberFormatException other) {
              // another failure left coroutines (and a task) in between
            }
            throw e;
          }
        }

        static String frames(Throwable e) {
          StringBuilder b = new StringBuilder();
          for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().equals("gen.Crawler")) {
              b.append(f).append('\\n');
            }
          }
          return b.toString();
        }
      }
      """;

  private static Object crawler() {
    return Compiled.compile(CRAWLER).instantiate("gen.CrawlerAsync");
  }

  /** The frames of {@code e} in the user's classes (not the generated ones), as printed. */
  static List<String> userFrames(Throwable e) {
    return Arrays.stream(e.getStackTrace())
        .filter(f -> f.getClassName().equals("gen.Crawler"))
        .map(StackTraceElement::toString)
        .collect(Collectors.toList());
  }

  @Test
  void aFailureThroughATaskBoundaryShowsEveryAwaitingCoroutineAtItsAwait() {
    Object crawler = crawler();
    NumberFormatException e =
        assertThrows(NumberFormatException.class, () -> Aio.runVirtual(Compiled.call(crawler, "crawl", "x")));
    // parse is shown at the line its state starts: the await it resumed from (the throw is a line
    // below it, in the same state).
    assertEquals(List.of(
        "gen.Crawler.parse(Crawler.java:13)",
        "gen.Crawler.fetch(Crawler.java:20)",
        "gen.Crawler.crawl(Crawler.java:27)"), userFrames(e));
    List<StackTraceElement> all = Arrays.asList(e.getStackTrace());
    // The JVM's frames stay: the parse above ours, the machine's step and the loop below them.
    int first = indexOf(all, "gen.Crawler", "parse");
    assertEquals("java.lang.Integer", all.get(first - 1).getClassName(), all::toString);
    assertEquals("gen.CrawlerAsync_parse", all.get(first + 3).getClassName(), all::toString);
    assertEquals("step", all.get(first + 3).getMethodName(), all::toString);
  }

  @Test
  void inlineAwaitsShowOnce() {
    Object crawler = crawler();
    NumberFormatException e =
        assertThrows(NumberFormatException.class, () -> Aio.runVirtual(Compiled.call(crawler, "inline", "x")));
    assertEquals(List.of(
        "gen.Crawler.parse(Crawler.java:13)",
        "gen.Crawler.fetch(Crawler.java:20)",
        "gen.Crawler.inline(Crawler.java:34)"), userFrames(e));
  }

  @Test
  void aFailureCaughtInTheSameBodyIsLeftAsThrown() {
    Object crawler = crawler();
    assertEquals("", Aio.runVirtual(Compiled.call(crawler, "caughtInside", "x")));
  }

  @Test
  void aFailureCaughtAboveCarriesTheChainAsItWasWhenThrown() {
    Object crawler = crawler();
    assertEquals("gen.Crawler.parse(Crawler.java:13)\n"
        + "gen.Crawler.fetch(Crawler.java:20)\n"
        + "gen.Crawler.caughtAbove(Crawler.java:52)\n",
        Aio.runVirtual(Compiled.call(crawler, "caughtAbove", "x")).toString()
            .replaceAll("gen\\.CrawlerAsync[^\\n]*\\n", ""));
  }

  @Test
  void aFailureRethrownAfterAnotherFailedKeepsTheFramesItGainedFirst() {
    // The loop remembers only the last failure it looked at: this one is known by the mark on its
    // frames (Traces), or it would gain them again when it leaves rethrowsAfterAnotherFailure.
    Object crawler = crawler();
    NumberFormatException e = assertThrows(NumberFormatException.class,
        () -> Aio.runVirtual(Compiled.call(crawler, "rethrowsAfterAnotherFailure", "x")));
    assertEquals("For input string: \"x\"", e.getMessage());
    assertEquals(List.of(
        "gen.Crawler.parse(Crawler.java:13)",
        "gen.Crawler.fetch(Crawler.java:20)",
        "gen.Crawler.rethrowsAfterAnotherFailure(Crawler.java:78)"), userFrames(e));
    // The mark is the frames' module version, which a printed trace does not show.
    java.io.StringWriter printed = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(printed));
    assertTrue(printed.toString().contains("\tat gen.Crawler.fetch(Crawler.java:20)\n"), printed::toString);
    assertFalse(printed.toString().contains("awaitj-loop"), printed::toString);
  }

  @Test
  void aRethrownFailureKeepsTheFramesItGainedFirst() {
    Object crawler = crawler();
    NumberFormatException e =
        assertThrows(NumberFormatException.class, () -> Aio.runVirtual(Compiled.call(crawler, "rethrows", "x")));
    assertEquals(List.of(
        "gen.Crawler.parse(Crawler.java:13)",
        "gen.Crawler.fetch(Crawler.java:20)",
        "gen.Crawler.rethrows(Crawler.java:62)"), userFrames(e));
  }

  @Test
  void aFailureMadeInTheAwaitingMachineGoesWhereItsStepWas() {
    Object crawler = crawler();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(Compiled.call(crawler, "awaitsAFailedCoroutine")));
    List<StackTraceElement> all = Arrays.asList(e.getStackTrace());
    int first = indexOf(all, "gen.Crawler", "awaitsAFailedCoroutine");
    assertEquals(0, first, all::toString);
    assertEquals("gen.Crawler.awaitsAFailedCoroutine(Crawler.java:72)", all.get(0).toString());
    assertEquals("gen.CrawlerAsync_awaitsAFailedCoroutine", all.get(1).getClassName(), all::toString);
  }

  /** Line numbers matter: the test below names them. */
  static final String LOOPER = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import java.time.Duration;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Looper {
        @Async
        public Coroutine<Integer> loop(int[] xs) {
          int total = 0;
          for (int i = 0; i < 10 / xs.length; i++) {
            await(Aio.sleep(Duration.ofMillis(1)));
            total += xs[i];
          }
          return done(total);
        }
      }
      """;

  /**
   * The first state (line 13) falls through into the loop's head (line 14) without going round the
   * dispatch: it must still store the head's state, whose line differs, so that a failure there is
   * shown at line 14 (a machine that stored only when it went round the dispatch showed 13).
   */
  @Test
  void aFailureInAStateEnteredByFallingThroughIsShownAtThatStatesLine() {
    Object looper = Compiled.compile(LOOPER).instantiate("gen.LooperAsync");
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> Aio.runVirtual(Compiled.call(looper, "loop", (Object) new int[0])));
    List<String> frames = Arrays.stream(e.getStackTrace())
        .filter(f -> f.getClassName().equals("gen.Looper"))
        .map(StackTraceElement::toString)
        .collect(Collectors.toList());
    assertEquals(List.of("gen.Looper.loop(Looper.java:14)"), frames);
  }

  private static int indexOf(List<StackTraceElement> frames, String className, String method) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      StackTraceElement f = frames.get(i);
      names.add(f.toString());
      if (f.getClassName().equals(className) && f.getMethodName().equals(method)) {
        return i;
      }
    }
    throw new AssertionError("no " + className + "." + method + " in " + names);
  }

  /** Line numbers matter: the test below names them. */
  static final String INLINE_LOOPER = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Looper {
        @Async
        public Coroutine<Integer> loop(int stop, int zero) {
          int total = 0;
          for (int i = 0; 10 / (stop - i) > 0; i++) {
            total += await(Aio.done(i)) / (zero - i);
          }
          return done(total);
        }
      }
      """;

  /**
   * A loop whose awaits complete at once turns inside its head's case, through a copy of its later
   * states (see LoopCases): a failure there is shown at the line of the state it stands for, the
   * copy of the resume state (line 14) or, a turn later, the head (line 13), which the copy's back
   * edge stores again.
   */
  @Test
  void aFailureInALoopTurningInsideItsHeadsCaseIsShownAtItsStatesLine() {
    Object looper = Compiled.compile(INLINE_LOOPER).instantiate("gen.LooperAsync");
    ArithmeticException inCopy = assertThrows(ArithmeticException.class,
        () -> Aio.runVirtual(Compiled.call(looper, "loop", 5, 2)));
    ArithmeticException inHead = assertThrows(ArithmeticException.class,
        () -> Aio.runVirtual(Compiled.call(looper, "loop", 3, 5)));
    assertEquals(List.of("gen.Looper.loop(Looper.java:14)"), loopFrames(inCopy));
    assertEquals(List.of("gen.Looper.loop(Looper.java:13)"), loopFrames(inHead));
  }

  private static List<String> loopFrames(Throwable e) {
    return Arrays.stream(e.getStackTrace())
        .filter(f -> f.getClassName().equals("gen.Looper"))
        .map(StackTraceElement::toString)
        .collect(Collectors.toList());
  }
}
