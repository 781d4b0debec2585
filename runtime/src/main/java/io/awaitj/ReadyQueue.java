package io.awaitj;

import java.util.function.Consumer;

/**
 * The event loop's ready queue (the table on {@code EventLoop.ready} says what is in it): a FIFO of
 * references in fixed-size chunks linked one to the next, instead of one array that grows.
 *
 * <pre>
 *   head chunk                      ...                 tail chunk
 *   [ null null e e e ... e | next ] -> ... -> [ e e e null ... null | null ]
 *          headIndex ^                              tailIndex ^
 * </pre>
 *
 * Why chunks: a burst of a million tasks created at once queues a million slots. An array that grows
 * copies itself at each growth, and past half a G1 region (a few hundred thousand references) every
 * copy is a humongous object, allocated outside the young generation and able to start a concurrent
 * cycle. A chunk is {@value #CHUNK} references (4 KB), allocated like any small object and never
 * copied; a chunk the head has left is kept for the tail, so a steady queue of any length allocates
 * nothing, and neither does a second burst as large as the first. The loop keeps the chunks of its
 * largest burst, as the {@code ArrayDeque} kept its largest array (4 KB for 1024 slots, against the
 * array's 4 to 6 bytes a slot): with fewer kept, the wake-ups of a million sleeping tasks allocated
 * new chunks in the young generation (3.5 B a task).
 *
 * <p>When the queue empties, both ends go back to the start of the head chunk, so a short queue (one
 * task yielding, a few callbacks) stays in the first slots of one chunk. A new loop's first chunk is
 * small ({@value #FIRST_CHUNK} references, as the {@code ArrayDeque} it replaces), so that a loop made
 * for one short run costs no more than before; once the head leaves it, it is dropped. The last slot
 * of a chunk holds the next chunk (in a spare chunk, the next spare); a chunk's elements are the slots
 * before it, {@code chunk.length - 1}. Loop thread only.
 */
final class ReadyQueue {
  /** Elements per chunk; the chunk has one more slot, the link. */
  static final int CHUNK = 1024;

  /** Elements of a new queue's first chunk. */
  static final int FIRST_CHUNK = 16;

  /** The chunk polled from, and the index of its next element. */
  private Object[] head;

  private int headIndex;

  /** The chunk added to, and the index of its next free slot ({@code CHUNK}: full). */
  private Object[] tail;

  private int tailIndex;

  private int size;

  /** Chunks the head has left, linked through their last slot. */
  private Object[] spares;

  ReadyQueue() {
    head = tail = new Object[FIRST_CHUNK + 1];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Appends {@code e} (not {@code null}). */
  void add(Object e) {
    Object[] c = tail;
    int i = tailIndex;
    if (i == c.length - 1) {
      c = linkChunk(c);
      i = 0;
    }
    c[i] = e;
    tailIndex = i + 1;
    size++;
  }

  /** Takes out the first element; {@code null} if there is none. */
  Object poll() {
    if (size == 0) {
      return null;
    }
    Object[] c = head;
    int i = headIndex;
    if (i == c.length - 1) {
      c = nextChunk(c);
      i = 0;
    }
    Object e = c[i];
    c[i] = null;
    if (--size == 0) {
      // Empty: both ends back to the start of this chunk (then head == tail).
      headIndex = 0;
      tailIndex = 0;
    } else {
      headIndex = i + 1;
    }
    return e;
  }

  /** Calls {@code action} with each element, first to last. For {@code close()}: not fast. */
  void forEach(Consumer<Object> action) {
    Object[] c = head;
    int i = headIndex;
    for (int n = size; n > 0; n--) {
      if (i == c.length - 1) {
        c = (Object[]) c[i];
        i = 0;
      }
      action.accept(c[i++]);
    }
  }

  /** Drops every element and every spare chunk. */
  void clear() {
    while (size > 0) {
      poll();
    }
    spares = null;
  }

  /** The tail chunk {@code full} is full: links a spare or new chunk after it and makes it the tail. */
  private Object[] linkChunk(Object[] full) {
    Object[] c = spares;
    if (c != null) {
      spares = (Object[]) c[CHUNK];
      c[CHUNK] = null;
    } else {
      c = new Object[CHUNK + 1];
    }
    full[full.length - 1] = c;
    tail = c;
    return c;
  }

  /**
   * The head chunk {@code done} is used up: makes the next one the head, keeps {@code done} spare (a
   * first chunk, smaller, is dropped).
   */
  private Object[] nextChunk(Object[] done) {
    int link = done.length - 1;
    Object[] c = (Object[]) done[link];
    head = c;
    if (link == CHUNK) {
      done[CHUNK] = spares;
      spares = done;
    } else {
      done[link] = null;
    }
    return c;
  }
}
