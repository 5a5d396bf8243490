/**
 * Draws the scatter plot on the page's canvas, handed over as an OffscreenCanvas, so a million points never hold up
 * the page thread. Keeps the last data to redraw when the canvas changes size; each draw answers with its time.
 */
import { drawScatter, type ScatterData, type ScatterSize } from './scatter.js';

/** Messages from the page. */
export type ToScatter =
  | { type: 'canvas'; canvas: OffscreenCanvas }
  | { type: 'data'; data: ScatterData; size: ScatterSize }
  | { type: 'size'; size: ScatterSize };

/** The answer to every draw. */
export interface ScatterDrawn {
  type: 'drawn';
  points: number;
  ms: number;
}

const scope = self as unknown as {
  postMessage(m: ScatterDrawn): void;
  onmessage: ((e: MessageEvent<ToScatter>) => void) | null;
};
let canvas: OffscreenCanvas | null = null;
let data: ScatterData | null = null;
let size: ScatterSize = { width: 640, height: 480, dpr: 1 };

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'canvas') canvas = m.canvas;
  else if (m.type === 'data') {
    data = m.data;
    size = m.size;
  } else size = m.size;
  if (!canvas || !data) return;
  const t0 = performance.now();
  drawScatter(canvas, size, data);
  scope.postMessage({ type: 'drawn', points: data.labels.length, ms: performance.now() - t0 });
};
