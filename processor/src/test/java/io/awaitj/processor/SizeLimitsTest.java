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
 * step is then split into parts by ranges of states. Each compilation takes a few seconds.
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
