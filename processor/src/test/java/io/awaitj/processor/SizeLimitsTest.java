package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import io.awaitj.Aio;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Methods at the JVM's limits on a method, 64 KB of bytecode and 255 slots of parameters (issue 9,
 * item 7): each is generated here as large as javac accepts it in the user's method, or larger than
 * the machine's methods could hold before, and must compile into a machine that runs. The machine's
 * step is then split into parts by ranges of states, a switch with many labels dispatches in methods
 * of its own, long runs of code without awaits are cut into states, and a machine whose constructor
 * could not take all its arguments is made by a static factory. Each compilation takes a few seconds.
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

  /** Labels of the int switch, in groups of this many falling through to one arm. */
  private static final int GROUP = 3;
  /** Arms of the int switch (5,100 labels). */
  private static final int ARMS = 1_700;

  /** What the arm {@code a} of the int switch adds; every tenth awaits it. */
  private static long armValue(int a) {
    return 7L * a + 1;
  }

  /** Arms that fall through to the next one (no break). */
  private static boolean fallsThrough(int a) {
    return a % 7 == 3 && a + 1 < ARMS;
  }

  /** The string switch expression's pairs of labels (1,200 labels). */
  private static final int PAIRS = 600;

  /**
   * A switch statement with 5,100 labels (grouped three by three before an arm, some arms falling
   * through) and an expression with 1,200 String labels, awaiting in every tenth arm: the dispatch
   * state held 14 bytes per label ("code too large" from about 4,300 labels; javac accepts 16,000
   * labels grouped before few arms in the user's method), now methods of 1,000 labels each.
   */
  @Test
  void switchesWithThousandsOfLabels() {
    StringBuilder ints = new StringBuilder();
    for (int a = 0; a < ARMS; a++) {
      for (int l = 0; l < GROUP; l++) {
        ints.append("case ").append(a * GROUP + l).append(": ");
      }
      ints.append(a % 10 == 0 ? "n += await(value(" + a + ", " + armValue(a) + "L));" : "n += " + armValue(a) + "L;");
      ints.append(fallsThrough(a) ? "\n" : " break;\n");
    }
    StringBuilder strings = new StringBuilder();
    for (int p = 0; p < PAIRS; p++) {
      strings.append("case \"s").append(2 * p).append("\", \"s").append(2 * p + 1).append("\" -> ")
          .append(p % 10 == 0 ? "\"a\" + await(value(" + p + ", " + p + "))" : "\"b" + p + "\"").append(";\n");
    }
    Compiled c = Compiled.compile(unit("Switches", """
        @Async
        public static Coroutine<Long> ints(int k) {
          long n = 1;
          switch (k) {
        %s    default:
              n = -1;
          }
          return done(n);
        }

        @Async
        public static Coroutine<String> strings(String s) {
          String r = switch (s) {
        %s    default -> "none";
          };
          return done(r + await(value(0, "!")));
        }
        """.formatted(ints.toString().indent(4), strings.toString().indent(4))));
    Class<?> switches = c.load("size.SwitchesAsync");
    for (int k : new int[] {0, 1, 2, 3, 11, 30, 31, 1_500, 1_501, 2_100, 2_999, 3_000, 5_099, 5_100, -1}) {
      long expected = 1;
      if (k < 0 || k >= ARMS * GROUP) {
        expected = -1;
      } else {
        for (int a = k / GROUP; ; a++) {
          expected += armValue(a);
          if (!fallsThrough(a)) {
            break;
          }
        }
      }
      assertEquals(expected, Aio.runVirtual(Compiled.call(switches, "ints", k)), "ints(" + k + ")");
    }
    for (int s : new int[] {0, 1, 2, 3, 20, 21, 998, 999, 1_000, 1_001, 1_199, 1_200}) {
      int p = s / 2;
      String expected = s >= 2 * PAIRS ? "none" : p % 10 == 0 ? "a" + p : "b" + p;
      assertEquals(expected + "!", Aio.runVirtual(Compiled.call(switches, "strings", "s" + s)), "strings(s" + s + ")");
    }
    String machine = c.generatedSource("size.SwitchesAsync_ints");
    assertTrue(machine.contains("private static int cases$3(int selector$)"), "the dispatch in methods");
    assertSplit(machine, "5,100 labels");
    assertTrue(c.generatedSource("size.SwitchesAsync_strings").contains("private static int cases$2(String selector$)"),
        "the dispatch of strings in methods");
  }

  /** Statements of the long runs: about 11 bytes each in the machine (fields), 3.5 in the template. */
  private static final int RUN = 6_000;

  /**
   * Long runs of code with no await, whose locals are fields of the machine as an await follows: a
   * straight run, the same in a loop in an {@code if} (statements that would be copied whole), and
   * locals of a block that no await follows, which stay Java locals unless the rest of their block is
   * long. In the user's method they take a third of what they take in the machine, where each would
   * have been one state of more than 64 KB.
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
            for (int i = 0; i < 2; i++) {
        %s    }
          } else {
            b = -b;
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
        """.formatted(run.indent(2), run.indent(6),
            lines(RUN, i -> "int x" + i + " = a + " + i + ";").indent(4), RUN - 1)));
    Class<?> runs = c.load("size.RunsAsync");
    for (int times = 1; times <= 2; times++) {
      int a = 3;
      int b = 1;
      for (int r = 0; r < times; r++) {
        for (int i = 0; i < RUN; i++) {
          if (i % 2 == 0) {
            b++;
          } else {
            a += b;
          }
        }
      }
      assertEquals(a + b + a, Aio.runVirtual(Compiled.call(runs, times == 1 ? "straight" : "branches", 3)));
    }
    assertEquals(-3 - 1 - 3, Aio.runVirtual(Compiled.call(runs, "branches", -3)));
    assertEquals(5 + 5 + RUN - 1 + 1, Aio.runVirtual(Compiled.call(runs, "locals", 5)));
    for (String m : List.of("straight", "branches", "locals")) {
      assertSplit(c.generatedSource("size.RunsAsync_" + m), m);
    }
  }

  /**
   * A body without awaits whose locals have types of its local classes ({@code var o8 = new
   * I7.Impl(a5)}, a member of a local interface, and a local class itself), cut for its size (here a
   * part of one state, as FuzzTest seed 16003 with -Dawaitj.fuzz.stepPartSize=1 found it): such a local
   * lived across the cut as a field, whose type cannot be named outside the method (local classes
   * become members of the machine only in a body that awaits), and the method was refused with "lives
   * across an await ... cannot be named there", naming an await there is none of. A local enum used
   * in a later state only in an expression ({@code En3.pick(1)}, seed 19103) was "cannot find symbol"
   * in generated code. Such a body is kept in one state; the same in a body that awaits, where the
   * classes are members, is cut as usual.
   */
  @Test
  void localsOfLocalClassTypesInABodyWithoutAwaitsCutForItsSize() {
    String body = """
          interface I7 {
            int get();
            final class Impl implements I7 {
              private final int v;
              Impl(int v) { this.v = v; }
              public int get() { return v; }
            }
          }
          class Local { int n = 2; }
          enum En3 {
            A(2), B(4);
            final int k;
            En3(int k) { this.k = k; }
            static En3 pick(int i) { return values()[i]; }
          }
          int a5 = k + 1;
          int total = 0;
          if (k > 0) {
            var o8 = new I7.Impl(a5);
            for (int i = 0; i < 3; i++) {
              total += o8.get();
            }
            if (total > 0) {
              total++;
            }
            Local l = new Local();
            switch (k) {
              case 1:
                Local m = new Local();
                total += m.n;
                break;
              default:
                total += l.n;
            }
            total += o8.get() + l.n;
          }
          total += En3.pick(1).k;
          %s
          return done(total);
        """;
    Compiled c = Compiled.compileWith(List.of("-Aawaitj.stepPartSize=1"), unit("Kept", """
        @Async
        public static Coroutine<Integer> plain(int k) {
        %s}

        @Async
        public static Coroutine<Integer> awaiting(int k) {
        %s}

        @Async
        public static Coroutine<Integer> enumOnly(int k) {
          enum En3 {
            A(2), B(4);
            final int k;
            En3(int k) { this.k = k; }
            static En3 pick(int i) { return values()[i]; }
          }
          int t = k;
          if (k > 0) {
            t++;
          }
          return done(En3.pick(k %% 2).k + t);
        }
        """.formatted(body.formatted("").indent(2), body.formatted("total += await(value(0, 0));").indent(2))));
    Class<?> kept = c.load("size.KeptAsync");
    for (String m : List.of("plain", "awaiting")) {
      assertEquals(3 * 3 + 1 + 2 + 3 + 2 + 4, Aio.runVirtual(Compiled.call(kept, m, 2)), m);
      assertEquals(2 * 3 + 1 + 2 + 2 + 2 + 4, Aio.runVirtual(Compiled.call(kept, m, 1)), m);
      assertEquals(4, Aio.runVirtual(Compiled.call(kept, m, 0)), m);
    }
    assertEquals(4 + 2, Aio.runVirtual(Compiled.call(kept, "enumOnly", 1)));
    assertEquals(2 + 3, Aio.runVirtual(Compiled.call(kept, "enumOnly", 2)));
    assertEquals(1, states(c.generatedSource("size.KeptAsync_plain")), c.generatedSource("size.KeptAsync_plain"));
    assertSplit(c.generatedSource("size.KeptAsync_awaiting"), "awaiting");
  }

  /**
   * Parameters taking all 255 slots the JVM allows a method (a {@code long} or {@code double} takes
   * two, an instance method's {@code this} one): the machine's constructor, whose own {@code this}
   * takes one more, could not take them with the user object ("too many parameters" in generated
   * code); the machine is made by a static factory instead.
   */
  @Test
  void parametersTakingAllTheSlots() {
    String ints255 = params(255, i -> "int");
    String wide = params(128, i -> i == 127 ? "int" : i % 2 == 0 ? "long" : "double"); // 127 * 2 + 1
    String ints254 = params(254, i -> "int");
    String wideInstance = params(127, i -> i % 2 == 0 ? "double" : "long"); // this + 127 * 2
    String generic = params(254, i -> i < 2 ? "T" : "int"); // this + 254
    Compiled c = Compiled.compile(unit("Parameters", """
        @Async
        public static Coroutine<Long> ints(%s) {
          long n = await(value(0, 0L));
        %s  return done(n);
        }

        @Async
        public static Coroutine<Double> wide(%s) {
          double n = await(value(0, 0.0));
        %s  return done(n);
        }

        @Async
        public Coroutine<Long> instanceInts(%s) {
          long n = await(value(0, 0L));
        %s  return done(n + base());
        }

        @Async
        public Coroutine<Double> instanceWide(%s) {
          double n = await(value(0, 0.0));
        %s  return done(n + base());
        }

        @Async
        public <T> Coroutine<String> generic(%s) {
          long n = await(value(0, 0L));
        %s  return done(p0 + " " + p1 + " " + n);
        }

        long base() {
          return 1_000_000;
        }
        """.formatted(ints255, sum(255, 0), wide, sum(128, 0), ints254, sum(254, 0), wideInstance,
            sum(127, 0), generic, sum(254, 2))));
    Class<?> statics = c.load("size.ParametersAsync");
    Object instance = c.instantiate("size.ParametersAsync");
    assertEquals(255L * 256 / 2, Aio.runVirtual(Compiled.call(statics, "ints", arguments(255, i -> i + 1))));
    assertEquals(128.0 * 129 / 2, Aio.runVirtual(Compiled.call(statics, "wide",
        arguments(128, i -> i == 127 ? (Object) (i + 1) : i % 2 == 0 ? (Object) (i + 1L) : (Object) (i + 1.0)))));
    assertEquals(254L * 255 / 2 + 1_000_000,
        Aio.runVirtual(Compiled.call(instance, "instanceInts", arguments(254, i -> i + 1))));
    assertEquals(127.0 * 128 / 2 + 1_000_000, Aio.runVirtual(Compiled.call(instance, "instanceWide",
        arguments(127, i -> i % 2 == 0 ? (Object) (i + 1.0) : (Object) (i + 1L)))));
    assertEquals("x y " + (254L * 255 / 2 - 1 - 2), Aio.runVirtual(Compiled.call(instance, "generic",
        arguments(254, i -> i == 0 ? "x" : i == 1 ? "y" : (Object) (i + 1)))));
    assertTrue(flat(c.generatedSource("size.ParametersAsync_ints")).contains(
        "static ParametersAsync_ints create$(int p0,"), "a static factory");
    assertTrue(flat(c.generatedSource("size.ParametersAsync_generic")).contains(
        "static <T> ParametersAsync_generic<T> create$(Parameters self, T p0,"), "a generic factory");
  }

  /** {@code source} with every run of blanks one space. */
  private static String flat(String source) {
    return source.replaceAll("\\s+", " ");
  }

  /** {@code count} parameters {@code type(i) p<i>}. */
  private static String params(int count, IntFunction<String> type) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(type.apply(i) + " p" + i);
    }
    return String.join(", ", out);
  }

  /** Statements adding parameters {@code from} to {@code count - 1} to {@code n}. */
  private static String sum(int count, int from) {
    return lines(count - from, i -> "  n += p" + (from + i) + ";");
  }

  private static Object[] arguments(int count, IntFunction<Object> value) {
    Object[] out = new Object[count];
    for (int i = 0; i < count; i++) {
      out[i] = value.apply(i);
    }
    return out;
  }

  /**
   * At the limit, a method whose body awaitj rejects gets that error alone (its placeholder machine,
   * which only lets XAsync compile, is made by a factory too). Past the limit, javac's own error on
   * the user's method is the only one.
   */
  @Test
  void errorsAtAndPastTheParameterLimitAreTheUsers() {
    Compilation at = Compiled.compileRaw(unit("Rejected", """
        @Async
        public Coroutine<Long> atTheLimit(%s) {
          long n = 0;
          synchronized (this) {
            n = await(value(0, 1L));
          }
          return done(n);
        }
        """.formatted(params(127, i -> "long"))));
    assertEquals(List.of("20: await cannot be used inside 'synchronized': a coroutine suspends and resumes"
        + " on the loop thread, where a monitor means nothing; use io.awaitj.sync.Lock"), errors(at));
    Compilation past = Compiled.compileRaw(unit("Refused", """
        @Async
        public static Coroutine<Long> pastTheLimit(%s) {
          return done(await(value(0, 1L)));
        }
        """.formatted(params(256, i -> "int"))));
    assertEquals(List.of("17: too many parameters"), errors(past));
  }

  /** The errors of {@code c} as "line: message", all in the user's source. */
  private static List<String> errors(Compilation c) {
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends javax.tools.JavaFileObject> d : c.errors()) {
      assertTrue(d.getSource() != null && !d.getSource().toUri().toString().contains("SOURCE_OUTPUT"),
          "an error in generated code: " + d);
      out.add(d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
    }
    return out;
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

  /**
   * In a step split into parts, a loop turns inside its head's case when all its states are in the
   * head's part (nested's inner loop and consume's loop over a list here), and goes round the
   * dispatch as before when they are not; the loops run as in one method. (The part size splits
   * both steps and keeps each loop's states in its head's part: consume's loop case holds the
   * fields it uses in locals; at 900 nested's step is not split, at 675 consume's loop is split.)
   */
  @Test
  void aLoopTurnsInsideItsHeadsCaseInAPartOfASplitStep() {
    Compiled c = Compiled.compileWith(List.of("-Aawaitj.stepPartSize=700"), GeneratedSourceTest.LOOPS);
    for (String m : List.of("nested", "consume")) {
      String source = c.generatedSource("gen.LoopsAsync_" + m);
      assertTrue(source.contains("private Object step$1()") && source.contains("// The loop, run here"),
          source);
    }
    GeneratedSourceTest.assertLoopsRun(c.load("gen.LoopsAsync"));
  }

  /**
   * An awaitable that throws inside a try, in a step split into parts: its state stores the resume
   * state before evaluating it, and the resume state lay in another part, whose method's handler
   * table held it, so the part that threw did not find the try and the exception left the machine
   * (FuzzTest seed 27003 with -Dawaitj.fuzz.stepPartSize=1: a multi-catch, a generator's emit and a
   * finally each missed). The table of the method holding the await lists the resume state too; so
   * does a generator's emit's.
   */
  @Test
  void anAwaitableThrowingInATryOfASplitStepIsCaught() {
    Compiled c = Compiled.compileWith(List.of("-Aawaitj.stepPartSize=1"), unit("Thrown", """
        static int chk(int x) {
          if (x == 3) {
            throw new IllegalArgumentException("chk " + x);
          }
          return x;
        }

        @Async
        public static Coroutine<String> caught(int k) {
          String got = "none";
          try {
            got = "awaited " + await(value(1, chk(k)));
          } catch (ArithmeticException | IllegalArgumentException e) {
            got = "caught " + e.getMessage();
          }
          return done(got);
        }

        @Async
        public static Coroutine<String> finallyRuns(int k) {
          StringBuilder log = new StringBuilder();
          try {
            try {
              log.append(await(value(1, chk(k))));
            } finally {
              log.append(" finally");
            }
          } catch (IllegalArgumentException e) {
            log.append(" caught");
          }
          return done(log.toString());
        }
        """));
    Class<?> thrown = c.load("size.ThrownAsync");
    assertEquals("caught chk 3", Aio.runVirtual(Compiled.call(thrown, "caught", 3)));
    assertEquals("awaited 2", Aio.runVirtual(Compiled.call(thrown, "caught", 2)));
    assertEquals(" finally caught", Aio.runVirtual(Compiled.call(thrown, "finallyRuns", 3)));
    assertEquals("2 finally", Aio.runVirtual(Compiled.call(thrown, "finallyRuns", 2)));
    assertSplit(c.generatedSource("size.ThrownAsync_caught"), "caught");
  }
}
