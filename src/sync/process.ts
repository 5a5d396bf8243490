/**
 * Process: Python's multiprocessing.Process on a worker thread. `start()` hands the target to a warm worker (one
 * kept started and idle, as Python's fork server keeps a process ready), so start + join costs a message round trip,
 * not a worker start (`prewarmProcesses()` readies the first). A worker whose target returned goes back to the warm set for the next Process; one that was
 * terminated, killed or crashed is discarded. Inside the target, `currentProcess()` gives the Process's name and
 * ident.
 *
 * Exit codes follow Python: 0 when the target returned (or its promise resolved), 1 when it threw (the error is
 * `process.error`), the code passed to `process.exit(n)` in the target, -15 after `terminate()`, -9 after `kill()`.
 */
import { WorkerCrashedError } from '../core/errors.js';
import { boolean, intInRange, invalid, optional, optionsObject, string } from '../core/validate.js';
import { platform } from '../core/platform.js';
import { Pool } from '../pool/pool.js';
import { resolveTask, type TaskLike } from '../pool/task-ref.js';
import { threadIdentity } from '../pool/thread-identity.js';
import { deadlineOf, timeLeft } from './wait.js';
import { sharedInt32 } from './shared-memory.js';

export interface ProcessOptions<A extends unknown[]> {
  /** A self-contained function or a `task(url, name)`, as with the Pool. */
  target: TaskLike<A>;
  args?: A;
  /** Default: 'Process-N'. */
  name?: string;
  /**
   * Python's flag, kept for code that sets it. Node stays alive while any Process runs, daemon or not; a daemon's
   * worker is stopped with the host thread either way.
   */
  daemon?: boolean;
}

/** What `currentProcess()` returns. */
export interface ProcessIdentity {
  readonly name: string;
  readonly ident: number;
}

/**
 * A worker kept for Processes, with its box: shared words through which the host names the Process it runs
 * ([0] the worker's ident, written by the worker at start; [1] the name's byte length; the UTF-8 name from byte 8).
 * The name goes through shared memory, not a task, so a Process is one task: a second one would wait on the host
 * for the first one's result, and a host blocked right after start() would never send it.
 */
interface Warm {
  pool: Pool;
  box: Int32Array;
}

const NAME_BYTES = 256;
const BOX = Symbol.for('poolkit.processBox');
const SPARE = 1;
const warm: Warm[] = [];
// biome-ignore lint/suspicious/noExplicitAny: Processes of every argument list (a target's parameters are invariant)
const children = new Set<Process<any>>();
let spawning = 0;
let created = 0;

/** Runs first in each Process worker (a Pool initializer): keeps the box where currentProcess() finds it. */
const adoptBox = (box: Int32Array) => {
  const g = globalThis as unknown as Record<symbol, unknown>;
  g[Symbol.for('poolkit.processBox')] = box;
  Atomics.store(box, 0, (g[Symbol.for('poolkit.thread')] as { self: { ident: number } }).self.ident);
  Atomics.notify(box, 0);
};

export class Process<A extends unknown[] = unknown[]> {
  readonly name: string;
  readonly daemon: boolean;
  /** The exit code once finished (see the module comment); null before. */
  exitCode: number | null = null;
  /** What the target threw, when it did. */
  error: unknown = undefined;
  /** The target's return value, when it returned (poolkit's addition: Python's has none). */
  result: unknown = undefined;
  private readonly target: TaskLike<A>;
  private readonly args: A;
  private worker: Warm | undefined;
  private done: Promise<void> | undefined;
  private stopping: number | undefined;

  constructor(options: ProcessOptions<A>) {
    const opts = optionsObject(options, 'options', ['target', 'args', 'name', 'daemon'], true);
    resolveTask(opts.target as TaskLike<A>, 'options.target');
    if (opts.args !== undefined && !Array.isArray(opts.args)) throw invalid('options.args', 'an array', opts.args);
    this.target = opts.target as TaskLike<A>;
    this.args = (opts.args ?? []) as A;
    this.name = optional(opts.name, 'options.name', (v, path) => string(v, path, true)) ?? `Process-${++created}`;
    this.daemon = optional(opts.daemon, 'options.daemon', boolean) ?? false;
  }

  /** The worker thread's ident (Python's pid); undefined until started. */
  get ident(): number | undefined {
    return (this.worker && Atomics.load(this.worker.box, 0)) || undefined;
  }

  /** Alias of `ident`, Python's name. */
  get pid(): number | undefined {
    return this.ident;
  }

  /** Starts the target in a worker. A Process starts once. */
  start(): void {
    if (this.worker || this.done)
      throw invalid('start()', 'a Process not yet started', this, 'this one was started already');
    const w = takeWarm();
    this.worker = w;
    children.add(this);
    writeName(w.box, this.name);
    this.done = w.pool.apply(this.target, this.args).then(
      (value) => this.finish(0, undefined, value),
      (e: unknown) => this.finish(e instanceof WorkerCrashedError ? e.exitCode || 1 : 1, e, undefined),
    );
    // Keep a spare ready for the next start.
    fillWarm();
  }

  /** Resolves when the target has finished, or after `timeoutMs` (check `isAlive()` / `exitCode` then). */
  async join(timeoutMs?: number): Promise<void> {
    const deadline = deadlineOf(timeoutMs);
    if (!this.done) throw invalid('join()', 'a started Process', this, 'this one was never started');
    if (deadline === Infinity) return this.done;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.done, new Promise<void>((r) => (timer = setTimeout(r, timeLeft(deadline))))]);
    clearTimeout(timer);
  }

  isAlive(): boolean {
    return this.worker !== undefined && this.exitCode === null;
  }

  /** Stops the worker now, whatever it runs (a busy loop too); exit code -15. */
  terminate(): Promise<void> {
    return this.stop(-15);
  }

  /** Like `terminate` (a worker has no gentler stop to skip); exit code -9. */
  kill(): Promise<void> {
    return this.stop(-9);
  }

  private async stop(code: number): Promise<void> {
    if (!this.worker || this.exitCode !== null) return;
    this.stopping = code;
    await this.worker.pool.terminate();
    await this.done;
  }

  private finish(code: number, error: unknown, value: unknown): void {
    children.delete(this);
    const w = this.worker!;
    if (this.stopping !== undefined) {
      this.exitCode = this.stopping;
      return;
    }
    this.exitCode = code;
    this.error = error;
    this.result = value;
    if (code === 0 && warm.length < Math.max(SPARE, cpuCount())) warm.push(w);
    else void w.pool.terminate();
  }
}

function startWarm(): Warm {
  const box = sharedInt32(2 + NAME_BYTES / 4, 'Process');
  return { pool: new Pool({ workers: 1, name: 'Process', initializer: adoptBox, initArgs: [box] }), box };
}

function writeName(box: Int32Array, name: string): void {
  // Encoded apart and copied in: browsers' encodeInto refuses views of a SharedArrayBuffer.
  const scratch = new Uint8Array(NAME_BYTES);
  const n = new TextEncoder().encodeInto(name, scratch).written;
  new Uint8Array(box.buffer, box.byteOffset + 8, NAME_BYTES).set(scratch.subarray(0, n));
  Atomics.store(box, 1, n);
}

function readName(box: Int32Array): string {
  const n = Atomics.load(box, 1);
  // Copied out of shared memory: TextDecoder refuses views of a SharedArrayBuffer.
  return new TextDecoder().decode(new Uint8Array(box.buffer, box.byteOffset + 8, n).slice());
}

function takeWarm(): Warm {
  return warm.pop() ?? startWarm();
}

function fillWarm(): void {
  while (warm.length + spawning < SPARE) {
    spawning++;
    const w = startWarm();
    void w.pool
      .apply(() => 0)
      .then(
        () => {
          spawning--;
          warm.push(w);
        },
        () => spawning--,
      );
  }
}

/**
 * Starts the spare worker ahead of the first `Process.start()`, so that even the first start is fast. Resolves
 * when it is ready.
 */
export async function prewarmProcesses(count = SPARE): Promise<void> {
  intInRange(count, 'count', 0, 1024);
  const ws = Array.from({ length: count }, () => startWarm());
  await Promise.all(ws.map((w) => w.pool.apply(() => 0)));
  warm.push(...ws);
}

/** Stops the warm workers kept for future Processes (running Processes are not touched). */
export async function releaseProcesses(): Promise<void> {
  await Promise.all(warm.splice(0).map((w) => w.pool.terminate()));
}

/** The calling thread as a process: its name ('MainProcess' on the host; the Process's name in a target). */
export function currentProcess(): ProcessIdentity {
  const self = threadIdentity();
  const box = (globalThis as unknown as Record<symbol, Int32Array | undefined>)[BOX];
  return { name: box ? readName(box) : self.name, ident: self.ident };
}

/** Processes started by this thread that have not finished. */
// biome-ignore lint/suspicious/noExplicitAny: as `children`
export function activeChildren(): Process<any>[] {
  return [...children];
}

/** Logical CPUs (os.availableParallelism in Node, navigator.hardwareConcurrency in browsers). */
export function cpuCount(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  try {
    return platform().defaultConcurrency();
  } catch {
    return 1;
  }
}
