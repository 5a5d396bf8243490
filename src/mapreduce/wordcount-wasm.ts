/**
 * The wasm backend of the word count: drives assembly/wordcount.ts over one shared memory.
 *
 * Each thread slot owns a table (state, slot array, key arena) in shared memory; input splits (cut at ASCII
 * separators by the host) are copied into a ring of input buffers and counted by whichever slot is free, as one
 * `wasm.call` per split on the pool's workers. A call that stops early (table full, arena low) is resumed after the
 * host grows that slot's table. At the end, thread tables are merged by hash partition in parallel, and each
 * partition comes back as one blob of '\n'-separated keys and an f64 array of counts.
 */
import type { WasmContext } from '../wasm/context.js';
import { throwIfAborted } from './source.js';
import { cutAtSeparator, type Split } from './splitter.js';
import type { DirectReader } from './file-reader.js';
import { mergeTables, STATE_BYTES, SLOT_BYTES } from './wordcount-merge.js';

/** Runs one kernel export on some worker (or the main thread) and resolves with its return value. */
export type KernelCall = (fn: string, args: number[], signal?: AbortSignal) => Promise<number>;

// Table state field offsets (assembly/lib/wordtable.ts).
const S_MASK = 4;
const S_ATOP = 16;
const S_AEND = 20;
const S_STATUS = 36;
const INITIAL_SLOTS = 1 << 15;
const LOAD = 0.75;

interface Table {
  state: number;
}

interface InputBuffer {
  ptr: number;
  capacity: number;
}

export interface WasmCountOptions {
  /** Target split size in bytes (default 2 MiB). */
  splitBytes?: number;
  /** Key arena chunk per thread (default max(8 MiB, 8 × splitBytes)); small values exercise arena growth. */
  arenaBytes?: number;
  /** Input size when known: sizes the initial tables. */
  sizeHint?: number;
  /** Initial slots per thread table (a power of two; default from sizeHint, else 32768); small values exercise growth. */
  initialSlots?: number;
  /**
   * When calls go to workers: the main thread counts splits itself (into a table of its own) until the first
   * worker call completes, so the time workers take to start is not lost. Default false.
   */
  mainAssist?: boolean;
  signal?: AbortSignal;
}

/** Counts words into per-thread tables; `finish` merges them into one Map. */
export class WasmWordCounter {
  private readonly tables: Table[] = [];
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
  private readonly arenaChunk: number;

  constructor(
    private readonly ctx: WasmContext,
    private readonly call: KernelCall,
    private readonly options: WasmCountOptions = {},
  ) {
    this.splitBytes = options.splitBytes ?? 2 << 20;
    this.arenaChunk = options.arenaBytes ?? Math.max(8 << 20, 8 * this.splitBytes);
    // Big inputs start with big tables (fewer rehashes); small ones keep memory to zero small.
    const hint = options.sizeHint === undefined ? INITIAL_SLOTS : 2 ** Math.min(17, Math.max(12, Math.ceil(Math.log2(options.sizeHint / 1024))));
    const initial = options.initialSlots ?? hint;
    const tables = ctx.threads + (options.mainAssist ? 1 : 0);
    for (let t = 0; t < tables; t++) {
      const state = ctx.reserve(STATE_BYTES, 64, 'word-count tables');
      const slots = ctx.reserve(initial * SLOT_BYTES, 64, 'word-count tables');
      const arena = ctx.reserve(this.arenaChunk, 64, 'word-count keys');
      ctx.exports.initTable(state, slots, initial - 1, Math.floor(initial * LOAD), arena, arena + this.arenaChunk, 0);
      const table = { state };
      this.tables.push(table);
      if (t < ctx.threads) this.freeTables.push(table);
      else this.assistTable = table;
    }
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

  /**
   * Reads a whole file straight into the input buffers, cutting each split after its last ASCII separator and
   * carrying the rest into the next one. Resolves with the bytes read once the last split is queued.
   */
  async addFrom(reader: DirectReader, onBytes?: (bytes: number) => void): Promise<number> {
    let carry: Uint8Array | undefined;
    let bytes = 0;
    for (;;) {
      const keep = carry?.length ?? 0;
      const buf = await this.takeBuffer(Math.max(this.splitBytes, 2 * keep));
      if (carry) this.ctx.u8(buf.ptr, keep).set(carry);
      carry = undefined;
      let len = keep;
      let eof = false;
      const room = buf.capacity - 64;
      while (len < room) {
        const n = await reader.read(this.ctx.u8(buf.ptr + len, room - len));
        if (n === 0) {
          eof = true;
          break;
        }
        len += n;
        bytes += n;
        onBytes?.(bytes);
      }
      if (eof) {
        if (len > 0) this.dispatch(buf, len);
        else this.release(buf);
        return bytes;
      }
      const cut = cutAtSeparator(this.ctx.u8(buf.ptr, len), keep > 0 ? keep - 1 : 0, len);
      if (cut < 0) {
        carry = this.ctx.u8(buf.ptr, len).slice(); // no separator yet: all of it goes on
        this.release(buf);
        continue;
      }
      carry = this.ctx.u8(buf.ptr + cut, len - cut).slice();
      this.dispatch(buf, cut);
    }
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
      setTimeout(() => this.assist(), 0);
    }
  }

  private async run(table: Table, ptr: number, len: number): Promise<void> {
    let done = 0;
    while (done < len) {
      const n = await this.call('count', [table.state, ptr + done, len - done], this.options.signal);
      this.workersUp = true;
      done += n;
      if (done < len) this.grow(table, len - done);
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
      let done = 0;
      while (done < job.len) {
        done += Number(this.ctx.exports.count(table.state, job.buf.ptr + done, job.len - done));
        if (done < job.len) this.grow(table, job.len - done);
      }
    } catch (e) {
      this.failure ??= e;
    }
    this.release(job.buf);
    this.pump();
  }

  /** Called between kernel calls on a slot: gives it a bigger table or a new arena chunk. */
  private grow(table: Table, remaining: number): void {
    const st = this.ctx.u32(table.state, STATE_BYTES / 4);
    const status = st[S_STATUS / 4];
    if (status === 1) {
      const slots = (st[S_MASK / 4]! + 1) * 2;
      const ptr = this.ctx.reserve(slots * SLOT_BYTES, 64, 'word-count tables');
      this.ctx.exports.rehash(table.state, ptr, slots - 1, Math.floor(slots * LOAD));
    } else if (status === 2) {
      const bytes = Math.max(this.arenaChunk, 4 * remaining + 4096);
      const arena = this.ctx.reserve(bytes, 64, 'word-count keys');
      const view = this.ctx.u32(table.state, STATE_BYTES / 4);
      view[S_ATOP / 4] = arena;
      view[S_AEND / 4] = arena + bytes;
    } else throw new Error(`word-count kernel stopped with status ${status}`);
  }

  /** Waits for every queued split, then merges the thread tables; returns the counts and the total word count. */
  async finish(): Promise<{ counts: Map<string, number>; total: number }> {
    while (this.running.size || this.jobs.length || this.assistScheduled) {
      if (this.failure) throw this.failure;
      if (this.running.size) await Promise.race(this.running);
      else await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (this.failure) throw this.failure;
    throwIfAborted(this.options.signal);
    return mergeTables(this.ctx, this.call, this.tables.map((t) => t.state), this.ctx.threads, this.options.signal);
  }
}
