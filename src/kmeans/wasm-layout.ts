/**
 * Where a k-means problem lives in the kernel's shared memory, and the descriptor the kernel reads (the field order
 * matches the D_* constants of assembly/kmeans.ts). The host owns the layout: rows padded to a multiple of 4 floats
 * (dp) and the row count to a multiple of 4 (the kernel works on 4 rows at a time); centroids padded to a multiple
 * of 8 (kp) with padding centroids that can never win.
 */
import type { WasmContext } from '../wasm/context.js';
import type { LloydProblem } from './backend.js';

/** Rows per partial-sum block (a multiple of 4). Fixed by the problem, never by the thread count: determinism. */
export const BLOCK_ROWS = 4096;
/** Partial sums of all blocks stay under this; larger problems get larger blocks. */
const PARTIALS_BUDGET = 64 * 2 ** 20;
const F32_MAX = 3.4028234663852886e38;

const enum Field {
  Data, N, Dp, Kp, K, Ct, Cnorm, Cent, Weights, Labels, Mind, Sums, Counts, BInertia, BlockRows, NBlocks, Counter, Update,
}

export interface KMeansLayout {
  readonly n: number;
  readonly dims: number;
  readonly k: number;
  readonly dp: number;
  readonly kp: number;
  readonly blockRows: number;
  readonly nblocks: number;
  readonly desc: number;
  readonly data: number;
  readonly labels: number;
  readonly mind: number;
  readonly ct: number;
  readonly cnorm: number;
  readonly cent: number;
  readonly sums: number;
  readonly counts: number;
  readonly binertia: number;
  readonly counter: number;
  readonly outSums: number;
  readonly outCounts: number;
}

/** Block size for n rows and k × dp partial sums: BLOCK_ROWS unless the partials would pass the budget. */
export function blockRowsFor(n: number, k: number, dp: number): number {
  const maxBlocks = Math.max(1, Math.floor(PARTIALS_BUDGET / (k * dp * 8 + k * 8 + 8)));
  const rows = Math.max(BLOCK_ROWS, Math.ceil(n / maxBlocks));
  return Math.ceil(rows / 4) * 4;
}

/** Reserves memory for `problem` in `ctx` and copies its data and weights in. */
export function layOut(ctx: WasmContext, problem: LloydProblem): KMeansLayout {
  const { n, dims, k, data: src, weights: w } = problem;
  const dp = Math.ceil(dims / 4) * 4;
  const kp = Math.ceil(k / 8) * 8;
  const n4 = Math.ceil(n / 4) * 4;
  const blockRows = blockRowsFor(n, k, dp);
  const nblocks = Math.ceil(n / blockRows);
  const what = `k-means on ${n} × ${dims} values`;
  const desc = ctx.reserve(32 * 4, 64, what);
  const data = ctx.reserve(n4 * dp * 4, 64, what);
  const weights = w ? ctx.reserve(n * 4, 64, what) : 0;
  const labels = ctx.reserve(n4 * 4, 64, what);
  const mind = ctx.reserve(n4 * 4, 64, what);
  const ct = ctx.reserve(kp * dp * 4, 64, what);
  const cnorm = ctx.reserve(kp * 4, 64, what);
  const cent = ctx.reserve(k * dp * 4, 64, what);
  const sums = ctx.reserve(nblocks * k * dp * 8, 64, what);
  const counts = ctx.reserve(nblocks * k * 8, 64, what);
  const binertia = ctx.reserve(nblocks * 8, 64, what);
  const counter = ctx.reserve(64, 64, what);
  const outSums = ctx.reserve(k * dp * 8, 64, what);
  const outCounts = ctx.reserve(k * 8, 64, what);
  // Fresh views only after the last reserve (growing memory replaces its buffer).
  const x = ctx.f32(data, n4 * dp);
  if (dp === dims) x.set(src);
  else for (let r = 0; r < n; r++) x.set(src.subarray(r * dims, r * dims + dims), r * dp);
  x.fill(0, n * dp);
  if (w) ctx.f32(weights, n).set(w);
  ctx.i32(labels, n4).fill(-1);
  const layout: KMeansLayout = { n, dims, k, dp, kp, blockRows, nblocks, desc, data, labels, mind, ct, cnorm, cent, sums, counts, binertia, counter, outSums, outCounts };
  const d = ctx.i32(desc, 32);
  d[Field.Data] = data;
  d[Field.N] = n;
  d[Field.Dp] = dp;
  d[Field.Kp] = kp;
  d[Field.K] = k;
  d[Field.Ct] = ct;
  d[Field.Cnorm] = cnorm;
  d[Field.Cent] = cent;
  d[Field.Weights] = weights;
  d[Field.Labels] = labels;
  d[Field.Mind] = mind;
  d[Field.Sums] = sums;
  d[Field.Counts] = counts;
  d[Field.BInertia] = binertia;
  d[Field.BlockRows] = blockRows;
  d[Field.NBlocks] = nblocks;
  d[Field.Counter] = counter;
  d[Field.Update] = 0;
  return layout;
}

/** Writes centroids (k × dims) in the three forms the kernel reads: −2c grouped by 8 and transposed, ‖c‖², rows. */
export function setCentroids(ctx: WasmContext, l: KMeansLayout, centroids: Float32Array): void {
  const { k, dims, dp, kp } = l;
  const ct = ctx.f32(l.ct, kp * dp);
  const cnorm = ctx.f32(l.cnorm, kp);
  const cent = ctx.f32(l.cent, k * dp);
  ct.fill(0);
  cent.fill(0);
  for (let c = 0; c < kp; c++) {
    if (c >= k) {
      cnorm[c] = F32_MAX;
      continue;
    }
    const base = (c >> 3) * dp * 8 + (c & 7);
    let norm = 0;
    for (let j = 0; j < dims; j++) {
      const v = centroids[c * dims + j];
      norm += v * v;
      ct[base + j * 8] = -2 * v;
      cent[c * dp + j] = v;
    }
    cnorm[c] = norm;
  }
}
