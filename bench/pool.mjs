// bench/pool: poolkit's Pool side by side with piscina, tinypool, workerpool, threads and Python's Pool, in one run.
// Cases: (1) per-item tasks submitted at once, (2) map with automatic chunking, (3) apply round trip.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Pool, task } from '../dist/index.js';
import { compare, table, save, quick, log } from './lib/harness.mjs';

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

async function makePeers() {
  const { Piscina } = await import('piscina');
  const { Tinypool } = await import('tinypool');
  const workerpool = require('workerpool');
  const threads = require('threads');
  const poolkit = new Pool({ workers: W });
  const piscina = new Piscina({ filename: incUrl.href, minThreads: W, maxThreads: W });
  const tinypool = new Tinypool({ filename: incUrl.href, minThreads: W, maxThreads: W });
  const wp = workerpool.pool(new URL('./workers/workerpool-inc.cjs', import.meta.url).pathname, { minWorkers: W, maxWorkers: W, workerType: 'thread' });
  let th;
  try {
    th = threads.Pool(() => threads.spawn(new threads.Worker('./workers/threads-inc.cjs')), W);
  } catch (e) {
    log(`threads unavailable: ${e.message}`);
  }
  // Start every pool's workers before timing.
  await Promise.all([poolkit.map(inc, items(100), { chunksize: 1 }), Promise.all(items(50).map((i) => piscina.run(i))), Promise.all(items(50).map((i) => tinypool.run(i))), Promise.all(items(50).map((i) => wp.exec('inc', [i])))]);
  if (th) await Promise.all(items(10).map((i) => th.queue((f) => f(i))));
  return { poolkit, piscina, tinypool, wp, th, close: async () => Promise.all([poolkit.terminate(), piscina.destroy(), tinypool.destroy(), wp.terminate(), th?.terminate(true)]) };
}

const p = await makePeers();
const cases = [];

log(`case 1: ${N.toLocaleString()} trivial tasks (x => x + 1) submitted at once, ${W} workers`);
const perItem = await compare([
  { name: 'poolkit map (chunksize 1)', work: N, run: () => p.poolkit.map(inc, items(N), { chunksize: 1 }) },
  { name: 'poolkit apply × N', work: N, run: () => Promise.all(items(N).map((i) => p.poolkit.apply(inc, [i]))) },
  { name: 'poolkit apply × N, task(url)', work: N, run: () => Promise.all(items(N).map((i) => p.poolkit.apply(task(incUrl), [i]))) },
  { name: 'piscina run × N', work: N, run: () => Promise.all(items(N).map((i) => p.piscina.run(i))) },
  { name: 'tinypool run × N', work: N, run: () => Promise.all(items(N).map((i) => p.tinypool.run(i))) },
  { name: 'workerpool exec × N', work: N, run: () => Promise.all(items(N).map((i) => p.wp.exec('inc', [i]))) },
  ...(p.th ? [{ name: `threads queue × ${N_THREADS}`, work: N_THREADS, run: async () => { await Promise.all(items(N_THREADS).map((i) => p.th.queue((f) => f(i)))); } }] : []),
], { reps, warmup: 1 });
cases.push(table(`Per-item tasks: ${N.toLocaleString()} × (x => x + 1), ${W} workers`, perItem, { baseline: 'piscina run × N', label: 'tasks/s', metric: (r, s) => r.work / s }));

log(`case 2: map over ${M.toLocaleString()} items with automatic chunks`);
const py = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import multiprocessing']);
    return '/usr/bin/python3';
  } catch {
    return 'python3';
  }
})();
const chunked = await compare([
  { name: 'poolkit map (auto chunks)', work: M, run: () => p.poolkit.map(inc, items(M)) },
  { name: 'Python Pool.map (auto chunks)', work: M, run: () => Number(execFileSync(py, [new URL('./workers/py_pool_map.py', import.meta.url).pathname, String(M), String(W)]).toString()) },
], { reps, warmup: 1 });
cases.push(table(`map with automatic chunking: ${M.toLocaleString()} items, ${W} workers`, chunked, { baseline: 'Python Pool.map (auto chunks)', label: 'items/s', metric: (r, s) => r.work / s }));

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
const rt = await compare([
  { name: 'poolkit apply', run: seq((i) => p.poolkit.apply(inc, [i])) },
  { name: 'piscina run', run: seq((i) => p.piscina.run(i)) },
  { name: 'tinypool run', run: seq((i) => p.tinypool.run(i)) },
  { name: 'workerpool exec', run: seq((i) => p.wp.exec('inc', [i])) },
], { reps, warmup: 1 });
cases.push(table(`apply round trip (median of ${RT} sequential calls per repetition)`, rt, { baseline: 'piscina run', label: 'µs', metric: (r, s) => s * 1e6, higherIsBetter: false }));

await p.close();
save('pool', { workers: W, tasks: N, mapItems: M, roundTrips: RT, cases, raw: { perItem, chunked, rt } });
process.exit(0);
