/** A Pool task for the elbow chart: one k-means run for one k, on one worker thread (the Pool runs several at once). */
import { kmeans } from 'poolkit';

export interface ElbowArgs {
  data: Float32Array;
  dims: number;
  k: number;
  seed: number;
  maxIter: number;
}

export async function elbowPoint({
  data,
  dims,
  k,
  seed,
  maxIter,
}: ElbowArgs): Promise<{ k: number; inertia: number; seconds: number }> {
  const t0 = performance.now();
  const r = await kmeans(data, { k, dims, seed, maxIter, backend: 'js' });
  return { k, inertia: r.inertia, seconds: (performance.now() - t0) / 1000 };
}
