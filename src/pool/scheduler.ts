/**
 * The scheduler: one FIFO queue of task records, a set of workers, and the rules that move records between them.
 *
 * - Tasks with no signal and no timeout are pipelined: a worker holds up to `depth` of them, sized so it has about
 *   PIPELINE_BUDGET_MS of queued work (measured per task), which cuts messages without hurting balance.
 * - A task with a signal or a timeout, and a streaming task, runs alone on its worker, so stopping it (terminating that
 *   worker) touches nothing else.
 * - A worker that dies fails only the task it was running (read from a shared status word; without shared memory, the
 *   oldest unanswered one); tasks queued behind it go back to the front of the queue, unrun.
 * - When the queue is empty and a worker runs dry, it takes back the unstarted tasks of another worker's pipeline
 *   (work stealing, steal.ts), so one long task does not hold the tasks queued behind it.
 */
import { Deque } from './deque.js';
import { reviveShareables } from './shareable.js';
import type { HostMessage, TaskResult, WireTask, WorkerMessage } from './protocol.js';
import { MODE_PROGRESS } from './protocol.js';
import type { SpawnOptions, WorkerTransport } from '../core/platform.js';
import { WorkerSlot as GenericSlot } from './worker-slot.js';
import type { TaskRecord } from './task-record.js';
import type { ResolvedTask } from './task-ref.js';
import { StatsRecorder, type SchedulerStats } from './pool-stats.js';
import { takeBack } from './steal.js';
import type { PoolEvents, PoolEventMap } from './events.js';
import {
  InitializerError, NotSelfContainedError, TimeoutError, WorkerCrashedError, deserializeError,
  type SerializedError,
} from '../core/errors.js';

export type { SchedulerStats } from './pool-stats.js';

const PIPELINE_BUDGET_MS = 2;
const MAX_DEPTH = 64;

type WorkerSlot = GenericSlot<TaskRecord>;
type ExitReason = PoolEventMap['workerexit']['reason'];

export interface SchedulerOptions {
  /** Most workers (maxWorkers). */
  workers: number;
  /** Workers kept when idle; the first ones start at construction unless `lazy`. */
  minWorkers: number;
  /** A worker above minWorkers idle this long (ms) exits; Infinity: never. */
  idleTimeout: number;
  lazy: boolean;
  maxTasksPerWorker: number | undefined;
  /** Bytes of heap after a task above which a worker is replaced. */
  maxMemoryPerWorker: number | undefined;
  initializer: ResolvedTask | undefined;
  initArgs: unknown[];
  taskTimeout: number | undefined;
  spawn: SpawnOptions;
}

export class Scheduler {
  private readonly queue = new Deque<TaskRecord>();
  private readonly slots: WorkerSlot[] = [];
  private dispatchScheduled = false;
  private nextSlot = 0;
  private broken: Error | undefined;
  private idleWaiters: (() => void)[] = [];
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private drainWaiters: (() => void)[] = [];
  /** Records in the queue that were settled there (dropped, aborted): skipped when reached. */
  private settledInQueue = 0;
  /** Something was queued since the last 'drain'. */
  private filling = false;
  private readonly rec = new StatsRecorder();
  private readonly sharedStatus: boolean;

  constructor(
    private readonly opts: SchedulerOptions,
    private readonly transport: WorkerTransport,
    private readonly events: PoolEvents,
  ) {
    this.sharedStatus = transport.sharedMemory !== false;
    if (!opts.lazy) for (let i = 0; i < opts.minWorkers; i++) this.spawn();
  }

  /** Tasks submitted and not yet handed to a worker. */
  get queued(): number {
    return this.queue.length - this.settledInQueue;
  }

  stats(): SchedulerStats {
    return this.rec.snapshot(this.slots, this.queued);
  }

  submit(rec: TaskRecord): void {
    if (this.broken) return rec.settle(this.broken);
    rec.submittedAt = performance.now();
    this.queue.push(rec);
    this.filling = true;
    this.scheduleDispatch();
  }

  /** Stops tasks: drops queued ones, stops the workers running the others. Settles each with `err`. */
  cancel(recs: Iterable<TaskRecord>, err: Error): void {
    const stop = new Set<WorkerSlot>();
    for (const rec of recs) {
      if (rec.done) continue;
      if (rec.slot && rec.slot.state !== 'dead' && rec.slot.state !== 'stopping') stop.add(rec.slot);
      this.finish(rec, err);
    }
    for (const slot of stop) this.stopSlot(slot, true, 'stopped');
    this.scheduleDispatch();
  }

  /** Forgets a task nobody waits for any more: dropped if queued; if already running it finishes, unreported. */
  drop(rec: TaskRecord): void {
    if (rec.done) return;
    if (!rec.slot) {
      rec.done = true;
      this.settledInQueue++;
      this.scheduleDispatch();
      return;
    }
    rec.settle = ignore;
  }

  /** Sends a streaming task's credit or cancel to its worker (nothing if it is not on one: credit goes with it). */
  control(rec: TaskRecord, msg: HostMessage): void {
    const slot = rec.slot;
    if (slot && slot.state !== 'dead' && slot.state !== 'stopping') this.post(slot, msg);
  }

  /** Resolves when nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when every submitted task has been handed to a worker. */
  whenDrained(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Starts the workers (up to minWorkers, at least one) and resolves once each has run the initializer. */
  whenReady(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    let live = this.liveCount();
    while (live < Math.max(1, this.opts.minWorkers)) {
      this.spawn();
      live++;
    }
    if (this.allReady()) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** Replaces every worker: each replacement starts first, the old worker retires once it is ready. */
  recycle(): void {
    for (const slot of [...this.slots]) if (slot.state === 'live') this.replace(slot);
  }

  /** Fails everything pending with `err` and stops every worker. */
  async shutdown(err: Error): Promise<void> {
    for (const rec of this.queue.clear()) this.finish(rec, err);
    this.settledInQueue = 0;
    const stopping = this.slots.splice(0).map((slot) => {
      for (const rec of slot.inflight.clear()) this.finish(rec, err);
      this.gone(slot, 'shutdown', 0);
      return slot.port.terminate();
    });
    for (const w of this.readyWaiters.splice(0)) w.reject(err);
    await Promise.all(stopping);
    this.notifyIdle();
    this.notifyDrained();
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    queueMicrotask(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private liveCount(): number {
    let n = 0;
    for (const s of this.slots) if (s.state === 'live') n++;
    return n;
  }

  private allReady(): boolean {
    return this.slots.every((s) => s.state !== 'live' || s.ready);
  }

  private isIdle(): boolean {
    return this.queued === 0 && this.slots.every((s) => s.inflight.length === 0);
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length && this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  private notifyDrained(): void {
    if (!this.filling || this.queued !== 0) return;
    this.filling = false;
    for (const w of this.drainWaiters.splice(0)) w();
    this.events.emit('drain', {});
  }

  /** How many tasks of this function a worker may hold: about PIPELINE_BUDGET_MS of work, 1 until measured. */
  private depth(task: ResolvedTask): number {
    const t = task.timing;
    if (t.ms < 0 || t.async) return 1;
    return Math.max(1, Math.min(MAX_DEPTH, Math.floor(PIPELINE_BUDGET_MS / Math.max(t.ms, 1e-3))));
  }

  private skipSettled(): void {
    while (this.queue.length && this.queue.peek()!.done) {
      this.queue.shift();
      this.settledInQueue--;
    }
  }

  private dispatch(): void {
    this.skipSettled();
    if (!this.queue.length) {
      this.notifyDrained();
      this.steal();
      return this.notifyIdle();
    }
    let live = 0;
    let busy = 0;
    for (const s of this.slots) if (s.state === 'live') {
      live++;
      if (s.inflight.length) busy++;
    }
    // Workers start as there is work for them, up to `workers`.
    while (live < this.opts.workers && live < busy + this.queue.length) {
      this.spawn();
      live++;
    }
    for (let n = 0; n < this.slots.length && this.queue.length; n++) {
      const slot = this.slots[(this.nextSlot + n) % this.slots.length]!;
      const next = this.queue.peek();
      if (!next || slot.state !== 'live' || slot.inflight.length >= Math.max(1, this.depth(next.task) >> 1)) continue;
      // A worker whose tasks were just taken back is busy with a long one: it gets more once it answers.
      if (slot.resumeAt !== undefined && slot.inflight.length > 0) continue;
      this.fill(slot, Math.max(1, Math.ceil(this.queue.length / live)));
    }
    this.nextSlot = (this.nextSlot + 1) % Math.max(1, this.slots.length);
    this.skipSettled();
    if (!this.queue.length) this.notifyDrained();
  }

  /** A worker ran dry while another holds unstarted tasks: take them back and hand them out again. */
  private steal(): void {
    if (!this.sharedStatus) return;
    const idle = this.slots.some((s) => s.state === 'live' && s.ready && s.inflight.length === 0);
    if (!idle) return;
    let victim: WorkerSlot | undefined;
    for (const s of this.slots) if (s.inflight.length > 1 && (!victim || s.inflight.length > victim.inflight.length)) victim = s;
    if (!victim) return;
    const taken = takeBack(victim);
    if (!taken.length) return;
    this.rec.counters.stolen += taken.length;
    for (let i = taken.length - 1; i >= 0; i--) this.queue.unshift(taken[i]!);
    this.dispatch();
  }

  /** Sends a batch of queued tasks to one worker, in one message. */
  private fill(slot: WorkerSlot, share: number): void {
    const wire: WireTask[] = [];
    let transfer: Transferable[] | undefined;
    const limit = this.opts.maxTasksPerWorker;
    const now = performance.now();
    while (this.queue.length && wire.length < share) {
      const rec = this.queue.peek()!;
      if (rec.done) {
        this.queue.shift();
        this.settledInQueue--;
        continue;
      }
      if (limit !== undefined && slot.sent >= limit) break;
      const busy = slot.inflight.length;
      if (busy > 0 && (!rec.pipelined || busy >= this.depth(rec.task) || !slot.allPipelined())) break;
      this.queue.shift();
      rec.slot = slot;
      rec.sentAt = now;
      rec.seq = ++slot.seq;
      slot.sent++;
      if (busy === 0) {
        slot.port.ref();
        if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer), (slot.idleTimer = undefined);
      }
      slot.inflight.push(rec);
      const first = !slot.known.has(rec.task.key);
      if (first) slot.known.add(rec.task.key);
      wire.push([rec.id, rec.task.key, first ? rec.task.def : 0, rec.onProgress ? rec.mode | MODE_PROGRESS : rec.mode, rec.payload, rec.shared ? 1 : 0]);
      if (rec.transfer) (transfer ??= []).push(...rec.transfer);
      if (this.opts.taskTimeout !== undefined && slot.ready && !rec.stream) this.startTimer(rec);
      if (this.events.taskEvents) this.events.emit('taskstart', { taskId: rec.id, workerId: slot.id, waitMs: now - rec.submittedAt });
      if (!rec.pipelined) break;
    }
    if (!wire.length) return;
    const msg: HostMessage = slot.resumeAt === undefined ? { type: 'run', tasks: wire } : { type: 'run', tasks: wire, resume: slot.resumeAt };
    slot.resumeAt = undefined;
    this.post(slot, msg, transfer);
    // A streaming task runs alone; its first credit follows it (unless the post failed and it is gone).
    const last = slot.inflight.at(slot.inflight.length - 1);
    if (last?.stream) this.post(slot, { type: 'credit', id: last.id, upTo: last.stream.granted() });
  }

  private post(slot: WorkerSlot, msg: HostMessage, transfer?: Transferable[]): void {
    try {
      slot.port.post(msg, transfer);
      slot.wake();
    } catch (e) {
      // The payload could not be cloned: fail those tasks, the worker is fine.
      if (msg.type !== 'run') throw e;
      if (msg.resume !== undefined) slot.resumeAt = msg.resume;
      slot.seq -= msg.tasks.length;
      for (const t of msg.tasks) {
        const rec = this.removeInflight(slot, t[0]);
        if (rec) this.finish(rec, new TypeError(`task arguments cannot be sent to a worker: ${(e as Error).message}`));
        slot.known.delete(t[1]);
      }
    }
  }

  private startTimer(rec: TaskRecord): void {
    const ms = this.opts.taskTimeout!;
    rec.timer = setTimeout(() => this.cancel([rec], new TimeoutError(ms)), ms);
  }

  private spawn(): WorkerSlot {
    const slot = new GenericSlot<TaskRecord>(GenericSlot.statusBuffer(this.sharedStatus));
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
    const memoryLimit = this.opts.maxMemoryPerWorker;
    this.post(slot, {
      type: 'init', status: slot.statusBuffer, initializer: init ? { key: init.key, def: init.def } : null, initArgs: this.opts.initArgs,
      ...(memoryLimit !== undefined ? { memoryLimit } : {}), claims: slot.hasStatus,
    });
    this.events.emit('workercreate', { workerId: slot.id });
    return slot;
  }

  /** Starts a replacement for `slot`; `slot` keeps working until the replacement is ready, then retires. */
  private replace(slot: WorkerSlot): void {
    if (slot.successor || slot.state !== 'live') return;
    this.rec.counters.recycled++;
    slot.successor = this.spawn();
  }

  private retire(slot: WorkerSlot): void {
    if (slot.state !== 'live') return;
    slot.state = 'retiring';
    if (slot.inflight.length === 0) this.stopSlot(slot, false, 'recycle');
    this.scheduleDispatch();
  }

  private onMessage(slot: WorkerSlot, m: WorkerMessage): void {
    if (slot.state === 'dead') return;
    switch (m.type) {
      case 'result':
        return this.onResult(slot, m.r);
      case 'yield': {
        const rec = slot.inflight.peek();
        if (rec && rec.id === m.id && !rec.done) rec.stream?.push(m.values);
        return;
      }
      case 'progress': {
        for (let i = 0; i < slot.inflight.length; i++) {
          const rec = slot.inflight.at(i)!;
          if (rec.id === m.id) {
            if (!rec.done) deliverProgress(rec, m.value);
            return;
          }
        }
        return;
      }
      case 'memory':
        return this.replace(slot);
      case 'ready':
        slot.ready = true;
        if (this.opts.taskTimeout !== undefined) for (let i = 0; i < slot.inflight.length; i++) if (!slot.inflight.at(i)!.stream) this.startTimer(slot.inflight.at(i)!);
        this.events.emit('workerready', { workerId: slot.id });
        for (const old of this.slots) if (old.successor === slot) this.retire(old);
        if (this.readyWaiters.length && this.allReady()) for (const w of this.readyWaiters.splice(0)) w.resolve();
        this.scheduleDispatch();
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

  private onResult(slot: WorkerSlot, r: TaskResult): void {
    const [id, failed, value, async] = r;
    const rec = this.removeInflight(slot, id);
    if (!rec) return;
    const now = performance.now();
    // Back-to-back results from one worker time the task itself; otherwise this includes the round trip.
    const ms = now - Math.max(rec.sentAt, slot.lastResultAt);
    slot.lastResultAt = now;
    const timing = rec.task.timing;
    if (!rec.stream) timing.ms = timing.ms < 0 ? ms : timing.ms * 0.8 + ms * 0.2;
    if (async) timing.async = true;
    const waitMs = rec.sentAt - rec.submittedAt;
    this.rec.task(slot, ms, waitMs);
    if (this.events.taskEvents) this.events.emit('taskend', { taskId: rec.id, workerId: slot.id, ok: !failed, runMs: ms, waitMs });
    if (slot.inflight.length === 0) {
      slot.port.unref();
      this.armIdleTimer(slot);
    }
    if (failed) {
      this.rec.counters.failed++;
      this.finish(rec, remoteError(rec, value as SerializedError));
    } else {
      this.rec.counters.completed++;
      if (r[5]) rec.generated = true;
      const [err, v] = revived(r[4] ? value : undefined, value);
      this.finish(rec, err, v);
    }
    const limit = this.opts.maxTasksPerWorker;
    if (slot.inflight.length === 0 && ((limit !== undefined && slot.sent >= limit) || slot.state === 'retiring')) {
      this.stopSlot(slot, false, slot.state === 'retiring' ? 'recycle' : 'maxTasks');
    }
    const next = this.queue.peek();
    if (slot.state !== 'live' || (next && slot.inflight.length <= this.depth(next.task) >> 1) || (!next && slot.inflight.length === 0)) this.dispatch();
    else this.notifyIdle();
  }

  /** A worker above minWorkers that stays idle for idleTimeout exits. */
  private armIdleTimer(slot: WorkerSlot): void {
    const ms = this.opts.idleTimeout;
    if (ms === Infinity || slot.state !== 'live' || this.liveCount() <= this.opts.minWorkers) return;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      if (slot.state === 'live' && slot.inflight.length === 0 && this.liveCount() > this.opts.minWorkers) this.stopSlot(slot, false, 'idle');
    }, ms);
    (slot.idleTimer as { unref?: () => void }).unref?.();
  }

  private onExit(slot: WorkerSlot, code: number): void {
    const wasLive = slot.state === 'live' || slot.state === 'retiring';
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
    if (slot.state === 'dead') return;
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    if (wasLive) {
      this.rec.counters.respawned++;
      this.events.emit('workercrash', { workerId: slot.id, code, error: slot.failure });
    }
    this.gone(slot, wasLive ? 'crash' : slot.exitReason ?? 'stopped', code);
    if (wasLive && !slot.ready && this.readyWaiters.length) {
      const err = new WorkerCrashedError(code, `a worker exited while starting${slot.failure ? `: ${slot.failure.message}` : ''}`, { cause: slot.failure });
      for (const w of this.readyWaiters.splice(0)) w.reject(err);
    }
    const running = slot.runningId();
    const pending = slot.inflight.clear();
    // Without a status word (no shared memory), the oldest unanswered task is the one that was running.
    const blamed = running === undefined ? pending.find((r) => !r.done)?.id : running;
    for (let i = pending.length - 1; i >= 0; i--) {
      const rec = pending[i]!;
      if (rec.done) continue;
      if (rec.id === blamed) {
        this.rec.counters.failed++;
        this.finish(rec, new WorkerCrashedError(code, slot.failure?.message, { cause: slot.failure }));
      } else this.requeue(rec);
    }
    this.dispatch();
  }

  private gone(slot: WorkerSlot, reason: ExitReason, code: number): void {
    if (slot.state === 'dead') return;
    slot.state = 'dead';
    this.rec.gone(slot);
    this.events.emit('workerexit', { workerId: slot.id, code, reason });
  }

  private requeue(rec: TaskRecord): void {
    this.clearTimer(rec);
    rec.slot = null;
    this.queue.unshift(rec);
  }

  /** Stops a worker; `crashLike` counts it as replaced and sends its other tasks back to the queue. */
  private stopSlot(slot: WorkerSlot, crashLike: boolean, reason: ExitReason): void {
    slot.state = 'stopping';
    slot.exitReason = reason;
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    if (crashLike) {
      this.rec.counters.respawned++;
      for (const rec of slot.inflight.clear()) if (!rec.done) this.requeue(rec);
    }
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
    void slot.port.terminate().finally(() => this.gone(slot, reason, 0));
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
    if (!rec.slot && this.queue.length) this.settledInQueue++;
    rec.done = true;
    this.clearTimer(rec);
    rec.slot = null;
    rec.settle(err, value);
  }
}

function ignore(): void {}

function deliverProgress(rec: TaskRecord, value: unknown): void {
  try {
    rec.onProgress?.(value);
  } catch (e) {
    // The caller's callback failed: report it as an uncaught error, as an event listener's would be.
    queueMicrotask(() => {
      throw e;
    });
  }
}

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
