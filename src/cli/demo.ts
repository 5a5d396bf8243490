/**
 * `poolkit demo`: the main job on built-in data. Generates (fixed seed) Gaussian blobs and Zipf-distributed text,
 * then runs k-means and word count on the compiled kernels and a Pool.map, printing what each took.
 */
import { Pool, kmeans, wordCount } from '../index.js';
import type { Io } from './io.js';
import { Prng } from '../core/random.js';

function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.random();
}

function blobs(n: number, dims: number, centers: number, seed: number): Float32Array {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const means = Array.from({ length: centers * dims }, () => (r() - 0.5) * 6);
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * centers);
    for (let d = 0; d < dims; d++) data[i * dims + d] = means[c * dims + d]! + gauss();
  }
  return data;
}

function zipfText(bytes: number, seed: number): Uint8Array {
  const r = rng(seed);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'shi', 'der', 'ün', 'ça', 'λό', 'γος', 'мир', '数'];
  const vocab = Array.from({ length: 5000 }, () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => syllables[Math.floor(r() * syllables.length)]).join(''));
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 0; i < vocab.length; i++) cdf.push((sum += 1 / (i + 1)));
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const u = r() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    const w = (r() < 0.05 ? vocab[lo]!.toUpperCase() : vocab[lo]!) + (r() < 0.1 ? '.\n' : ' ');
    parts.push(w);
    size += w.length;
  }
  return new TextEncoder().encode(parts.join(''));
}

export async function demoCommand(_argv: string[], io: Io): Promise<number> {
  const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

  const n = 200_000;
  const dims = 16;
  const k = 16;
  const data = blobs(n, dims, k, 42);
  io.stdout(`k-means: ${n.toLocaleString('en-US')} points × ${dims} dims (Gaussian blobs, seed 42), k = ${k}, k-means++`);
  for (const backend of ['wasm', 'js'] as const) {
    const t0 = performance.now();
    const r = await kmeans(data, { k, dims, seed: 1, backend });
    io.stdout(`  ${backend.padEnd(5)} ${String(r.threads).padStart(2)} thread(s): inertia ${r.inertia.toExponential(4)}, ${r.iterations} iterations, converged ${r.converged}, ${ms(t0)}`);
  }

  const text = zipfText(32 * 2 ** 20, 7);
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
