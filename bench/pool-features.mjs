// bench/pool-features: the Pool's issue-14 features, measured in one run.
// (1) streaming a generator's values vs a plain imap over the same values; (2) skewed workload (1% of tasks 100×
// longer, scattered, then clustered at the end): makespan vs the ideal (total work / workers) for poolkit, Python's
// Pool.map and piscina, and poolkit's balance (makespan / mean worker busy time, which load on the machine does not
// inflate); (3) throughput around pool.recycle() and maxMemoryPerWorker recycles (the replacement starts first);
// (4) isolation: 'process' per-task cost vs worker threads.
// `--cases stream,skew,recycle,isolation` runs only those (default: all).
import { execFileSync } from 'node:child_process';
import { Pool, task } from '../dist/index.js';
import { compare, table, save, quick, log, summarize } from './lib/harness.mjs';
import { seededRandom } from '../dist/data/index.js';

const argv = process.argv.slice(2);
const CASES = ['stream', 'skew', 'recycle', 'isolation'];
const picked = argv.includes('--cases') ? (argv[argv.indexOf('--cases') + 1] ?? '').split(',') : CASES;
for (const c of picked)
  if (!CASES.includes(c)) {
    process.stderr.write(`--cases: expected a comma-separated list of ${CASES.join(', ')}, got '${c}'\n`);
    process.exit(2);
  }
const want = (c) => picked.includes(c);

const W = 2;
const reps = quick ? 3 : 5;
const cases = [];
const range = (n) => Array.from({ length: n }, (_, i) => i);
const spinUrl = new URL('./workers/spin.mjs', import.meta.url);
const spin = (ms) => {
  const t = performance.now();
  while (performance.now() - t < ms);
  return ms;
};

const pool = new Pool({ workers: W });
await pool.ready();
const raw = {};
const meta = { workers: W };

// 1. Streaming vs plain imap.
if (want('stream')) {
  const S = quick ? 200_000 : 2_000_000;
  meta.streamValues = S;
  log(`case 1: ${S.toLocaleString()} values from a generator task (pool.stream) vs imap over the same values`);
  const drainIt = async (it) => {
    let n = 0;
    for await (const _ of it) n++;
    if (n !== S) throw new Error(`got ${n}`);
  };
  const gen = function* (n) {
    for (let i = 0; i < n; i++) yield i;
  };
  raw.streaming = await compare(
    [
      {
        name: 'poolkit stream (hwm 1024)',
        work: S,
        run: () => drainIt(pool.stream(gen, [S], { highWaterMark: 1024 })),
      },
      { name: 'poolkit stream (hwm 16)', work: S, run: () => drainIt(pool.stream(gen, [S])) },
      {
        name: 'poolkit imap (chunksize 1000)',
        work: S,
        run: () => drainIt(pool.imap((x) => x, range(S), { chunksize: 1000 })),
      },
      {
        name: 'poolkit imap (chunksize 1)',
        work: S / 10,
        run: async () => {
          for await (const _ of pool.imap((x) => x, range(S / 10)));
        },
      },
    ],
    { reps, warmup: 1 },
  );
  cases.push(
    table(`Streaming: ${S.toLocaleString()} values, 1 generator task vs imap`, raw.streaming, {
      baseline: 'poolkit imap (chunksize 1000)',
      label: 'values/s',
      metric: (r, s) => r.work / s,
    }),
  );
}

// 2. Skewed workload: scattered (the issue's case), then clustered at the end of the input (one automatic chunk holds
// every slow task: static chunking's worst case).
if (want('skew')) {
  const K = quick ? 10_000 : 100_000;
  const SHORT = 0.02;
  const random = seededRandom(14);
  const scattered = range(K).map(() => (random() < 0.01 ? SHORT * 100 : SHORT));
  const slow = scattered.filter((ms) => ms > SHORT).length;
  const clustered = range(K).map((i) => (i >= K - slow ? SHORT * 100 : SHORT));
  const idealS = scattered.reduce((a, b) => a + b, 0) / 1000 / W;
  Object.assign(meta, { skewTasks: K, idealMakespanS: idealS });
  const py = (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import multiprocessing']);
      return '/usr/bin/python3';
    } catch {
      return 'python3';
    }
  })();
  const { Piscina } = await import('piscina');
  const piscina = new Piscina({ filename: spinUrl.href, minThreads: W, maxThreads: W });
  await Promise.all(range(50).map(() => piscina.run(0.01)));
  // poolkit's balance per run: makespan / (the workers' summed busy time / W), from 'taskend' events.
  const balance = {};
  const balanced = (name, run) => async () => {
    const busy = [0];
    const on = (d) => (busy[0] += d.runMs);
    const off = pool.on('taskend', on);
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    off();
    (balance[name] ??= []).push(ms / (busy[0] / W));
    return ms / 1000;
  };
  const python = (items) => () =>
    Number(
      execFileSync(py, [new URL('./workers/py_pool_skew.py', import.meta.url).pathname, String(W)], {
        input: JSON.stringify(items),
      }).toString(),
    );
  for (const [shape, items] of [
    ['scattered', scattered],
    ['clustered at the end', clustered],
  ]) {
    log(
      `case 2 (${shape}): ${K.toLocaleString()} tasks, 1% of them 100× longer (${SHORT} ms / ${SHORT * 100} ms); ideal makespan ${(idealS * 1000).toFixed(0)} ms`,
    );
    const contenders = [
      { name: 'poolkit map (auto chunks)', run: balanced(`${shape}: auto`, () => pool.map(spin, items)) },
      {
        name: 'poolkit map task(url) (auto)',
        run: balanced(`${shape}: task(url)`, () => pool.map(task(spinUrl), items)),
      },
      { name: 'Python Pool.map (auto chunks)', run: python(items) },
    ];
    if (shape === 'scattered')
      contenders.splice(
        1,
        0,
        { name: 'poolkit map (chunksize 1)', run: () => pool.map(spin, items, { chunksize: 1 }) },
        { name: 'piscina run × N', run: () => Promise.all(items.map((ms) => piscina.run(ms))) },
      );
    const skew = await compare(contenders, { reps, warmup: 1 });
    (raw.skew ??= {})[shape] = skew;
    cases.push(
      table(
        `Skewed workload (${shape}): ${K.toLocaleString()} tasks, 1% 100× longer, ${W} workers (makespan / ideal ${(idealS * 1000).toFixed(0)} ms)`,
        skew,
        {
          baseline: 'Python Pool.map (auto chunks)',
          label: '× ideal',
          metric: (_r, s) => s / idealS,
          higherIsBetter: false,
        },
      ),
    );
  }
  const rows = Object.entries(balance).map(([name, samples]) => ({ name, ...summarize(samples) }));
  raw.balance = rows;
  cases.push(
    table('Skewed workload: poolkit makespan / (workers’ busy time / workers) (1 = no worker idle)', rows, {
      baseline: undefined,
      label: '× balanced',
      metric: (_r, s) => s,
      higherIsBetter: false,
    }),
  );
  await piscina.destroy();
}

// 3. Recycling dip: tasks completed per 50 ms window (counted from 'taskend' events) while workers are replaced
// mid-run (pool.recycle() once; maxMemoryPerWorker whenever a task leaves the heap above it), against the same run
// without recycling.
if (want('recycle')) {
  const WINDOW_MS = 50;
  const runFor = quick ? 1000 : 3000;
  log(`case 3: tasks per ${WINDOW_MS} ms window across pool.recycle() and maxMemoryPerWorker recycles`);
  // Each task keeps 32 KiB reachable on the heap (a plain array: typed arrays live outside it): a worker's heap grows until maxMemoryPerWorker replaces it.
  const hold = (ms) => {
    (globalThis.kept ??= []).push(new Array(4096).fill(ms));
    const t = performance.now();
    while (performance.now() - t < ms);
    return ms;
  };
  const windows = async (how) => {
    const p = new Pool({ workers: W, ...(how === 'memory' ? { maxMemoryPerWorker: 32 } : {}) });
    await p.ready();
    const counts = [];
    const t0 = performance.now();
    let recycled = false;
    p.on('taskend', () => {
      const w = Math.floor((performance.now() - t0) / WINDOW_MS);
      counts[w] = (counts[w] ?? 0) + 1;
    });
    const lane = async () => {
      while (performance.now() - t0 < runFor) {
        await p.map(how === 'none' ? spin : hold, new Array(8).fill(0.2), { chunksize: 1 });
        if (how === 'recycle' && !recycled && performance.now() - t0 > runFor / 2) {
          recycled = true;
          p.recycle();
        }
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    const replaced = p.stats().recycled;
    await p.terminate();
    const c = Array.from(counts, (x) => x ?? 0).slice(2, -1); // drop the first windows (warm-up) and the partial last one
    const sorted = [...c].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    const total = c.reduce((a, b) => a + b, 0);
    return {
      seconds: sorted[0] / median,
      minWindow: sorted[0],
      medianWindow: median,
      tasksPerS: total / ((c.length * WINDOW_MS) / 1000),
      replaced,
    };
  };
  const perSecond = {};
  const run = (how) => async () => {
    const r = await windows(how);
    (perSecond[how] ??= []).push(r.tasksPerS);
    return r;
  };
  raw.dip = await compare(
    [
      { name: 'recycle() mid-run', run: run('recycle') },
      { name: 'maxMemoryPerWorker 32 MiB', run: run('memory') },
      { name: 'no recycle', run: run('none') },
    ],
    { reps, warmup: 0 },
  );
  cases.push(
    table(`Recycling: slowest ${WINDOW_MS} ms window / median window (1 = no dip)`, raw.dip, {
      baseline: 'no recycle',
      label: 'min/median',
      metric: (_r, s) => s,
    }),
  );
  const names = { recycle: 'recycle() mid-run', memory: 'maxMemoryPerWorker 32 MiB', none: 'no recycle' };
  const rows = Object.entries(perSecond).map(([how, samples]) => ({
    name: names[how],
    ...summarize(samples.map((x) => 1 / x)),
  }));
  raw.dipThroughput = rows;
  cases.push(
    table('Recycling: tasks/s over the run (0.2 ms tasks, 4 lanes of map × 8)', rows, {
      baseline: 'no recycle',
      label: 'tasks/s',
      metric: (_r, s) => 1 / s,
    }),
  );
  log(`  workers replaced per run: ${raw.dip.map((r) => `${r.name} ${r.extra.replaced}`).join(', ')}`);
}

// 4. isolation: 'process' vs threads, per task.
if (want('isolation')) {
  const T = quick ? 5_000 : 50_000;
  const RT = quick ? 300 : 3_000;
  log(
    `case 4: per-task cost, ${T.toLocaleString()} tasks at once and ${RT} sequential round trips, threads vs processes`,
  );
  const proc = new Pool({ workers: W, isolation: 'process' });
  await proc.ready();
  const inc = (x) => x + 1;
  await proc.map(inc, range(100), { chunksize: 1 });
  const seq = (p) => async () => {
    const t0 = performance.now();
    for (let i = 0; i < RT; i++) await p.apply(inc, [i]);
    return ((performance.now() - t0) / 1000) * (T / RT);
  };
  raw.iso = await compare(
    [
      { name: 'threads apply × N', work: T, run: () => Promise.all(range(T).map((i) => pool.apply(inc, [i]))) },
      { name: 'processes apply × N', work: T, run: () => Promise.all(range(T).map((i) => proc.apply(inc, [i]))) },
      { name: 'threads sequential apply', work: T, run: seq(pool) },
      { name: 'processes sequential apply', work: T, run: seq(proc) },
    ],
    { reps, warmup: 1 },
  );
  cases.push(
    table(`Isolation: µs per task, ${W} workers`, raw.iso, {
      baseline: 'threads apply × N',
      label: 'µs/task',
      metric: (r, s) => (s / r.work) * 1e6,
      higherIsBetter: false,
    }),
  );
  await proc.terminate();
}
await pool.terminate();

save('pool-features', { ...meta, picked, cases, raw });
process.exit(0);
