/**
 * The built-in samples: seeded Gaussian blobs (Clusters), a generated image (Colours) and Zipf-distributed text
 * (Words). Pure and deterministic, so tests can make the same data in Node and compare results.
 */
import { Prng } from '../src/core/random.js';

/** The Clusters sample: `n` points in `dims` dimensions around `centers` seeded means, row-major float32. */
export function sampleBlobs(n = 20_000, dims = 2, centers = 5, seed = 7): Float32Array {
  const prng = new Prng(seed);
  const r = () => prng.random();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const means = Array.from({ length: centers * dims }, () => (r() - 0.5) * 12);
  const spread = Array.from({ length: centers }, () => 0.5 + r());
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * centers);
    for (let d = 0; d < dims; d++) data[i * dims + d] = means[c * dims + d]! + spread[c]! * gauss();
  }
  return data;
}

/** The Colours sample: a sunset-like scene with gradients, a sun and hills, as RGBA bytes. */
export function sampleImage(width = 320, height = 200): { width: number; height: number; rgba: Uint8ClampedArray } {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const prng = new Prng(3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = y / height;
      // Sky: deep blue at the top to orange at the horizon.
      let r = 30 + 220 * t;
      let g = 40 + 120 * t;
      let b = 120 - 60 * t;
      const dx = x - width * 0.68;
      const dy = y - height * 0.5;
      const sun = Math.hypot(dx, dy);
      if (sun < height * 0.14) [r, g, b] = [255, 220 - sun, 120];
      else if (sun < height * 0.22) {
        const glow = 1 - (sun - height * 0.14) / (height * 0.08);
        r += (255 - r) * glow * 0.6;
        g += (200 - g) * glow * 0.6;
      }
      const hill1 = height * (0.62 + 0.08 * Math.sin(x / 37) + 0.03 * Math.sin(x / 11));
      const hill2 = height * (0.78 + 0.05 * Math.sin(x / 23 + 1.7));
      if (y > hill2) [r, g, b] = [30 + 25 * Math.sin(x / 9), 70 + 40 * (y / height), 40];
      else if (y > hill1) [r, g, b] = [70, 60 + 30 * (1 - t), 90];
      const noise = (prng.random() - 0.5) * 10;
      const i = (y * width + x) * 4;
      rgba[i] = r + noise;
      rgba[i + 1] = g + noise;
      rgba[i + 2] = b + noise;
      rgba[i + 3] = 255;
    }
  }
  return { width, height, rgba };
}

/** The Words sample: about `bytes` bytes of Zipf-distributed words from a seeded vocabulary, UTF-8. */
export function sampleText(bytes = 2_000_000, seed = 11): Uint8Array {
  const prng = new Prng(seed);
  const r = () => prng.random();
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'shi', 'der', 'ün', 'ça', 'λό', 'γος', 'мир', '数'];
  const vocab = Array.from({ length: 4000 }, () =>
    Array.from({ length: 1 + Math.floor(r() * 3) }, () => syllables[Math.floor(r() * syllables.length)]).join(''),
  );
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 0; i < vocab.length; i++) cdf.push((sum += 1 / (i + 1)));
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const u = r() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    const w = (r() < 0.05 ? vocab[lo]!.toUpperCase() : vocab[lo]!) + (r() < 0.1 ? '.\n' : ' ');
    parts.push(w);
    size += w.length;
  }
  return new TextEncoder().encode(parts.join(''));
}
