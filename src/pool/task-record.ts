/** One unit of work in the scheduler: an apply call, one chunk of a map, or one streaming task. */
import type { Mode } from './protocol.js';
import type { ResolvedTask } from './task-ref.js';
import type { Payload } from './payload.js';
import type { WorkerSlot } from './worker-slot.js';

export type Settle = (err: Error | null, value?: unknown) => void;

/** Where a streaming task's values go, and how many it may have produced (the consumer's credit). */
export interface StreamSink {
  push(values: unknown[]): void;
  /** Total values the worker may have produced so far. */
  granted(): number;
}

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
  /** The call's onProgress, if it listens. */
  readonly onProgress: ((value: unknown) => void) | undefined;
  /** A streaming task's consumer. */
  readonly stream: StreamSink | undefined;
  settle: Settle;
  slot: WorkerSlot<TaskRecord> | null;
  /** Settled (result delivered, failed, aborted or dropped): later news about it is ignored. */
  done: boolean;
  /** The task was a generator function whose values came back collected into arrays (imap flattens them). */
  generated: boolean;
  /** When it was submitted and when it was sent to a worker (performance.now()). */
  submittedAt: number;
  sentAt: number;
  /** Its position among the tasks sent to its worker, from 1 (work stealing). */
  seq: number;
  /** A chunk split while it ran: the items it keeps (the rest went to `parts`); a resend sends only those. */
  splitAt: number | undefined;
  /** The records that took its tail (split.ts): dropped with it. */
  parts: TaskRecord[] | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What a call adds to its records beyond the payload. */
export interface RecordExtras {
  onProgress?: ((value: unknown) => void) | undefined;
  stream?: StreamSink;
}

let nextId = 1;

export function createRecord(
  task: ResolvedTask,
  mode: Mode,
  payload: Payload,
  pipelined: boolean,
  settle: Settle,
  extras?: RecordExtras,
): TaskRecord {
  const { values, transfer, shared } = payload;
  return {
    id: nextId++,
    task,
    mode,
    payload: values,
    transfer,
    shared,
    pipelined,
    onProgress: extras?.onProgress,
    stream: extras?.stream,
    settle,
    slot: null,
    done: false,
    generated: false,
    submittedAt: 0,
    sentAt: 0,
    seq: 0,
    splitAt: undefined,
    parts: undefined,
    timer: undefined,
  };
}
