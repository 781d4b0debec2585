package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.awaitj.processor.Differential.Case;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every construct the processor supports, each run as a state machine and as the same body run
 * synchronously; traces and outcomes must be identical (see {@link Differential}).
 */
public class ConstructsTest {

  /** Members shared by all cases. */
  public static final String EXTRA = """
        int counter;
        int fld = 7;
        private int secret = 3;
        private long total;
        private String text = "";
        private Short small = 1;
        private char letter = 'a';
        private double ratio = 0.1;
        private Integer boxed = 5;
        private byte tiny = 126;
        private static int statics;
        private int[] cells = {1, 2};
        private int hidden(int x) { trace("hidden " + x); return x * 3 + secret; }
        int bumpFld(int d) { fld += d; trace("bumpFld " + fld); return fld; }
        private int bumpSecret(int d) { secret += d; trace("bumpSecret " + secret); return secret; }
        private static <T> List<T> twiceOf(T t) throws java.io.IOException {
          if (t == null) throw new java.io.IOException("null");
          return List.of(t, t);
        }
        static int twice(int x) { return 2 * x; }
        static String join(Object a, Object b, Object c) { return a + "|" + b + "|" + c; }
        static int f(int a, int b, int c) { trace("f(" + a + "," + b + "," + c + ")"); return a + b + c; }
        static int g(int x) { trace("g" + x); return x; }
        static final class Res implements AutoCloseable {
          final String name;
          Res(String name) { this.name = name; trace("open " + name); }
          public void close() { trace("close " + name); }
        }
        @Async Coroutine<Integer> helper(int x) {
          trace("helper " + x);
          int y = await(val(x + 1));
          return done(y * 10);
        }
        @Async static Coroutine<Integer> fib(int n) {
          if (n < 2) return done(n);
          return done(await(fib(n - 1)) + await(fib(n - 2)));
        }
        static final class Countdown implements io.awaitj.AsyncIterable<Integer> {
          final int from;
          Countdown(int from) { this.from = from; }
          public io.awaitj.AsyncIterator<Integer> asyncIterator() {
            return new io.awaitj.AsyncIterator<Integer>() {
              int next = from;
              public Coroutine<Boolean> hasNext() { return val(next > 0); }
              public Integer next() { return next--; }
            };
          }
          // For the synchronous reference only: the processor iterates asyncIterator().
          @Override public java.util.Iterator<Integer> iterator() {
            io.awaitj.AsyncIterator<Integer> it = asyncIterator();
            return new java.util.Iterator<Integer>() {
              public boolean hasNext() { return Aio.run(it.hasNext()); }
              public Integer next() { return it.next(); }
            };
          }
        }
        @Async Coroutine<Integer> thrower(String msg) {
          await(val(0));
          throw new IllegalStateException(msg);
        }
        """;

  /** The cases. */
  public static final List<Case> CASES = List.of(
      new Case("straightLine", "Integer", "int x", """
          int a = await(val(x));
          trace("a=" + a);
          int b = await(ready(a + 1));
          trace("b=" + b);
          return done(a * b);
          """, 6),
      new Case("awaitAsStatement", "Void", "", """
          await(val("ignored"));
          trace("after");
          return done();
          """),
      new Case("argumentOrder", "Integer", "", """
          return done(f(g(1), await(val(2)), g(3)));
          """),
      new Case("receiverAndChain", "String", "", """
          String s = await(val("abc")).toUpperCase() + await(val("d")).length();
          return done(s);
          """),
      new Case("stringConcat", "String", "int n", """
          String s = "n=" + n + ", v=" + await(val(n * 2)) + "!" + g(7);
          return done(s);
          """, 5),
      new Case("compoundAssignment", "Integer", "", """
          int total = 1;
          total += await(val(10));
          total *= await(val(3));
          total -= g(4);
          byte small = 1;
          small += await(val(2));
          return done(total + small);
          """),
      new Case("compoundSavesLeftFirst", "Integer", "", """
          counter = 5;
          counter += await(incrementLater());
          return done(counter);
          """),
      new Case("arrayIndexAndElements", "String", "", """
          int[] arr = new int[3];
          arr[await(val(1))] = await(val(42));
          int[] lit = {1, await(val(2)), 3};
          int[] dims = new int[await(val(2))];
          return done(Arrays.toString(arr) + Arrays.toString(lit) + dims.length);
          """),
      new Case("ifElse", "String", "int x", """
          String r;
          if (await(val(x)) > 3) {
            trace("big");
            r = await(val("B"));
          } else if (x > 1) {
            r = "M";
          } else {
            trace("small");
            r = await(val("S"));
          }
          return done(r);
          """, 2),
      new Case("ifOnlyConditionAwaits", "String", "", """
          if (await(val(true))) trace("yes"); else trace("no");
          return done("ok");
          """),
      new Case("whileLoop", "Integer", "", """
          int i = 0;
          int sum = 0;
          while (await(val(i)) < 5) {
            sum += await(val(i));
            i++;
          }
          return done(sum);
          """),
      new Case("doWhile", "Integer", "", """
          int i = 0;
          do {
            trace("i" + i);
            i = await(val(i + 1));
          } while (i < 3);
          return done(i);
          """),
      new Case("forLoopWithUpdateAwait", "String", "", """
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < await(val(4)); i = await(val(i + 1))) {
            if (i == 1) continue;
            b.append(i);
          }
          return done(b.toString());
          """),
      new Case("forEachArrayAndIterable", "Integer", "", """
          int sum = 0;
          for (int v : new int[] {1, 2, 3}) {
            sum += await(val(v));
          }
          for (String s : List.of("a", "bb")) {
            sum += await(val(s.length()));
          }
          for (var n : List.of(10, 20)) {
            sum += await(ready(n));
          }
          return done(sum);
          """),
      new Case("labeledBreakContinue", "String", "", """
          StringBuilder b = new StringBuilder();
          outer:
          for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
              int v = await(val(i * 10 + j));
              if (j == 2) continue outer;
              if (i == 3) break outer;
              b.append(v).append(',');
            }
          }
          return done(b.toString());
          """),
      new Case("breakInsideVerbatimSwitch", "String", "", """
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < 5; i++) {
            switch (i) {
              case 1: break;
              case 3: b.append("three"); break;
              default: b.append(i);
            }
            if (i == 4) break;
            await(val(i));
          }
          return done(b.toString());
          """),
      new Case("shortCircuit", "String", "", """
          boolean a = g(0) == 1 && await(val(true));
          boolean b = g(1) == 1 && await(val(false));
          boolean c = g(2) == 2 || await(val(false));
          boolean d = await(val(false)) || await(val(true));
          return done("" + a + b + c + d);
          """),
      new Case("conditional", "Integer", "int x", """
          int r = x > 0 ? await(val(x)) : g(-1);
          int s = x < 0 ? g(-2) : await(val(x + 1));
          return done(r + s + (await(val(true)) ? 100 : 0));
          """, 3),
      new Case("switchStatementColon", "String", "int x", """
          String r = "";
          switch (x) {
            case 1:
              r += await(val("one"));
            case 2:
              r += "two";
              break;
            case 3:
              r = await(val("three"));
              break;
            default:
              r = "other";
          }
          return done(r);
          """, 1),
      new Case("switchStatementArrow", "String", "String k", """
          String r;
          switch (k) {
            case "a" -> r = await(val("A"));
            case "b", "c" -> { trace("bc"); r = await(val("BC")); }
            default -> r = "?";
          }
          return done(r);
          """, "c"),
      new Case("switchOnAwaitedSelector", "String", "", """
          switch (await(val(2))) {
            case 1: return done("one");
            case 2: return done("two");
            default: return done("many");
          }
          """),
      new Case("switchExpressions", "String", "int x", """
          String a = switch (x) {
            case 1 -> await(val("one"));
            case 2 -> {
              String t = await(val("tw"));
              yield t + "o";
            }
            default -> "many";
          };
          int b = switch (await(val(x + 1))) {
            case 3: trace("three");
            case 4: yield g(4);
            default: {
              if (x > 100) yield await(val(-1));
              yield 0;
            }
          };
          String c = switch (a) { case "two" -> "T"; default -> "?"; };
          return done(a + b + c);
          """, 2),
      new Case("instanceofPatterns", "String", "Object o", """
          if (!(o instanceof String s)) {
            return done("not a string");
          }
          String t = await(val(s + "!"));
          if (await(val((Object) t)) instanceof String u && u.length() > 2) {
            trace("long " + u);
            await(val(0));
            t = u + s;
          }
          Object n = await(val(42));
          return done(n instanceof Integer i ? t + (i + 1) : t);
          """, "hi"),
      new Case("asyncLambdas", "String", "", """
          Function<Integer, Coroutine<String>> f = n -> {
            String s = await(val("v" + n));
            trace("in lambda " + s + " " + counter);
            return done(s + "!");
          };
          String prefix = await(val("p"));
          Supplier<Coroutine<Integer>> g = () -> done(await(val(prefix.length())) + 1);
          BiFunction<String, Integer, Coroutine<String>> nested = (a, b) -> {
            Supplier<Coroutine<String>> inner = () -> done(await(val(a)) + b);
            return done(await(inner.get()) + await(inner.get()));
          };
          StringBuilder out = new StringBuilder(prefix);
          for (int i = 0; i < 3; i++) {
            int k = i;
            out.append(await(f.apply(k)));
            out.append(await(nested.apply("n", k)));
          }
          return done(out.toString() + await(g.get()));
          """),
      new Case("methodReferenceOnAwaitedValue", "String", "", """
          Supplier<String> s = await(val("abc"))::toUpperCase;
          Function<Integer, String> f = await(val("x"))::repeat;
          return done(s.get() + f.apply(3));
          """),
      new Case("privateMembersEverywhere", "String", "", """
          hidden(1);
          hidden(await(val(2)));
          IntUnaryOperator f = this::hidden;
          IntUnaryOperator g = x -> hidden(x) + secret;
          this.secret = await(val(5));
          secret = switch (secret) { case 5 -> 6; default -> 0; };
          List<String> two;
          try {
            two = twiceOf(await(val("t")));
          } catch (java.io.IOException e) {
            two = List.of();
          }
          int r = switch (await(val(1))) { case 1 -> fld; default -> 0; };
          int q = switch (r) { case 7 -> fld + 1; default -> 0; };
          return done("" + f.applyAsInt(1) + g.applyAsInt(2) + two + r + q + secret);
          """),
      new Case("resourceThatBecameAField", "String", "", """
          Res r = new Res("r");
          try (r) { trace("in"); }
          await(val(0));
          return done(r.name);
          """),
      new Case("doWhileThatCannotComplete", "String", "", """
          int w = await(val(0));
          do {
            if (w == 0) return done("x");
          } while (w < 1);
          S: switch (await(val(0))) {
            case 0:
              do {
                break S;
              } while (w < 1);
            case 2:
              trace("two");
          }
          do {
            return done("y" + w);
          } while (w < 1);
          """),
      new Case("tryCatch", "String", "", """
          try {
            trace("before");
            await(thrower("boom"));
            trace("not reached");
          } catch (IllegalArgumentException e) {
            trace("wrong catch");
          } catch (IllegalStateException e) {
            trace("caught " + e.getMessage());
            trace(await(val("in catch")));
          }
          return done("end");
          """),
      new Case("tryFinallyWithReturn", "String", "", """
          try {
            trace("try");
            if (await(val(true))) return done("from try");
          } finally {
            trace("finally");
            trace(await(val("awaited in finally")));
          }
          return done("after");
          """),
      new Case("finallyRethrows", "String", "", """
          try {
            await(thrower("inner"));
          } finally {
            trace("finally runs");
            await(val(1));
          }
          return done("unreachable");
          """),
      new Case("exceptionFromFinallyReplaces", "String", "", """
          try {
            try {
              await(thrower("first"));
            } finally {
              await(val(1));
              if (true) throw new RuntimeException("second");
            }
          } catch (RuntimeException e) {
            return done("caught " + e.getMessage());
          }
          return done("not reached");
          """),
      new Case("multiCatchAndNested", "String", "", """
          String r = "";
          for (int i = 0; i < 3; i++) {
            try {
              try {
                if (i == 0) await(thrower("a"));
                if (i == 1) throw new UnsupportedOperationException("b");
                r += await(val("ok"));
              } catch (IllegalStateException | UnsupportedOperationException e) {
                r += "[" + e.getMessage() + "]";
                if (i == 1) throw new IllegalArgumentException("rethrown");
              }
            } catch (IllegalArgumentException e) {
              r += "{" + e.getMessage() + "}";
            } finally {
              r += await(val(";"));
            }
          }
          return done(r);
          """),
      new Case("breakAndContinueThroughFinally", "String", "", """
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < 5; i++) {
            try {
              try {
                if (i == 1) continue;
                if (i == 3) break;
                b.append(await(val(i)));
              } finally {
                b.append("f");
                await(val(0));
              }
            } finally {
              b.append("F");
            }
          }
          return done(b.toString());
          """),
      new Case("returnThroughTwoFinallys", "String", "", """
          try {
            try {
              return done(await(val("v")));
            } finally {
              trace("inner finally");
              await(val(0));
            }
          } finally {
            trace("outer finally");
            await(val(0));
          }
          """),
      new Case("tryWithResourcesSyncInside", "String", "", """
          try (Res r = new Res("x")) {
            trace(await(val("using " + r.name)));
          }
          return done("ok");
          """),
      new Case("callsOtherAsyncMethods", "Integer", "", """
          int a = await(helper(1));
          int b = await(fib(10));
          return done(a + b);
          """),
      new Case("methodReferencesToTemplates", "Integer", "", """
          Function<Integer, Coroutine<Integer>> f = Subject::fib;
          IntFunction<Coroutine<Integer>> h = this::helper;
          return done(await(f.apply(9)) + await(h.apply(2)));
          """),
      new Case("delegatingReturn", "Integer", "int n", """
          if (n > 0) return helper(n);
          return fib(7);
          """, 4),
      new Case("lambdasAndCapture", "String", "", """
          List<Supplier<String>> fs = new ArrayList<>();
          String prefix = await(val("p"));
          for (int i = 0; i < 3; i++) {
            int k = i;
            fs.add(() -> prefix + k);
          }
          StringBuilder b = new StringBuilder();
          for (Supplier<String> f : fs) b.append(f.get());
          return done(b.toString());
          """),
      new Case("lambdasCaptureLoopLocalsAcrossAwaits", "String", "", """
          List<Supplier<String>> fs = new ArrayList<>();
          String prefix = await(val("q"));
          for (int i = 0; i < 3; i++) {
            int k = i * 2;
            fs.add(() -> prefix + k);
            Object o = new Object() { public String toString() { return "o" + k; } };
            fs.add(o::toString);
            await(val(i));
          }
          StringBuilder b = new StringBuilder();
          for (Supplier<String> f : fs) b.append(f.get());
          return done(b.toString());
          """),
      new Case("anonymousClassAndThis", "String", "", """
          counter = await(val(7));
          Object o = new Object() {
            @Override public String toString() { return "anon" + counter; }
          };
          return done(o.toString() + this.counter);
          """),
      new Case("uncaughtExceptionPropagates", "Integer", "", """
          trace("start");
          int x = await(thrower("escaped"));
          return done(x);
          """),
      new Case("primitivesOfAllKinds", "String", "", """
          long l = await(val(1L)) << 40;
          double d = await(val(0.5)) * 3;
          char c = await(val('x'));
          boolean z = !await(val(false));
          float f = await(val(1.5f));
          short s = (short) (await(val(3)) + 1);
          return done("" + l + d + c + z + f + s);
          """),
      new Case("genericMethodAndVar", "String", "", """
          var list = await(val(new ArrayList<String>()));
          list.add(await(val("x")));
          var map = new HashMap<String, Integer>();
          map.put("k", await(val(1)));
          return done(list + "" + map);
          """),
      new Case("reassignedParameter", "Integer", "int p", """
          p = p + await(val(1));
          p *= 2;
          await(val(0));
          return done(p);
          """, 4),
      new Case("asyncFor", "String", "", """
          StringBuilder b = new StringBuilder();
          for (int n : new Countdown(4)) {
            if (n == 2) continue;
            b.append(n);
          }
          for (Integer n : new Countdown(3)) {
            b.append(await(val(n * 10)));
            if (n == 2) break;
          }
          return done(b.toString());
          """),
      new Case("deepRecursion", "Integer", "", """
          return done(await(fib(15)));
          """),
      new Case("anonymousClassWithAwaitedArguments", "String", "int x", """
          int local = await(val(x * 2));
          java.util.List<Integer> list = new java.util.ArrayList<Integer>(await(val(5))) {
            int seen = local + secret;
            @Override public String toString() { return "list" + size() + " " + seen + " " + x; }
          };
          list.add(await(val(1)));
          trace(list);
          Object o = new Object() { @Override public String toString() { return "o" + local; } };
          Object w = new java.util.ArrayList<String>(java.util.List.of(await(val("sb")))) {
            @Override public String toString() { return "[" + super.toString() + local + "]"; }
          };
          return done(list + " " + o + " " + w + await(val("!")));
          """, 3),
      new Case("assertStatements", "String", "int x", """
          assert x > 0;
          assert await(val(x)) > 0 : "positive";
          if (x > 100) assert x > 1000 : await(val("never")); else trace("else " + x);
          assert x < 0 || await(val(true)) : await(val("unreached"));
          try {
            assert await(val(x)) < 0 : "negative " + await(val(x + 1));
            trace("not thrown");
          } catch (AssertionError e) {
            trace("caught " + e.getMessage());
          }
          try {
            assert x == await(val(0));
          } catch (AssertionError e) {
            trace("caught " + e.getMessage());
          }
          try {
            assert false : x;
          } catch (AssertionError e) {
            trace("caught int " + e.getMessage());
          }
          return done("ok");
          """, 3),
      new Case("privateFieldUpdates", "String", "", """
          secret++;
          ++secret;
          secret += await(val(10));
          int was = secret--;
          int now = --secret;
          trace("secret " + secret + " was " + was + " now " + now);
          total += secret * 1_000_000_000L;
          total <<= await(val(2));
          text += "a";
          text += await(val('b'));
          text += 1 + await(val(2));
          small++;
          Short s2 = ++small;
          letter++;
          letter += await(val(2));
          ratio++;
          ratio *= await(val(3));
          boxed += await(val(7));
          boxed--;
          tiny++;
          tiny++;
          tiny += await(val(1));
          statics += 2;
          statics++;
          this.secret += 1;
          Subject me = this;
          me.secret *= await(val(2));
          me.secret -= 4;
          trace(me.secret++ + " " + (me.secret <<= 1) + " " + --this.secret);
          int chained = secret += secret++ + await(val(1));
          int[] c = cells;
          cells[0] += await(val(5));
          trace("cells " + c[0]);
          int assigned = (secret = await(val(9))) + 1;
          Runnable r = () -> { secret++; total += secret; statics--; };
          r.run();
          Object o = new Object() {
            @Override public String toString() { secret += 100; --ratio; return "o" + this.hashCode() * 0; }
          };
          trace(o.toString() + secret + " " + ratio);
          return done(secret + " " + chained + " " + assigned + " " + total + " " + text + " " + small
              + " " + s2 + " " + letter + " " + ratio + " " + boxed + " " + tiny + " " + statics);
          """),
      // A variable read, then changed in a later operand before the await: Java keeps the value read.
      new Case("changedBeforeAwaitInTheSameExpression", "String", "int p", """
          int x = 1;
          int a = x + await(val(x = 5));
          int b = x * await(val(x++)) + x;
          int c = x - await(ready(--x));
          int d = f(x, x += 10, await(val(x)));
          trace("a " + a + " b " + b + " c " + c + " d " + d + " x " + x);
          x += await(val(x++));
          x -= g(x--) + await(val(x));
          trace("x " + x);
          int e = p + await(val(p = 7)) + p;
          int e2 = p + g(p++) + await(ready(p));
          int e3 = p * f(p *= 2, await(val(p)), p);
          trace("e " + e + " " + e2 + " " + e3 + " p " + p);
          Integer boxedLocal = 3;
          int h = boxedLocal + await(val(boxedLocal += 4)) + boxedLocal--;
          trace("h " + h + " boxed " + boxedLocal);
          long big = 2;
          long l = big << await(val(big = 3));
          trace("l " + l + " big " + big);
          String str = "s";
          String st = str + await(val(str += "t")) + str;
          trace("st " + st);
          boolean flag = false;
          boolean z = flag | await(val(flag = true)) & flag;
          trace("z " + z + " flag " + flag);
          int i = fld + await(val(fld = 20));
          int j = fld + await(val(bumpFld(3))) + fld;
          int k = this.fld + f(fld, fld++, await(val(fld)));
          fld += await(val(bumpFld(1)));
          trace("i " + i + " j " + j + " k " + k + " fld " + fld);
          int m = secret + await(val(secret = 40));
          int n = secret + await(val(bumpSecret(2))) + secret;
          int o = secret * await(val(--secret)) + this.secret++;
          secret -= await(val(secret++));
          trace("m " + m + " n " + n + " o " + o + " secret " + secret);
          int q = statics + await(val(statics += 5));
          char ch = letter;
          int u = letter + await(val(letter++)) + letter;
          text = "t";
          String v = text + await(val(text = "u")) + text;
          trace("q " + q + " u " + u + " v " + v + " ch " + ch);
          return done(a + " " + x + " " + p + " " + fld + " " + secret + " " + statics + " " + letter);
          """, 2)
  );

  /** One more shared member, an @Async method used by compoundSavesLeftFirst. */
  public static final String EXTRA_INCREMENT = """
        @Async Coroutine<Integer> incrementLater() {
          counter = 100;
          return done(await(val(1)));
        }
        """;

  private static Differential differential;

  private static synchronized Differential differential() {
    if (differential == null) {
      differential = Differential.compile(CASES, EXTRA + EXTRA_INCREMENT);
    }
    return differential;
  }

  /**
   * How long one case may run, both ways, once compiled: a transform that breaks a loop fails the
   * case instead of running until the build's end ({@link Differential} bounds the trace, so a loop
   * that traces cannot run out of memory first).
   */
  static final Duration CASE_TIMEOUT = Duration.ofSeconds(30);

  @TestFactory
  Stream<DynamicTest> eachConstructBehavesAsTheSynchronousBody() {
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Differential d = differential();
      assertTimeoutPreemptively(CASE_TIMEOUT, () -> d.check(c), () -> "case " + c.name() + " ran away");
    }));
  }
}
