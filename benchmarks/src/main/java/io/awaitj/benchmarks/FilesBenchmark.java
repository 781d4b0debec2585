package io.awaitj.benchmarks;

import io.awaitj.Aio;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The choice of mechanism behind {@code io.awaitj.io.AsyncFiles}: one positional read of {@code size}
 * bytes of a 1 MiB file (in the page cache) into a reused heap buffer, awaited by a coroutine on a
 * real-clock loop, {@value #ROUNDS} reads one after the other per invocation. The three candidates use
 * the same bounded pool of two daemon threads:
 *
 * <ul>
 *   <li>{@code fileChannelJob}: a blocking {@link FileChannel#read(ByteBuffer, long)} run on the pool
 *       by a job that is itself the {@link CompletableFuture} handed to {@link EventLoop#wrapWork}
 *       (one object per read besides the loop's own);
 *   <li>{@code fileChannelRunInExecutor}: the same read through {@link Aio#runInExecutor} with a lambda
 *       (the API's generic bridge);
 *   <li>{@code asyncFileChannel}: {@link AsynchronousFileChannel#read(ByteBuffer, long, Object,
 *       CompletionHandler)} on a channel opened with the pool, its completion handler a
 *       {@code CompletableFuture} handed to {@code wrapWork}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FilesBenchmark {
  /** Reads per invocation. */
  public static final int ROUNDS = 1_000;

  private static final int FILE_SIZE = 1 << 20;

  /** Bytes per read. */
  @Param({"4096", "65536"})
  public int size;

  private Path file;
  private ExecutorService pool;
  private FileChannel channel;
  private AsynchronousFileChannel asyncChannel;
  private ByteBuffer buffer;
  private EventLoop loop;

  /** The file, the pool and both channels. */
  @Setup(Level.Trial)
  public void setUpTrial() throws IOException {
    file = Files.createTempFile("awaitj-files-bench", ".bin");
    byte[] data = new byte[FILE_SIZE];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    Files.write(file, data);
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(2, 2, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "files-bench");
              t.setDaemon(true);
              return t;
            });
    pool = p;
    channel = FileChannel.open(file, StandardOpenOption.READ);
    asyncChannel =
        AsynchronousFileChannel.open(file, EnumSet.of(StandardOpenOption.READ), pool);
    buffer = ByteBuffer.allocate(size);
  }

  /** Closes and deletes everything. */
  @TearDown(Level.Trial)
  public void tearDownTrial() throws IOException {
    channel.close();
    asyncChannel.close();
    pool.shutdown();
    Files.deleteIfExists(file);
  }

  /** A fresh loop per iteration, made on the thread that runs the iteration. */
  @Setup(Level.Iteration)
  public void setUp() {
    loop = EventLoop.create();
  }

  /** Closes the iteration's loop. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    loop.close();
  }

  /**
   * Blocking {@code FileChannel} reads on the pool, each job its own future.
   *
   * @return the bytes read in all
   */
  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public Object fileChannelJob() {
    return loop.runUntilComplete(new Reads(this, 0));
  }

  /**
   * Blocking {@code FileChannel} reads through {@code Aio.runInExecutor}.
   *
   * @return the bytes read in all
   */
  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public Object fileChannelRunInExecutor() {
    return loop.runUntilComplete(new Reads(this, 1));
  }

  /**
   * {@code AsynchronousFileChannel} reads with a completion handler.
   *
   * @return the bytes read in all
   */
  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public Object asyncFileChannel() {
    return loop.runUntilComplete(new Reads(this, 2));
  }

  /** {@code for (i < ROUNDS) total += await(read(buffer, position));}, by the given mechanism. */
  static final class Reads extends Coroutine<Object> {
    private final FilesBenchmark b;
    private final int mechanism;
    private int i;
    private long total;

    Reads(FilesBenchmark b, int mechanism) {
      this.b = b;
      this.mechanism = mechanism;
    }

    private long position() {
      return ((long) i * b.size) % FILE_SIZE;
    }

    @Override
    @SuppressWarnings("fallthrough") // a suspension point falls through to its resume label
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            if (i >= ROUNDS) {
              return total;
            }
            b.buffer.clear();
            state = 1;
            boolean suspended;
            if (mechanism == 0) {
              FcJob job = new FcJob(b.channel, b.buffer, position());
              b.pool.execute(job);
              suspended = suspendOn(loop().wrapWork(job));
            } else if (mechanism == 1) {
              FileChannel ch = b.channel;
              ByteBuffer buf = b.buffer;
              long pos = position();
              suspended = suspendOn(Aio.runInExecutor(b.pool, () -> ch.read(buf, pos)));
            } else {
              AfcJob job = new AfcJob();
              b.asyncChannel.read(b.buffer, position(), null, job);
              suspended = suspendOn(loop().wrapWork(job));
            }
            if (suspended) {
              return SUSPEND;
            }
            // fall through
          case 1:
            total += this.<Integer>awaitResult();
            i++;
            state = 0;
            continue;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** A blocking positional read, run on the pool; the future of its result. */
  static final class FcJob extends CompletableFuture<Integer> implements Runnable {
    private final FileChannel channel;
    private final ByteBuffer dst;
    private final long position;

    FcJob(FileChannel channel, ByteBuffer dst, long position) {
      this.channel = channel;
      this.dst = dst;
      this.position = position;
    }

    @Override
    public void run() {
      try {
        complete(channel.read(dst, position));
      } catch (Throwable e) {
        completeExceptionally(e);
      }
    }
  }

  /** The completion handler of an asynchronous read; the future of its result. */
  static final class AfcJob extends CompletableFuture<Integer>
      implements CompletionHandler<Integer, Object> {
    @Override
    public void completed(Integer result, Object attachment) {
      complete(result);
    }

    @Override
    public void failed(Throwable exc, Object attachment) {
      completeExceptionally(exc);
    }
  }
}
