/**
 * Where a k-means problem lives in the kernel's shared memory, and the descriptor the kernel reads (KMeansDesc,
 * generated from scripts/layouts.mjs for this file and assembly/kmeans.ts alike). The host owns the layout: rows
 * padded to a multiple of 4 floats (dp) and the row count to a multiple of 4 (the kernel works on 4 rows at a time);
 * centroids padded to a multiple of 8 (kp) with padding centroids that can never win.
 */
import type { WasmContext } from '../../wasm/context.js';
import type { LloydProblem } from '../backend.js';
import { KMeansDesc, writeKMeansDesc } from './generated/layouts.js';

/** Rows per partial-sum block (a multiple of 4). Fixed by the problem, never by the thread count: determinism. */
export const BLOCK_ROWS = 4096;
/** Partial sums of all blocks stay under this; larger problems get larger blocks. */
const PARTIALS_BUDGET = 128 * 2 ** 20;
const F32_MAX = 3.4028234663852886e38;

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
  /** n f32 weights, or 0 when every weight is one. */
  readonly weights: number;
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

/** Reserves memory for an n × dims problem with k clusters and fills in the descriptor (data not written yet). */
function reserveLayout(ctx: WasmContext, n: number, dims: number, k: number, hasWeights: boolean): KMeansLayout {
  const dp = Math.ceil(dims / 4) * 4;
  const kp = Math.ceil(k / 8) * 8;
  const n4 = Math.ceil(n / 4) * 4;
  const blockRows = blockRowsFor(n, k, dp);
  const nblocks = Math.ceil(n / blockRows);
  const what = `k-means on ${n} × ${dims} values`;
  const desc = ctx.reserve(KMeansDesc.bytes, 64, what);
  const data = ctx.reserve(n4 * dp * 4, 64, what);
  const weights = hasWeights ? ctx.reserve(n * 4, 64, what) : 0;
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
  ctx.f32(data + n * dp * 4, (n4 - n) * dp).fill(0);
  ctx.i32(labels, n4).fill(-1);
  writeKMeansDesc(new DataView(ctx.memory.buffer), desc, {
    data,
    n,
    dp,
    kp,
    k,
    ct,
    cnorm,
    cent,
    weights,
    labels,
    mind,
    sums,
    counts,
    binertia,
    blockRows,
    nblocks,
    counter,
    update: 0,
    bounds: 0,
  });
  return {
    n,
    dims,
    k,
    dp,
    kp,
    blockRows,
    nblocks,
    desc,
    data,
    weights,
    labels,
    mind,
    ct,
    cnorm,
    cent,
    sums,
    counts,
    binertia,
    counter,
    outSums,
    outCounts,
  };
}

/** Reserves memory for `problem` in `ctx` and copies its (already centred) data and weights in. */
export function layOut(ctx: WasmContext, problem: LloydProblem): KMeansLayout {
  const { n, dims, k, data: src, weights: w } = problem;
  const l = reserveLayout(ctx, n, dims, k, w !== null);
  const x = ctx.f32(l.data, n * l.dp);
  if (l.dp === dims) x.set(src);
  else {
    // The pad lanes enter every distance: zero them, since a reused context's memory holds an earlier problem's data.
    x.fill(0);
    for (let r = 0; r < n; r++) x.set(src.subarray(r * dims, r * dims + dims), r * l.dp);
  }
  if (w) ctx.f32(l.weights, n).set(w);
  return l;
}

/** What `layOutCentred` leaves: the layout, the centred float32 rows (a view over the memory), and the statistics. */
export interface CentredLayout {
  layout: KMeansLayout;
  /** n × dims centred rows, float32: the layout's data itself when dims is a multiple of 4, else a compact copy. */
  data: Float32Array;
  weights: Float32Array | null;
  mean: Float64Array;
  /** Σ (x − mean)² per feature. */
  m2: Float64Array;
}

/**
 * Lays out raw (uncentred) values: copies them into scratch memory once, and the kernel computes per-feature means
 * and squared deviations and writes the centred float32 rows, with the same float64 arithmetic as the host's
 * `prepare` (so both give identical data). Views stay valid only on shared memory (it never detaches on growth).
 */
export function layOutCentred(
  ctx: WasmContext,
  values: Float32Array | Float64Array,
  n: number,
  dims: number,
  k: number,
  weights: ArrayLike<number> | null,
): CentredLayout {
  const l = reserveLayout(ctx, n, dims, k, weights !== null);
  const what = `k-means on ${n} × ${dims} values`;
  const compact = l.dp === dims ? l.data : ctx.reserve(n * dims * 4, 64, what);
  const mean = ctx.reserve(dims * 8, 64, what);
  const m2 = ctx.reserve(dims * 8, 64, what);
  const mark = ctx.mark();
  const f64 = values instanceof Float64Array;
  // float32 rows already a multiple of 4 wide go straight into place and are centred there (fresh memory is costly
  // to touch the first time: no scratch copy); other inputs go through scratch memory once.
  const inPlace = !f64 && compact === l.data;
  const raw = inPlace ? l.data : ctx.reserve(values.byteLength, 64, 'k-means input copy');
  (f64 ? ctx.f64(raw, values.length) : ctx.f32(raw, values.length)).set(values);
  const ex = ctx.exports as { columnStats: (...a: number[]) => void; centreRows: (...a: number[]) => void };
  ex.columnStats(raw, n, dims, f64 ? 1 : 0, mean, m2);
  ex.centreRows(raw, n, dims, f64 ? 1 : 0, mean, l.data, l.dp);
  if (compact !== l.data) ex.centreRows(raw, n, dims, f64 ? 1 : 0, mean, compact, dims);
  ctx.release(mark);
  let w: Float32Array | null = null;
  if (weights) {
    w = ctx.f32(l.weights, n);
    w.set(weights);
  }
  return {
    layout: l,
    data: ctx.f32(compact, n * dims),
    weights: w,
    mean: Float64Array.from(ctx.f64(mean, dims)),
    m2: Float64Array.from(ctx.f64(m2, dims)),
  };
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
