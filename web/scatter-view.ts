/**
 * The page's side of the scatter plot: hands the canvas to scatter-worker.ts once, sends it each result's points
 * (transferred, not copied) and its size whenever the canvas is resized. Where OffscreenCanvas is missing it draws on
 * the page thread instead. The canvas's `data-points` and `data-draw-ms` tell scripts when a draw has finished.
 */
import { drawScatter, type ScatterData, type ScatterSize } from './scatter.js';
import type { ScatterDrawn, ToScatter } from './scatter-worker.js';

export class ScatterView {
  private readonly worker: Worker | null = null;
  /** The points, kept only when drawing here: the worker keeps its own. */
  private data: ScatterData | null = null;
  private shown = false;
  private last = '';

  constructor(private readonly canvas: HTMLCanvasElement) {
    if (typeof canvas.transferControlToOffscreen === 'function') {
      this.worker = new Worker(new URL('./scatter-worker.js', import.meta.url), { type: 'module', name: 'scatter' });
      const offscreen = canvas.transferControlToOffscreen();
      this.post({ type: 'canvas', canvas: offscreen }, [offscreen]);
      this.worker.onmessage = (e: MessageEvent<ScatterDrawn>) => this.drawn(e.data.points, e.data.ms);
    }
    // Redraw at the new size (a phone turned, a window narrowed), not a stretched copy of the old pixels.
    new ResizeObserver(() => {
      const size = this.size();
      const key = `${size.width}x${size.height}@${size.dpr}`;
      if (!this.shown || size.width === 0 || key === this.last) return;
      this.last = key;
      if (this.worker) this.post({ type: 'size', size }, []);
      else this.drawHere(size);
    }).observe(canvas);
  }

  /** Draws a result's points; the arrays are transferred to the worker and must not be used afterwards. */
  show(data: ScatterData): void {
    this.canvas.dataset.points = '';
    this.shown = true;
    const size = this.size();
    this.last = `${size.width}x${size.height}@${size.dpr}`;
    if (this.worker) {
      this.post({ type: 'data', data, size }, [data.xy.buffer, data.labels.buffer, data.centroids.buffer]);
    } else {
      this.data = data;
      requestAnimationFrame(() => this.drawHere(this.size()));
    }
  }

  private size(): ScatterSize {
    const r = this.canvas.getBoundingClientRect();
    return { width: Math.round(r.width), height: Math.round(r.height), dpr: window.devicePixelRatio || 1 };
  }

  private drawHere(size: ScatterSize): void {
    const t0 = performance.now();
    drawScatter(this.canvas, size, this.data!);
    this.drawn(this.data!.labels.length, performance.now() - t0);
  }

  private drawn(points: number, ms: number): void {
    this.canvas.dataset.points = String(points);
    this.canvas.dataset.drawMs = ms.toFixed(1);
  }

  private post(m: ToScatter, transfer: Transferable[]): void {
    this.worker!.postMessage(m, transfer);
  }
}
