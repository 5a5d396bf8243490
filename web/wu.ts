/**
 * Xiaolin Wu's colour quantizer (Graphics Gems II, 1991): splits the RGB cube, on a 32-level histogram, into boxes by
 * greedy variance minimisation. Its box means are a good k-means start: k-means can then only lower the error.
 */
const SIDE = 33;
const idx = (r: number, g: number, b: number) => (r * SIDE + g) * SIDE + b;

interface Box {
  r0: number;
  r1: number;
  g0: number;
  g1: number;
  b0: number;
  b1: number;
}

type Moment = Float64Array;

function vol(c: Box, m: Moment): number {
  return (
    m[idx(c.r1, c.g1, c.b1)]! -
    m[idx(c.r1, c.g1, c.b0)]! -
    m[idx(c.r1, c.g0, c.b1)]! +
    m[idx(c.r1, c.g0, c.b0)]! -
    m[idx(c.r0, c.g1, c.b1)]! +
    m[idx(c.r0, c.g1, c.b0)]! +
    m[idx(c.r0, c.g0, c.b1)]! -
    m[idx(c.r0, c.g0, c.b0)]!
  );
}

/** The part of vol() that does not depend on the cut position along `dir`. */
function bottom(c: Box, dir: 0 | 1 | 2, m: Moment): number {
  if (dir === 0)
    return (
      -m[idx(c.r0, c.g1, c.b1)]! + m[idx(c.r0, c.g1, c.b0)]! + m[idx(c.r0, c.g0, c.b1)]! - m[idx(c.r0, c.g0, c.b0)]!
    );
  if (dir === 1)
    return (
      -m[idx(c.r1, c.g0, c.b1)]! + m[idx(c.r1, c.g0, c.b0)]! + m[idx(c.r0, c.g0, c.b1)]! - m[idx(c.r0, c.g0, c.b0)]!
    );
  return -m[idx(c.r1, c.g1, c.b0)]! + m[idx(c.r1, c.g0, c.b0)]! + m[idx(c.r0, c.g1, c.b0)]! - m[idx(c.r0, c.g0, c.b0)]!;
}

function top(c: Box, dir: 0 | 1 | 2, pos: number, m: Moment): number {
  if (dir === 0)
    return m[idx(pos, c.g1, c.b1)]! - m[idx(pos, c.g1, c.b0)]! - m[idx(pos, c.g0, c.b1)]! + m[idx(pos, c.g0, c.b0)]!;
  if (dir === 1)
    return m[idx(c.r1, pos, c.b1)]! - m[idx(c.r1, pos, c.b0)]! - m[idx(c.r0, pos, c.b1)]! + m[idx(c.r0, pos, c.b0)]!;
  return m[idx(c.r1, c.g1, pos)]! - m[idx(c.r1, c.g0, pos)]! - m[idx(c.r0, c.g1, pos)]! + m[idx(c.r0, c.g0, pos)]!;
}

class Moments {
  readonly w = new Float64Array(SIDE ** 3);
  readonly r = new Float64Array(SIDE ** 3);
  readonly g = new Float64Array(SIDE ** 3);
  readonly b = new Float64Array(SIDE ** 3);
  readonly m2 = new Float64Array(SIDE ** 3);

  add(red: number, green: number, blue: number, weight: number): void {
    const i = idx((red >> 3) + 1, (green >> 3) + 1, (blue >> 3) + 1);
    this.w[i]! += weight;
    this.r[i]! += weight * red;
    this.g[i]! += weight * green;
    this.b[i]! += weight * blue;
    this.m2[i]! += weight * (red * red + green * green + blue * blue);
  }

  /** Turns the histogram into cumulative moments, so any box's totals take eight lookups. */
  accumulate(): void {
    for (const m of [this.w, this.r, this.g, this.b, this.m2]) {
      for (let r = 1; r < SIDE; r++) {
        for (let g = 1; g < SIDE; g++) {
          for (let b = 1; b < SIDE; b++) {
            m[idx(r, g, b)]! +=
              m[idx(r - 1, g, b)]! +
              m[idx(r, g - 1, b)]! +
              m[idx(r, g, b - 1)]! -
              m[idx(r - 1, g - 1, b)]! -
              m[idx(r - 1, g, b - 1)]! -
              m[idx(r, g - 1, b - 1)]! +
              m[idx(r - 1, g - 1, b - 1)]!;
          }
        }
      }
    }
  }

  variance(c: Box): number {
    const dr = vol(c, this.r);
    const dg = vol(c, this.g);
    const db = vol(c, this.b);
    const w = vol(c, this.w);
    return w > 0 ? vol(c, this.m2) - (dr * dr + dg * dg + db * db) / w : 0;
  }

  /** Best cut of `c` along `dir`: the position and the between-box score it reaches (-1 when no cut splits it). */
  maximize(c: Box, dir: 0 | 1 | 2, first: number, last: number): [number, number] {
    const base = [bottom(c, dir, this.r), bottom(c, dir, this.g), bottom(c, dir, this.b), bottom(c, dir, this.w)];
    const whole = [vol(c, this.r), vol(c, this.g), vol(c, this.b), vol(c, this.w)];
    let best = 0;
    let cut = -1;
    for (let i = first; i < last; i++) {
      const hr = base[0]! + top(c, dir, i, this.r);
      const hg = base[1]! + top(c, dir, i, this.g);
      const hb = base[2]! + top(c, dir, i, this.b);
      const hw = base[3]! + top(c, dir, i, this.w);
      if (hw === 0) continue;
      const ow = whole[3]! - hw;
      if (ow === 0) continue;
      const or = whole[0]! - hr;
      const og = whole[1]! - hg;
      const ob = whole[2]! - hb;
      const score = (hr * hr + hg * hg + hb * hb) / hw + (or * or + og * og + ob * ob) / ow;
      if (score > best) {
        best = score;
        cut = i;
      }
    }
    return [cut, best];
  }

  /** Splits `a` in two (a keeps the lower part, the returned box the upper), or returns null when it cannot. */
  split(a: Box): Box | null {
    const [cr, sr] = this.maximize(a, 0, a.r0 + 1, a.r1);
    const [cg, sg] = this.maximize(a, 1, a.g0 + 1, a.g1);
    const [cb, sb] = this.maximize(a, 2, a.b0 + 1, a.b1);
    const dir = sr >= sg && sr >= sb ? 0 : sg >= sb ? 1 : 2;
    const cut = [cr, cg, cb][dir]!;
    if (cut < 0) return null;
    const b: Box = { ...a };
    if (dir === 0) [b.r0, a.r1] = [cut, cut];
    else if (dir === 1) [b.g0, a.g1] = [cut, cut];
    else [b.b0, a.b1] = [cut, cut];
    return b;
  }
}

/**
 * Up to `k` colours (sRGB 0–255, row-major k' × 3 with k' ≤ k) for the given colours and weights.
 * @param colours packed 0xRRGGBB values
 */
export function wuPalette(colours: Uint32Array, weights: Float64Array, k: number): Float64Array {
  const m = new Moments();
  for (let i = 0; i < colours.length; i++)
    m.add(colours[i]! >>> 16, (colours[i]! >>> 8) & 255, colours[i]! & 255, weights[i]!);
  m.accumulate();
  const boxes: Box[] = [{ r0: 0, r1: 32, g0: 0, g1: 32, b0: 0, b1: 32 }];
  const score = [m.variance(boxes[0]!)];
  let next = 0;
  while (boxes.length < k) {
    const upper = m.split(boxes[next]!);
    if (upper) {
      boxes.push(upper);
      score[next] = m.variance(boxes[next]!);
      score.push(m.variance(upper));
    } else {
      score[next] = 0;
    }
    next = score.indexOf(Math.max(...score));
    if (score[next]! <= 0) break;
  }
  const out: number[] = [];
  for (const box of boxes) {
    const w = vol(box, m.w);
    if (w > 0) out.push(vol(box, m.r) / w, vol(box, m.g) / w, vol(box, m.b) / w);
  }
  return Float64Array.from(out);
}
