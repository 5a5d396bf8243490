/** Validation of Pool and call options: each bad value becomes an InvalidArgumentError naming it. */
import { InvalidArgumentError } from '../core/errors.js';
import { encodeShareables } from './shareable.js';
import { resolveTask, type ResolvedTask, type TaskLike } from './task-ref.js';
import type { SpawnOptions, WorkerTransport } from '../core/platform.js';

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
}

/** Options common to every call. */
export interface CallOptions {
  /** Aborting drops the call's queued tasks and stops its running ones; the call rejects with AbortError. */
  signal?: AbortSignal;
  /** Receives what the call's tasks report with `progress(value)` (throttled: at most every 50 ms per worker). */
  onProgress?: (value: any) => void;
  /** Objects to transfer instead of copy (ArrayBuffers, ports); `true` transfers every ArrayBuffer found in the arguments. */
  transfer?: Transferable[] | boolean;
}

export interface MapOptions extends CallOptions {
  /** Items per task; default for map: about len / (4 × workers), as Python; for imap: 1. */
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

const POOL_KEYS = new Set([
  'workers', 'maxTasksPerWorker', 'initializer', 'initArgs', 'taskTimeout', 'maxQueue', 'resourceLimits', 'name', 'transport',
  'maxWorkers', 'minWorkers', 'idleTimeout', 'lazy', 'isolation', 'maxMemoryPerWorker',
]);
const CALL_KEYS = new Set(['signal', 'transfer', 'chunksize', 'callback', 'errorCallback', 'onProgress']);

export function resolvePoolOptions(o: PoolOptions | undefined, defaultWorkers: () => number): ResolvedPoolOptions {
  if (o === undefined) o = {};
  if (typeof o !== 'object' || o === null) throw new InvalidArgumentError('options', `expected an object, got ${typeof o}`);
  unknownKeys('options', o, POOL_KEYS);
  const t = o.transport;
  if (t !== undefined && !(t && typeof t.spawnWorker === 'function' && typeof t.defaultConcurrency === 'function')) {
    throw new InvalidArgumentError('options.transport', 'expected a WorkerTransport ({ spawnWorker, defaultConcurrency })');
  }
  const workers = resolveWorkers(o, defaultWorkers);
  const minWorkers = o.minWorkers === undefined ? workers : positiveIntOrZero('options.minWorkers', o.minWorkers);
  if (minWorkers > workers) throw new InvalidArgumentError('options.minWorkers', `expected at most workers (${workers}), got ${minWorkers}`);
  const idleTimeout = o.idleTimeout === undefined ? (minWorkers < workers ? 10_000 : Infinity) : positiveNumber('options.idleTimeout', o.idleTimeout);
  if (o.lazy !== undefined && typeof o.lazy !== 'boolean') throw new InvalidArgumentError('options.lazy', `expected a boolean, got ${describe(o.lazy)}`);
  const isolation = o.isolation ?? 'thread';
  if (isolation !== 'thread' && isolation !== 'process') throw new InvalidArgumentError('options.isolation', `expected 'thread' or 'process', got ${describe(isolation)}`);
  if (isolation === 'process' && t !== undefined) throw new InvalidArgumentError('options.isolation', "expected no transport with isolation: 'process' (the transport decides isolation)");
  const maxMemoryPerWorker = o.maxMemoryPerWorker === undefined ? undefined : positiveNumber('options.maxMemoryPerWorker', o.maxMemoryPerWorker, 'MiB') * 2 ** 20;
  const initArgs = o.initArgs ?? [];
  if (!Array.isArray(initArgs)) throw new InvalidArgumentError('options.initArgs', 'expected an array of arguments');
  if (o.initArgs !== undefined) cloneable('options.initArgs', initArgs);
  const rl = o.resourceLimits;
  if (rl !== undefined && (typeof rl !== 'object' || rl === null)) throw new InvalidArgumentError('options.resourceLimits', 'expected an object');
  return {
    workers,
    maxTasksPerWorker: o.maxTasksPerWorker === undefined ? undefined : positiveInt('options.maxTasksPerWorker', o.maxTasksPerWorker),
    initializer: o.initializer === undefined ? undefined : resolveTask(o.initializer, 'options.initializer'),
    initArgs: encodeShareables(initArgs).value as unknown[],
    taskTimeout: o.taskTimeout === undefined ? undefined : positiveNumber('options.taskTimeout', o.taskTimeout),
    maxQueue: o.maxQueue === undefined ? undefined : positiveInt('options.maxQueue', o.maxQueue),
    spawn: { name: o.name ?? 'poolkit', resourceLimits: rl },
    minWorkers,
    idleTimeout,
    lazy: o.lazy ?? false,
    isolation,
    maxMemoryPerWorker,
  };
}

function resolveWorkers(o: PoolOptions, defaultWorkers: () => number): number {
  const w = o.workers === undefined ? undefined : positiveInt('options.workers', o.workers);
  const m = o.maxWorkers === undefined ? undefined : positiveInt('options.maxWorkers', o.maxWorkers);
  if (w !== undefined && m !== undefined && w !== m) throw new InvalidArgumentError('options.maxWorkers', `expected the same as options.workers (${w}), got ${m}`);
  return w ?? m ?? defaultWorkers();
}

function positiveIntOrZero(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InvalidArgumentError(name, `expected an integer >= 0, got ${describe(v)}`);
  return v;
}

export function checkCallOptions(o: unknown): void {
  if (o === undefined) return;
  if (typeof o !== 'object' || o === null) throw new InvalidArgumentError('options', `expected an object, got ${typeof o}`);
  unknownKeys('options', o, CALL_KEYS);
  const { signal, transfer, chunksize, callback, errorCallback, onProgress } = o as MapOptions & ApplyAsyncOptions<unknown>;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new InvalidArgumentError('options.onProgress', `expected a function, got ${describe(onProgress)}`);
  if (signal !== undefined && !(signal && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    throw new InvalidArgumentError('options.signal', 'expected an AbortSignal');
  }
  if (transfer !== undefined && typeof transfer !== 'boolean' && !Array.isArray(transfer)) throw new InvalidArgumentError('options.transfer', 'expected an array of transferables or a boolean');
  if (chunksize !== undefined) positiveInt('options.chunksize', chunksize);
  if (callback !== undefined && typeof callback !== 'function') throw new InvalidArgumentError('options.callback', 'expected a function');
  if (errorCallback !== undefined && typeof errorCallback !== 'function') throw new InvalidArgumentError('options.errorCallback', 'expected a function');
}

export function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InvalidArgumentError(name, `expected a positive integer, got ${describe(v)}`);
  return v;
}

function positiveNumber(name: string, v: unknown, unit = 'milliseconds'): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new InvalidArgumentError(name, `expected a positive number of ${unit}, got ${describe(v)}`);
  return v;
}

function unknownKeys(name: string, o: object, known: Set<string>): void {
  for (const k of Object.keys(o)) if (!known.has(k)) throw new InvalidArgumentError(`${name}.${k}`, `unknown option (known: ${[...known].join(', ')})`);
}

function cloneable(name: string, v: unknown): void {
  try {
    structuredClone(v);
  } catch (e) {
    throw new InvalidArgumentError(name, `cannot be sent to a worker: ${(e as Error).message}`);
  }
}

function describe(v: unknown): string {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : typeof v;
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
    else if (depth < 2 && v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const a of args) visit(a, 0);
  return [...out];
}
