/** One unit of work in the scheduler: an apply call, or one chunk of a map. */
import type { Mode } from './protocol.js';
import type { ResolvedTask } from './task-ref.js';
import type { Payload } from './payload.js';
import type { WorkerSlot } from './worker-slot.js';

export type Settle = (err: Error | null, value?: unknown) => void;

export interface TaskRecord {
  readonly id: number;
  readonly task: ResolvedTask;
  readonly mode: Mode;
  readonly payload: unknown[] | Float64Array;
  readonly transfer: Transferable[] | undefined;
  /** The payload holds shareable envelopes, for the worker to revive. */
  readonly shared: boolean;
  /** May share a worker's pipeline with other tasks (no signal and no timeout: nothing may need to stop it alone). */
  readonly pipelined: boolean;
  settle: Settle;
  slot: WorkerSlot<TaskRecord> | null;
  /** Settled (result delivered, failed, aborted or dropped): later news about it is ignored. */
  done: boolean;
  /** When it was sent to a worker (performance.now()). */
  sentAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

let nextId = 1;

export function createRecord(task: ResolvedTask, mode: Mode, payload: Payload, pipelined: boolean, settle: Settle): TaskRecord {
  const { values, transfer, shared } = payload;
  return { id: nextId++, task, mode, payload: values, transfer, shared, pipelined, settle, slot: null, done: false, sentAt: 0, timer: undefined };
}
