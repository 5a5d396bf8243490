/** Validation of Pool and call options: each bad value becomes an InvalidArgumentError naming it. */
import { InvalidArgumentError } from '../core/errors.js';
import { abortSignal, func, invalid, optional, optionsObject, positiveInt, positiveNumber, string } from '../core/validate.js';
import { encodeShareables } from './shareable.js';
import { resolveTask, type ResolvedTask, type TaskLike } from './task-ref.js';
import type { SpawnOptions, WorkerTransport } from '../core/platform.js';

/** Options of `new Pool(options)`. */
export interface PoolOptions {
  /** Number of workers; default: available parallelism (os.availableParallelism / navigator.hardwareConcurrency). */
  workers?: number;
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
  /** Objects to transfer instead of copy (ArrayBuffers, ports); `true` transfers every ArrayBuffer found in the arguments. */
  transfer?: Transferable[] | boolean;
}

export interface MapOptions extends CallOptions {
  /** Items per task; default for map: about len / (4 × workers), as Python; for imap: 1. */
  chunksize?: number;
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
}

const POOL_KEYS = ['workers', 'maxTasksPerWorker', 'initializer', 'initArgs', 'taskTimeout', 'maxQueue', 'resourceLimits', 'name', 'transport'] as const;
const RESOURCE_LIMIT_KEYS = ['maxYoungGenerationSizeMb', 'maxOldGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'] as const;

/** The options each kind of call takes: anything else is an unknown key. */
export const CALL_KEYS = {
  apply: ['signal', 'transfer'],
  applyAsync: ['signal', 'transfer', 'callback', 'errorCallback'],
  map: ['signal', 'transfer', 'chunksize'],
  mapAsync: ['signal', 'transfer', 'chunksize', 'callback', 'errorCallback'],
} as const;
export type CallKind = keyof typeof CALL_KEYS;

export function resolvePoolOptions(options: PoolOptions | undefined, defaultWorkers: () => number): ResolvedPoolOptions {
  const o = optionsObject(options, 'options', POOL_KEYS);
  const t = o.transport as WorkerTransport | undefined;
  if (t !== undefined && !(t && typeof t.spawnWorker === 'function' && typeof t.defaultConcurrency === 'function')) {
    throw invalid('options.transport', 'a WorkerTransport ({ spawnWorker, defaultConcurrency })', t);
  }
  const workers = o.workers === undefined ? defaultWorkers() : positiveInt(o.workers, 'options.workers');
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
  };
}

/** Validates the options of one call (`kind` says which keys it takes) and returns them. */
export function checkCallOptions<O extends CallOptions>(options: O | undefined, kind: CallKind): O | undefined {
  if (options === undefined) return undefined;
  const o = optionsObject(options, 'options', CALL_KEYS[kind] as readonly string[]) as Partial<Record<string, unknown>>;
  optional(o.signal, 'options.signal', abortSignal);
  const transfer = o.transfer;
  if (transfer !== undefined && typeof transfer !== 'boolean' && !Array.isArray(transfer)) throw invalid('options.transfer', 'an array of transferables or a boolean', transfer);
  optional(o.chunksize, 'options.chunksize', positiveInt);
  optional(o.callback, 'options.callback', func);
  optional(o.errorCallback, 'options.errorCallback', func);
  return options;
}

function cloneable(path: string, v: unknown): void {
  try {
    structuredClone(v);
  } catch (e) {
    throw new InvalidArgumentError(path, `expected values structured clone can send to a worker, got one it cannot: ${(e as Error).message}`);
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
    else if (depth < 2 && v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const a of args) visit(a, 0);
  return [...out];
}
