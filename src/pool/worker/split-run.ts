/**
 * Running a map chunk so the host can split it: items are claimed block by block in the split word (protocol.ts
 * STATUS_SPLIT_BYTE) before they run, and the run stops when a claim fails because the host fenced the word. The
 * answer then holds the items run so far; the host has handed the rest to other workers (docs/ARCHITECTURE.md, "Pool").
 */
import { Mode, SPLIT_FENCE } from '../protocol.js';
import type { TaskFn } from './kernel.js';

/** Work per claim, so a fenced worker answers soon while a claim stays a small part of the time. */
const BLOCK_MS = 0.25;
const MAX_BLOCK = 1 << 16;

/** `fn` over the chunk's items (`mode` Map or Starmap), claiming as it goes; may return fewer values than items. */
export function runSplittable(
  word: BigInt64Array,
  id: number,
  fn: TaskFn,
  mode: Mode,
  payload: ArrayLike<unknown>,
): { ok: boolean; v: unknown } {
  const n = payload.length;
  const tag = BigInt(id) << 32n;
  const out = new Array(n);
  let pos = 0;
  let block = 1;
  Atomics.store(word, 0, tag);
  try {
    while (pos < n) {
      const end = Math.min(n, pos + block);
      const at = tag | BigInt(pos);
      if (Atomics.compareExchange(word, 0, at, tag | BigInt(end)) !== at) break;
      const t0 = performance.now();
      runBlock(fn, mode, payload, out, pos, end);
      pos = end;
      const ms = performance.now() - t0;
      // Grow at most 4× a step, so one slow item does not make the next block long.
      block = Math.max(1, Math.min(MAX_BLOCK, block * 4, Math.floor((block * BLOCK_MS) / Math.max(ms, 1e-4))));
    }
  } catch (e) {
    return { ok: false, v: e };
  } finally {
    // The chunk is over (done, fenced or failed): nothing of it is left to split.
    Atomics.store(word, 0, tag | SPLIT_FENCE);
  }
  if (pos < n) out.length = pos;
  return { ok: true, v: out };
}

/** Items [from, to): a function of its own, so the hot loop is compiled on its own. */
function runBlock(fn: TaskFn, mode: Mode, payload: ArrayLike<unknown>, out: unknown[], from: number, to: number): void {
  if (mode === Mode.Map) for (let i = from; i < to; i++) out[i] = fn(payload[i]);
  else for (let i = from; i < to; i++) out[i] = fn(...(payload[i] as unknown[]));
}
