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
 *   (work stealing, steal.ts), so one long task does not hold the tasks queued behind it; failing that, the unstarted
 *   tail of another worker's running map chunk (split.ts), so a big chunk does not hold the end of a map.
 */
import { Deque } from './deque.js';
import { deferDispatch } from './dispatch-flush.js';
import type { HostMessage, TaskResult, WireTask, WorkerMessage } from './protocol.js';
import { MODE_PROGRESS } from './protocol.js';
import type { WorkerTransport } from '../core/platform.js';
import type { TaskRecord } from './task-record.js';
import type { ResolvedTask } from './task-ref.js';
import { StatsRecorder, type SchedulerStats } from './pool-stats.js';
import { stealForIdle } from './steal.js';
import { splitForIdle } from './split.js';
import { WorkerSet, type ExitReason, type WorkerSetOptions, type WorkerSlot } from './workers.js';
import { deliverProgress, remoteError, revived } from './remote-results.js';
import type { PoolEvents } from './events.js';
import {
  DataCloneError,
  InitializerError,
  TimeoutError,
  WorkerCrashedError,
  deserializeError,
  type SerializedError,
} from '../core/errors.js';

export type { SchedulerStats } from './pool-stats.js';

const PIPELINE_BUDGET_MS = 2;
/** How soon an idle worker looks again for a chunk to split, while one is in flight but could not be split yet. */
const SPLIT_RETRY_MS = 1;
const MAX_DEPTH = 64;

export interface SchedulerOptions extends WorkerSetOptions {
  /** Most workers (maxWorkers). */
  workers: number;
  /** Start no worker before there is work (or ready()); else minWorkers start at construction. */
  lazy: boolean;
  maxTasksPerWorker: number | undefined;
  taskTimeout: number | undefined;
}

export class Scheduler {
  private readonly queue = new Deque<TaskRecord>();
  private readonly workers: WorkerSet;
  /** The workers' slots (the WorkerSet's list). */
  private readonly slots: WorkerSlot[];
  private dispatchScheduled = false;
  private splitRetry: ReturnType<typeof setTimeout> | undefined;
  private nextSlot = 0;
  private broken: Error | undefined;
  private idleWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  /** Records in the queue that were settled there (dropped, aborted): skipped when reached. */
  private settledInQueue = 0;
  /** Something was queued since the last 'drain'. */
  private filling = false;
  private readonly rec = new StatsRecorder();

  constructor(
    private readonly opts: SchedulerOptions,
    transport: WorkerTransport,
    private readonly events: PoolEvents,
  ) {
    this.workers = new WorkerSet(opts, transport, events, this.rec, {
      message: (slot, m) => this.onMessage(slot, m),
      exit: (slot, code) => this.onExit(slot, code),
      changed: () => this.scheduleDispatch(),
    });
    this.slots = this.workers.slots;
    if (!opts.lazy) for (let i = 0; i < opts.minWorkers; i++) this.workers.spawn();
  }

  /** A running map chunk can be split for an idle worker (the workers share memory with the host). */
  get canSplit(): boolean {
    return this.workers.canSplit;
  }

  /** Tasks submitted and not yet handed to a worker. */
  get queued(): number {
    return this.queue.length - this.settledInQueue;
  }

  stats(): SchedulerStats {
    return this.rec.snapshot(this.slots, this.queued);
  }

  submit(rec: TaskRecord): void {
    if (this.broken) {
      rec.settle(this.broken);
      return;
    }
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
    if (rec.parts) for (const p of rec.parts) this.drop(p);
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
    return this.workers.whenReady();
  }

  /** Replaces every worker in turn: each replacement starts first, the old worker retires once it is ready. */
  recycle(): void {
    this.workers.replaceAll();
  }

  /** Fails everything pending with `err` and stops every worker. */
  async shutdown(err: Error): Promise<void> {
    for (const rec of this.queue.clear()) this.finish(rec, err);
    this.settledInQueue = 0;
    for (const slot of this.slots) for (const rec of slot.inflight.clear()) this.finish(rec, err);
    this.workers.failReady(err);
    clearTimeout(this.splitRetry);
    await this.workers.stopAll();
    this.notifyIdle();
    this.notifyDrained();
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    deferDispatch(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
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
      this.notifyIdle();
      return;
    }
    let live = 0;
    let busy = 0;
    for (const s of this.slots)
      if (s.state === 'live') {
        live++;
        if (s.inflight.length) busy++;
      }
    // Workers start as there is work for them, up to `workers`.
    while (live < this.opts.workers && live < busy + this.queue.length) {
      this.workers.spawn();
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
    if (!this.workers.sharedStatus) return;
    let taken = stealForIdle(this.slots);
    if (taken.length) {
      this.rec.counters.stolen += taken.length;
      // A retiring worker may have had nothing but unstarted tasks: with those gone it has nothing left to answer.
      for (const s of [...this.slots])
        if (s.state === 'retiring' && s.inflight.length === 0) this.stopSlot(s, false, 'recycle');
    } else {
      const split = splitForIdle(this.slots, (r) => this.drop(r));
      if (split.retry && this.splitRetry === undefined)
        this.splitRetry = setTimeout(() => {
          this.splitRetry = undefined;
          this.scheduleDispatch();
        }, SPLIT_RETRY_MS);
      taken = split.parts;
      if (!taken.length) return;
      this.rec.counters.split++;
    }
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
        if (slot.idleTimer !== undefined) {
          clearTimeout(slot.idleTimer);
          slot.idleTimer = undefined;
        }
      }
      slot.inflight.push(rec);
      const first = !slot.known.has(rec.task.key);
      if (first) slot.known.add(rec.task.key);
      wire.push([
        rec.id,
        rec.task.key,
        first ? rec.task.def : 0,
        rec.onProgress ? rec.mode | MODE_PROGRESS : rec.mode,
        rec.splitAt === undefined ? rec.payload : rec.payload.slice(0, rec.splitAt),
        rec.shared ? 1 : 0,
      ]);
      if (rec.transfer) (transfer ??= []).push(...rec.transfer);
      if (this.opts.taskTimeout !== undefined && slot.ready && !rec.stream) this.startTimer(rec);
      if (this.events.taskEvents)
        this.events.emit('taskstart', { taskId: rec.id, workerId: slot.id, waitMs: now - rec.submittedAt });
      if (!rec.pipelined) break;
    }
    if (!wire.length) return;
    const msg: HostMessage =
      slot.resumeAt === undefined ? { type: 'run', tasks: wire } : { type: 'run', tasks: wire, resume: slot.resumeAt };
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
        const rec = slot.take(t[0]);
        if (rec)
          this.finish(
            rec,
            new DataCloneError(`task arguments cannot be sent to a worker: ${(e as Error).message}`, { cause: e }),
          );
        slot.known.delete(t[1]);
      }
    }
  }

  private startTimer(rec: TaskRecord): void {
    const ms = this.opts.taskTimeout!;
    rec.timer = setTimeout(() => this.cancel([rec], new TimeoutError(ms)), ms);
  }

  private onMessage(slot: WorkerSlot, m: WorkerMessage): void {
    if (slot.state === 'dead') return;
    switch (m.type) {
      case 'result':
        this.onResult(slot, m.r);
        return;
      case 'yield': {
        const rec = slot.inflight.peek();
        if (rec && rec.id === m.id && !rec.done) rec.stream?.push(m.values);
        return;
      }
      case 'progress': {
        const rec = slot.find(m.id);
        if (rec && !rec.done) deliverProgress(rec, m.value);
        return;
      }
      case 'memory':
        this.workers.replace(slot);
        return;
      case 'ready':
        if (this.opts.taskTimeout !== undefined)
          for (let i = 0; i < slot.inflight.length; i++)
            if (!slot.inflight.at(i)!.stream) this.startTimer(slot.inflight.at(i)!);
        this.workers.onReady(slot);
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
    const rec = slot.take(id);
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
    if (this.events.taskEvents)
      this.events.emit('taskend', { taskId: rec.id, workerId: slot.id, ok: !failed, runMs: ms, waitMs });
    if (slot.inflight.length === 0) {
      slot.port.unref();
      this.workers.armIdleTimer(slot);
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
    if (
      slot.state !== 'live' ||
      (next && slot.inflight.length <= this.depth(next.task) >> 1) ||
      (!next && slot.inflight.length === 0)
    )
      this.dispatch();
    else this.notifyIdle();
  }

  private onExit(slot: WorkerSlot, code: number): void {
    const { wasLive } = this.workers.exited(slot, code);
    if (!wasLive) return;
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

  private requeue(rec: TaskRecord): void {
    this.clearTimer(rec);
    rec.slot = null;
    this.queue.unshift(rec);
  }

  /** Stops a worker; `crashLike` counts it as replaced and sends its other tasks back to the queue. */
  private stopSlot(slot: WorkerSlot, crashLike: boolean, reason: ExitReason): void {
    if (crashLike) {
      this.rec.counters.respawned++;
      for (const rec of slot.inflight.clear()) if (!rec.done) this.requeue(rec);
    }
    this.workers.stop(slot, reason);
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
