package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import org.junit.jupiter.api.Test;

/**
 * A suspended machine lets go of a variable, a parameter too, once no code that may run after the
 * suspension uses it (lower/LastUses): what it releases is gone, and what the code still reads after
 * the suspension, the next turn of a loop, a catch, a finally, a resource's close or a local class
 * included, is kept.
 */
class LastUseTest {

  @Test
  void aParameterNoLongerUsedIsReleasedWhileTheMachineIsSuspended() {
    Compiled c = Compiled.compile("""
        package lastuse;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import io.awaitj.Task;
        import io.awaitj.sync.Event;
        import java.lang.ref.WeakReference;
        import java.util.ArrayList;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public class Holder {
          /** Reads the array once, then waits on the gate: the array need not stay reachable. */
          @Async static Coroutine<Integer> hold(byte[] block, Object kept, Event gate) {
            int length = block.length;
            await(gate.waitSet());
            return done(length + kept.hashCode() * 0);
          }

          @Async static Coroutine<String> drive() {
            Event gate = new Event();
            List<WeakReference<Object>> refs = new ArrayList<>();
            byte[] block = new byte[1 << 20];
            Object kept = new Object();
            refs.add(new WeakReference<>(block));
            refs.add(new WeakReference<>(kept));
            Task<Integer> held = Aio.createTask(hold(block, kept, gate));
            block = null;
            kept = null;
            await(Aio.sleep(100));
            boolean blockAlive = true;
            for (int attempt = 0; attempt < 20 && blockAlive; attempt++) {
              System.gc();
              blockAlive = refs.get(0).get() != null;
            }
            boolean keptAlive = refs.get(1).get() != null;
            gate.set();
            return done(await(held) + " block alive " + blockAlive + ", kept alive " + keptAlive);
          }
        }
        """);
    assertEquals("1048576 block alive false, kept alive true",
        Aio.runVirtual(Compiled.call(c.load("lastuse.HolderAsync"), "drive")));
  }

  @Test
  void whatTheCodeStillReadsAfterASuspensionIsKept() {
    Compiled c = Compiled.compile("""
        package lastuse;

        import io.awaitj.Aio;
        import io.awaitj.AsyncCloseable;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.Supplier;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public class Reads {
          static final class Res implements AutoCloseable {
            final List<String> log;
            final String name;
            Res(List<String> log, String name) { this.log = log; this.name = name; }
            @Override public void close() { log.add("closed " + name); }
          }

          /** A parameter read by the loop's condition, next turn. */
          @Async static Coroutine<String> loopCondition(String limit) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < limit.length()) {
              await(Aio.sleep(1));
              i++;
              out.append(i);
            }
            return done(out.toString());
          }

          /** A for loop's own variable, read by its update after the body's await. */
          @Async static Coroutine<String> forInit(List<String> words) {
            StringBuilder out = new StringBuilder();
            for (var it = words.iterator(); it.hasNext(); out.append(';')) {
              String w = it.next();
              await(Aio.sleep(1));
              out.append(w);
            }
            return done(out.toString());
          }

          /** A variable of the loop's body, read before the await each turn: a new value each turn. */
          @Async static Coroutine<String> bodyVariable(List<String> words) {
            StringBuilder out = new StringBuilder();
            for (String w : words) {
              String upper = w.toUpperCase();
              out.append(upper);
              await(Aio.sleep(1));
              out.append('.');
            }
            return done(out.toString());
          }

          /** Read only before the await in the text, but again by the outer loop's next turn. */
          @Async static Coroutine<String> labeledContinue(List<String> words, String sep) {
            StringBuilder out = new StringBuilder();
            outer:
            for (int k = 0; k < 2; k++) {
              out.append(sep);
              for (String w : words) {
                await(Aio.sleep(1));
                out.append(w);
                continue outer;
              }
            }
            return done(out.toString());
          }

          /** Read by a do/while's condition, after the body's await. */
          @Async static Coroutine<String> doWhile(String stop) {
            StringBuilder out = new StringBuilder();
            do {
              await(Aio.sleep(1));
              out.append('x');
            } while (out.length() < stop.length());
            return done(out.toString());
          }

          /** Read by a catch and a finally after the await. */
          @Async static Coroutine<String> catchAndFinally(String inCatch, String inFinally) {
            StringBuilder out = new StringBuilder();
            try {
              await(Aio.sleep(1));
              throw new IllegalStateException("boom");
            } catch (IllegalStateException e) {
              out.append(inCatch);
            } finally {
              out.append(inFinally);
            }
            return done(out.toString());
          }

          /** A resource not named after the await, but closed at the end of its block. */
          @Async static Coroutine<List<String>> resource(List<String> log) {
            try (Res r = new Res(log, "r")) {
              log.add("opened " + r.name);
              await(Aio.sleep(1));
              log.add("slept");
            }
            return done(log);
          }

          /** A local class that reads a parameter when an instance is made, after the await. */
          @Async static Coroutine<String> localClass(String name) {
            class Greeter {
              String greet() { return "hello " + name; }
            }
            await(Aio.sleep(1));
            return done(new Greeter().greet());
          }

          /** A lambda made after the await captures the parameter then. */
          @Async static Coroutine<String> lambdaAfter(String name) {
            await(Aio.sleep(1));
            Supplier<String> s = () -> "hi " + name;
            return done(s.get());
          }

          /** Read in the same statement as the await, before it in the text. */
          @Async static Coroutine<String> sameStatement(String prefix) {
            return done(prefix + await(Aio.sleep(java.time.Duration.ofMillis(1), "-tail")));
          }

          /** A variable assigned again after the await, then read. */
          @Async static Coroutine<String> reassigned(String first) {
            String v = first;
            String seen = v;
            await(Aio.sleep(1));
            v = seen + "+second";
            return done(v);
          }

          @Async static Coroutine<String> all() {
            List<String> log = new ArrayList<>();
            return done(String.join(" | ",
                await(loopCondition("abc")),
                await(forInit(List.of("a", "b"))),
                await(bodyVariable(List.of("p", "q"))),
                await(labeledContinue(List.of("w", "z"), "<")),
                await(doWhile("xyz")),
                await(catchAndFinally("caught", "+finally")),
                String.join(",", await(resource(log))),
                await(localClass("you")),
                await(lambdaAfter("there")),
                await(sameStatement("head")),
                await(reassigned("first"))));
          }
        }
        """);
    String out = (String) Aio.runVirtual(Compiled.call(c.load("lastuse.ReadsAsync"), "all"));
    assertEquals("123 | a;b; | P.Q. | <w<w | xxx | caught+finally | opened r,slept,closed r"
        + " | hello you | hi there | head-tail | first+second", out);
    String generated = c.generatedSource("lastuse.ReadsAsync_loopCondition");
    assertTrue(!generated.contains("limit = null"), generated);
  }
}
