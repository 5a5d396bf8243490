/**
 * The pool's set of workers and their lives: start (with the initializer), readiness, replacement (the new worker
 * starts first; the old one retires when it is ready and idle), idle exit above minWorkers, and stopping. What runs on
 * them is the scheduler's business; it hears each worker's messages and exit through `WorkerHooks`.
 */
import { WorkerSlot as GenericSlot } from './worker-slot.js';
import { identCounter, nextIdent } from './thread-identity.js';
import type { TaskRecord } from './task-record.js';
import type { StatsRecorder } from './pool-stats.js';
import type { PoolEvents, PoolEventMap } from './events.js';
import type { WorkerMessage } from './protocol.js';
import type { ResolvedTask } from './task-ref.js';
import type { SpawnOptions, WorkerTransport } from '../core/platform.js';
import { WorkerCrashedError } from '../core/errors.js';

export type WorkerSlot = GenericSlot<TaskRecord>;
export type ExitReason = PoolEventMap['workerexit']['reason'];

export interface WorkerSetOptions {
  minWorkers: number;
  /** A worker above minWorkers idle this long (ms) exits; Infinity: never. */
  idleTimeout: number;
  initializer: ResolvedTask | undefined;
  initArgs: unknown[];
  /** Bytes of heap after a task above which a worker asks to be replaced. */
  maxMemoryPerWorker: number | undefined;
  spawn: SpawnOptions;
}

export interface WorkerHooks {
  message(slot: WorkerSlot, m: WorkerMessage): void;
  exit(slot: WorkerSlot, code: number): void;
  /** A worker became ready, or one was stopped: there may be work to hand out. */
  changed(): void;
}

export class WorkerSet {
  readonly slots: WorkerSlot[] = [];
  /** SharedArrayBuffers reach these workers (status words, work stealing). */
  readonly sharedStatus: boolean;
  /** Workers get status words, so running map chunks can be split (split.ts). */
  readonly canSplit: boolean;
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** Workers replaceAll() has yet to replace, in turn. */
  private readonly toReplace: WorkerSlot[] = [];

  constructor(
    private readonly opts: WorkerSetOptions,
    private readonly transport: WorkerTransport,
    private readonly events: PoolEvents,
    private readonly stats: StatsRecorder,
    private readonly hooks: WorkerHooks,
  ) {
    this.sharedStatus = transport.sharedMemory !== false;
    this.canSplit = this.sharedStatus && GenericSlot.sharedMemory();
  }

  liveCount(): number {
    let n = 0;
    for (const s of this.slots) if (s.state === 'live') n++;
    return n;
  }

  spawn(): WorkerSlot {
    const slot = new GenericSlot<TaskRecord>(GenericSlot.statusBuffer(this.sharedStatus));
    this.slots.push(slot);
    slot.port = this.transport.spawnWorker(
      {
        message: (m) => this.hooks.message(slot, m as WorkerMessage),
        error: (e) => {
          slot.failure = e;
        },
        exit: (code) => this.hooks.exit(slot, code),
      },
      this.opts.spawn,
    );
    const init = this.opts.initializer;
    if (init) slot.known.add(init.key);
    const memoryLimit = this.opts.maxMemoryPerWorker;
    const ident = nextIdent();
    // A child process shares no memory: it gets its ident, not the counter (SharedArrayBuffers do not cross IPC).
    const counter = this.sharedStatus ? identCounter() : null;
    const thread = { ident, name: `${this.opts.spawn.name ?? 'PoolWorker'}-${ident}`, counter };
    slot.port.post({
      type: 'init',
      status: slot.statusBuffer,
      initializer: init ? { key: init.key, def: init.def } : null,
      initArgs: this.opts.initArgs,
      ...(memoryLimit !== undefined ? { memoryLimit } : {}),
      claims: slot.hasStatus,
      thread,
    });
    this.events.emit('workercreate', { workerId: slot.id });
    return slot;
  }

  /** Starts workers up to minWorkers (at least one) and resolves once every live one has run the initializer. */
  whenReady(): Promise<void> {
    let live = this.liveCount();
    while (live < Math.max(1, this.opts.minWorkers)) {
      this.spawn();
      live++;
    }
    if (this.allReady()) return Promise.resolve();
    // Idle workers do not keep a Node process alive; one that is starting must, while someone waits for it.
    for (const s of this.slots) if (s.state === 'live' && !s.ready) s.port.ref();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** The worker's initializer ran: it takes tasks, and a worker it replaces retires. */
  onReady(slot: WorkerSlot): void {
    slot.ready = true;
    if (slot.inflight.length === 0) slot.port.unref();
    this.events.emit('workerready', { workerId: slot.id });
    let replaced = false;
    for (const old of this.slots)
      if (old.successor === slot) {
        this.retire(old);
        replaced = true;
      }
    if (replaced) this.replaceNext();
    if (this.readyWaiters.length && this.allReady()) for (const w of this.readyWaiters.splice(0)) w.resolve();
  }

  /** Fails ready() waiters: the pool cannot start (initializer failed, or pool shut down). */
  failReady(err: Error): void {
    for (const w of this.readyWaiters.splice(0)) w.reject(err);
  }

  /** Starts a replacement for `slot`; `slot` keeps working until the replacement is ready, then retires. */
  replace(slot: WorkerSlot): void {
    if (slot.successor || slot.state !== 'live') return;
    this.stats.counters.recycled++;
    slot.successor = this.spawn();
  }

  /**
   * Replaces every live worker, one at a time: the next replacement starts once the previous one is ready, so at most
   * one worker is starting (its start-up takes a core from the working ones) and throughput dips the least.
   */
  replaceAll(): void {
    for (const s of this.slots)
      if (s.state === 'live' && !s.successor && !this.toReplace.includes(s)) this.toReplace.push(s);
    if (!this.slots.some((s) => s.successor && s.successor.state === 'live' && !s.successor.ready)) this.replaceNext();
  }

  private replaceNext(): void {
    while (this.toReplace.length) {
      const s = this.toReplace.shift()!;
      if (s.state === 'live' && !s.successor) {
        this.replace(s);
        return;
      }
    }
  }

  /** A worker above minWorkers that stays idle for idleTimeout exits. */
  armIdleTimer(slot: WorkerSlot): void {
    const ms = this.opts.idleTimeout;
    if (ms === Infinity || slot.state !== 'live' || this.liveCount() <= this.opts.minWorkers) return;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      if (slot.state === 'live' && slot.inflight.length === 0 && this.liveCount() > this.opts.minWorkers)
        this.stop(slot, 'idle');
    }, ms);
    (slot.idleTimer as { unref?: () => void }).unref?.();
  }

  /** The worker exited by itself; `wasLive`: it was working (a crash), not being stopped. */
  exited(slot: WorkerSlot, code: number): { wasLive: boolean } {
    const wasLive = slot.state === 'live' || slot.state === 'retiring';
    this.remove(slot);
    if (slot.state === 'dead') return { wasLive: false };
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    // A replacement that died starting: its predecessor keeps working, and the next in turn is replaced.
    for (const old of this.slots)
      if (old.successor === slot && !slot.ready) {
        old.successor = undefined;
        this.replaceNext();
      }
    if (wasLive) {
      this.stats.counters.respawned++;
      this.events.emit('workercrash', { workerId: slot.id, code, error: slot.failure });
    }
    this.gone(slot, wasLive ? 'crash' : (slot.exitReason ?? 'stopped'), code);
    if (wasLive && !slot.ready && this.readyWaiters.length) {
      this.failReady(
        new WorkerCrashedError(
          code,
          `a worker exited while starting${slot.failure ? `: ${slot.failure.message}` : ''}`,
          { cause: slot.failure },
        ),
      );
    }
    return { wasLive };
  }

  /** Stops a worker (its tasks are the caller's to re-queue or fail first). */
  stop(slot: WorkerSlot, reason: ExitReason): void {
    slot.state = 'stopping';
    slot.exitReason = reason;
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    this.remove(slot);
    void slot.port.terminate().finally(() => this.gone(slot, reason, 0));
    this.hooks.changed();
  }

  /** Stops every worker; resolves when all are gone. */
  async stopAll(): Promise<void> {
    const stopping = this.slots.splice(0).map((slot) => {
      this.gone(slot, 'shutdown', 0);
      return slot.port.terminate();
    });
    await Promise.all(stopping);
  }

  private retire(slot: WorkerSlot): void {
    if (slot.state !== 'live') return;
    slot.state = 'retiring';
    if (slot.inflight.length === 0) this.stop(slot, 'recycle');
    this.hooks.changed();
  }

  private allReady(): boolean {
    return this.slots.every((s) => s.state !== 'live' || s.ready);
  }

  private remove(slot: WorkerSlot): void {
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
  }

  private gone(slot: WorkerSlot, reason: ExitReason, code: number): void {
    if (slot.state === 'dead') return;
    slot.state = 'dead';
    this.stats.gone(slot);
    this.events.emit('workerexit', { workerId: slot.id, code, reason });
  }
}
