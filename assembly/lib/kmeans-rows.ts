// Row helpers of the k-means kernels: exact squared distances, f64 row sums, and the lane argmin of the fused
// distance loop. Shared by the Lloyd step (assembly/kmeans.ts) and the bounded steps (kmeans-bounds.ts).

/** The lane with the smallest value; among equal values the smallest index (branch-free). */
@inline export function lanesArgmin(best: v128, bi: v128): i32 {
  let m = f32x4.min(best, v128.shuffle<f32>(best, best, 2, 3, 0, 1));
  m = f32x4.min(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  let idx = v128.bitselect(bi, i32x4.splat(i32.MAX_VALUE), f32x4.eq(best, m));
  idx = i32x4.min_s(idx, v128.shuffle<i32>(idx, idx, 2, 3, 0, 1));
  idx = i32x4.min_s(idx, v128.shuffle<i32>(idx, idx, 1, 0, 3, 2));
  return i32x4.extract_lane(idx, 0);
}

/** ‖x − c‖² by direct differences (padding lanes are zero in both). */
@inline export function sqDist(x: usize, c: usize, rowBytes: usize): f32 {
  let acc = f32x4.splat(0);
  for (let j: usize = 0; j < rowBytes; j += 16) {
    const d = f32x4.sub(v128.load(x + j), v128.load(c + j));
    acc = f32x4.add(acc, f32x4.mul(d, d));
  }
  const lo = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1);
  return lo + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
}

/** sums[j] += x[j] in f64. */
@inline export function addRow(sums: usize, x: usize, rowBytes: usize): void {
  for (let j: usize = 0; j < rowBytes; j += 16) {
    const v = v128.load(x + j);
    const s = sums + (j << 1);
    v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(v)));
    v128.store(s, f64x2.add(v128.load(s, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
  }
}

/** sums[j] += w · x[j] in f64. */
@inline export function addRowWeighted(sums: usize, x: usize, rowBytes: usize, w: f64): void {
  const wv = f64x2.splat(w);
  for (let j: usize = 0; j < rowBytes; j += 16) {
    const v = v128.load(x + j);
    const s = sums + (j << 1);
    v128.store(s, f64x2.add(v128.load(s), f64x2.mul(f64x2.promote_low_f32x4(v), wv)));
    const high = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    v128.store(s, f64x2.add(v128.load(s, 16), f64x2.mul(high, wv)), 16);
  }
}
