// The bounded assignment step of the exact accelerated k-means algorithms (Hamerly, Elkan, Yinyang) for one block.
//
// Exactness against the Lloyd step: a distance this step computes is the Lloyd step's own value, lane for lane
// (v = ‖c‖² − 2x·c, the same f32 multiplies and adds in the same order over 8-centroid groups of ct), and the
// label is their argmin with the first index among equal values, over a set of centroids that contains every
// centroid the bounds could not prove farther than the row's own. "Proved" leaves room for rounding: a centroid is
// skipped only when its lower bound l and the row's upper bound u satisfy l² > u² + 2E, E bounding the f32 error of
// any v (about (dp + 4)·2⁻²²·(‖x‖ + max ‖c‖)²), so Lloyd's argmin could not have picked it either. Bounds derived
// from a v subtract E; f32 bounds are rounded towards safety.
//
// Speed: the bound tests run row by row (Elkan's k bounds four lanes at a time); the rows they cannot settle wait in
// a batch of BATCH rows, and the batch computes each 8-centroid group for the rows that need it, four rows at a time
// with the Lloyd step's 4-row register tile. Partial sums and inertia are added in a last pass in row order, as the
// Lloyd step adds them.
//
// Per-block scratch (host-assigned, scratchStride bytes per block), for BATCH pending rows: kp f32 distances each,
// 32 bytes of row state each, kp/8 bytes (rounded up to 16) each marking the centroid groups the row needs, then
// (Yinyang) stride bytes each marking the centroid groups the row examined.

import {
  DESC_BLOCK_ROWS, DESC_BOUNDS, DESC_CENT, DESC_CNORM, DESC_COUNTS, DESC_CT, DESC_DATA, DESC_DP, DESC_K, DESC_KP,
  DESC_LABELS, DESC_MIND, DESC_N, DESC_SUMS, DESC_UPDATE, DESC_WEIGHTS, DESC_BINERTIA,
  BND_ALGORITHM, BND_CC, BND_CMAX, BND_COMPUTED, BND_DRIFT, BND_FIRST, BND_GROUP_DRIFT, BND_GROUP_OF, BND_HALF,
  BND_LOWER, BND_MAX_DRIFT, BND_NORMS, BND_MAX_DRIFT_AT, BND_SCRATCH, BND_SCRATCH_STRIDE, BND_SECOND_DRIFT, BND_STRIDE,
  ALG_ELKAN, ALG_HAMERLY, BOUND_BATCH,
} from '../generated/kmeans-layout';
import { addRow, addRowWeighted, lanesArgmin, sqDist } from './kmeans-rows';

/** 1 − 2⁻²⁰: f32 storage of a lower bound, rounded the safe way. */
const DOWN: f64 = 1 - 9.5367431640625e-7;
/** 1 + 2⁻²⁰: f32 storage of a threshold a lower bound must exceed, rounded the safe way. */
const UP: f64 = 1 + 9.5367431640625e-7;

@inline function i32At(base: usize, at: i32): i32 {
  return load<i32>(base + <usize>at);
}

@inline function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize>i << 2));
}

/** `lower` proves a distance larger than the row's (u2: upper bound of its squared distance). */
@inline function proves(u2: f64, lower: f64, e: f64): bool {
  return lower > 0 && lower * lower > u2 + 2 * e;
}

/** A lower bound of the true distance from a computed v (‖x‖² = xx), stored as f32. */
@inline function boundOf(v: f32, xx: f64, e: f64): f32 {
  return <f32>(Math.sqrt(max<f64>(0, <f64>v + xx - e)) * DOWN);
}

/** ‖x‖² in f64. */
@inline function sqNorm(x: usize, rowBytes: usize): f64 {
  let acc = f64x2.splat(0);
  for (let j: usize = 0; j < rowBytes; j += 16) {
    const v = v128.load(x + j);
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/** Rows a block's bounded step holds before computing their distances (the host sizes scratch for it). */
const BATCH = BOUND_BATCH;

/**
 * v of the 8 centroids of group g for four rows, as the Lloyd step's lanes compute them (its 4-row register tile),
 * stored at out_p + g·32 for row p. Exported so the optimizer keeps it a separate function.
 */
export function evalGroup4(
  x0: usize,
  x1: usize,
  x2: usize,
  x3: usize,
  rowBytes: usize,
  ct: usize,
  cnorm: usize,
  g: i32,
  out0: usize,
  out1: usize,
  out2: usize,
  out3: usize,
): void {
  const cg = ct + <usize>g * (rowBytes << 3);
  let a00 = v128.load(cnorm + (<usize>g << 5)), a01 = v128.load(cnorm + (<usize>g << 5), 16);
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
  const o = <usize>g << 5;
  v128.store(out0 + o, a00);
  v128.store(out0 + o, a01, 16);
  v128.store(out1 + o, a10);
  v128.store(out1 + o, a11, 16);
  v128.store(out2 + o, a20);
  v128.store(out2 + o, a21, 16);
  v128.store(out3 + o, a30);
  v128.store(out3 + o, a31, 16);
}

// Pending row state, 32 bytes per tile slot.
const P_ROW = 0; // i32
const P_OLD = 4; // i32
const P_D2 = 8; // f32: squared distance to the old centroid (not on the first step)
const P_XX = 16; // f64
const P_E = 24; // f64

/** One bounded step over block b; returns how many labels changed and writes the block's distance count. */
export function assignBlockBounded(desc: usize, b: i32): i32 {
  const bnd = <usize>i32At(desc, DESC_BOUNDS);
  const data = <usize>i32At(desc, DESC_DATA);
  const n = i32At(desc, DESC_N);
  const dp = i32At(desc, DESC_DP);
  const kp = i32At(desc, DESC_KP);
  const k = i32At(desc, DESC_K);
  const ct = <usize>i32At(desc, DESC_CT);
  const cnorm = <usize>i32At(desc, DESC_CNORM);
  const cent = <usize>i32At(desc, DESC_CENT);
  const labels = <usize>i32At(desc, DESC_LABELS);
  const mind = <usize>i32At(desc, DESC_MIND);
  const blockRows = i32At(desc, DESC_BLOCK_ROWS);
  const alg = i32At(bnd, BND_ALGORITHM);
  const first = i32At(bnd, BND_FIRST);
  const lowerAll = <usize>i32At(bnd, BND_LOWER);
  const stride = i32At(bnd, BND_STRIDE);
  const drift = <usize>i32At(bnd, BND_DRIFT);
  const half = <usize>i32At(bnd, BND_HALF);
  const cc = <usize>i32At(bnd, BND_CC);
  const groupOf = <usize>i32At(bnd, BND_GROUP_OF);
  const groupDrift = <usize>i32At(bnd, BND_GROUP_DRIFT);
  const maxAt = i32At(bnd, BND_MAX_DRIFT_AT);
  const maxDrift = <f64>load<f32>(bnd + <usize>BND_MAX_DRIFT);
  const secondDrift = <f64>load<f32>(bnd + <usize>BND_SECOND_DRIFT);
  const cmax = <f64>load<f32>(bnd + <usize>BND_CMAX);
  const norms = <usize>i32At(bnd, BND_NORMS);
  const kpBytes = <usize>kp << 2;
  const vbuf = <usize>i32At(bnd, BND_SCRATCH) + <usize>b * <usize>i32At(bnd, BND_SCRATCH_STRIDE);
  const pend = vbuf + <usize>BATCH * kpBytes;
  const groups8 = kp >> 3;
  const markStride = (<usize>groups8 + 15) & ~<usize>15;
  const marksAll = pend + <usize>BATCH * 32;
  const examined = marksAll + <usize>BATCH * markStride;
  const hamerly = alg == ALG_HAMERLY;
  const yinyang = !hamerly && alg != ALG_ELKAN;
  const r0 = b * blockRows;
  const r1 = min(n, r0 + blockRows);
  const rowBytes = <usize>dp << 2;
  const errScale: f64 = <f64>(dp + 4) * 2.384185791015625e-7; // (dp + 4) · 2⁻²²
  const upScale: f64 = 1 + <f64>(dp + 2) * 1.1920928955078125e-7; // squared distance by differences: upper bound
  let changed = 0;
  let computed = 0;
  let pending = 0;
  for (let r = r0; r < r1; r++) {
    const x = data + <usize>r * rowBytes;
    const old = load<i32>(labels + (<usize>r << 2));
    const low = lowerAll + (<usize>r * <usize>stride << 2);
    // ‖x‖² once per run: the rows do not change between steps.
    const np = norms + (<usize>r << 3);
    let xx: f64;
    if (first) {
      xx = sqNorm(x, rowBytes);
      store<f64>(np, xx);
    } else xx = load<f64>(np);
    const xn = Math.sqrt(xx);
    const e = errScale * (xn + cmax) * (xn + cmax);
    const slot = pend + (<usize>pending << 5);
    const exam = examined + <usize>pending * <usize>stride;
    const marks = marksAll + <usize>pending * markStride;
    // Hamerly computes all or nothing and keeps no marks.
    if (!hamerly) fillMarks(marks, markStride, first != 0);
    let need = first != 0;
    let d2a: f32 = 0;
    if (first) {
      if (yinyang) memory.fill(exam, 1, <usize>stride);
    } else {
      d2a = sqDist(x, cent + <usize>old * rowBytes, rowBytes);
      const u2 = <f64>d2a * upScale;
      const u = Math.sqrt(u2);
      if (alg == ALG_HAMERLY) {
        const l = <f64>load<f32>(low) - (old == maxAt ? secondDrift : maxDrift);
        if (proves(u2, max<f64>(l, 2 * <f64>f32At(half, old) - u), e)) store<f32>(low, <f32>(l * DOWN));
        else need = true;
      } else if (alg == ALG_ELKAN) {
        need = elkanRow(low, drift, cc + (<usize>old * kpBytes), kp, old, u, u2, e, !proves(u2, 2 * <f64>f32At(half, old) - u, e), marks);
      } else {
        for (let g = 0; g < stride; g++) {
          const moved = <f64>f32At(low, g) - <f64>f32At(groupDrift, g);
          store<f32>(low + (<usize>g << 2), <f32>(moved * DOWN));
          const open = !proves(u2, moved, e);
          store<u8>(exam + <usize>g, open ? 1 : 0);
          need = need || open;
        }
        if (need) for (let c = 0; c < k; c++) if (load<u8>(exam + <usize>i32At(groupOf, c << 2))) store<u8>(marks + <usize>(c >> 3), 1);
      }
      if (need && !hamerly) store<u8>(marks + <usize>(old >> 3), 1);
    }
    if (need) {
      store<i32>(slot + P_ROW, r);
      store<i32>(slot + P_OLD, old);
      store<f32>(slot + P_D2, d2a);
      store<f64>(slot + P_XX, xx);
      store<f64>(slot + P_E, e);
      computed += hamerly ? k : rowDistances(marks, groups8, k);
      if (++pending == (hamerly ? 4 : BATCH)) {
        changed += hamerly
          ? hamerlyTile(desc, bnd, pending, pend)
          : settleBatch(desc, bnd, pending, vbuf, pend, marksAll, markStride, examined);
        pending = 0;
      }
    } else {
      computed += 1;
      store<f32>(mind + (<usize>r << 2), d2a);
    }
  }
  if (pending > 0)
    changed += hamerly
      ? hamerlyTile(desc, bnd, pending, pend)
      : settleBatch(desc, bnd, pending, vbuf, pend, marksAll, markStride, examined);
  addBlock(desc, b, r0, r1);
  store<i32>(<usize>i32At(bnd, BND_COMPUTED) + (<usize>b << 2), computed);
  return changed;
}

/**
 * Elkan's tests for one row, four centroids at a time: moves its k lower bounds by the drifts, and (when the
 * half-separation test did not settle the row: `open`) marks the 8-centroid groups holding a centroid other than
 * `old` that neither its lower bound nor its distance to `old` proves farther. Returns whether any was marked.
 */
@inline function elkanRow(
  low: usize,
  drift: usize,
  ccRow: usize,
  kp: i32,
  old: i32,
  u: f64,
  u2: f64,
  e: f64,
  open: bool,
  marks: usize,
): bool {
  // l > t proves l² > u² + 2E (l is then positive); cc > t2 proves (cc − u)² > u² + 2E.
  const root = Math.sqrt(u2 + 2 * e);
  const t = f32x4.splat(<f32>(root * UP));
  const t2 = f32x4.splat(<f32>((u + root) * UP));
  const down = f32x4.splat(<f32>DOWN);
  const oldv = i32x4.splat(old);
  let idx = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  let any = false;
  for (let c = 0; c < kp; c += 8) {
    const o = <usize>c << 2;
    // round(l − d) · DOWN, rounded, stays below l − d (each rounding is within 2⁻²⁴ of its result).
    const l0 = f32x4.mul(f32x4.sub(v128.load(low + o), v128.load(drift + o)), down);
    const l1 = f32x4.mul(f32x4.sub(v128.load(low + o, 16), v128.load(drift + o, 16)), down);
    v128.store(low + o, l0);
    v128.store(low + o, l1, 16);
    if (open) {
      const idx1 = i32x4.add(idx, four);
      const keep0 = v128.or(v128.or(f32x4.gt(l0, t), f32x4.gt(v128.load(ccRow + o), t2)), i32x4.eq(idx, oldv));
      const keep1 = v128.or(v128.or(f32x4.gt(l1, t), f32x4.gt(v128.load(ccRow + o, 16), t2)), i32x4.eq(idx1, oldv));
      if (!v128.all_true<i32>(v128.and(keep0, keep1))) {
        store<u8>(marks + <usize>(c >> 3), 1);
        any = true;
      }
    }
    idx = i32x4.add(idx, i32x4.splat(8));
  }
  return any;
}

/**
 * Lloyd's argmin over the marked 8-centroid groups of one row's distances v: per lane the first strictly smaller
 * value, then the smallest index among the lanes' equal minima (the Lloyd step's own order, so its tie-break).
 */
@inline function argminMarked(v: usize, marks: usize, groups8: i32): i32 {
  let best = f32x4.splat(f32.MAX_VALUE);
  let bi = i32x4.splat(0);
  let idxLo = i32x4(0, 1, 2, 3);
  let idxHi = i32x4(4, 5, 6, 7);
  const eight = i32x4.splat(8);
  for (let g = 0; g < groups8; g++) {
    if (load<u8>(marks + <usize>g)) {
      const o = v + (<usize>g << 5);
      const a0 = v128.load(o);
      const a1 = v128.load(o, 16);
      let m = f32x4.lt(a0, best);
      best = v128.bitselect(a0, best, m);
      bi = v128.bitselect(idxLo, bi, m);
      m = f32x4.lt(a1, best);
      best = v128.bitselect(a1, best, m);
      bi = v128.bitselect(idxHi, bi, m);
    }
    idxLo = i32x4.add(idxLo, eight);
    idxHi = i32x4.add(idxHi, eight);
  }
  return lanesArgmin(best, bi);
}

/** The smallest of v (every group computed; padding lanes hold f32.MAX_VALUE) other than v[label]. */
@inline function secondMin(v: usize, groups8: i32, label: i32): f32 {
  let m = f32x4.splat(f32.MAX_VALUE);
  const big = f32x4.splat(f32.MAX_VALUE);
  const lab = i32x4.splat(label);
  let idx = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  for (let c = 0; c < groups8 << 3; c += 4) {
    m = f32x4.min(m, v128.bitselect(big, v128.load(v + (<usize>c << 2)), i32x4.eq(idx, lab)));
    idx = i32x4.add(idx, four);
  }
  const h = f32x4.min(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  return min(f32x4.extract_lane(h, 0), f32x4.extract_lane(h, 1));
}

/**
 * Four lower bounds of true distances from computed v's, in f32: √max(0, v + y)·DOWN, y ≤ ‖x‖² − E. The add, the
 * square root and the multiply each round within 2⁻²⁴ of their result, which DOWN (1 − 2⁻²⁰) more than covers.
 */
@inline function boundsOf4(v: v128, y: v128): v128 {
  const s = f32x4.max(f32x4.add(v, y), f32x4.splat(0));
  return f32x4.mul(f32x4.sqrt(s), f32x4.splat(<f32>DOWN));
}

/**
 * Computes, for the `count` pending rows of a batch, the centroid groups each one marked, then gives each its label
 * (the argmin over its computed groups), its distance, and new bounds. Returns how many labels changed.
 */
function settleBatch(
  desc: usize,
  bnd: usize,
  count: i32,
  vbuf: usize,
  pend: usize,
  marksAll: usize,
  markStride: usize,
  examined: usize,
): i32 {
  const data = <usize>i32At(desc, DESC_DATA);
  const dp = i32At(desc, DESC_DP);
  const kp = i32At(desc, DESC_KP);
  const k = i32At(desc, DESC_K);
  const ct = <usize>i32At(desc, DESC_CT);
  const cnorm = <usize>i32At(desc, DESC_CNORM);
  const cent = <usize>i32At(desc, DESC_CENT);
  const labels = <usize>i32At(desc, DESC_LABELS);
  const mind = <usize>i32At(desc, DESC_MIND);
  const alg = i32At(bnd, BND_ALGORITHM);
  const first = i32At(bnd, BND_FIRST);
  const lowerAll = <usize>i32At(bnd, BND_LOWER);
  const stride = i32At(bnd, BND_STRIDE);
  const groupOf = <usize>i32At(bnd, BND_GROUP_OF);
  const rowBytes = <usize>dp << 2;
  const kpBytes = <usize>kp << 2;
  const groups8 = kp >> 3;
  // Group by group, the rows that marked it, four at a time; a short tile repeats its first row into the spare slots.
  for (let g = 0; g < groups8; g++) {
    let q0 = -1, q1 = -1, q2 = -1, q3 = -1;
    let have = 0;
    for (let p = 0; p <= count; p++) {
      if (p < count) {
        if (!load<u8>(marksAll + <usize>p * markStride + <usize>g)) continue;
        if (have == 0) q0 = p;
        else if (have == 1) q1 = p;
        else if (have == 2) q2 = p;
        else q3 = p;
        have++;
        if (have < 4) continue;
      } else if (have == 0) break;
      if (have < 2) q1 = q0;
      if (have < 3) q2 = q0;
      if (have < 4) q3 = q0;
      evalGroup4(
        data + <usize>load<i32>(pend + (<usize>q0 << 5) + P_ROW) * rowBytes,
        data + <usize>load<i32>(pend + (<usize>q1 << 5) + P_ROW) * rowBytes,
        data + <usize>load<i32>(pend + (<usize>q2 << 5) + P_ROW) * rowBytes,
        data + <usize>load<i32>(pend + (<usize>q3 << 5) + P_ROW) * rowBytes,
        rowBytes,
        ct,
        cnorm,
        g,
        vbuf + <usize>q0 * kpBytes,
        vbuf + <usize>q1 * kpBytes,
        vbuf + <usize>q2 * kpBytes,
        vbuf + <usize>q3 * kpBytes,
      );
      have = 0;
    }
  }
  let changed = 0;
  for (let p = 0; p < count; p++) {
    const slot = pend + (<usize>p << 5);
    const r = load<i32>(slot + P_ROW);
    const old = load<i32>(slot + P_OLD);
    const xx = load<f64>(slot + P_XX);
    const e = load<f64>(slot + P_E);
    const v = vbuf + <usize>p * kpBytes;
    const marks = marksAll + <usize>p * markStride;
    const low = lowerAll + (<usize>r * <usize>stride << 2);
    const label = argminMarked(v, marks, groups8);
    if (alg == ALG_HAMERLY) store<f32>(low, k > 1 ? boundOf(secondMin(v, groups8, label), xx, e) : f32.MAX_VALUE);
    else if (alg == ALG_ELKAN) {
      // Bounds for the computed groups, padding lanes included (their v is f32.MAX_VALUE: a bound no row reaches).
      const y = xx - e;
      const y4 = f32x4.splat(<f32>(y - Math.abs(y) * 2.384185791015625e-7));
      for (let g = 0; g < groups8; g++) {
        if (!load<u8>(marks + <usize>g)) continue;
        const o = <usize>g << 5;
        v128.store(low + o, boundsOf4(v128.load(v + o), y4));
        v128.store(low + o, boundsOf4(v128.load(v + o, 16), y4), 16);
      }
    } else {
      const exam = examined + <usize>p * <usize>stride;
      for (let g = 0; g < stride; g++) if (load<u8>(exam + <usize>g)) store<f32>(low + (<usize>g << 2), f32.MAX_VALUE);
      for (let c = 0; c < k; c++) {
        const g = i32At(groupOf, c << 2);
        const open = load<u8>(exam + <usize>g) != 0;
        // Examined groups: the minimum over their centroids other than the label; the former label's group also
        // bounds that centroid once it is no longer the row's own.
        if (c != label && (open || c == old)) {
          const bv = boundOf(f32At(v, c), xx, e);
          if (bv < f32At(low, g)) store<f32>(low + (<usize>g << 2), bv);
        }
      }
    }
    store<i32>(labels + (<usize>r << 2), label);
    if (label != old) changed++;
    const x = data + <usize>r * rowBytes;
    const d2 = first || label != old ? sqDist(x, cent + <usize>label * rowBytes, rowBytes) : load<f32>(slot + P_D2);
    store<f32>(mind + (<usize>r << 2), d2);
  }
  return changed;
}

/** Sets a row's group marks (markStride bytes, a multiple of 16) to all 1 or all 0; a call per row stays cheap. */
@inline function fillMarks(marks: usize, markStride: usize, on: bool): void {
  const v = i8x16.splat(on ? 1 : 0);
  for (let o: usize = 0; o < markStride; o += 16) v128.store(marks + o, v);
}

/** Distances a row's marks ask for: the centroids (padding excluded) of its marked groups. */
function rowDistances(marks: usize, groups8: i32, k: i32): i32 {
  let computed = 0;
  for (let g = 0; g < groups8; g++) if (load<u8>(marks + <usize>g)) computed += min(k, (g + 1) << 3) - (g << 3);
  return computed;
}

/**
 * Hamerly's rows that need every distance, four at a time: the Lloyd step's fused distance-and-argmin tile that also
 * keeps, per lane, the second smallest value, so neither the distances nor a second pass over them are needed.
 * Sets each row's label, distance and lower bound (from the second smallest v); returns how many labels changed.
 */
function hamerlyTile(desc: usize, bnd: usize, count: i32, pend: usize): i32 {
  const data = <usize>i32At(desc, DESC_DATA);
  const dp = i32At(desc, DESC_DP);
  const kp = i32At(desc, DESC_KP);
  const k = i32At(desc, DESC_K);
  const ct = <usize>i32At(desc, DESC_CT);
  const cnorm = <usize>i32At(desc, DESC_CNORM);
  const cent = <usize>i32At(desc, DESC_CENT);
  const labels = <usize>i32At(desc, DESC_LABELS);
  const mind = <usize>i32At(desc, DESC_MIND);
  const first = i32At(bnd, BND_FIRST);
  const lowerAll = <usize>i32At(bnd, BND_LOWER);
  const rowBytes = <usize>dp << 2;
  const groups = kp >> 3;
  // A short tile repeats its first row into the spare slots (their results are not read).
  const x0 = data + <usize>load<i32>(pend + P_ROW) * rowBytes;
  const x1 = count > 1 ? data + <usize>load<i32>(pend + 32 + P_ROW) * rowBytes : x0;
  const x2 = count > 2 ? data + <usize>load<i32>(pend + 64 + P_ROW) * rowBytes : x0;
  const x3 = count > 3 ? data + <usize>load<i32>(pend + 96 + P_ROW) * rowBytes : x0;
  const big = f32x4.splat(f32.MAX_VALUE);
  let best0 = big, best1 = big, best2 = big, best3 = big;
  let sec0 = big, sec1 = big, sec2 = big, sec3 = big;
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
    // Per lane, strict < keeps the first index among equal values (as the Lloyd step); the value it replaces, or
    // the new one when it does not win, competes for second.
    let m = f32x4.lt(a00, best0);
    sec0 = v128.bitselect(best0, f32x4.min(sec0, a00), m);
    best0 = v128.bitselect(a00, best0, m);
    bi0 = v128.bitselect(idxLo, bi0, m);
    m = f32x4.lt(a01, best0);
    sec0 = v128.bitselect(best0, f32x4.min(sec0, a01), m);
    best0 = v128.bitselect(a01, best0, m);
    bi0 = v128.bitselect(idxHi, bi0, m);
    m = f32x4.lt(a10, best1);
    sec1 = v128.bitselect(best1, f32x4.min(sec1, a10), m);
    best1 = v128.bitselect(a10, best1, m);
    bi1 = v128.bitselect(idxLo, bi1, m);
    m = f32x4.lt(a11, best1);
    sec1 = v128.bitselect(best1, f32x4.min(sec1, a11), m);
    best1 = v128.bitselect(a11, best1, m);
    bi1 = v128.bitselect(idxHi, bi1, m);
    m = f32x4.lt(a20, best2);
    sec2 = v128.bitselect(best2, f32x4.min(sec2, a20), m);
    best2 = v128.bitselect(a20, best2, m);
    bi2 = v128.bitselect(idxLo, bi2, m);
    m = f32x4.lt(a21, best2);
    sec2 = v128.bitselect(best2, f32x4.min(sec2, a21), m);
    best2 = v128.bitselect(a21, best2, m);
    bi2 = v128.bitselect(idxHi, bi2, m);
    m = f32x4.lt(a30, best3);
    sec3 = v128.bitselect(best3, f32x4.min(sec3, a30), m);
    best3 = v128.bitselect(a30, best3, m);
    bi3 = v128.bitselect(idxLo, bi3, m);
    m = f32x4.lt(a31, best3);
    sec3 = v128.bitselect(best3, f32x4.min(sec3, a31), m);
    best3 = v128.bitselect(a31, best3, m);
    bi3 = v128.bitselect(idxHi, bi3, m);
    const eight = i32x4.splat(8);
    idxLo = i32x4.add(idxLo, eight);
    idxHi = i32x4.add(idxHi, eight);
  }
  let changed = 0;
  for (let p = 0; p < count; p++) {
    const best = p == 0 ? best0 : p == 1 ? best1 : p == 2 ? best2 : best3;
    const sec = p == 0 ? sec0 : p == 1 ? sec1 : p == 2 ? sec2 : sec3;
    const label = lanesArgmin(best, p == 0 ? bi0 : p == 1 ? bi1 : p == 2 ? bi2 : bi3);
    // Lane j holds the centroids c ≡ j (mod 4): the label's lane gives its second value, the others their best.
    const others = v128.bitselect(big, best, i32x4.eq(i32x4(0, 1, 2, 3), i32x4.splat(label & 3)));
    let h = f32x4.min(sec, others);
    h = f32x4.min(h, v128.shuffle<f32>(h, h, 2, 3, 0, 1));
    const second = min(f32x4.extract_lane(h, 0), f32x4.extract_lane(h, 1));
    const slot = pend + (<usize>p << 5);
    const r = load<i32>(slot + P_ROW);
    const old = load<i32>(slot + P_OLD);
    store<f32>(lowerAll + (<usize>r << 2), k > 1 ? boundOf(second, load<f64>(slot + P_XX), load<f64>(slot + P_E)) : f32.MAX_VALUE);
    store<i32>(labels + (<usize>r << 2), label);
    if (label != old) changed++;
    const x = data + <usize>r * rowBytes;
    const d2 = first || label != old ? sqDist(x, cent + <usize>label * rowBytes, rowBytes) : load<f32>(slot + P_D2);
    store<f32>(mind + (<usize>r << 2), d2);
  }
  return changed;
}

/** The block's inertia and (with the update flag) partial sums and counts, added in row order as Lloyd's step does. */
function addBlock(desc: usize, b: i32, r0: i32, r1: i32): void {
  const data = <usize>i32At(desc, DESC_DATA);
  const dp = i32At(desc, DESC_DP);
  const k = i32At(desc, DESC_K);
  const weights = <usize>i32At(desc, DESC_WEIGHTS);
  const labels = <usize>i32At(desc, DESC_LABELS);
  const mind = <usize>i32At(desc, DESC_MIND);
  const update = i32At(desc, DESC_UPDATE);
  const rowBytes = <usize>dp << 2;
  const sums = <usize>i32At(desc, DESC_SUMS) + (<usize>b * <usize>k * <usize>dp << 3);
  const counts = <usize>i32At(desc, DESC_COUNTS) + (<usize>b * <usize>k << 3);
  if (update) {
    memory.fill(sums, 0, <usize>k * <usize>dp << 3);
    memory.fill(counts, 0, <usize>k << 3);
  }
  let inertia: f64 = 0;
  for (let r = r0; r < r1; r++) {
    const label = load<i32>(labels + (<usize>r << 2));
    const w: f64 = weights ? <f64>load<f32>(weights + (<usize>r << 2)) : 1.0;
    inertia += w * <f64>load<f32>(mind + (<usize>r << 2));
    if (update) {
      const x = data + <usize>r * rowBytes;
      const cp = counts + (<usize>label << 3);
      store<f64>(cp, load<f64>(cp) + w);
      const sp = sums + (<usize>label * <usize>dp << 3);
      if (weights) addRowWeighted(sp, x, rowBytes, w);
      else addRow(sp, x, rowBytes);
    }
  }
  store<f64>(<usize>i32At(desc, DESC_BINERTIA) + (<usize>b << 3), inertia);
}
