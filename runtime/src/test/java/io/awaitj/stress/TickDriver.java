package io.awaitj.stress;

import io.awaitj.Aio;
import java.time.Duration;

/**
 * The main task of a stress run: wakes at every whole millisecond of the loop's clock ("tick") to
 * spawn work, optionally once more inside the tick for a storm (at a residue {@link #onTick} asks for
 * with {@link #stormAt}), and when {@link #moreTicks} says so, polls every ten milliseconds until
 * {@link #idle} holds.
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
abstract class TickDriver extends io.awaitj.Coroutine<Void> {
  static final long MS = 1_000_000L;
  private static final int AT_TICK = 1;
  private static final int AT_STORM = 2;
  private static final int DRAINING = 3;

  private long origin;
  protected long tick;
  private long stormAt = -1;

  /** Called at each tick, at {@code origin + tick} milliseconds. */
  protected abstract void onTick(long tick);

  /** Called at the instant asked for by {@link #stormAt}. */
  protected abstract void onStorm();

  /** Whether tick {@code tick} should happen. */
  protected abstract boolean moreTicks(long tick);

  /** Whether everything spawned is done. */
  protected abstract boolean idle();

  /**
   * A driver that runs {@code onTick} at each of {@code ticks} ticks, without storms, and then waits
   * until {@code idle} holds.
   */
  static TickDriver steady(long ticks, Runnable onTick, java.util.function.BooleanSupplier idle) {
    return new TickDriver() {
      @Override
      protected void onTick(long tick) {
        onTick.run();
      }

      @Override
      protected void onStorm() {}

      @Override
      protected boolean moreTicks(long tick) {
        return tick < ticks;
      }

      @Override
      protected boolean idle() {
        return idle.getAsBoolean();
      }
    };
  }

  /** From {@link #onTick}: asks for {@link #onStorm} at {@code residueNanos} (0 < r < 1 ms) after the tick. */
  protected final void stormAt(long residueNanos) {
    if (residueNanos <= 0 || residueNanos >= MS) {
      throw new IllegalArgumentException("a storm happens strictly inside its tick");
    }
    stormAt = origin + tick * MS + residueNanos;
  }

  @Override
  protected Object step() throws Throwable {
    if (state == 0) {
      origin = loop().nanoTime();
      if (sleepUntil(origin, AT_TICK)) {
        return SUSPEND;
      }
    }
    while (true) {
      switch (state) {
        case AT_TICK:
          awaitResult();
          onTick(tick);
          if (stormAt >= 0) {
            if (sleepUntil(stormAt, AT_STORM)) {
              return SUSPEND;
            }
            continue;
          }
          break;
        case AT_STORM:
          awaitResult();
          stormAt = -1;
          onStorm();
          break;
        case DRAINING:
          awaitResult();
          if (idle()) {
            return null;
          }
          if (sleepUntil(loop().nanoTime() + 10 * MS, DRAINING)) {
            return SUSPEND;
          }
          continue;
        default:
          throw illegalState();
      }
      tick++;
      if (moreTicks(tick)) {
        if (sleepUntil(origin + tick * MS, AT_TICK)) {
          return SUSPEND;
        }
      } else if (idle()) {
        return null;
      } else if (sleepUntil(loop().nanoTime() + 10 * MS, DRAINING)) {
        return SUSPEND;
      }
    }
  }

  private boolean sleepUntil(long at, int label) {
    state = label;
    return suspendOn(Aio.sleep(Duration.ofNanos(Math.max(0, at - loop().nanoTime()))));
  }
}
