/**
 * Host side of the wasm kernel's bounded steps (assembly/lib/kmeans-bounds.ts): reserves the per-row bounds and
 * per-block scratch after the problem's layout, and before each step writes what the bounds need about the
 * centroids (drifts, separations, Elkan's centroid distances, Yinyang's groups), computed here in float64 and
 * stored in float32 rounded the safe way (drifts up, distances between centroids down).
 */
import type { WasmContext } from '../../wasm/context.js';
import type { ExactAlgorithm } from '../backend.js';
import type { KMeansLayout } from './layout.js';
import {
  ALG_ELKAN,
  ALG_HAMERLY,
  ALG_YINYANG,
  BOUND_BATCH,
  KMeansBounds,
  KMeansDesc,
  writeKMeansBounds,
} from './generated/layouts.js';
import { centroidDistances, drifts, groupCentroids, halfSeparation, twoLargest } from '../bounds/centroid-geometry.js';
import { yinyangGroups } from '../algorithm.js';

const UP = 1 + 2 ** -20;
const DOWN = 1 - 2 ** -20;
const ALG = { hamerly: ALG_HAMERLY, elkan: ALG_ELKAN, yinyang: ALG_YINYANG } as const;

export class WasmBounds {
  private readonly at: number;
  private readonly lower: number;
  private readonly stride: number;
  private readonly drift: number;
  private readonly half: number;
  private readonly cc: number;
  private readonly groupOf: number;
  private readonly groupDrift: number;
  private readonly computedAt: number;
  private prev: Float32Array | null = null;
  private groups: Int32Array = new Int32Array(0);

  constructor(
    private readonly ctx: WasmContext,
    private readonly l: KMeansLayout,
    private readonly algorithm: Exclude<ExactAlgorithm, 'lloyd'>,
  ) {
    const { n, k, kp, nblocks } = l;
    const n4 = Math.ceil(n / 4) * 4;
    // Elkan's bounds are kp wide so the kernel tests them four lanes at a time (padding lanes never open).
    this.stride = algorithm === 'hamerly' ? 1 : algorithm === 'elkan' ? kp : yinyangGroups(k);
    const what = `${algorithm} bounds for ${n} rows`;
    this.at = ctx.reserve(KMeansBounds.bytes, 64, what);
    this.lower = ctx.reserve(n4 * this.stride * 4, 64, what);
    this.drift = ctx.reserve(kp * 4, 64, what);
    this.half = ctx.reserve(k * 4, 64, what);
    this.cc = algorithm === 'elkan' ? ctx.reserve(k * kp * 4, 64, what) : 0;
    this.groupOf = ctx.reserve(k * 4, 64, what);
    this.groupDrift = ctx.reserve(this.stride * 4, 64, what);
    // Per block, for the kernel's batch of pending rows: distances, row state, group marks, Yinyang's examined groups.
    const perRow = kp * 4 + 32 + Math.ceil(kp / 8 / 16) * 16 + (algorithm === 'yinyang' ? this.stride : 0);
    const scratchStride = Math.ceil((BOUND_BATCH * perRow) / 64) * 64;
    const scratch = ctx.reserve(nblocks * scratchStride, 64, what);
    ctx.f32(this.drift, kp).fill(0);
    this.computedAt = ctx.reserve(nblocks * 4, 64, what);
    const norms = ctx.reserve(n4 * 8, 64, what);
    writeKMeansBounds(new DataView(ctx.memory.buffer), this.at, {
      algorithm: ALG[algorithm],
      first: 1,
      lower: this.lower,
      stride: this.stride,
      drift: this.drift,
      half: this.half,
      cc: this.cc,
      groupOf: this.groupOf,
      groupDrift: this.groupDrift,
      maxDriftAt: -1,
      maxDrift: 0,
      secondDrift: 0,
      cmax: 0,
      scratch,
      scratchStride,
      computed: this.computedAt,
      norms,
    });
  }

  /** Points the problem's descriptor at these bounds (`attach(false)`: back to plain Lloyd steps). */
  attach(on: boolean): void {
    this.ctx.i32(this.l.desc, KMeansDesc.bytes / 4)[KMeansDesc.index.bounds] = on ? this.at : 0;
  }

  /** The next step starts a run: every distance computed, bounds set from scratch. */
  reset(): void {
    this.prev = null;
  }

  /** Writes what this step's bounds need about `centroids` (k × dims), given the last step's. */
  beforeStep(centroids: Float32Array): void {
    const { k, dims } = this.l;
    const ctx = this.ctx;
    const view = new DataView(ctx.memory.buffer);
    const f = KMeansBounds.offset;
    let cmax = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += centroids[c * dims + j] ** 2;
      cmax = Math.max(cmax, Math.sqrt(s));
    }
    view.setFloat32(this.at + f.cmax, cmax * UP, true);
    const prev = this.prev;
    view.setInt32(this.at + f.first, prev ? 0 : 1, true);
    if (!prev) {
      if (this.algorithm === 'yinyang') {
        this.groups = groupCentroids(centroids, k, dims, this.stride);
        ctx.i32(this.groupOf, k).set(this.groups);
      }
    } else {
      const drift = drifts(centroids, prev, k, dims);
      const d32 = ctx.f32(this.drift, k);
      for (let c = 0; c < k; c++) d32[c] = drift[c] * UP;
      if (this.algorithm !== 'yinyang') {
        const cc = centroidDistances(centroids, k, dims);
        const half = halfSeparation(cc, k);
        const h32 = ctx.f32(this.half, k);
        for (let c = 0; c < k; c++) h32[c] = Number.isFinite(half[c]) ? half[c] * DOWN : 0;
        if (this.algorithm === 'elkan') {
          const kp = this.l.kp;
          const c32 = ctx.f32(this.cc, k * kp);
          for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) c32[i * kp + j] = cc[i * k + j] * DOWN;
        }
        const t = twoLargest(drift);
        view.setInt32(this.at + f.maxDriftAt, t.at, true);
        view.setFloat32(this.at + f.maxDrift, t.max * UP, true);
        view.setFloat32(this.at + f.secondDrift, t.second * UP, true);
      } else {
        const gd = new Float64Array(this.stride);
        for (let c = 0; c < k; c++) gd[this.groups[c]] = Math.max(gd[this.groups[c]], drift[c]);
        const g32 = ctx.f32(this.groupDrift, this.stride);
        for (let g = 0; g < this.stride; g++) g32[g] = gd[g] * UP;
      }
    }
    this.prev = Float32Array.from(centroids);
  }

  /** Distances the last step computed, over all blocks. */
  computed(): number {
    let s = 0;
    for (const v of this.ctx.i32(this.computedAt, this.l.nblocks)) s += v;
    return s;
  }
}
