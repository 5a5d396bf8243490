/** Messages between the host and a worker. Kept small and flat: they are structured-cloned on every task. */
import type { FnDef } from './task-ref.js';
import type { SerializedError } from '../core/errors.js';

/**
 * How a task's payload is applied: fn(...args), fn(item) for each item of a chunk, fn(...item) for each, or
 * fn(...args) as a generator whose values stream back under credit (see 'credit').
 */
export const enum Mode {
  Apply = 0,
  Map = 1,
  Starmap = 2,
  Stream = 3,
}

/** Low bits of a wire task's mode field: the Mode. */
export const MODE_MASK = 3;
/** Added to a wire task's mode when its call listens to progress: the worker posts what the task reports. */
export const MODE_PROGRESS = 4;

/**
 * One task on the wire: [id, fnKey, fnDef (first time this worker sees the key) | 0, mode, payload, shared], `shared`
 * 1 when the payload holds shareable envelopes to revive (src/pool/shareable.ts). `mode` is a Mode plus flag bits.
 */
export type WireTask = [
  id: number,
  key: number,
  def: FnDef | 0,
  mode: number,
  payload: unknown[] | Float64Array,
  shared: 0 | 1,
];

export interface InitMessage {
  type: 'init';
  status: SharedArrayBuffer | null;
  initializer: { key: number; def: FnDef } | null;
  initArgs: unknown[];
  /** Report `{ type: 'memory' }` after a task that leaves the heap above this many bytes (maxMemoryPerWorker). */
  memoryLimit?: number;
  /** Claim each task in STATUS_CLAIMED before running it, so the host can take unstarted ones back (work stealing). */
  claims?: boolean;
  /** The worker's identity (src/pool/thread-identity.ts) and the shared counter it draws idents from. */
  thread: { ident: number; name: string; counter: SharedArrayBuffer | null };
}

export type HostMessage =
  | InitMessage
  /** `resume`: the host took back every task it sent up to this sequence number that the worker had not claimed. */
  | { type: 'run'; tasks: WireTask[]; resume?: number }
  /** A streaming task may have produced `upTo` values in all (the consumer's credit). */
  | { type: 'credit'; id: number; upTo: number }
  /** Stop a streaming task: its generator's return() runs (and its `finally`), then it reports its end. */
  | { type: 'cancel'; id: number };

/**
 * [id, 0, value, async, shared, generated] for success, [id, 1, error, async] for failure; `async`: the task returned a
 * promise; `shared`: 1 when the value holds shareable envelopes; `generated`: 1 when the task is a generator function
 * whose values were collected into arrays (imap flattens them).
 */
export type TaskResult =
  | [id: number, ok: 0, value: unknown, async: boolean, shared?: 0 | 1, generated?: 0 | 1]
  | [id: number, failed: 1, error: SerializedError, async: boolean];

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; r: TaskResult }
  /** Values a streaming task yielded, in order. */
  | { type: 'yield'; id: number; values: unknown[] }
  /** What task `id` reported through progress(value), throttled in the worker. */
  | { type: 'progress'; id: number; value: unknown }
  /** The heap stayed above the pool's maxMemoryPerWorker after a task. */
  | { type: 'memory'; heapUsed: number }
  /** A browser worker calling self.close() says so first (browsers give no exit event). */
  | { type: 'closing'; code: number };

/** Slots of the per-worker status array (Int32Array over a SharedArrayBuffer). */
/** The id of the task the worker is running, 0 when idle: tells the host which task a dead worker was running. */
export const STATUS_RUNNING = 0;
/** Bumped (and notified) by the host after each message, so an idle worker blocked in Atomics.wait wakes at once. */
export const STATUS_WAKE = 1;
/**
 * Work stealing: the sequence number (position among the tasks sent to this worker, from 1) of the last task the
 * worker claimed. The worker claims with compareExchange(last, next); the host fences the worker by setting
 * STATUS_FENCE in the same word, after which no further claim succeeds and the unclaimed tasks are the host's again.
 */
export const STATUS_CLAIMED = 2;
export const STATUS_FENCE = 1 << 30;
/**
 * Splitting a running chunk (a map's task over many items): a BigInt64 word at this byte offset of the status buffer,
 * `task id << 32 | items claimed`, set by the worker as it starts a chunk and advanced (compareExchange) block by block
 * before it runs them. The host takes the unclaimed tail by setting SPLIT_FENCE in the same word: the worker's next
 * claim fails, it stops at the end of its block and answers with the items it ran; the tail is the host's to hand out.
 */
export const STATUS_SPLIT_BYTE = 16;
export const SPLIT_FENCE = 1n << 31n;
/** Size of the status buffer: three Int32 words, padding, the split word. */
export const STATUS_BYTES = 24;
