// bench/pool-features: the Pool's issue-14 features, measured in one run.
// (1) streaming a generator's values vs a plain imap over the same values; (2) skewed workload (1% of tasks 100×
// longer): makespan vs the ideal (total work / workers) for poolkit, Python's Pool.map and piscina; (3) throughput
// around pool.recycle() (the replacement starts first); (4) isolation: 'process' per-task cost vs worker threads.
import { execFileSync } from 'node:child_process';
import { Pool, task } from '../dist/index.js';
import { compare, table, save, quick, log } from './lib/harness.mjs';
import { rng } from './lib/rng.mjs';

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

// 1. Streaming vs plain imap.
const S = quick ? 200_000 : 2_000_000;
log(`case 1: ${S.toLocaleString()} values from a generator task (pool.stream) vs imap over the same values`);
const pool = new Pool({ workers: W });
await pool.ready();
const drainIt = async (it) => {
  let n = 0;
  for await (const _ of it) n++;
  if (n !== S) throw new Error(`got ${n}`);
};
const streaming = await compare(
  [
    {
      name: 'poolkit stream (hwm 1024)',
      work: S,
      run: () =>
        drainIt(
          pool.stream(
            function* (n) {
              for (let i = 0; i < n; i++) yield i;
            },
            [S],
            { highWaterMark: 1024 },
          ),
        ),
    },
    {
      name: 'poolkit stream (hwm 16)',
      work: S,
      run: () =>
        drainIt(
          pool.stream(
            function* (n) {
              for (let i = 0; i < n; i++) yield i;
            },
            [S],
          ),
        ),
    },
    {
      name: 'poolkit imap (chunksize 1000)',
      work: S,
      run: () => drainIt(pool.imap((x) => x, range(S), { chunksize: 1000 })),
    },
    {
      name: 'poolkit imap (chunksize 1)',
      work: S / 10,
      run: async () => {
        let n = 0;
        for await (const _ of pool.imap((x) => x, range(S / 10))) n++;
      },
    },
  ],
  { reps, warmup: 1 },
);
cases.push(
  table(`Streaming: ${S.toLocaleString()} values, 1 generator task vs imap`, streaming, {
    baseline: 'poolkit imap (chunksize 1000)',
    label: 'values/s',
    metric: (r, s) => r.work / s,
  }),
);

// 2. Skewed workload.
const K = quick ? 10_000 : 100_000;
const SHORT = 0.02;
const random = rng(14);
const skewed = range(K).map(() => (random() < 0.01 ? SHORT * 100 : SHORT));
const idealS = skewed.reduce((a, b) => a + b, 0) / 1000 / W;
log(
  `case 2: ${K.toLocaleString()} tasks, 1% of them 100× longer (${SHORT} ms / ${SHORT * 100} ms); ideal makespan ${(idealS * 1000).toFixed(0)} ms`,
);
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
const skew = await compare(
  [
    { name: 'poolkit map (auto chunks)', run: () => pool.map(spin, skewed) },
    { name: 'poolkit map (chunksize 1)', run: () => pool.map(spin, skewed, { chunksize: 1 }) },
    { name: 'poolkit map task(url) (auto)', run: () => pool.map(task(spinUrl), skewed) },
    {
      name: 'Python Pool.map (auto chunks)',
      run: () =>
        Number(
          execFileSync(py, [new URL('./workers/py_pool_skew.py', import.meta.url).pathname, String(W)], {
            input: JSON.stringify(skewed),
          }).toString(),
        ),
    },
    { name: 'piscina run × N', run: () => Promise.all(skewed.map((ms) => piscina.run(ms))) },
  ],
  { reps, warmup: 1 },
);
cases.push(
  table(
    `Skewed workload: ${K.toLocaleString()} tasks, 1% 100× longer, ${W} workers (makespan / ideal ${(idealS * 1000).toFixed(0)} ms)`,
    skew,
    {
      baseline: 'Python Pool.map (auto chunks)',
      label: '× ideal',
      metric: (_r, s) => s / idealS,
      higherIsBetter: false,
    },
  ),
);
await piscina.destroy();

// 3. Recycling dip: tasks completed per 50 ms window (counted from 'taskend' events) while every worker is replaced
// mid-run, against the same run without recycling.
const WINDOW_MS = 50;
log(`case 3: tasks per ${WINDOW_MS} ms window across pool.recycle()`);
const windows = async (recycle) => {
  const p = new Pool({ workers: W });
  await p.ready();
  const counts = [];
  const runFor = quick ? 1000 : 3000;
  const t0 = performance.now();
  p.on('taskend', () => {
    const w = Math.floor((performance.now() - t0) / WINDOW_MS);
    counts[w] = (counts[w] ?? 0) + 1;
  });
  let recycled = false;
  const lane = async () => {
    while (performance.now() - t0 < runFor) {
      await p.map(spin, new Array(8).fill(0.2), { chunksize: 1 });
      if (recycle && !recycled && performance.now() - t0 > runFor / 2) {
        recycled = true;
        p.recycle();
      }
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  await p.terminate();
  const c = Array.from(counts, (x) => x ?? 0).slice(2, -1); // drop the first windows (warm-up) and the partial last one
  const sorted = [...c].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  return { seconds: sorted[0] / median, minWindow: sorted[0], medianWindow: median };
};
const dip = await compare(
  [
    { name: 'recycle() mid-run', run: () => windows(true) },
    { name: 'no recycle', run: () => windows(false) },
  ],
  { reps, warmup: 0 },
);
cases.push(
  table(`Recycling: slowest ${WINDOW_MS} ms window / median window (1 = no dip)`, dip, {
    baseline: 'no recycle',
    label: 'min/median',
    metric: (_r, s) => s,
  }),
);

// 4. isolation: 'process' vs threads, per task.
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
const iso = await compare(
  [
    { name: 'threads apply × N', work: T, run: () => Promise.all(range(T).map((i) => pool.apply(inc, [i]))) },
    { name: 'processes apply × N', work: T, run: () => Promise.all(range(T).map((i) => proc.apply(inc, [i]))) },
    { name: 'threads sequential apply', work: T, run: seq(pool) },
    { name: 'processes sequential apply', work: T, run: seq(proc) },
  ],
  { reps, warmup: 1 },
);
cases.push(
  table(`Isolation: µs per task, ${W} workers`, iso, {
    baseline: 'threads apply × N',
    label: 'µs/task',
    metric: (r, s) => (s / r.work) * 1e6,
    higherIsBetter: false,
  }),
);
await proc.terminate();
await pool.terminate();

save('pool-features', {
  workers: W,
  streamValues: S,
  skewTasks: K,
  idealMakespanS: idealS,
  cases,
  raw: { streaming, skew, dip, iso },
});
process.exit(0);
