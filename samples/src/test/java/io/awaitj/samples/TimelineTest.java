package io.awaitj.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Task;
import io.awaitj.junit.AsyncTest;
import io.awaitj.junit.TestTime;
import io.awaitj.samples.structured.TaskGroupsAsync;
import io.awaitj.samples.sync.ProducerConsumerAsync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Samples stepped through on the test's virtual clock (awaitj-junit's {@link TestTime}): each line a
 * sample prints, with the time on the clock when it printed it. SamplesTest checks what the samples
 * print; this checks when: a line saying "at 2.0 s" is printed at 2.0 s of the sample's stopwatch.
 */
class TimelineTest {
  static final Duration STEP = Duration.ofMillis(500);

  /**
   * Runs {@code sample} as a task of {@code loop}, moving the clock {@link #STEP} at a time until it
   * is done, and returns what it printed, each line prefixed with the clock's time at that step.
   */
  static List<String> timeline(EventLoop loop, TestTime time,
      Function<PrintStream, Coroutine<Void>> sample) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Task<Void> task = loop.createTask(sample.apply(out));
    List<String> timeline = new ArrayList<>();
    int seen = 0;
    time.runCurrent();
    while (true) {
      List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
      String now = String.format(Locale.ROOT, "%.1f s: ", time.now().toMillis() / 1000.0);
      for (String line : lines.subList(seen, lines.size())) {
        timeline.add(now + line);
      }
      seen = lines.size();
      if (task.isDone()) {
        break;
      }
      assertTrue(time.now().compareTo(Duration.ofMinutes(1)) < 0, "not done after a minute");
      time.advanceBy(STEP);
    }
    task.result(); // its failure, if it failed
    return timeline;
  }

  @AsyncTest
  void taskGroups(EventLoop loop, TestTime time) {
    assertEquals(List.of(
            "0.0 s: both started; the block ends, the group waits for them",
            "1.0 s: a done at 1.0 s",
            "2.0 s: b done at 2.0 s",
            "2.0 s: group done at 2.0 s: a, b",
            // The second group's stopwatch starts at 2.0 s.
            "2.5 s: a done at 0.5 s",
            "3.0 s: b fails at 1.0 s",
            "3.0 s: d fails at 1.0 s",
            "3.0 s: c cancelled at 1.0 s",
            "3.0 s: group failed at 1.0 s with 2 failures:",
            "3.0 s:   b failed",
            "3.0 s:   d failed"),
        timeline(loop, time, TaskGroupsAsync::run));
  }

  @AsyncTest
  void producerConsumer(EventLoop loop, TestTime time) throws Exception {
    List<String> timeline = timeline(loop, time, ProducerConsumerAsync::run);
    assertEquals(SamplesTest.expected("ProducerConsumer").lines().count(), timeline.size());
    for (String line : timeline) {
      // "1.0 s: c1 processed 1 at 1.0 s": printed when it says.
      String at = line.substring(0, line.indexOf(':'));
      assertTrue(line.endsWith(" at " + at) || line.contains(" at " + at + ":"), line);
    }
    assertEquals("3.0 s: join returned at 3.0 s: every item processed",
        timeline.get(timeline.size() - 1));
  }
}
