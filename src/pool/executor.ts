/**
 * The seam to a remote executor (docs/ARCHITECTURE.md, "Distributed"): a Pool, `mapReduce` or `wordCount` given
 * `executor` hands its work to it as jobs instead of running it on local workers. Implementations (BullMQ, in
 * `poolkit/bullmq`) live above every kernel family; this file is all the lower layers know of them.
 */
import { RemoteTaskError } from '../core/errors.js';
import { invalid } from '../core/validate.js';
import { resolveTask } from './task-ref.js';

/** Marks an object as an executor (checked by `options.executor`). */
export const EXECUTOR: unique symbol = Symbol.for('poolkit.executor') as never;

/** A task as a remote worker finds it: a module export (imported there) or a built-in step. Never source text. */
export type RemoteTaskDef = { url: string; name: string } | { builtin: string };

/** How a chunk's items are passed: one call per item, one call per argument tuple, or one call with the args. */
export type ChunkMode = 'map' | 'starmap' | 'apply';

/** One job of a call: its position among the call's chunks and its items (for `apply`: the arguments). */
export interface RemoteChunk {
  index: number;
  items: unknown[];
}

export interface ChunkRun {
  task: RemoteTaskDef;
  mode: ChunkMode;
  chunks: Iterable<RemoteChunk> | AsyncIterable<RemoteChunk>;
  /** Most jobs queued or running at once (Infinity: every chunk at once). */
  window: number;
  signal?: AbortSignal | undefined;
}

/** One reduce partition of a flow: a parent step that runs on its children's results (in order) once all are done. */
export interface FlowParent {
  step: string;
  data: unknown;
  children: Array<{ step: string; data: unknown }>;
}

/** What an executor reports for `pool.stats()`. */
export interface RemoteStats {
  /** Worker processes connected to the queue. */
  processes: number;
  /** Their threads (each process runs jobs on its own local Pool). */
  threads: number;
  /** Jobs waiting and running in the queue (whoever added them); jobs this executor saw complete and fail. */
  queued: number;
  active: number;
  completed: number;
  failed: number;
}

export interface Executor {
  readonly [EXECUTOR]: true;
  /**
   * Runs every chunk as a job and yields each chunk's result exactly once, in completion order. Leaving the loop
   * early, or aborting, removes the call's queued jobs.
   */
  run(call: ChunkRun): AsyncIterable<{ index: number; value: unknown }>;
  /** Runs the partitions' children, then each parent; resolves with the parents' results in order. */
  runFlow(parents: FlowParent[], options: { signal?: AbortSignal | undefined }): Promise<unknown[]>;
  /** The latest counts (refreshed in the background while calls run). */
  stats(): RemoteStats;
  /** Resolves once the server is reachable. */
  ready(): Promise<void>;
  /** Lets the running calls finish, then releases the connections. */
  close(): Promise<void>;
  /** Removes the running calls' queued jobs, rejects those calls with `reason`, releases the connections. */
  terminate(reason: Error): Promise<void>;
}

/** `value` as an Executor, or an InvalidArgumentError naming `path`. */
export function checkExecutor(value: unknown, path: string): Executor {
  if (value && typeof value === 'object' && (value as Executor)[EXECUTOR] === true) return value as Executor;
  throw invalid(path, "an executor such as bullmq({ connection, queue }) from 'poolkit/bullmq'", value);
}

/**
 * The remote form of a task argument. A self-contained function is refused: its code would have to travel as text
 * and run wherever a job lands, so remote workers import module exports instead.
 */
export function remoteTask(fn: unknown, argument = 'fn'): RemoteTaskDef {
  const r = resolveTask(fn, argument);
  if ('src' in r.def)
    throw new RemoteTaskError(
      `${argument}: a remote executor runs module exports only; put the function in a module and pass ` +
        "task(new URL('./tasks.js', import.meta.url), 'name') (see docs/distributed.md, \"Module resolution\")",
    );
  return r.def;
}
