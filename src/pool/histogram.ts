/**
 * A fixed-size log-scale histogram of durations in milliseconds: 4 buckets per power of two from 1 µs to about
 * 50 days, so recording is a log2 and an increment, and percentiles are within 19% of the true value.
 */
const PER_OCTAVE = 4;
const OCTAVES = 42;
const MIN_MS = 1e-3;

/** Summary of a histogram (milliseconds). */
export interface HistogramSummary {
  count: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
}

export class Histogram {
  private readonly buckets = new Uint32Array(PER_OCTAVE * OCTAVES);
  private count = 0;
  private sum = 0;
  private min = Infinity;
  private max = 0;

  record(ms: number): void {
    const v = Math.max(ms, MIN_MS);
    const i = Math.min(this.buckets.length - 1, Math.floor(Math.log2(v / MIN_MS) * PER_OCTAVE));
    this.buckets[i]!++;
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** The value below which a fraction `q` of recordings lie (a bucket's geometric middle, clamped to min and max). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) {
        const mid = MIN_MS * 2 ** ((i + 0.5) / PER_OCTAVE);
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  summary(): HistogramSummary {
    const n = this.count;
    return {
      count: n,
      mean: n ? this.sum / n : 0,
      min: n ? this.min : 0,
      max: this.max,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
    };
  }
}
