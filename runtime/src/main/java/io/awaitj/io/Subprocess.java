package io.awaitj.io;

import io.awaitj.Aio;
import io.awaitj.AsyncCloseable;
import io.awaitj.Awaitable;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.sync.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A child process started by {@link Aio#createSubprocessExec(String...)}, with its pipes as streams:
 * asyncio's {@code asyncio.subprocess.Process}. {@link #stdin()} is a {@link StreamWriter} (write, then
 * {@code drain()} for back-pressure, then {@code close()} to send the end of input), {@link #stdout()}
 * and {@link #stderr()} are {@link StreamReader}s, {@link #waitExit()} waits for the exit code, and
 * {@link #communicate(byte[])} does all of that at once:
 *
 * <pre>{@code
 * Subprocess p = await(Aio.createSubprocessExec("sort"));
 * Subprocess.Output out = await(p.communicate("b\na\n".getBytes(UTF_8)));
 * // out.exitCode() == 0, out.stdoutText() == "a\nb\n"
 * }</pre>
 *
 * In a {@code try}-with-resources of an {@code @Async} method, the block's end kills the process if it
 * still runs and waits for its exit ({@link #closeAsync()}).
 *
 * <h2>What it costs</h2>
 *
 * The JDK's process pipes block and cannot be registered with the loop's selector, so each pipe is
 * bridged by a daemon thread of its own, named {@code awaitj-subprocess-<pid>-stdout}, {@code -stderr}
 * and {@code -stdin}:
 *
 * <ul>
 *   <li>stdout and stderr: one thread each, started with the process, for as long as the pipe is open.
 *       Each reads chunks of up to 64 KiB into one of two buffers it reuses (the loop feeds one while
 *       the thread reads the other) and hands each chunk to the loop with one {@link
 *       EventLoop#callSoonThreadsafe}: one hop per chunk, never per line. When the {@link
 *       StreamReader} has more than twice its limit buffered it pauses the pipe: the thread stops
 *       reading, the OS pipe fills and the process blocks in its write, so a process that writes
 *       gigabytes holds at most the reader's buffer plus two chunks in this JVM.
 *   <li>stdin: one thread, started by the first write (never, for a process that is not written to),
 *       ending when stdin is closed or breaks. Writes are copied into a buffer it swaps for a spare one
 *       (both reused: no allocation per write); the buffered bytes count
 *       in {@code stdin().transport().writeBufferSize()}, so {@link StreamWriter#drain()} bounds them
 *       at the high-water mark (64 KiB) plus one write.
 *   <li>The exit: {@link Process#onExit()}, which rides on the reaper thread the JDK starts for every
 *       process anyway; no thread of awaitj's.
 * </ul>
 *
 * So a process costs 2 threads, 3 while its stdin is written to, plus the JDK's own reaper. Each asks
 * for a stack of {@value #THREAD_STACK_KIB} KiB (as the JDK's reaper does; the threads' calls are
 * shallow), which HotSpot raises to its floor on Linux x64: measured with Native Memory Tracking on JDK
 * 17 and 25, 136 KiB reserved and about 104 KiB committed per thread (guard zones included). Heap: two
 * 64 KiB chunk buffers per read pipe, 256 KiB a process, plus what the readers buffer.
 *
 * <p>Start overhead, measured on the project's build machine (Linux, 2 CPUs shared with other builds at
 * a load of 3 to 8, so the figures are rough), {@code true} started and awaited 200 to 300 times in a
 * row, best of 3 to 5 rounds, JDK 17 and 25 alike: {@code ProcessBuilder.start()} then {@code
 * waitFor()} alone, 1.5 to 2.7 ms a process; {@code createSubprocessExec} then {@link #waitExit()},
 * 2.0 to 4.5 ms: 0.5 to 1.8 ms more. The cost is in hand-offs between threads, so it grows with the
 * machine's load: two thread starts, and the exit travels from the JDK's reaper through {@code
 * onExit()}'s hop on the common pool to the loop, where {@code waitFor()} is woken by the reaper itself.
 * {@code SubprocessTest.startOverhead} prints the figures of each run. A redirect other than {@link
 * ProcessBuilder.Redirect#PIPE} (a file, {@code INHERIT}, {@code redirectErrorStream}) saves that
 * pipe's thread and buffers.
 *
 * <h2>Time</h2>
 *
 * A process is work this loop started, as a call of {@link Aio#toThread} is: the exit is awaited
 * through {@link EventLoop#wrapWork}, and so is the end of the stdout and stderr pipes. On a loop with
 * a virtual clock ({@link EventLoop#createVirtual()}) the clock stands still while a process runs or
 * its pipes are open, and the loop waits for it for real: its run takes no virtual time, and a virtual
 * timeout cannot expire because the clock jumped over a process that was still working (a virtual
 * test waiting for {@code sleep 60} waits a real minute, and a process blocked on a full pipe that
 * nobody reads holds the clock until it is killed). On a loop with the real clock this changes
 * nothing.
 *
 * <h2>Cancellation and closing</h2>
 *
 * Cancelling a task that waits in {@link #waitExit()}, in a read of {@link #stdout()} or {@link
 * #stderr()} or in a {@code drain()} of {@link #stdin()} (a {@link Aio#waitFor} that expires, a
 * timeout scope) leaves the process running and the streams usable: nothing read is lost (see {@link
 * StreamReader}), nothing written is dropped. Kill it with {@link #kill()} and await {@link
 * #waitExit()} again, or leave a {@code try}-with-resources block. A cancelled {@link #communicate} has
 * closed stdin if it got that far. The pipe threads end when the pipes close: when the process (and
 * every child it gave them to) exits, or after {@link #closeAsync()}. A child that outlives the process
 * and keeps its stdout does not delay {@link #waitExit()}; but when the process exits, the JDK closes
 * its own end of the stdout and stderr pipes (keeping the bytes already in them) whenever its reaper
 * gets there between two reads of the pipe's thread, so the readers may reach their end at the exit,
 * and what such a child writes later is then lost; or only when the child closes the pipe. Closing the loop does not kill
 * the process; the threads are daemons, and a thread that the loop's flow control paused notices a
 * closed loop within a second and ends, so neither the loop's {@code close()} nor the JVM's exit
 * waits for them.
 *
 * <p>Threading: the loop's thread of the loop that started it, unless a method says otherwise.
 */
public final class Subprocess implements AsyncCloseable {
  static final int THREAD_STACK_KIB = 128;

  /** The stack size the pipe threads ask for. */
  static final long THREAD_STACK = THREAD_STACK_KIB * 1024L;

  private final Process process;
  private final List<String> command;
  private final StreamWriter stdin;
  private final PipeWriteTransport stdinTransport;
  private final StreamReader stdout;
  private final PipeReadTransport stdoutTransport;
  private final StreamReader stderr;
  private final PipeReadTransport stderrTransport;

  /** Set when the exit is known on the loop: {@link #returnCode} is set then. */
  private final Event exited = new Event();
  private Integer returnCode;

  private Subprocess(EventLoop loop, Process process, ProcessBuilder builder, int limit) {
    this.process = process;
    this.command = List.copyOf(builder.command());
    String name = "awaitj-subprocess-" + process.pid() + "-";
    if (isPipe(builder.redirectInput())) {
      // StreamProtocol feeds a reader; stdin has no read side: this one is never read.
      StreamProtocol p = new StreamProtocol(new StreamReader(loop, 1), null);
      stdinTransport = new PipeWriteTransport(loop, process.getOutputStream(), p, name + "stdin");
      stdin = new StreamWriter(p);
    } else {
      stdinTransport = null;
      stdin = null;
    }
    CompletableFuture<Void> pipes = CompletableFuture.completedFuture(null);
    if (isPipe(builder.redirectOutput())) {
      stdout = new StreamReader(loop, limit);
      stdoutTransport = new PipeReadTransport(
          loop, process.getInputStream(), new StreamProtocol(stdout, null), name + "stdout");
      pipes = stdoutTransport.ended;
    } else {
      stdout = null;
      stdoutTransport = null;
    }
    if (!builder.redirectErrorStream() && isPipe(builder.redirectError())) {
      stderr = new StreamReader(loop, limit);
      stderrTransport = new PipeReadTransport(
          loop, process.getErrorStream(), new StreamProtocol(stderr, null), name + "stderr");
      pipes = CompletableFuture.allOf(pipes, stderrTransport.ended);
    } else {
      stderr = null;
      stderrTransport = null;
    }
    if (stdoutTransport != null) {
      stdoutTransport.start();
    }
    if (stderrTransport != null) {
      stderrTransport.start();
    }
    // Work the loop started (see the class comment): the exit, and the end of the read pipes.
    Promise<Process> exit = loop.wrapWork(process.onExit());
    exit.addDoneCallback(p -> exitedNow());
    if (!pipes.isDone()) {
      loop.wrapWork(pipes);
    }
  }

  private static boolean isPipe(ProcessBuilder.Redirect r) {
    return r.type() == ProcessBuilder.Redirect.Type.PIPE;
  }

  private void exitedNow() {
    if (returnCode == null) {
      returnCode = process.exitValue();
    }
    exited.set();
  }

  /**
   * {@link Aio#createSubprocessExec(ProcessBuilder)}: starts the process {@code builder} describes
   * (its command, directory, environment and redirects, read when the coroutine is awaited), with
   * readers whose limit is {@link StreamReader#DEFAULT_LIMIT}. Lazy: nothing starts until the
   * coroutine is awaited. Threading: creating the coroutine, any thread; it runs on the loop's thread.
   */
  public static Coroutine<Subprocess> exec(ProcessBuilder builder) {
    return exec(builder, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * As {@link #exec(ProcessBuilder)}, with {@code limit} for the stdout and stderr readers (the
   * longest line {@link StreamReader#readLine()} accepts, and what their flow control works around).
   * Threading: creating the coroutine, any thread; it runs on the loop's thread.
   *
   * @throws IllegalArgumentException if {@code limit <= 0} or the builder's command is empty
   */
  public static Coroutine<Subprocess> exec(ProcessBuilder builder, int limit) {
    if (builder == null) {
      throw new NullPointerException("builder");
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("the limit must be positive: " + limit);
    }
    if (builder.command().isEmpty()) {
      throw new IllegalArgumentException("the command is empty: give the program to run");
    }
    return new Start(builder, limit);
  }

  /** The start: {@link ProcessBuilder#start()} on the loop's thread, as asyncio forks on its thread. */
  private static final class Start extends Coroutine<Subprocess> {
    private final ProcessBuilder builder;
    private final int limit;

    Start(ProcessBuilder builder, int limit) {
      this.builder = builder;
      this.limit = limit;
    }

    @Override
    @SuppressWarnings("fallthrough") // a state machine's resume labels
    protected Object step() {
      Process p;
      try {
        p = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot start " + builder.command() + ": " + e.getMessage() + " (check that the program"
                + " exists and is executable, on the PATH or by its path, and that the working"
                + " directory exists)", e);
      }
      return new Subprocess(loop(), p, builder, limit);
    }

    @Override
    public String toString() {
      return "Aio.createSubprocessExec(" + builder.command() + ")";
    }
  }

  /** The process's id. Threading: any thread. */
  public long pid() {
    return process.pid();
  }

  /** The command it runs: the program and its arguments. Threading: any thread. */
  public List<String> command() {
    return command;
  }

  /**
   * The JDK's {@link Process}, for what this class does not offer. Do not use its streams (the pipe
   * threads read and write them) nor its {@code destroy} methods, which close the streams under those
   * threads: use {@link #kill()} and {@link #terminate()}. Threading: any thread.
   */
  public Process process() {
    return process;
  }

  /**
   * The writer to the process's standard input. Close it ({@link StreamWriter#close()}) to send the end
   * of input: a process like {@code cat} runs until then. Threading: the loop's thread.
   *
   * @throws IllegalStateException if stdin was redirected away from a pipe
   */
  public StreamWriter stdin() {
    if (stdin == null) {
      throw new IllegalStateException(
          "stdin of " + command + " is not a pipe (it was redirected): there is no writer");
    }
    return stdin;
  }

  /**
   * The reader of the process's standard output. Threading: the loop's thread.
   *
   * @throws IllegalStateException if stdout was redirected away from a pipe
   */
  public StreamReader stdout() {
    if (stdout == null) {
      throw new IllegalStateException(
          "stdout of " + command + " is not a pipe (it was redirected): there is no reader");
    }
    return stdout;
  }

  /**
   * The reader of the process's standard error. Threading: the loop's thread.
   *
   * @throws IllegalStateException if stderr was redirected away from a pipe or merged into stdout
   *     ({@link ProcessBuilder#redirectErrorStream(boolean)})
   */
  public StreamReader stderr() {
    if (stderr == null) {
      throw new IllegalStateException(
          "stderr of " + command + " is not a pipe (it was redirected, or merged into stdout):"
              + " there is no reader");
    }
    return stderr;
  }

  /**
   * The exit code once the loop has seen the exit, else {@code null}: asyncio's {@code returncode}. A
   * process ended by a signal has 128 plus the signal's number, as the JDK reports it (137 after
   * {@link #kill()}, 143 after {@link #terminate()}). Threading: the loop's thread.
   */
  public Integer returnCode() {
    return returnCode;
  }

  /**
   * Waits for the process to exit, and gives its exit code (as {@link #returnCode()}). Cancelling the
   * waiting task leaves the process running; await it again later. Does not read the pipes: a process
   * that fills its stdout pipe blocks until someone reads it ({@link #communicate} reads and waits).
   * Threading: the loop's thread.
   */
  public Coroutine<Integer> waitExit() {
    if (returnCode != null) {
      return Aio.done(returnCode);
    }
    return new WaitExit();
  }

  private final class WaitExit extends Coroutine<Integer> {
    @Override
    @SuppressWarnings("fallthrough") // a state machine's resume labels
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(exited.waitSet())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult();
          return returnCode;
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "Subprocess.waitExit(" + command + ")";
    }
  }

  /**
   * Sends SIGKILL: the process ends at once, with exit code 137. The pipes stay open, so what the
   * process wrote before it died can still be read, and the readers then reach the end (unless a child
   * of the process still holds the pipe). Nothing after the exit. Threading: any thread.
   *
   * <p>It goes through {@link ProcessHandle#destroyForcibly()}, not {@link Process#destroyForcibly()},
   * which also closes the JDK's end of the pipes under the reading threads (a read then fails with
   * "Stream closed" and the bytes in the pipe are lost).
   */
  public void kill() {
    process.toHandle().destroyForcibly();
  }

  /**
   * Sends SIGTERM: the process may clean up, or ignore it; unless it handles it, it ends with exit code
   * 143. The pipes stay open, as after {@link #kill()}. Nothing after the exit. Threading: any thread.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** What {@link #communicate(byte[])} gives: the exit code and everything the process wrote. */
  public record Output(int exitCode, byte[] stdout, byte[] stderr) {
    /** What the process wrote to stdout, decoded as UTF-8; {@code null} if stdout is not a pipe. */
    public String stdoutText() {
      return stdout == null ? null : new String(stdout, StandardCharsets.UTF_8);
    }

    /** What the process wrote to stderr, decoded as UTF-8; {@code null} if stderr is not a pipe. */
    public String stderrText() {
      return stderr == null ? null : new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "Output[exitCode=" + exitCode
          + ", stdout=" + (stdout == null ? "none" : stdout.length + " bytes")
          + ", stderr=" + (stderr == null ? "none" : stderr.length + " bytes") + "]";
    }
  }

  /**
   * Writes {@code input} to stdin (if not {@code null}) and closes stdin, reads stdout and stderr to
   * their ends, all at once, then waits for the exit: asyncio's {@code communicate}. A process that
   * exits without reading all its input is not an error (the broken pipe is ignored, as asyncio
   * does). A pipe that is not a pipe (redirected) is skipped, and its field of the result is {@code
   * null}. Everything the process writes is held in memory: for output larger than memory, read the
   * streams instead. Threading: the loop's thread.
   *
   * @throws IllegalStateException (when awaited) if another task is reading stdout or stderr
   */
  public Coroutine<Output> communicate(byte[] input) {
    return new Communicate(input);
  }

  private final class Communicate extends Coroutine<Output> {
    private final byte[] input;
    private byte[] out;
    private byte[] err;

    Communicate(byte[] input) {
      this.input = input;
    }

    @Override
    @SuppressWarnings("fallthrough") // a state machine's resume labels
    protected Object step() {
      switch (state) {
        case 0: {
          List<Awaitable<?>> all = new ArrayList<>(3);
          if (stdin != null) {
            all.add(new FeedStdin(input));
          }
          if (stdout != null) {
            all.add(stdout.read(-1));
          }
          if (stderr != null) {
            all.add(stderr.read(-1));
          }
          state = 1;
          if (suspendOn(Aio.gather(all))) {
            return SUSPEND;
          }
        }
        // fall through
        case 1: {
          List<Object> results = awaitResult();
          int i = stdin != null ? 1 : 0;
          out = stdout != null ? (byte[]) results.get(i++) : null;
          err = stderr != null ? (byte[]) results.get(i) : null;
          state = 2;
          if (suspendOn(waitExit())) {
            return SUSPEND;
          }
        }
        // fall through
        case 2:
          int code = this.<Integer>awaitResult();
          return new Output(code, out, err);
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "Subprocess.communicate(" + command + ")";
    }
  }

  /** communicate's stdin: writes the input, drains, closes; a broken pipe is not an error. */
  private final class FeedStdin extends Coroutine<Void> {
    private final byte[] input;

    FeedStdin(byte[] input) {
      this.input = input;
    }

    @Override
    @SuppressWarnings("fallthrough") // a state machine's resume labels
    protected Object step() {
      switch (state) {
        case 0:
          if (input != null && input.length > 0) {
            stdin.write(input);
            state = 1;
            if (suspendOn(stdin.drain())) {
              return SUSPEND;
            }
          } else {
            stdin.close();
            return null;
          }
          // fall through
        case 1:
          try {
            awaitResult();
          } catch (UncheckedIOException brokenPipe) {
            // The process exited or closed its stdin without reading everything: as asyncio.
          }
          stdin.close();
          return null;
        default:
          throw illegalState();
      }
    }
  }

  /**
   * Kills the process if it still runs ({@link #kill()}), closes stdin (dropping what is not written)
   * and the stdout and stderr pipes (bytes already read stay in the readers), and waits for the exit.
   * Threading: the loop's thread.
   */
  @Override
  public Coroutine<Void> closeAsync() {
    if (returnCode == null) {
      kill();
    }
    if (stdinTransport != null) {
      stdinTransport.abort();
    }
    if (stdoutTransport != null) {
      stdoutTransport.close();
    }
    if (stderrTransport != null) {
      stderrTransport.close();
    }
    return new CloseWait();
  }

  private final class CloseWait extends Coroutine<Void> {
    @Override
    @SuppressWarnings("fallthrough") // a state machine's resume labels
    protected Object step() {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(exited.waitSet())) {
            return SUSPEND;
          }
          // fall through
        case 1:
          awaitResult();
          return null;
        default:
          throw illegalState();
      }
    }

    @Override
    public String toString() {
      return "Subprocess.closeAsync(" + command + ")";
    }
  }

  @Override
  public String toString() {
    return "Subprocess[pid " + process.pid() + ", " + command
        + (returnCode != null ? ", exit " + returnCode : ", running") + "]";
  }
}
