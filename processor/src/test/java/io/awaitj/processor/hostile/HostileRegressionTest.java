package io.awaitj.processor.hostile;

import static io.awaitj.processor.hostile.HostileCorpusTest.awaitj;
import static io.awaitj.processor.hostile.HostileCorpusTest.check;
import static io.awaitj.processor.hostile.HostileCorpusTest.demo;
import static io.awaitj.processor.hostile.HostileCorpusTest.javac;
import static io.awaitj.processor.hostile.HostileCorpusTest.ok;
import static io.awaitj.processor.hostile.HostileCorpusTest.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bugs found by {@link HostileCorpusTest} and {@link MutationFuzzTest}, each as its minimal program and
 * the outcome it should have (in the corpus's terms, see {@link HostileCorpusTest#check}). A new
 * finding goes here as a test that fails until its bug is fixed; {@link MutationFuzzTest} tolerates
 * no finding.
 */
class HostileRegressionTest {

  // -----------------------------------------------------------------------------------------------
  // Crashes: internal errors.

  @Test
  void unresolvedSuperCallWithAwaitedArgument() {
    check(javac("unresolvedSuperCallWithAwaitedArgument", "cannot find symbol", "super.missing(", demo("""
        public abstract class Demo {
          @Async Coroutine<String> f() {
            return done(super.missing(await(Aio.done("x"))));
          }
        }
        """)));
  }

  @Test
  void qualifiedNameInIllegalReturnFromSwitchExpression() {
    check(javac("qualifiedNameInIllegalReturnFromSwitchExpression", "switch expression",
        "if (x > 0) return io.awaitj.Aio.done(\"r\");", demo("""
        public class Demo {
          @Async static Coroutine<String> f(int x) {
            String a = switch (x) {
              case 1 -> {
                if (x > 0) return io.awaitj.Aio.done("r");
                yield await(Aio.sleep(Duration.ZERO, "a"));
              }
              default -> "b";
            };
            return done(a);
          }
        }
        """)));
  }

  @Test
  void erroneousBodyOfAMethodShadowingTheClassTypeVariable() {
    // Found by MutationFuzzTest: the placeholder machine declared both type variables T.
    check(javac("erroneousBodyOfAMethodShadowingTheClassTypeVariable", "cannot find symbol",
        "return donet();", demo("""
        public abstract class Demo<T> {
          @Async <T> Coroutine<T> echo(T t) {
            await(Aio.sleep(1));
            return donet();
          }
        }
        """)));
  }

  @Test
  void asyncLambdaReturningAPlainValue() {
    // Found by MutationFuzzTest (seed 9090): the lambda's own analysis knew the body was erroneous.
    check(javac("asyncLambdaReturningAPlainValue", "bad return type in lambda expression",
        "return (await(Aio.sleep(Duration.ZERO, 1)));", demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> f() {
            java.util.function.Supplier<Coroutine<Object>> s = () -> {
              return (await(Aio.sleep(Duration.ZERO, 1)));
            };
            return done(1);
          }
        }
        """)));
  }

  @Test
  void statementInTheBodyOfALocalClass() {
    // Found by MutationFuzzTest (seed 9090). javac 17's attribution of the recovered tree throws a
    // NullPointerException of its own, and javac then reports nothing: the processor says it. Later
    // javacs report the statement.
    String source = demo("""
        public abstract class Demo {
          @Async <U> Coroutine<Integer> f(U u) {
            record Box<T>(T v) {}
            class Cell<V extends Number> { V v; switch (1) { default -> { U u; } } Cell(V v) { this.v = v; } }
            Box<Integer> b = new Box<>(await(Aio.sleep(Duration.ZERO, 3)));
            java.util.List<Cell<Long>> cells = java.util.List.of(new Cell<>(4L));
            await(Aio.sleep(1));
            return done(b.v() + cells.get(0).v.intValue());
          }
        }
        """);
    if (Runtime.version().feature() < 21) {
      check(awaitj("statementInTheBodyOfALocalClass", "awaitj: javac failed while attributing this"
          + " method (NullPointerException in com.sun.tools.javac.comp.Attr.visitVarDef): correct the"
          + " errors javac reports in it first", "@Async <U> Coroutine<Integer> f(U u) {", source));
    } else {
      check(javac("statementInTheBodyOfALocalClass",
          "statements not expected outside of methods and initializers", "switch (1)", source));
    }
  }

  @Test
  void unresolvedTypeInABoundOfATypeVariable() {
    // Found by MutationFuzzTest (seed 9090): the shell repeated the bound.
    check(javac("unresolvedTypeInABoundOfATypeVariable", "cannot find symbol",
        "static <T extends Number & Missing<T>> Coroutine<T> min(T a, T b) {", demo("""
        public class Demo {
          @Async static <T extends Number & Missing<T>> Coroutine<T> min(T a, T b) {
            T x = await(Aio.sleep(Duration.ZERO, a));
            return done(x);
          }
        }
        """)));
  }

  @Test
  void variableAsTheLabelOfAnEnumSwitch() {
    // Found by MutationFuzzTest (seed 9090): the label's made-up owner has no name.
    // (javac 17 and 25 word the error differently.)
    check(javac("variableAsTheLabelOfAnEnumSwitch", "enumeration constant", "case c:", demo("""
        public enum Demo {
          RED, GREEN;
          @Async static Coroutine<String> describe(Demo c) {
            switch (c) {
              case c:
                await(Aio.sleep(1));
                return done("warm");
              default:
                return done("cool");
            }
          }
        }
        """)));
  }

  @Test
  void asyncMethodWithoutABody() {
    // Found by MutationFuzzTest (seed 1111): a ';' before the body left the method without one.
    check(javac("asyncMethodWithoutABody", "missing method body, or declare abstract",
        "public Coroutine<String> greet(String name) ; {", demo("""
        public abstract class Demo {
          @Async
          public Coroutine<String> greet(String name) ; {
            String n = "no await here: that would be an await outside @Async, reported as such";
          }
        }
        """)));
  }

  @Test
  void unresolvedGenericResultType() {
    check(javac("unresolvedGenericResultType", "cannot find symbol", "Coroutine<Missing<String>> f()", demo("""
        public class Demo {
          @Async static Coroutine<Missing<String>> f() { await(Aio.sleep(1)); return done(null); }
        }
        """)));
    // The same in ShellEmitter.override, for an instance method.
    check(javac("unresolvedGenericResultTypeOfInstanceMethod", "cannot find symbol",
        "Coroutine<Missing<String>> g()", demo("""
        public abstract class Demo {
          @Async Coroutine<Missing<String>> g() { await(Aio.sleep(1)); return done(null); }
        }
        """)));
  }

  @Test
  void javacAssertionWhileAttributingAnErroneousBody() {
    check(javac("javacAssertionWhileAttributingAnErroneousBody", "int cannot be dereferenced",
        "balance(await(accounts.sleep((1), amount)));", demo("""
        public abstract class Demo {
          int accounts = 0;
          @Async Coroutine<String> deposit(int amount) {
            balance(await(accounts.sleep((1), amount)));
          }
        }
        """)));
  }

  @Test
  void yieldFromAsyncLambdaInsideSwitchExpression() {
    check(javac("yieldFromAsyncLambdaInsideSwitchExpression", "yield outside of switch expression",
        "if (x > 100) yield await(", demo("""
        public abstract class Demo {
          @Async Coroutine<String> f(int x) {
            int b = switch (await(Aio.done(x + 1))) {
              case 4: yield 4;
              default: java.util.function.Supplier<Coroutine<Object>> s = () -> {
                {
                  if (x > 100) yield await(Aio.done(-1));
                  yield 0;
                }
                return done(null);
              };
            };
            return done("" + b);
          }
        }
        """)));
  }

  @Test
  void typeAnnotationOnUnresolvedTypeCrashesJavacInRoundTwo() {
    check(javac("typeAnnotationOnUnresolvedTypeCrashesJavacInRoundTwo", "cannot find symbol",
        "o instanceof @Async Missing", demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> f(Object o) {
            return done(o instanceof @Async Missing ? 1 : 2);
          }
        }
        """)));
  }

  // -----------------------------------------------------------------------------------------------
  // Broken programs whose generated code has other errors than the user's (MutationFuzzTest, seed
  // 20250617): the generated code may only repeat javac's errors in the user's code (Hostile.repeats).

  @Test
  void assignmentToACapturedLocalInsideALambda() {
    // The machine's copy of a captured local was final: javac said "cannot assign a value to final
    // variable best$1" in the machine besides its own error in the user's lambda.
    repeatsOnly(javac("assignmentToACapturedLocalInsideALambda",
        "local variables referenced from a lambda expression must be final or effectively final",
        "Runnable r = () -> {", demo("""
        public abstract class Demo {
          @Async <T extends Comparable<? super T>> Coroutine<T> max(List<? extends T> xs) {
            T best = null;
            for (T x : xs) {
              T seen = await(Aio.sleep(Duration.ZERO, x));
              Runnable r = () -> { if (best == null || seen.compareTo(best) > 0) best = seen; };
            }
            return done(best);
          }
        }
        """)));
    repeatsOnly(javac("assignmentToACapturedLocalInsideAnAnonymousClass",
        "local variables referenced from an inner class must be final or effectively final",
        "public void run() { n = n + 1; }", demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> f() {
            int n = await(Aio.sleep(Duration.ZERO, 1));
            Runnable r = new Runnable() {
              public void run() { n = n + 1; }
            };
            return done(n);
          }
        }
        """)));
  }

  @Test
  void errorInACopiedExpression() {
    // The machine copies the broken call as it is: javac repeats its error there, word for word.
    repeatsOnly(javac("errorInACopiedExpression", "cannot find symbol", "await(Aio.sleep1());", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            await(Aio.sleep1());
            return done(1);
          }
        }
        """)));
    // The same through a local the machine renames (a local named like a type it uses becomes Aio$).
    repeatsOnly(javac("errorInACopiedExpressionOfARenamedLocal", "cannot find symbol",
        "await(Aio.sleep(1));", demo("""
        public class Demo {
          @Async static Coroutine<Map<String, List<? super Integer>>> nested() {
            Map<String, List<? super Integer>> Aio = new HashMap<>();
            await(Aio.sleep(1));
            return done(Aio);
          }
        }
        """)));
  }

  @Test
  void errorInACopiedExpressionUsingALocalClass() {
    // Found by MutationFuzzTest, seed 1701: the body's local classes are member classes of the
    // machine, so javac's repeated message names DemoAsync_f.Pair, or DemoAsync_f.Object for a local
    // class named Object.
    repeatsOnly(javac("errorInACopiedExpressionUsingALocalClass", "cannot find symbol",
        "Duration.add(new Pair(", demo("""
        public abstract class Demo {
          @Async Coroutine<String> f() {
            record Pair(String url, int status) {}
            for (int i = 0; i < 3; i++) {
              Duration.add(new Pair("u", await(Aio.sleep(Duration.ofMillis(1), i * 100))));
            }
            return done("");
          }
        }
        """)));
    repeatsOnly(javac("errorInACopiedExpressionUsingALocalClassNamedObject", "cannot find symbol",
        "return done(o.x() + p.A.ordinal());", demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> f() {
            record Override(int x) {}
            class Object { }
            Override o = new Override(await(Aio.sleep(Duration.ZERO, 1)));
            Object p = new Object();
            return done(o.x() + p.A.ordinal());
          }
        }
        """)));
  }

  @Test
  void errorInACopiedExpressionThroughThis() {
    // Found by MutationFuzzTest, seed 9301: the machine reads the user's this through its field self,
    // where javac's "cannot find symbol" names self as the location; in the user's code it names none.
    repeatsOnly(javac("errorInACopiedExpressionThroughThis", "cannot find symbol",
        "return done(n + this.missing);", demo("""
        public abstract class Demo {
          int n = 10;
          @Async Coroutine<Integer> f() {
            int n = await(Aio.sleep(Duration.ZERO, 1));
            return done(n + this.missing);
          }
        }
        """)));
  }

  @Test
  void errorInACopiedExpressionNamingANameThatEndsInADollar() {
    // Found by MutationFuzzTest, seed 9301: a name of the user's that ends in '$', as the machine's
    // copies of locals do.
    repeatsOnly(javac("errorInACopiedExpressionNamingANameThatEndsInADollar", "cannot find symbol",
        "Aio.thrown$(", demo("""
        public class Demo {
          @Async static Coroutine<String> f() {
            await(Aio.sleep(1));
            return done(await(Aio.thrown$(Aio.done("x"))));
          }
        }
        """)));
  }

  @Test
  void errorInACopiedExpressionOfASecondCatchParameter() {
    // Found by MutationFuzzTest, seed 9302: the machine's local for the second catch parameter e is
    // e_ (the name allocator's way), which javac's repeated message names.
    repeatsOnly(javac("errorInACopiedExpressionOfASecondCatchParameter", "cannot find symbol",
        "trace(e.java());", demo("""
        public abstract class Demo {
          void trace(Object o) {}
          @Async Coroutine<String> f() {
            try {
              await(Aio.sleep(1));
            } catch (IllegalArgumentException e) {
              trace(e);
            } catch (IllegalStateException e) {
              trace(e.java());
              await(Aio.sleep(1));
            }
            return done("");
          }
        }
        """)));
  }

  @Test
  void errorInACopiedExpressionOfALocalOfAnIntersectionType() {
    // Found by MutationFuzzTest, seed 9302: the machine's field for a local of an intersection type
    // has a named supertype (Serializable), which javac's repeated message named; now the machine
    // reads the field through a cast to the intersection, and javac's repeat names no location.
    repeatsOnly(javac("errorInACopiedExpressionOfALocalOfAnIntersectionType", "cannot find symbol",
        "return done(x.missing());", demo("""
        public class Demo {
          @Async static Coroutine<String> f(boolean b) {
            var x = b ? 1 : "one";
            await(Aio.sleep(1));
            return done(x.missing());
          }
        }
        """)));
  }

  /**
   * Checks an entry of origin {@link HostileCorpusTest.Origin#JAVAC} as the mutation fuzzer judges
   * it: javac's error is there, the processor adds none, and whatever generated code javac rejects
   * too only {@linkplain Hostile#repeats repeats} javac's errors in the user's code.
   */
  static void repeatsOnly(HostileCorpusTest.Entry e) {
    Hostile.Outcome o = Hostile.compile(e.sources().toArray(String[]::new));
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), o.findings(),
        () -> e.name() + ":\n" + o.describe());
    com.google.testing.compile.CompilationSubject.assertThat(o.compilation())
        .hadErrorContaining(e.message()).inFile(o.compilation().sourceFiles().get(0))
        .onLineContaining(e.line());
    org.junit.jupiter.api.Assertions.assertTrue(o.compilation().errors().stream()
            .noneMatch(d -> Hostile.MESSAGER_CODE.equals(d.getCode())),
        () -> "the processor added to javac's own error:\n" + o.describe());
  }

  @Test
  void privateMemberOfAnUnresolvedType() {
    // Found by MutationFuzzTest, seed 9302: the handle on a private field of type List<String>,
    // without java.util imported, crashed naming the type.
    check(javac("privateFieldOfAnUnresolvedType", "cannot find symbol", "private List<String> history",
        without("import java.util.*;", """
        public abstract class Demo {
          private List<String> history = null;
          @Async Coroutine<String> f() {
            await(Aio.sleep(1));
            return done("" + history);
          }
        }
        """)));
    check(javac("privateMethodOfAnUnresolvedType", "cannot find symbol", "private Missing find(",
        demo("""
        public abstract class Demo {
          private Missing find(Map<String, ? extends Missing> m) { return null; }
          @Async Coroutine<String> f() {
            await(Aio.sleep(1));
            return done("" + find(null));
          }
        }
        """)));
  }

  // -----------------------------------------------------------------------------------------------
  // Valid programs whose generated code does not compile.

  @Test
  void localNamedLikeATypeUsedEarlier() {
    check(ok("localNamedLikeATypeUsedEarlier", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            String Aio = "shadow";
            await(io.awaitj.Aio.sleep(1));
            return done(Aio.length());
          }
        }
        """)));
  }

  @Test
  void parameterNamedLikeATypeTheMachineUses() {
    // Found by MutationFuzzTest, seed 20250617 (with 111 seeds): the machine's field for the parameter
    // Aio hid io.awaitj.Aio, which the machine names for a call of the statically imported done(...).
    check(ok("parameterNamedLikeATypeTheMachineUses", """
        package demo;

        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public class Demo {
          interface Greeter { Coroutine<String> greet(String name); }
          @Async static Coroutine<String> twice(Greeter Aio, String name) {
            String a = await(Aio.greet(name));
            done(a);
            java.util.function.Supplier<String> s = () -> Aio.toString();
            return done(a + await(Aio.greet(name)) + s.get().length() * 0);
          }
        }
        """));
  }

  @Test
  void fieldOfALocalClassUsedInAnAnonymousClassInsideIt() {
    // Found by MutationFuzzTest, seed 9303: count, a field of the local class around the anonymous
    // class, was copied as self.count (a field of the user's class).
    check(ok("fieldOfALocalClassUsedInAnAnonymousClassInsideIt", demo("""
        public abstract class Demo {
          int calls;
          @Async Coroutine<Integer> f() {
            class Counter {
              int count;
              void tick() { new Object() { void inc() { calls++; count++; } }.inc(); }
            }
            Counter c = new Counter();
            await(Aio.sleep(1));
            c.tick();
            return done(c.count + calls);
          }
        }
        """)));
  }

  @Test
  void forLoopWithExpressionInit() {
    check(ok("forLoopWithExpressionInit", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            int i;
            for (i = 0; i < 3; i++) {
              await(Aio.sleep(1));
            }
            return done(i);
          }
        }
        """)));
  }

  @Test
  void otherAbstractMethodBesideAsyncMethods() {
    check(ok("otherAbstractMethodBesideAsyncMethods", demo("""
        public abstract class Demo {
          abstract String name();
          @Async Coroutine<String> f() { await(Aio.sleep(1)); return done(name()); }
        }
        """)));
  }

  @Test
  void methodTypeVariableShadowsClassTypeVariable() {
    check(ok("methodTypeVariableShadowsClassTypeVariable", demo("""
        public abstract class Demo<T> {
          @Async <T> Coroutine<T> echo(T x) { await(Aio.sleep(1)); return done(x); }
        }
        """)));
  }

  @Test
  void sealedClassWithInstanceAsyncMethod() {
    check(awaitj("sealedClassWithInstanceAsyncMethod", "sealed", "Coroutine<Integer> f()", demo("""
        public abstract sealed class Demo permits Demo.Sub {
          @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
          static final class Sub extends Demo {}
        }
        """)));
  }

  @Test
  void sealedClassPermittingTheGeneratedClass() {
    check(ok("sealedClassPermittingTheGeneratedClass", demo("""
        public abstract sealed class Demo permits DemoAsync {
          @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
        }
        """)));
  }

  @Test
  void userLabelNamedDispatch() {
    check(ok("userLabelNamedDispatch", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            dispatch:
            for (int i = 0; i < 3; i++) {
              if (i == 2) break dispatch;
            }
            return done(1);
          }
        }
        """)));
  }

  @Test
  void privateMethodCalledInsideLambda() {
    check(ok("privateMethodCalledInsideLambda", demo("""
        public abstract class Demo {
          private void log(String s) {}
          @Async Coroutine<Integer> f() {
            await(Aio.sleep(1));
            Runnable r = () -> log("x");
            r.run();
            return done(1);
          }
        }
        """)));
  }

  @Test
  void returnInsideDoWhile() {
    check(ok("returnInsideDoWhile", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            do {
              return done(1);
            } while (System.nanoTime() < 0);
          }
        }
        """)));
  }

  @Test
  void samePackageClassNamedOverride() {
    check(ok("samePackageClassNamedOverride", demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
        }
        """), """
        package demo;
        class Override {}
        """));
  }

  @Test
  void samePackageClassesNamedLikeJavaLangTypes() {
    check(ok("samePackageClassesNamedLikeJavaLangTypes", demo("""
        public abstract class Demo {
          @Async Coroutine<java.lang.String> f() {
            try { await(Aio.sleep(1)); } catch (RuntimeException e) { return done("caught"); }
            return done("fine");
          }
        }
        """), """
        package demo;
        class String {}
        """, """
        package demo;
        class Throwable {}
        """, """
        package demo;
        class Object {}
        """));
  }

  @Test
  void privateFieldsNamedLikeTheAccessorsVariables() {
    // Found by MutationFuzzTest (seed 4242): a private field named 'value' was hidden in its setter.
    check(ok("privateFieldsNamedLikeTheAccessorsVariables", demo("""
        public abstract class Demo {
          private int value;
          private String self = "s";
          private static long lookup;
          private int delta, old, updated, e, t;
          private Object p$0;
          @Async Coroutine<Integer> f() {
            Runnable r = () -> { value++; lookup += value; };
            await(Aio.sleep(1));
            r.run();
            self += value;
            delta = old = updated = e = t = 1;
            p$0 = self;
            return done(value + (int) lookup + self.length() + delta + old + updated + e + t);
          }
        }
        """)));
  }

  @Test
  void typeVariableNamedLikeATypeTheGeneratedCodeUses() {
    // Found by MutationFuzzTest (seed 4242): <Override ...> hid java.lang.Override in XAsync.
    check(ok("typeVariableNamedLikeATypeTheGeneratedCodeUses", demo("""
        public abstract class Demo<SuppressWarnings> {
          @Async <Override extends Comparable<? super Override>> Coroutine<Override> max(List<? extends Override> xs) {
            Override best = null;
            for (Override x : xs) {
              Override seen = await(Aio.sleep(Duration.ZERO, x));
              if (best == null || seen.compareTo(best) > 0) best = seen;
            }
            return done(best);
          }
          @Async static <Coroutine, Object> io.awaitj.Coroutine<Coroutine> first(Coroutine c, Object o) {
            await(Aio.sleep(1));
            return done(c);
          }
        }
        """)));
  }

  @Test
  void unicodeEscapeCutInAStateComment() {
    // Found by MutationFuzzTest (seed 4242): the comment of a state held a cut unicode escape.
    check(ok("unicodeEscapeCutInAStateComment", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            int \\u0078 = await(Aio.sleep(Duration.ZERO, 1));
            // The escape straddles the cut of the comment of the state resuming after this await:
            int y = await(Aio.sleep(Duration.ZERO, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\u00e9bbbbbbbbbb")).length();
            await(Aio.sleep(1)); // \\u000a x = 2;
            return done(x + y);
          }
        }
        """)));
  }

  @Test
  void constantAssignedToASmallPrivateField() {
    // Found by MutationFuzzTest (seed 7373): an assignment narrows a constant, a setter's argument not.
    check(ok("constantAssignedToASmallPrivateField", demo("""
        public abstract class Demo {
          private char letter = 'a';
          private byte tiny;
          private Short boxed;
          @Async Coroutine<Integer> f() {
            letter = 100;
            tiny = 'x' - 'a';
            boxed = 7;
            letter = await(Aio.sleep(Duration.ZERO, 'q'));
            tiny = (byte) (await(Aio.sleep(Duration.ZERO, 3)) + 1);
            return done(letter + tiny + boxed);
          }
        }
        """)));
  }

  @Test
  void asyncLambdaCapturingAVariableOfALocalRecordType() {
    // Found by MutationFuzzTest (seed 120515): the lambda's machine took the captured value as a
    // parameter of the record's type, which it cannot name (an internal error for a generic record, an
    // error only in generated code otherwise).
    check(awaitj("asyncLambdaCapturingAVariableOfALocalRecordType", "local class 'Box' of the enclosing"
        + " method cannot be used inside an async lambda, which is compiled into a class of its own (here in"
        + " the type of 'b', which it uses)", "java.util.function.Supplier<Coroutine<Integer>> s = () -> {",
        demo("""
        public abstract class Demo {
          @Async <U> Coroutine<Integer> f(U u) {
            record Box<T>(T v) {}
            Box<Integer> b = new Box<>(await(Aio.sleep(Duration.ZERO, 3)));
            java.util.function.Supplier<Coroutine<Integer>> s = () -> {
              await(Aio.sleep(1));
              return done(b.v() + 1);
            };
            return done(await(s.get()));
          }
        }
        """)));
  }

  @Test
  void asyncLambdaCapturingAFieldOfTheMachineOfALocalClassType() {
    // The neighbour: the captured variable is a field of the outer machine, of a class it hoists.
    check(awaitj("asyncLambdaCapturingAFieldOfTheMachineOfALocalClassType", "local class 'K' of the"
        + " enclosing method cannot be used inside an async lambda", "java.util.function.Supplier<Coroutine<Integer>> s = () -> {",
        demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> g() {
            class K { int v = 5; }
            K k = new K();
            await(Aio.sleep(1));
            java.util.function.Supplier<Coroutine<Integer>> s = () -> {
              await(Aio.sleep(1));
              return done(k.v);
            };
            return done(await(s.get()));
          }
        }
        """)));
  }

  @Test
  void localClassInTheTypeOfALocalAnAsyncLambdaCaptures() {
    // Found by MutationFuzzTest (seed 20250617, once ExceptionsTest's blocks joined the seeds): the
    // lambda's machine named Box.Part as a package (a valid program), or the processor failed
    // (TypeName.get of a local class).
    check(awaitj("localClassInTheTypeOfALocalAnAsyncLambdaCaptures", "local class 'Box' of the enclosing"
        + " method cannot be used inside an async lambda, which is compiled into a class of its own (here"
        + " in the type of 'part', which it uses)", "java.util.function.Supplier<Coroutine<Integer>> s = () -> {",
        demo("""
        public abstract class Demo {
          @Async <T> Coroutine<Integer> f(T t) {
            class Box { T value = t; class Part { int size() { return String.valueOf(value).length(); } } }
            Box.Part part = new Box().new Part();
            java.util.function.Supplier<Coroutine<Integer>> s = () -> {
              await(Aio.sleep(1));
              return done(part.size());
            };
            return s.get();
          }
        }
        """)));
  }

  @Test
  void intersectionWithAWildcardClassBoundKeptAcrossAnAwait() {
    // Found by MutationFuzzTest (seed 120616): the type of 'flag ? new ArrayList<>() : new
    // LinkedList<String>()' is AbstractList<? extends Object> & List<...> & ...; the machine's cast to
    // it is rejected by javac ("subList(int,int) in AbstractList cannot implement subList(int,int) in
    // List"), an error only in generated code for a valid program, and a field of one bound would pick
    // other overloads. A clear error on the variable (and on an awaited value of that type). Later:
    // javac itself rejects such a 'var' in a class it attributed during processing (JavacLimits says
    // so, in any method); an awaited value compiles, read through a view (see
    // intersectionWithAWildcardClassBoundReadThroughAView).
    check(awaitj("intersectionWithAWildcardClassBoundKeptAcrossAnAwait", "an intersection whose class bound"
        + " has wildcards, which javac cannot compile", "var list = flag ? new ArrayList<>() : new LinkedList<String>();",
        demo("""
        public abstract class Demo {
          static String g(java.io.Serializable s) { return "S"; }
          static String g(Object o) { return "O"; }
          @Async static Coroutine<String> pick(boolean flag) {
            var list = flag ? new ArrayList<>() : new LinkedList<String>();
            await(Aio.sleep(1));
            return done(g(list));
          }
        }
        """)));
    check(ok("intersectionWithAWildcardClassBoundAsAnAwaitedValue",
        demo("""
        public abstract class Demo {
          static String g(java.io.Serializable s) { return "S"; }
          static String g(Object o) { return "O"; }
          @Async static Coroutine<String> pick(boolean flag) {
            return done(g(await(Aio.done(flag ? new ArrayList<>() : new LinkedList<String>()))));
          }
        }
        """)));
  }

  @Test
  void javacsOwnCrashIsNotAFinding() {
    // Found by MutationFuzzTest (seed 120616): javac 17 and 25 crash in their parser on this broken
    // type annotation whenever annotation processing is on, with any processor (AssertionError:
    // "Unexpected type tree"); the fuzzer counts such crashes apart instead of blaming awaitj.
    int before = Hostile.JAVAC_OWN_CRASHES.get();
    Hostile.Outcome o = Hostile.compile(List.of("a.Subject"), List.of("""
        package a;
        import java.util.function.Function;
        public class Subject {
          void f() {
            Function<Integer, @<String>> f = n -> {
              return "x";
            };
          }
        }
        """));
    assertTrue(o.ok(), o.findings().toString());
    assertEquals(before + 1, Hostile.JAVAC_OWN_CRASHES.get());
  }

  @Test
  void duplicateMemberClassOfALocalClass() {
    // Found by MutationFuzzTest (seed 120616): javac enters no class for the duplicate, and hoisting
    // the local class met a member without an element (an internal error).
    check(javac("duplicateMemberClassOfALocalClass", "already defined", "class Inner { int w = 2; }",
        demo("""
        public abstract class Demo {
          @Async public static Coroutine<Integer> run() {
            class Outer {
              class Inner { int v = 20; }
              class Inner { int w = 2; }
            }
            Outer.Inner in = new Outer().new Inner();
            await(Aio.sleep(1));
            return done(in.v);
          }
        }
        """)));
  }

  @Test
  void localClassInTheResultTypeOfAnAsyncLambda() {
    // Found by MutationFuzzTest (seed 8484): the lambda's machine could not name the method's class.
    check(awaitj("localClassInTheResultTypeOfAnAsyncLambda", "local class 'Box' of the enclosing method"
        + " cannot be used inside an async lambda", "java.util.function.Supplier<Coroutine<Box>> s = () -> {",
        demo("""
        public abstract class Demo {
          @Async Coroutine<Integer> f() {
            record Box(int v) {}
            await(Aio.sleep(1));
            java.util.function.Supplier<Coroutine<Box>> s = () -> {
              await(Aio.sleep(1));
              return done(new Box(1));
            };
            return done(await(s.get()).v());
          }
        }
        """)));
  }

  @Test
  void localClassesNamedLikeFieldsOfTheMachine() {
    // Found by MutationFuzzTest (seed 6262): a local enum named 'self' was hidden by the field.
    check(ok("localClassesNamedLikeFieldsOfTheMachine", demo("""
        public abstract class Demo {
          String prefix() { return "p"; }
          @Async Coroutine<String> f(int spill$0) {
            enum self { FAST, SLOW }
            class Counter { String name(int i) { return prefix() + i + self.values()[i % 2]; } }
            record counter(int v) {}
            Counter counter = new Counter();
            String a = counter.name(await(Aio.sleep(Duration.ZERO, 1))) + spill$0;
            counter c = new counter(2);
            await(Aio.sleep(1));
            return done(a + counter.name(c.v()) + self.FAST);
          }
        }
        """)));
  }

  @Test
  void memberTypeNamedLikeMachine() {
    check(ok("memberTypeNamedLikeMachine", demo("""
        public abstract class Demo {
          static class DemoAsync_f {}
          static class Override {}
          static class Coroutine {}
          static class SuppressWarnings {}
          @Async io.awaitj.Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
        }
        """)));
  }

  @Test
  void annotationInterfaceMember() {
    check(awaitj("annotationInterfaceMember", "@Async method cannot be abstract", "Coroutine<Integer> f();",
        demo("""
        public @interface Demo {
          @Async Coroutine<Integer> f();
        }
        """)));
  }

  @Test
  void abstractInterfaceMethod() {
    check(awaitj("abstractInterfaceMethod", "@Async method cannot be abstract", "Coroutine<Integer> f();",
        demo("""
        public interface Demo {
          @Async Coroutine<Integer> f();
        }
        """)));
  }

  // -----------------------------------------------------------------------------------------------
  // Noise: javac rejects the program, and the processor adds errors of its own or in generated code.

  @Test
  void missingAwaitImport() {
    check(javac("missingAwaitImport", "cannot find symbol", "await(Aio.sleep(1));",
        without("import static io.awaitj.Aio.await;", """
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            return done(1);
          }
        }
        """)));
  }

  @Test
  void missingCoroutineImport() {
    check(javac("missingCoroutineImport", "cannot find symbol", "static Coroutine<Integer> f()",
        without("import io.awaitj.Coroutine;", """
        public class Demo {
          @Async static Coroutine<Integer> f() { await(Aio.sleep(1)); return done(1); }
        }
        """)));
  }

  @Test
  void missingParameterTypeImport() {
    check(javac("missingParameterTypeImport", "cannot find symbol", "f(Duration d)",
        without("import java.time.Duration;", """
        public class Demo {
          @Async static Coroutine<Integer> f(Duration d) { await(Aio.sleep(d)); return done(1); }
        }
        """)));
  }

  @Test
  void plainValueReturnedAtOnce() {
    check(javac("plainValueReturnedAtOnce",
        "incompatible types: int cannot be converted to io.awaitj.Coroutine<java.lang.Integer>", "return 1;",
        demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            return 1;
          }
        }
        """)));
  }

  @Test
  void unresolvedResultType() {
    check(javac("unresolvedResultType", "cannot find symbol", "Coroutine<Missing> f()", demo("""
        public class Demo {
          @Async static Coroutine<Missing> f() { await(Aio.sleep(1)); return done(null); }
        }
        """)));
  }

  @Test
  void staticAsyncMethodUsesClassTypeVariable() {
    check(javac("staticAsyncMethodUsesClassTypeVariable",
        "non-static type variable T cannot be referenced from a static context", "static Coroutine<T> f(T x)",
        demo("""
        public class Demo<T> {
          @Async static Coroutine<T> f(T x) { await(Aio.sleep(1)); return done(x); }
        }
        """)));
  }

  @Test
  void unresolvedMethodAfterAwait() {
    check(javac("unresolvedMethodAfterAwait", "cannot find symbol", "return done(nowhere(x));", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            int x = await(Aio.sleep(Duration.ZERO, 1));
            return done(nowhere(x));
          }
        }
        """)));
  }

  @Test
  void awaitWithWrongArguments() {
    check(javac("awaitWithoutArguments", "no suitable method found for await(no arguments)", "int x = await();",
        demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            int x = await();
            return done(x);
          }
        }
        """)));
    check(javac("awaitOfNonAwaitable", "no suitable method found for await(int)", "int x = await(5);", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            int x = await(5);
            return done(x);
          }
        }
        """)));
  }

  @Test
  void instanceMemberInStaticAsyncMethod() {
    check(javac("instanceMemberInStaticAsyncMethod",
        "non-static method g() cannot be referenced from a static context", "return done(await(g()));", demo("""
        public interface Demo {
          Coroutine<Integer> g();
          @Async static Coroutine<Integer> f() {
            return done(await(g()));
          }
        }
        """)));
    check(javac("thisAndInstanceFieldInStaticAsyncMethod",
        "non-static variable this cannot be referenced from a static context", "String s = this.toString();",
        demo("""
        public class Demo {
          int field;
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            String s = this.toString();
            return done(s.length());
          }
        }
        """)));
    check(javac("instanceFieldInLambdaOfStaticAsyncMethod",
        "non-static variable field cannot be referenced from a static context", "field + 1", demo("""
        public class Demo {
          int field;
          @Async static Coroutine<Integer> f() {
            java.util.function.IntSupplier s = () -> field + 1;
            await(Aio.sleep(1));
            return done(s.getAsInt());
          }
        }
        """)));
    // Instance members of an anonymous class in a static method are fine.
    check(ok("anonymousClassMembersInStaticAsyncMethod", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            Object o = new Object() {
              int field = 2;
              @Override public String toString() { return "x" + field + this.hashCode() + g(); }
              int g() { return field; }
            };
            return done(o.toString().length());
          }
        }
        """)));
  }

  @Test
  void jumpWithoutTarget() {
    check(javac("breakOutsideLoop", "break outside switch or loop", "break;", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            break;
          }
        }
        """)));
    check(javac("continueToUnknownLabel", "undefined label: nowhere", "continue nowhere;", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            for (int i = 0; i < 2; i++) {
              await(Aio.sleep(1));
              continue nowhere;
            }
            return done(1);
          }
        }
        """)));
    check(javac("yieldOutsideSwitchExpression", "yield outside of switch expression", "yield 1;", demo("""
        public class Demo {
          @Async static Coroutine<Integer> f() {
            await(Aio.sleep(1));
            yield 1;
          }
        }
        """)));
  }

  // -----------------------------------------------------------------------------------------------
  // Warnings in generated code.

  @Test
  void deprecationAndSignatureWarningsStayAtTheUsersDeclarations() {
    // Uses of deprecated elements inside their own outermost class draw no warning, but generated
    // classes are outside it; signatures repeated in XAsync are warned about at the user's.
    check(ok("deprecationAndSignatureWarningsStayAtTheUsersDeclarations", demo("""
        @Deprecated(forRemoval = true)
        public abstract class Demo implements java.io.Serializable {
          private static final long serialVersionUID = 1L;
          @Deprecated Demo(List raw) {}
          @Deprecated static class Old {}
          @Deprecated @Async Coroutine<Integer> f(Old o, List<String>... xs) {
            await(Aio.sleep(1));
            return done(xs.length);
          }
          @Async static <T extends List> Coroutine<Old> g(T t) {
            await(Aio.sleep(1));
            return done(new Old());
          }
        }
        """)));
  }

  @Test
  void suppressWarningsOfTheMethodReachesTheMachine() {
    check(ok("suppressWarningsOfTheMethodReachesTheMachine", demo("""
        public abstract class Demo {
          @Deprecated static int old() { return 1; }
          @SuppressWarnings({"unchecked", "rawtypes", "deprecation"})
          @Async Coroutine<Integer> f() {
            List raw = new ArrayList();
            raw.add(await(Aio.sleep(Duration.ZERO, old())));
            List<Integer> typed = raw;
            return done(typed.get(0));
          }
        }
        """)));
  }

  @Test
  void rawCoroutineReturn() {
    check(ok("rawCoroutineReturn", demo("""
        public class Demo {
          @SuppressWarnings("rawtypes")
          @Async static Coroutine raw() { await(Aio.sleep(1)); return done(1); }
        }
        """)));
  }

  /**
   * Found by the default MutationFuzzTest run after locals that no await follows became Java locals of
   * their state: code after a return (javac's "unreachable statement") goes to a state of its own,
   * where such a local was not in scope, so the machine had an error of its own beside javac's.
   */
  @Test
  void localUsedInUnreachableCodeAfterAReturn() {
    check(javac("localUsedInUnreachableCodeAfterAReturn", "unreachable statement", "return done(s + 2);",
        demo("""
        public class Demo {
          @Async static Coroutine<String> f(Object o) {
            await(Aio.sleep(1));
            String s = String.valueOf(o);
            return done(s + 1); return done(s + 2);
          }
        }
        """)));
  }

  @Test
  void errorInACopiedExpressionOnASpilledReceiver() {
    // Found by MutationFuzzTest, seed 120414: the machine evaluates a receiver before the await in
    // its arguments into a temporary (spill$N), where javac's "cannot find symbol" then names that
    // temporary as the location: the same error, on a variable of the same type.
    repeatsOnly(javac("errorInACopiedExpressionOnASpilledReceiver", "cannot find symbol",
        "b.missing(await(Aio.done(1)));", demo("""
        public class Demo {
          @Async static Coroutine<String> f() {
            StringBuilder b = new StringBuilder();
            b.missing(await(Aio.done(1)));
            return done(b.toString());
          }
        }
        """)));
  }

  @Test
  void intersectionWithAWildcardClassBoundCapturedByAnAsyncLambda() {
    // Beside MutationFuzzTest's seed 192010 (an intersection captured by an async lambda, now read
    // through a cast to every bound in the lambda's machine): a bound with wildcards cannot be cast
    // to (see intersectionWithAWildcardClassBoundKeptAcrossAnAwait), and the lambda machine's field of
    // the first bound would pick g(Object) where the source picks g(Serializable). A clear error on
    // the variable, and on a lambda's parameter of such a type (now JavacLimits' error: javac rejects
    // both in a class it attributed during processing, the parameter even without a processor).
    check(awaitj("intersectionWithAWildcardClassBoundCapturedByAnAsyncLambda", "an intersection whose"
        + " class bound has wildcards, which javac cannot compile", "var list = flag ? new ArrayList<>() : new LinkedList<String>();",
        demo("""
        public abstract class Demo {
          static String g(java.io.Serializable s) { return "S"; }
          static String g(Object o) { return "O"; }
          static String run(java.util.function.Supplier<Coroutine<String>> s) { return Aio.run(s.get()); }
          @Async static Coroutine<String> pick(boolean flag) {
            var list = flag ? new ArrayList<>() : new LinkedList<String>();
            return done(run(() -> {
              await(Aio.sleep(1));
              return done(g(list));
            }));
          }
        }
        """)));
    check(awaitj("intersectionWithAWildcardClassBoundAsAnAsyncLambdasParameter", "an intersection whose"
        + " class bound has wildcards, which javac cannot compile", "return use(flag ? new ArrayList<>() : new LinkedList<String>(), x -> {",
        demo("""
        public abstract class Demo {
          static String g(java.io.Serializable s) { return "S"; }
          static String g(Object o) { return "O"; }
          static <T> Coroutine<String> use(T t, java.util.function.Function<T, Coroutine<String>> f) {
            return f.apply(t);
          }
          @Async static Coroutine<String> pick(boolean flag) {
            return use(flag ? new ArrayList<>() : new LinkedList<String>(), x -> {
              await(Aio.sleep(1));
              return done(g(x));
            });
          }
        }
        """)));
  }

  /**
   * Why the machine reads a value of an intersection whose class bound has wildcard arguments through
   * a view ({@code HardeningTest.intersectionWithAWildcardClassBoundReadThroughAView}), where it had
   * refused it (before, {@link #intersectionWithAWildcardClassBoundKeptAcrossAnAwait}): javac writes no
   * cast and no type-variable bound to such an intersection (it
   * captures the class bound and its supertypes apart: "subList(int,int) in AbstractList cannot
   * implement subList(int,int) in List", JDK 17 and 25), and each type it accepts instead picks
   * another overload than the source's: {@code k(list)} is {@code k(Object)} on the variable, {@code
   * k(List<Object>)} through a cast to {@code AbstractList<Object> & ...} or to the raw {@code
   * AbstractList & ...} (a field of the erasure and a cast at each read). If a javac accepts the
   * cast, this test fails: then the machine can cast as it does for other intersections.
   */
  @Test
  void intersectionWithAWildcardClassBoundHasNoCastJavacAccepts() throws ReflectiveOperationException {
    com.google.testing.compile.Compilation rejected = com.google.testing.compile.Compiler.javac()
        .compile(com.google.testing.compile.JavaFileObjects.forSourceString("w.Rejected", """
        package w;
        import java.io.Serializable;
        import java.util.AbstractList;
        class Rejected {
          static Object cast(Object o) {
            return (AbstractList<?> & Serializable & Cloneable) o;
          }
          static <X extends AbstractList<?> & Serializable & Cloneable> X bound() {
            return null;
          }
        }
        """));
    List<String> errors = rejected.errors().stream()
        .map(d -> d.getLineNumber() + ": " + d.getMessage(java.util.Locale.ROOT).lines().findFirst().orElse("")
            .replace("java.util.", ""))
        .toList();
    assertEquals(List.of("6: subList(int,int) in AbstractList cannot implement subList(int,int) in List",
        "8: subList(int,int) in AbstractList cannot implement subList(int,int) in List"), errors);

    io.awaitj.processor.Compiled c = io.awaitj.processor.Compiled.compile("""
        package w;
        import java.io.Serializable;
        import java.util.AbstractList;
        import java.util.ArrayList;
        import java.util.LinkedList;
        import java.util.List;
        public class Accepted {
          static String k(List<Object> l) { return "L"; }
          static String k(Object o) { return "O"; }
          @SuppressWarnings({"unchecked", "rawtypes"})
          public static String run(boolean flag) {
            var list = flag ? new ArrayList<>() : new LinkedList<String>();
            Object field = list;
            return k(list) + k((AbstractList<Object> & Serializable & Cloneable) field)
                + k((AbstractList & Serializable & Cloneable) field);
          }
        }
        """);
    assertEquals("OLL", c.load("w.Accepted").getMethod("run", boolean.class).invoke(null, true));
  }

  @Test
  void asyncLambdaWithAParameterWithoutAName() {
    // Found by MutationFuzzTest, seed 320010 (mutant 1183, 'a' deleted from '(a, b) ->'): javac 17
    // and 25 accept '(, b) ->' without an error, a parameter without a name, and the async lambda's
    // machine took its field name from the name's first character: an internal error
    // (StringIndexOutOfBoundsException in Frame.fieldName). Now awaitj's one error on the lambda.
    check(awaitj("asyncLambdaWithAParameterWithoutAName", "a parameter of this async lambda has no"
        + " name (javac accepts '(, b) ->'): name it, as in '(a, b) ->'", "(, b) -> {", demo("""
        public class Demo {
          @Async static Coroutine<String> f() {
            java.util.function.BiFunction<String, Integer, Coroutine<String>> nested = (, b) -> {
              await(Aio.sleep(1));
              return done("" + b);
            };
            return done(await(nested.apply("x", 1)));
          }
        }
        """)));
  }

  /**
   * Found by MutationFuzzTest, seed 330010 (a return statement doubled): a static method without
   * awaits is called directly where it is awaited (DirectCalls), and code after its return, javac's
   * "unreachable statement", went to a second state, so awaitj reported its own internal error ("was
   * expected to compile into one state ... please report this") instead of javac's error. Such a body
   * is now no direct call: it is lowered as a machine, and javac's error is the only one.
   */
  @Test
  void unreachableCodeAfterAReturnInABodyWithoutAwaits() {
    check(javac("unreachableCodeAfterAReturnInABodyWithoutAwaits", "unreachable statement",
        "return done(s + 2);", demo("""
        public class Demo {
          @Async static Coroutine<String> f(Object o) {
            String s = String.valueOf(o);
            return done(s + 1); return done(s + 2);
          }
          @Async static Coroutine<String> g() {
            return done(await(f("x")));
          }
        }
        """)));
  }
}
