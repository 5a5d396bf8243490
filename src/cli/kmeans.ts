/**
 * `poolkit kmeans FILE --k K [--backend B] [--threads T] [--seed S] [--n-init N] [--max-iter M] [--tol X]
 *  [--init k-means++|random] [--labels OUT.csv] [--json]`.
 *
 * FILE is .csv (numeric columns, optional header row) or .npy (float32 / float64, 2-D, C order). Exit 0 on success,
 * 2 with one line naming the problem (and where: file, line, column) on bad arguments or bad input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { kmeans, miniBatchKMeans, type KMeansOptions } from '../kmeans/index.js';
import { parseCsv, parseNpy, type NumericTable } from '../io/matrix.js';
import { UsageError } from './usage-error.js';

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = 'usage: poolkit kmeans FILE --k K [--backend auto|js|wasm|webgpu] [--threads T] [--seed S] [--n-init N] [--max-iter M] [--tol X] [--init k-means++|random] [--labels OUT.csv] [--json] [--algorithm auto|lloyd|hamerly|elkan|yinyang] [--mini-batch [--batch-size B]]';

const ALGORITHMS = ['auto', 'lloyd', 'hamerly', 'elkan', 'yinyang'] as const;

/** --mini-batch: scikit-learn's MiniBatchKMeans on the table, reported in the shape of a kmeans result. */
async function miniBatch(table: NumericTable, options: KMeansOptions, batchSize: string | undefined) {
  const r = await miniBatchKMeans(table.values, {
    k: options.k, dims: table.dims, seed: options.seed, maxIter: options.maxIter, tol: options.tol,
    batchSize: batchSize === undefined ? undefined : int(batchSize, '--batch-size', 1),
  });
  return { ...r, labels: r.labels!, iterations: r.steps, backend: 'js' as const, threads: 1, algorithm: 'mini-batch' };
}

export async function kmeansCommand(argv: string[], io: CommandIo): Promise<number> {
  const fail = (msg: string): number => {
    io.stderr(`poolkit kmeans: ${msg}`);
    return 2;
  };
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    return fail((e as Error).message);
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  let options: KMeansOptions;
  let file: string;
  try {
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one FILE, got ${positionals.length}: ${positionals.join(' ')}` : 'FILE is missing (see poolkit kmeans --help)');
    file = positionals[0];
    if (values.k === undefined) throw new UsageError('--k is required');
    options = {
      k: int(values.k, '--k', 1),
      seed: values.seed === undefined ? undefined : num(values.seed, '--seed'),
      nInit: values['n-init'] === undefined ? undefined : int(values['n-init'], '--n-init', 1),
      maxIter: values['max-iter'] === undefined ? undefined : int(values['max-iter'], '--max-iter', 1),
      tol: values.tol === undefined ? undefined : num(values.tol, '--tol', 0),
      threads: values.threads === undefined ? undefined : int(values.threads, '--threads', 1),
      backend: oneOf(values.backend ?? 'auto', '--backend', ['auto', 'js', 'wasm', 'webgpu'] as const),
      init: oneOf(values.init ?? 'k-means++', '--init', ['k-means++', 'random'] as const),
      algorithm: oneOf(values.algorithm ?? 'auto', '--algorithm', ALGORITHMS),
    };
    if (values['batch-size'] !== undefined && !values['mini-batch']) throw new UsageError('--batch-size needs --mini-batch');
    if (values['batch-size'] !== undefined) int(values['batch-size'], '--batch-size', 1);
  } catch (e) {
    return fail((e as Error).message);
  }

  let table: NumericTable;
  try {
    table = await readTable(file);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (options.k > table.n) return fail(`--k ${options.k} is more than the ${table.n} rows of ${file}`);

  const started = performance.now();
  let result;
  try {
    result = values['mini-batch'] ? await miniBatch(table, options, values['batch-size']) : await kmeans(table.values, { ...options, dims: table.dims });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_INVALID_ARGUMENT') return fail(err.message);
    throw e;
  }
  const seconds = (performance.now() - started) / 1000;
  const { dims } = table;
  const centroids: number[][] = [];
  for (let c = 0; c < options.k; c++) centroids.push(Array.from(result.centroids.subarray(c * dims, c * dims + dims)));

  if (values.labels !== undefined) {
    try {
      await writeFile(values.labels, result.labels.join('\n') + '\n');
    } catch (e) {
      return fail(`cannot write --labels ${values.labels}: ${(e as Error).message}`);
    }
  }
  if (values.json) {
    io.stdout(JSON.stringify({
      n: table.n, dims, k: options.k, inertia: result.inertia, iterations: result.iterations, converged: result.converged,
      backend: result.backend, threads: result.threads, algorithm: result.algorithm, seconds, centroids,
    }));
  } else {
    io.stdout(`${file}: n=${table.n} dims=${dims} k=${options.k}`);
    io.stdout(`inertia ${result.inertia.toPrecision(8)}, ${result.iterations} iterations (${result.converged ? 'converged' : 'not converged'}), backend ${result.backend}, ${result.threads} thread${result.threads === 1 ? '' : 's'}, ${seconds.toFixed(3)} s`);
    const names = table.header ?? Array.from({ length: dims }, (_, j) => `x${j}`);
    io.stdout(['cluster', 'size', ...names].join(','));
    const sizes = new Array<number>(options.k).fill(0);
    for (const l of result.labels) sizes[l]++;
    centroids.forEach((c, i) => io.stdout([i, sizes[i], ...c.map((v) => +v.toPrecision(7))].join(',')));
    if (values.labels !== undefined) io.stdout(`labels written to ${values.labels}`);
  }
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      k: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      seed: { type: 'string' },
      'n-init': { type: 'string' },
      'max-iter': { type: 'string' },
      tol: { type: 'string' },
      init: { type: 'string' },
      labels: { type: 'string' },
      json: { type: 'boolean' },
      algorithm: { type: 'string' },
      'mini-batch': { type: 'boolean' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function readTable(file: string): Promise<NumericTable> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  if (/\.npy$/i.test(file)) return parseNpy(bytes, file);
  if (/\.(csv|tsv|txt)$/i.test(file)) return parseCsv(new TextDecoder().decode(bytes), file);
  throw new UsageError(`${file}: unknown file type; expected .csv or .npy`);
}

// Messages in the library's grammar, `<flag>: expected <what>, got <text as typed>`.
function int(s: string, name: string, min: number): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isInteger(v) || v < min) throw new UsageError(`${name}: expected an integer at least ${min}, got ${JSON.stringify(s)}`);
  return v;
}

function num(s: string, name: string, min = -Infinity): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < min) throw new UsageError(`${name}: expected a finite number${min > -Infinity ? ` at least ${min}` : ''}, got ${JSON.stringify(s)}`);
  return v;
}

function oneOf<T extends string>(s: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`);
  return s as T;
}
