/**
 * Word count over a file, split by split, by whichever thread claims the next split: the loop each participant
 * (the calling thread, or a worker) runs over shared memory, reading its own byte ranges.
 *
 * Split i covers the file bytes [cut(i·S), cut((i+1)·S)), where cut(x) is the first word-count cut at or after x
 * (`cutAtOrAfter`). cut depends only on the bytes before it, so every participant computes the same boundaries and
 * the splits tile the file exactly, wherever they are counted. Claims come from an atomic counter, so no split is
 * counted twice and fast threads take more. One message starts a worker's loop; the host steps in only to grow a
 * table, to count a split whose end lies further than the read-ahead allows (an enormous word), or to stop.
 * The job and each participant's record are the WordCountJob and WordCountRecord layouts of scripts/layouts.mjs.
 */
import type { PositionalFile } from '../core/platform.js';
import { cutAtOrAfter } from './cuts.js';
import { WordCountJob as Job, WordCountRecord as Rec } from './generated/layouts.js';

/** Bytes read past a split's nominal end to find its cut. */
export const READ_AHEAD = 64 << 10;
const FIRST_LOOK = 4096;
/** Bytes before a split's nominal start read to find its first cut (a character may start 3 bytes earlier). */
const LOOK_BEHIND = 4;
/** The kernel reads up to 15 bytes past its input. */
const KERNEL_SLACK = 16;

/** Input buffer bytes a participant needs for splits of `splitBytes`. */
export function splitBufferBytes(splitBytes: number): number {
  return LOOK_BEHIND + splitBytes + READ_AHEAD + KERNEL_SLACK;
}

/** Why a participant's loop returned. */
export const enum LoopStatus {
  /** No split left to claim. */
  Done = 0,
  /** Its table or key arena is full; the rest of the claimed split is pending. */
  Grow = 1,
  /** The claimed split (the record's `split`) ends beyond the read-ahead: the host counts it. */
  Fallback = 2,
  /** The host set the abort flag. */
  Aborted = 3,
}

/** The kernel's `count` export: counts `len` bytes at `ptr` into the table at `st`; returns the bytes consumed. */
export type CountFn = (st: number, ptr: number, len: number) => number;

/**
 * Claims and counts splits until none is left or `budget` splits were claimed (then returns Done with splits
 * perhaps still unclaimed: the caller checks `splitsLeft`), or until it needs the host.
 */
export function countSplits(
  count: CountFn,
  memory: WebAssembly.Memory,
  job: number,
  rec: number,
  file: PositionalFile,
  budget = Infinity,
): LoopStatus {
  const jobWords = new Int32Array(memory.buffer, job, Job.bytes / 4);
  const size = new Float64Array(memory.buffer, job, Job.bytes / 8)[Job.index.size]!;
  const S = jobWords[Job.index.split]!;
  const r = new Uint32Array(memory.buffer, rec, Rec.bytes / 4);
  const progress = new Float64Array(memory.buffer, rec, Rec.bytes / 8);
  const state = r[Rec.index.state]!;
  const buf = r[Rec.index.buf]!;
  const cap = r[Rec.index.bufCap]!;
  const run = (ptr: number, len: number): boolean => {
    const done = count(state, ptr, len);
    progress[Rec.index.bytes] = progress[Rec.index.bytes]! + done;
    if (done === len) return true;
    r[Rec.index.pending] = ptr + done;
    r[Rec.index.pendingLen] = len - done;
    return false;
  };
  if (r[Rec.index.pendingLen]! > 0) {
    const len = r[Rec.index.pendingLen]!;
    r[Rec.index.pendingLen] = 0;
    if (!run(r[Rec.index.pending]!, len)) return LoopStatus.Grow;
  }
  for (let claimed = 0; claimed < budget; claimed++) {
    if (Atomics.load(jobWords, Job.index.abort)) return LoopStatus.Aborted;
    const i = Atomics.add(jobWords, Job.index.next, 1);
    const start = i * S;
    if (start >= size) return LoopStatus.Done;
    const segment = locate(memory, buf, cap, file, start, Math.min(size, start + S), size);
    if (segment === undefined) {
      r[Rec.index.split] = i;
      return LoopStatus.Fallback;
    }
    const [a, b] = segment;
    if (b > a && !run(buf + a, b - a)) return LoopStatus.Grow;
  }
  return LoopStatus.Done;
}

/** True while some split is still unclaimed. */
export function splitsLeft(memory: WebAssembly.Memory, job: number): boolean {
  const jobWords = new Int32Array(memory.buffer, job, Job.bytes / 4);
  const size = new Float64Array(memory.buffer, job, Job.bytes / 8)[Job.index.size]!;
  return Atomics.load(jobWords, Job.index.next) * jobWords[Job.index.split]! < size;
}

/**
 * Reads the bytes around [start, end) into the buffer and returns the split's bounds as offsets into it: [a, b)
 * with a = cut(start), b = cut(end); a >= b when the split is empty. Undefined when cut(end) lies beyond the
 * read-ahead.
 */
function locate(
  memory: WebAssembly.Memory,
  buf: number,
  cap: number,
  file: PositionalFile,
  start: number,
  end: number,
  size: number,
): [number, number] | undefined {
  const from = Math.max(0, start - LOOK_BEHIND);
  const mem = new Uint8Array(memory.buffer, buf, cap - KERNEL_SLACK);
  // A short read is the end of the file too: it may have shrunk since its size was taken.
  let want = Math.min(size, end + FIRST_LOOK) - from;
  let have = file.readAt(mem.subarray(0, want), from);
  let eof = have < want || from + have >= size;
  // cut(start): the first cut at or after it, or (none in what was read) past everything read, so the split is empty.
  const a = start === 0 ? 0 : cutAtOrAfter(mem, start - from, have);
  if (a < 0) return eof ? [have, have] : [0, 0];
  if (end >= size) return [a, have];
  let b = cutAtOrAfter(mem, end - from, have);
  if (b < 0 && !eof) {
    // Rare: no cut within the first look; read up to the whole read-ahead.
    want = Math.min(size, end + READ_AHEAD) - from - have;
    const got = file.readAt(mem.subarray(have, have + want), from + have);
    have += got;
    eof = got < want || from + have >= size;
    b = cutAtOrAfter(mem, end - from, have);
  }
  if (b >= 0) return [a, b];
  return eof ? [a, have] : undefined;
}

/**
 * cut(x) in a file of `size` bytes, read through `scratch`: the first cut at or after x, found by scanning forward
 * (0 and the end of the file are cuts; a short read is the end). For splits whose end lies beyond the read-ahead.
 */
export function cutInFile(file: PositionalFile, x: number, size: number, scratch: Uint8Array): number {
  if (x <= 0) return 0;
  if (x >= size) return size;
  for (let pos = x; ; ) {
    const from = Math.max(0, pos - LOOK_BEHIND);
    const n = file.readAt(scratch, from);
    const q = cutAtOrAfter(scratch, pos - from, n);
    if (q >= 0) return from + q;
    if (n < scratch.length || from + n >= size) return Math.min(size, from + n);
    pos = from + n;
  }
}
