package io.awaitj.benchmarks.compare

import java.util.function.LongSupplier
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/**
 * The scenarios on Kotlin coroutines, written as a Kotlin user writes them: suspend functions,
 * `async`/`awaitAll`, `delay`, `yield`, `Channel(64)`, `CompletableDeferred`, all inside one
 * `runBlocking`, whose event loop runs every coroutine on the calling thread, as awaitj's loop does.
 * [PeerMain] times each method and measures the memory, as for the other JVM implementations.
 */
class KotlinPeer : Impl {
  override fun sleep(n: Int, millis: Long): Long = jitter(n, millis, 1)

  override fun jitter(n: Int, millis: Long, spread: Int): Long = runBlocking {
    val tasks = ArrayList<Deferred<Long>>(n)
    for (i in 0 until n) {
      val d = Impl.delayOf(i.toLong(), millis, spread)
      tasks.add(async { delay(d); i.toLong() })
    }
    var sum = 0L
    for (t in tasks) sum += t.await()
    sum
  }

  override fun heap(n: Int, heapPerTask: LongArray): Long = runBlocking {
    val gate = CompletableDeferred<Unit>()
    val before = Probe.usedHeap()
    val tasks = ArrayList<Deferred<Long>>(n)
    for (i in 0 until n) {
      tasks.add(async { gate.await(); i.toLong() })
    }
    yield() // one pass of the loop: every coroutine runs until it waits on the gate
    heapPerTask[0] = (Probe.usedHeap() - before) / n
    gate.complete(Unit)
    var sum = 0L
    for (t in tasks) sum += t.await()
    sum
  }

  private suspend fun rec(n: Int, millis: Long): Long {
    if (n < deepest) deepest = n
    if (n == 0) {
      delay(millis)
      return 0
    }
    return rec(n - 1, millis) + 1
  }

  override fun recurse(depth: Int, millis: Long): Long = runBlocking { rec(depth, millis) }

  override fun deepest(): Int = deepest

  override fun gather(n: Int, yields: Int): Long = runBlocking {
    val tasks = ArrayList<Deferred<Long>>(n)
    for (i in 0 until n) {
      tasks.add(async {
        var done = 0
        repeat(yields) { yield(); done++ }
        i.toLong() + done
      })
    }
    tasks.awaitAll().sum()
  }

  override fun queue(n: Int): Long = runBlocking {
    val channel = Channel<Int>(64)
    launch {
      for (i in 0 until n) channel.send(i)
    }
    var sum = 0L
    repeat(n) { sum += channel.receive() }
    sum
  }

  private fun completed(): Array<CompletableDeferred<Long>> =
    Array(Probe.PROMISES) { k -> CompletableDeferred(k.toLong()) }

  override fun completedBatch(ops: Int) = LongSupplier {
    runBlocking {
      val deferreds = completed()
      var sum = 0L
      for (i in 0 until ops) sum += deferreds[i and (Probe.PROMISES - 1)].await()
      sum
    }
  }

  private suspend fun plusCompleted(d: Deferred<Long>, i: Long): Long = d.await() + i

  override fun noSuspendBatch(ops: Int) = LongSupplier {
    runBlocking {
      val deferreds = completed()
      var sum = 0L
      for (i in 0 until ops) sum += plusCompleted(deferreds[i and (Probe.PROMISES - 1)], i.toLong())
      sum
    }
  }

  @Suppress("RedundantSuspendModifier")
  private suspend fun plusOne(i: Long): Long = i + 1

  override fun noAwaitBatch(ops: Int) = LongSupplier {
    runBlocking {
      var sum = 0L
      for (i in 0 until ops) sum += plusOne(i.toLong())
      sum
    }
  }

  override fun yieldLoop(n: Int): Long = runBlocking {
    var count = 0L
    repeat(n) { yield(); count++ }
    count
  }

  override fun generatorBatch(ops: Int) = LongSupplier {
    runBlocking {
      val values = VALUES
      val numbers = flow {
        for (i in 0 until ops) emit(values[i and (Probe.PROMISES - 1)])
      }
      var sum = 0L
      numbers.collect { sum += it }
      sum
    }
  }

  private companion object {
    /** The same boxed values as awaitj's generator emits (Probe.values()). */
    @JvmStatic val VALUES: Array<Long> = Probe.values()

    @JvmStatic var deepest = Int.MAX_VALUE
  }
}
