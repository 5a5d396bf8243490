/**
 * What the bounded algorithms need to know about the centroids themselves, computed once per iteration on the host
 * (k × k work, small next to the n × k of an assignment): how far each centroid moved, how far apart they are, and
 * the grouping Yinyang uses. Float64 throughout.
 */

/** ‖a_c − b_c‖ for each of k rows of `dims` values. */
export function drifts(a: ArrayLike<number>, b: ArrayLike<number>, k: number, dims: number): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < dims; j++) {
      const d = a[c * dims + j] - b[c * dims + j];
      s += d * d;
    }
    out[c] = Math.sqrt(s);
  }
  return out;
}

/** k × k distances between centroids. */
export function centroidDistances(c: ArrayLike<number>, k: number, dims: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let j = 0; j < dims; j++) {
        const d = c[a * dims + j] - c[b * dims + j];
        s += d * d;
      }
      out[a * k + b] = out[b * k + a] = Math.sqrt(s);
    }
  }
  return out;
}

/** Half the distance from each centroid to its nearest other centroid (Infinity when k = 1). */
export function halfSeparation(cc: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) if (a !== b && cc[a * k + b] / 2 < out[a]) out[a] = cc[a * k + b] / 2;
  return out;
}

/** The largest and second largest of `v`, and where the largest is (Hamerly's lower bound moves by these). */
export function twoLargest(v: Float64Array): { max: number; at: number; second: number } {
  let max = 0;
  let at = -1;
  let second = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] > max) {
      second = max;
      max = v[i];
      at = i;
    } else if (v[i] > second) second = v[i];
  }
  return { max, at, second };
}

/**
 * Groups k centroids into `groups` clusters by a few Lloyd iterations on the centroids themselves, started from
 * evenly spaced centroids (deterministic). Returns each centroid's group; every group keeps at least one centroid.
 */
export function groupCentroids(c: ArrayLike<number>, k: number, dims: number, groups: number): Int32Array {
  const of = new Int32Array(k);
  if (groups <= 1) return of;
  const centres = new Float64Array(groups * dims);
  for (let g = 0; g < groups; g++) {
    const src = Math.floor((g * k) / groups);
    for (let j = 0; j < dims; j++) centres[g * dims + j] = c[src * dims + j];
  }
  const sums = new Float64Array(groups * dims);
  const counts = new Float64Array(groups);
  for (let iter = 0; iter < 5; iter++) {
    for (let a = 0; a < k; a++) {
      let best = 0;
      let bestD = Infinity;
      for (let g = 0; g < groups; g++) {
        let s = 0;
        for (let j = 0; j < dims; j++) {
          const d = c[a * dims + j] - centres[g * dims + j];
          s += d * d;
        }
        if (s < bestD) {
          bestD = s;
          best = g;
        }
      }
      of[a] = best;
    }
    sums.fill(0);
    counts.fill(0);
    for (let a = 0; a < k; a++) {
      counts[of[a]]++;
      for (let j = 0; j < dims; j++) sums[of[a] * dims + j] += c[a * dims + j];
    }
    for (let g = 0; g < groups; g++)
      if (counts[g] > 0) for (let j = 0; j < dims; j++) centres[g * dims + j] = sums[g * dims + j] / counts[g];
  }
  // An empty group would only cost a loop turn, but renumbering keeps groups dense (0..used-1).
  const used = new Int32Array(groups).fill(-1);
  let next = 0;
  for (let a = 0; a < k; a++) {
    if (used[of[a]] < 0) used[of[a]] = next++;
    of[a] = used[of[a]];
  }
  return of;
}
