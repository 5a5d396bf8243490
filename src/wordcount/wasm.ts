/**
 * The wasm backend of the word count for streamed input (text, bytes, Blobs, streams): drives
 * assembly/wordcount.ts over one shared memory. (Files in Node go through wordcount-file.ts: workers read them.)
 *
 * Each thread slot owns a table (state, slot array, key arena) in shared memory; input splits (cut at separators
 * by the host) are copied into a ring of input buffers and counted by whichever slot is free, as one
 * `wasm.call` per split on the pool's workers. A call that stops early (table full, arena low) is resumed after the
 * host grows that slot's table. At the end, thread tables are merged by hash partition in parallel, and each
 * partition comes back as one blob of '\n'-separated keys and an f64 array of counts.
 */
import type { KernelCall, WasmContext } from '../wasm/context.js';
import { platform } from '../core/platform.js';
import { throwIfAborted } from '../bytes/source.js';
import type { Split } from '../bytes/split.js';
import { mergeTables } from './merge.js';
import type { BlobCounts } from './blob-counts.js';
import { WordTables, type TableOptions } from './tables.js';

interface Table {
  state: number;
}

interface InputBuffer {
  ptr: number;
  capacity: number;
}

export interface WasmCountOptions extends Omit<TableOptions, 'splitBytes'> {
  /** Target split size in bytes (default 2 MiB). */
  splitBytes?: number;
  /**
   * When calls go to workers: the main thread counts splits itself (into a table of its own) until the first
   * worker call completes, so the time workers take to start is not lost. Default false.
   */
  mainAssist?: boolean;
  signal?: AbortSignal;
}

/** Counts words into per-thread tables; `finish` merges them into one Map. */
export class WasmWordCounter {
  private readonly freeTables: Table[] = [];
  private readonly freeBuffers: InputBuffer[] = [];
  private readonly jobs: Array<{ buf: InputBuffer; len: number }> = [];
  private readonly bufferWaiters: Array<() => void> = [];
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;
  /** The main thread's own table while workers start (mainAssist), or undefined. */
  private assistTable: Table | undefined;
  private workersUp = false;
  private assistScheduled = false;
  /** Splits the main thread may still count while workers start. */
  private assistLeft = 8;
  private readonly splitBytes: number;
  private readonly store: WordTables;

  constructor(
    private readonly ctx: WasmContext,
    private readonly call: KernelCall,
    private readonly options: WasmCountOptions = {},
  ) {
    this.splitBytes = options.splitBytes ?? 2 << 20;
    this.store = new WordTables(ctx, { ...options, splitBytes: this.splitBytes });
    for (let t = 0; t < ctx.threads; t++) this.freeTables.push({ state: this.store.add() });
    if (options.mainAssist) this.assistTable = { state: this.store.add() };
    for (let b = 0; b < 2 * ctx.threads; b++) {
      const capacity = this.splitBytes + 4096;
      this.freeBuffers.push({ ptr: ctx.reserve(capacity, 64, 'word-count input'), capacity });
    }
  }

  /** Waits for a free input buffer of at least `bytes` (+ slack the kernel may read past the end). */
  private async takeBuffer(bytes: number): Promise<InputBuffer> {
    if (this.failure) throw this.failure;
    throwIfAborted(this.options.signal);
    while (this.freeBuffers.length === 0) {
      await new Promise<void>((resolve) => this.bufferWaiters.push(resolve));
      if (this.failure) throw this.failure;
    }
    let buf = this.freeBuffers.pop()!;
    if (buf.capacity < bytes + 64) {
      // One enormous word: a bigger buffer for this and later splits.
      const capacity = bytes + 4096;
      buf = { ptr: this.ctx.reserve(capacity, 64, 'word-count input'), capacity };
    }
    return buf;
  }

  private dispatch(buf: InputBuffer, len: number): void {
    this.jobs.push({ buf, len });
    this.pump();
  }

  private release(buf: InputBuffer): void {
    this.freeBuffers.push(buf);
    this.bufferWaiters.shift()?.();
  }

  /** Queues one split (bytes that start and end at separators); resolves once it is copied into shared memory. */
  async add(split: Split): Promise<void> {
    const buf = await this.takeBuffer(split.length);
    const view = this.ctx.u8(buf.ptr, split.length);
    let o = 0;
    for (const piece of split.pieces) {
      view.set(piece, o);
      o += piece.length;
    }
    this.dispatch(buf, split.length);
  }

  private pump(): void {
    while (this.freeTables.length && this.jobs.length) {
      const table = this.freeTables.pop()!;
      const job = this.jobs.shift()!;
      const p: Promise<void> = this.run(table, job.buf.ptr, job.len).then(
        () => {
          this.running.delete(p);
          this.freeTables.push(table);
          this.release(job.buf);
          this.pump();
        },
        (e) => {
          this.running.delete(p);
          this.failure ??= e;
          for (const w of this.bufferWaiters.splice(0)) w();
        },
      );
      this.running.add(p);
    }
    if (this.assistTable && !this.workersUp && this.assistLeft > 0 && this.jobs.length && !this.assistScheduled) {
      this.assistScheduled = true;
      void platform()
        .macrotask()
        .then(() => this.assist());
    }
  }

  private async run(table: Table, ptr: number, len: number): Promise<void> {
    let done = 0;
    while (done < len) {
      const n = await this.call('count', [table.state, ptr + done, len - done], this.options.signal);
      this.workersUp = true;
      done += n;
      if (done < len) this.store.grow(table.state, len - done);
    }
  }

  /** While workers start, counts one waiting split on the main thread, then yields to the event loop. */
  private assist(): void {
    this.assistScheduled = false;
    const table = this.assistTable;
    if (!table || this.workersUp || this.failure || !this.jobs.length || this.assistLeft <= 0) return;
    this.assistLeft--;
    const job = this.jobs.shift()!;
    try {
      this.store.countHere(table.state, job.buf.ptr, job.len);
    } catch (e) {
      this.failure ??= e;
    }
    this.release(job.buf);
    this.pump();
  }

  /** Waits for every queued split, then merges the thread tables; returns the counts and the total word count. */
  async finish(): Promise<{ counts: BlobCounts; total: number }> {
    while (this.running.size || this.jobs.length || this.assistScheduled) {
      if (this.failure) throw this.failure;
      if (this.running.size) await Promise.race(this.running);
      else await platform().macrotask();
    }
    if (this.failure) throw this.failure;
    throwIfAborted(this.options.signal);
    return mergeTables(this.ctx, this.call, this.store.states, this.ctx.threads, this.options.signal);
  }
}
