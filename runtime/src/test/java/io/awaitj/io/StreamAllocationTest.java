package io.awaitj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.AllocatedBytes;
import io.awaitj.AsyncIterator;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.ObjectLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures (does not time) what reads of a {@link StreamReader} allocate when the data is there: only
 * what they return (issue 12: "no per-read allocation beyond the bytes returned"). The reader is fed
 * by hand, as a transport feeds it, before the measured reads; the reads are awaited by hand-written
 * coroutines (the runtime's tests have no processor), in the way generated code awaits.
 *
 * <p>The limits are absolute figures in bytes for the layout {@link ObjectLayout} checks: a line of 8
 * ASCII characters is a {@code String} (24 B) and its {@code byte[8]} (16 + 8 = 24 B), so 48 B; a
 * {@code byte[16]} is 32 B. One more object per read (a coroutine is 32 B or more) fails.
 */
class StreamAllocationTest {
  private static final int LINES = 100_000;
  private static final long LINE_BYTES = 48;
  private static final long ARRAY16_BYTES = 32;
  /** What a run may allocate once (the driving coroutine, its task): under 1 B a read. */
  private static final long PER_RUN = 64 * 1024;

  private EventLoop loop;

  @BeforeAll
  static void counter() {
    AllocatedBytes.require();
    ObjectLayout.requireMeasuredLayout();
  }

  @BeforeEach
  void newLoop() {
    loop = EventLoop.createVirtual();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private static long allocated() {
    return AllocatedBytes.now();
  }

  private StreamReader fedReader(byte[] data) {
    StreamReader r = new StreamReader(loop, 1 << 30);
    r.feedData(ByteBuffer.wrap(data));
    r.feedEof();
    return r;
  }

  private static byte[] lines(int n) {
    StringBuilder b = new StringBuilder(n * 9);
    for (int i = 0; i < n; i++) {
      b.append(String.format("%08d", i % 100_000_000)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The fewest bytes a run of {@code n} reads allocated, over warm-ups and runs. */
  private long perRead(java.util.function.Function<StreamReader, Coroutine<Integer>> driver,
      byte[] data, int n) {
    long best = Long.MAX_VALUE;
    for (int run = 0; run < 8; run++) {
      StreamReader r = fedReader(data);
      Coroutine<Integer> c = driver.apply(r);
      long before = allocated();
      int got = loop.runUntilComplete(c);
      long bytes = allocated() - before;
      assertEquals(n, got);
      best = Math.min(best, bytes);
    }
    return best;
  }

  @Test
  void readLineAllocatesOnlyTheLine() {
    long bytes = perRead(r -> new ReadLines(r, LINES), lines(LINES), LINES);
    assertTrue(bytes <= LINES * LINE_BYTES + PER_RUN,
        "readLine allocated " + (double) bytes / LINES + " B a line; the line is " + LINE_BYTES);
  }

  @Test
  void asyncForOverLinesAllocatesOnlyTheLines() {
    long bytes = perRead(r -> new ForLines(r), lines(LINES), LINES);
    assertTrue(bytes <= LINES * LINE_BYTES + PER_RUN,
        "async for allocated " + (double) bytes / LINES + " B a line; the line is " + LINE_BYTES);
  }

  @Test
  void readExactlyAllocatesOnlyTheBytes() {
    byte[] data = new byte[LINES * 16];
    long bytes = perRead(r -> new ReadExactly(r, LINES), data, LINES);
    assertTrue(bytes <= LINES * ARRAY16_BYTES + PER_RUN,
        "readExactly allocated " + (double) bytes / LINES + " B a read; the bytes are "
            + ARRAY16_BYTES);
  }

  @Test
  void readIntoABufferAllocatesOnlyTheCountsBox() {
    byte[] data = new byte[LINES * 200];
    long bytes = perRead(r -> new ReadInto(r, LINES), data, LINES);
    // The count, an Integer above the box cache (200): 16 B.
    assertTrue(bytes <= LINES * 16L + PER_RUN,
        "read(byte[]) allocated " + (double) bytes / LINES + " B a read; the count's box is 16");
  }

  /** {@code byte[] b = new byte[200]; for (...) await(r.read(b));} */
  static final class ReadInto extends Coroutine<Integer> {
    private final StreamReader r;
    private final int n;
    private final byte[] buffer = new byte[200];
    private int i;

    ReadInto(StreamReader r, int n) {
      this.r = r;
      this.n = n;
    }

    @Override
    protected Object step() {
      if (state == 1) {
        this.<Integer>awaitResult();
        i++;
      }
      while (i < n) {
        state = 1;
        if (suspendOn(r.read(buffer))) {
          return SUSPEND;
        }
        this.<Integer>awaitResult();
        i++;
      }
      return i;
    }
  }

  /** {@code for (int i = 0; i < n; i++) count += await(r.readLine()) != null ? 1 : 0;} */
  static final class ReadLines extends Coroutine<Integer> {
    private final StreamReader r;
    private final int n;
    private int i;

    ReadLines(StreamReader r, int n) {
      this.r = r;
      this.n = n;
    }

    @Override
    protected Object step() {
      if (state == 1) {
        if (this.<String>awaitResult() != null) {
          i++;
        }
      }
      while (i < n) {
        state = 1;
        if (suspendOn(r.readLine())) {
          return SUSPEND;
        }
        if (this.<String>awaitResult() != null) {
          i++;
        }
      }
      return i;
    }
  }

  /** {@code for (String line : r) count++;} as the processor lowers it. */
  static final class ForLines extends Coroutine<Integer> {
    private final AsyncIterator<String> it;
    private int count;

    ForLines(StreamReader r) {
      this.it = r.asyncIterator();
    }

    @Override
    protected Object step() {
      if (state == 1 && !this.<Boolean>awaitResult()) {
        return count;
      }
      if (state == 1) {
        it.next();
        count++;
      }
      while (true) {
        state = 1;
        if (suspendOn(it.hasNext())) {
          return SUSPEND;
        }
        if (!this.<Boolean>awaitResult()) {
          return count;
        }
        it.next();
        count++;
      }
    }
  }

  /** {@code for (...) await(r.readExactly(16));} */
  static final class ReadExactly extends Coroutine<Integer> {
    private final StreamReader r;
    private final int n;
    private int i;

    ReadExactly(StreamReader r, int n) {
      this.r = r;
      this.n = n;
    }

    @Override
    protected Object step() {
      if (state == 1) {
        this.<byte[]>awaitResult();
        i++;
      }
      while (i < n) {
        state = 1;
        if (suspendOn(r.readExactly(16))) {
          return SUSPEND;
        }
        this.<byte[]>awaitResult();
        i++;
      }
      return i;
    }
  }
}
