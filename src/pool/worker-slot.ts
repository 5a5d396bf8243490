/** The host's view of one worker: its port, the tasks sent to it (in order), and what it already knows. */
import { Deque } from './deque.js';
import { Histogram } from './histogram.js';
import {
  SPLIT_FENCE,
  STATUS_BYTES,
  STATUS_CLAIMED,
  STATUS_FENCE,
  STATUS_RUNNING,
  STATUS_SPLIT_BYTE,
  STATUS_WAKE,
} from './protocol.js';
import type { WorkerPort } from '../core/platform.js';

/** 'retiring': takes no new tasks, stops once its own are done (a replacement is already starting). */
export type SlotState = 'live' | 'retiring' | 'stopping' | 'dead';

let nextWorkerId = 1;

/** `Rec` is the scheduler's task record (generic so this file and task-record.ts need not import each other). */
export class WorkerSlot<
  Rec extends { readonly id: number; readonly pipelined: boolean; seq: number } = {
    readonly id: number;
    readonly pipelined: boolean;
    seq: number;
  },
> {
  readonly id = nextWorkerId++;
  /** Tasks sent and not yet answered, in the order the worker runs them. */
  readonly inflight = new Deque<Rec>();
  /** Task keys whose definition this worker has received. */
  readonly known = new Set<number>();
  state: SlotState = 'live';
  ready = false;
  /** Tasks sent over the worker's life (for maxTasksPerWorker). */
  sent = 0;
  /** Tasks posted to it in all: the next one's sequence number is seq + 1 (work stealing). */
  seq = 0;
  /** Set when the host took tasks back: the next run message tells the worker up to which sequence number. */
  resumeAt: number | undefined;
  /** Why it failed, when it reported an error before exiting. */
  failure: Error | undefined;
  lastResultAt = 0;
  readonly createdAt = performance.now();
  /** Sum of its tasks' run times (ms), for utilization. */
  runMs = 0;
  readonly runTime = new Histogram();
  readonly waitTime = new Histogram();
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The worker starting to replace this one (recycling): this one retires when that one is ready. */
  successor: WorkerSlot<Rec> | undefined;
  /** Why the pool stopped it. */
  exitReason: 'crash' | 'idle' | 'recycle' | 'maxTasks' | 'stopped' | 'shutdown' | undefined;
  port!: WorkerPort;
  private readonly status: Int32Array | null;
  private readonly split: BigInt64Array | null;

  constructor(readonly statusBuffer: SharedArrayBuffer | null) {
    this.status = statusBuffer ? new Int32Array(statusBuffer, 0, STATUS_SPLIT_BYTE / 4) : null;
    this.split = statusBuffer ? new BigInt64Array(statusBuffer, STATUS_SPLIT_BYTE, 1) : null;
  }

  /** Status words for a new worker, or null where memory cannot be shared with it. */
  static statusBuffer(shareable: boolean): SharedArrayBuffer | null {
    return shareable && WorkerSlot.sharedMemory() ? new SharedArrayBuffer(STATUS_BYTES) : null;
  }

  /** This thread can share memory with its workers (in a browser: a cross-origin isolated page). */
  static sharedMemory(): boolean {
    return typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated !== false;
  }

  get hasStatus(): boolean {
    return this.status !== null;
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

  /**
   * Fences the worker so it claims nothing more; returns the sequence number of the last task it claimed (tasks after
   * it are unstarted and will be skipped), or undefined if it is already fenced or has no status words.
   */
  fence(): number | undefined {
    const s = this.status;
    if (!s || this.resumeAt !== undefined) return undefined;
    for (;;) {
      const claimed = Atomics.load(s, STATUS_CLAIMED);
      if (claimed & STATUS_FENCE) return undefined;
      if (Atomics.compareExchange(s, STATUS_CLAIMED, claimed, claimed | STATUS_FENCE) === claimed) return claimed;
    }
  }

  /**
   * Where the worker stands in chunk `id` if it is running it: the items it has claimed (run or running), or undefined
   * when it runs something else, has finished that chunk or was already fenced (protocol.ts STATUS_SPLIT_BYTE).
   */
  splitPosition(id: number): number | undefined {
    const v = this.split ? Atomics.load(this.split, 0) : 0n;
    if (v >> 32n !== BigInt(id) || v & SPLIT_FENCE) return undefined;
    return Number(v & (SPLIT_FENCE - 1n));
  }

  /** Stops the worker in chunk `id` at `at` items (what splitPosition gave); false if it moved on meanwhile. */
  fenceSplit(id: number, at: number): boolean {
    const v = (BigInt(id) << 32n) | BigInt(at);
    return this.split !== null && Atomics.compareExchange(this.split, 0, v, v | SPLIT_FENCE) === v;
  }

  /** Removes the task with this id from the in-flight list (the head, unless a post failed), keeping the order. */
  take(id: number): Rec | undefined {
    const head = this.inflight.peek();
    if (head && head.id === id) return this.inflight.shift();
    const rest: Rec[] = [];
    let found: Rec | undefined;
    for (const r of this.inflight.clear())
      if (r.id === id) found = r;
      else rest.push(r);
    for (const r of rest) this.inflight.push(r);
    return found;
  }

  find(id: number): Rec | undefined {
    for (let i = 0; i < this.inflight.length; i++) if (this.inflight.at(i)!.id === id) return this.inflight.at(i);
    return undefined;
  }

  /** Only tasks that may be pipelined are in flight here. */
  allPipelined(): boolean {
    for (let i = 0; i < this.inflight.length; i++) if (!this.inflight.at(i)!.pipelined) return false;
    return true;
  }
}
