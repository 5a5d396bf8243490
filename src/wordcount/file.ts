/**
 * The wasm word count of a file (Node) on `threads` threads: the calling thread and threads - 1 workers each claim
 * splits and read them themselves (wordcount-splits.ts), one message per worker. The calling thread counts one split
 * per event-loop turn, so it stays responsive (a 2 MiB split takes a few milliseconds) and starts counting at once,
 * while workers start: one worker fewer to start than threads, and no thread idle. Between its splits it also grows
 * a worker's table, counts the rare split that ends beyond a worker's read-ahead, and stops everyone on abort or
 * failure. Then the tables are merged by partition, the calling thread merging one of them.
 */
import { throwIfAborted } from '../core/errors.js';
import { platform, type OpenedFile } from '../core/platform.js';
import type { Pool } from '../pool/pool.js';
import { builtin } from '../pool/task-ref.js';
import type { KernelCall, WasmContext } from '../wasm/context.js';
import { mergeTables } from './merge.js';
import type { BlobCounts } from './blob-counts.js';
import { WordTables, type TableOptions } from './tables.js';
import { countSplits, cutInFile, splitBufferBytes, splitsLeft, LoopStatus, type CountFn } from './splits.js';
import {
  WordCountJob as Job,
  WordCountRecord as Rec,
  writeWordCountJob,
  writeWordCountRecord,
} from './generated/layouts.js';

export interface FileCountOptions extends Omit<TableOptions, 'sizeHint'> {
  signal?: AbortSignal;
  /** Called with the bytes counted so far, every 50 ms or so and once at the end. */
  onBytes?: (bytes: number) => void;
}

const PROGRESS_MS = 50;
/** Bytes read at a time while the host looks for a cut beyond a worker's read-ahead. */
const SCAN_BYTES = 64 << 10;

/** One thread's share: its record in shared memory and its table. */
interface Participant {
  rec: number;
  state: number;
}

/** Counts the words of `file` on `ctx.threads` threads (the caller and `pool`'s workers); returns counts and totals. */
export async function countFile(
  ctx: WasmContext,
  pool: Pool | undefined,
  call: KernelCall,
  file: OpenedFile,
  options: FileCountOptions,
): Promise<{ counts: BlobCounts; total: number; bytes: number }> {
  const { signal, splitBytes } = options;
  const workers = pool && ctx.threads > 1 ? ctx.threads - 1 : 0;
  const tables = new WordTables(ctx, { ...options, sizeHint: file.size });
  const job = ctx.reserve(Job.bytes, 64, 'word-count job');
  writeWordCountJob(new DataView(ctx.memory.buffer), job, { next: 0, abort: 0, split: splitBytes, size: file.size });
  const participants: Participant[] = [];
  for (let t = 0; t <= workers; t++) {
    const rec = ctx.reserve(Rec.bytes, 64, 'word-count job');
    const state = tables.add();
    const cap = splitBufferBytes(splitBytes);
    const buf = ctx.reserve(cap, 64, 'word-count input');
    // A fresh view after the last reserve: growing memory replaces its buffer.
    writeWordCountRecord(new DataView(ctx.memory.buffer), rec, {
      state,
      buf,
      bufCap: cap,
      pending: 0,
      pendingLen: 0,
      split: 0,
      bytes: 0,
    });
    participants.push({ rec, state });
  }
  const [host, ...others] = participants as [Participant, ...Participant[]];
  const stop = () => Atomics.store(ctx.i32(job, Job.bytes / 4), Job.index.abort, 1);
  signal?.addEventListener('abort', stop);
  const bytesSoFar = () => participants.reduce((sum, p) => sum + ctx.f64(p.rec, Rec.bytes / 8)[Rec.index.bytes]!, 0);
  const timer = options.onBytes ? setInterval(() => options.onBytes!(bytesSoFar()), PROGRESS_MS) : undefined;
  const fallback = new HostSplits(ctx, tables, file, splitBytes, host.rec, host.state);

  /** After a participant's loop returned: gives it what it needs; false when it has nothing more to do. */
  const resume = (p: Participant, status: LoopStatus): boolean => {
    const r = ctx.u32(p.rec, Rec.bytes / 4);
    if (status === LoopStatus.Grow) tables.grow(p.state, r[Rec.index.pendingLen]!);
    else if (status === LoopStatus.Fallback) fallback.count(r[Rec.index.split]!);
    else return false;
    return true;
  };
  const ref = builtin('wordcount.splits');
  const runWorker = async (p: Participant) => {
    for (;;) {
      const status = (await pool!.apply(ref, [ctx.handle, file.path, job, p.rec])) as LoopStatus;
      if (!resume(p, status)) return;
    }
  };
  const runHost = async () => {
    const count = ctx.exports.count as CountFn;
    await Promise.resolve(); // first let the pool send the workers' tasks (it does so in a microtask)
    while (splitsLeft(ctx.memory, job)) {
      let status = countSplits(count, ctx.memory, job, host.rec, file, 1);
      // A split the table had no room for is finished at once (budget 0: only what is pending).
      while (status === LoopStatus.Grow) {
        resume(host, status);
        status = countSplits(count, ctx.memory, job, host.rec, file, 0);
      }
      if (status === LoopStatus.Aborted) return;
      resume(host, status);
      await platform().macrotask();
    }
  };
  try {
    const results = await Promise.allSettled(
      [...others.map(runWorker), runHost()].map((p) =>
        p.catch((e) => {
          stop();
          throw e;
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    // An abort stops the participants, whatever one of them then threw: the call's error is poolkit's AbortError.
    throwIfAborted(signal);
    if (failed) throw failed.reason;
  } finally {
    if (timer) clearInterval(timer);
    signal?.removeEventListener('abort', stop);
  }
  const bytes = bytesSoFar();
  options.onBytes?.(bytes);
  const merged = await mergeTables(ctx, call, tables.states, workers + 1, signal);
  return { ...merged, bytes };
}

/**
 * Splits counted on the main thread because they end beyond a worker's read-ahead (a word longer than 64 KiB): found
 * by scanning forward for the cut, read whole into one reusable buffer and counted into the host's table.
 */
class HostSplits {
  private buf = { ptr: 0, capacity: 0 };
  private readonly scratch = new Uint8Array(SCAN_BYTES);

  constructor(
    private readonly ctx: WasmContext,
    private readonly tables: WordTables,
    private readonly file: OpenedFile,
    private readonly splitBytes: number,
    /** The host's record and table: the split's bytes count as the host's. */
    private readonly rec: number,
    private readonly state: number,
  ) {}

  count(split: number): void {
    const { size } = this.file;
    const start = split * this.splitBytes;
    const a = cutInFile(this.file, start, size, this.scratch);
    const b = cutInFile(this.file, Math.min(size, start + this.splitBytes), size, this.scratch);
    if (b <= a) return;
    if (this.buf.capacity < b - a + 16)
      this.buf = { ptr: this.ctx.reserve(b - a + 16, 64, 'word-count input'), capacity: b - a + 16 };
    // Fewer bytes only if the file shrank: then they end at its end.
    const len = this.file.readAt(this.ctx.u8(this.buf.ptr, b - a), a);
    this.tables.countHere(this.state, this.buf.ptr, len);
    const progress = this.ctx.f64(this.rec, Rec.bytes / 8);
    progress[Rec.index.bytes] = progress[Rec.index.bytes]! + len;
  }
}
