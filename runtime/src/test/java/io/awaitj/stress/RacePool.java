package io.awaitj.stress;

import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.Task;
import io.awaitj.stress.StressSupport.Mismatches;
import io.awaitj.stress.StressSupport.Sample;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Spawns {@link RaceCase}s and checks each the moment it is done. */
final class RacePool implements Consumer<Promise<?>> {
  private final EventLoop loop;
  private final SplittableRandom rnd;
  private final Mismatches mismatches;
  private final Sample sample;

  long spawned;
  long finished;
  long ties;
  int live;
  final long[][] outcomes = new long[RaceCase.STRUCTURES.length][RaceCase.OUTCOMES.length];

  RacePool(EventLoop loop, SplittableRandom rnd, Mismatches mismatches, Sample sample) {
    this.loop = loop;
    this.rnd = rnd;
    this.mismatches = mismatches;
    this.sample = sample;
  }

  void spawn(int count) {
    for (int i = 0; i < count; i++) {
      RaceCase c = RaceCase.random(this, StormPool.Ids.next(), rnd);
      if (c.isTie()) {
        ties++;
      }
      Task<Integer> t = loop.createTask(c);
      t.addDoneCallback(this);
      sample.offer(t);
      spawned++;
      live++;
    }
  }

  void mismatch(String m) {
    mismatches.add(m);
  }

  @Override
  public void accept(Promise<?> p) {
    Task<?> t = (Task<?>) p;
    RaceCase c = (RaceCase) t.coroutine();
    live--;
    finished++;
    String m = c.check(t, loop.nanoTime());
    if (m != null) {
      mismatches.add(m);
      return;
    }
    outcomes[c.structure][c.eOutcome]++;
  }

  String summary() {
    StringBuilder b = new StringBuilder();
    b.append(spawned).append(" cases (").append(ties).append(" with a deadline or an outside cancellation tied to another event):");
    for (int s = 0; s < outcomes.length; s++) {
      b.append("\n    ").append(RaceCase.STRUCTURES[s]).append(':');
      for (int o = 0; o < outcomes[s].length; o++) {
        if (outcomes[s][o] > 0) {
          b.append(' ').append(outcomes[s][o]).append(' ').append(RaceCase.OUTCOMES[o]).append(',');
        }
      }
      b.setLength(b.length() - 1);
    }
    return b.toString();
  }
}
