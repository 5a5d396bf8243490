/**
 * The worker's side of a streaming task: drives the task's (async) iterator and posts its values in batches, never
 * more in all than the host's credit allows, so a fast producer waits for a slow consumer instead of filling memory.
 * A cancel (the consumer broke out, or aborted) calls the iterator's return(), which runs the generator's `finally`.
 */
import type { WorkerMessage } from '../protocol.js';
import { macrotask } from '../../core/macrotask.js';

/** Values sent in one message at most; a sync generator fills a batch without returning to the event loop. */
const MAX_BATCH = 256;
/** A batch is also sent once this much time went into it, so a slow sync producer still streams. */
const BATCH_MS = 2;

export interface StreamControl {
  credit(upTo: number): void;
  cancel(): void;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

export function toIterator(v: unknown): AnyIterator {
  if (v !== null && typeof v === 'object') {
    const o = v as { [Symbol.asyncIterator]?: () => AnyIterator; [Symbol.iterator]?: () => AnyIterator };
    if (typeof o[Symbol.asyncIterator] === 'function') return o[Symbol.asyncIterator]!();
    if (typeof o[Symbol.iterator] === 'function') return o[Symbol.iterator]!();
  }
  throw new TypeError(
    `a streaming task must return an iterator (use a function* or async function*), got ${v === null ? 'null' : typeof v}`,
  );
}

/**
 * Runs one stream to its end. `register` hands the host's credit and cancel messages to it; the returned promise
 * resolves with the generator's return value, or rejects with what it threw.
 */
export async function driveStream(
  id: number,
  it: AnyIterator,
  post: (m: WorkerMessage) => void,
  register: (c: StreamControl | undefined) => void,
): Promise<unknown> {
  let allowed = 0;
  let produced = 0;
  let cancelled = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  register({
    credit(upTo) {
      if (upTo > allowed) allowed = upTo;
      poke();
    },
    cancel() {
      cancelled = true;
      poke();
    },
  });
  let finished = false;
  try {
    for (;;) {
      if (cancelled) break;
      if (produced >= allowed) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const batch: unknown[] = [];
      const t0 = performance.now();
      let last: IteratorResult<unknown> | undefined;
      try {
        while (produced + batch.length < allowed && batch.length < MAX_BATCH && !cancelled) {
          let r = it.next();
          if (r instanceof Promise) r = await r;
          last = r as IteratorResult<unknown>;
          if (last.done) break;
          batch.push(last.value);
          if (performance.now() - t0 >= BATCH_MS) break;
        }
      } catch (e) {
        // The values yielded before the failure are delivered first.
        finished = true;
        if (batch.length) post({ type: 'yield', id, values: batch });
        throw e;
      }
      if (batch.length) {
        post({ type: 'yield', id, values: batch });
        produced += batch.length;
      }
      if (last?.done) {
        finished = true;
        return last.value;
      }
      // Let credit and cancel messages in before the next batch.
      await macrotask();
    }
    return undefined;
  } finally {
    register(undefined);
    if (!finished) {
      const r = it.return?.();
      if (r instanceof Promise) await r;
    }
  }
}
