/** Two-dimensional views of a row-major matrix for the scatter plot: two columns, or the first two principal components. */

/** Columns `x` and `y` of each row, as interleaved pairs. */
export function columns(values: ArrayLike<number>, n: number, dims: number, x: number, y: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = values[i * dims + x]!;
    out[2 * i + 1] = values[i * dims + y]!;
  }
  return out;
}

/**
 * The first two principal axes (unit vectors, dims each) and the mean, by power iteration on the covariance matrix
 * with deflation: dims is small here, so the dims × dims covariance is cheap and exact enough for a picture.
 */
export function principalAxes(
  values: ArrayLike<number>,
  n: number,
  dims: number,
): { mean: Float64Array; axes: [Float64Array, Float64Array] } {
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) mean[d]! += values[i * dims + d]!;
  for (let d = 0; d < dims; d++) mean[d]! /= n;
  const cov = new Float64Array(dims * dims);
  const row = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dims; d++) row[d] = values[i * dims + d]! - mean[d]!;
    for (let a = 0; a < dims; a++) for (let b = a; b < dims; b++) cov[a * dims + b]! += row[a]! * row[b]!;
  }
  for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) cov[a * dims + b] = cov[b * dims + a]!;
  const axis = (): Float64Array => {
    let v = new Float64Array(dims).map((_, i) => 1 + i / dims);
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(dims);
      for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) w[a]! += cov[a * dims + b]! * v[b]!;
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    return v;
  };
  const first = axis();
  let lambda = 0;
  for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) lambda += first[a]! * cov[a * dims + b]! * first[b]!;
  for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) cov[a * dims + b]! -= lambda * first[a]! * first[b]!;
  return { mean, axes: [first, axis()] };
}

/** Projects rows onto two axes around `mean`, as interleaved pairs. */
export function project(
  values: ArrayLike<number>,
  n: number,
  dims: number,
  mean: Float64Array,
  axes: [Float64Array, Float64Array],
): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    let p = 0;
    let q = 0;
    for (let d = 0; d < dims; d++) {
      const v = values[i * dims + d]! - mean[d]!;
      p += v * axes[0][d]!;
      q += v * axes[1][d]!;
    }
    out[2 * i] = p;
    out[2 * i + 1] = q;
  }
  return out;
}
