/** Gaussian blobs: the k-means data of the tests, the benchmarks and the demo. */
import { intInRange, optionsObject } from '../core/validate.js';
import { gaussian, seededRandom, type Random } from './random.js';

/** What `gaussianBlobs` draws. */
export interface BlobsOptions {
  /** Rows. */
  n: number;
  /** Features per row. */
  dims: number;
  /** Number of blobs. */
  centers: number;
  /** Standard deviation of the centres' coordinates (default 10). */
  spread?: number;
  /** Standard deviation of each row around its centre (default 1). */
  noise?: number;
  /** Added to every centre coordinate (default 0). */
  offset?: number;
  /** Seed of the stream (default 1); ignored when `random` is given. */
  seed?: number;
  /** The stream to draw from, for callers that keep drawing from it afterwards (default `seededRandom(seed)`). */
  random?: Random;
}

/** Row-major float32 rows, the blob each row was drawn around, and the centres (`centers × dims`). */
export interface Blobs {
  data: Float32Array;
  truth: Int32Array;
  centers: Float32Array;
}

/**
 * `n` rows around `centers` centres: centre coordinates are normal × `spread` + `offset`, each row picks a centre
 * uniformly and adds normal × `noise` per feature. The draw order is fixed: every centre first, then per row its
 * centre and its features.
 */
export function gaussianBlobs(options: BlobsOptions): Blobs {
  optionsObject(options, 'options', ['n', 'dims', 'centers', 'spread', 'noise', 'offset', 'seed', 'random'], true);
  const { n, dims, centers, spread = 10, noise = 1, offset = 0, seed = 1 } = options;
  intInRange(n, 'options.n', 0);
  intInRange(dims, 'options.dims', 1);
  intInRange(centers, 'options.centers', 1);
  const random = options.random ?? seededRandom(seed);
  const c = Array.from({ length: centers * dims }, () => gaussian(random) * spread + offset);
  const data = new Float32Array(n * dims);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(random() * centers);
    truth[i] = k;
    for (let j = 0; j < dims; j++) data[i * dims + j] = c[k * dims + j]! + gaussian(random) * noise;
  }
  return { data, truth, centers: Float32Array.from(c) };
}

/** The first row of each blob, in order of first appearance, as initial centroids (`k × dims`). */
export function firstRowOfEachBlob(data: Float32Array, truth: Int32Array, dims: number, k: number): Float32Array {
  const init = new Float32Array(k * dims);
  const seen = new Set<number>();
  for (let i = 0; i < truth.length && seen.size < k; i++) {
    if (seen.has(truth[i]!)) continue;
    init.set(data.subarray(i * dims, i * dims + dims), seen.size * dims);
    seen.add(truth[i]!);
  }
  return init;
}
