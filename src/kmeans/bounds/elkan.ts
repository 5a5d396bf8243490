/**
 * Elkan's algorithm (2003) on the js backend: per row, a lower bound on its distance to each of the k centroids. A
 * centroid is computed only when neither its bound nor half its distance to the row's current centroid proves it
 * farther than that centroid.
 */
import type { LloydProblem } from '../backend.js';
import { centroidDistances, halfSeparation } from './centroid-geometry.js';
import { JsBoundedEngine, proves } from './js-bounded.js';

export class ElkanEngine extends JsBoundedEngine {
  private readonly lower: Float64Array;
  private cc: Float64Array = new Float64Array(0);
  private half: Float64Array = new Float64Array(0);
  private drift: Float64Array = new Float64Array(0);

  constructor(problem: LloydProblem) {
    super(problem);
    this.lower = new Float64Array(problem.n * problem.k);
  }

  protected beginStep(centroids: Float64Array, drift: Float64Array): void {
    const { k, dims } = this.problem;
    this.cc = centroidDistances(centroids, k, dims);
    this.half = halfSeparation(this.cc, k);
    this.drift = drift;
  }

  protected initRow(r: number, centroids: Float64Array): number {
    const k = this.problem.k;
    const lower = this.lower.subarray(r * k, r * k + k);
    let best = Infinity;
    let label = 0;
    for (let c = 0; c < k; c++) {
      const s = this.sqDist(r, centroids, c);
      lower[c] = Math.sqrt(s);
      if (s < best) {
        best = s;
        label = c;
      }
    }
    this.labelArr[r] = label;
    this.dist[r] = best;
    return k;
  }

  protected updateRow(r: number, centroids: Float64Array): number {
    const k = this.problem.k;
    const { cc, drift } = this;
    const lower = this.lower.subarray(r * k, r * k + k);
    for (let c = 0; c < k; c++) lower[c] -= drift[c];
    let a = this.labelArr[r];
    let d2a = this.sqDist(r, centroids, a);
    let u = Math.sqrt(d2a);
    lower[a] = u;
    let computed = 1;
    if (!proves(u, this.half[a])) {
      for (let c = 0; c < k; c++) {
        if (c === a || proves(u, lower[c]) || proves(u, cc[a * k + c] / 2)) continue;
        const s = this.sqDist(r, centroids, c);
        computed++;
        lower[c] = Math.sqrt(s);
        // Lloyd's argmin keeps the first index among equal distances.
        if (s < d2a || (s === d2a && c < a)) {
          a = c;
          d2a = s;
          u = lower[c];
        }
      }
    }
    this.labelArr[r] = a;
    this.dist[r] = d2a;
    return computed;
  }
}
