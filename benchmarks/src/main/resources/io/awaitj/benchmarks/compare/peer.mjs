// The Node side of the awaitj peer comparison (io.awaitj.benchmarks.compare.Compare runs it):
//   node --expose-gc peer.mjs SCENARIO PARAMS...
// prints one line "RESULT key=value ...", with the figures and the checksum the harness checks.
// A task is an async function, a sleep timers/promises' setTimeout, a yield setImmediate (a turn of
// the event loop, as asyncio.sleep(0)), a gate a promise.
import { setTimeout as sleep, setImmediate as immediate } from 'node:timers/promises';

const [scenario, ...rest] = process.argv.slice(2);
const p = rest.map(Number);
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
// CPU time of the process (all threads: V8's compiler and GC helpers too), ms.
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const PROMISES = 1024; // the micro scenarios cycle through this many completed promises, k holding k
const completed = () => Array.from({ length: PROMISES }, (_, k) => Promise.resolve(k));

function report(values) {
  console.log('RESULT ' + Object.entries(values).map(([k, v]) =>
    `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`).join(' '));
}

function heapAfterGc() {
  let used = Infinity;
  for (let i = 0; i < 3; i++) {
    global.gc();
    used = Math.min(used, process.memoryUsage().heapUsed);
  }
  return used;
}

async function sleeper(id, ms) {
  await sleep(ms);
  return id;
}

async function waiter(gate, id) {
  await gate;
  return id;
}

let deepest = Infinity;
async function rec(n, ms) {
  if (n < deepest) deepest = n;
  if (n === 0) {
    await sleep(ms);
    return 0;
  }
  return (await rec(n - 1, ms)) + 1;
}

async function yielder(id, yields) {
  let done = 0;
  for (let i = 0; i < yields; i++) {
    await immediate();
    done++;
  }
  return id + done;
}

async function plusCompleted(one, i) {
  return (await one) + i;
}

async function plusOne(i) {
  return i + 1;
}

// As Probe.micro on the JVM: warm-up by CPU time, then the median CPU time per operation (process
// CPU: the batch runs on the main thread, V8's helpers add a little) and the median wall time.
async function micro(ops, warmupMs, batches, batch) {
  const end = cpu() + warmupMs;
  let check, warm = 0;
  do {
    check = await batch(ops);
    warm++;
  } while (cpu() < end);
  const ns = [], wall = [];
  for (let b = 0; b < batches; b++) {
    const c0 = cpu(), t0 = now();
    const c = await batch(ops);
    wall.push((now() - t0) * 1e6 / ops);
    ns.push((cpu() - c0) * 1e6 / ops);
    if (c !== check) throw new Error(`batch checksum changed: ${c} after ${check}`);
  }
  ns.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  const mid = Math.floor(batches / 2);
  report({ ns_per_op: ns[mid], wall_ns_per_op: wall[mid], min_ns_per_op: ns[0], warmup_batches: warm, checksum: check });
}

const scenarios = {
  async sleep([n, ms]) {
    await scenarios.jitter([n, ms, 1]);
  },
  // Task i sleeps ms + (i * 7919) % spread (Impl.delayOf): spread different delays, scattered.
  async jitter([n, ms, spread]) {
    const c0 = cpu();
    const t0 = now();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = sleeper(i, ms + (i * 7919) % spread);
    let sum = 0;
    for (const t of tasks) sum += await t;
    const wall = now() - t0;
    report({ overhead_ms: wall - (ms + spread - 1), wall_ms: wall, cpu_ms: cpu() - c0, checksum: sum });
  },

  async heap([n]) {
    let open;
    const gate = new Promise((resolve) => { open = resolve; });
    const before = heapAfterGc();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = waiter(gate, i);
    await immediate(); // a turn of the loop: every task waits on the gate
    const perTask = Math.floor((heapAfterGc() - before) / n);
    open();
    let sum = 0;
    for (const t of tasks) sum += await t;
    report({ heap_per_task: perTask, checksum: sum });
  },

  async recursion([depth, ms]) {
    const c0 = cpu();
    const t0 = now();
    try {
      const r = await rec(depth, ms);
      report({ wall_ms: now() - t0, cpu_ms: cpu() - c0, checksum: r });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      report({ status: 'RangeError(call_stack)', depth_reached: depth - deepest });
    }
  },

  async gather([n, yields]) {
    const c0 = cpu();
    const t0 = now();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = yielder(i, yields);
    const results = await Promise.all(tasks);
    const ns = (now() - t0) * 1e6 / (n * yields);
    const cpuNs = (cpu() - c0) * 1e6 / (n * yields);
    report({ ns_per_yield: ns, cpu_ns_per_yield: cpuNs, checksum: results.reduce((a, b) => a + b, 0) });
  },

  async completed([ops, warmupMs, batches]) {
    await micro(ops, warmupMs, batches, async (k) => {
      const promises = completed();
      let sum = 0;
      for (let i = 0; i < k; i++) sum += await promises[i & (PROMISES - 1)];
      return sum;
    });
  },

  async nosuspend([ops, warmupMs, batches]) {
    await micro(ops, warmupMs, batches, async (k) => {
      const promises = completed();
      let sum = 0;
      for (let i = 0; i < k; i++) sum += await plusCompleted(promises[i & (PROMISES - 1)], i);
      return sum;
    });
  },

  async noawait([ops, warmupMs, batches]) {
    await micro(ops, warmupMs, batches, async (k) => {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += await plusOne(i);
      return sum;
    });
  },

  async generator([ops, warmupMs, batches]) {
    const values = Array.from({ length: PROMISES }, (_, k) => k);
    async function* numbers(k) {
      for (let i = 0; i < k; i++) yield values[i & (PROMISES - 1)];
    }
    await micro(ops, warmupMs, batches, async (k) => {
      let sum = 0;
      for await (const v of numbers(k)) sum += v;
      return sum;
    });
  },

  async yield([n]) {
    const c0 = cpu();
    const t0 = now();
    let count = 0;
    for (let i = 0; i < n; i++) {
      await immediate();
      count++;
    }
    report({ ms: now() - t0, cpu_ms: cpu() - c0, checksum: count });
  },
};

const run = scenarios[scenario];
if (!run) {
  console.error(`no Node version of scenario '${scenario}'`);
  process.exit(2);
}
await run(p);
