/**
 * `poolkit demo`: a tour of the product on built-in data (fixed seeds) in well under 30 s on 2 cores: a Pool's `map`
 * and `imap` with a live counter, k-means on every backend this machine has (WebGPU only with a hardware adapter)
 * and how far they agree, word count with its throughput, then where to go next.
 */
import { createLogUpdate } from 'log-update';
import { Pool, kmeans, wordCount, type KMeansResult } from '../index.js';
import { gaussianBlobs, mixedScriptVocabulary, zipfText } from '../data/index.js';
import { runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';
import { probeMachine } from './machine.js';

export const demoSpec: CommandSpec = {
  name: 'demo',
  summary: 'a tour on built-in data: Pool map/imap, k-means on every backend here, word count',
  positionals: [],
  options: {},
};

export function demoCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(demoSpec, argv, io, () => demo(io));
}

const fmt = (n: number) => n.toLocaleString('en-US');
const since = (t0: number) => {
  const ms = performance.now() - t0;
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
};

/** A counter redrawn in place on a terminal; elsewhere only its last value is printed. */
function counter(io: Io): { set(text: string): void; done(text: string): void } {
  if (!io.terminal) return { set() {}, done: (text) => io.stdout(text) };
  const update = createLogUpdate(io.terminal);
  return {
    set: (text) => update(text),
    done(text) {
      update(text);
      update.done();
    },
  };
}

async function poolTour(io: Io): Promise<void> {
  const pool = new Pool();
  try {
    io.stdout(`1. Pool: Python's multiprocessing.Pool API on worker_threads, ${pool.size} workers`);
    let t0 = performance.now();
    const squares = await pool.map(
      (x: number) => x * x,
      Array.from({ length: 200_000 }, (_, i) => i),
    );
    io.stdout(
      `   map    200,000 squares in automatic chunks, sum ${fmt(squares.reduce((a, b) => a + b, 0))}, ${since(t0)}`,
    );
    const isPrime = (n: number) => {
      if (n < 2) return false;
      for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
      return true;
    };
    const n = 20_000;
    const live = counter(io);
    t0 = performance.now();
    let seen = 0;
    let primes = 0;
    for await (const p of pool.imap(
      isPrime,
      Array.from({ length: n }, (_, i) => 1_000_000_000 + i),
      { chunksize: 250 },
    )) {
      seen++;
      if (p) primes++;
      if (seen % 500 === 0)
        live.set(`   imap   primality of ${fmt(n)} numbers, in order, as they arrive: ${fmt(seen)}/${fmt(n)}`);
    }
    live.done(
      `   imap   primality of ${fmt(n)} numbers, in order, as they arrive: ${fmt(seen)}/${fmt(n)}, ${fmt(primes)} primes, ${since(t0)}`,
    );
  } finally {
    await pool.terminate();
  }
}

async function kmeansTour(io: Io): Promise<void> {
  const n = 100_000;
  const dims = 16;
  const k = 16;
  const { data } = gaussianBlobs({ n, dims, centers: k, spread: 1.5, seed: 42 });
  io.stdout(
    `2. k-means: ${fmt(n)} points × ${dims} dims (Gaussian blobs, seed 42), k = ${k}, the same k-means++ seed on every backend`,
  );
  const gpu = (await probeMachine({ peers: false })).webgpu;
  const backends: ('js' | 'wasm' | 'webgpu')[] = ['js', 'wasm'];
  if (gpu.adapter && gpu.software === false) backends.push('webgpu');
  const runs: { backend: string; r: KMeansResult; ms: number }[] = [];
  for (const backend of backends) {
    const t0 = performance.now();
    const r = await kmeans(data, { k, dims, seed: 1, backend, maxIter: 50 });
    const ms = performance.now() - t0;
    runs.push({ backend, r, ms });
    const speed = runs[0] && backend !== 'js' ? ` (${(runs[0].ms / ms).toFixed(1)}× js)` : '';
    io.stdout(
      `   ${backend.padEnd(6)} ${String(r.threads).padStart(2)} thread${r.threads === 1 ? ' ' : 's'}  inertia ${r.inertia.toExponential(5)}, ${r.iterations} iterations${r.converged ? '' : ' (not converged)'}, ${since(t0)}${speed}`,
    );
  }
  if (!backends.includes('webgpu'))
    io.stdout(
      `   webgpu not shown: ${gpu.adapter ? `only a software adapter here (${gpu.adapter})` : (gpu.note ?? 'no adapter')}`,
    );
  const ref = runs[0]!.r;
  for (const { backend, r } of runs.slice(1)) {
    let same = 0;
    for (let i = 0; i < n; i++) if (r.labels[i] === ref.labels[i]) same++;
    const rel = Math.abs(r.inertia - ref.inertia) / ref.inertia;
    io.stdout(
      `   agreement ${backend} vs js: the same label on ${((100 * same) / n).toFixed(2)}% of points, inertia within ${rel.toExponential(1)} (relative)`,
    );
  }
}

async function wordcountTour(io: Io): Promise<void> {
  const text = zipfText({ vocabulary: mixedScriptVocabulary(5000, 7), bytes: 16 * 2 ** 20, seed: 7 });
  io.stdout(
    `3. word count: ${(text.length / 2 ** 20).toFixed(0)} MiB of Zipf-distributed words in several scripts (seed 7)`,
  );
  const totals: string[] = [];
  for (const backend of ['js', 'wasm'] as const) {
    const t0 = performance.now();
    const counts = await wordCount(text, { backend });
    const secs = (performance.now() - t0) / 1000;
    totals.push(`${counts.total}/${counts.unique}/${JSON.stringify(counts.top(20))}`);
    io.stdout(
      `   ${backend.padEnd(6)} ${fmt(counts.total)} words, ${fmt(counts.unique)} unique, ${(text.length / 2 ** 20 / secs).toFixed(0)} MiB/s (${counts.threads} thread${counts.threads === 1 ? '' : 's'})`,
    );
    if (backend === 'wasm')
      io.stdout(
        `          top 5: ${counts
          .top(5)
          .map(([w, c]) => `${w} ${fmt(c)}`)
          .join(', ')}`,
      );
  }
  io.stdout(
    `   agreement: ${totals[0] === totals[1] ? 'the same totals and top 20 on both backends' : 'the backends DIFFER (please report this)'}`,
  );
}

async function demo(io: Io): Promise<number> {
  const t0 = performance.now();
  io.stdout('poolkit demo: built-in data, fixed seeds');
  await poolTour(io);
  await kmeansTour(io);
  await wordcountTour(io);
  io.stdout(
    [
      `done in ${since(t0)}. Next:`,
      '  poolkit info                          what this machine can run (threads, SIMD, WebGPU, peers)',
      '  poolkit kmeans FILE.csv --k 8         k-means on your data (.csv or .npy)',
      '  poolkit wordcount FILE.txt --top 20   word counts of a text file',
      '  poolkit bench all --out report        poolkit against its peers, with an HTML report',
      '  poolkit help <command>                every option',
    ].join('\n'),
  );
  return 0;
}
