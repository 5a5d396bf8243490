/**
 * Hamerly's algorithm (2010) on the js backend: per row, the exact distance to its centroid (computed every step:
 * inertia needs it) and one lower bound on the distance to every other centroid. A row whose centroid is closer than
 * both that bound and half the distance to the nearest other centroid keeps its label without computing anything else.
 */
import type { LloydProblem } from '../backend.js';
import { centroidDistances, halfSeparation, twoLargest } from './centroid-geometry.js';
import { JsBoundedEngine, proves } from './js-bounded.js';

export class HamerlyEngine extends JsBoundedEngine {
  private readonly lower: Float64Array;
  private half: Float64Array = new Float64Array(0);
  private drift = { max: 0, at: -1, second: 0 };

  constructor(problem: LloydProblem) {
    super(problem);
    this.lower = new Float64Array(problem.n);
  }

  protected beginStep(centroids: Float64Array, drift: Float64Array): void {
    const { k, dims } = this.problem;
    this.half = halfSeparation(centroidDistances(centroids, k, dims), k);
    this.drift = twoLargest(drift);
  }

  protected initRow(r: number, centroids: Float64Array): number {
    this.full(r, centroids, -1, 0);
    return this.problem.k;
  }

  protected updateRow(r: number, centroids: Float64Array): number {
    const a = this.labelArr[r];
    const d2a = this.sqDist(r, centroids, a);
    const { max, at, second } = this.drift;
    const lower = this.lower[r] - (a === at ? second : max);
    if (proves(Math.sqrt(d2a), Math.max(this.half[a], lower))) {
      this.dist[r] = d2a;
      this.lower[r] = lower;
      return 1;
    }
    this.full(r, centroids, a, d2a);
    return this.problem.k;
  }

  /** All k distances (the one to `known`, if ≥ 0, given as d2Known): label, distance, lower bound. */
  private full(r: number, centroids: Float64Array, known: number, d2Known: number): void {
    const k = this.problem.k;
    let best = Infinity;
    let second = Infinity;
    let label = 0;
    for (let c = 0; c < k; c++) {
      const s = c === known ? d2Known : this.sqDist(r, centroids, c);
      if (s < best) {
        second = best;
        best = s;
        label = c;
      } else if (s < second) second = s;
    }
    this.labelArr[r] = label;
    this.dist[r] = best;
    this.lower[r] = Math.sqrt(second);
  }
}
