package io.awaitj.junit.cases;

import io.awaitj.EventLoop;
import io.awaitj.junit.AsyncTest;

/** A loop asked for where no test runs: the constructor. */
public class MisplacedCases {
  MisplacedCases(EventLoop loop) {}

  @AsyncTest
  void neverRuns() {}
}
