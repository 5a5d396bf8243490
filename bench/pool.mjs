// bench/pool: poolkit's Pool side by side with piscina, tinypool, workerpool, threads and Python's Pool, in one run.
// Cases: (1) per-item tasks submitted at once, (2) map with automatic chunking, (3) apply round trip.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Pool, task } from '../dist/index.js';
import { compare, table, save, quick, log, unavailable } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const W = 2;
const N = quick ? 10_000 : 100_000;
const N_THREADS = quick ? 200 : 2_000; // threads.js is O(N²) in queued tasks: a smaller batch, reported per task
const M = quick ? 200_000 : 2_000_000;
const RT = quick ? 500 : 5_000;
const reps = quick ? 3 : 5;
const incUrl = new URL('./workers/inc.mjs', import.meta.url);
const inc = (x) => x + 1;
const items = (n) => Array.from({ length: n }, (_, i) => i);

/** Loads a peer; a peer that is not installed (or fails to start) is skipped with the reason, never dropped. */
async function peer(name, start) {
  try {
    return { pool: await start() };
  } catch (e) {
    return {
      missing: `${name} unavailable: ${e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND' ? 'not installed' : e.message}`,
    };
  }
}

async function makePeers() {
  const poolkit = new Pool({ workers: W });
  const piscina = await peer(
    'piscina',
    async () => new (await import('piscina')).Piscina({ filename: incUrl.href, minThreads: W, maxThreads: W }),
  );
  const tinypool = await peer(
    'tinypool',
    async () => new (await import('tinypool')).Tinypool({ filename: incUrl.href, minThreads: W, maxThreads: W }),
  );
  const wp = await peer('workerpool', async () =>
    require('workerpool').pool(new URL('./workers/workerpool-inc.cjs', import.meta.url).pathname, {
      minWorkers: W,
      maxWorkers: W,
      workerType: 'thread',
    }),
  );
  const th = await peer('threads', async () => {
    const threads = require('threads');
    return threads.Pool(() => threads.spawn(new threads.Worker('./workers/threads-inc.cjs')), W);
  });
  // Start every pool's workers before timing.
  await Promise.all([
    poolkit.map(inc, items(100), { chunksize: 1 }),
    piscina.pool && Promise.all(items(50).map((i) => piscina.pool.run(i))),
    tinypool.pool && Promise.all(items(50).map((i) => tinypool.pool.run(i))),
    wp.pool && Promise.all(items(50).map((i) => wp.pool.exec('inc', [i]))),
    th.pool && Promise.all(items(10).map((i) => th.pool.queue((f) => f(i)))),
  ]);
  const close = async () =>
    Promise.all([
      poolkit.terminate(),
      piscina.pool?.destroy(),
      tinypool.pool?.destroy(),
      wp.pool?.terminate(),
      th.pool?.terminate(true),
    ]);
  return { poolkit, piscina, tinypool, wp, th, close };
}

/** A contender on peer `p`, or the peer's skip entry when it is missing. */
const on = (p, name, contender) => (p.pool ? { name, ...contender(p.pool) } : unavailable(name, p.missing));

const p = await makePeers();
const cases = [];

log(`case 1: ${N.toLocaleString()} trivial tasks (x => x + 1) submitted at once, ${W} workers`);
const perItem = await compare(
  [
    { name: 'poolkit map (chunksize 1)', work: N, run: () => p.poolkit.map(inc, items(N), { chunksize: 1 }) },
    { name: 'poolkit apply × N', work: N, run: () => Promise.all(items(N).map((i) => p.poolkit.apply(inc, [i]))) },
    {
      name: 'poolkit apply × N, task(url)',
      work: N,
      run: () => Promise.all(items(N).map((i) => p.poolkit.apply(task(incUrl), [i]))),
    },
    on(p.piscina, 'piscina run × N', (pool) => ({ work: N, run: () => Promise.all(items(N).map((i) => pool.run(i))) })),
    on(p.tinypool, 'tinypool run × N', (pool) => ({
      work: N,
      run: () => Promise.all(items(N).map((i) => pool.run(i))),
    })),
    on(p.wp, 'workerpool exec × N', (pool) => ({
      work: N,
      run: () => Promise.all(items(N).map((i) => pool.exec('inc', [i]))),
    })),
    on(p.th, `threads queue × ${N_THREADS}`, (pool) => ({
      work: N_THREADS,
      run: async () => {
        await Promise.all(items(N_THREADS).map((i) => pool.queue((f) => f(i))));
      },
    })),
  ],
  { reps, warmup: 1 },
);
cases.push(
  table(`Per-item tasks: ${N.toLocaleString()} × (x => x + 1), ${W} workers`, perItem, {
    baseline: 'piscina run × N',
    label: 'tasks/s',
    metric: (r, s) => r.work / s,
  }),
);

log(`case 2: map over ${M.toLocaleString()} items with automatic chunks`);
const py = ['/usr/bin/python3', 'python3'].find((exe) => {
  try {
    execFileSync(exe, ['-c', 'import multiprocessing'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
const chunked = await compare(
  [
    { name: 'poolkit map (auto chunks)', work: M, run: () => p.poolkit.map(inc, items(M)) },
    py
      ? {
          name: 'Python Pool.map (auto chunks)',
          work: M,
          run: () =>
            Number(
              execFileSync(py, [
                new URL('./workers/py_pool_map.py', import.meta.url).pathname,
                String(M),
                String(W),
              ]).toString(),
            ),
        }
      : unavailable('Python Pool.map (auto chunks)', 'no python3 with multiprocessing on PATH'),
  ],
  { reps, warmup: 1 },
);
cases.push(
  table(`map with automatic chunking: ${M.toLocaleString()} items, ${W} workers`, chunked, {
    baseline: 'Python Pool.map (auto chunks)',
    label: 'items/s',
    metric: (r, s) => r.work / s,
  }),
);

log(`case 3: apply round trip, ${RT} sequential calls`);
const seq = (fn) => async () => {
  const t = [];
  for (let i = 0; i < RT; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    t.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  t.sort((a, b) => a - b);
  return { seconds: t[t.length >> 1] / 1e6, p99us: t[Math.floor(t.length * 0.99)] };
};
const rt = await compare(
  [
    { name: 'poolkit apply', run: seq((i) => p.poolkit.apply(inc, [i])) },
    on(p.piscina, 'piscina run', (pool) => ({ run: seq((i) => pool.run(i)) })),
    on(p.tinypool, 'tinypool run', (pool) => ({ run: seq((i) => pool.run(i)) })),
    on(p.wp, 'workerpool exec', (pool) => ({ run: seq((i) => pool.exec('inc', [i])) })),
  ],
  { reps, warmup: 1 },
);
cases.push(
  table(`apply round trip (median of ${RT} sequential calls per repetition)`, rt, {
    baseline: 'piscina run',
    label: 'µs',
    metric: (_r, s) => s * 1e6,
    higherIsBetter: false,
  }),
);

await p.close();
save('pool', { workers: W, tasks: N, mapItems: M, roundTrips: RT, cases, raw: { perItem, chunked, rt } });
process.exit(0);
