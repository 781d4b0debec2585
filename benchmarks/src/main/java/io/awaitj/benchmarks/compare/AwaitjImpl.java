package io.awaitj.benchmarks.compare;

import io.awaitj.Aio;
import java.util.function.LongSupplier;

/** The scenarios on awaitj: the {@code @Async} methods of {@link AwaitjPeer}, each on a fresh loop. */
final class AwaitjImpl implements Impl {
  @Override
  public long sleep(int n, long millis) {
    return jitter(n, millis, 1);
  }

  @Override
  public long jitter(int n, long millis, int spread) {
    return Aio.run(AwaitjPeerAsync.sleepers(n, millis, spread));
  }

  @Override
  public long heap(int n, long[] heapPerTask) {
    return Aio.run(AwaitjPeerAsync.waiters(n, heapPerTask));
  }

  @Override
  public long recurse(int depth, long millis) {
    return Aio.run(AwaitjPeerAsync.recurse(depth, millis));
  }

  @Override
  public int deepest() {
    return AwaitjPeer.deepest;
  }

  @Override
  public long gather(int n, int yields) {
    return Aio.run(AwaitjPeerAsync.gatherYielders(n, yields));
  }

  @Override
  public long queue(int n) {
    return Aio.run(AwaitjPeerAsync.pipe(n));
  }

  @Override
  public LongSupplier completedBatch(int ops) {
    return () -> Aio.run(AwaitjPeerAsync.awaitCompleted(ops));
  }

  @Override
  public LongSupplier noSuspendBatch(int ops) {
    return () -> Aio.run(AwaitjPeerAsync.callNoSuspend(ops));
  }

  @Override
  public LongSupplier noAwaitBatch(int ops) {
    return () -> Aio.run(AwaitjPeerAsync.callNoAwait(ops));
  }

  @Override
  public long yieldLoop(int n) {
    return Aio.run(AwaitjPeerAsync.yieldLoop(n));
  }

  @Override
  public LongSupplier generatorBatch(int ops) {
    return () -> Aio.run(AwaitjPeerAsync.sumGenerated(ops));
  }
}
