// k-means kernels: one Lloyd assignment step (distances, fused argmin, per-block partial sums), the block reduction,
// and the distance updates k-means++ needs. f32 SIMD (128-bit), f64 accumulation.
//
// Memory contract (the host owns the layout): kernels allocate nothing and keep no mutable static data. Every call
// gets the address of a descriptor (KMeansDesc in scripts/layouts.mjs), i32 fields the host fills:
//
//   data      n × dp f32, row-major, dims zero-padded to dp (a multiple of 4)
//   ct        the centroids for the distance loop: kp/8 groups, each dp × 8 f32, holding −2·c
//             (transposed per group)
//   cnorm     kp f32: ‖c‖², and f32.MAX_VALUE for the padding centroids k..kp (they never win the argmin)
//   cent      k × dp f32, the centroids as rows (exact distance of a row to its chosen centroid)
//   weights   n f32 or 0 (all ones)
//   labels    n i32 (read: previous labels, to count changes; written: new labels)
//   mind      n f32, written: squared distance of each row to its centroid
//   sums      nblocks × k × dp f64, counts nblocks × k f64 (only when the update flag is set), binertia nblocks f64:
//             per-block partial results
//   counter   an i32 the threads take blocks from (atomic add): the host zeroes it before each parallel step
//
// Determinism: a block's partial sums depend only on the rows of that block, whatever thread computes it, and the
// reduction adds blocks in block order, so results do not depend on the thread count.

import {
  DESC_BINERTIA, DESC_BLOCK_ROWS, DESC_CENT, DESC_CNORM, DESC_COUNTER, DESC_COUNTS, DESC_CT, DESC_DATA, DESC_DP,
  DESC_K, DESC_KP, DESC_LABELS, DESC_MIND, DESC_N, DESC_NBLOCKS, DESC_SUMS, DESC_UPDATE, DESC_WEIGHTS,
  DESC_BOUNDS,
} from './generated/kmeans-layout';
import { addRow, addRowWeighted, lanesArgmin, sqDist } from './lib/kmeans-rows';
import { assignBlockBounded } from './lib/kmeans-bounds';

export function heapBase(): usize {
  return __heap_base;
}

/** The i32 field at byte offset `at` (a DESC_* constant) of the descriptor. */
@inline function field(desc: usize, at: i32): i32 {
  return load<i32>(desc + <usize>at);
}

/**
 * One Lloyd step for the blocks this thread takes from the shared counter: labels, squared distances, and (when the
 * descriptor's update flag is set) per-block weighted sums, counts and inertia. Returns how many labels changed.
 */
export function assign(desc: usize): i32 {
  const nblocks = field(desc, DESC_NBLOCKS);
  const counter = <usize>field(desc, DESC_COUNTER);
  let changed = 0;
  while (true) {
    const b = atomic.add<i32>(counter, 1);
    if (b >= nblocks) break;
    changed += field(desc, DESC_BOUNDS) ? assignBlockBounded(desc, b) : assignBlock(desc, b);
  }
  return changed;
}

function assignBlock(desc: usize, b: i32): i32 {
  const data = <usize>field(desc, DESC_DATA);
  const n = field(desc, DESC_N);
  const dp = field(desc, DESC_DP);
  const kp = field(desc, DESC_KP);
  const k = field(desc, DESC_K);
  const ct = <usize>field(desc, DESC_CT);
  const cnorm = <usize>field(desc, DESC_CNORM);
  const cent = <usize>field(desc, DESC_CENT);
  const weights = <usize>field(desc, DESC_WEIGHTS);
  const labels = <usize>field(desc, DESC_LABELS);
  const mind = <usize>field(desc, DESC_MIND);
  const blockRows = field(desc, DESC_BLOCK_ROWS);
  const update = field(desc, DESC_UPDATE);
  const r0 = b * blockRows;
  const r1 = min(n, r0 + blockRows);
  const rowBytes = <usize>dp << 2;
  const sums = <usize>field(desc, DESC_SUMS) + (<usize>b * <usize>k * <usize>dp << 3);
  const counts = <usize>field(desc, DESC_COUNTS) + (<usize>b * <usize>k << 3);
  if (update) {
    memory.fill(sums, 0, <usize>k * <usize>dp << 3);
    memory.fill(counts, 0, <usize>k << 3);
  }
  let inertia: f64 = 0;
  let changed = 0;
  const groups = kp >> 3;
  for (let r = r0; r < r1; r += 4) {
    // Four rows at a time (the host pads data and labels to a multiple of 4 rows; padding results are dropped).
    const lp0 = labels + (<usize>r << 2);
    const old0 = load<i32>(lp0), old1 = load<i32>(lp0, 4), old2 = load<i32>(lp0, 8), old3 = load<i32>(lp0, 12);
    argmin4(data + <usize>r * rowBytes, rowBytes, ct, cnorm, groups, lp0);
    const rows = min(4, r1 - r);
    for (let i = 0; i < rows; i++) {
      const row = r + i;
      const label = load<i32>(labels + (<usize>row << 2));
      const x = data + <usize>row * rowBytes;
      const c = cent + <usize>label * rowBytes;
      const d2 = sqDist(x, c, rowBytes);
      if ((i == 0 ? old0 : i == 1 ? old1 : i == 2 ? old2 : old3) != label) changed++;
      store<f32>(mind + (<usize>row << 2), d2);
      const w: f64 = weights ? <f64>load<f32>(weights + (<usize>row << 2)) : 1.0;
      inertia += w * <f64>d2;
      if (update) {
        const cp = counts + (<usize>label << 3);
        store<f64>(cp, load<f64>(cp) + w);
        const sp = sums + (<usize>label * <usize>dp << 3);
        if (weights) addRowWeighted(sp, x, rowBytes, w);
        else addRow(sp, x, rowBytes);
      }
    }
  }
  store<f64>(<usize>field(desc, DESC_BINERTIA) + (<usize>b << 3), inertia);
  return changed;
}

/**
 * Labels of four consecutive rows (x0, x0 + rowBytes, ...): the nearest centroid by ‖c‖² − 2x·c over `groups`
 * groups of 8 centroids, the argmin fused into the distance loop. Writes 4 i32 labels at `out`.
 * Exported (also a micro-benchmark entry) so the optimizer keeps it a separate function with few live values.
 */
export function argmin4(x0: usize, rowBytes: usize, ct: usize, cnorm: usize, groups: i32, out: usize): void {
  const x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
  let best0 = f32x4.splat(f32.MAX_VALUE), best1 = best0, best2 = best0, best3 = best0;
  let bi0 = i32x4.splat(0), bi1 = bi0, bi2 = bi0, bi3 = bi0;
  let idxLo = i32x4(0, 1, 2, 3);
  let idxHi = i32x4(4, 5, 6, 7);
  let cg = ct;
  let cn = cnorm;
  for (let g = 0; g < groups; g++) {
    let a00 = v128.load(cn), a01 = v128.load(cn, 16);
    let a10 = a00, a11 = a01, a20 = a00, a21 = a01, a30 = a00, a31 = a01;
    for (let j: usize = 0; j < rowBytes; j += 4) {
      const c = cg + (j << 3);
      const c0 = v128.load(c);
      const c1 = v128.load(c, 16);
      const s0 = v128.load32_splat(x0 + j);
      a00 = f32x4.add(a00, f32x4.mul(s0, c0));
      a01 = f32x4.add(a01, f32x4.mul(s0, c1));
      const s1 = v128.load32_splat(x1 + j);
      a10 = f32x4.add(a10, f32x4.mul(s1, c0));
      a11 = f32x4.add(a11, f32x4.mul(s1, c1));
      const s2 = v128.load32_splat(x2 + j);
      a20 = f32x4.add(a20, f32x4.mul(s2, c0));
      a21 = f32x4.add(a21, f32x4.mul(s2, c1));
      const s3 = v128.load32_splat(x3 + j);
      a30 = f32x4.add(a30, f32x4.mul(s3, c0));
      a31 = f32x4.add(a31, f32x4.mul(s3, c1));
    }
    cg += rowBytes << 3;
    cn += 32;
    // Fused argmin: per lane, strict < keeps the first index among equal distances.
    let m = f32x4.lt(a00, best0); best0 = v128.bitselect(a00, best0, m); bi0 = v128.bitselect(idxLo, bi0, m);
    m = f32x4.lt(a01, best0); best0 = v128.bitselect(a01, best0, m); bi0 = v128.bitselect(idxHi, bi0, m);
    m = f32x4.lt(a10, best1); best1 = v128.bitselect(a10, best1, m); bi1 = v128.bitselect(idxLo, bi1, m);
    m = f32x4.lt(a11, best1); best1 = v128.bitselect(a11, best1, m); bi1 = v128.bitselect(idxHi, bi1, m);
    m = f32x4.lt(a20, best2); best2 = v128.bitselect(a20, best2, m); bi2 = v128.bitselect(idxLo, bi2, m);
    m = f32x4.lt(a21, best2); best2 = v128.bitselect(a21, best2, m); bi2 = v128.bitselect(idxHi, bi2, m);
    m = f32x4.lt(a30, best3); best3 = v128.bitselect(a30, best3, m); bi3 = v128.bitselect(idxLo, bi3, m);
    m = f32x4.lt(a31, best3); best3 = v128.bitselect(a31, best3, m); bi3 = v128.bitselect(idxHi, bi3, m);
    const eight = i32x4.splat(8);
    idxLo = i32x4.add(idxLo, eight);
    idxHi = i32x4.add(idxHi, eight);
  }
  store<i32>(out, lanesArgmin(best0, bi0));
  store<i32>(out, lanesArgmin(best1, bi1), 4);
  store<i32>(out, lanesArgmin(best2, bi2), 8);
  store<i32>(out, lanesArgmin(best3, bi3), 12);
}

/**
 * Adds the per-block partial results in block order: out sums (k × dp f64), out counts (k f64), and returns the
 * total inertia. Serial (one call), so the order is fixed.
 */
export function reduce(desc: usize, outSums: usize, outCounts: usize): f64 {
  const dp = field(desc, DESC_DP);
  const k = field(desc, DESC_K);
  const nblocks = field(desc, DESC_NBLOCKS);
  const sums = <usize>field(desc, DESC_SUMS);
  const counts = <usize>field(desc, DESC_COUNTS);
  const binertia = <usize>field(desc, DESC_BINERTIA);
  const sumBytes = <usize>k * <usize>dp << 3;
  const countBytes = <usize>k << 3;
  memory.copy(outSums, sums, sumBytes);
  memory.copy(outCounts, counts, countBytes);
  let inertia = load<f64>(binertia);
  for (let b = 1; b < nblocks; b++) {
    addF64(outSums, sums + <usize>b * sumBytes, sumBytes);
    addF64(outCounts, counts + <usize>b * countBytes, countBytes);
    inertia += load<f64>(binertia + (<usize>b << 3));
  }
  return inertia;
}

@inline function addF64(out: usize, src: usize, bytes: usize): void {
  for (let j: usize = 0; j < bytes; j += 16) {
    v128.store(out + j, f64x2.add(v128.load(out + j), v128.load(src + j)));
  }
}

/**
 * k-means++ trials for blocks [b0, b1): for each of `trials` candidate rows (i32 row indices at `cand`) and each row
 * r, out[t·n4 + r] = min(closest[r], ‖x_r − x_cand[t]‖²) (no minimum when `closest` is 0), and
 * pots[t·nblocks + b] = Σ w_r · out[t·n4 + r] over block b. Per-block potentials keep the result independent of how
 * blocks are split.
 */
export function kppTrials(
  desc: usize, closest: usize, cand: usize, trials: i32, out: usize, n4: i32, pots: usize, b0: i32, b1: i32,
): void {
  const data = <usize>field(desc, DESC_DATA);
  const n = field(desc, DESC_N);
  const dp = field(desc, DESC_DP);
  const weights = <usize>field(desc, DESC_WEIGHTS);
  const blockRows = field(desc, DESC_BLOCK_ROWS);
  const nblocks = field(desc, DESC_NBLOCKS);
  const rowBytes = <usize>dp << 2;
  const slotBytes = <usize>n4 << 2;
  for (let b = b0; b < b1; b++) {
    const r0 = b * blockRows;
    const r1 = min(n, r0 + blockRows);
    for (let t = 0; t < trials; t++) {
      const p = data + <usize>load<i32>(cand + (<usize>t << 2)) * rowBytes;
      const o = out + <usize>t * slotBytes;
      let pot: f64 = 0;
      for (let r = r0; r < r1; r++) {
        let d2 = sqDist(data + <usize>r * rowBytes, p, rowBytes);
        if (closest) d2 = min(d2, load<f32>(closest + (<usize>r << 2)));
        store<f32>(o + (<usize>r << 2), d2);
        pot += weights ? <f64>d2 * <f64>load<f32>(weights + (<usize>r << 2)) : <f64>d2;
      }
      store<f64>(pots + ((<usize>t * <usize>nblocks + <usize>b) << 3), pot);
    }
  }
}

/** out[r] = Σ_{i ≤ r} w_i · closest[i] in float64, rows in order (k-means++ samples rows from it). */
export function cumulative(desc: usize, closest: usize, out: usize): void {
  const n = field(desc, DESC_N);
  const weights = <usize>field(desc, DESC_WEIGHTS);
  let acc: f64 = 0;
  for (let r = 0; r < n; r++) {
    const d = <f64>load<f32>(closest + (<usize>r << 2));
    acc += weights ? d * <f64>load<f32>(weights + (<usize>r << 2)) : d;
    store<f64>(out + (<usize>r << 3), acc);
  }
}

/**
 * Per-feature mean and Σ(x − mean)² of n rows of `dims` values at `src` (float32, or float64 when `f64` is set), in
 * float64 with rows in order, two or four features at a time: per feature, the same additions in the same order as
 * the host's reference, so both give the same centred data.
 */
export function columnStats(src: usize, n: i32, dims: i32, f64: i32, mean: usize, m2: usize): void {
  memory.fill(mean, 0, <usize>dims << 3);
  memory.fill(m2, 0, <usize>dims << 3);
  for (let pass = 0; pass < 2; pass++) {
    for (let r = 0; r < n; r++) {
      if (f64) {
        const row = src + (<usize>r * <usize>dims << 3);
        let j = 0;
        for (; j + 2 <= dims; j += 2) {
          accumulate(pass, load<v128>(row + (<usize>j << 3)), mean + (<usize>j << 3), m2 + (<usize>j << 3));
        }
        for (; j < dims; j++) {
          accumulate1(pass, load<f64>(row + (<usize>j << 3)), mean + (<usize>j << 3), m2 + (<usize>j << 3));
        }
      } else {
        const row = src + (<usize>r * <usize>dims << 2);
        let j = 0;
        for (; j + 4 <= dims; j += 4) {
          const v = v128.load(row + (<usize>j << 2));
          accumulate(pass, f64x2.promote_low_f32x4(v), mean + (<usize>j << 3), m2 + (<usize>j << 3));
          const high = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
          accumulate(pass, high, mean + (<usize>j << 3) + 16, m2 + (<usize>j << 3) + 16);
        }
        for (; j < dims; j++) {
          accumulate1(pass, <f64>load<f32>(row + (<usize>j << 2)), mean + (<usize>j << 3), m2 + (<usize>j << 3));
        }
      }
    }
    if (pass == 0) {
      for (let j = 0; j < dims; j++) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) / <f64>n);
    }
  }
}

/** Pass 0: mean += x; pass 1: m2 += (x − mean)², two features. */
@inline function accumulate(pass: i32, x: v128, mean: usize, m2: usize): void {
  if (pass == 0) {
    v128.store(mean, f64x2.add(v128.load(mean), x));
  } else {
    const d = f64x2.sub(x, v128.load(mean));
    v128.store(m2, f64x2.add(v128.load(m2), f64x2.mul(d, d)));
  }
}

@inline function accumulate1(pass: i32, x: f64, mean: usize, m2: usize): void {
  if (pass == 0) {
    store<f64>(mean, load<f64>(mean) + x);
  } else {
    const d = x - load<f64>(mean);
    store<f64>(m2, load<f64>(m2) + d * d);
  }
}

/** dst rows (stride floats apart) = float32(x − mean); columns dims..stride are zeroed. `dst` may be `src`. */
export function centreRows(src: usize, n: i32, dims: i32, f64: i32, mean: usize, dst: usize, stride: i32): void {
  for (let r = 0; r < n; r++) {
    const out = dst + (<usize>r * <usize>stride << 2);
    let j = 0;
    if (!f64) {
      const row = src + (<usize>r * <usize>dims << 2);
      for (; j + 4 <= dims; j += 4) {
        const v = v128.load(row + (<usize>j << 2));
        const m = mean + (<usize>j << 3);
        const lo = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(v), v128.load(m)));
        const high = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
        const hi = f32x4.demote_f64x2_zero(f64x2.sub(high, v128.load(m, 16)));
        v128.store(out + (<usize>j << 2), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
      }
      for (; j < dims; j++) {
        const x = <f64>load<f32>(row + (<usize>j << 2));
        store<f32>(out + (<usize>j << 2), <f32>(x - load<f64>(mean + (<usize>j << 3))));
      }
    } else {
      const row = src + (<usize>r * <usize>dims << 3);
      for (; j < dims; j++) {
        const x = load<f64>(row + (<usize>j << 3));
        store<f32>(out + (<usize>j << 2), <f32>(x - load<f64>(mean + (<usize>j << 3))));
      }
    }
    for (j = dims; j < stride; j++) store<f32>(out + (<usize>j << 2), 0);
  }
}
