package io.awaitj.io;

import io.awaitj.Coroutine;

/**
 * The shared coroutines of {@link StreamReader}'s reads and {@link StreamWriter#drain()} (see {@link
 * Coroutine.Shared}): an await completes the read at once when the buffer allows, allocating nothing
 * but the result, and otherwise runs a new single-use read, which waits. Nested here because {@code Coroutine.Shared} is protected:
 * it belongs to the runtime's primitives, which subclass {@code Coroutine}. Never instantiated.
 */
abstract class SharedReads extends Coroutine<Void> {
  private SharedReads() {}

  /**
   * {@code read(n)}, {@code read(buffer)}, {@code readLine()}, {@code readExactly(n)}: one instance per
   * kind and arguments.
   */
  static final class Now<T> extends Coroutine.Shared<T> {
    private final StreamReader reader;
    private final int kind;
    final int n;
    private final byte[] sep;

    Now(StreamReader reader, int kind, int n, byte[] sep) {
      this.reader = reader;
      this.kind = kind;
      this.n = n;
      this.sep = sep;
    }

    Coroutine<T> call() {
      return forCall();
    }

    /** The separator, or the buffer of {@code read(byte[])}. */
    byte[] sep() {
      return sep;
    }

    @Override
    protected Object now() {
      Object r = reader.attempt(kind, n, sep);
      return r == StreamReader.NOT_YET ? WAIT : r;
    }

    @Override
    protected Coroutine<T> fresh() {
      return reader.newOp(kind, n, sep);
    }

    @Override
    public String toString() {
      return "StreamReader." + StreamReader.READ_NAMES[kind] + "()";
    }
  }

  /** The lines iterator's {@code hasNext()}: a buffered line is taken at once. */
  static final class HasNext extends Coroutine.Shared<Boolean> {
    private final StreamReader.Lines lines;

    HasNext(StreamReader.Lines lines) {
      this.lines = lines;
    }

    Coroutine<Boolean> call() {
      return forCall();
    }

    @Override
    protected Object now() {
      Object r = lines.tryNext();
      return r == StreamReader.NOT_YET ? WAIT : r;
    }

    @Override
    protected Coroutine<Boolean> fresh() {
      return lines.waitingHasNext();
    }

    @Override
    public String toString() {
      return "StreamReader lines: hasNext()";
    }
  }

  /**
   * {@link StreamWriter#drain()} while writing is not paused: one per writer, made at its first drain;
   * an await completes at once unless writing was paused since the call.
   */
  static final class Drain extends Coroutine.Shared<Void> {
    private final StreamWriter writer;

    Drain(StreamWriter writer) {
      this.writer = writer;
    }

    Coroutine<Void> call() {
      return forCall();
    }

    @Override
    protected Object now() {
      Object r = writer.drainNow();
      return r == StreamReader.NOT_YET ? WAIT : r;
    }

    @Override
    protected Coroutine<Void> fresh() {
      return writer.newDrain();
    }

    @Override
    public String toString() {
      return "StreamWriter.drain()";
    }
  }

  @Override
  protected Object step() {
    throw new AssertionError("never instantiated");
  }
}
