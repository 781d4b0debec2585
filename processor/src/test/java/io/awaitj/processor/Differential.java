package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Differential testing of the transform: every case is an {@code @Async} method body, compiled once
 * through the processor and once as a plain synchronous reference in which {@code await(x)} simply runs
 * {@code x} to completion. Both record a trace of side effects ({@code trace(...)}) and end with a
 * result or an exception; the two must be identical.
 *
 * <p>In a case body, {@code val(x)} is an awaitable that really suspends (a 1 ms sleep on the
 * virtual clock) before producing {@code x}; {@code ready(x)} is one that is already complete.
 */
public final class Differential {

  /** One case: a method {@code name} with the given signature and body. */
  public record Case(String name, String returnType, String params, String body, Object... args) {}

  /**
   * The most entries a trace may hold: a transform that breaks a loop makes the machine throw {@link
   * #RUNAWAY} (an {@code Error}, which no case catches) instead of filling the heap.
   */
  public static final int MAX_TRACE = 50_000;

  /** The message of the error a runaway trace throws. */
  public static final String RUNAWAY = "runaway: the trace is full";

  private static final String PRELUDE = """
      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.AsyncGenerator;
      import io.awaitj.Coroutine;
      import io.awaitj.CancelledError;
      import java.time.Duration;
      import java.util.*;
      import java.util.function.*;
      import static io.awaitj.Aio.done;
      """;

  /**
   * The compilation unit of class {@code pkg.Subject} holding {@code cases} and {@code extra}: with
   * {@code @Async} methods when {@code async}, else as the synchronous reference.
   */
  public static String source(String pkg, boolean async, List<Case> cases, String extra) {
    StringBuilder b = new StringBuilder("package " + pkg + ";\n\n").append(PRELUDE);
    if (async) {
      b.append("import static io.awaitj.Aio.await;\n");
      b.append("import static io.awaitj.Aio.emit;\n");
      b.append("import static io.awaitj.Aio.finish;\n");
    }
    b.append("\npublic abstract class Subject {\n");
    b.append("  public static final List<String> log = new ArrayList<>();\n");
    b.append("  static void trace(Object o) {\n")
        .append("    if (log.size() >= " + MAX_TRACE + ") throw new Error(\"" + RUNAWAY + "\");\n")
        .append("    log.add(String.valueOf(o));\n")
        .append("  }\n");
    b.append("  static <T> Coroutine<T> ready(T x) { return Aio.done(x); }\n");
    if (async) {
      b.append("  static <T> Coroutine<T> val(T x) { trace(\"val \" + x); return Aio.sleep(Duration.ofMillis(1), x); }\n");
    } else {
      b.append("  static <T> Coroutine<T> val(T x) { trace(\"val \" + x); return Aio.done(x); }\n");
      b.append("  static <T> T await(Coroutine<T> c) { return Aio.run(c); }\n");
    }
    b.append(async ? GENERATORS_ASYNC : GENERATORS_SYNC);
    b.append(async ? extra : extra.replace("@Async", ""));
    for (Case c : cases) {
      b.append("\n  ").append(async ? "@Async " : "").append("Coroutine<").append(c.returnType)
          .append("> ").append(c.name).append("(").append(c.params).append(") {\n")
          .append(c.body.indent(4)).append("  }\n");
    }
    b.append("}\n");
    return b.toString();
  }

  /**
   * Generators in the state machine: {@code gens(() -> g(...), limit)} is the generator itself
   * (the case leaves its loop after {@code limit} values, if positive, which closes the generator);
   * {@code em(x)} traces what a generator body is about to emit.
   */
  private static final String GENERATORS_ASYNC = """
        static String em(String s) { trace("emit " + s); return s; }
        static <T> AsyncGenerator<T> gens(Supplier<AsyncGenerator<T>> g, int limit) { return g.get(); }
      """;

  /**
   * Generators in the synchronous reference: the body runs at once, inside {@code gens}, and what it
   * emits is collected into a list, which the case then iterates. Once {@code limit} values are
   * collected, the emit of the last one throws {@code GeneratorExit}, as the close of a loop left
   * there does in the state machine, and an emit after that fails as it does there.
   */
  private static final String GENERATORS_SYNC = """
        static String em(String s) { trace("emit " + s); return s; }
        static final class Collected$ {
          final List<Object> values = new ArrayList<>();
          final int limit;
          boolean closing;
          Collected$(int limit) { this.limit = limit; }
        }
        static final ArrayDeque<Collected$> collecting$ = new ArrayDeque<>();
        static <T> void emit(T x) {
          Collected$ c = collecting$.peek();
          if (c.closing) {
            throw new IllegalStateException("the generator emitted a value while it was being closed");
          }
          c.values.add(x);
          if (c.values.size() == c.limit) {
            c.closing = true;
            try {
              var exit = io.awaitj.GeneratorExit.class.getDeclaredConstructor();
              exit.setAccessible(true);
              throw exit.newInstance();
            } catch (ReflectiveOperationException e) {
              throw new AssertionError(e);
            }
          }
        }
        static final class Listed$<T> implements AsyncGenerator<T> {
          final List<T> values;
          Listed$(List<T> values) { this.values = values; }
          @Override public Iterator<T> iterator() { return values.iterator(); }
          @Override public io.awaitj.AsyncIterator<T> asyncIterator() { throw new AssertionError(); }
          @Override public Coroutine<Void> closeAsync() { return Aio.done(); }
        }
        @SuppressWarnings("unchecked")
        static <T> AsyncGenerator<T> finish() {
          return new Listed$<>((List<T>) collecting$.peek().values);
        }
        @SuppressWarnings("unchecked")
        static <T> AsyncGenerator<T> gens(Supplier<AsyncGenerator<T>> g, int limit) {
          Collected$ c = new Collected$(limit);
          collecting$.push(c);
          try {
            return g.get();
          } catch (io.awaitj.GeneratorExit e) {
            return new Listed$<>((List<T>) c.values);
          } finally {
            collecting$.pop();
          }
        }
      """;

  private final Compiled compiled;
  private final List<Case> cases;

  /** A differential over an existing compilation of {@link #source} in both forms. */
  public Differential(Compiled compiled, List<Case> cases) {
    this.compiled = compiled;
    this.cases = cases;
  }

  /** Compiles all cases in both forms (one compilation). {@code extra} holds shared members. */
  public static Differential compile(List<Case> cases, String extra) {
    return compile(cases, extra, List.of());
  }

  /** Compiles all cases in both forms with javac options {@code options} besides the usual ones. */
  public static Differential compile(List<Case> cases, String extra, List<String> options) {
    String asyncSource = source("a", true, cases, extra);
    String syncSource = source("s", false, cases, extra);
    String syncImpl = "package s;\npublic class SubjectImpl extends Subject {}\n";
    return new Differential(Compiled.compileWith(options, asyncSource, syncSource, syncImpl), cases);
  }

  public List<Case> cases() {
    return cases;
  }

  public Compiled compiled() {
    return compiled;
  }

  /** Runs case {@code c} both ways and asserts identical traces and outcomes. */
  public void check(Case c) {
    Outcome async = run("a.SubjectAsync", c, co -> Aio.runVirtual(co));
    Outcome sync = run("s.SubjectImpl", c, co -> Aio.run(co));
    if (async.trace.size() >= MAX_TRACE || sync.trace.size() >= MAX_TRACE) {
      fail("case " + c.name + " ran away (" + MAX_TRACE + " trace entries): state machine "
          + async.result + ", synchronous body " + sync.result);
    }
    assertEquals(sync, async, "case " + c.name + ": the state machine differs from the synchronous body");
  }

  /** What a run produced: its trace and its result (or exception). */
  public record Outcome(List<String> trace, String result) {}

  @SuppressWarnings("unchecked")
  private Outcome run(String className, Case c, Function<Coroutine<Object>, Object> runner) {
    Object subject = compiled.instantiate(className);
    List<String> log = log(subject.getClass());
    log.clear();
    String result;
    try {
      Method m = find(subject.getClass(), c.name);
      m.setAccessible(true);
      Coroutine<Object> co = (Coroutine<Object>) m.invoke(subject, c.args);
      result = "value:" + runner.apply(co);
    } catch (InvocationTargetException e) {
      result = "threw:" + describe(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    } catch (Throwable t) {
      result = "threw:" + describe(t);
    }
    return new Outcome(new ArrayList<>(log), result);
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }

  @SuppressWarnings("unchecked")
  private static List<String> log(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      try {
        Field f = k.getDeclaredField("log");
        return (List<String>) f.get(null);
      } catch (NoSuchFieldException e) {
        continue;
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no log");
  }

  private static Method find(Class<?> c, String name) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(name)) {
          return m;
        }
      }
    }
    throw new AssertionError("no method " + name);
  }
}
