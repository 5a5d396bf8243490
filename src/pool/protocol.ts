/** Messages between the host and a worker. Kept small and flat: they are structured-cloned on every task. */
import type { FnDef } from './task-ref.js';
import type { SerializedError } from '../core/errors.js';

/** How a task's payload is applied: fn(...args), fn(item) for each item of a chunk, or fn(...item) for each. */
export const enum Mode {
  Apply = 0,
  Map = 1,
  Starmap = 2,
}

/**
 * One task on the wire: [id, fnKey, fnDef (first time this worker sees the key) | 0, mode, payload, shared], `shared`
 * 1 when the payload holds shareable envelopes to revive (src/pool/shareable.ts).
 */
export type WireTask = [id: number, key: number, def: FnDef | 0, mode: Mode, payload: unknown[] | Float64Array, shared: 0 | 1];

export type HostMessage =
  | {
      type: 'init';
      status: SharedArrayBuffer | null;
      initializer: { key: number; def: FnDef } | null;
      initArgs: unknown[];
      /** The worker's identity (src/pool/thread-identity.ts) and the shared counter it draws idents from. */
      thread: { ident: number; name: string; counter: SharedArrayBuffer | null };
    }
  | { type: 'run'; tasks: WireTask[] };

/**
 * [id, 0, value, async, shared] for success, [id, 1, error, async] for failure; `async`: the task returned a promise;
 * `shared`: 1 when the value holds shareable envelopes.
 */
export type TaskResult =
  | [id: number, ok: 0, value: unknown, async: boolean, shared?: 0 | 1]
  | [id: number, failed: 1, error: SerializedError, async: boolean];

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; r: TaskResult }
  /** A browser worker calling self.close() says so first (browsers give no exit event). */
  | { type: 'closing'; code: number };

/** Slots of the per-worker status array (Int32Array over a SharedArrayBuffer). */
/** The id of the task the worker is running, 0 when idle: tells the host which task a dead worker was running. */
export const STATUS_RUNNING = 0;
/** Bumped (and notified) by the host after each message, so an idle worker blocked in Atomics.wait wakes at once. */
export const STATUS_WAKE = 1;
export const STATUS_WORDS = 2;
