/**
 * `poolkit kmeans FILE --k K [--backend B] [--threads T] [--seed S] [--n-init N] [--max-iter M] [--tol X]
 *  [--init k-means++|random] [--labels OUT.csv] [--json]`.
 *
 * FILE is .csv (numeric columns, optional header row) or .npy (float32 / float64, 2-D, C order). Exit 0 on success,
 * 2 with one line naming the problem (and where: file, line, column) on bad arguments or bad input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { kmeans, miniBatchKMeans, type KMeansOptions } from '../kmeans/index.js';
import { parseCsv, parseNpy, type NumericTable } from '../io/matrix.js';
import { choiceArg, integerArg, numberArg, runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

export const kmeansSpec: CommandSpec = {
  name: 'kmeans',
  summary: 'k-means on a .csv (numeric columns, optional header row) or .npy (float32/float64, 2-D) file',
  positionals: ['FILE'],
  options: {
    k: { type: 'string', value: 'K', help: 'number of clusters (required)' },
    backend: { type: 'string', value: 'B', help: 'auto (default), js, wasm or webgpu' },
    threads: { type: 'string', value: 'T', help: 'worker threads (default: the cores)' },
    seed: { type: 'string', value: 'S', help: 'seed of the initialisation' },
    'n-init': { type: 'string', value: 'N', help: 'initialisations tried, the best kept' },
    'max-iter': { type: 'string', value: 'M', help: 'iterations at most' },
    tol: { type: 'string', value: 'X', help: "tolerance on the centroid shift (scikit-learn's meaning)" },
    init: { type: 'string', value: 'I', help: 'k-means++ (default) or random' },
    labels: { type: 'string', value: 'OUT.csv', help: "write each row's cluster, one per line" },
    algorithm: { type: 'string', value: 'A', help: 'auto (default), lloyd, hamerly, elkan or yinyang (all exact)' },
    'mini-batch': { type: 'boolean', help: "scikit-learn's MiniBatchKMeans instead of exact k-means" },
    'batch-size': { type: 'string', value: 'B', help: 'rows per mini-batch (with --mini-batch; default 1024)' },
    json: {
      type: 'boolean',
      help: 'print {n, dims, k, inertia, iterations, converged, backend, threads, algorithm, seconds, centroids}',
    },
  },
};

const ALGORITHMS = ['auto', 'lloyd', 'hamerly', 'elkan', 'yinyang'] as const;

/** --mini-batch: scikit-learn's MiniBatchKMeans on the table, reported in the shape of a kmeans result. */
async function miniBatch(
  values: Float32Array | Float64Array,
  dims: number,
  options: KMeansOptions,
  batchSize: number | undefined,
) {
  const r = await miniBatchKMeans(values, {
    k: options.k,
    dims,
    seed: options.seed,
    maxIter: options.maxIter,
    tol: options.tol,
    batchSize,
  });
  return { ...r, labels: r.labels!, iterations: r.steps, backend: 'js' as const, threads: 1, algorithm: 'mini-batch' };
}

/** Runs `poolkit kmeans`; resolves with the exit code. */
export function kmeansCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(kmeansSpec, argv, io, async ({ values: v, positionals }) => {
    const file = positionals[0]!;
    const str = (name: string) => v[name] as string | undefined;
    const k = str('k');
    if (k === undefined) throw new UsageError('--k is required: expected the number of clusters, got none');
    const opt = <T>(name: string, convert: (s: string) => T) =>
      str(name) === undefined ? undefined : convert(str(name)!);
    const options: KMeansOptions = {
      k: integerArg(k, '--k', 1),
      seed: opt('seed', (s) => numberArg(s, '--seed')),
      nInit: opt('n-init', (s) => integerArg(s, '--n-init', 1)),
      maxIter: opt('max-iter', (s) => integerArg(s, '--max-iter', 1)),
      tol: opt('tol', (s) => numberArg(s, '--tol', 0)),
      threads: opt('threads', (s) => integerArg(s, '--threads', 1)),
      backend: choiceArg(str('backend') ?? 'auto', '--backend', ['auto', 'js', 'wasm', 'webgpu'] as const),
      init: choiceArg(str('init') ?? 'k-means++', '--init', ['k-means++', 'random'] as const),
      algorithm: choiceArg(str('algorithm') ?? 'auto', '--algorithm', ALGORITHMS),
    };
    const batchSize = opt('batch-size', (s) => integerArg(s, '--batch-size', 1));
    if (batchSize !== undefined && v['mini-batch'] !== true)
      throw new UsageError('expected --mini-batch with it', '--batch-size');
    const miniBatchSize = v['mini-batch'] === true ? (batchSize ?? null) : undefined;
    return run(file, options, str('labels'), v.json === true, miniBatchSize, io);
  });
}

async function run(
  file: string,
  options: KMeansOptions,
  labels: string | undefined,
  json: boolean,
  /** Set (a batch size, or null for the default) to run mini-batch k-means. */
  miniBatchSize: number | null | undefined,
  io: Io,
): Promise<number> {
  const table = await readTable(file);
  if (options.k > table.n) throw new UsageError(`${options.k} is more than the ${table.n} rows of ${file}`, '--k');

  const started = performance.now();
  const result =
    miniBatchSize !== undefined
      ? await miniBatch(table.values, table.dims, options, miniBatchSize ?? undefined)
      : await kmeans(table.values, { ...options, dims: table.dims });
  const seconds = (performance.now() - started) / 1000;
  const { dims } = table;
  const centroids: number[][] = [];
  for (let c = 0; c < options.k; c++) centroids.push(Array.from(result.centroids.subarray(c * dims, c * dims + dims)));

  if (labels !== undefined) {
    try {
      await writeFile(labels, `${result.labels.join('\n')}\n`);
    } catch (e) {
      throw new UsageError(`cannot write ${labels}: ${(e as Error).message}`, '--labels');
    }
  }
  if (json) {
    io.stdout(
      JSON.stringify({
        n: table.n,
        dims,
        k: options.k,
        inertia: result.inertia,
        iterations: result.iterations,
        converged: result.converged,
        backend: result.backend,
        threads: result.threads,
        algorithm: result.algorithm,
        seconds,
        centroids,
      }),
    );
  } else {
    io.stdout(`${file}: n=${table.n} dims=${dims} k=${options.k}`);
    io.stdout(
      `inertia ${result.inertia.toPrecision(8)}, ${result.iterations} iterations (${result.converged ? 'converged' : 'not converged'}), backend ${result.backend}, ${result.threads} thread${result.threads === 1 ? '' : 's'}, ${seconds.toFixed(3)} s`,
    );
    const names = table.header ?? Array.from({ length: dims }, (_, j) => `x${j}`);
    io.stdout(['cluster', 'size', ...names].join(','));
    const sizes = new Array<number>(options.k).fill(0);
    for (const l of result.labels) sizes[l]++;
    for (const [i, c] of centroids.entries()) io.stdout([i, sizes[i], ...c.map((v) => +v.toPrecision(7))].join(','));
    if (labels !== undefined) io.stdout(`labels written to ${labels}`);
  }
  return 0;
}

async function readTable(file: string): Promise<NumericTable> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`,
    );
  }
  if (/\.npy$/i.test(file)) return parseNpy(bytes, file);
  if (/\.(csv|tsv|txt)$/i.test(file)) return parseCsv(new TextDecoder().decode(bytes), file);
  throw new UsageError(`${file}: unknown file type; expected .csv or .npy`);
}
