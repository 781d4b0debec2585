"""The python3 asyncio side of the awaitj peer comparison (io.awaitj.benchmarks.compare.Compare runs it).

    python3 peer.py SCENARIO PARAMS...

prints one line "RESULT key=value ...", with the figures and the checksum the harness checks. A task
is an asyncio task, a sleep asyncio.sleep, a yield asyncio.sleep(0), a gate an asyncio.Event, the queue
an asyncio.Queue(64). The heap figure is tracemalloc's (the bytes Python allocated), after gc.collect().
"""
import asyncio
import gc
import sys
import time
import tracemalloc


def now():
    return time.perf_counter_ns() / 1e6  # ms


def cpu():
    return time.process_time_ns() / 1e6  # CPU time of the process, ms


PROMISES = 1024  # the micro scenarios cycle through this many completed futures, k holding k


def completed():
    loop = asyncio.get_running_loop()
    futures = []
    for k in range(PROMISES):
        f = loop.create_future()
        f.set_result(k)
        futures.append(f)
    return futures


def report(**values):
    def fmt(v):
        return f"{v:.3f}" if isinstance(v, float) and not v.is_integer() else str(int(v)) if isinstance(v, float) else str(v)
    print("RESULT " + " ".join(f"{k}={fmt(v)}" for k, v in values.items()), flush=True)


async def sleeper(i, seconds):
    await asyncio.sleep(seconds)
    return i


async def sleep_main(n, ms):
    await jitter_main(n, ms, 1)


async def jitter_main(n, ms, spread):
    """Task i sleeps ms + (i * 7919) % spread (Impl.delayOf): spread different delays, scattered."""
    c0 = cpu()
    t0 = now()
    tasks = [asyncio.create_task(sleeper(i, (ms + (i * 7919) % spread) / 1000)) for i in range(n)]
    total = 0
    for t in tasks:
        total += await t
    wall = now() - t0
    report(overhead_ms=wall - (ms + spread - 1), wall_ms=wall, cpu_ms=cpu() - c0, checksum=total)


async def waiter(gate, i):
    await gate.wait()
    return i


async def heap_main(n):
    gate = asyncio.Event()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(waiter(gate, i)) for i in range(n)]
    await asyncio.sleep(0)  # one turn of the loop: every task waits on the gate
    gc.collect()
    per_task = (tracemalloc.get_traced_memory()[0] - before) // n
    tracemalloc.stop()
    gate.set()
    total = 0
    for t in tasks:
        total += await t
    report(heap_per_task=per_task, checksum=total)


deepest = sys.maxsize


async def rec(n, seconds):
    global deepest
    if n < deepest:
        deepest = n
    if n == 0:
        await asyncio.sleep(seconds)
        return 0
    return await rec(n - 1, seconds) + 1


async def recursion_main(depth, ms):
    c0 = cpu()
    t0 = now()
    try:
        r = await rec(depth, ms / 1000)
    except RecursionError:
        report(status="RecursionError", depth_reached=depth - deepest)
        return
    report(wall_ms=now() - t0, cpu_ms=cpu() - c0, checksum=r)


async def yielder(i, yields):
    done = 0
    for _ in range(yields):
        await asyncio.sleep(0)
        done += 1
    return i + done


async def gather_main(n, yields):
    c0 = cpu()
    t0 = now()
    results = await asyncio.gather(*[yielder(i, yields) for i in range(n)])
    report(ns_per_yield=(now() - t0) * 1e6 / (n * yields), cpu_ns_per_yield=(cpu() - c0) * 1e6 / (n * yields),
           checksum=sum(results))


async def produce(q, n):
    for i in range(n):
        await q.put(i)


async def queue_main(n):
    c0 = cpu()
    t0 = now()
    q = asyncio.Queue(64)
    producer = asyncio.create_task(produce(q, n))
    total = 0
    for _ in range(n):
        total += await q.get()
    await producer
    report(ns_per_item=(now() - t0) * 1e6 / n, cpu_ns_per_item=(cpu() - c0) * 1e6 / n, checksum=total)


async def plus_completed(one, i):
    return await one + i


async def plus_one(i):
    return i + 1


async def completed_batch(k):
    futures = completed()
    total = 0
    for i in range(k):
        total += await futures[i & (PROMISES - 1)]
    return total


async def nosuspend_batch(k):
    futures = completed()
    total = 0
    for i in range(k):
        total += await plus_completed(futures[i & (PROMISES - 1)], i)
    return total


async def noawait_batch(k):
    total = 0
    for i in range(k):
        total += await plus_one(i)
    return total


def micro(batch):
    """As Probe.micro on the JVM: warm-up by CPU time, then the median CPU and wall time per operation."""
    async def main(ops, warmup_ms, batches):
        end = cpu() + warmup_ms
        warm = 0
        while True:
            check = await batch(ops)
            warm += 1
            if cpu() >= end:
                break
        ns, wall = [], []
        for _ in range(batches):
            c0, t0 = cpu(), now()
            c = await batch(ops)
            wall.append((now() - t0) * 1e6 / ops)
            ns.append((cpu() - c0) * 1e6 / ops)
            if c != check:
                raise AssertionError(f"batch checksum changed: {c} after {check}")
        ns.sort()
        wall.sort()
        report(ns_per_op=ns[batches // 2], wall_ns_per_op=wall[batches // 2], min_ns_per_op=ns[0],
               warmup_batches=warm, checksum=check)
    return main


async def numbers(k):
    for i in range(k):
        yield i & (PROMISES - 1)


async def generator_batch(k):
    total = 0
    async for v in numbers(k):
        total += v
    return total


async def yield_main(n):
    c0 = cpu()
    t0 = now()
    count = 0
    for _ in range(n):
        await asyncio.sleep(0)
        count += 1
    report(ms=now() - t0, cpu_ms=cpu() - c0, checksum=count)


SCENARIOS = {
    "sleep": sleep_main,
    "jitter": jitter_main,
    "heap": heap_main,
    "recursion": recursion_main,
    "gather": gather_main,
    "queue": queue_main,
    "completed": micro(completed_batch),
    "nosuspend": micro(nosuspend_batch),
    "noawait": micro(noawait_batch),
    "generator": micro(generator_batch),
    "yield": yield_main,
}

if __name__ == "__main__":
    main = SCENARIOS.get(sys.argv[1])
    if main is None:
        print(f"no python version of scenario '{sys.argv[1]}'", file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(*[int(a) for a in sys.argv[2:]]))
