/**
 * The scheduler: one FIFO queue of task records, a set of workers, and the rules that move records between them.
 *
 * - Tasks with no signal and no timeout are pipelined: a worker holds up to `depth` of them, sized so it has about
 *   PIPELINE_BUDGET_MS of queued work (measured per task), which cuts messages without hurting balance.
 * - A task with a signal or a timeout runs alone on its worker, so stopping it (terminating that worker) touches
 *   nothing else.
 * - A worker that dies fails only the task it was running (read from a shared status word); tasks queued behind it
 *   go back to the front of the queue, unrun.
 */
import { Deque } from './deque.js';
import { deferDispatch } from './dispatch-flush.js';
import { identCounter, nextIdent } from './thread-identity.js';
import { reviveShareables } from './shareable.js';
import type { HostMessage, WireTask, WorkerMessage } from './protocol.js';
import type { SpawnOptions, WorkerTransport } from '../core/platform.js';
import { WorkerSlot as GenericSlot } from './worker-slot.js';
import type { TaskRecord } from './task-record.js';
import type { ResolvedTask } from './task-ref.js';
import {
  DataCloneError, InitializerError, NotSelfContainedError, TimeoutError, WorkerCrashedError, deserializeError,
  type SerializedError,
} from '../core/errors.js';

const PIPELINE_BUDGET_MS = 2;
const MAX_DEPTH = 64;

type WorkerSlot = GenericSlot<TaskRecord>;

export interface SchedulerOptions {
  workers: number;
  maxTasksPerWorker: number | undefined;
  initializer: ResolvedTask | undefined;
  initArgs: unknown[];
  taskTimeout: number | undefined;
  spawn: SpawnOptions;
}

export interface SchedulerStats {
  workers: number;
  busy: number;
  queued: number;
  completed: number;
  failed: number;
  respawned: number;
}

export class Scheduler {
  private readonly queue = new Deque<TaskRecord>();
  private readonly slots: WorkerSlot[] = [];
  private dispatchScheduled = false;
  private nextSlot = 0;
  private broken: Error | undefined;
  private idleWaiters: (() => void)[] = [];
  private counters = { completed: 0, failed: 0, respawned: 0 };

  constructor(
    private readonly opts: SchedulerOptions,
    private readonly transport: WorkerTransport,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  stats(): SchedulerStats {
    const live = this.slots.filter((s) => s.state === 'live');
    return { workers: live.length, busy: live.filter((s) => s.inflight.length > 0).length, queued: this.countQueued(), ...this.counters };
  }

  submit(rec: TaskRecord): void {
    if (this.broken) return rec.settle(this.broken);
    this.queue.push(rec);
    this.scheduleDispatch();
  }

  /** Stops tasks: drops queued ones, stops the workers running the others. Settles each with `err`. */
  cancel(recs: Iterable<TaskRecord>, err: Error): void {
    const stop = new Set<WorkerSlot>();
    for (const rec of recs) {
      if (rec.done) continue;
      if (rec.slot && rec.slot.state === 'live') stop.add(rec.slot);
      this.finish(rec, err);
    }
    for (const slot of stop) this.stopSlot(slot, true);
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    deferDispatch(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  /** Forgets a task nobody waits for any more: dropped if queued; if already running it finishes, unreported. */
  drop(rec: TaskRecord): void {
    if (rec.done) return;
    if (!rec.slot) {
      rec.done = true;
      return;
    }
    rec.settle = ignore;
  }

  /** Resolves when nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Fails everything pending with `err` and stops every worker. */
  async shutdown(err: Error): Promise<void> {
    for (const rec of this.queue.clear()) this.finish(rec, err);
    const stopping = this.slots.splice(0).map((slot) => {
      for (const rec of slot.inflight.clear()) this.finish(rec, err);
      slot.state = 'dead';
      return slot.port.terminate();
    });
    await Promise.all(stopping);
    this.notifyIdle();
  }

  private countQueued(): number {
    let n = 0;
    for (let i = 0; i < this.queue.length; i++) if (!this.queue.at(i)!.done) n++;
    return n;
  }

  private isIdle(): boolean {
    return this.countQueued() === 0 && this.slots.every((s) => s.inflight.length === 0);
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length && this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** How many tasks of this function a worker may hold: about PIPELINE_BUDGET_MS of work, 1 until measured. */
  private depth(task: ResolvedTask): number {
    const t = task.timing;
    if (t.ms < 0 || t.async) return 1;
    return Math.max(1, Math.min(MAX_DEPTH, Math.floor(PIPELINE_BUDGET_MS / Math.max(t.ms, 1e-3))));
  }

  private dispatch(): void {
    while (this.queue.length && this.queue.peek()!.done) this.queue.shift();
    if (!this.queue.length) return this.notifyIdle();
    let live = 0;
    let busy = 0;
    for (const s of this.slots) if (s.state === 'live') {
      live++;
      if (s.inflight.length) busy++;
    }
    // Workers start lazily: as many as there is work for, up to `workers`.
    while (live < this.opts.workers && live < busy + this.queue.length) {
      this.spawn();
      live++;
    }
    for (let n = 0; n < this.slots.length && this.queue.length; n++) {
      const slot = this.slots[(this.nextSlot + n) % this.slots.length]!;
      const next = this.queue.peek();
      if (!next || slot.state !== 'live' || slot.inflight.length >= Math.max(1, this.depth(next.task) >> 1)) continue;
      this.fill(slot, Math.max(1, Math.ceil(this.queue.length / live)));
    }
    this.nextSlot = (this.nextSlot + 1) % Math.max(1, this.slots.length);
  }

  /** Sends a batch of queued tasks to one worker, in one message. */
  private fill(slot: WorkerSlot, share: number): void {
    const wire: WireTask[] = [];
    let transfer: Transferable[] | undefined;
    const limit = this.opts.maxTasksPerWorker;
    while (this.queue.length && wire.length < share) {
      const rec = this.queue.peek()!;
      if (rec.done) {
        this.queue.shift();
        continue;
      }
      if (limit !== undefined && slot.sent >= limit) break;
      const busy = slot.inflight.length;
      if (busy > 0 && (!rec.pipelined || busy >= this.depth(rec.task) || !slot.allPipelined())) break;
      this.queue.shift();
      rec.slot = slot;
      rec.sentAt = performance.now();
      slot.sent++;
      if (busy === 0) slot.port.ref();
      slot.inflight.push(rec);
      const first = !slot.known.has(rec.task.key);
      if (first) slot.known.add(rec.task.key);
      wire.push([rec.id, rec.task.key, first ? rec.task.def : 0, rec.mode, rec.payload, rec.shared ? 1 : 0]);
      if (rec.transfer) (transfer ??= []).push(...rec.transfer);
      if (this.opts.taskTimeout !== undefined && slot.ready) this.startTimer(rec);
      if (!rec.pipelined) break;
    }
    if (wire.length) this.post(slot, { type: 'run', tasks: wire }, transfer);
  }

  private post(slot: WorkerSlot, msg: HostMessage, transfer?: Transferable[]): void {
    try {
      slot.port.post(msg, transfer);
      slot.wake();
    } catch (e) {
      // The payload could not be cloned: fail those tasks, the worker is fine.
      if (msg.type !== 'run') throw e;
      for (const t of msg.tasks) {
        const rec = this.removeInflight(slot, t[0]);
        if (rec) this.finish(rec, new DataCloneError(`task arguments cannot be sent to a worker: ${(e as Error).message}`, { cause: e }));
        slot.known.delete(t[1]);
      }
    }
  }

  private startTimer(rec: TaskRecord): void {
    const ms = this.opts.taskTimeout!;
    rec.timer = setTimeout(() => this.cancel([rec], new TimeoutError(ms)), ms);
  }

  private spawn(): void {
    const slot = new GenericSlot<TaskRecord>(GenericSlot.statusBuffer());
    this.slots.push(slot);
    slot.port = this.transport.spawnWorker(
      {
        message: (m) => this.onMessage(slot, m as WorkerMessage),
        error: (e) => {
          slot.failure = e;
        },
        exit: (code) => this.onExit(slot, code),
      },
      this.opts.spawn,
    );
    const init = this.opts.initializer;
    if (init) slot.known.add(init.key);
    const ident = nextIdent();
    const thread = { ident, name: `${this.opts.spawn.name ?? 'PoolWorker'}-${ident}`, counter: identCounter() };
    this.post(slot, { type: 'init', status: slot.statusBuffer, initializer: init ? { key: init.key, def: init.def } : null, initArgs: this.opts.initArgs, thread });
  }

  private onMessage(slot: WorkerSlot, m: WorkerMessage): void {
    if (slot.state === 'dead') return;
    switch (m.type) {
      case 'result': {
        const [id, failed, value, async] = m.r;
        const rec = this.removeInflight(slot, id);
        if (!rec) return;
        const now = performance.now();
        // Back-to-back results from one worker time the task itself; otherwise this includes the round trip.
        const ms = now - Math.max(rec.sentAt, slot.lastResultAt);
        slot.lastResultAt = now;
        const timing = rec.task.timing;
        timing.ms = timing.ms < 0 ? ms : timing.ms * 0.8 + ms * 0.2;
        if (async) timing.async = true;
        if (slot.inflight.length === 0) slot.port.unref();
        if (failed) {
          this.counters.failed++;
          this.finish(rec, remoteError(rec, value as SerializedError));
        } else {
          this.counters.completed++;
          const [err, v] = revived(m.r[4] ? value : undefined, value);
          this.finish(rec, err, v);
        }
        const limit = this.opts.maxTasksPerWorker;
        if (limit !== undefined && slot.sent >= limit && slot.inflight.length === 0) this.stopSlot(slot, false);
        const next = this.queue.peek();
        if (slot.state !== 'live' || (next && slot.inflight.length <= this.depth(next.task) >> 1)) this.dispatch();
        else this.notifyIdle();
        return;
      }
      case 'ready':
        slot.ready = true;
        if (this.opts.taskTimeout !== undefined) for (let i = 0; i < slot.inflight.length; i++) this.startTimer(slot.inflight.at(i)!);
        return;
      case 'init-error': {
        const cause = deserializeError(m.error);
        this.broken = new InitializerError(`the pool's initializer failed in a worker: ${cause.message}`, { cause });
        void this.shutdown(this.broken);
        return;
      }
      case 'closing':
        return;
    }
  }

  private onExit(slot: WorkerSlot, code: number): void {
    const wasLive = slot.state === 'live';
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
    if (slot.state === 'dead') return;
    slot.state = 'dead';
    if (wasLive) this.counters.respawned++;
    const running = slot.runningId();
    const pending = slot.inflight.clear();
    // Without a status word (a page without shared memory), the oldest unanswered task is the one that was running.
    const blamed = running === undefined ? pending.find((r) => !r.done)?.id : running;
    for (let i = pending.length - 1; i >= 0; i--) {
      const rec = pending[i]!;
      if (rec.done) continue;
      if (rec.id === blamed) {
        this.counters.failed++;
        this.finish(rec, new WorkerCrashedError(code, slot.failure?.message, { cause: slot.failure }));
      } else {
        this.clearTimer(rec);
        rec.slot = null;
        this.queue.unshift(rec);
      }
    }
    this.dispatch();
  }

  /** Stops a worker; `crashLike` counts it as replaced and sends its other tasks back to the queue. */
  private stopSlot(slot: WorkerSlot, crashLike: boolean): void {
    slot.state = 'stopping';
    if (crashLike) {
      this.counters.respawned++;
      for (const rec of slot.inflight.clear()) {
        if (rec.done) continue;
        this.clearTimer(rec);
        rec.slot = null;
        this.queue.unshift(rec);
      }
    }
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
    void slot.port.terminate().finally(() => {
      slot.state = 'dead';
    });
    this.scheduleDispatch();
  }

  private removeInflight(slot: WorkerSlot, id: number): TaskRecord | undefined {
    const head = slot.inflight.peek();
    if (head && head.id === id) return slot.inflight.shift();
    // Out of order only after a failed post; keep the rest in order.
    const rest: TaskRecord[] = [];
    let found: TaskRecord | undefined;
    for (const r of slot.inflight.clear()) if (r.id === id) found = r; else rest.push(r);
    for (const r of rest) slot.inflight.push(r);
    return found;
  }

  private clearTimer(rec: TaskRecord): void {
    if (rec.timer !== undefined) {
      clearTimeout(rec.timer);
      rec.timer = undefined;
    }
  }

  private finish(rec: TaskRecord, err: Error | null, value?: unknown): void {
    if (rec.done) return;
    rec.done = true;
    this.clearTimer(rec);
    rec.slot = null;
    rec.settle(err, value);
  }
}

function ignore(): void {}

/** A result's value with its shareable envelopes revived (when `encoded` is given), or the failure to revive it. */
function revived(encoded: unknown, value: unknown): [Error | null, unknown] {
  if (encoded === undefined) return [null, value];
  try {
    return [null, reviveShareables(encoded)];
  } catch (e) {
    return [e as Error, undefined];
  }
}

function remoteError(rec: TaskRecord, s: SerializedError): Error {
  const err = deserializeError(s);
  if (rec.task.isSource && s.name === 'ReferenceError') {
    const e = new NotSelfContainedError(
      `task functions must be self-contained: ${s.message} in the worker. A function sent to a worker cannot use variables ` +
        `from its enclosing scope (closures, imports); pass values as arguments, or use task(url, name) for module code`,
      { cause: err },
    );
    if (s.stack) e.stack = `${e.name}: ${e.message}\n${s.stack.split('\n').slice(1).join('\n')}`;
    return e;
  }
  return err;
}

