package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Task;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the dump of a loop's tasks (asyncio's {@code all_tasks()} and {@code print_stack()}),
 * each task with its state, what it awaits and its chain of coroutines at their source lines;
 * printed with a virtual-time deadlock and on close in debug mode.
 */
class TaskDumpTest {
  /** Line numbers matter: the tests below name them. */
  static final String DUMP = """
      package gen;

      import io.awaitj.Aio;
      import io.awaitj.Async;
      import io.awaitj.Coroutine;
      import io.awaitj.Promise;
      import java.time.Duration;
      import static io.awaitj.Aio.await;
      import static io.awaitj.Aio.done;

      public abstract class Dump {
        @Async
        public Coroutine<Integer> leaf(Promise<Integer> gate) {
          int n = await(gate);
          return done(n);
        }

        @Async
        public Coroutine<Integer> middle(Promise<Integer> gate) {
          int n = await(leaf(gate));
          return done(n + 1);
        }

        @Async
        public Coroutine<Integer> top(Promise<Integer> gate) {
          var child = Aio.createTask(middle(gate), "child");
          var sleeper = Aio.createTask(nap(), "sleeper");
          int n = await(child);
          return done(n + await(sleeper));
        }

        @Async
        public Coroutine<Integer> nap() {
          await(Aio.sleep(Duration.ofSeconds(5)));
          return done(1);
        }
      }
      """;

  private static Object dump() {
    return Compiled.compile(DUMP).instantiate("gen.DumpAsync");
  }

  @SuppressWarnings("unchecked")
  private static Coroutine<Integer> top(Object dump, Promise<Integer> gate) {
    return (Coroutine<Integer>) Compiled.call(dump, "top", gate);
  }

  /** {@code text} with promises' identity hashes made stable. */
  private static String stable(String text) {
    return text.replaceAll("@[0-9a-f]+\\[", "@#[");
  }

  @Test
  void aDeadlockPrintsEveryTaskWithItsChain() {
    Object dump = dump();
    try (EventLoop loop = EventLoop.createVirtual()) {
      Promise<Integer> gate = loop.createPromise();
      Task<Integer> main = loop.createTask(top(dump, gate), "main");
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(main));
      String message = stable(e.getMessage());
      String dumpText = message.substring(message.indexOf('\n') + 1);
      assertEquals("""
          2 tasks not done:
          Task[main] waiting on Task[child]
          \tat gen.Dump.top(Dump.java:28)
          Task[child] waiting on Promise@#[pending]
          \tat gen.Dump.leaf(Dump.java:14)
          \tat gen.Dump.middle(Dump.java:20)
          """, dumpText, message);
    }
  }

  @Test
  void allTasksAndPrintStackShowWhereEachTaskWaits() {
    Object dump = dump();
    List<String> seen = new ArrayList<>();
    try (EventLoop loop = EventLoop.createVirtual()) {
      Promise<Integer> gate = loop.createPromise();
      Task<Integer> main = loop.createTask(top(dump, gate), "main");
      loop.callLater(java.time.Duration.ofSeconds(1), () -> {
        for (Task<?> t : io.awaitj.Aio.allTasks()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          t.printStack(new PrintStream(out, true, StandardCharsets.UTF_8));
          seen.add(stable(out.toString(StandardCharsets.UTF_8)));
        }
        gate.complete(41);
      });
      assertEquals(43, loop.runUntilComplete(main));
      assertEquals(List.of(), loop.allTasks());
    }
    seen.sort(null);
    assertEquals(List.of(
        "Task[child] waiting on Promise@#[pending]\n"
            + "\tat gen.Dump.leaf(Dump.java:14)\n"
            + "\tat gen.Dump.middle(Dump.java:20)\n",
        "Task[main] waiting on Task[child]\n"
            + "\tat gen.Dump.top(Dump.java:28)\n",
        "Task[sleeper] sleeping: Aio.sleep(PT5S) timer\n"
            + "\tat gen.Dump.nap(Dump.java:34)\n"), seen);
  }

  @Test
  void closingInDebugModeWithTasksLeftLogsThem() {
    Object dump = dump();
    List<String> logged = new ArrayList<>();
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.awaitj");
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        logged.add(stable(r.getMessage()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(handler);
    try {
      EventLoop loop = EventLoop.createVirtual();
      loop.setDebug(true);
      loop.setSlowCallbackDuration(java.time.Duration.ofHours(1)); // not the point; a loaded machine is slow
      List<String> reports = new ArrayList<>();
      loop.setExceptionHandler((message, exception) -> reports.add(message));
      Promise<Integer> gate = loop.createPromise();
      Task<Integer> main = loop.createTask(top(dump, gate), "main");
      loop.callLater(java.time.Duration.ofSeconds(1), loop::stop);
      loop.runForever();
      loop.close();
      assertEquals(true, main.isCancelled());
      assertEquals(List.of(), reports);
    } finally {
      log.removeHandler(handler);
    }
    assertEquals(List.of("""
        Closing the loop cancels the tasks not done yet: 3 tasks not done:
        Task[main] waiting on Task[child]
        \tat gen.Dump.top(Dump.java:28)
        Task[child] waiting on Promise@#[pending]
        \tat gen.Dump.leaf(Dump.java:14)
        \tat gen.Dump.middle(Dump.java:20)
        Task[sleeper] sleeping: Aio.sleep(PT5S) timer
        \tat gen.Dump.nap(Dump.java:34)
        """), logged);
  }
}
