/**
 * Splitting a running chunk, the host's half: when a worker runs dry and nothing is queued, the worker with the most
 * unstarted items in the chunk it is running is fenced in its split word (protocol.ts STATUS_SPLIT_BYTE); it stops at
 * the end of its current block, and the items after that become new chunks, one per idle worker plus one for it. The
 * chunk's result is assembled from its pieces in order, so callers see one chunk, every item run once.
 */
import { Mode } from './protocol.js';
import { createRecord, type TaskRecord } from './task-record.js';
import type { WorkerSlot } from './worker-slot.js';

/** Below this much estimated work left, a split costs more (a message, a wake-up) than it saves. */
const MIN_TAIL_MS = 0.2;

/** A chunk that may be split: a map's, pipelined (nothing stops it alone), its items kept by the host. */
function splittable(rec: TaskRecord): boolean {
  return (
    !rec.done &&
    rec.splitAt === undefined &&
    rec.pipelined &&
    !rec.transfer &&
    (rec.mode === Mode.Map || rec.mode === Mode.Starmap) &&
    rec.payload.length > 1
  );
}

export interface Split {
  /** Records for the tail taken, in order (empty when none was taken). */
  parts: TaskRecord[];
  /**
   * Nothing was taken, but a chunk that may be split is in flight (sent and not started yet, or not yet worth it):
   * asking again shortly may find work for the idle worker.
   */
  retry: boolean;
}

/**
 * When a live, ready worker has nothing to do: the unstarted tail of the busiest running chunk, as new records in
 * order. `drop` forgets a record (the scheduler's).
 */
export function splitForIdle(slots: readonly WorkerSlot<TaskRecord>[], drop: (r: TaskRecord) => void): Split {
  let idle = 0;
  for (const s of slots) if (s.state === 'live' && s.ready && s.inflight.length === 0) idle++;
  if (!idle) return { parts: [], retry: false };
  const now = performance.now();
  let retry = false;
  let best: { slot: WorkerSlot<TaskRecord>; rec: TaskRecord; at: number; left: number } | undefined;
  for (const slot of slots) {
    const rec = slot.inflight.peek();
    if (!rec || !slot.hasStatus || !splittable(rec)) continue;
    const at = slot.splitPosition(rec.id);
    // Not started yet (or already split, its worker finishing a block): look again shortly.
    if (at === undefined) {
      retry = true;
      continue;
    }
    const left = rec.payload.length - at;
    if (left < 2) continue;
    if (at > 0 && ((now - rec.sentAt) / at) * left < MIN_TAIL_MS) {
      retry = true;
      continue;
    }
    if (!best || left > best.left) best = { slot, rec, at, left };
  }
  if (!best) return { parts: [], retry };
  // The fence fails when the worker claimed its next block meanwhile: the chunk still runs, so look again shortly.
  if (!best.slot.fenceSplit(best.rec.id, best.at)) return { parts: [], retry: true };
  return { parts: cut(best.rec, best.at, Math.min(best.left, idle + 1), drop), retry: false };
}

/** Records for items [at, end) of `rec` in `k` parts; `rec` keeps [0, at) and settles once every piece has. */
function cut(rec: TaskRecord, at: number, k: number, drop: (r: TaskRecord) => void): TaskRecord[] {
  const n = rec.payload.length;
  const settle = rec.settle;
  const pieces: unknown[] = new Array(k + 1);
  let left = k + 1;
  let failed = false;
  const parts: TaskRecord[] = [];
  const piece = (i: number, r: () => TaskRecord) => (err: Error | null, value?: unknown) => {
    if (failed) return;
    if (err) {
      failed = true;
      for (const p of parts) drop(p);
      return settle(err);
    }
    // A generator task's items came back as arrays of values (imap flattens them): true of every piece alike.
    if (r().generated) rec.generated = true;
    pieces[i] = value;
    if (--left === 0) settle(null, concat(pieces as ArrayLike<unknown>[]));
  };
  rec.splitAt = at;
  rec.settle = piece(0, () => rec);
  const extras = rec.onProgress ? { onProgress: rec.onProgress } : undefined;
  for (let i = 0; i < k; i++) {
    const from = at + Math.floor(((n - at) * i) / k);
    const to = at + Math.floor(((n - at) * (i + 1)) / k);
    const payload = { values: rec.payload.slice(from, to), transfer: undefined, shared: rec.shared };
    const part: TaskRecord = createRecord(
      rec.task,
      rec.mode,
      payload,
      true,
      piece(i + 1, () => part),
      extras,
    );
    part.submittedAt = rec.submittedAt;
    parts.push(part);
  }
  rec.parts = parts;
  return parts;
}

/** The pieces end to end: a Float64Array when every piece is one (numbers come back packed), else an array. */
function concat(pieces: ArrayLike<unknown>[]): unknown[] | Float64Array {
  let n = 0;
  for (const p of pieces) n += p.length;
  if (pieces.every((p) => p instanceof Float64Array)) {
    const out = new Float64Array(n);
    let o = 0;
    for (const p of pieces as Float64Array[]) out.set(p, (o += p.length) - p.length);
    return out;
  }
  const out = new Array<unknown>(n);
  let o = 0;
  for (const p of pieces) for (let i = 0; i < p.length; i++) out[o++] = p[i];
  return out;
}
