/**
 * Initial centroids: k-means++ (scikit-learn's greedy variant with 2 + ⌊ln k⌋ local trials per centre) or 'random'
 * (k distinct rows, drawn with probability proportional to their weight). All draws come from one seeded `Prng`, so
 * the same seed gives the same centroids on a given backend (the wasm backend measures k-means++ distances in float32,
 * the js one in float64: a near tie can then be sampled differently).
 */
import type { LloydProblem } from './backend.js';
import type { Prng } from '../core/random.js';
import { throwIfAborted } from './lloyd.js';

/**
 * The distance work of k-means++, done by a backend: the js version is below; the wasm backend runs the same steps
 * on its kernel and threads. `closest` is each row's squared distance to its nearest chosen centre.
 */
export interface KppEngine {
  /** closest := squared distances to row `first`; returns Σ w · closest. */
  start(first: number): Promise<number>;
  /** Running sums of w · closest, rows in order (float64, n values). */
  cumulative(): Promise<Float64Array>;
  /** For each candidate row: Σ w · min(closest, distance to the candidate). */
  trial(rows: readonly number[]): Promise<number[]>;
  /** Makes the i-th candidate of the last `trial` a centre: closest := min(closest, its distances). */
  accept(i: number): void;
  /** Frees the engine's buffers. */
  release(): void;
}

/** The plain TypeScript k-means++ engine (float64 arithmetic). */
export function jsKppEngine(problem: LloydProblem): KppEngine {
  const { data, n, dims, weights } = problem;
  let closest: Float64Array = new Float64Array(n);
  let slots: Float64Array[] = [];
  const cum = new Float64Array(n);
  const pass = (point: number, min: Float64Array | null, out: Float64Array): number => {
    const p = point * dims;
    let pot = 0;
    for (let r = 0, x = 0; r < n; r++, x += dims) {
      let d2 = 0;
      for (let j = 0; j < dims; j++) {
        const d = data[x + j] - data[p + j];
        d2 += d * d;
      }
      if (min && min[r] < d2) d2 = min[r];
      out[r] = d2;
      pot += weights ? weights[r] * d2 : d2;
    }
    return pot;
  };
  return {
    async start(first) {
      return pass(first, null, closest);
    },
    async cumulative() {
      let acc = 0;
      for (let r = 0; r < n; r++) cum[r] = acc += weights ? weights[r] * closest[r] : closest[r];
      return cum;
    },
    async trial(rows) {
      while (slots.length < rows.length) slots.push(new Float64Array(n));
      return rows.map((row, t) => pass(row, closest, slots[t]));
    },
    accept(i) {
      [closest, slots[i]] = [slots[i], closest];
    },
    release() {
      slots = [];
    },
  };
}

/** scikit-learn's `_kmeans_plusplus`: returns k × dims centroids (rows of the data). */
export async function kmeansPlusPlus(
  problem: LloydProblem,
  rng: Prng,
  engine: KppEngine = jsKppEngine(problem),
  signal?: AbortSignal,
): Promise<Float32Array> {
  const { data, n, dims, k, weights } = problem;
  const trials = 2 + Math.floor(Math.log(k));
  const centroids = new Float32Array(k * dims);
  const take = (c: number, row: number) => centroids.set(data.subarray(row * dims, row * dims + dims), c * dims);

  // The first centre: one row drawn with probability proportional to its weight.
  const cumw = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) cumw[r] = acc += weights ? weights[r] : 1;
  const first = searchRight(cumw, rng.random() * acc);
  take(0, first);
  try {
    await choose(problem, rng, engine, centroids, first, trials, signal);
  } finally {
    engine.release();
  }
  return centroids;
}

async function choose(
  problem: LloydProblem,
  rng: Prng,
  engine: KppEngine,
  centroids: Float32Array,
  first: number,
  trials: number,
  signal?: AbortSignal,
): Promise<void> {
  const { data, n, dims, k } = problem;
  const take = (c: number, row: number) => centroids.set(data.subarray(row * dims, row * dims + dims), c * dims);
  let pot = await engine.start(first);
  for (let c = 1; c < k; c++) {
    throwIfAborted(signal);
    const cum = await engine.cumulative();
    const rows: number[] = [];
    for (let t = 0; t < trials; t++) rows.push(Math.min(searchLeft(cum, rng.random() * pot), n - 1));
    const pots = await engine.trial(rows);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    engine.accept(best);
    take(c, rows[best]);
    pot = pots[best];
  }
}

/** k distinct rows, drawn without replacement with probability proportional to weight (all ones: uniformly). */
export function randomInit(problem: LloydProblem, rng: Prng): Float32Array {
  const { data, n, dims, k, weights } = problem;
  const rows: number[] = [];
  if (!weights) {
    // Floyd's algorithm: k distinct integers in [0, n), O(k).
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = rng.int(j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      rows.push(pick);
    }
  } else {
    // Efraimidis–Spirakis: the k smallest keys −ln(u) / w (rows of weight 0 come last).
    const heap = new KeyHeap(k);
    for (let r = 0; r < n; r++) heap.offer(-Math.log(1 - rng.random()) / weights[r], r);
    rows.push(...heap.rowsByKey());
  }
  const out = new Float32Array(k * dims);
  for (const [c, row] of rows.entries()) out.set(data.subarray(row * dims, row * dims + dims), c * dims);
  return out;
}

/** First index i with cum[i] >= v (numpy searchsorted, side 'left'). */
function searchLeft(cum: Float64Array, v: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with cum[i] > v (numpy searchsorted, side 'right'), clipped to the last index. */
function searchRight(cum: Float64Array, v: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, cum.length - 1);
}

/** A bounded max-heap keeping the `size` smallest (key, row) pairs. */
class KeyHeap {
  private readonly keys: number[] = [];
  private readonly rows: number[] = [];
  constructor(private readonly size: number) {}

  offer(key: number, row: number): void {
    const { keys, rows } = this;
    if (keys.length < this.size) {
      keys.push(key);
      rows.push(row);
      let i = keys.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!(keys[p] < keys[i])) break;
        this.swap(i, p);
        i = p;
      }
    } else if (key < keys[0]) {
      keys[0] = key;
      rows[0] = row;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < keys.length && keys[l] > keys[m]) m = l;
        if (r < keys.length && keys[r] > keys[m]) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
  }

  rowsByKey(): number[] {
    return this.rows
      .map((row, i) => [this.keys[i], row] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, row]) => row);
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
    [this.rows[i], this.rows[j]] = [this.rows[j], this.rows[i]];
  }
}
