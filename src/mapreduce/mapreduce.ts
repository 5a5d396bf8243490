/**
 * `mapReduce(input, { map, combine, reduce, partitions, ... })`: MapReduce on one machine's cores.
 *
 * The input is cut into splits (batches of records, or byte ranges cut at a record delimiter); each split is one
 * pool task that maps its records, groups the pairs by key, applies `combine` per key, and partitions the groups by
 * key hash. The host merges split outputs in split order (so results never depend on timing or thread count),
 * re-combines buffered values when they pile up, then runs `reduce` per partition in parallel.
 * A split (or a combine / reduce batch) whose worker dies is re-run once. At most `maxInFlight` splits are read
 * ahead, so memory stays bounded by the window plus the distinct keys (and, without `combine`, their values, up to
 * `maxBufferedValues`).
 */
import { AbortError, abortError, BufferLimitError, WorkerCrashedError } from '../core/errors.js';
import { abortSignal, func, invalid, optional, optionsObject, positiveInt } from '../core/validate.js';
import { Pool } from '../pool/pool.js';
import { builtin, resolveTask, type TaskLike } from '../pool/task-ref.js';
import { platform } from '../core/platform.js';
import { computePool } from '../pool/compute-pool.js';
import { isByteInput, openByteSource, throwIfAborted, type ByteInput } from '../bytes/source.js';
import { splitBytes, cutAtByte, concat } from '../bytes/split.js';
import type { FnSpec, MapOutput, SplitPayload } from './steps.js';
import type { MapReduceKey } from './partition.js';
import { checkExecutor, remoteTask, type Executor } from '../pool/executor.js';
import { mapReduceRemote } from './remote.js';
import type { MapReduceCounters } from './counters.js';

export type { MapReduceKey } from './partition.js';

export type { MapReduceCounters } from './counters.js';

export interface MapReduceProgress {
  phase: 'map' | 'reduce';
  splits: number;
  records: number;
  bytes: number;
}

export interface MapReduceOptions<K extends MapReduceKey, V, R> {
  /** `map(record)` returns or yields [key, value] pairs (an array, a generator, or a promise of one). */
  map: TaskLike<
    // biome-ignore lint/suspicious/noExplicitAny: a map function's record parameter is the caller's type; unknown would refuse `(line: string) => …`
    [record: any],
    Iterable<readonly [K, V]> | AsyncIterable<readonly [K, V]> | Promise<Iterable<readonly [K, V]>>
  >;
  /** `combine(key, values)` → one value; runs in the workers on each split's output and on buffered values. */
  combine?: TaskLike<[key: K, values: V[]], V | Promise<V>>;
  /** `reduce(key, values)` → the key's result; default: the values array. */
  reduce?: TaskLike<[key: K, values: V[]], R | Promise<R>>;
  /** Reduce partitions (default: the pool's size). */
  partitions?: number;
  /** Records per split for record iterables (default 1000). */
  chunksize?: number;
  /** Bytes per split for byte inputs (default 1 MiB); splits end at a delimiter. */
  splitBytes?: number;
  /** Record delimiter for byte inputs: one ASCII character (default '\n'). Records are decoded as UTF-8 text. */
  delimiter?: string;
  /** Splits mapped or buffered at once (default: 2 × workers). */
  maxInFlight?: number;
  /**
   * Map output values held for reduce at once (default 2²⁶). Without `combine` every value is kept until reduce;
   * past this limit the job stops with a BufferLimitError instead of running the process out of memory.
   */
  maxBufferedValues?: number;
  /** The pool to run on (default: poolkit's shared compute pool). */
  pool?: Pool;
  /**
   * Run on remote workers (`bullmq(...)` from 'poolkit/bullmq'): splits are jobs, each partition (default 2) the
   * parent job that reduces them. A byte input must then be a file every worker reads at the same absolute path;
   * map, combine and reduce must be module exports (`task(url, name)`).
   */
  executor?: Executor;
  signal?: AbortSignal;
  onProgress?: (progress: MapReduceProgress) => void;
}

/** The result: a Map from key to reduced value, with counters. */
export class MapReduceResult<K, R> extends Map<K, R> {
  counters!: MapReduceCounters;
}

/** Input of mapReduce: records (any iterable or async iterable), or a byte input cut into text records. */
export type MapReduceInput = Iterable<unknown> | AsyncIterable<unknown> | ByteInput;

const REDUCE_BATCH = 4096;
const MAPREDUCE_KEYS = [
  'map',
  'combine',
  'reduce',
  'partitions',
  'chunksize',
  'splitBytes',
  'delimiter',
  'maxInFlight',
  'maxBufferedValues',
  'pool',
  'signal',
  'onProgress',
  'executor',
] as const;

/**
 * Runs a MapReduce job on the pool's workers.
 * @throws InvalidArgumentError for bad options or input; BufferLimitError past `maxBufferedValues`; the map/combine/reduce
 * error if one throws; AbortError
 */
export async function mapReduce<K extends MapReduceKey, V, R = V[]>(
  input: MapReduceInput,
  options: MapReduceOptions<K, V, R>,
): Promise<MapReduceResult<K, R>> {
  const o = optionsObject(options, 'options', MAPREDUCE_KEYS, true);
  if (o.map === undefined) throw invalid('options.map', 'a function or task(url, name)', o.map, 'map is required');
  const mapSpec = spec(o.map, 'options.map');
  const combineSpec = o.combine === undefined ? null : spec(o.combine, 'options.combine');
  const reduceSpec = o.reduce === undefined ? null : spec(o.reduce, 'options.reduce');
  if (o.pool !== undefined && !(o.pool instanceof Pool)) throw invalid('options.pool', 'a Pool', o.pool);
  const signal = optional(o.signal, 'options.signal', abortSignal);
  const onProgress = optional(o.onProgress, 'options.onProgress', func<(p: MapReduceProgress) => void>);
  const parts = optional(o.partitions, 'options.partitions', positiveInt);
  const chunksize = optional(o.chunksize, 'options.chunksize', positiveInt) ?? 1000;
  const splitSize = optional(o.splitBytes, 'options.splitBytes', positiveInt) ?? 1 << 20;
  const maxInFlight = optional(o.maxInFlight, 'options.maxInFlight', positiveInt);
  const maxValues = optional(o.maxBufferedValues, 'options.maxBufferedValues', positiveInt) ?? 2 ** 26;
  const delimiter = o.delimiter ?? '\n';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f)
    throw invalid('options.delimiter', 'one ASCII character', delimiter);
  throwIfAborted(signal);
  if (o.executor !== undefined) {
    if (o.pool !== undefined) throw invalid('options.pool', 'no pool with options.executor', o.pool);
    const run = await mapReduceRemote(input, checkExecutor(o.executor, 'options.executor'), {
      map: remoteTask(o.map, 'options.map'),
      combine: o.combine === undefined ? null : remoteTask(o.combine, 'options.combine'),
      reduce: o.reduce === undefined ? null : remoteTask(o.reduce, 'options.reduce'),
      partitions: parts ?? 2,
      chunksize,
      splitBytes: splitSize,
      delimiter: delimiter.charCodeAt(0),
      signal,
    });
    const result = new MapReduceResult<K, R>(run.entries as Array<[K, R]>);
    result.counters = run.counters;
    onProgress?.({
      phase: 'reduce',
      splits: run.counters.splits,
      records: run.counters.records,
      bytes: run.counters.bytes,
    });
    return result;
  }
  // Validated first: the shared compute pool starts only for a job that can run.
  const pool = (o.pool as Pool | undefined) ?? computePool(platform().defaultConcurrency());
  const partitions = parts ?? pool.size;
  const window = maxInFlight ?? 2 * pool.size;

  const counters: MapReduceCounters = {
    records: 0,
    bytes: 0,
    pairs: 0,
    keys: 0,
    splits: 0,
    reExecutedSplits: 0,
    partitions,
  };
  const buffers: Array<Map<unknown, unknown[]>> = Array.from({ length: partitions }, () => new Map());
  let buffered = 0; // values held in `buffers`
  const progress = (phase: 'map' | 'reduce') =>
    onProgress?.({ phase, splits: counters.splits, records: counters.records, bytes: counters.bytes });
  const mapRef = builtin('mapreduce.map');

  /** Runs a task; if its worker dies (tasks are pure), runs it once more on another worker. */
  const applyOnce = async <T>(ref: ReturnType<typeof builtin>, args: unknown[], onRetry?: () => void): Promise<T> => {
    try {
      return (await pool.apply(ref, args, { signal })) as T;
    } catch (e) {
      if (!(e instanceof WorkerCrashedError) || signal?.aborted) throw e;
      onRetry?.();
      return (await pool.apply(ref, args, { signal })) as T;
    }
  };
  const runSplit = (payload: SplitPayload): Promise<MapOutput> =>
    applyOnce<MapOutput>(mapRef, [mapSpec, combineSpec, partitions, payload], () => counters.reExecutedSplits++);

  const absorb = async (out: MapOutput) => {
    counters.records += out.records;
    counters.pairs += out.pairs;
    for (let p = 0; p < partitions; p++) {
      const buf = buffers[p]!;
      for (const [k, vs] of out.parts[p]!) {
        const have = buf.get(k);
        if (have) for (const v of vs) have.push(v);
        else buf.set(k, vs);
        buffered += vs.length;
      }
    }
    // With a combiner, fold piled-up values so memory follows the number of keys, not of splits.
    const keys = buffers.reduce((a, b) => a + b.size, 0);
    if (combineSpec && (buffered > 2 * keys + 100_000 || buffered > maxValues)) {
      await Promise.all(buffers.map((buf) => compact(buf)));
      buffered = buffers.reduce((a, b) => a + b.size, 0);
    }
    if (buffered > maxValues) {
      const why = combineSpec ? 'distinct keys' : 'values (no combine: every value is kept until reduce)';
      throw new BufferLimitError(
        `mapReduce holds ${buffered} ${why}, more than maxBufferedValues = ${maxValues}; ${combineSpec ? 'raise maxBufferedValues' : 'pass combine to fold values per key in the workers, or raise maxBufferedValues'}`,
        'maxBufferedValues',
        maxValues,
      );
    }
  };

  const compact = async (buf: Map<unknown, unknown[]>) => {
    const pile = [...buf].filter(([, vs]) => vs.length > 1);
    for (let i = 0; i < pile.length; i += REDUCE_BATCH) {
      const done = await applyOnce<Array<[unknown, unknown[]]>>(builtin('mapreduce.combine'), [
        combineSpec,
        pile.slice(i, i + REDUCE_BATCH),
      ]);
      for (const [k, vs] of done) buf.set(k, vs);
    }
  };

  // Map phase: a window of splits in flight, merged in split order.
  const inflight: Array<Promise<MapOutput>> = [];
  let failed: unknown;
  const settle = async () => {
    const out = await inflight.shift()!;
    counters.splits++;
    await absorb(out);
    progress('map');
  };
  try {
    for await (const payload of splits(input, {
      chunksize,
      splitSize,
      delimiter: delimiter.charCodeAt(0),
      signal,
      onBytes: (n) => (counters.bytes += n),
    })) {
      throwIfAborted(signal);
      const p = runSplit(payload);
      p.catch(() => undefined); // observed in settle; avoids an unhandled rejection while earlier splits finish
      inflight.push(p);
      if (inflight.length >= window) await settle();
    }
    while (inflight.length) await settle();
  } catch (e) {
    failed = e;
  }
  if (failed !== undefined) {
    await Promise.allSettled(inflight);
    if (signal?.aborted && !(failed instanceof AbortError)) throw abortError(signal);
    throw failed;
  }

  // Reduce phase: each partition in batches, in parallel.
  const result = new MapReduceResult<K, R>();
  const tasks: Array<Promise<Array<[unknown, unknown]>>> = [];
  for (const buf of buffers) {
    const entries = [...buf];
    buf.clear();
    for (let i = 0; i < entries.length; i += REDUCE_BATCH) {
      tasks.push(
        applyOnce<Array<[unknown, unknown]>>(builtin('mapreduce.reduce'), [
          reduceSpec,
          entries.slice(i, i + REDUCE_BATCH),
        ]),
      );
    }
  }
  for (const t of tasks) t.catch(() => undefined);
  for (const t of tasks) for (const [k, r] of await t) result.set(k as K, r as R);
  counters.keys = result.size;
  result.counters = counters;
  progress('reduce');
  return result;
}

function spec(fn: unknown, argument: string): FnSpec {
  const r = resolveTask(fn, argument);
  return { key: r.key, def: r.def };
}

interface SplitOptions {
  chunksize: number;
  splitSize: number;
  delimiter: number;
  signal: AbortSignal | undefined;
  onBytes: (n: number) => void;
}

/** The input as split payloads: byte ranges cut at the delimiter, or batches of records. */
async function* splits(input: MapReduceInput, o: SplitOptions): AsyncGenerator<SplitPayload> {
  if (isByteInput(input)) {
    const source = await openByteSource(input as ByteInput, o.signal);
    let first = true;
    for await (const s of splitBytes(source.chunks, o.splitSize, cutAtByte(o.delimiter))) {
      o.onBytes(s.length);
      yield { bytes: concat(s.pieces, s.length), delimiter: o.delimiter, first };
      first = false;
    }
    return;
  }
  if (input === null || typeof input !== 'object' || !(Symbol.iterator in input || Symbol.asyncIterator in input)) {
    throw invalid(
      'input',
      'an iterable of records or a byte input (string, Uint8Array, Blob, ReadableStream, { path })',
      input,
    );
  }
  let batch: unknown[] = [];
  for await (const rec of input as AsyncIterable<unknown>) {
    batch.push(rec);
    if (batch.length >= o.chunksize) {
      yield { records: batch };
      batch = [];
    }
  }
  if (batch.length) yield { records: batch };
}
