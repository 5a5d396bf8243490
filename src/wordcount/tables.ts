/**
 * The wasm word count's per-thread tables: each is a table state, an open-addressing slot array and a key arena in
 * the context's shared memory (layouts WordTableState and WordSlot, generated from scripts/layouts.mjs). A kernel call that stops early (table full,
 * arena low) is resumed after `grow` gives that table more room.
 */
import type { WasmContext } from '../wasm/context.js';
import { KernelError } from '../core/errors.js';
import { WordSlot, WordTableState } from './generated/layouts.js';

const DEFAULT_SLOTS = 1 << 15;
const LOAD = 0.75;

export interface TableOptions {
  /** Input size when known: sizes the initial tables. */
  sizeHint?: number;
  /** Initial slots per table (a power of two; default from sizeHint, else 32768); small values exercise growth. */
  initialSlots?: number;
  /** Key arena chunk per table (default max(8 MiB, 8 × splitBytes)); small values exercise arena growth. */
  arenaBytes?: number;
  /** Target split size in bytes. */
  splitBytes: number;
}

/** The tables of one word count; `states` lists them for the merge. */
export class WordTables {
  readonly states: number[] = [];
  private readonly initialSlots: number;
  private readonly arenaChunk: number;

  constructor(
    private readonly ctx: WasmContext,
    options: TableOptions,
  ) {
    this.arenaChunk = options.arenaBytes ?? Math.max(8 << 20, 8 * options.splitBytes);
    // Big inputs start with big tables (fewer rehashes); small ones keep memory to zero small.
    const hint =
      options.sizeHint === undefined
        ? DEFAULT_SLOTS
        : 2 ** Math.min(17, Math.max(12, Math.ceil(Math.log2(options.sizeHint / 1024))));
    this.initialSlots = options.initialSlots ?? hint;
  }

  /** A new empty table; returns its state address. */
  add(): number {
    const { ctx } = this;
    const slots = this.initialSlots;
    const state = ctx.reserve(WordTableState.bytes, 64, 'word-count tables');
    const slotArray = ctx.reserve(slots * WordSlot.bytes, 64, 'word-count tables');
    const arena = ctx.reserve(this.arenaChunk, 64, 'word-count keys');
    ctx.exports.initTable(state, slotArray, slots - 1, Math.floor(slots * LOAD), arena, arena + this.arenaChunk, 0);
    this.states.push(state);
    return state;
  }

  /** After a kernel call on `state` stopped early with `remaining` input bytes: a bigger table or a new arena chunk. */
  grow(state: number, remaining: number): void {
    const st = this.ctx.u32(state, WordTableState.bytes / 4);
    const status = st[WordTableState.index.status];
    if (status === 1) {
      const slots = (st[WordTableState.index.mask]! + 1) * 2;
      const ptr = this.ctx.reserve(slots * WordSlot.bytes, 64, 'word-count tables');
      this.ctx.exports.rehash(state, ptr, slots - 1, Math.floor(slots * LOAD));
    } else if (status === 2) {
      const bytes = Math.max(this.arenaChunk, 4 * remaining + 4096);
      const arena = this.ctx.reserve(bytes, 64, 'word-count keys');
      const view = this.ctx.u32(state, WordTableState.bytes / 4);
      view[WordTableState.index.atop] = arena;
      view[WordTableState.index.aend] = arena + bytes;
    } else throw new KernelError(`word-count kernel stopped with status ${status}`);
  }

  /** Counts `len` bytes at `ptr` into `state` on the calling thread, growing the table as needed. */
  countHere(state: number, ptr: number, len: number): void {
    let done = 0;
    while (done < len) {
      done += Number(this.ctx.exports.count(state, ptr + done, len - done));
      if (done < len) this.grow(state, len - done);
    }
  }
}
