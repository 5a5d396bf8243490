/**
 * The shared part of the js backend's bounded engines (Hamerly, Elkan, Yinyang): the pass over rows in order with
 * float64 sums, the exact distance of each row to its centroid, and the bookkeeping a Lloyd step returns. A subclass
 * decides, row by row, which centroid distances it must compute.
 *
 * Exactness: every distance is computed by `sqDist`, the very loop of the js Lloyd step, so a computed distance has
 * the same bits as Lloyd's; a centroid is skipped only when a bound proves it farther than the row's best by a
 * relative margin (SLACK) far above float64 rounding. Labels, sums, inertia, hence iterations, then equal Lloyd's.
 */
import type { LloydProblem } from '../backend.js';
import type { LloydEngine, StepResult } from '../lloyd.js';
import { drifts } from './centroid-geometry.js';

/** Bounds must beat a distance by this relative margin before a centroid is skipped. */
export const SLACK = 1e-9;

/** `bound` proves a distance is larger than `d`, with room for rounding. */
export function proves(d: number, bound: number): boolean {
  return d < bound * (1 - SLACK);
}

export abstract class JsBoundedEngine implements LloydEngine {
  protected readonly labelArr: Int32Array;
  protected readonly dist: Float64Array;
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  /** Centroids of the previous step (float64), null before the first step of a run. */
  private prev: Float64Array | null = null;

  constructor(protected readonly problem: LloydProblem) {
    this.labelArr = new Int32Array(problem.n).fill(-1);
    this.dist = new Float64Array(problem.n);
    this.sums = new Float64Array(problem.k * problem.dims);
    this.counts = new Float64Array(problem.k);
  }

  reset(): void {
    this.labelArr.fill(-1);
    this.prev = null;
  }

  /** Squared distance of row r to centroid c, exactly as the js Lloyd step computes it. */
  protected sqDist(r: number, centroids: Float64Array, c: number): number {
    const { data, dims } = this.problem;
    const x = r * dims;
    const y = c * dims;
    let s = 0;
    for (let j = 0; j < dims; j++) {
      const d = data[x + j] - centroids[y + j];
      s += d * d;
    }
    return s;
  }

  /** First step of a run: all k distances of row r; sets its label, distance and bounds. Returns distances computed. */
  protected abstract initRow(r: number, centroids: Float64Array): number;
  /** Later steps: sets row r's label, distance and bounds from its bounds and what it must compute. */
  protected abstract updateRow(r: number, centroids: Float64Array): number;
  /** Once per later step, before the rows: what the bounds need about the centroids (`drift`: how far each moved). */
  protected abstract beginStep(centroids: Float64Array, drift: Float64Array): void;
  /** Once per run, before its first step. */
  protected beginRun(_centroids: Float64Array): void {}

  async step(centroids32: Float32Array, update: boolean): Promise<StepResult> {
    const { data, n, dims, k, weights } = this.problem;
    const centroids = Float64Array.from(centroids32);
    const { labelArr, dist, sums, counts } = this;
    const prev = this.prev;
    if (prev) this.beginStep(centroids, drifts(centroids, prev, k, dims));
    else this.beginRun(centroids);
    if (update) {
      sums.fill(0);
      counts.fill(0);
    }
    let changed = 0;
    let inertia = 0;
    let computed = 0;
    for (let r = 0; r < n; r++) {
      const old = labelArr[r];
      computed += prev ? this.updateRow(r, centroids) : this.initRow(r, centroids);
      const label = labelArr[r];
      if (old !== label) changed++;
      const w = weights ? weights[r] : 1;
      inertia += w * dist[r];
      if (update) {
        counts[label] += w;
        const x = r * dims;
        for (let j = 0; j < dims; j++) sums[label * dims + j] += w * data[x + j];
      }
    }
    this.prev = centroids;
    return { changed, sums, stride: dims, counts, inertia, computed };
  }

  labels(): Int32Array {
    return this.labelArr;
  }

  distances(): Float64Array {
    return this.dist;
  }
}
