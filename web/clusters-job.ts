/** The Clusters task in the job worker: reading the table, one k-means run with its downloads, the elbow chart. */
import { kmeans, Pool, task } from 'poolkit';
import { parseCsv, parseNpy, type NumericTable } from '../src/io/matrix.js';
import type { ClustersParams, ElbowPoint, Input, Phase } from './protocol.js';
import { sampleBlobs } from './samples.js';
import { readAll, InputError } from './read-input.js';
import { columns, principalAxes, project } from './pca.js';
import type { ElbowArgs } from './elbow-task.js';

/** Reports a phase's progress to the page (fraction null: not known). */
export type Progress = (phase: Phase, fraction: number | null, detail?: string) => void;

/** The chosen CSV or .npy file as a numeric table, or the sample. */
export async function readTable(
  input: Input,
  signal: AbortSignal,
  progress: Progress,
): Promise<NumericTable & { name: string }> {
  if (input.kind === 'sample')
    return { values: sampleBlobs(), n: 20_000, dims: 2, header: ['x', 'y'], name: 'blobs.csv' };
  const name = input.file.name;
  const bytes = await readAll(input.file, signal, (f) => progress('reading', f));
  progress('parsing', null, name);
  if (/\.npy$/i.test(name)) return { ...parseNpy(bytes, name), name };
  return { ...parseCsv(new TextDecoder().decode(bytes), name), name };
}

/** One k-means run and what the page shows of it: the CLI's JSON, sizes, scatter points, the CSV downloads. */
export async function clusterRun(table: NumericTable, p: ClustersParams, signal: AbortSignal, progress: Progress) {
  if (p.k > table.n) throw new InputError(`k = ${p.k} is more than the ${table.n} rows of the data`);
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const r = await kmeans(table.values, {
    k: p.k,
    dims: table.dims,
    seed: p.seed,
    nInit: p.nInit,
    maxIter: p.maxIter,
    backend: p.backend,
    threads: p.threads,
    signal,
    onProgress: ({ iteration, inertia, run }) =>
      progress(
        'iterating',
        iteration / p.maxIter,
        `run ${run + 1}, iteration ${iteration}, inertia ${inertia.toPrecision(7)}`,
      ),
  });
  const seconds = (performance.now() - t0) / 1000;
  timings.kmeans = seconds;
  const { dims, n } = table;
  const centroids: number[][] = [];
  for (let c = 0; c < p.k; c++) centroids.push(Array.from(r.centroids.subarray(c * dims, c * dims + dims)));
  const sizes = new Array<number>(p.k).fill(0);
  for (const l of r.labels) sizes[l]!++;
  const names = table.header ?? Array.from({ length: dims }, (_, j) => `column ${j + 1}`);
  let xy: Float32Array;
  let centroidXY: Float32Array;
  let axes: [string, string];
  const t1 = performance.now();
  if (p.x >= 0 && p.y >= 0 && p.x < dims && p.y < dims) {
    xy = columns(table.values, n, dims, p.x, p.y);
    centroidXY = columns(r.centroids, p.k, dims, p.x, p.y);
    axes = [names[p.x]!, names[p.y]!];
  } else if (dims <= 2) {
    xy = columns(table.values, n, dims, 0, dims - 1);
    centroidXY = columns(r.centroids, p.k, dims, 0, dims - 1);
    axes = [names[0]!, names[dims - 1]!];
  } else {
    const pca = principalAxes(table.values, n, dims);
    xy = project(table.values, n, dims, pca.mean, pca.axes);
    centroidXY = project(r.centroids, p.k, dims, pca.mean, pca.axes);
    axes = ['principal component 1', 'principal component 2'];
  }
  timings.projection = (performance.now() - t1) / 1000;
  const json = {
    n,
    dims,
    k: p.k,
    inertia: r.inertia,
    iterations: r.iterations,
    converged: r.converged,
    backend: r.backend,
    threads: r.threads,
    algorithm: r.algorithm,
    seconds,
    centroids,
  };
  // The downloads are made here, not on the page thread: joining a million labels takes tens of milliseconds.
  // Labels as `poolkit kmeans --labels` writes them (one per line); centroids as its table (cluster, size, columns).
  const labelsCsv = new Blob([`${r.labels.join('\n')}\n`], { type: 'text/csv' });
  const columnNames = table.header ?? Array.from({ length: dims }, (_, j) => `x${j}`);
  const centroidsCsv = new Blob(
    [
      `${['cluster', 'size', ...columnNames].join(',')}\n${centroids.map((c, i) => [i, sizes[i], ...c].join(',')).join('\n')}\n`,
    ],
    { type: 'text/csv' },
  );
  return {
    inertia: r.inertia,
    labels: r.labels,
    result: {
      task: 'clusters' as const,
      json,
      header: table.header,
      sizes,
      labels: r.labels,
      labelsCsv,
      centroidsCsv,
      xy,
      centroidXY,
      axes,
      timings,
    },
  };
}

/** Inertia for k = 1 … max(10, k + 4), as parallel Pool tasks; `point` sees each as it finishes. */
export async function elbow(
  table: NumericTable,
  p: ClustersParams,
  signal: AbortSignal,
  progress: Progress,
  point: (p: ElbowPoint, of: number) => void,
): Promise<void> {
  // At most 20 000 rows (every m-th): the curve's shape, not the last digit, is what the chart is for.
  const step = Math.max(1, Math.ceil(table.n / 20_000));
  const rows = Math.ceil(table.n / step);
  const data = new Float32Array(rows * table.dims);
  for (let i = 0; i < rows; i++)
    data.set(table.values.subarray(i * step * table.dims, (i * step + 1) * table.dims), i * table.dims);
  const ks = Array.from({ length: Math.min(Math.max(10, p.k + 4), rows) }, (_, i) => i + 1);
  const pool = new Pool({ workers: Math.max(1, p.threads) });
  let done = 0;
  progress('elbow', 0, `k = 1 … ${ks.length} on ${rows} rows`);
  try {
    const elbowTask = task<[ElbowArgs], { k: number; inertia: number; seconds: number }>(
      new URL('./elbow-task.js', import.meta.url),
      'elbowPoint',
    );
    for await (const found of pool.imapUnordered(
      elbowTask,
      ks.map((k) => ({ data, dims: table.dims, k, seed: p.seed, maxIter: p.maxIter })),
      { signal },
    )) {
      point(found, ks.length);
      progress('elbow', ++done / ks.length, `${done} of ${ks.length} values of k`);
    }
  } finally {
    await pool.terminate();
  }
}
