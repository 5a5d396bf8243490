/**
 * The scatter plot on a canvas: points are written straight into an ImageData (a million take tens of milliseconds,
 * where one SVG node per point would not draw at all), then axes and centroids are drawn over them. The page draws it
 * in a worker on an OffscreenCanvas (scatter-worker.ts), so the page thread never spends those milliseconds.
 */
export const PALETTE = [
  '#2f5bea',
  '#e4572e',
  '#17a398',
  '#f2a541',
  '#8e44ad',
  '#3c9d3c',
  '#d6336c',
  '#5c7080',
  '#b8860b',
  '#0096c7',
  '#6a4c93',
  '#c44536',
];
export const clusterColour = (c: number) => PALETTE[c % PALETTE.length]!;

const rgb = PALETTE.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number]);

function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / count));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= count) ?? step * 10;
  const out: number[] = [];
  for (let t = Math.ceil(lo / nice) * nice; t <= hi + 1e-9 * span; t += nice) out.push(+t.toPrecision(12));
  return out;
}

/** The canvas's size in CSS pixels and the device pixel ratio to draw at. */
export interface ScatterSize {
  width: number;
  height: number;
  dpr: number;
}

/** What is drawn: interleaved (x, y) pairs, a label per point, centroids as (x, y) pairs, and the axis names. */
export interface ScatterData {
  xy: Float32Array;
  labels: Int32Array;
  centroids: Float32Array;
  axes: [string, string];
}

/** Draws the points coloured by label, and centroids as ringed crosses. */
export function drawScatter(
  canvas: HTMLCanvasElement | OffscreenCanvas,
  size: ScatterSize,
  { xy, labels, centroids, axes }: ScatterData,
): void {
  const dpr = Math.min(2, size.dpr || 1);
  canvas.width = Math.max(1, Math.round((size.width || 640) * dpr));
  canvas.height = Math.max(1, Math.round((size.height || 480) * dpr));
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  const W = canvas.width;
  const H = canvas.height;
  const m = { l: 52 * dpr, r: 12 * dpr, t: 10 * dpr, b: 40 * dpr };
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i]!;
    const y = xy[i + 1]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const padX = (x1 - x0) * 0.03 || 1;
  const padY = (y1 - y0) * 0.03 || 1;
  x0 -= padX;
  x1 += padX;
  y0 -= padY;
  y1 += padY;
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.t + (1 - (y - y0) / (y1 - y0)) * ph;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const img = ctx.getImageData(0, 0, W, H);
  const px = img.data;
  // Alpha-blend each point onto white: dense regions darken, so a million points still show structure.
  const alpha = Math.max(0.1, Math.min(0.8, 8000 / (xy.length / 2)));
  const dot = xy.length / 2 > 300_000 ? 1 : 2;
  for (let i = 0; i < labels.length; i++) {
    const cx = Math.round(sx(xy[2 * i]!));
    const cy = Math.round(sy(xy[2 * i + 1]!));
    // Rounding can put an edge point one pixel past the plot; never write outside the image.
    if (cx < 0 || cy < 0 || cx + dot > W || cy + dot > H) continue;
    const [r, g, b] = rgb[labels[i]! % rgb.length]!;
    for (let dy = 0; dy < dot; dy++) {
      for (let dx = 0; dx < dot; dx++) {
        const o = ((cy + dy) * W + cx + dx) * 4;
        px[o] += (r - px[o]!) * alpha;
        px[o + 1] += (g - px[o + 1]!) * alpha;
        px[o + 2] += (b - px[o + 2]!) * alpha;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  ctx.strokeStyle = '#c9ced8';
  ctx.lineWidth = dpr;
  ctx.strokeRect(m.l, m.t, pw, ph);
  ctx.fillStyle = '#5d6678';
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  for (const t of ticks(x0, x1)) {
    ctx.fillText(String(t), sx(t), H - m.b + 15 * dpr);
    ctx.fillRect(sx(t), m.t + ph, dpr, 4 * dpr);
  }
  ctx.fillText(axes[0], m.l + pw / 2, H - 6 * dpr);
  ctx.textAlign = 'right';
  for (const t of ticks(y0, y1)) {
    ctx.fillText(String(t), m.l - 7 * dpr, sy(t) + 4 * dpr);
    ctx.fillRect(m.l - 4 * dpr, sy(t), 4 * dpr, dpr);
  }
  ctx.save();
  ctx.translate(13 * dpr, m.t + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(axes[1], 0, 0);
  ctx.restore();
  for (let c = 0; c < centroids.length / 2; c++) {
    const x = sx(centroids[2 * c]!);
    const y = sy(centroids[2 * c + 1]!);
    ctx.beginPath();
    ctx.arc(x, y, 7 * dpr, 0, 2 * Math.PI);
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.lineWidth = 2.5 * dpr;
    ctx.strokeStyle = clusterColour(c);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x - 3 * dpr, y);
    ctx.lineTo(x + 3 * dpr, y);
    ctx.moveTo(x, y - 3 * dpr);
    ctx.lineTo(x, y + 3 * dpr);
    ctx.strokeStyle = '#1d2330';
    ctx.lineWidth = 1.5 * dpr;
    ctx.stroke();
  }
}
