/**
 * `poolkit demo`: the main job on built-in data. Generates (fixed seed) Gaussian blobs and Zipf-distributed text,
 * then runs k-means and word count on the compiled kernels and a Pool.map, printing what each took.
 */
import { Pool, kmeans, wordCount } from '../index.js';
import { gaussianBlobs, mixedScriptVocabulary, zipfText } from '../data/index.js';
import { runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';

export const demoSpec: CommandSpec = {
  name: 'demo',
  summary: 'a tour on built-in data: Pool, k-means on every backend here, word count',
  positionals: [],
  options: {},
};

export function demoCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(demoSpec, argv, io, () => demo(io));
}

async function demo(io: Io): Promise<number> {
  const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

  const n = 200_000;
  const dims = 16;
  const k = 16;
  const { data } = gaussianBlobs({ n, dims, centers: k, spread: 3, seed: 42 });
  io.stdout(`k-means: ${n.toLocaleString('en-US')} points × ${dims} dims (Gaussian blobs, seed 42), k = ${k}, k-means++`);
  for (const backend of ['wasm', 'js'] as const) {
    const t0 = performance.now();
    const r = await kmeans(data, { k, dims, seed: 1, backend });
    io.stdout(`  ${backend.padEnd(5)} ${String(r.threads).padStart(2)} thread(s): inertia ${r.inertia.toExponential(4)}, ${r.iterations} iterations, converged ${r.converged}, ${ms(t0)}`);
  }

  const text = zipfText({ vocabulary: mixedScriptVocabulary(5000, 7), bytes: 32 * 2 ** 20, seed: 7 });
  io.stdout(`word count: ${(text.length / 2 ** 20).toFixed(0)} MiB of Zipf-distributed text (seed 7, mixed scripts)`);
  for (const backend of ['wasm', 'js'] as const) {
    const t0 = performance.now();
    const counts = await wordCount(text, { backend });
    const secs = (performance.now() - t0) / 1000;
    io.stdout(`  ${backend.padEnd(5)} ${counts.total.toLocaleString('en-US')} words, ${counts.unique.toLocaleString('en-US')} unique, ${(text.length / 2 ** 20 / secs).toFixed(0)} MiB/s`);
    if (backend === 'wasm') io.stdout(`        top 5: ${counts.top(5).map(([w, c]) => `${w} ${c}`).join(', ')}`);
  }

  const pool = new Pool();
  try {
    const t0 = performance.now();
    const squares = await pool.map((x: number) => x * x, Array.from({ length: 1_000_000 }, (_, i) => i));
    io.stdout(`pool.map: 1,000,000 items on ${pool.size} workers, sum of squares ${squares.reduce((a, b) => a + b, 0).toExponential(6)}, ${ms(t0)}`);
  } finally {
    await pool.terminate();
  }
  return 0;
}
