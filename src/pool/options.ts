/** Validation of Pool and call options: each bad value becomes an InvalidArgumentError naming it. */
import { InvalidArgumentError } from '../core/errors.js';
import {
  abortSignal,
  boolean,
  func,
  intInRange,
  invalid,
  oneOf,
  optional,
  optionsObject,
  positiveInt,
  positiveNumber,
  string,
} from '../core/validate.js';
import { encodeShareables } from './shareable.js';
import { resolveTask, type ResolvedTask, type TaskLike } from './task-ref.js';
import type { SpawnOptions, WorkerTransport } from '../core/platform.js';
import { checkExecutor, type Executor } from './executor.js';

/** Options of `new Pool(options)`. */
export interface PoolOptions {
  /** Number of workers; default: available parallelism (os.availableParallelism / navigator.hardwareConcurrency). */
  workers?: number;
  /** The same as `workers` (the most workers the pool runs), under piscina's name. */
  maxWorkers?: number;
  /** Workers started at construction and kept when idle; default: all of them. Others start on demand. */
  minWorkers?: number;
  /** A worker beyond `minWorkers` idle this long (ms) exits; default 10 000 when minWorkers < workers. */
  idleTimeout?: number;
  /** Start no worker until the first task (or `ready()`); default false: workers start at construction, as Python's. */
  lazy?: boolean;
  /**
   * `'thread'` (default): worker threads / Web Workers. `'process'` (Node): child processes with separate heaps, which
   * survive native crashes and process.abort() in a task. Across processes everything is copied: transfer lists are
   * ignored, and SharedArrayBuffers (and the shared-memory toolbox objects) cannot be passed; no work stealing.
   */
  isolation?: 'thread' | 'process';
  /**
   * Node: replace a worker after a task leaves its JavaScript heap above this many MiB (the replacement starts first,
   * so throughput does not dip).
   */
  maxMemoryPerWorker?: number;
  /** Replace a worker after it has run this many tasks (Python's maxtasksperchild). */
  maxTasksPerWorker?: number;
  /** Runs once in each worker before its first task, with `initArgs`. */
  initializer?: TaskLike;
  initArgs?: unknown[];
  /** Stop any task running longer than this (ms): its call rejects with TimeoutError and the worker is replaced. */
  taskTimeout?: number;
  /** At most this many queued tasks; `apply`/`applyAsync` beyond it reject with QueueFullError, `map`/`imap` wait. */
  maxQueue?: number;
  /** Node only: worker_threads resourceLimits for each worker. */
  resourceLimits?: SpawnOptions['resourceLimits'];
  /** Worker name prefix (shown in debuggers). */
  name?: string;
  /**
   * Advanced: what starts, messages and stops the workers. Default: this platform's (worker_threads in Node, module
   * Web Workers in browsers). Tests pass in-process transports; other executors plug in here.
   */
  transport?: WorkerTransport;
  /**
   * Run the calls on a remote executor instead of local workers: `bullmq({ connection, queue })` from
   * `'poolkit/bullmq'`. Tasks must then be module exports (`task(url, name)`); `workers` is the parallelism the
   * automatic chunk size assumes (default 8), and the options of local workers are refused (set them per worker).
   */
  executor?: Executor;
}

/** Options common to every call. */
export interface CallOptions {
  /** Aborting drops the call's queued tasks and stops its running ones; the call rejects with AbortError. */
  signal?: AbortSignal;
  /** Receives what the call's tasks report with `progress(value)` (throttled: at most every 50 ms per worker). */
  // biome-ignore lint/suspicious/noExplicitAny: a callback may declare the type its tasks report (unknown would refuse it)
  onProgress?: (value: any) => void;
  /** Objects to transfer instead of copy (ArrayBuffers, ports); `true` transfers every ArrayBuffer found in the arguments. */
  transfer?: Transferable[] | boolean;
}

export interface MapOptions extends CallOptions {
  /**
   * Items per task; default for map: about len / (4 × workers), as Python (shrinking toward the end where workers share
   * no memory, so running chunks cannot be split); for imap: 1.
   */
  chunksize?: number;
}

export interface StreamOptions extends CallOptions {
  /** Values the worker may produce ahead of the consumer; default 16. */
  highWaterMark?: number;
}

export interface ApplyAsyncOptions<R> extends CallOptions {
  callback?: (value: R) => void;
  errorCallback?: (error: Error) => void;
}

export interface ResolvedPoolOptions {
  workers: number;
  maxTasksPerWorker: number | undefined;
  initializer: ResolvedTask | undefined;
  initArgs: unknown[];
  taskTimeout: number | undefined;
  maxQueue: number | undefined;
  spawn: SpawnOptions;
  minWorkers: number;
  idleTimeout: number;
  lazy: boolean;
  isolation: 'thread' | 'process';
  /** In bytes. */
  maxMemoryPerWorker: number | undefined;
}

const POOL_KEYS = [
  'workers',
  'maxTasksPerWorker',
  'initializer',
  'initArgs',
  'taskTimeout',
  'maxQueue',
  'resourceLimits',
  'name',
  'transport',
  'maxWorkers',
  'minWorkers',
  'idleTimeout',
  'lazy',
  'isolation',
  'maxMemoryPerWorker',
  'executor',
] as const;
/** What a Pool on an executor takes: the rest configure local workers. */
const REMOTE_POOL_KEYS = ['executor', 'workers', 'name'] as const;
const REMOTE_WORKERS = 8;
const RESOURCE_LIMIT_KEYS = [
  'maxYoungGenerationSizeMb',
  'maxOldGenerationSizeMb',
  'codeRangeSizeMb',
  'stackSizeMb',
] as const;

/** The options each kind of call takes: anything else is an unknown key. */
export const CALL_KEYS = {
  apply: ['signal', 'transfer', 'onProgress'],
  applyAsync: ['signal', 'transfer', 'onProgress', 'callback', 'errorCallback'],
  map: ['signal', 'transfer', 'onProgress', 'chunksize'],
  mapAsync: ['signal', 'transfer', 'onProgress', 'chunksize', 'callback', 'errorCallback'],
  stream: ['signal', 'transfer', 'onProgress'],
} as const;
export type CallKind = keyof typeof CALL_KEYS;

export function resolvePoolOptions(
  options: PoolOptions | undefined,
  defaultWorkers: () => number,
): ResolvedPoolOptions {
  const o = optionsObject(options, 'options', POOL_KEYS);
  const t = o.transport as WorkerTransport | undefined;
  if (t !== undefined && !(t && typeof t.spawnWorker === 'function' && typeof t.defaultConcurrency === 'function')) {
    throw invalid('options.transport', 'a WorkerTransport ({ spawnWorker, defaultConcurrency })', t);
  }
  const workers = resolveWorkers(o, defaultWorkers);
  const minWorkers = o.minWorkers === undefined ? workers : intInRange(o.minWorkers, 'options.minWorkers', 0);
  if (minWorkers > workers) throw invalid('options.minWorkers', `at most options.workers (${workers})`, minWorkers);
  const idleTimeout =
    optional(o.idleTimeout, 'options.idleTimeout', positiveNumber) ?? (minWorkers < workers ? 10_000 : Infinity);
  const lazy = optional(o.lazy, 'options.lazy', boolean) ?? false;
  const isolation =
    optional(o.isolation, 'options.isolation', (v, path) => oneOf(v, path, ['thread', 'process'] as const)) ?? 'thread';
  if (isolation === 'process' && t !== undefined) {
    throw invalid(
      'options.isolation',
      "no transport with isolation: 'process' (the transport decides isolation)",
      isolation,
    );
  }
  const maxMemoryMiB = optional(o.maxMemoryPerWorker, 'options.maxMemoryPerWorker', positiveNumber);
  const initArgs = o.initArgs ?? [];
  if (!Array.isArray(initArgs)) throw invalid('options.initArgs', 'an array of arguments', initArgs);
  if (o.initArgs !== undefined) cloneable('options.initArgs', initArgs);
  let resourceLimits: SpawnOptions['resourceLimits'];
  if (o.resourceLimits !== undefined) {
    const rl = optionsObject(o.resourceLimits, 'options.resourceLimits', RESOURCE_LIMIT_KEYS);
    for (const key of RESOURCE_LIMIT_KEYS) optional(rl[key], `options.resourceLimits.${key}`, positiveNumber);
    resourceLimits = rl as SpawnOptions['resourceLimits'];
  }
  return {
    workers,
    maxTasksPerWorker: optional(o.maxTasksPerWorker, 'options.maxTasksPerWorker', positiveInt),
    initializer: o.initializer === undefined ? undefined : resolveTask(o.initializer, 'options.initializer'),
    initArgs: encodeShareables(initArgs).value as unknown[],
    taskTimeout: optional(o.taskTimeout, 'options.taskTimeout', positiveNumber),
    maxQueue: optional(o.maxQueue, 'options.maxQueue', positiveInt),
    spawn: { name: optional(o.name, 'options.name', string) ?? 'poolkit', resourceLimits },
    minWorkers,
    idleTimeout,
    lazy,
    isolation,
    maxMemoryPerWorker: maxMemoryMiB === undefined ? undefined : maxMemoryMiB * 2 ** 20,
  };
}

/**
 * The executor of `options`, if any, with the options of a Pool on it checked; the other keys (local workers'
 * settings) are refused, as they would silently do nothing.
 */
export function resolveExecutor(options: PoolOptions | undefined): { executor: Executor; workers: number } | undefined {
  if (options?.executor === undefined) return undefined;
  const o = optionsObject(options, 'options', POOL_KEYS);
  for (const key of Object.keys(o))
    if (!(REMOTE_POOL_KEYS as readonly string[]).includes(key) && o[key as keyof typeof o] !== undefined)
      throw invalid(
        `options.${key}`,
        'no value with options.executor (set it on each remote worker)',
        o[key as keyof typeof o],
      );
  return {
    executor: checkExecutor(o.executor, 'options.executor'),
    workers: optional(o.workers, 'options.workers', positiveInt) ?? REMOTE_WORKERS,
  };
}

/** `workers` and `maxWorkers` name the same number; given both, they must agree. */
function resolveWorkers(o: Partial<Record<string, unknown>>, defaultWorkers: () => number): number {
  const w = optional(o.workers, 'options.workers', positiveInt);
  const m = optional(o.maxWorkers, 'options.maxWorkers', positiveInt);
  if (w !== undefined && m !== undefined && w !== m)
    throw invalid('options.maxWorkers', `the same as options.workers (${w})`, m);
  return w ?? m ?? defaultWorkers();
}

/** Validates the options of one call (`kind` says which keys it takes) and returns them. */
export function checkCallOptions<O extends CallOptions>(options: O | undefined, kind: CallKind): O | undefined {
  if (options === undefined) return undefined;
  const o = optionsObject(options, 'options', CALL_KEYS[kind] as readonly string[]) as Partial<Record<string, unknown>>;
  optional(o.signal, 'options.signal', abortSignal);
  const transfer = o.transfer;
  if (transfer !== undefined && typeof transfer !== 'boolean' && !Array.isArray(transfer))
    throw invalid('options.transfer', 'an array of transferables or a boolean', transfer);
  optional(o.chunksize, 'options.chunksize', positiveInt);
  optional(o.onProgress, 'options.onProgress', func);
  optional(o.callback, 'options.callback', func);
  optional(o.errorCallback, 'options.errorCallback', func);
  return options;
}

function cloneable(path: string, v: unknown): void {
  try {
    structuredClone(v);
  } catch (e) {
    throw new InvalidArgumentError(
      path,
      `expected values structured clone can send to a worker, got one it cannot: ${(e as Error).message}`,
    );
  }
}

/** Transferables found in `args` (top level and one level into arrays and plain objects) for `transfer: true`. */
export function findTransferables(args: unknown[]): Transferable[] {
  const out = new Set<Transferable>();
  const visit = (v: unknown, depth: number) => {
    if (v instanceof ArrayBuffer) out.add(v);
    else if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    } else if (typeof MessagePort === 'function' && v instanceof MessagePort) out.add(v);
    else if (depth < 2 && Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (depth < 2 && v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
      for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const a of args) visit(a, 0);
  return [...out];
}
