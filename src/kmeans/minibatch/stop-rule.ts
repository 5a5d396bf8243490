/**
 * When mini-batch k-means stops early, as scikit-learn's `_mini_batch_convergence`: the first step is skipped (the
 * centres were just initialised); then the smoothed batch inertia (an exponentially weighted average with
 * α = 2·batch / (n + 1)) must improve within `maxNoImprovement` steps, and with `tol` > 0 a step whose squared centre
 * shift is ≤ tolAbs stops it.
 */
export class StopRule {
  private ewa: number | null = null;
  private ewaMin = Infinity;
  private noImprovement = 0;
  private steps = 0;

  constructor(
    private readonly tol: number,
    /** tol × mean feature variance. */
    private readonly tolAbs: number,
    private readonly maxNoImprovement: number,
  ) {}

  /**
   * After a step on `batch` rows of `n` (the data's rows, or those seen so far when unknown): `inertia` is the
   * batch's Σ‖x − c(x)‖² / batch, `shift` the step's Σ‖Δc‖². True when the fit should stop.
   */
  stop(inertia: number, shift: number, batch: number, n: number): boolean {
    if (this.steps++ === 0) return false;
    const alpha = Math.min(1, (2 * batch) / (n + 1));
    this.ewa = this.ewa === null ? inertia : this.ewa * (1 - alpha) + inertia * alpha;
    if (this.tol > 0 && shift <= this.tolAbs) return true;
    if (this.ewa < this.ewaMin) {
      this.ewaMin = this.ewa;
      this.noImprovement = 0;
    } else this.noImprovement++;
    return this.maxNoImprovement > 0 && this.noImprovement >= this.maxNoImprovement;
  }
}

/** Σ (a[i] − b[i])². */
export function squaredShift(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}
