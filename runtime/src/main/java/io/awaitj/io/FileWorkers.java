package io.awaitj.io;

import io.awaitj.EventLoop;
import io.awaitj.Promise;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that make the blocking {@link java.nio.channels.FileChannel} calls of this package: one
 * pool for the whole JVM, shared by every loop, of at most {@link #THREADS} daemon threads, started on
 * demand and stopped after {@value #KEEP_ALIVE_SECONDS} s idle. Jobs beyond that wait in its queue, so
 * file I/O never starts more threads than that, however many tasks await it.
 */
final class FileWorkers {
  private FileWorkers() {}

  /**
   * The pool's size: the system property {@code io.awaitj.fileThreads}, or else twice the processors,
   * at least 4 and at most 16 (a thread blocked on a disk uses no processor).
   */
  static final int THREADS =
      Math.max(1, Integer.getInteger("io.awaitj.fileThreads",
          Math.max(4, Math.min(16, 2 * Runtime.getRuntime().availableProcessors()))));

  static final int KEEP_ALIVE_SECONDS = 10;

  private static final ThreadPoolExecutor POOL = createPool();

  private static ThreadPoolExecutor createPool() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory f =
        r -> {
          Thread t = new Thread(r, "awaitj-file-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(THREADS, THREADS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), f);
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  /** Runs {@code job} on the pool. Any thread. */
  static void execute(Runnable job) {
    POOL.execute(job);
  }

  /**
   * Runs {@code job} on the pool and returns a promise of {@code loop} for its outcome (see {@link
   * EventLoop#wrapWork}: a virtual clock stands still until it is done; cancelling the promise cancels
   * the job, which then does nothing if it has not started). Threading: {@code loop}'s thread.
   */
  static <T> Promise<T> submit(EventLoop loop, FileJob<T> job) {
    job.loop = loop;
    POOL.execute(job);
    return loop.wrapWork(job);
  }
}
