/**
 * The end of the wasm word count: thread tables merged by hash partition, in parallel.
 *
 * `stats` sizes each partition exactly (keys and key bytes), so the merge never grows a table; each partition's
 * merge runs as one kernel call on a worker and returns its keys as one '\n'-separated UTF-8 blob and its counts
 * as f64, which the result decodes on demand (blob-counts.ts).
 */
import type { KernelCall, WasmContext } from '../wasm/context.js';
import { BlobCounts } from './blob-counts.js';
import { WordSlot, WordTableState, readWordTableState } from './generated/layouts.js';

/**
 * Merges the tables whose states are at `states` into `P` partitions; returns the counts and the word total.
 * The calling thread merges partition 0 while `call` runs the others (on workers), so P partitions keep P threads busy
 * with P - 1 workers.
 */
export async function mergeTables(
  ctx: WasmContext,
  call: KernelCall,
  states: number[],
  P: number,
  signal?: AbortSignal,
): Promise<{ counts: BlobCounts; total: number }> {
  const T = states.length;
  let total = 0;
  // Per-partition key counts and key bytes, from each table.
  const statsPtr = ctx.reserve(8 * P, 8, 'word-count merge');
  const need = new Array<{ n: number; bytes: number }>(P);
  for (let p = 0; p < P; p++) need[p] = { n: 0, bytes: 0 };
  for (const state of states) {
    ctx.u32(statsPtr, 2 * P).fill(0);
    ctx.exports.stats(state, P, statsPtr);
    const s = ctx.u32(statsPtr, 2 * P);
    for (let p = 0; p < P; p++) {
      need[p]!.n += s[2 * p]!;
      need[p]!.bytes += s[2 * p + 1]!;
    }
    total += Number(readWordTableState(new DataView(ctx.memory.buffer), state).total);
  }
  const srcs = ctx.reserve(4 * T, 4, 'word-count merge');
  ctx.u32(srcs, T).set(states);
  const parts = need.map(({ n, bytes }) => {
    // n counts a key once per table holding it: an upper bound, so the table never fills past 3/4.
    const slots = 2 ** Math.max(4, Math.ceil(Math.log2((n * 4) / 3 + 1)));
    return {
      n,
      state: ctx.reserve(WordTableState.bytes, 64, 'word-count merge'),
      slots: ctx.reserve(slots * WordSlot.bytes, 64, 'word-count merge'),
      mask: slots - 1,
      order: ctx.reserve(4 * n + 4, 4, 'word-count merge'),
      blob: ctx.reserve(bytes + 8, 8, 'word-count merge'),
      counts: ctx.reserve(8 * n + 8, 8, 'word-count merge'),
      ends: ctx.reserve(4 * n + 4, 4, 'word-count merge'),
    };
  });
  // The workers' partitions go first (one message each, sent once this function awaits), to run while this
  // thread merges partition 0.
  const mergeArgs = (p: number) => {
    const m = parts[p]!;
    return [m.state, m.slots, m.mask, m.order, srcs, T, P, p, m.blob, m.counts, m.ends];
  };
  const remote = parts.map((_, p) => (p === 0 ? 0 : call('merge', mergeArgs(p), signal)));
  if (P > 1) await Promise.resolve(); // the pool sends queued tasks in a microtask
  const own = Number(ctx.exports.merge(...mergeArgs(0)));
  const blobLengths = (await Promise.all(remote)).map((len, p) => (p === 0 ? own : len));
  // Copied out, so the result does not hold on to the context's memory.
  const store = new BlobCounts(
    parts.map((m, p) => {
      const used = ctx.u32(m.state, WordTableState.bytes / 4)[WordTableState.index.used]!;
      return {
        keys: ctx.u8(m.blob, blobLengths[p]!).slice(),
        counts: ctx.f64(m.counts, used).slice(),
        ends: ctx.u32(m.ends, used).slice(),
      };
    }),
  );
  return { counts: store, total };
}
