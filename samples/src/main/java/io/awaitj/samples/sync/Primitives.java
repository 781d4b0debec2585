package io.awaitj.samples.sync;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.samples.basics.Timed;
import io.awaitj.samples.basics.Timed.Stopwatch;
import io.awaitj.sync.Barrier;
import io.awaitj.sync.Condition;
import io.awaitj.sync.Event;
import io.awaitj.sync.Lock;
import io.awaitj.sync.Semaphore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The other asyncio primitives, in {@code io.awaitj.sync}. They coordinate tasks of one
 * loop (not threads): a {@link Semaphore} lets at most n tasks in, an {@link Event} wakes every
 * waiter at once, a {@link Lock} keeps a read-modify-write that awaits in the middle whole, a
 * {@link Condition} waits for a state change, a {@link Barrier} lets a group go on together.
 *
 * <p>What to watch for: {@code try (var held = await(lock.hold()))} is {@code async with lock}; the
 * lock (or permit) is released when the block ends, also by an exception.
 */
public final class Primitives {
  private Primitives() {}

  // --- Semaphore: five downloads, at most two at a time.

  @Async
  @SuppressWarnings("try")
  static Coroutine<Void> download(int id, Semaphore limit, Stopwatch watch, PrintStream out) {
    try (var permit = await(limit.hold())) {
      out.println("download " + id + " starts at " + watch);
      await(Aio.sleep(1000));
    }
    return done();
  }

  // --- Event: three waiters released by one set().

  @Async
  static Coroutine<Void> waitForStart(String name, Event start, Stopwatch watch, PrintStream out) {
    await(start.waitSet());
    out.println(name + " released at " + watch);
    return done();
  }

  // --- Lock: two tasks add to a balance with an await between read and write.

  static final class Account {
    int balance;
  }

  @Async
  @SuppressWarnings("try")
  static Coroutine<Void> deposit(Account account, int amount, Lock lock) {
    try (var held = await(lock.hold())) {
      int read = account.balance;
      await(Aio.sleep(100)); // without the lock, the other task would read the same balance here
      account.balance = read + amount;
    }
    return done();
  }

  // --- Condition: a consumer waits until the shared list has items.

  @Async
  @SuppressWarnings("try")
  static Coroutine<Void> awaitItems(List<String> items, Condition changed, Stopwatch watch,
      PrintStream out) {
    try (var held = await(changed.hold())) {
      await(changed.waitFor(() -> items.size() >= 2));
      out.println("condition met at " + watch + ": " + items);
    }
    return done();
  }

  @Async
  @SuppressWarnings("try")
  static Coroutine<Void> addItem(List<String> items, String item, Condition changed) {
    try (var held = await(changed.hold())) {
      items.add(item);
      changed.signalAll();
    }
    return done();
  }

  // --- Barrier: three workers of different speeds go on together.

  @Async
  static Coroutine<Void> phase(String name, long millis, Barrier barrier, Stopwatch watch,
      PrintStream out) {
    await(Aio.sleep(millis));
    out.println(name + " arrives at " + watch);
    await(barrier.arrive());
    out.println(name + " passes at " + watch);
    return done();
  }

  @Async
  public static Coroutine<Void> run(PrintStream out) {
    out.println("-- Semaphore(2)");
    Stopwatch watch = Timed.start();
    Semaphore limit = new Semaphore(2);
    List<Coroutine<Void>> downloads = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      downloads.add(download(i, limit, watch, out));
    }
    await(Aio.gather(downloads));

    out.println("-- Event");
    watch = Timed.start();
    Event start = new Event();
    List<Task<Void>> waiters = new ArrayList<>();
    for (String name : List.of("w1", "w2", "w3")) {
      waiters.add(Aio.createTask(waitForStart(name, start, watch, out)));
    }
    await(Aio.sleep(1000));
    out.println("set() at " + watch);
    start.set();
    await(Aio.gather(waiters));

    out.println("-- Lock");
    Account account = new Account();
    Lock lock = new Lock();
    await(Aio.gather(deposit(account, 100, lock), deposit(account, 50, lock)));
    out.println("balance: " + account.balance + " (150: no deposit lost)");

    out.println("-- Condition");
    watch = Timed.start();
    List<String> items = new ArrayList<>();
    Condition changed = new Condition();
    Task<Void> consumer = Aio.createTask(awaitItems(items, changed, watch, out));
    await(Aio.sleep(500));
    await(addItem(items, "first", changed));
    await(Aio.sleep(500));
    await(addItem(items, "second", changed));
    await(consumer);

    out.println("-- Barrier(3)");
    watch = Timed.start();
    Barrier barrier = new Barrier(3);
    await(Aio.gather(phase("fast", 500, barrier, watch, out), phase("medium", 1000, barrier, watch, out),
        phase("slow", 2000, barrier, watch, out)));
    return done();
  }

  public static void main(String[] args) {
    Aio.run(PrimitivesAsync.run(System.out));
  }
}
