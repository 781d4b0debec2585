package io.awaitj.benchmarks.peers;

import static io.awaitj.Aio.await;
import static io.awaitj.Aio.done;

import io.awaitj.Aio;
import io.awaitj.Async;
import io.awaitj.Coroutine;
import io.awaitj.Task;
import io.awaitj.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@link WaitingTasks} workload on awaitj, written as a user would: {@code @Async} methods. */
public final class AwaitjWorkers {
  private AwaitjWorkers() {}

  /** One task: wait for the gate, then for a timer of its own. */
  @Async
  static Coroutine<Long> worker(Event gate, long id) {
    await(gate.waitSet());
    await(Aio.sleep(Duration.ofMillis(1)));
    return done(id);
  }

  @Async
  static Coroutine<WaitingTasks.Report> workload(int n) {
    Event gate = new Event();
    WaitingTasks.Memory before = WaitingTasks.Memory.now();
    long start = System.nanoTime();
    List<Task<Long>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(Aio.createTask(AwaitjWorkersAsync.worker(gate, i)));
    }
    // One pass of the loop: every task runs until it waits on the gate.
    await(Aio.sleep(Duration.ZERO));
    long spawned = System.nanoTime();
    long[] perTask = WaitingTasks.Memory.now().perTask(before, n);
    long opened = System.nanoTime();
    gate.set();
    long sum = 0;
    for (Task<Long> t : tasks) {
      sum += await(t);
    }
    long drained = System.nanoTime();
    return done(new WaitingTasks.Report("awaitj", n, sum, spawned - start, perTask[0], perTask[1],
        drained - opened));
  }

  static WaitingTasks.Report measure(int n) {
    return Aio.run(AwaitjWorkersAsync.workload(n));
  }
}
