/** The host's view of one worker: its port, the tasks sent to it (in order), and what it already knows. */
import { Deque } from './deque.js';
import { STATUS_RUNNING, STATUS_WAKE, STATUS_WORDS } from './protocol.js';
import type { WorkerPort } from '../core/platform.js';

export type SlotState = 'live' | 'stopping' | 'dead';

/** `Rec` is the scheduler's task record (generic so this file and task-record.ts need not import each other). */
export class WorkerSlot<Rec extends { readonly pipelined: boolean } = { readonly pipelined: boolean }> {
  /** Tasks sent and not yet answered, in the order the worker runs them. */
  readonly inflight = new Deque<Rec>();
  /** Task keys whose definition this worker has received. */
  readonly known = new Set<number>();
  state: SlotState = 'live';
  ready = false;
  /** Tasks sent over the worker's life (for maxTasksPerWorker). */
  sent = 0;
  /** Why it failed, when it reported an error before exiting. */
  failure: Error | undefined;
  lastResultAt = 0;
  port!: WorkerPort;
  private readonly status: Int32Array | null;

  constructor(readonly statusBuffer: SharedArrayBuffer | null) {
    this.status = statusBuffer ? new Int32Array(statusBuffer) : null;
  }

  static statusBuffer(): SharedArrayBuffer | null {
    return typeof SharedArrayBuffer === 'function' && (globalThis.crossOriginIsolated !== false) ? new SharedArrayBuffer(4 * STATUS_WORDS) : null;
  }

  /** The id of the task the worker is running now, or 0; undefined when the platform has no shared memory. */
  runningId(): number | undefined {
    return this.status ? Atomics.load(this.status, STATUS_RUNNING) : undefined;
  }

  /** Wakes the worker if it is blocked waiting for work (Node workers idle in Atomics.wait). */
  wake(): void {
    if (this.status) {
      Atomics.add(this.status, STATUS_WAKE, 1);
      Atomics.notify(this.status, STATUS_WAKE, 1);
    }
  }

  /** Only tasks that may be pipelined are in flight here. */
  allPipelined(): boolean {
    for (let i = 0; i < this.inflight.length; i++) if (!this.inflight.at(i)!.pipelined) return false;
    return true;
  }
}
