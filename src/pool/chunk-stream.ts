/**
 * The engine behind imap / imapUnordered (and map under maxQueue): pulls chunks from a sync or async source only
 * while fewer than `window` chunks are outstanding (submitted and not yet consumed), so memory stays bounded
 * however long the source is. Results come out in input order, or in completion order.
 */
import { createRecord, type TaskRecord } from './task-record.js';
import { abortError } from '../core/errors.js';
import { Mode } from './protocol.js';
import { chunkPayload, type TransferOption } from './payload.js';
import type { ResolvedTask } from './task-ref.js';
import type { Scheduler } from './scheduler.js';

export interface ChunkStreamOptions {
  task: ResolvedTask;
  mode: Mode.Map | Mode.Starmap;
  source: Iterator<unknown[]> | AsyncIterator<unknown[]>;
  window: number;
  ordered: boolean;
  signal: AbortSignal | undefined;
  transfer: TransferOption;
  pipelined: boolean;
  onProgress: ((value: unknown) => void) | undefined;
  /** A generator task's collected values are yielded one by one (imap), not as arrays (map under maxQueue). */
  flatten: boolean;
  /** Called when the stream ends for any reason. */
  onClose?: () => void;
}

type Outcome = { err: Error | null; values: unknown[] | undefined };

export class ChunkStream implements AsyncIterableIterator<unknown> {
  private submitted = 0;
  private consumed = 0;
  private readonly results = new Map<number, Outcome>();
  private readonly live = new Set<TaskRecord>();
  private current: unknown[] = [];
  private pos = 0;
  private exhausted = false;
  private pulling = false;
  private closed = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onAbort = () => this.abort();

  constructor(
    private readonly sched: Scheduler,
    private readonly o: ChunkStreamOptions,
  ) {
    if (o.signal) {
      if (o.signal.aborted) this.abort();
      else o.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.pump();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<unknown>> {
    for (;;) {
      if (this.pos < this.current.length) {
        const value = this.current[this.pos];
        this.current[this.pos++] = undefined; // let consumed items be collected
        return { value, done: false };
      }
      if (this.failure) {
        const err = this.failure;
        this.close();
        throw err;
      }
      if (this.closed) return { value: undefined, done: true };
      const outcome = this.take();
      if (outcome) {
        this.consumed++;
        this.pump();
        if (outcome.err) {
          this.failure = outcome.err;
          continue;
        }
        this.current = outcome.values!;
        this.pos = 0;
        continue;
      }
      if (this.exhausted && this.consumed === this.submitted) {
        this.close();
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<unknown>> {
    this.close();
    return { value: undefined, done: true };
  }

  /** Collects everything (map's windowed path). */
  async toArray(): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const v of this) out.push(v);
    return out;
  }

  private take(): Outcome | undefined {
    if (this.o.ordered) {
      const r = this.results.get(this.consumed);
      if (r) this.results.delete(this.consumed);
      return r;
    }
    for (const [k, r] of this.results) {
      this.results.delete(k);
      return r;
    }
    return undefined;
  }

  private pump(): void {
    if (this.pulling || this.closed) return;
    const src = this.o.source;
    while (!this.exhausted && !this.failure && this.submitted - this.consumed < this.o.window) {
      let step: IteratorResult<unknown[]> | Promise<IteratorResult<unknown[]>>;
      try {
        step = src.next();
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      if (step instanceof Promise) {
        this.pulling = true;
        step.then(
          (r) => {
            this.pulling = false;
            if (this.closed) return;
            this.accept(r);
            this.pump();
          },
          (e: Error) => {
            this.pulling = false;
            this.fail(e);
          },
        );
        return;
      }
      this.accept(step);
    }
  }

  private accept(r: IteratorResult<unknown[]>): void {
    if (r.done) {
      this.exhausted = true;
      this.notify();
      return;
    }
    const index = this.submitted++;
    const payload = chunkPayload(r.value, this.o.mode === Mode.Map, this.o.transfer);
    const rec = createRecord(
      this.o.task,
      this.o.mode,
      payload,
      this.o.pipelined,
      (err, values) => {
        this.live.delete(rec);
        // A generator task gave each item's values as an array: imap yields them in order, flattened.
        const v = rec.generated && this.o.flatten ? (values as unknown[][]).flat(1) : values;
        this.results.set(index, { err, values: v as unknown[] | undefined });
        this.notify();
      },
      this.o.onProgress ? { onProgress: this.o.onProgress } : undefined,
    );
    this.live.add(rec);
    this.sched.submit(rec);
  }

  private fail(e: Error): void {
    // A source error surfaces after the results that precede it, like a failed chunk at that position.
    this.exhausted = true;
    this.results.set(this.submitted++, { err: e, values: undefined });
    this.notify();
  }

  private abort(): void {
    const err = abortError(this.o.signal);
    this.sched.cancel(this.live, err);
    this.live.clear();
    this.failure = err;
    this.exhausted = true;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.exhausted = true;
    this.o.signal?.removeEventListener('abort', this.onAbort);
    // Queued chunks are dropped; ones already running finish and are ignored.
    for (const rec of this.live) this.sched.drop(rec);
    this.live.clear();
    this.results.clear();
    const src = this.o.source as { return?: () => unknown };
    try {
      const r = src.return?.();
      if (r instanceof Promise) r.catch(() => {});
    } catch {
      /* the source's own cleanup failed; nothing to report to */
    }
    this.o.onClose?.();
    this.notify();
  }
}
