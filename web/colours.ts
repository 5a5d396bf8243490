/**
 * Colour quantization: Wu's palette as the start, then weighted k-means over the image's distinct colours (each
 * weighted by its pixel count, so the result equals k-means over every pixel) in sRGB or Oklab. Pure: the k-means
 * function is passed in, so the page's worker and Node tests run the same code on their own build of poolkit.
 */
import { wuPalette } from './wu.js';

export type ColourSpace = 'srgb' | 'oklab';

/** The slice of poolkit's `kmeans` this module uses. */
export type KMeansFn = (
  data: Float32Array,
  options: {
    k: number;
    dims: number;
    init: Float64Array;
    sampleWeight: Float64Array;
    maxIter?: number;
    backend?: 'auto' | 'js' | 'wasm' | 'webgpu';
    threads?: number;
    signal?: AbortSignal;
    onProgress?: (p: { iteration: number; inertia: number }) => void;
  },
) => Promise<{
  centroids: Float32Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
  backend: string;
  threads: number;
}>;

export interface QuantizeOptions {
  k: number;
  space: ColourSpace;
  maxIter?: number;
  backend?: 'auto' | 'js' | 'wasm' | 'webgpu';
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (p: { iteration: number; inertia: number }) => void;
}

export interface PaletteEntry {
  hex: string;
  rgb: [number, number, number];
  /** Fraction of the image's pixels mapped to this colour. */
  share: number;
}

export interface Quantized {
  /** The quantized image, RGBA (alpha kept from the input). */
  rgba: Uint8ClampedArray;
  /** The palette, most used colour first. */
  palette: PaletteEntry[];
  /** 10·log10(255² / MSE), MSE per channel over R, G, B on 0–255 (Infinity when identical). */
  psnr: number;
  /** Mean Euclidean distance in Oklab between each pixel and its palette colour, ×100. */
  deltaE: number;
  distinctColours: number;
  inertia: number;
  iterations: number;
  converged: boolean;
  backend: string;
  threads: number;
}

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const toGamma = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** sRGB (0–255) to Oklab (L 0–1). */
export function oklab(r: number, g: number, b: number): [number, number, number] {
  const lr = toLinear(r / 255);
  const lg = toLinear(g / 255);
  const lb = toLinear(b / 255);
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** Oklab back to sRGB (0–255, unclamped). */
export function fromOklab(L: number, a: number, b: number): [number, number, number] {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    255 * toGamma(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    255 * toGamma(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    255 * toGamma(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
  ];
}

const byte = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
export const hex = (r: number, g: number, b: number) =>
  `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;

/** The image's distinct colours (packed 0xRRGGBB, ascending) and how many pixels have each. */
export function distinctColours(rgba: Uint8ClampedArray | Uint8Array): { colours: Uint32Array; counts: Float64Array } {
  const n = rgba.length >> 2;
  const packed = new Uint32Array(n);
  for (let i = 0; i < n; i++) packed[i] = (rgba[4 * i]! << 16) | (rgba[4 * i + 1]! << 8) | rgba[4 * i + 2]!;
  packed.sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || packed[i] !== packed[i - 1]) distinct++;
  const colours = new Uint32Array(distinct);
  const counts = new Float64Array(distinct);
  let j = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || packed[i] !== packed[i - 1]) colours[++j] = packed[i]!;
    counts[j]!++;
  }
  return { colours, counts };
}

function coordinates(colours: Uint32Array, space: ColourSpace): Float32Array {
  const out = new Float32Array(colours.length * 3);
  for (let i = 0; i < colours.length; i++) {
    const c = colours[i]!;
    const rgb: [number, number, number] = [c >>> 16, (c >>> 8) & 255, c & 255];
    out.set(space === 'oklab' ? oklab(...rgb) : rgb, 3 * i);
  }
  return out;
}

/** Quantizes an RGBA image to at most `options.k` colours (fewer when it has fewer distinct colours). */
export async function quantize(
  rgba: Uint8ClampedArray | Uint8Array,
  options: QuantizeOptions,
  kmeans: KMeansFn,
): Promise<Quantized> {
  const { colours, counts } = distinctColours(rgba);
  const start = wuPalette(colours, counts, options.k);
  const k = start.length / 3;
  const init = new Float64Array(start.length);
  for (let c = 0; c < k; c++) {
    const rgb = [start[3 * c]!, start[3 * c + 1]!, start[3 * c + 2]!] as const;
    init.set(options.space === 'oklab' ? oklab(...rgb) : rgb, 3 * c);
  }
  const r = await kmeans(coordinates(colours, options.space), {
    k,
    dims: 3,
    init,
    sampleWeight: counts,
    maxIter: options.maxIter ?? 100,
    backend: options.backend,
    threads: options.threads,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const rgb = new Uint8Array(k * 3);
  for (let c = 0; c < k; c++) {
    const v = [r.centroids[3 * c]!, r.centroids[3 * c + 1]!, r.centroids[3 * c + 2]!] as const;
    rgb.set((options.space === 'oklab' ? fromOklab(...v) : v).map(byte), 3 * c);
  }
  // Per-colour error, weighted by pixel count, and each palette colour's share.
  const n = rgba.length >> 2;
  const used = new Float64Array(k);
  let squared = 0;
  let delta = 0;
  for (let i = 0; i < colours.length; i++) {
    const c = colours[i]!;
    const o = [c >>> 16, (c >>> 8) & 255, c & 255] as const;
    const l = r.labels[i]!;
    const q = [rgb[3 * l]!, rgb[3 * l + 1]!, rgb[3 * l + 2]!] as const;
    used[l]! += counts[i]!;
    squared += counts[i]! * ((o[0] - q[0]) ** 2 + (o[1] - q[1]) ** 2 + (o[2] - q[2]) ** 2);
    const a = oklab(...o);
    const b = oklab(...q);
    delta += counts[i]! * Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  }
  const out = new Uint8ClampedArray(rgba.length);
  for (let p = 0; p < n; p++) {
    const c = (rgba[4 * p]! << 16) | (rgba[4 * p + 1]! << 8) | rgba[4 * p + 2]!;
    const l = r.labels[lowerBound(colours, c)]!;
    out[4 * p] = rgb[3 * l]!;
    out[4 * p + 1] = rgb[3 * l + 1]!;
    out[4 * p + 2] = rgb[3 * l + 2]!;
    out[4 * p + 3] = rgba[4 * p + 3]!;
  }
  const mse = squared / (3 * n);
  const palette: PaletteEntry[] = Array.from({ length: k }, (_, c) => ({
    hex: hex(rgb[3 * c]!, rgb[3 * c + 1]!, rgb[3 * c + 2]!),
    rgb: [rgb[3 * c]!, rgb[3 * c + 1]!, rgb[3 * c + 2]!] as [number, number, number],
    share: used[c]! / n,
  })).sort((x, y) => y.share - x.share || (x.hex < y.hex ? -1 : 1));
  return {
    rgba: out,
    palette,
    psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse),
    deltaE: (100 * delta) / n,
    distinctColours: colours.length,
    inertia: r.inertia,
    iterations: r.iterations,
    converged: r.converged,
    backend: r.backend,
    threads: r.threads,
  };
}

function lowerBound(sorted: Uint32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
