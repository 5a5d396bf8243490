/**
 * A compute context: one compiled kernel module over one WebAssembly.Memory, shared by every worker that runs it.
 *
 * The host owns the memory layout (docs/ARCHITECTURE.md, "Memory contract"): kernels allocate nothing and keep no mutable static data, because
 * each instance rewrites the data segments and has its own allocator globals. `reserve` hands out regions above the
 * module's static data; kernels get offsets. Per-thread work is dispatched as one `wasm.call` built-in task per thread
 * (one message per parallel step): the worker instantiates the module once on this memory and calls an export.
 */
import { platform } from '../core/platform.js';
import { builtin } from '../pool/task-ref.js';
import type { Pool } from '../pool/pool.js';
import { computePool } from '../pool/compute-pool.js';
import { PoolkitError, WasmMemoryError, throwIfAborted } from '../core/errors.js';
import { imports } from './imports.js';

export { imports };

const PAGE = 65536;
/** wasm32 addresses 4 GiB; 65536 pages is the most a shared memory may declare. */
export const MAX_PAGES = 65536;
const INITIAL_PAGES = 16;

/** Runs one kernel export on some worker (or the main thread) and resolves with its return value. */
export type KernelCall = (fn: string, args: number[], signal?: AbortSignal) => Promise<number>;

const WASM_CALL = builtin('wasm.call');

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();
let nextContextId = 1;

/** Compiles (once per process / page) the kernel `dist/kernels/<name>.wasm`. */
export function loadKernelModule(name: string): Promise<WebAssembly.Module> {
  let m = moduleCache.get(name);
  if (!m) {
    // src/wasm/ and dist/browser/ are both one level below the package root, so this URL is right in both builds.
    const url = new URL(`../kernels/${name}.wasm`, import.meta.url);
    m = platform()
      .readAsset(url)
      .then((bytes) => WebAssembly.compile(bytes as unknown as BufferSource));
    moduleCache.set(name, m);
    m.catch(() => moduleCache.delete(name));
  }
  return m;
}

/** What a worker needs to run a kernel export on the context's memory (structured-cloned: Module and shared Memory are shared). */
export interface WasmHandle {
  id: number;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

export interface WasmContextOptions {
  /** Requested thread count; capped to 1 where shared memory is unavailable. Default: available parallelism. */
  threads?: number;
  /** The pool whose workers run the per-thread calls; default: poolkit's shared compute pool. */
  pool?: Pool;
}

export class WasmContext {
  readonly id = nextContextId++;
  /** Threads actually used: 1 without shared memory (a page that is not cross-origin isolated). */
  readonly threads: number;
  readonly shared: boolean;
  /** The main-thread instance: single-threaded runs and small serial steps (reductions, setup). */
  // biome-ignore lint/suspicious/noExplicitAny: each kernel's wrapper gives its exports their types
  readonly exports: Record<string, any>;
  private top: number;
  private readonly base: number;

  private constructor(
    readonly name: string,
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    shared: boolean,
    threads: number,
    private readonly pool: Pool | undefined,
  ) {
    this.shared = shared;
    this.threads = threads;
    this.exports = new WebAssembly.Instance(module, imports(memory)).exports as WasmContext['exports'];
    const heapBase = typeof this.exports.heapBase === 'function' ? Number(this.exports.heapBase()) : 0;
    this.base = this.top = alignUp(Math.max(heapBase, 1024), 64);
  }

  /** Loads kernel `name` into a new context. */
  static async create(name: string, options: WasmContextOptions = {}): Promise<WasmContext> {
    const shared = platform().sharedMemoryAvailable();
    // A module declares its memory shared or not; without shared memory, load the unshared build.
    const module = await loadKernelModule(shared ? name : `${name}.single`);
    const wanted = options.threads ?? options.pool?.size ?? platform().defaultConcurrency();
    const threads = shared ? Math.max(1, Math.floor(wanted)) : 1;
    const memory = new WebAssembly.Memory(
      shared
        ? { initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true }
        : { initial: INITIAL_PAGES, maximum: MAX_PAGES },
    );
    const pool = threads > 1 ? (options.pool ?? computePool(threads)) : undefined;
    return new WasmContext(name, module, memory, shared, threads, pool);
  }

  get handle(): WasmHandle {
    return { id: this.id, module: this.module, memory: this.memory };
  }

  /** Reserves `bytes` (aligned to `align`), growing memory as needed. Throws WasmMemoryError past 4 GiB. */
  reserve(bytes: number, align = 64, what = 'kernel data'): number {
    const at = alignUp(this.top, align);
    const end = at + bytes;
    if (!Number.isFinite(end) || end > MAX_PAGES * PAGE) {
      throw new WasmMemoryError(
        `${what} needs ${fmtBytes(end)} of WebAssembly memory; wasm32 addresses at most 4 GiB`,
        end,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (e) {
        throw new WasmMemoryError(
          `could not grow WebAssembly memory to ${fmtBytes(end)} for ${what}: ${(e as Error).message}`,
          end,
        );
      }
    }
    this.top = end;
    return at;
  }

  /** Current allocation mark, for `release`. */
  mark(): number {
    return this.top;
  }

  /** Frees everything reserved after `mark` (stack discipline). */
  release(mark = this.base): void {
    this.top = mark;
  }

  /** Views over the memory; take a fresh one after any `reserve` (growth replaces the buffer object). */
  f32(ptr: number, len: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, len);
  }
  f64(ptr: number, len: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, len);
  }
  i32(ptr: number, len: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, len);
  }
  u32(ptr: number, len: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, ptr, len);
  }
  u8(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, len);
  }

  /**
   * Runs export `fn(...args)` once: on one of the pool's workers when this context is multithreaded, else on the
   * main-thread instance. Every kernel step goes through here (or `parallel`, which is this once per argument list).
   */
  call: KernelCall = (fn, args, signal) => {
    if (!this.pool) {
      try {
        return Promise.resolve(Number(this.mainExport(fn)(...args)));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this.pool.apply(WASM_CALL, [this.handle, fn, args], { signal }) as Promise<number>;
  };

  /**
   * Runs export `fn` once per argument list, in parallel on the pool's workers (one call per list), or serially on the
   * main-thread instance when this context is single-threaded. Resolves with the exports' return values in order.
   */
  async parallel(fn: string, argLists: number[][], signal?: AbortSignal): Promise<number[]> {
    throwIfAborted(signal);
    if (!this.pool || argLists.length <= 1) {
      const f = this.mainExport(fn);
      return argLists.map((args) => Number(f(...args)));
    }
    return Promise.all(argLists.map((args) => this.call(fn, args, signal)));
  }

  private mainExport(fn: string): (...a: number[]) => number {
    const f = this.exports[fn] as ((...a: number[]) => number) | undefined;
    if (typeof f !== 'function') throw new PoolkitError(`kernel ${this.name} has no export '${fn}'`);
    return f;
  }
}

function alignUp(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

function fmtBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
}
