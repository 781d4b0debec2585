package io.awaitj;

import java.util.Arrays;
import java.util.List;

/**
 * The loop's timers: one binary min-heap ordered by (deadline, sequence), whose entries are of three kinds.
 *
 * <pre>
 *   entry        made by                   its key                          leaves the heap
 *   -----------  ------------------------  -------------------------------  ------------------------------
 *   TimerHandle  callAt, Timeout's         its own (deadline, sequence)     when due (pollDue), or cancelled
 *                reschedule(long) (and a
 *                relative timer when the
 *                clock went back, or whose
 *                delay has no queue while
 *                many are in use, below)
 *   SleepQueue   the first Aio.sleep(d),   the earlier (deadline,           when its last task and timer
 *                callLater(d) or timeout   sequence) of its first task      are due or cancelled (it stays
 *                of d (Aio.timeout(d),     and its first timer              in the table of queues, empty,
 *                Aio.waitFor(x, d),                                         for the next)
 *                Timeout.reschedule(d),
 *                Aio.wait/asCompleted's
 *                timeout) while some task
 *                sleeps d or some timer
 *                of d waits
 *   Task         an Aio.sleep(d) whose     its own (deadline, sequence)     when due, or cancelled
 *                delay has no queue while
 *                many are in use (below)
 * </pre>
 *
 * A {@link SleepQueue} is the FIFO of one delay: the tasks sleeping it and the timers set for it, two
 * lists. The clock never goes back, so tasks sleeping the same delay arrive in deadline order, and so
 * do timers of the same delay: appending keeps each list sorted, and only the earlier of the two
 * first entries needs a place in the heap. A sleep or a timeout is O(1) in and out (a cancellation
 * unlinks it from its neighbours), and a million tasks sleeping the same delay, or a million timeouts
 * of one delay, are one heap entry. A timeout usually ends cancelled, long before its deadline, and
 * the oldest first: in the heap that was an O(log n) removal through a big array per timeout. The
 * task and the timer are their own nodes (a task's deadline, sequence and links are fields of {@link
 * Task}, a timer's of {@link TimerHandle}), so neither allocates here. Entries due at the same
 * instant keep the order they were set in, whatever holds them: every sleep and timer takes the next
 * sequence number, and the heap compares (deadline, sequence) whatever the entry.
 *
 * <p>Virtual clocks only move forward; should a clock ever go back, a sleep is put in its place in
 * its list (searching back from the end), and a timer due before its queue's last one goes into the
 * heap as a {@code callAt} timer would: its list stays sorted and appending a timer never searches.
 *
 * <p>The keys live in the heap's own array beside the entries ({@link #keys}), so a sift compares
 * longs in one array instead of following a pointer per comparison. Each entry knows its index, so
 * removing one (a cancelled timer of {@code callAt}, an emptied queue) is O(log n): nothing
 * accumulates, nothing is rebuilt.
 *
 * <p>A sleeping task waits on itself ({@code Task.waitingOn}), never on its queue: the queue of a task
 * at an end of one (needed to move its {@code head} or {@code tail} when that task is cancelled) is
 * found in a second table, keyed by the task's sequence number ({@link #ends}), which holds the
 * first and the last task of every queue. Why not a reference from the task: a task that sleeps
 * long is usually old and its queue in another heap region, so each such reference stored in it is
 * a card for G1 to refine; at the front of a queue that is one per wake-up, and a million tasks
 * waking kept the loop thread refining cards for as long again as the wake-ups took. A table's
 * slots are longs and a few references in one small array. A timer is different: it is made for
 * one wait, so its queue is stored in it when it is made, while it is young, which costs no card, and
 * never changed ({@code TimerHandle.owner}); leaving its queue stores nulls and an int into it. So a
 * timer finds its queue without the table of ends, and a timeout of 30 s, old when it is cancelled,
 * costs G1 no more than its links to its neighbours (made one after the other, usually in its region).
 *
 * <p>The queues are found by their delay in an open-addressing table ({@link #queues}), one for
 * sleeps and timers alike; the last queue of a sleep and of a timer are remembered apart, so a task
 * that sleeps one delay inside a timeout of another seldom reads the table. A queue that empties
 * leaves the heap and stays in the table, for the next sleep or timer of its delay; when the table
 * holds more than twice as many queues as are in use (and more than {@value #KEPT_EMPTY_QUEUES}), the
 * empty ones are swept out, so a program that waits ever new delays keeps no more queues than it
 * uses (the first sleep or timer of a new delay allocates its queue). While the table holds
 * {@value #KEPT_EMPTY_QUEUES} queues or more, a timer or a sleeping task whose delay has no queue goes
 * into the heap itself, unless its delay was seen lately ({@link #sharedQueue}): timeouts and sleeps
 * whose delays are all different (the time left until a deadline, a random jitter) cost a heap entry
 * each, not a queue each. A sleeping task in the heap keeps its index in its {@code sleepSequence}
 * ({@link #NOT_IN_HEAP}). Loop thread only.
 */
final class TimerHeap {
  /**
   * Empty queues the table may keep however few are in use; and the queues in the table from which on
   * a new delay gets a queue only if it repeats ({@link #sharedQueue}).
   */
  private static final int KEPT_EMPTY_QUEUES = 32;

  /**
   * Slots of {@link #seenDelays}, a power of two; it is emptied when half full, so a delay that repeats
   * within about {@code SEEN_DELAYS / 2} others that found no queue, while its last one waits, gets one.
   */
  private static final int SEEN_DELAYS = 4096;

  /**
   * The heap, {@code [0, size)}: {@link TimerHandle}s of {@code callAt} (and of delays without a
   * queue), {@link SleepQueue}s, and sleeping {@link Task}s of delays without a queue.
   */
  private Object[] entries = new Object[16];

  /** {@code keys[2 * i]} and {@code keys[2 * i + 1]}: the deadline and sequence of {@code entries[i]}. */
  private long[] keys = new long[32];

  private int size;

  /** Timers of callLater and callAt: in the heap, or in the queue of their delay. */
  private int handles;

  /** Tasks in the sleep queues. */
  private int sleepers;

  /**
   * The queues by delay, empty or not: open addressing with linear probing, a power of two long, at
   * most half full. Every queue that holds a task or a timer is here.
   */
  private SleepQueue[] queues = new SleepQueue[16];

  private int queueCount;

  /** Queues that hold a task or a timer: those in the heap. */
  private int queuesInUse;

  /** The queue of the last sleep: most programs sleep few delays, so the table is rarely read. */
  private SleepQueue lastQueue;

  /**
   * The queue of the last timer of a relative delay: apart from {@link #lastQueue}, so that a task
   * that sleeps one delay inside a timeout of another finds both without the table.
   */
  private SleepQueue lastTimerQueue;

  /** The first and last task of every queue that holds one, by the task's sequence number. */
  private final EndTable ends = new EndTable();

  /**
   * Delays that found no queue lately, and the deadline of the last timer or sleep of each (see {@link
   * #seenWaiting}): {@code seenDelays[2 * i]} is {@code ~delay} (a delay is never negative, so 0 is a
   * free slot), {@code seenDelays[2 * i + 1]} the deadline. Open addressing, made with the first.
   */
  private long[] seenDelays;

  /** Delays in {@link #seenDelays}. */
  private int seenCount;

  /** The loop whose timers these are. */
  private final EventLoop loop;

  TimerHeap(EventLoop loop) {
    this.loop = loop;
  }

  /** Timers and sleeping tasks. */
  int size() {
    return handles + sleepers;
  }

  /** Tasks sleeping in the queues. */
  int sleepers() {
    return sleepers;
  }

  /** The deadline of the first entry, or {@link EventLoop#NEVER} if there is none. */
  long firstDeadline() {
    return size == 0 ? EventLoop.NEVER : keys[0];
  }

  /** Puts {@code t} in the heap: a timer of an absolute deadline (callAt). */
  void add(TimerHandle t) {
    insert(t, t.deadline, t.sequence);
    handles++;
  }

  /**
   * Makes the timer of {@code callback} due {@code delay} from now, at {@code deadline} (not {@link
   * EventLoop#NEVER}), and puts it at the end of the queue of {@code delay}: O(1). If the clock went
   * back since the queue's last timer was made (the new one is due before it), the timer goes into
   * the heap instead, as a timer of {@code callAt}: a queue stays sorted and appending never searches.
   * So does a timer whose delay gets no queue ({@link #sharedQueue}).
   */
  TimerHandle addLater(Runnable callback, long delay, long deadline, long sequence) {
    SleepQueue q = lastTimerQueue;
    if (q == null || q.delay != delay) {
      q = sharedQueue(delay, deadline);
      if (q != null) {
        lastTimerQueue = q;
      }
    }
    if (q == null || (q.lastTimer != null && q.lastTimer.deadline > deadline)) {
      TimerHandle t = new TimerHandle(loop, callback, deadline, sequence);
      add(t);
      return t;
    }
    TimerHandle last = q.lastTimer;
    TimerHandle t = new TimerHandle(q, callback, deadline, sequence);
    t.heapIndex = TimerHandle.IN_QUEUE;
    t.prev = last;
    if (last == null) {
      q.firstTimer = t;
    } else {
      last.next = t;
    }
    q.lastTimer = t;
    handles++;
    joined(q, deadline, sequence);
    return t;
  }

  /** Takes the timer {@code t} out before it is due, if it is still in the heap or a queue. */
  void remove(TimerHandle t) {
    if (t.heapIndex == TimerHandle.IN_QUEUE) {
      SleepQueue q = t.queue();
      boolean wasKey = keys[2 * q.heapIndex + 1] == t.sequence;
      unlinkTimer(q, t);
      handles--;
      if (wasKey) {
        firstChanged(q);
      }
      return;
    }
    int i = t.heapIndex;
    if (i >= 0 && i < size && entries[i] == t) {
      removeAt(i);
      handles--;
    }
  }

  /**
   * Puts {@code t} to sleep in the queue of {@code delay} until {@code deadline}, or, if that delay
   * gets no queue ({@link #sharedQueue}), into the heap itself. The task's links must be free (it is
   * off the loop's list of live tasks); it waits on itself (see {@link TimerHeap}).
   *
   * @return the queue, or {@code null} for the heap
   */
  SleepQueue addSleeper(Task<?> t, long delay, long deadline, long sequence) {
    SleepQueue q = lastQueue;
    t.sleepDeadline = deadline;
    if (q == null || q.delay != delay) {
      q = sharedQueue(delay, deadline);
      if (q == null) {
        insert(t, deadline, sequence); // a delay of its own: the task is its own heap entry
        sleepers++;
        return null;
      }
      lastQueue = q;
    }
    t.sleepSequence = sequence;
    append(q, t);
    sleepers++;
    joined(q, deadline, sequence);
    return q;
  }

  /**
   * Takes the sleeping task {@code t} out of its queue before its deadline: if it is an end of its
   * queue, found in the table of ends; otherwise it has a task on each side, and unlinking it changes
   * nothing else.
   */
  void removeSleeper(Task<?> t) {
    sleepers--;
    if (inHeap(t)) {
      removeAt(heapIndexOf(t));
      return;
    }
    boolean wasFirst = t.prevLive == null;
    SleepQueue q = wasFirst || t.nextLive == null ? ends.get(t.sleepSequence) : null;
    unlink(q, t);
    if (wasFirst) {
      firstChanged(q);
    }
  }

  /**
   * The queue of the sleeping task {@code t}, found at the nearer end of it; {@code null} if the task
   * is in the heap itself.
   */
  SleepQueue queueOf(Task<?> t) {
    if (inHeap(t)) {
      return null;
    }
    for (Task<?> back = t, ahead = t; ; back = back.prevLive, ahead = ahead.nextLive) {
      if (back.prevLive == null) {
        return ends.get(back.sleepSequence);
      }
      if (ahead.nextLive == null) {
        return ends.get(ahead.sleepSequence);
      }
    }
  }

  /**
   * The first entry, taken out, if it is due at {@code now}: a {@link TimerHandle}, from the heap or
   * from the front of a queue, or the first task of a queue (taken out of its queue, its links free);
   * {@code null} if nothing is due.
   */
  Ready pollDue(long now) {
    if (size == 0 || keys[0] > now) {
      return null;
    }
    Object e = entries[0];
    if (e instanceof TimerHandle t) {
      removeAt(0);
      handles--;
      return t;
    }
    if (e instanceof Task<?> t) {
      removeAt(0); // its links are free: it was in no queue
      sleepers--;
      return t;
    }
    SleepQueue q = (SleepQueue) e;
    TimerHandle h = q.firstTimer;
    if (h != null && h.sequence == keys[1]) {
      // Sequence numbers are unique: the queue's key is its first timer's, not its first task's.
      remove(h);
      return h;
    }
    Task<?> t = q.head;
    unlink(q, t);
    sleepers--;
    firstChanged(q);
    return t;
  }

  /** Adds every sleeping task to {@code out}. */
  void addSleepersTo(List<Task<?>> out) {
    forEachSleeper((t, q) -> out.add(t));
  }

  /**
   * The queue of every sleeping task ({@code null} for a task in the heap itself): for a dump of all
   * the tasks (see {@code Task.dump}).
   */
  java.util.Map<Task<?>, SleepQueue> sleepQueues() {
    java.util.Map<Task<?>, SleepQueue> m = new java.util.IdentityHashMap<>(2 * sleepers);
    forEachSleeper(m::put);
    return m;
  }

  /**
   * Calls {@code action} with each sleeping task and its queue, queue by queue, in deadline order, then
   * with each task in the heap itself and {@code null}.
   */
  private void forEachSleeper(java.util.function.BiConsumer<Task<?>, SleepQueue> action) {
    if (sleepers == 0) {
      return;
    }
    for (SleepQueue q : queues) {
      if (q != null) {
        for (Task<?> t = q.head; t != null; t = t.nextLive) {
          action.accept(t, q);
        }
      }
    }
    for (int i = 0; i < size; i++) {
      if (entries[i] instanceof Task<?> t) {
        action.accept(t, null);
      }
    }
  }

  /** Forgets every timer and sleeping task (the loop is closing). */
  void clear() {
    for (int i = 0; i < size; i++) {
      if (entries[i] instanceof TimerHandle t) {
        t.heapIndex = -1;
      } else if (entries[i] instanceof Task<?> t) {
        t.sleepSequence = NOT_IN_HEAP;
      } else {
        SleepQueue q = (SleepQueue) entries[i];
        for (TimerHandle h = q.firstTimer; h != null; ) {
          TimerHandle n = h.next;
          h.heapIndex = -1;
          h.prev = null;
          h.next = null;
          h = n;
        }
      }
      entries[i] = null;
    }
    size = 0;
    handles = 0;
    sleepers = 0;
    queues = new SleepQueue[16];
    queueCount = 0;
    queuesInUse = 0;
    lastQueue = null;
    lastTimerQueue = null;
    seenDelays = null;
    seenCount = 0;
    ends.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // The queues.

  /**
   * Appends the sleeping task {@code t} to {@code q}, in deadline order: at the end, unless the clock
   * went back; keeps the table of ends.
   */
  private void append(SleepQueue q, Task<?> t) {
    Task<?> after = q.tail;
    while (after != null && after.sleepDeadline > t.sleepDeadline) {
      after = after.prevLive;
    }
    Task<?> before = after == null ? q.head : after.nextLive;
    t.prevLive = after;
    t.nextLive = before;
    if (after == null) {
      q.head = t;
    } else {
      after.nextLive = t;
    }
    if (before == null) {
      q.tail = t;
    } else {
      before.prevLive = t;
    }
    if (after == null || before == null) {
      ends.put(t.sleepSequence, q);
    }
    if (before == null && after != null && after.prevLive != null) {
      ends.remove(after.sleepSequence); // the last task until now, no longer an end
    }
    if (after == null && before != null && before.nextLive != null) {
      ends.remove(before.sleepSequence); // the first until now (the clock went back)
    }
  }

  /** Takes the timer {@code t} out of {@code q} and frees its links. */
  private void unlinkTimer(SleepQueue q, TimerHandle t) {
    TimerHandle p = t.prev;
    TimerHandle n = t.next;
    if (p == null) {
      q.firstTimer = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      q.lastTimer = p;
    } else {
      n.prev = p;
    }
    // Null and an int: nothing G1 must track, in a timer that may be old by now. The owner stays.
    t.prev = null;
    t.next = null;
    t.heapIndex = -1;
  }

  /**
   * An entry due at {@code deadline} with the newest {@code sequence} joined {@code q}: the queue
   * enters the heap, or, if the entry goes first (only if the clock went back), is re-keyed.
   */
  private void joined(SleepQueue q, long deadline, long sequence) {
    int i = q.heapIndex;
    if (i < 0) {
      insert(q, deadline, sequence);
      queuesInUse++;
    } else if (deadline < keys[2 * i]) {
      keys[2 * i] = deadline;
      keys[2 * i + 1] = sequence;
      siftUp(i);
    }
  }

  /**
   * Takes {@code t} out of {@code q} and frees its links; keeps the table of ends. {@code q} is read
   * only if {@code t} is an end of it: for a task with a neighbour on each side it may be null.
   */
  private void unlink(SleepQueue q, Task<?> t) {
    Task<?> p = t.prevLive;
    Task<?> n = t.nextLive;
    if (p == null) {
      q.head = n;
    } else {
      p.nextLive = n;
    }
    if (n == null) {
      q.tail = p;
    } else {
      n.prevLive = p;
    }
    t.prevLive = null;
    t.nextLive = null;
    if (p == null || n == null) {
      ends.remove(t.sleepSequence);
    }
    if (p == null && n != null && n.nextLive != null) {
      ends.put(n.sleepSequence, q); // the new first task (unless it was the last already)
    }
    if (n == null && p != null && p.prevLive != null) {
      ends.put(p.sleepSequence, q); // the new last task (unless it was the first already)
    }
  }

  /**
   * The first entry of {@code q} (task or timer) may have changed: re-key it by the earlier of its
   * first task and its first timer, or take it out of the heap if empty.
   */
  private void firstChanged(SleepQueue q) {
    int i = q.heapIndex;
    Task<?> s = q.head;
    TimerHandle h = q.firstTimer;
    if (h != null
        && (s == null
            || h.deadline < s.sleepDeadline
            || (h.deadline == s.sleepDeadline && h.sequence < s.sleepSequence))) {
      keys[2 * i] = h.deadline;
      keys[2 * i + 1] = h.sequence;
    } else if (s != null) {
      keys[2 * i] = s.sleepDeadline;
      keys[2 * i + 1] = s.sleepSequence;
    } else {
      removeAt(i);
      queuesInUse--;
      return;
    }
    // The new first entry is due no earlier than the old one: it can only move down.
    siftDown(i);
  }

  /**
   * The queue a new timer or sleep of {@code delay} joins: the delay's queue if it has one; else a new
   * one while the table holds few ({@value #KEPT_EMPTY_QUEUES}), or when the delay was seen lately
   * while its last timer or sleep may still wait ({@link #seenWaiting}); else {@code null}, and the
   * timer or the sleeping task goes into the heap itself. Delays that are all different (each the time
   * left until a deadline, or a random jitter) would otherwise make a queue per timer or sleep, to hold
   * that one: a million tasks each awaiting a timeout of its own delay took the loop 1.6 to 1.8 times
   * the CPU time they took with every timer in the heap, and 81 B more each; sleeping a delay of its
   * own, 2.3 to 2.9 s of the loop's CPU against 0.2 to 0.8 for one delay.
   */
  private SleepQueue sharedQueue(long delay, long deadline) {
    SleepQueue q = queueIfAny(delay);
    if (q != null || (queueCount >= KEPT_EMPTY_QUEUES && !seenWaiting(delay, deadline))) {
      return q;
    }
    return newQueue(delay);
  }

  /**
   * Whether a timer or sleep of {@code delay} set lately may still wait, when a new one of it is due at
   * {@code deadline}: a set of the delays of the last ones that found no queue notes {@code delay} with
   * {@code deadline} and says whether it held the delay with a deadline still ahead (a cancelled one
   * counts). So the second timer or sleep of a delay makes its queue while the first waits (it stays
   * in the heap), as a million tasks sleeping a jitter of whole milliseconds do; a task that sleeps
   * such delays one after the other, each after the last ended, makes none (a queue would hold it
   * alone: 120 B per sleep, against the 48 of the {@code Sleep}). A delay that comes back after more
   * than {@code SEEN_DELAYS / 2} others that found no queue was forgotten meanwhile (the set was
   * emptied), and a later one makes it. A table of one delay per slot, the last one to hash there,
   * forgot a delay whenever another came between whose slot was the same: delays that repeat in a
   * cycle pushed each other out every time, and a million sleeps of 1,000 such delays went to the heap
   * (968,000 of them), at twice the loop's CPU time of a queue per delay.
   */
  private boolean seenWaiting(long delay, long deadline) {
    long[] seen = seenDelays;
    if (seen == null) {
      seen = seenDelays = new long[2 * SEEN_DELAYS];
    }
    long key = ~delay;
    int mask = SEEN_DELAYS - 1;
    int i = slot(delay, mask);
    for (long k; (k = seen[2 * i]) != 0; i = (i + 1) & mask) {
      if (k == key) {
        long last = seen[2 * i + 1];
        seen[2 * i + 1] = deadline;
        return last > deadline - delay; // due after now: it may wait still
      }
    }
    if (2 * ++seenCount > SEEN_DELAYS) {
      Arrays.fill(seen, 0);
      seenCount = 1;
      i = slot(delay, mask);
    }
    seen[2 * i] = key;
    seen[2 * i + 1] = deadline;
    return false;
  }

  /** The queue of {@code delay} in the table, or {@code null}. */
  private SleepQueue queueIfAny(long delay) {
    int mask = queues.length - 1;
    for (int i = slot(delay, mask); ; i = (i + 1) & mask) {
      SleepQueue q = queues[i];
      if (q == null || q.delay == delay) {
        return q;
      }
    }
  }

  /** A new, empty queue of {@code delay}, put in the table. */
  private SleepQueue newQueue(long delay) {
    if (queueCount >= KEPT_EMPTY_QUEUES && queueCount >= 2 * queuesInUse) {
      sweepEmptyQueues();
    }
    if (2 * (queueCount + 1) > queues.length) {
      rehash(queues.length * 2);
    }
    SleepQueue q = new SleepQueue(loop, delay);
    put(q);
    queueCount++;
    return q;
  }

  /** The home slot of {@code key} (a delay, or a task's sequence number in {@link EndTable}). */
  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void put(SleepQueue q) {
    int mask = queues.length - 1;
    int i = slot(q.delay, mask);
    while (queues[i] != null) {
      i = (i + 1) & mask;
    }
    queues[i] = q;
  }

  /** Drops the empty queues from the table. */
  private void sweepEmptyQueues() {
    SleepQueue[] old = queues;
    queues = new SleepQueue[old.length];
    queueCount = 0;
    for (SleepQueue q : old) {
      if (q != null && q.heapIndex >= 0) {
        put(q);
        queueCount++;
      }
    }
    if (lastQueue != null && lastQueue.heapIndex < 0) {
      lastQueue = null;
    }
    if (lastTimerQueue != null && lastTimerQueue.heapIndex < 0) {
      lastTimerQueue = null;
    }
  }

  private void rehash(int capacity) {
    SleepQueue[] old = queues;
    queues = new SleepQueue[capacity];
    for (SleepQueue q : old) {
      if (q != null) {
        put(q);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The heap.

  private void insert(Object e, long deadline, long sequence) {
    if (size == entries.length) {
      entries = Arrays.copyOf(entries, size * 2);
      keys = Arrays.copyOf(keys, size * 4);
    }
    int i = size++;
    entries[i] = e;
    keys[2 * i] = deadline;
    keys[2 * i + 1] = sequence;
    siftUp(i);
  }

  private void removeAt(int i) {
    setIndex(entries[i], -1);
    int last = --size;
    if (i != last) {
      Object moved = entries[last];
      entries[i] = moved;
      keys[2 * i] = keys[2 * last];
      keys[2 * i + 1] = keys[2 * last + 1];
      setIndex(moved, i);
      entries[last] = null;
      siftDown(i);
      if (entries[i] == moved) {
        siftUp(i);
      }
    } else {
      entries[last] = null;
    }
  }

  private static void setIndex(Object e, int i) {
    if (e instanceof TimerHandle t) {
      t.heapIndex = i;
    } else if (e instanceof SleepQueue q) {
      q.heapIndex = i;
    } else {
      ((Task<?>) e).sleepSequence = i < 0 ? NOT_IN_HEAP : -2L - i;
    }
  }

  /**
   * A sleeping task in the heap itself keeps its index there in {@code sleepSequence}, which a task in
   * a queue uses for its sequence number (never negative) and one in the heap has no other use for
   * (its key is in {@link #keys}): {@code -2 - index}; {@value #NOT_IN_HEAP} once out.
   */
  private static final long NOT_IN_HEAP = -1;

  /** Whether the sleeping task {@code t} is in the heap itself (see {@link #NOT_IN_HEAP}). */
  private static boolean inHeap(Task<?> t) {
    return t.sleepSequence < NOT_IN_HEAP;
  }

  /** The index in the heap of a sleeping task that is in it. */
  private static int heapIndexOf(Task<?> t) {
    return (int) (-2L - t.sleepSequence);
  }

  private void siftUp(int i) {
    Object e = entries[i];
    long d = keys[2 * i];
    long s = keys[2 * i + 1];
    long[] k = keys;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long pd = k[2 * parent];
      if (d > pd || (d == pd && s > k[2 * parent + 1])) {
        break;
      }
      Object p = entries[parent];
      entries[i] = p;
      k[2 * i] = pd;
      k[2 * i + 1] = k[2 * parent + 1];
      setIndex(p, i);
      i = parent;
    }
    entries[i] = e;
    k[2 * i] = d;
    k[2 * i + 1] = s;
    setIndex(e, i);
  }

  private void siftDown(int i) {
    Object e = entries[i];
    long d = keys[2 * i];
    long s = keys[2 * i + 1];
    long[] k = keys;
    int n = size;
    int half = n >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      long cd = k[2 * child];
      long cs = k[2 * child + 1];
      int right = child + 1;
      if (right < n) {
        long rd = k[2 * right];
        long rs = k[2 * right + 1];
        if (rd < cd || (rd == cd && rs < cs)) {
          child = right;
          cd = rd;
          cs = rs;
        }
      }
      if (d < cd || (d == cd && s < cs)) {
        break;
      }
      Object c = entries[child];
      entries[i] = c;
      k[2 * i] = cd;
      k[2 * i + 1] = cs;
      setIndex(c, i);
      i = child;
    }
    entries[i] = e;
    k[2 * i] = d;
    k[2 * i + 1] = s;
    setIndex(e, i);
  }

  /**
   * The first and last task of every queue that holds one, by the task's sequence number (a task that
   * is both, once), each with its queue: open addressing with linear probing, a power of two long, at
   * most half full; a slot is free when its queue is {@code null}. Loop thread only.
   */
  static final class EndTable {
    private long[] keys = new long[16];

    private SleepQueue[] queues = new SleepQueue[16];

    private int count;

    /** Entries in the table. */
    int size() {
      return count;
    }

    void clear() {
      keys = new long[16];
      queues = new SleepQueue[16];
      count = 0;
    }

    /**
     * Where probing for {@code sequence} stops: the slot of its entry, or the free slot where it
     * would go.
     */
    private int find(long sequence) {
      long[] k = keys;
      SleepQueue[] v = queues;
      int mask = k.length - 1;
      int i = slot(sequence, mask);
      while (v[i] != null && k[i] != sequence) {
        i = (i + 1) & mask;
      }
      return i;
    }

    /** The queue of which the task with this sequence number is an end. */
    SleepQueue get(long sequence) {
      return queues[find(sequence)];
    }

    void put(long sequence, SleepQueue q) {
      if (2 * (count + 1) > keys.length) {
        long[] oldKeys = keys;
        SleepQueue[] oldQueues = queues;
        keys = new long[oldKeys.length * 2];
        queues = new SleepQueue[oldKeys.length * 2];
        count = 0;
        for (int i = 0; i < oldKeys.length; i++) {
          if (oldQueues[i] != null) {
            put(oldKeys[i], oldQueues[i]);
          }
        }
      }
      int i = find(sequence);
      if (queues[i] == null) {
        count++;
      }
      keys[i] = sequence;
      queues[i] = q;
    }

    /** Removes the entry of {@code sequence}, moving back the entries probed past it. */
    void remove(long sequence) {
      long[] k = keys;
      SleepQueue[] v = queues;
      int mask = k.length - 1;
      int i = find(sequence);
      if (v[i] == null) {
        throw new IllegalStateException("no sleeping task at an end with sequence " + sequence);
      }
      count--;
      for (int j = (i + 1) & mask; v[j] != null; j = (j + 1) & mask) {
        int home = slot(k[j], mask);
        // Entry j may move to the hole at i if its home slot is not in (i, j], cyclically.
        if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
          k[i] = k[j];
          v[i] = v[j];
          i = j;
        }
      }
      v[i] = null;
    }
  }

  /**
   * The tasks sleeping one delay and the timers set for it, each in deadline order: two FIFOs, one
   * threaded through the tasks' own links ({@code Task.prevLive}, {@code Task.nextLive}, free while a
   * task sleeps: a sleeping task is off the loop's list of live tasks), one through the timers'
   * ({@code TimerHandle.prev}, {@code next}). The queue never completes. Its tasks wait on themselves;
   * the queue of its first and last task is found in the heap's table of ends, a timer's in the timer
   * (see {@link TimerHeap}), so a cancellation anywhere is O(1), an inner entry unlinked from its
   * neighbours alone. Its name is the task dump's: what a sleeping task waits for.
   */
  static final class SleepQueue extends Promise<Void> {
    final long delay;

    /** The loop of the timers: the owner of a timer in the queue (see {@link TimerHandle}). */
    final EventLoop eventLoop;

    Task<?> head;
    Task<?> tail;

    /** The timers of {@code callLater(delay)}, in deadline order, linked by their own fields. */
    TimerHandle firstTimer;

    TimerHandle lastTimer;

    /** Position in the heap, or -1 while empty. */
    int heapIndex = -1;

    SleepQueue(EventLoop eventLoop, long delay) {
      super(null);
      this.eventLoop = eventLoop;
      this.delay = delay;
    }

    /** Never done: a sleep is cancelled through its task. */
    @Override
    public boolean cancel(String message) {
      return false;
    }

    @Override
    public void complete(Void value) {
      throw new UnsupportedOperationException("the timer of Aio.sleep completes by itself");
    }

    @Override
    public void fail(Throwable exception) {
      throw new UnsupportedOperationException("the timer of Aio.sleep completes by itself");
    }

    @Override
    public String toString() {
      return "Aio.sleep(" + java.time.Duration.ofNanos(delay) + ") timer";
    }
  }
}
