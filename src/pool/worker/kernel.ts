/**
 * Built-in kernel steps: functions bundled into the worker and called by name (`builtin(name)` on the host), so they
 * need no module URL. The worker entry passes its table of them (src/worker/kernels.ts) into the runtime; each step
 * gets the worker's context as its first argument.
 */
import type { PositionalFile } from '../../core/platform.js';
import type { FnDef } from '../task-ref.js';

/** A user function as the host sends it inside a kernel's arguments: its wire key (for caching) and definition. */
export interface FnSpec {
  key: number;
  def: FnDef;
}

export type TaskFn = (...args: unknown[]) => unknown;

/** What a kernel step can reach in its worker. */
export interface KernelContext {
  /** The worker's one cache of compiled task functions (the same one plain tasks use). */
  resolveTask(spec: FnSpec): TaskFn | Promise<TaskFn>;
  /** Opens a file for positional reads; throws where workers have no files (browsers). */
  openFile(path: string): PositionalFile;
}

// biome-ignore lint/suspicious/noExplicitAny: each kernel types the arguments its step sends; the wire does not
export type Kernel = (ctx: KernelContext, ...args: any[]) => unknown;

/** Kernel steps by name, as the worker entry lists them. */
export type KernelTable = Readonly<Record<string, Kernel>>;

/** What the platform gives a worker beyond messaging. */
export interface WorkerEnvironment {
  openFile?(path: string): PositionalFile;
  /**
   * True when the runtime has a thread of its own (the worker entries): it then takes the identity the host sends.
   * A runtime sharing a thread (an in-process transport) leaves that thread's identity alone.
   */
  ownThread?: boolean;
  /** Bytes of JavaScript heap in use (for maxMemoryPerWorker); absent where the platform cannot tell. */
  heapUsed?(): number;
}
