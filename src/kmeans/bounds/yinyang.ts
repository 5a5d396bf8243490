/**
 * Yinyang k-means (Ding et al., ICML 2015) on the js backend: the centroids are grouped once per run (about k/10
 * groups, by clustering the initial centroids), and each row keeps one lower bound per group on its distance to the
 * group's centroids other than its own. A group is examined only when its bound falls below the row's distance to
 * its centroid (group filter); inside it, a centroid is skipped when its own moved bound proves it too far (local filter).
 */
import type { LloydProblem } from '../backend.js';
import { yinyangGroups } from '../algorithm.js';
import { groupCentroids } from './centroid-geometry.js';
import { JsBoundedEngine, proves } from './js-bounded.js';

export class YinyangEngine extends JsBoundedEngine {
  private readonly groups: number;
  private readonly lower: Float64Array;
  /** Group of each centroid, and the centroids of group g at members[start[g]..start[g + 1]). */
  private groupOf: Int32Array = new Int32Array(0);
  private start: Int32Array = new Int32Array(0);
  private members: Int32Array = new Int32Array(0);
  private drift: Float64Array = new Float64Array(0);
  private groupDrift: Float64Array = new Float64Array(0);
  /** Per-row scratch: each centroid's distance (or proven lower bound) this step. */
  private readonly scratch: Float64Array;
  /** Per-row scratch: which groups this step examined. */
  private readonly examined: Uint8Array;

  constructor(problem: LloydProblem) {
    super(problem);
    this.groups = yinyangGroups(problem.k);
    this.lower = new Float64Array(problem.n * this.groups);
    this.scratch = new Float64Array(problem.k);
    this.examined = new Uint8Array(this.groups);
  }

  protected override beginRun(centroids: Float64Array): void {
    const { k, dims } = this.problem;
    this.groupOf = groupCentroids(centroids, k, dims, this.groups);
    const t = this.groups;
    this.start = new Int32Array(t + 1);
    for (let c = 0; c < k; c++) this.start[this.groupOf[c] + 1]++;
    for (let g = 0; g < t; g++) this.start[g + 1] += this.start[g];
    const fill = this.start.slice(0, t);
    this.members = new Int32Array(k);
    for (let c = 0; c < k; c++) this.members[fill[this.groupOf[c]]++] = c;
  }

  protected beginStep(_centroids: Float64Array, drift: Float64Array): void {
    this.drift = drift;
    this.groupDrift = new Float64Array(this.groups);
    for (let c = 0; c < this.problem.k; c++)
      this.groupDrift[this.groupOf[c]] = Math.max(this.groupDrift[this.groupOf[c]], drift[c]);
  }

  protected initRow(r: number, centroids: Float64Array): number {
    const k = this.problem.k;
    const d = this.scratch;
    let best = Infinity;
    let label = 0;
    for (let c = 0; c < k; c++) {
      d[c] = this.sqDist(r, centroids, c);
      if (d[c] < best) {
        best = d[c];
        label = c;
      }
    }
    for (let c = 0; c < k; c++) d[c] = Math.sqrt(d[c]);
    this.labelArr[r] = label;
    this.dist[r] = best;
    this.groupBounds(r, label, null);
    return k;
  }

  protected updateRow(r: number, centroids: Float64Array): number {
    const t = this.groups;
    const lower = this.lower.subarray(r * t, r * t + t);
    const { groupDrift, drift, start, members, scratch } = this;
    const old = this.labelArr[r];
    let a = old;
    let d2a = this.sqDist(r, centroids, a);
    const u = Math.sqrt(d2a);
    let globalLower = Infinity;
    for (let g = 0; g < t; g++) globalLower = Math.min(globalLower, lower[g] - groupDrift[g]);
    if (proves(u, globalLower)) {
      for (let g = 0; g < t; g++) lower[g] -= groupDrift[g];
      this.dist[r] = d2a;
      return 1;
    }
    let computed = 1;
    const examined = this.examined;
    examined.fill(0);
    scratch[old] = u;
    for (let g = 0; g < t; g++) {
      const moved = lower[g] - groupDrift[g];
      if (proves(u, moved)) continue;
      examined[g] = 1;
      for (let i = start[g]; i < start[g + 1]; i++) {
        const c = members[i];
        if (c === old) continue;
        // Local filter: the group's old bound, moved by this centroid's own drift, bounds its distance.
        const local = lower[g] - drift[c];
        if (proves(Math.sqrt(d2a), local)) {
          scratch[c] = local;
          continue;
        }
        const s = this.sqDist(r, centroids, c);
        computed++;
        scratch[c] = Math.sqrt(s);
        if (s < d2a || (s === d2a && c < a)) {
          a = c;
          d2a = s;
        }
      }
    }
    this.labelArr[r] = a;
    this.dist[r] = d2a;
    this.groupBounds(r, a, examined, old);
    return computed;
  }

  /**
   * New group bounds of row r, labelled `label`: the minimum of `scratch` over each group's other centroids, for
   * every group (first step) or the examined ones; the others move by their drift, and the group of the row's former
   * centroid `old` also bounds that centroid's distance (scratch[old]) once it is no longer the row's own.
   */
  private groupBounds(r: number, label: number, examined: Uint8Array | null, old = -1): void {
    const t = this.groups;
    const lower = this.lower.subarray(r * t, r * t + t);
    const { start, members, scratch } = this;
    for (let g = 0; g < t; g++) {
      if (examined && !examined[g]) {
        lower[g] -= this.groupDrift[g];
        if (old !== label && this.groupOf[old] === g) lower[g] = Math.min(lower[g], scratch[old]);
        continue;
      }
      let m = Infinity;
      for (let i = start[g]; i < start[g + 1]; i++) if (members[i] !== label) m = Math.min(m, scratch[members[i]]);
      lower[g] = m;
    }
  }
}
