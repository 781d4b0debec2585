package io.awaitj.processor.fuzz;

import io.awaitj.processor.Differential;
import io.awaitj.processor.Differential.Case;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Processor bugs found by {@link FuzzTest}, each as the minimal case its shrinker (and a little hand
 * work) left, checked as any {@link Differential} case. All are fixed; they stay as regular tests, and
 * the generator's features that produce their shapes are on by default ({@link FuzzTest#features()}).
 *
 * <p>All cases use the fuzzer's shared members ({@link ProgramGenerator#SHARED}): {@code hidden(int)}
 * is a private method, {@code secret} a private field, {@code fld} a package-private field.
 *
 * <p>A bug found and not yet fixed is a disabled test here, and the generator leaves its shape out by
 * default ({@link ProgramGenerator.Features#withoutOpenBugs}) until it is fixed; none is open now.
 */
class FuzzRegressionTest {

  private static void check(Case c) {
    Differential.compile(List.of(c), ProgramGenerator.SHARED).check(c);
  }

  @Test
  void privateMethodCalledAsAStatement() {
    check(new Case("privateMethodCalledAsAStatement", "String", "", """
        hidden(1);
        await(val(0));
        return done("ok");
        """));
  }

  @Test
  void privateMethodCalledAsAStatementWithAnAwaitedArgument() {
    check(new Case("privateMethodCalledAsAStatementWithAnAwaitedArgument", "String", "", """
        hidden(await(val(1)));
        return done("ok");
        """));
  }

  @Test
  void referenceToAPrivateMethod() {
    check(new Case("referenceToAPrivateMethod", "String", "", """
        IntUnaryOperator f = this::hidden;
        await(val(0));
        return done("" + f.applyAsInt(1));
        """));
  }

  @Test
  void privateFieldAssignedThroughThisFromAnAwait() {
    check(new Case("privateFieldAssignedThroughThisFromAnAwait", "String", "", """
        this.secret = await(val(5));
        return done("" + secret);
        """));
  }

  @Test
  void privateMethodCalledInALambda() {
    check(new Case("privateMethodCalledInALambda", "String", "", """
        IntUnaryOperator f = x -> hidden(x);
        await(val(0));
        return done("" + f.applyAsInt(1));
        """));
  }

  @Test
  void fieldAsTheExpressionOfASwitchRule() {
    check(new Case("fieldAsTheExpressionOfASwitchRule", "String", "", """
        int x = await(val(1));
        int r = switch (x) { case 1 -> fld; default -> 0; };
        return done("" + r);
        """));
  }

  @Test
  void fieldAsTheExpressionOfARuleOfALoweredSwitch() {
    check(new Case("fieldAsTheExpressionOfARuleOfALoweredSwitch", "String", "", """
        int r = switch (await(val(1))) { case 1 -> fld; default -> 0; };
        return done("" + r);
        """));
  }
  @Test
  void existingVariableAsAResourceInCopiedCode() {
    check(new Case("existingVariableAsAResourceInCopiedCode", "String", "", """
        Res r = new Res("r", 0);
        try (r) { trace("in"); }
        await(val(0));
        return done("ok");
        """));
  }

  @Test
  void doWhileWhoseBodyCannotCompleteNormally() {
    check(new Case("doWhileWhoseBodyCannotCompleteNormally", "String", "", """
        int w = await(val(0));
        do {
          return done("x");
        } while (w < 1);
        """));
  }

  @Test
  void doWhileBreakingOutOfALoweredSwitch() {
    check(new Case("doWhileBreakingOutOfALoweredSwitch", "String", "", """
        S: switch (await(val(0))) {
          case 0:
            int w = 0;
            do {
              break S;
            } while (w < 1);
          case 2:
            trace("two");
        }
        return done("r");
        """));
  }

  @Test
  void switchExpressionAssignedToAPrivateField() {
    check(new Case("switchExpressionAssignedToAPrivateField", "String", "", """
        int x = 1;
        secret = switch (x) { case 1 -> 3; default -> 4; };
        await(val(0));
        return done("" + secret);
        """));
  }
  @Test
  void asyncCloseableResourceWithoutAnAwaitInside() {
    check(new Case("asyncCloseableResourceWithoutAnAwaitInside", "String", "", """
        try (ARes r = new ARes("a", 0)) {
          trace("in " + r.name);
        }
        await(val(0));
        return done("ok");
        """));
  }
  @Test
  void switchExpressionPassedToAPrivateMethod() {
    check(new Case("switchExpressionPassedToAPrivateMethod", "String", "", """
        int x = 1;
        int y = hidden(switch (x) { case 1 -> 3; default -> 4; });
        await(val(0));
        return done("" + y);
        """));
  }
  @Test
  void lambdaInTheArgumentsOfAPrivateMethod() {
    check(new Case("lambdaInTheArgumentsOfAPrivateMethod", "String", "", """
        int y = hidden(apply(x -> new ArrayList<>(List.of(x, x, x)).get(0), 2));
        await(val(0));
        return done("" + y);
        """));
  }

  @Test
  void multiCatchParameterCapturedAcrossAnAwait() {
    // Found by FuzzTest (seed 31): the field of a multi-catch parameter had no type to copy from.
    check(new Case("multiCatchParameterCapturedAcrossAnAwait", "String", "", """
        try {
          await(val(0));
          throw new IllegalStateException("boom");
        } catch (IllegalStateException | IllegalArgumentException e) {
          await(val(1));
          Object o = new Holder(await(val(2))) {
            @Override public String toString() { return "anon " + v + e.getMessage(); }
          };
          Supplier<String> s = () -> "lambda " + e.getMessage();
          return done(o + " " + s.get());
        }
        """));
  }

  @Test
  void existingVariableAsAResourceBeforeAnother() {
    // Found by FuzzTest (seed 31): the alias of 'fn2' swallowed the ';' after it.
    check(new Case("existingVariableAsAResourceBeforeAnother", "Integer", "", """
        Res fn2 = new Res("fn2", 0);
        try (fn2; var r10 = new Res("r10", 0)) { } catch (IllegalArgumentException e12) { } catch (Boom r10) { }
        return done((new int[] {4, 5, 4, 5}).length);
        """));
  }

  // ---------------------------------------------------------------------------------------------
  // Found by FuzzTest once local classes and annotations joined the generator (issue 9), fixed.

  /**
   * A call of a private method of the class (or a write of a private field) inside a local class of
   * a body that awaits, whose argument names a member of the local class: the arguments of the
   * rewritten call are copied as if outside the local class ({@code Access.call$hidden(self,
   * self.a)}), so the machine does not compile. Also through {@code this.a}, and for a write {@code
   * secret = a}. (Verbatim.copy of the arguments starts a CopyScan that does not know the classes
   * around them.)
   */
  @Test
  void privateCallInALocalClassWithAMemberOfTheLocalClassAsArgument() {
    check(new Case("privateCallInALocalClassWithAMemberOfTheLocalClassAsArgument", "String", "", """
        class K {
          int a = 1;
          int b = hidden(a);
          int m() { return hidden(this.a) + b; }
          void set() { secret = a; }
        }
        await(val(0));
        K k = new K();
        k.set();
        return done(k.m() + " " + secret);
        """));
  }

  /**
   * As above, with a field of the local class named like a field of the user's class: the machine
   * compiles and silently reads the user's field ({@code hidden(self.fld)}: 1, not 6).
   */
  @Test
  void privateCallInALocalClassWithAFieldNamedLikeTheClasssField() {
    check(new Case("privateCallInALocalClassWithAFieldNamedLikeTheClasssField", "String", "", """
        class K { int fld = 5; int m() { return hidden(fld); } }
        await(val(0));
        return done("" + new K().m());
        """));
  }

  /** The same in an anonymous class: a field it inherits ({@code Holder.v}) becomes {@code self.v}. */
  @Test
  void privateCallInAnAnonymousClassWithAnInheritedFieldAsArgument() {
    check(new Case("privateCallInAnAnonymousClassWithAnInheritedFieldAsArgument", "String", "", """
        await(val(0));
        int r = new Holder(1) { @Override int get() { return hidden(v); } }.get();
        return done("" + r);
        """));
  }

  /**
   * The neighbour in lambdas (found by hand after the fix above): a loop's local that an await made a
   * field, captured by a lambda as the argument of a private call, was read from the field when the
   * lambda ran (the last iteration's value for every lambda), not from the lambda's snapshot.
   */
  @Test
  void privateCallInALambdaWithALoopLocalKeptAcrossAnAwaitAsArgument() {
    check(new Case("privateCallInALambdaWithALoopLocalKeptAcrossAnAwaitAsArgument", "String", "", """
        List<Supplier<String>> l = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          int x = await(val(i * 10));
          l.add(() -> "" + hidden(x));
          await(val(0));
        }
        return done(all(l));
        """));
  }

  /**
   * A type annotation before the simple name of a member type of the class ({@code @Tag("x") Color
   * c}) in code the machine copies (a local no await follows, a lambda's body, a try-with-resources
   * without an await): the copy qualifies the type and keeps the annotation in front, {@code
   * @Subject.Tag("x") Subject.Color c}, which javac rejects ("scoping construct cannot be annotated
   * with type-use annotation"); {@code Subject.@Subject.Tag("x") Color} would do.
   */
  @Test
  void typeAnnotationBeforeAMemberTypeOfTheClassInCopiedCode() {
    check(new Case("typeAnnotationBeforeAMemberTypeOfTheClassInCopiedCode", "String", "", """
        await(val(0));
        @Tag("x") Color c = Color.R;
        try (@Tag("r") Res r = new Res("r", 0)) {
          trace(r.name);
        }
        Supplier<String> s = () -> {
          @Tag("l") Color d = Color.G;
          return "" + d;
        };
        return done(c + s.get());
        """));
  }

  /**
   * Its neighbours (found by hand after the fix): the same type annotation in a type argument, on an
   * array's element type, on a lambda's parameter, in a cast and beside a declaration annotation and
   * {@code final}, which stay where they are.
   */
  @Test
  void typeAnnotationOnAMemberTypeOfTheClassInTypeArgumentsArraysCastsAndParameters() {
    check(new Case("typeAnnotationOnAMemberTypeOfTheClassInTypeArgumentsArraysCastsAndParameters", "String", "",
        """
        await(val(0));
        List<@Tag("a") Color> l = new ArrayList<>(List.of(Color.R));
        @SuppressWarnings("unused") final @Tag("b") Color[] arr = {Color.G};
        java.util.function.Function<Color, String> f = (@Tag("c") Color x) -> "" + x;
        Object o = Color.R;
        Color cast = (@Tag("d") Color) o;
        @Mark(secret = 1) @Tag("e") Color both = Color.G;
        return done(l + " " + arr[0] + " " + f.apply(cast) + " " + both);
        """));
  }

  /**
   * Found by FuzzTest's default run on JDK 25 (seed 1, p219): an enum constant as a case label in
   * code the machine copies (here in an anonymous class) was qualified by its enum, because javac 21
   * and later wrap each label in a tree of its own, which the copy did not know as a label: for a
   * local enum, whose name the machine cannot write, the lowering gave up silently and the method
   * had no machine (the net's error); for a member enum, {@code case Color.R} is not Java 17. Also
   * a switch statement, a switch expression and a switch that awaits, on the class's enum and a
   * local one.
   */
  @Test
  void enumConstantsAsCaseLabelsInCopiedCodeStayUnqualified() {
    check(new Case("enumConstantsAsCaseLabelsInCopiedCodeStayUnqualified", "String", "", """
        enum En { A, B, C }
        En e = En.values()[fld % 3];
        await(val(0));
        int r = new Holder(1) { @Override int get() { return v + (switch (e) { case A -> 10; case C -> 30; default -> 20; }); } }.get();
        String s = switch (Color.G) { case R -> "r"; case G -> "g"; default -> "b"; };
        switch (e) {
          case A: s += "a"; break;
          case B: s += "b"; break;
          default: s += "c";
        }
        switch (Color.B) {
          case B -> s += await(val("B"));
          default -> s += "other";
        }
        return done(r + s);
        """));
  }

  /**
   * Found by FuzzTest (seed 12081, p951): a local class that the machine hoists read a captured local
   * of an intersection type ({@code var v = c ? "s" : new StringBuilder()}) through the machine's field
   * of the first bound, without the cast to every bound that other reads have: {@code v.length()} did
   * not compile in generated code.
   */
  @Test
  void hoistedLocalClassReadsACapturedIntersectionWithEveryBound() {
    check(new Case("hoistedLocalClassReadsACapturedIntersectionWithEveryBound", "String", "boolean a9", """
        var v10 = (a9 ? "s8" : new StringBuilder("b8"));
        class K17 {
          int a = v10.length();
          String both() { return v10.subSequence(0, 1) + "" + v10.length(); }
        }
        String r = new K17().both();
        return done("r " + await(val(r)) + new K17().a);
        """, true));
  }

  /**
   * Found by FuzzTest (seed 12101, p915): in a body without awaits, a local declared with a name used
   * by another local (a loop variable) became a field, as such locals do where awaits split the
   * body; of a local class's type, which the machine makes a member only when the body awaits, it was
   * rejected ("cannot be used inside an async lambda ... lives across an await"), a valid program.
   * Without awaits every local keeps its scope as written.
   */
  @Test
  void aLocalOfALocalClassTypeNamedLikeAnotherLocalInABodyWithoutAwaits() {
    check(new Case("aLocalOfALocalClassTypeNamedLikeAnotherLocalInABodyWithoutAwaits", "String", "int a1", """
        for (int x5 : List.of(a1, ~a1)) {
          trace("l " + x5);
        }
        class K6 {
          int b;
          K6(int x) { b = x + 1; }
        }
        var x5 = new K6(a1);
        return done("" + x5.b);
        """, 4));
  }

  /**
   * Found by FuzzTest (seed 15002, p275), the first run with generators: a generator closed at its
   * second emit (the loop left after two values) emitted again in its finally, inside a
   * try-with-resources. The close failed with "emitted a value while it was being closed" and left the
   * generator suspended at that emit, so its resources were never closed; that emit now throws the
   * IllegalStateException at the emit, as the synchronous reference does, the resources close, and the
   * generator's catch may take it.
   */
  @Test
  void aGeneratorThatEmitsWhileClosingStillClosesItsResources() {
    Case c = new Case("p275", "String", "long a1, int a2, int a3", """
        List<String> got = new ArrayList<>();
        try {
          for (String x : gens(() -> p275_g(a1, a2, a3), 2)) {
            got.add(x);
            if (got.size() == 2) break;
          }
        } catch (IllegalStateException e) {
          if (!String.valueOf(e.getMessage()).contains("while it was being closed")) throw e;
          return done("emitted while closing");
        }
        return done("got " + got);
        """, 70L, 3, 13);
    Differential.compile(List.of(c), ProgramGenerator.SHARED + """
        @Async static AsyncGenerator<String> p275_g(long a1, int a2, int a3) {
          try {
            emit(em("e " + ((a2 >= a2))));
            emit(em("e " + (a3)));
          } finally {
            try (Res r9 = (new Res("r9", 0)); ARes r10 = (new ARes("r10", 0))) {
              emit(em("e " + cut(("zz7"))));
            } catch (IllegalStateException e12) { } catch (ArithmeticException e23) { } finally { }
          }
          return finish();
        }
        """).check(c);
  }

  /**
   * Found by MutationFuzzTest (seed 192010): a {@code var} of an intersection type ({@code flag ? "abc"
   * : new StringBuilder("de")}: {@code Serializable & Comparable<...> & CharSequence}) captured by an
   * async lambda was a field of the lambda's machine typed with the first bound, read without the
   * cast to every bound that the method's own machine has: {@code text.length()} did not compile in
   * generated code ("cannot find symbol"), and an overloaded call would have chosen another method
   * than the source ({@code g(Object)} for {@code g(CharSequence)}). Its neighbours: the capture
   * read by an anonymous class, a hoisted local class, a plain lambda and a nested async lambda inside
   * the async lambda, a {@code var} of a for-each, an intersection inferred for a generic method's type
   * variable, a lambda's parameter of an intersection type, and the bounded type variable of a
   * generic {@code @Async} method (a type variable, not an intersection: the control). The reference
   * is the same source run synchronously, so each overload is the one javac picks there.
   */
  @Test
  void asyncLambdaCapturesAnIntersectionWithEveryBound() {
    List<Case> cases = List.of(
        new Case("briefs", "String", "boolean a1", """
            var text = a1 ? "abc" : new StringBuilder("de");
            Supplier<Coroutine<Integer>> s = () -> { int m = await(val(1)); return done(m + text.length()); };
            return done("r " + await(s.get()));
            """, true),
        new Case("overloads", "String", "boolean a1", """
            var text = a1 ? "abc" : new StringBuilder("de");
            await(val(0));
            Supplier<Coroutine<String>> s = () -> {
              String before = g(text) + n(text) + text.charAt(0);
              int m = await(val(1));
              return done(before + m + g(text) + n(text) + text.subSequence(0, 1) + text.length());
            };
            return done(await(s.get()) + g(text) + await(s.get()));
            """, false),
        new Case("inClassesAndLambdas", "String", "boolean a1", """
            var text = a1 ? "abc" : new StringBuilder("de");
            Supplier<Coroutine<String>> s = () -> {
              class K {
                final int a = text.length();
                String both() { return g(text) + text.subSequence(0, 1) + a; }
              }
              String r = new K().both();
              Supplier<String> anon = new Supplier<String>() {
                @Override public String get() { return g(text) + n(text) + text.length(); }
              };
              Supplier<String> plain = () -> g(text) + text.charAt(1);
              await(val(2));
              return done(r + anon.get() + plain.get() + new K().both());
            };
            return done(await(s.get()));
            """, true),
        new Case("nested", "String", "boolean a1", """
            var text = a1 ? "abc" : new StringBuilder("de");
            Supplier<Coroutine<String>> outer = () -> {
              int k = await(val(1));
              var more = k > 0 ? new StringBuilder("xyz") : "w";
              await(val(3));
              Supplier<Coroutine<String>> inner = () -> {
                await(val(2));
                return done(g(text) + text.length() + g(more) + more.charAt(0));
              };
              return done(k + await(inner.get()) + g(more));
            };
            return done(await(outer.get()));
            """, false),
        new Case("forEach", "String", "", """
            String r = "";
            for (var e : List.of("ab", new StringBuilder("cde"))) {
              Supplier<Coroutine<String>> s = () -> { await(val(e.length())); return done(g(e) + e.charAt(0)); };
              r += await(s.get());
            }
            return done(r);
            """),
        new Case("inferred", "String", "boolean a1", """
            var num = either(a1, 1, 2.5);
            Supplier<Coroutine<String>> s = () -> { await(val(0)); return done(n(num) + num.intValue()); };
            return done(await(s.get()) + await(bounded(4, 9, a1)) + await(bounded(4L, 2L, !a1)));
            """, true),
        new Case("parameter", "String", "boolean a1", """
            String r = await(use(a1 ? "abc" : new StringBuilder("de"), x -> {
              int m = await(val(1));
              return done(m + g(x) + x.length() + n(x));
            }));
            return done(r);
            """, false));
    Differential d = Differential.compile(cases, ProgramGenerator.SHARED + """
        static String g(Object o) { return "O"; }
        static String g(CharSequence s) { return "C" + s.length(); }
        static String n(Object o) { return "o"; }
        static String n(Comparable<?> c) { return "k"; }
        static <T> T either(boolean c, T a, T b) { return c ? a : b; }
        static <T> Coroutine<String> use(T t, Function<T, Coroutine<String>> f) { return f.apply(t); }
        @Async static <T extends Number & Comparable<T>> Coroutine<String> bounded(T a, T b, boolean c) {
          var mixed = c ? a : Integer.valueOf(7);
          Supplier<Coroutine<String>> s = () -> {
            int w = await(val(1));
            return done(a.compareTo(b) + " " + (a.intValue() + w) + n(a) + n(mixed) + mixed.intValue());
          };
          return done(await(s.get()));
        }
        """);
    for (Case c : cases) {
      d.check(c);
    }
  }

  /**
   * A neighbour of {@link #asyncLambdaCapturesAnIntersectionWithEveryBound}, older than it and in the
   * method's own machine too: a local of an intersection type whose first bound is not the {@code
   * AutoCloseable} one ({@code Kind & Shut}), used as a resource, {@code try (r)}. The copied {@code
   * try} declared its alias with the field's type ({@code final Kind r$1 = r}: "try-with-resources not
   * applicable to variable type"), and a lowered {@code try} (an await inside) closed the field of
   * the first bound ({@code resource$2.close()}: "cannot find symbol"), both only in generated code.
   * An {@code AsyncCloseable} that is not the first bound, of an intersection or of a type variable
   * ({@code T extends Kind & AsyncCloseable}), was closed with {@code close()}, which throws, instead
   * of an awaited {@code closeAsync()}: the lowering asked about the erasure, the first bound.
   */
  @Test
  void intersectionResourcesCloseThroughEveryBound() {
    List<Case> cases = List.of(
        new Case("ownMachine", "String", "boolean a1", """
            var r = a1 ? new Sa("r") : new Sb("r");
            await(val(1));
            try (r) { trace("in r"); }
            var q = a1 ? new Sb("q") : new Sa("q");
            try (q) { trace("in q " + await(val(2))); }
            try (var d = !a1 ? new Sa("d") : new Sb("d")) { trace("in d " + await(val(3)) + d.name()); }
            var w = a1 ? new Aa("w") : new Ab("w");
            try (w) { trace("in w " + await(val(4))); }
            return done("ok " + await(closesT(new Ab("t"))));
            """, true),
        new Case("inAsyncLambda", "String", "boolean a1", """
            var r = a1 ? new Sa("r") : new Sb("r");
            Supplier<Coroutine<String>> s = () -> { await(val(1)); try (r) { return done("s " + r.name()); } };
            Supplier<Coroutine<String>> t = () -> { try (r) { return done("t " + await(val(2))); } };
            return done(await(s.get()) + await(t.get()));
            """, false));
    Differential d = Differential.compile(cases, ProgramGenerator.SHARED + """
        interface Shut extends AutoCloseable { @Override void close(); }
        interface Kind0 extends java.io.Serializable { }
        interface Kind extends Kind0 { String name(); }
        static final class Sa implements Kind, Shut {
          private static final long serialVersionUID = 1L;
          final String n;
          Sa(String n) { this.n = n; }
          @Override public String name() { return "a" + n; }
          @Override public void close() { trace("close a " + n); }
        }
        static final class Sb implements Kind, Shut {
          private static final long serialVersionUID = 1L;
          final String n;
          Sb(String n) { this.n = n; }
          @Override public String name() { return "b" + n; }
          @Override public void close() { trace("close b " + n); }
        }
        static final class Aa implements Kind, io.awaitj.AsyncCloseable {
          private static final long serialVersionUID = 1L;
          final String n;
          Aa(String n) { this.n = n; }
          @Override public String name() { return "aa" + n; }
          @Override public Coroutine<Void> closeAsync() { trace("aclose aa " + n); return val((Void) null); }
          @Override public void close() { Aio.run(closeAsync()); } // for the synchronous reference
        }
        static final class Ab implements Kind, io.awaitj.AsyncCloseable {
          private static final long serialVersionUID = 1L;
          final String n;
          Ab(String n) { this.n = n; }
          @Override public String name() { return "ab" + n; }
          @Override public Coroutine<Void> closeAsync() { trace("aclose ab " + n); return val((Void) null); }
          @Override public void close() { Aio.run(closeAsync()); } // for the synchronous reference
        }
        @Async static <T extends Kind & io.awaitj.AsyncCloseable> Coroutine<String> closesT(T t) {
          try (t) { trace("in t " + await(val(5))); }
          return done(t.name());
        }
        """);
    for (Case c : cases) {
      d.check(c);
    }
  }

  /**
   * A neighbour of {@link #asyncLambdaCapturesAnIntersectionWithEveryBound}: a multi-catch parameter
   * that stays a Java local (its catch does not await) captured by an async lambda. Its type, a
   * union, cannot be written: the lambda's machine asked JavaPoet for it, an internal error
   * ("Unexpected type mirror"). Its type there is now javac's reading of it, the least upper bound of
   * the alternatives ({@code RuntimeException}), also in a nested async lambda and an anonymous class.
   * (Alternatives whose bound is an intersection, {@code Fa | Fb} both {@code Named}: see {@code
   * HardeningTest.multiCatchOfAnIntersectionKeepsEveryBound}.)
   */
  @Test
  void multiCatchParameterCapturedByAnAsyncLambda() {
    Case c = new Case("multiCatch", "String", "boolean a1", """
        Supplier<Coroutine<String>> s = null;
        Supplier<Coroutine<String>> t = null;
        try {
          if (a1) throw new IllegalStateException("x");
          throw new IllegalArgumentException("y");
        } catch (IllegalStateException | IllegalArgumentException e) {
          s = () -> { await(val(1)); return done(h(e) + e.getMessage()); };
          t = () -> {
            await(val(2));
            Supplier<Coroutine<String>> u = () -> { await(val(3)); return done(h(e) + e.getMessage()); };
            Runnable v = new Runnable() { @Override public void run() { trace(h(e) + e.getMessage()); } };
            v.run();
            return done(await(u.get()));
          };
        }
        String r = await(s.get()) + await(t.get());
        try {
          throw new ArithmeticException("z");
        } catch (ArithmeticException | ArrayStoreException e) {
          s = () -> { await(val(4)); return done(h(e) + e.getMessage()); };
        }
        return done(r + await(s.get()));
        """, true);
    Differential.compile(List.of(c), ProgramGenerator.SHARED + """
        static String h(Object o) { return "O"; }
        static String h(RuntimeException e) { return "R"; }
        """).check(c);
  }
}
