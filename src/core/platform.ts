/**
 * The host-side platform adapter: everything that differs between Node (worker_threads) and browsers
 * (Web Workers) sits behind this interface. `src/index.ts` installs the Node adapter, `src/browser.ts` the
 * browser one; nothing else branches on the platform.
 */
import { PoolkitError } from './errors.js';

/** Callbacks a spawned worker reports to. */
export interface WorkerEvents {
  message(msg: unknown): void;
  /** An error outside any task (uncaught exception, failed module load). The worker is considered dead after it. */
  error(err: Error): void;
  /** The worker is gone; `code` is its exit code (browsers report 1 for a worker that closed itself or failed). */
  exit(code: number): void;
}

/** Per-worker options a Pool can pass through. */
export interface SpawnOptions {
  name?: string;
  /** Node only: V8 heap limits, as worker_threads' `resourceLimits`. */
  resourceLimits?: {
    maxOldGenerationSizeMb?: number;
    maxYoungGenerationSizeMb?: number;
    codeRangeSizeMb?: number;
    stackSizeMb?: number;
  };
}

/** A live worker, as the scheduler sees it. */
export interface WorkerPort {
  post(msg: unknown, transfer?: Transferable[]): void;
  /** Stops the worker at once (running JavaScript is interrupted). Resolves when it is gone. */
  terminate(): Promise<void>;
  /** Lets the process exit while this worker idles (Node); no-op in browsers. */
  unref(): void;
  ref(): void;
}

/**
 * What starts, messages and stops a Pool's workers. The Pool receives one as a value (`PoolOptions.transport`;
 * default: the entry's platform adapter, worker_threads in Node and module Web Workers in browsers).
 */
export interface WorkerTransport {
  spawnWorker(events: WorkerEvents, options: SpawnOptions): WorkerPort;
  /** Default worker count: available parallelism. */
  defaultConcurrency(): number;
  /**
   * False when a SharedArrayBuffer cannot reach the workers (separate processes): the scheduler then runs without
   * status words (a crash fails the oldest unanswered task; no work stealing). Default true.
   */
  readonly sharedMemory?: boolean;
}

export interface HostPlatform extends WorkerTransport {
  readonly name: 'node' | 'browser';
  /** Node only: workers as child processes (`isolation: 'process'`). */
  readonly processTransport?: WorkerTransport;
  /** Reads a file shipped with the package (wasm binaries), located by URL relative to a module. */
  readAsset(url: URL): Promise<Uint8Array>;
  /** True when SharedArrayBuffer and shared WebAssembly.Memory can be used (Node; cross-origin isolated pages). */
  sharedMemoryAvailable(): boolean;
  /** Node only (undefined in browsers): an open file, checked to exist and not be a directory (InvalidArgumentError). */
  openFile?(path: string, options?: { signal?: AbortSignal }): Promise<OpenedFile>;
  /** Resolves after pending I/O and messages had a turn (Node: setImmediate; browsers: a MessageChannel message). */
  macrotask(): Promise<void>;
}

/** A file read at given offsets, synchronously: for loops that claim byte ranges and must not yield mid-range. */
export interface PositionalFile {
  /** Reads up to `target.length` bytes at `position` (fewer only at the end of the file); returns the count. */
  readAt(target: Uint8Array, position: number): number;
  close(): void;
}

/** A file opened for reading: front to back as chunks, or at given offsets. */
export interface OpenedFile extends PositionalFile {
  readonly path: string;
  readonly size: number;
  /** The rest of the file as byte chunks; closes the file at the end. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Reads up to `target.length` bytes at `position` without blocking (fewer only at the end); returns the count. */
  read(target: Uint8Array, position: number): Promise<number>;
  /** Closes the file (idempotent). */
  close(): Promise<void>;
}

let current: HostPlatform | undefined;

/**
 * Installs the platform adapter; called once by the entry module (src/index.ts, src/browser.ts). Public functions
 * read it once, at the call, and pass what they need down as values.
 */
export function setPlatform(platform: HostPlatform): void {
  current = platform;
}

export function platform(): HostPlatform {
  if (!current)
    throw new PoolkitError('no platform adapter installed: import "poolkit", not an internal module', {
      code: 'ERR_NO_PLATFORM',
    });
  return current;
}
