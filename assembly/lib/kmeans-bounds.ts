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
// Per-block scratch (host-assigned): kp f32 values v, then kp bytes: which 8-centroid groups were computed, and
// (Yinyang) which centroid groups were examined.

import {
  DESC_BLOCK_ROWS, DESC_BOUNDS, DESC_CENT, DESC_CNORM, DESC_COUNTS, DESC_CT, DESC_DATA, DESC_DP, DESC_K, DESC_KP,
  DESC_LABELS, DESC_MIND, DESC_N, DESC_SUMS, DESC_UPDATE, DESC_WEIGHTS, DESC_BINERTIA,
  BND_ALGORITHM, BND_CC, BND_CMAX, BND_COMPUTED, BND_DRIFT, BND_FIRST, BND_GROUP_DRIFT, BND_GROUP_OF, BND_HALF,
  BND_LOWER, BND_MAX_DRIFT, BND_MAX_DRIFT_AT, BND_SCRATCH, BND_SECOND_DRIFT, BND_STRIDE,
  ALG_ELKAN, ALG_HAMERLY,
} from '../generated/kmeans-layout';
import { addRow, addRowWeighted, sqDist } from './kmeans-rows';

/** 1 − 2⁻²⁰: f32 storage of a lower bound, rounded the safe way. */
const DOWN: f64 = 1 - 9.5367431640625e-7;

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

/** v of the 8 centroids of group g for row x, as the Lloyd step's lanes compute them, stored at out[g·8..]. */
@inline function evalGroup(x: usize, rowBytes: usize, ct: usize, cnorm: usize, g: i32, out: usize): void {
  const cg = ct + <usize>g * (rowBytes << 3);
  let a0 = v128.load(cnorm + (<usize>g << 5));
  let a1 = v128.load(cnorm + (<usize>g << 5), 16);
  for (let j: usize = 0; j < rowBytes; j += 4) {
    const c = cg + (j << 3);
    const s = v128.load32_splat(x + j);
    a0 = f32x4.add(a0, f32x4.mul(s, v128.load(c)));
    a1 = f32x4.add(a1, f32x4.mul(s, v128.load(c, 16)));
  }
  v128.store(out + (<usize>g << 5), a0);
  v128.store(out + (<usize>g << 5), a1, 16);
}

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
  const weights = <usize>i32At(desc, DESC_WEIGHTS);
  const labels = <usize>i32At(desc, DESC_LABELS);
  const mind = <usize>i32At(desc, DESC_MIND);
  const blockRows = i32At(desc, DESC_BLOCK_ROWS);
  const update = i32At(desc, DESC_UPDATE);
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
  const v = <usize>i32At(bnd, BND_SCRATCH) + <usize>b * (<usize>kp * 6);
  const computedFlags = v + (<usize>kp << 2);
  const examined = computedFlags + (<usize>kp >> 3);
  const groups8 = kp >> 3;
  const r0 = b * blockRows;
  const r1 = min(n, r0 + blockRows);
  const rowBytes = <usize>dp << 2;
  const sums = <usize>i32At(desc, DESC_SUMS) + (<usize>b * <usize>k * <usize>dp << 3);
  const counts = <usize>i32At(desc, DESC_COUNTS) + (<usize>b * <usize>k << 3);
  if (update) {
    memory.fill(sums, 0, <usize>k * <usize>dp << 3);
    memory.fill(counts, 0, <usize>k << 3);
  }
  const errScale: f64 = <f64>(dp + 4) * 2.384185791015625e-7; // (dp + 4) · 2⁻²²
  const upScale: f64 = 1 + <f64>(dp + 2) * 1.1920928955078125e-7; // squared distance by differences: upper bound
  let inertia: f64 = 0;
  let changed = 0;
  let computed = 0;
  for (let r = r0; r < r1; r++) {
    const x = data + <usize>r * rowBytes;
    const old = load<i32>(labels + (<usize>r << 2));
    const low = lowerAll + (<usize>r * <usize>stride << 2);
    let xx: f64 = 0;
    for (let j: usize = 0; j < rowBytes; j += 4) {
      const xv = <f64>load<f32>(x + j);
      xx += xv * xv;
    }
    const xn = Math.sqrt(xx);
    const e = errScale * (xn + cmax) * (xn + cmax);
    let label = old;
    let d2a: f32 = 0;
    // Which 8-centroid groups to compute this row (none: the row keeps its label).
    memory.fill(computedFlags, 0, <usize>groups8);
    let any = false;
    if (first) {
      memory.fill(computedFlags, 1, <usize>groups8);
      if (alg != ALG_HAMERLY && alg != ALG_ELKAN) memory.fill(examined, 1, <usize>stride);
      any = true;
    } else {
      d2a = sqDist(x, cent + <usize>old * rowBytes, rowBytes);
      const u2 = <f64>d2a * upScale;
      const u = Math.sqrt(u2);
      if (alg == ALG_HAMERLY) {
        const l = <f64>load<f32>(low) - (old == maxAt ? secondDrift : maxDrift);
        if (proves(u2, max<f64>(l, 2 * <f64>f32At(half, old) - u), e)) store<f32>(low, <f32>(l * DOWN));
        else {
          memory.fill(computedFlags, 1, <usize>groups8);
          any = true;
        }
      } else if (alg == ALG_ELKAN) {
        for (let c = 0; c < k; c++) store<f32>(low + (<usize>c << 2), <f32>((<f64>f32At(low, c) - <f64>f32At(drift, c)) * DOWN));
        if (!proves(u2, 2 * <f64>f32At(half, old) - u, e)) {
          const ccRow = cc + (<usize>old * <usize>k << 2);
          for (let c = 0; c < k; c++) {
            if (c == old || proves(u2, <f64>f32At(low, c), e) || proves(u2, <f64>f32At(ccRow, c) - u, e)) continue;
            store<u8>(computedFlags + <usize>(c >> 3), 1);
            any = true;
          }
        }
      } else {
        for (let g = 0; g < stride; g++) {
          const moved = <f64>f32At(low, g) - <f64>f32At(groupDrift, g);
          store<f32>(low + (<usize>g << 2), <f32>(moved * DOWN));
          const open = !proves(u2, moved, e);
          store<u8>(examined + <usize>g, open ? 1 : 0);
          any = any || open;
        }
        if (any) for (let c = 0; c < k; c++) if (load<u8>(examined + <usize>i32At(groupOf, c << 2))) store<u8>(computedFlags + <usize>(c >> 3), 1);
      }
      if (any) store<u8>(computedFlags + <usize>(old >> 3), 1);
    }
    if (any) {
      // Lloyd's argmin over the computed groups, first index among equal values.
      let best = f32.MAX_VALUE;
      for (let g = 0; g < groups8; g++) {
        if (!load<u8>(computedFlags + <usize>g)) continue;
        evalGroup(x, rowBytes, ct, cnorm, g, v);
        const top = min(k, (g + 1) << 3);
        computed += top - (g << 3);
        for (let c = g << 3; c < top; c++) {
          const vc = f32At(v, c);
          if (vc < best) {
            best = vc;
            label = c;
          }
        }
      }
      if (alg == ALG_HAMERLY) {
        let second = f32.MAX_VALUE;
        for (let c = 0; c < k; c++) if (c != label && f32At(v, c) < second) second = f32At(v, c);
        store<f32>(low, k > 1 ? boundOf(second, xx, e) : f32.MAX_VALUE);
      } else if (alg == ALG_ELKAN) {
        for (let c = 0; c < k; c++) if (load<u8>(computedFlags + <usize>(c >> 3))) store<f32>(low + (<usize>c << 2), boundOf(f32At(v, c), xx, e));
      } else {
        for (let g = 0; g < stride; g++) if (load<u8>(examined + <usize>g)) store<f32>(low + (<usize>g << 2), f32.MAX_VALUE);
        for (let c = 0; c < k; c++) {
          const g = i32At(groupOf, c << 2);
          const open = load<u8>(examined + <usize>g) != 0;
          // Examined groups: the minimum over their centroids other than the label; the former label's group also
          // bounds that centroid once it is no longer the row's own.
          if (c != label && (open || c == old)) {
            const bv = boundOf(f32At(v, c), xx, e);
            if (bv < f32At(low, g)) store<f32>(low + (<usize>g << 2), bv);
          }
        }
      }
    } else if (!first) computed += 1;
    store<i32>(labels + (<usize>r << 2), label);
    if (label != old) changed++;
    if (first || label != old) d2a = sqDist(x, cent + <usize>label * rowBytes, rowBytes);
    store<f32>(mind + (<usize>r << 2), d2a);
    const w: f64 = weights ? <f64>load<f32>(weights + (<usize>r << 2)) : 1.0;
    inertia += w * <f64>d2a;
    if (update) {
      const cp = counts + (<usize>label << 3);
      store<f64>(cp, load<f64>(cp) + w);
      const sp = sums + (<usize>label * <usize>dp << 3);
      if (weights) addRowWeighted(sp, x, rowBytes, w);
      else addRow(sp, x, rowBytes);
    }
  }
  store<f64>(<usize>i32At(desc, DESC_BINERTIA) + (<usize>b << 3), inertia);
  store<i32>(<usize>i32At(bnd, BND_COMPUTED) + (<usize>b << 2), computed);
  return changed;
}
