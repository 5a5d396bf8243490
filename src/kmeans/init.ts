/**
 * Initial centroids: k-means++ (scikit-learn's greedy variant with 2 + ⌊ln k⌋ local trials per centre), 'random'
 * (k distinct rows, drawn with probability proportional to their weight), or the caller's explicit k × dims array.
 * All draws come from one seeded `Prng`, so the same seed gives the same centroids.
 */
import type { LloydProblem } from './backend.js';
import type { Prng } from './prng.js';

/**
 * The distance pass k-means++ repeats 2 + ln k times per centre: out[r] = min(closest[r], ‖x_r − x_point‖²) (closest
 * null: no minimum), returning Σ w_r · out[r] in row order. The js version is below; the wasm backend supplies a
 * faster one with the same contract.
 */
export interface DistancePass {
  minDist(point: number, closest: Float64Array | null, out: Float64Array): number | Promise<number>;
}

/** The plain TypeScript distance pass (float64 arithmetic). */
export function jsDistancePass(problem: LloydProblem): DistancePass {
  const { data, n, dims, weights } = problem;
  return {
    minDist(point, closest, out) {
      const p = point * dims;
      let pot = 0;
      for (let r = 0, x = 0; r < n; r++, x += dims) {
        let d2 = 0;
        for (let j = 0; j < dims; j++) {
          const d = data[x + j] - data[p + j];
          d2 += d * d;
        }
        if (closest && closest[r] < d2) d2 = closest[r];
        out[r] = d2;
        pot += weights ? weights[r] * d2 : d2;
      }
      return pot;
    },
  };
}

/** scikit-learn's `_kmeans_plusplus`: returns k × dims centroids (rows of the data). */
export async function kmeansPlusPlus(problem: LloydProblem, rng: Prng, pass: DistancePass = jsDistancePass(problem), signal?: AbortSignal): Promise<Float32Array> {
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

  let closest = new Float64Array(n);
  let pot = await pass.minDist(first, null, closest);
  let scratch = new Float64Array(n);
  let best = new Float64Array(n);
  const cum = cumw; // reused: cumulative Σ w · closest
  for (let c = 1; c < k; c++) {
    signal?.throwIfAborted();
    acc = 0;
    for (let r = 0; r < n; r++) cum[r] = acc += weights ? weights[r] * closest[r] : closest[r];
    let bestPot = Infinity;
    let bestRow = -1;
    for (let t = 0; t < trials; t++) {
      const row = Math.min(searchLeft(cum, rng.random() * pot), n - 1);
      const p = await pass.minDist(row, closest, scratch);
      if (p < bestPot) {
        bestPot = p;
        bestRow = row;
        [best, scratch] = [scratch, best];
      }
    }
    take(c, bestRow);
    [closest, best] = [best, closest];
    pot = bestPot;
  }
  return centroids;
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
  rows.forEach((row, c) => out.set(data.subarray(row * dims, row * dims + dims), c * dims));
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
    return this.rows.map((row, i) => [this.keys[i], row] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, row]) => row);
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
    [this.rows[i], this.rows[j]] = [this.rows[j], this.rows[i]];
  }
}
