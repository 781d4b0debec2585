package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Methods at the JVM's limits on a method, 64 KB of bytecode and 255 slots of parameters (issue 9,
 * item 7): each is generated here as large as javac accepts it in the user's method, or larger than
 * the machine's methods could hold before, and must compile into a machine that runs. The machine's
 * step is then split into parts by ranges of states, and long runs of code without awaits are cut
 * into states. Each compilation takes a few seconds.
 */
class SizeLimitsTest {

  /** The compilation unit of class {@code size.name} with {@code members}. */
  private static String unit(String name, String members) {
    return """
        package size;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.time.Duration;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class %s {
          /** Awaited values: one in a hundred suspends on the (virtual) clock, the others are ready. */
          static <T> Coroutine<T> value(int i, T v) {
            return i %% 100 == 0 ? Aio.sleep(Duration.ofMillis(1), v) : Aio.done(v);
          }

        %s
        }
        """.formatted(name, members.indent(2));
  }

  /** {@code count} lines, line {@code i} from {@code line}. */
  private static String lines(int count, IntFunction<String> line) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      b.append(line.apply(i)).append('\n');
    }
    return b.toString();
  }

  /** Asserts that the step of {@code machine} (a generated source) is split into parts. */
  private static void assertSplit(String machine, String what) {
    assertTrue(machine.contains("private Object step$1() throws Throwable"),
        what + ": the step should be split into parts");
  }

  /**
   * 1,400 awaits in a row: 62 bytes of bytecode each in one step() made 87 KB ("code too large" from
   * about 1,040 on); the template takes 21 bytes each, so javac accepts about 3,100 in the user's
   * method.
   */
  @Test
  void fourteenHundredAwaitsInARow() {
    int count = 1_400;
    Compiled c = Compiled.compile(unit("Sequence", """
        @Async
        public static Coroutine<Long> run() {
          long n = 0;
        %s  return done(n);
        }
        """.formatted(lines(count, i -> "  n = n * 31 + await(value(" + i + ", " + i + "));"))));
    long expected = 0;
    for (int i = 0; i < count; i++) {
      expected = expected * 31 + i;
    }
    assertEquals(expected, Aio.runVirtual(Compiled.call(c.load("size.SequenceAsync"), "run")));
    assertSplit(c.generatedSource("size.SequenceAsync_run"), "1,400 awaits");
  }

  /** Statements of the long runs: about 11 bytes each in the machine (fields), 3.5 in the template. */
  private static final int RUN = 6_000;

  /**
   * Long runs of code with no await, whose locals are fields of the machine as an await follows: a
   * straight run, the same in the branches of an {@code if} and in a loop (statements that would be
   * copied whole), and locals of a block that no await follows, which stay Java locals unless the
   * rest of their block is long. In the user's method they take a third of what they take in the
   * machine, where each would have been one state of more than 64 KB.
   */
  @Test
  void longRunsWithoutAwaits() {
    String run = lines(RUN, i -> i % 2 == 0 ? "b++;" : "a += b;");
    Compiled c = Compiled.compile(unit("Runs", """
        @Async
        public static Coroutine<Integer> straight(int k) {
          int a = k, b = 1;
        %s  int c = await(value(0, a));
          return done(a + b + c);
        }

        @Async
        public static Coroutine<Integer> branches(int k) {
          int a = k, b = 1;
          if (k > 0) {
        %s  } else {
            for (int i = 0; i < 2; i++) {
        %s    }
          }
          int c = await(value(0, a));
          return done(a + b + c);
        }

        @Async
        public static Coroutine<Integer> locals(int k) {
          int a = await(value(0, k));
          {
        %s    a += x%d;
          }
          return done(a + await(value(1, 1)));
        }
        """.formatted(run.indent(2), run.indent(4), run.indent(6),
            lines(RUN, i -> "int x" + i + " = a + " + i + ";").indent(4), RUN - 1)));
    Class<?> runs = c.load("size.RunsAsync");
    for (int k : new int[] {3, -3}) {
      int a = k;
      int b = 1;
      for (int r = 0; r < (k > 0 ? 1 : 2); r++) {
        for (int i = 0; i < RUN; i++) {
          if (i % 2 == 0) {
            b++;
          } else {
            a += b;
          }
        }
      }
      if (k > 0) {
        assertEquals(a + b + a, Aio.runVirtual(Compiled.call(runs, "straight", k)));
      }
      assertEquals(a + b + a, Aio.runVirtual(Compiled.call(runs, "branches", k)), "branches(" + k + ")");
    }
    assertEquals(5 + 5 + RUN - 1 + 1, Aio.runVirtual(Compiled.call(runs, "locals", 5)));
    for (String m : List.of("straight", "branches", "locals")) {
      assertSplit(c.generatedSource("size.RunsAsync_" + m), m);
    }
  }

  /**
   * Every construct of {@link ConstructsTest}, with every machine split as finely as it can be: a
   * state per part (-Aawaitj.stepPartSize=1), and states cut before every statement where no Java
   * local is in scope. Jumps between parts, protected regions whose handler lies in another part,
   * finally blocks, loops across parts, suspensions in one part resumed in another: each must behave
   * as the synchronous body does.
   */
  @TestFactory
  Stream<DynamicTest> everyConstructWithOneStatePerPart() {
    Differential[] d = new Differential[1];
    return ConstructsTest.CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      synchronized (d) {
        if (d[0] == null) {
          d[0] = Differential.compile(ConstructsTest.CASES,
              ConstructsTest.EXTRA + ConstructsTest.EXTRA_INCREMENT, List.of("-Aawaitj.stepPartSize=1"));
        }
      }
      String machine = d[0].compiled().generatedSource("a.SubjectAsync_" + c.name());
      assertTrue(partsOf(machine) > 1 || states(machine) < 2, c.name() + " is not split:\n" + machine);
      assertTimeoutPreemptively(ConstructsTest.CASE_TIMEOUT, () -> d[0].check(c), () -> c.name() + " ran away");
    }));
  }

  private static int partsOf(String machine) {
    Matcher m = Pattern.compile("private Object step\\$\\d+\\(\\)").matcher(machine);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static int states(String machine) {
    return Pattern.compile("(?m)^\\s+case \\d+: \\{").matcher(machine).results().collect(Collectors.toList()).size();
  }
}
