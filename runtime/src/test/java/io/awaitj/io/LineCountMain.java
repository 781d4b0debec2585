package io.awaitj.io;

import io.awaitj.Aio;
import java.nio.file.Path;

/**
 * The child JVM of {@link AsyncFilesTest#aFileLargerThanTheHeapIsStreamed}: counts the lines of the
 * file named by its argument with {@link AsyncFiles#lines} and prints "count checksum max-heap".
 */
public final class LineCountMain {
  private LineCountMain() {}

  /** The checksum of lines: order-sensitive, over each line's hash. */
  static long mix(long sum, String line) {
    return sum * 1_000_003L + line.hashCode();
  }

  public static void main(String[] args) {
    long[] sum = {0};
    long count =
        Aio.run(
            new LineDrivers.Drain(
                AsyncFiles.lines(Path.of(args[0])).asyncIterator(), l -> sum[0] = mix(sum[0], l)));
    System.out.println(count + " " + sum[0] + " " + Runtime.getRuntime().maxMemory());
  }
}
