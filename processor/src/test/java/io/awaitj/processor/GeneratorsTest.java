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
 * Execution tests of @Async generators (issue 15): bodies that emit with {@code emit(x)}, await
 * between values and end with {@code return finish();}, consumed by async for loops that close them
 * when they are left early.
 */
class GeneratorsTest {
  static Compiled compiled;
  /** The source of {@link #compiled}. */
  static String source;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile(source = """
        package gen;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.AsyncGenerator;
        import io.awaitj.AsyncIterator;
        import io.awaitj.Coroutine;
        import io.awaitj.GeneratorExit;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.Function;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;
        import static io.awaitj.Aio.emit;
        import static io.awaitj.Aio.finish;

        public abstract class Gens {
          public static final List<String> log = new ArrayList<>();
          private int emitted;
          private static int secret = 40;

          private static void trace(String s) {
            log.add(s);
          }

          @Async
          public static AsyncGenerator<Integer> count(int n) {
            trace("start");
            try {
              for (int i = 0; i < n; i++) {
                trace("emit " + i);
                emit(i);
                await(Aio.sleep(Duration.ofSeconds(1)));
              }
              trace("end");
              return finish();
            } finally {
              trace("count finally");
            }
          }

          @Async
          public static AsyncGenerator<String> failing(int after) {
            for (int i = 0; ; i++) {
              if (i == after) {
                throw new IllegalStateException("producer failed at " + i);
              }
              emit("v" + i);
            }
          }

          @Async
          public static AsyncGenerator<Integer> asyncClose() {
            try {
              emit(1);
              emit(2);
              return finish();
            } finally {
              trace("closing");
              await(Aio.sleep(Duration.ofSeconds(5)));
              trace("closed at " + (long) Aio.loop().time());
            }
          }

          /** Every construct of a body: switch, try/catch, lambdas, local classes, private members. */
          @Async
          AsyncGenerator<String> constructs(int n) {
            record Pair(int a, int b) {}
            class Box { int v; Box(int v) { this.v = v; } }
            Function<Integer, Integer> twice = x -> 2 * x;
            Function<Integer, Coroutine<Integer>> later = x -> {
              await(Aio.sleep(1));
              return done(x + 1);
            };
            Box box = new Box(secret);
            outer:
            for (int i = 0; i < n; i++) {
              switch (i % 3) {
                case 0 -> emit("zero " + twice.apply(i));
                case 1 -> {
                  try {
                    if (i == 4) throw new IllegalArgumentException("four");
                    emit("one " + await(later.apply(i)));
                  } catch (IllegalArgumentException e) {
                    emit("caught " + e.getMessage());
                  }
                }
                default -> {
                  int j = 0;
                  while (true) {
                    if (j++ == 2) continue outer;
                    emitted++;
                    box.v++;
                    emit("two " + new Pair(i, j) + " " + box.v);
                  }
                }
              }
            }
            emit("emitted " + emitted);
            return finish();
          }

          @Async
          public static AsyncGenerator<AsyncGenerator<Integer>> ofGenerators(int n) {
            for (int i = 1; i <= n; i++) {
              emit(count(i));
            }
            return finish();
          }

          @Async
          public static AsyncGenerator<Integer> nested(int n) {
            try {
              for (AsyncGenerator<Integer> g : ofGenerators(n)) {
                for (int x : g) {
                  emit(10 * x);
                }
              }
              return finish();
            } finally {
              trace("nested finally");
            }
          }

          @Async
          public static AsyncGenerator<Integer> catchesExit() {
            try {
              emit(1);
            } catch (GeneratorExit e) {
              trace("exit caught");
              emit(2);
            }
            return finish();
          }

          @Async
          public static AsyncGenerator<Integer> emitsWhileClosing(boolean swallow) {
            try {
              emit(1);
            } finally {
              try (var scope = Aio.timeout(Duration.ofSeconds(100))) {
                trace("closing");
                emit(2);
              } catch (IllegalStateException e) {
                trace("emit failed");
                if (!swallow) throw e;
              } finally {
                trace("inner finally");
              }
            }
            return finish();
          }

          @Async
          public static AsyncGenerator<Integer> never() {
            trace("never runs");
            emit(1);
            return finish();
          }

          /** A hand-written iterable whose iterators count their closes. */
          public static final class Counted implements io.awaitj.AsyncIterable<Integer> {
            public int closes;
            final int n;
            final RuntimeException closeFailure;
            public Counted(int n, RuntimeException closeFailure) {
              this.n = n;
              this.closeFailure = closeFailure;
            }
            public AsyncIterator<Integer> asyncIterator() {
              return new AsyncIterator<Integer>() {
                int next;
                public Coroutine<Boolean> hasNext() { return done(next < n); }
                public Integer next() { return next++; }
                @Override public Coroutine<Void> closeAsync() {
                  closes++;
                  trace("iterator closed");
                  return closeFailure == null ? done() : Aio.failed(closeFailure);
                }
              };
            }
          }

          @Async
          public static Coroutine<String> firstOf(io.awaitj.AsyncIterable<?> g, int n) {
            List<Object> out = new ArrayList<>();
            for (Object x : g) {
              if (out.size() == n) {
                break;
              }
              out.add(x);
            }
            return done(out.toString());
          }

          @Async
          public static Coroutine<String> failsInLoop(io.awaitj.AsyncIterable<?> g) {
            for (Object x : g) {
              throw new IllegalArgumentException("consumer failed at " + x);
            }
            return done("none");
          }

          @Async
          public static AsyncGenerator<String> empty() {
            return finish();
          }

          @Async
          public static AsyncGenerator<Long> naturals() {
            long i = 0;
            while (true) {
              emit(i++);
            }
          }

          @Async
          public static <T> AsyncGenerator<T> repeat(T x, int n) {
            for (int i = 0; i < n; i++) {
              emit(x);
            }
            return finish();
          }

          @Async
          public static AsyncGenerator<Integer> awaitsInTheFinallyOfAClose() {
            try (var scope = Aio.timeout(Duration.ofSeconds(100))) {
              emit(1);
              emit(2);
            } finally {
              await(Aio.sleep(Duration.ofSeconds(1)));
              trace("closed by " + (long) Aio.loop().time());
            }
            return finish();
          }

          // ---- consumers

          @Async
          public static Coroutine<String> all(AsyncGenerator<?> g) {
            List<Object> out = new ArrayList<>();
            for (Object x : g) {
              out.add(x);
            }
            return done(out.toString());
          }

          @Async
          public static Coroutine<String> firstN(AsyncGenerator<?> g, int n) {
            List<Object> out = new ArrayList<>();
            for (Object x : g) {
              if (out.size() == n) {
                break;
              }
              out.add(x);
            }
            trace("after loop");
            return done(out.toString());
          }

          @Async
          public static Coroutine<String> returnsFromLoop(AsyncGenerator<?> g) {
            for (Object x : g) {
              return done("got " + x);
            }
            return done("none");
          }

          @Async
          public static Coroutine<String> throwsInLoop(AsyncGenerator<?> g) {
            try {
              for (Object x : g) {
                throw new IllegalArgumentException("consumer failed at " + x);
              }
            } catch (IllegalArgumentException e) {
              trace("caught " + e.getMessage());
            }
            return done("ok");
          }

          @Async
          public static Coroutine<String> continuesOuter(int n) {
            List<String> out = new ArrayList<>();
            outer:
            for (int round = 0; round < 2; round++) {
              for (int x : count(n)) {
                out.add(round + ":" + x);
                continue outer;
              }
            }
            return done(out.toString());
          }

          @Async
          public static Coroutine<String> byHand(AsyncGenerator<Integer> g) {
            AsyncIterator<Integer> it = g.asyncIterator();
            List<Integer> out = new ArrayList<>();
            while (await(it.hasNext())) {
              out.add(it.next());
            }
            return done(out + " then " + await(it.hasNext()));
          }

          @Async
          public static Coroutine<String> closeByHand(AsyncGenerator<Integer> g) {
            AsyncIterator<Integer> it = g.asyncIterator();
            await(it.hasNext());
            await(it.closeAsync());
            await(it.closeAsync());
            return done("closed; more: " + await(it.hasNext()));
          }

          /** The generator as the resource of an async with: closed by it, after the loop's close. */
          @Async
          public static Coroutine<String> asResource(int n, int take) {
            List<Integer> out = new ArrayList<>();
            try (AsyncGenerator<Integer> g = count(n)) {
              AsyncIterator<Integer> it = g.asyncIterator();
              while (out.size() < take && await(it.hasNext())) {
                out.add(it.next());
              }
              trace("leaving");
            }
            return done(out.toString());
          }

          /** A second step asked for while the first still runs, in another task. */
          @Async
          public static Coroutine<String> twoStepsAtOnce(AsyncGenerator<Integer> g) {
            AsyncIterator<Integer> it = g.asyncIterator();
            await(it.hasNext());
            io.awaitj.Task<Boolean> first = Aio.createTask(it.hasNext());
            await(Aio.sleep(10));
            String second;
            try {
              it.hasNext();
              second = "allowed";
            } catch (IllegalStateException e) {
              second = e.getMessage().contains("while it is running") ? "refused" : e.getMessage();
            }
            boolean more = await(first);
            int value = it.next();
            await(it.closeAsync());
            return done(second + ", then " + more + " " + value);
          }

          @Async
          public static Coroutine<String> slowConsumer(AsyncGenerator<Integer> g) {
            for (int x : g) {
              trace("consumed " + x);
              await(Aio.sleep(Duration.ofSeconds(10)));
            }
            return done("unreachable");
          }

          @Async
          public static Coroutine<String> twice(AsyncGenerator<Integer> g) {
            for (int x : g) {
              trace("first " + x);
            }
            for (int x : g) {
              trace("second " + x);
            }
            return done("unreachable");
          }

          /** depth generators, each emitting the values of the one inside it plus 1. */
          @Async
          public static AsyncGenerator<Integer> chain(int depth, int n) {
            if (depth == 0) {
              for (int i = 0; i < n; i++) {
                emit(i);
              }
              return finish();
            }
            try {
              for (int x : chain(depth - 1, n)) {
                emit(x + 1);
              }
            } finally {
              if (depth % 50 == 0) {
                trace("chain " + depth + " finally");
              }
            }
            return finish();
          }

          /** An operator chain over a generator: take(2) has enough and closes it. */
          @Async
          public static Coroutine<String> operators(int n) {
            List<Integer> got = await(io.awaitj.flow.Flows.from(count(n))
                .map(x -> x * 10).filter(x -> x != 10).take(2).toList());
            return done(got.toString());
          }

          /**
           * Booleans and nulls, the values an async for's await of its next element must not take
           * for its own signals: every third after a sleep (the body suspends, and the value reaches
           * the loop through the task), the others inline.
           */
          @Async
          public static AsyncGenerator<Boolean> flags(int n) {
            for (int i = 0; i < n; i++) {
              if (i % 3 == 2) {
                await(Aio.sleep(Duration.ofSeconds(1)));
              }
              emit(i % 4 == 3 ? null : i % 2 == 0);
            }
            return finish();
          }

          /** The flags through an operator: an iterator that is not a generator's, of Booleans. */
          @Async
          public static Coroutine<String> flagsThroughAnOperator(int n) {
            List<Boolean> out = new ArrayList<>();
            for (Boolean b : io.awaitj.flow.Flows.from(flags(n)).map(x -> x)) {
              out.add(b);
            }
            return done(out.toString());
          }

          /** Two generators advanced in turn by one loop each, the inner one nested in the outer. */
          @Async
          public static Coroutine<String> interleaved(int n) {
            List<String> out = new ArrayList<>();
            for (Integer i : count(n)) {
              for (Boolean b : flags(i + 1)) {
                out.add(i + ":" + b);
              }
            }
            return done(out.toString());
          }

          /** A generator read ahead by buffer's task, in pairs, by a slow consumer. */
          @Async
          public static Coroutine<String> bufferedPairs(int n) {
            List<String> out = new ArrayList<>();
            for (List<Integer> pair : io.awaitj.flow.Flows.from(count(n)).buffer(2).chunked(2)) {
              out.add(pair.toString());
              trace("pair " + pair);
              await(Aio.sleep(Duration.ofSeconds(10)));
            }
            return done(out.toString());
          }
        }
        """);
  }

  private static Coroutine<?> call(String method, Object... args) {
    return Compiled.call(compiled.load("gen.GensAsync"), method, args);
  }

  @SuppressWarnings("unchecked")
  private static List<String> log() {
    try {
      return (List<String>) compiled.load("gen.Gens").getField("log").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Calls a static method of GensAsync, or a method of {@code target}, returning anything. */
  private static Object gen(String method, Object... args) {
    return invoke(compiled.load("gen.GensAsync"), method, args);
  }

  private static Object invoke(Object target, String method, Object... args) {
    Class<?> c = target instanceof Class<?> k ? k : target.getClass();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (java.lang.reflect.Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == args.length) {
          try {
            m.setAccessible(true);
            return m.invoke(target instanceof Class<?> ? null : target, args);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    throw new AssertionError("no method " + method + " in " + c);
  }

  @Test
  void emitsEverythingAndFinishes() {
    log().clear();
    assertEquals("[0, 1, 2]", Aio.runVirtual(call("all", gen("count", 3))));
    assertEquals(List.of("start", "emit 0", "emit 1", "emit 2", "end", "count finally"), log());
  }

  @Test
  void lazyUntilTheFirstValueIsRequested() {
    log().clear();
    Object g = gen("count", 3);
    assertEquals(List.of(), log());
    assertEquals("[]", Aio.runVirtual(call("firstN", g, 0)));
    assertEquals(List.of("start", "emit 0", "count finally", "after loop"), log());
  }

  @Test
  void breakClosesTheGenerator() {
    log().clear();
    assertEquals("[0, 1]", Aio.runVirtual(call("firstN", gen("count", 5), 2)));
    assertEquals(List.of("start", "emit 0", "emit 1", "emit 2", "count finally", "after loop"), log());
  }

  @Test
  void returnFromTheLoopClosesTheGenerator() {
    log().clear();
    assertEquals("got 0", Aio.runVirtual(call("returnsFromLoop", gen("count", 5))));
    assertEquals(List.of("start", "emit 0", "count finally"), log());
  }

  @Test
  void anExceptionInTheConsumerClosesTheGenerator() {
    log().clear();
    assertEquals("ok", Aio.runVirtual(call("throwsInLoop", gen("count", 5))));
    assertEquals(List.of("start", "emit 0", "count finally", "caught consumer failed at 0"), log());
  }

  @Test
  void continueToAnOuterLoopClosesTheGenerator() {
    log().clear();
    assertEquals("[0:0, 1:0]", Aio.runVirtual(call("continuesOuter", 5)));
    assertEquals(List.of("start", "emit 0", "count finally", "start", "emit 0", "count finally"), log());
  }

  @Test
  void theCloseAwaitsTheGeneratorsAsyncFinally() {
    log().clear();
    assertEquals("[1]", Aio.runVirtual(call("firstN", gen("asyncClose"), 1)));
    assertEquals(List.of("closing", "closed at 5", "after loop"), log());
  }

  @Test
  void anExceptionInTheProducerReachesTheConsumerAsItIs() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(call("all", gen("failing", 2))));
    assertEquals("producer failed at 2", e.getMessage());
  }

  @Test
  void cancellingTheConsumingTaskWhileTheProducerAwaits() {
    log().clear();
    EventLoop loop = EventLoop.createVirtual();
    @SuppressWarnings("unchecked")
    Task<Object> t = loop.createTask((Coroutine<Object>) call("all", gen("count", 100)));
    loop.runUntilComplete(Aio.sleep(java.time.Duration.ofMillis(1500)));
    assertTrue(t.cancel());
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    assertEquals(List.of("start", "emit 0", "emit 1", "count finally"), log());
    loop.close();
  }

  @Test
  void theStackOfATaskSuspendedInAGeneratorShowsTheGeneratorAndItsConsumer() {
    EventLoop loop = EventLoop.createVirtual();
    @SuppressWarnings("unchecked")
    Task<Object> t = loop.createTask((Coroutine<Object>) call("all", gen("count", 100)));
    loop.runUntilComplete(Aio.sleep(java.time.Duration.ofMillis(1500)));
    List<String> frames = t.stack().stream().map(f -> f.getMethodName() + ":" + f.getLineNumber())
        .collect(java.util.stream.Collectors.toList());
    // The await in the generator, then the loop of its consumer (Gens.java lines).
    assertEquals(List.of("count:34", "all:243"), frames);
    t.cancel();
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    loop.close();
  }

  @Test
  void cancellingTheConsumingTaskWhileTheConsumerAwaitsClosesTheGenerator() {
    log().clear();
    EventLoop loop = EventLoop.createVirtual();
    @SuppressWarnings("unchecked")
    Task<Object> t = loop.createTask((Coroutine<Object>) call("slowConsumer", gen("asyncClose")));
    loop.runUntilComplete(Aio.sleep(java.time.Duration.ofSeconds(3)));
    assertTrue(t.cancel());
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    // The close ran the generator's finally, whose await worked after the cancellation.
    assertEquals(List.of("consumed 1", "closing", "closed at 8"), log());
    loop.close();
  }

  @Test
  void everyConstructWorksInAGeneratorBody() {
    Object g = invoke(compiled.instantiate("gen.GensAsync"), "constructs", 6);
    assertEquals("[zero 0, one 2, two Pair[a=2, b=1] 41, two Pair[a=2, b=2] 42, zero 6, caught four,"
        + " two Pair[a=5, b=1] 43, two Pair[a=5, b=2] 44, emitted 4]", Aio.runVirtual(call("all", g)));
  }

  @Test
  void generatorsOfGeneratorsAndNestedLoops() {
    log().clear();
    assertEquals("[0, 0, 10, 0, 10, 20]", Aio.runVirtual(call("all", gen("nested", 3))));
    assertEquals(List.of("start", "emit 0", "end", "count finally", "start", "emit 0", "emit 1", "end",
        "count finally", "start", "emit 0", "emit 1", "emit 2", "end", "count finally", "nested finally"), log());
  }

  @Test
  void aChainOfGeneratorsDeeperThanTheInlineStartsRuns() {
    // 250 generators, each iterating the next: deeper than the 100 inline starts a step may nest, so
    // some hasNext() steps are bounced to the task's driver (GeneratorMachine.Step.awaitedBy).
    log().clear();
    assertEquals("[250, 251, 252]", Aio.runVirtual(call("all", gen("chain", 250, 3))));
    assertEquals(List.of("chain 50 finally", "chain 100 finally", "chain 150 finally",
        "chain 200 finally", "chain 250 finally"), log());
  }

  @Test
  void leavingAChainOfGeneratorsEarlyClosesEveryOne() {
    log().clear();
    assertEquals("[250, 251]", Aio.runVirtual(call("firstN", gen("chain", 250, 5), 2)));
    // The close of the outermost reaches the innermost first: each finally runs after the one inside.
    assertEquals(List.of("chain 50 finally", "chain 100 finally", "chain 150 finally",
        "chain 200 finally", "chain 250 finally", "after loop"), log());
  }

  @Test
  void anOperatorChainOverAGeneratorClosesItWhenItHasEnough() {
    log().clear();
    assertEquals("[0, 20]", Aio.runVirtual(call("operators", 10)));
    assertEquals(List.of("start", "emit 0", "emit 1", "emit 2", "count finally"), log());
  }

  @Test
  void cancellingTheConsumerOfABufferedGeneratorClosesItAndLeavesNoTask() {
    log().clear();
    EventLoop loop = EventLoop.createVirtual();
    @SuppressWarnings("unchecked")
    Task<Object> t = loop.createTask((Coroutine<Object>) call("bufferedPairs", 100));
    loop.runUntilComplete(Aio.sleep(java.time.Duration.ofSeconds(15)));
    assertTrue(t.cancel());
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    List<String> log = log();
    assertEquals(List.of("start", "emit 0", "emit 1", "pair [0, 1]"), log.subList(0, 4));
    assertTrue(log.contains("pair [2, 3]"), log::toString);
    assertEquals("count finally", log.get(log.size() - 1), log::toString);
    assertEquals(List.of(), loop.allTasks().stream().filter(x -> !x.isDone()).toList());
    loop.close();
  }

  @Test
  void closingANestedGeneratorClosesTheInnerOne() {
    log().clear();
    assertEquals("[0, 0]", Aio.runVirtual(call("firstN", gen("nested", 3), 2)));
    // The third value was asked for: the inner generator was paused at its second emit.
    assertEquals(List.of("start", "emit 0", "end", "count finally", "start", "emit 0", "emit 1",
        "count finally", "nested finally", "after loop"), log());
  }

  @Test
  void iteratedByHand() {
    assertEquals("[0, 1, 2] then false", Aio.runVirtual(call("byHand", gen("count", 3))));
    log().clear();
    assertEquals("closed; more: false", Aio.runVirtual(call("closeByHand", gen("count", 3))));
    assertEquals(List.of("start", "emit 0", "count finally"), log());
  }

  @Test
  void aTryWithResourcesClosesTheGenerator() {
    log().clear();
    assertEquals("[0, 1]", Aio.runVirtual(call("asResource", 5, 2)));
    assertEquals(List.of("start", "emit 0", "emit 1", "leaving", "count finally"), log());
    log().clear();
    assertEquals("[0]", Aio.runVirtual(call("asResource", 1, 5)));
    assertEquals(List.of("start", "emit 0", "end", "count finally", "leaving"), log());
  }

  @Test
  void aGeneratorTakesOneStepAtATime() {
    assertEquals("refused, then true 1", Aio.runVirtual(call("twoStepsAtOnce", gen("count", 3))));
  }

  @Test
  void aGeneratorIteratedTwiceFails() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(call("twice", gen("count", 1))));
    assertTrue(e.getMessage().contains("iterated a second time"), e.getMessage());
  }

  @Test
  void anEmitWhileClosingFailsTheClose() {
    log().clear();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(call("firstN", gen("catchesExit"), 0)));
    assertTrue(e.getMessage().contains("emitted a value while it was being closed"), e.getMessage());
    assertEquals(List.of("exit caught"), log());
  }

  @Test
  void anEmitWhileClosingFailsAtTheEmitSoThatFinallyBlocksRun() {
    log().clear();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(call("firstN", gen("emitsWhileClosing", false), 0)));
    assertTrue(e.getMessage().contains("emitted a value while it was being closed"), e.getMessage());
    assertEquals(List.of("closing", "emit failed", "inner finally"), log());
    log().clear();
    // Caught by the generator: the close completes.
    assertEquals("[]", Aio.runVirtual(call("firstN", gen("emitsWhileClosing", true), 0)));
    assertEquals(List.of("closing", "emit failed", "inner finally", "after loop"), log());
  }

  @Test
  void closingAGeneratorThatNeverStartedRunsNothing() {
    log().clear();
    assertEquals("closed; more: false", Aio.runVirtual(call("closeByHand", gen("count", 0))));
    Object g = gen("never");
    Aio.runVirtual(((io.awaitj.AsyncGenerator<?>) g).closeAsync());
    assertEquals("[]", Aio.runVirtual(call("all", g)));
    assertEquals(List.of("start", "end", "count finally"), log());
  }

  @Test
  void everyAsyncForLeftEarlyClosesItsIterator() throws ReflectiveOperationException {
    Class<?> counted = compiled.load("gen.Gens$Counted");
    java.lang.reflect.Constructor<?> make = counted.getConstructor(int.class, RuntimeException.class);
    java.lang.reflect.Field closes = counted.getField("closes");
    Object exhausted = make.newInstance(3, null);
    assertEquals("[0, 1, 2]", Aio.runVirtual(call("firstOf", exhausted, 5)));
    assertEquals(0, closes.get(exhausted), "an exhausted iterator is not closed");
    Object left = make.newInstance(3, null);
    assertEquals("[0]", Aio.runVirtual(call("firstOf", left, 1)));
    assertEquals(1, closes.get(left), "break");
    Object failed = make.newInstance(3, null);
    assertThrows(IllegalArgumentException.class, () -> Aio.runVirtual(call("failsInLoop", failed)));
    assertEquals(1, closes.get(failed), "an exception");
  }

  @Test
  void aFailingCloseFailsTheLoopOrIsSuppressed() throws ReflectiveOperationException {
    Class<?> counted = compiled.load("gen.Gens$Counted");
    java.lang.reflect.Constructor<?> make = counted.getConstructor(int.class, RuntimeException.class);
    IllegalStateException closeFailure = new IllegalStateException("close failed");
    // Left by a break: the close's failure is the loop's.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(call("firstOf", make.newInstance(3, closeFailure), 1)));
    assertTrue(e == closeFailure);
    // Left by an exception: the close's failure is suppressed in it, as try-with-resources does.
    IllegalArgumentException primary = assertThrows(IllegalArgumentException.class,
        () -> Aio.runVirtual(call("failsInLoop", make.newInstance(3, closeFailure))));
    assertEquals(List.of(closeFailure), List.of(primary.getSuppressed()));
  }

  @Test
  void emptyEndlessAndGenericGenerators() {
    assertEquals("[]", Aio.runVirtual(call("all", gen("empty"))));
    assertEquals("[0, 1, 2]", Aio.runVirtual(call("firstN", gen("naturals"), 3)));
    assertEquals("[x, x]", Aio.runVirtual(call("all", gen("repeat", "x", 2))));
  }

  @Test
  void aCloseRunsAsyncWithBlocksAndAwaitingFinallies() {
    log().clear();
    assertEquals("[1]", Aio.runVirtual(call("firstN", gen("awaitsInTheFinallyOfAClose"), 1)));
    assertEquals(List.of("closed by 1", "after loop"), log());
  }

  @Test
  void theReadmeExampleCompiles() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    int section = readme.indexOf("### Async generators");
    int start = readme.indexOf("```java\n", section);
    int end = readme.indexOf("```", start + 8);
    assertTrue(section >= 0 && start >= 0 && end > start, "no generator example in the README");
    Compiled.compile("""
        package readme;

        import io.awaitj.Async;
        import io.awaitj.AsyncGenerator;
        import io.awaitj.Coroutine;
        import java.net.URI;
        import java.net.http.HttpClient;
        import java.net.http.HttpRequest;
        import java.net.http.HttpResponse;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;
        import static io.awaitj.Aio.emit;
        import static io.awaitj.Aio.finish;
        import static java.net.http.HttpResponse.BodyHandlers.ofString;

        public final class Pages {
          private Pages() {}

          static HttpRequest request(String url) {
            return HttpRequest.newBuilder(URI.create(url)).build();
          }

        """ + readme.substring(start + 8, end) + "}\n");
  }

  // The await of an async for's next element (Coroutine.awaitNext): a generator's body is advanced
  // directly and its values handed over as they are; other iterators go through hasNext()/next().

  @Test
  void booleansAndNullsReachTheLoopAsEmittedInlineAndAfterASuspension() {
    assertEquals("[true, false, true, null, true, false, true, null]",
        Aio.runVirtual(call("all", gen("flags", 8))));
  }

  @Test
  void booleansThroughAnOperatorReachTheLoopAsEmitted() {
    assertEquals("[true, false, true, null, true, false, true, null]",
        Aio.runVirtual(call("flagsThroughAnOperator", 8)));
  }

  @Test
  void aLoopInsideALoopAdvancesEachGeneratorInTurn() {
    log().clear();
    assertEquals("[0:true, 1:true, 1:false, 2:true, 2:false, 2:true]",
        Aio.runVirtual(call("interleaved", 3)));
    assertEquals(List.of("start", "emit 0", "emit 1", "emit 2", "end", "count finally"), log());
  }

  @Test
  void aProducerFailingAfterAnInlineResumeShowsItsLineAndTheLoopsLine() {
    // failing(2): the first value by the generator's first step, the second by an inline resume of
    // the paused body, whose next resume throws: the frames of the producer and of its consumer.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(call("all", gen("failing", 2))));
    List<String> frames = java.util.Arrays.stream(e.getStackTrace())
        .filter(f -> f.getClassName().equals("gen.Gens"))
        .map(f -> f.getMethodName() + ":" + f.getLineNumber())
        .collect(java.util.stream.Collectors.toList());
    // failing is shown at its loop's head (Gens.java:45), where the state that throws starts.
    assertEquals(List.of("failing:45", "all:243"), frames);
  }

  @Test
  void cancellingTheConsumerWhileTheBodyWaitsInsideAnInlineResumeClosesNothingTwice() {
    // flags suspends before its third value, inside a resume the loop started inline: cancelled
    // there, the body ends with the cancellation and the loop's close finds it finished.
    EventLoop loop = EventLoop.createVirtual();
    @SuppressWarnings("unchecked")
    Task<Object> t = loop.createTask((Coroutine<Object>) call("all", gen("flags", 9)));
    loop.runUntilComplete(Aio.sleep(java.time.Duration.ofMillis(500)));
    List<String> frames = t.stack().stream().map(f -> f.getMethodName())
        .collect(java.util.stream.Collectors.toList());
    assertEquals(List.of("flags", "all"), frames);
    assertTrue(t.cancel());
    assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    loop.close();
  }

  @Test
  void theNextElementThroughTheFieldsWhenTheResumeStateIsInAnotherPart() {
    // One state per part of a split step: the await of the next element and its resume state fall
    // in different methods, so the outcome goes through the machine's fields (suspendNext).
    Compiled split = Compiled.compileWith(List.of("-Aawaitj.stepPartSize=1"), source);
    assertTrue(split.generatedSource("gen.GensAsync_all").contains("suspendNext(asyncIterator"),
        () -> split.generatedSource("gen.GensAsync_all"));
    Class<?> gens = split.load("gen.GensAsync");
    java.util.function.Function<Object[], Object> gen = a -> invoke(gens, (String) a[0],
        java.util.Arrays.copyOfRange(a, 1, a.length));
    assertEquals("[0, 1, 2]", Aio.runVirtual(Compiled.call(gens, "all", gen.apply(new Object[] {"count", 3}))));
    assertEquals("[true, false, true, null, true, false, true, null]",
        Aio.runVirtual(Compiled.call(gens, "all", gen.apply(new Object[] {"flags", 8}))));
    assertEquals("[true, false, true, null, true, false, true, null]",
        Aio.runVirtual(Compiled.call(gens, "flagsThroughAnOperator", 8)));
    assertEquals("[0:true, 1:true, 1:false, 2:true, 2:false, 2:true]",
        Aio.runVirtual(Compiled.call(gens, "interleaved", 3)));
    assertEquals("[0, 1]", Aio.runVirtual(Compiled.call(gens, "firstN", gen.apply(new Object[] {"count", 5}), 2)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Aio.runVirtual(Compiled.call(gens, "all", gen.apply(new Object[] {"failing", 2}))));
    assertEquals("producer failed at 2", e.getMessage());
  }

  @Test
  void byHandAValueNobodyTookIsDroppedAndNextWithoutOneIsRefused() {
    // The states of the iterator protocol by hand (GeneratorMachine's READY: paused, a value made
    // available by hasNext() for next()): next() before any hasNext(), twice for one value, after a
    // close; a hasNext() whose value was not taken drops it and runs the body on.
    log().clear();
    EventLoop loop = EventLoop.createVirtual();
    @SuppressWarnings("unchecked")
    io.awaitj.AsyncIterator<Integer> it =
        ((io.awaitj.AsyncGenerator<Integer>) gen("count", 4)).asyncIterator();
    assertThrows(java.util.NoSuchElementException.class, it::next);
    assertTrue(loop.runUntilComplete(it.hasNext()));
    assertTrue(loop.runUntilComplete(it.hasNext())); // 0 is dropped
    assertEquals(1, it.next());
    assertThrows(java.util.NoSuchElementException.class, it::next);
    assertTrue(loop.runUntilComplete(it.hasNext()));
    loop.runUntilComplete(it.closeAsync()); // 2, made available, is dropped by the close
    assertThrows(java.util.NoSuchElementException.class, it::next);
    assertEquals(false, loop.runUntilComplete(it.hasNext()));
    assertEquals(List.of("start", "emit 0", "emit 1", "emit 2", "count finally"), log());
    loop.close();
  }
}
