/// <reference lib="esnext.disposable" preserve="true" />
/**
 * Pool: Python's multiprocessing.Pool for JavaScript, on worker_threads (Node) or Web Workers (browsers).
 *
 * Every call validates its arguments, turns the work into task records (one per apply, one per chunk of a map),
 * and hands them to the Scheduler. Results travel by structured clone; SharedArrayBuffers are shared.
 */
import { Scheduler, type SchedulerStats } from './scheduler.js';
import { ChunkStream } from './chunk-stream.js';
import { AsyncResult } from './async-result.js';
import { createRecord, type TaskRecord } from './task-record.js';
import { Mode } from './protocol.js';
import { platform } from '../core/platform.js';
import { resolveTask, type ResolvedTask, type TaskLike } from './task-ref.js';
import { autoChunksize, chunksOf, chunksOfAsync, isAsyncIterable, isIterable } from './chunks.js';
import { argsPayload, chunkPayload, type Payload } from './payload.js';
import { AbortError, abortError, PoolClosedError, PoolkitError, QueueFullError, throwIfAborted } from '../core/errors.js';
import { invalid } from '../core/validate.js';
import {
  checkCallOptions, resolvePoolOptions,
  type ApplyAsyncOptions, type CallOptions, type MapOptions, type PoolOptions, type ResolvedPoolOptions,
} from './options.js';

type Args<F> = F extends TaskLike<infer A, unknown> ? A : never;
type Ret<F> = F extends TaskLike<any[], infer R> ? Awaited<R> : never;
/** What map passes: the first parameter's type; never (no item fits) when the task needs more than one argument. */
type Item<F> = Args<F> extends [infer X, ...infer Rest] ? ([] extends Rest ? X : never) : unknown;
/** `args` may be left out only when the task can be called with no arguments. */
type ArgsAnd<F, O> = [] extends Args<F> ? [args?: Args<F>, options?: O] : [args: Args<F>, options?: O];
type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;

/** A pool of workers with Python's Pool API. */
export class Pool {
  private readonly opts: ResolvedPoolOptions;
  private readonly sched: Scheduler;
  private state: 'open' | 'closed' | 'terminated' = 'open';
  private terminating: Promise<void> | undefined;

  constructor(options?: PoolOptions) {
    const transport = options?.transport ?? platform();
    this.opts = resolvePoolOptions(options, () => transport.defaultConcurrency());
    this.sched = new Scheduler(this.opts, transport);
  }

  /** Number of workers the pool runs (started lazily, on the first tasks). */
  get size(): number {
    return this.opts.workers;
  }

  /** Runs `fn(...args)` in a worker; resolves with its result (awaited if it returns a promise). */
  apply<F extends TaskLike>(fn: F, ...[args, options]: ArgsAnd<F, CallOptions>): Promise<Ret<F>> {
    try {
      this.checkOpen();
      checkCallOptions(options, 'apply');
      const task = resolveTask(fn);
      if (args !== undefined && !Array.isArray(args)) throw invalid('args', 'an array of arguments', args);
      if (this.opts.maxQueue !== undefined && this.sched.queued >= this.opts.maxQueue) throw new QueueFullError(this.opts.maxQueue);
      const a = (args ?? []) as unknown[];
      return this.one(task, Mode.Apply, argsPayload(a, options?.transfer), options?.signal) as Promise<Ret<F>>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Like `apply`, returning an AsyncResult (`get(timeout)`, `wait`, `ready`, `successful`) and calling the callbacks. */
  applyAsync<F extends TaskLike>(fn: F, ...[args, options]: ArgsAnd<F, ApplyAsyncOptions<Ret<F>>>): AsyncResult<Ret<F>> {
    return this.asyncResult(options, 'applyAsync', (o) => this.apply(fn as TaskLike, args, o) as Promise<Ret<F>>);
  }

  /** `fn` over every item, in order. Chunks of about len / (4 × workers) items unless `chunksize` is given. */
  map<F extends TaskLike>(fn: F, items: AnyIterable<Item<F>>, options?: MapOptions): Promise<Ret<F>[]> {
    return this.mapLike(fn, items, Mode.Map, options) as Promise<Ret<F>[]>;
  }

  /** `fn(...args)` for every argument tuple, in order. */
  starmap<F extends TaskLike>(fn: F, argTuples: AnyIterable<Args<F>>, options?: MapOptions): Promise<Ret<F>[]> {
    return this.mapLike(fn, argTuples, Mode.Starmap, options) as Promise<Ret<F>[]>;
  }

  mapAsync<F extends TaskLike>(fn: F, items: AnyIterable<Item<F>>, options?: MapOptions & ApplyAsyncOptions<Ret<F>[]>): AsyncResult<Ret<F>[]> {
    return this.asyncResult(options, 'mapAsync', (o) => this.map(fn, items, o));
  }

  starmapAsync<F extends TaskLike>(fn: F, argTuples: AnyIterable<Args<F>>, options?: MapOptions & ApplyAsyncOptions<Ret<F>[]>): AsyncResult<Ret<F>[]> {
    return this.asyncResult(options, 'mapAsync', (o) => this.starmap(fn, argTuples, o));
  }

  /**
   * Lazy, ordered results of `fn` over a sync or async iterable. Reads ahead only a bounded window of items, so it
   * works on endless sources with flat memory. Breaking out of the loop drops the queued rest.
   */
  imap<F extends TaskLike>(fn: F, items: AnyIterable<Item<F>>, options?: MapOptions): AsyncIterableIterator<Ret<F>> {
    return this.stream(fn, items, Mode.Map, true, options) as AsyncIterableIterator<Ret<F>>;
  }

  /** Like `imap`, in completion order. */
  imapUnordered<F extends TaskLike>(fn: F, items: AnyIterable<Item<F>>, options?: MapOptions): AsyncIterableIterator<Ret<F>> {
    return this.stream(fn, items, Mode.Map, false, options) as AsyncIterableIterator<Ret<F>>;
  }

  /** Counters: live workers, busy workers, queued tasks, completed, failed, respawned (workers replaced). */
  stats(): SchedulerStats {
    return this.sched.stats();
  }

  /** No new tasks; workers exit once the queued ones are done (see `join`). */
  close(): void {
    if (this.state === 'open') this.state = 'closed';
  }

  /** Waits for every queued task to finish and the workers to exit. Call `close()` or `terminate()` first. */
  async join(): Promise<void> {
    if (this.state === 'open') throw new PoolkitError('join() needs close() or terminate() first', { code: 'ERR_POOL_NOT_CLOSED' });
    if (this.state === 'terminated') return this.terminating;
    await this.sched.whenIdle();
    await this.sched.shutdown(new PoolClosedError('pool closed'));
  }

  /** Stops every worker now; queued and running tasks reject with PoolClosedError. */
  terminate(): Promise<void> {
    if (!this.terminating) {
      this.state = 'terminated';
      this.terminating = this.sched.shutdown(new PoolClosedError('pool terminated'));
    }
    return this.terminating;
  }

  /** `await using pool = new Pool()` terminates it at the end of the scope, as Python's `with Pool()` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  /**
   * The AsyncResult of `run` given `options` less the callbacks; bad options reject it (through `get()`, as every
   * other failure of the call does) and call no callback.
   */
  private asyncResult<R, O extends ApplyAsyncOptions<R>>(options: O | undefined, kind: 'applyAsync' | 'mapAsync', run: (o: CallOptions | undefined) => Promise<R>): AsyncResult<R> {
    try {
      checkCallOptions(options, kind);
    } catch (e) {
      return new AsyncResult<R>(Promise.reject(e));
    }
    return new AsyncResult(run(strip(options)), options?.callback, options?.errorCallback);
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new PoolClosedError(`pool is ${this.state}: no new tasks can be submitted`);
  }

  private pipelined(signal: AbortSignal | undefined): boolean {
    return signal === undefined && this.opts.taskTimeout === undefined;
  }

  /** One task; settles the returned promise. */
  private one(task: ResolvedTask, mode: Mode, payload: Payload, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const rec = createRecord(task, mode, payload, this.pipelined(signal), (err, value) => {
        if (onAbort) signal!.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value);
      });
      if (signal) {
        onAbort = () => this.sched.cancel([rec], abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this.sched.submit(rec);
    });
  }

  private async mapLike(fn: TaskLike, items: AnyIterable<unknown>, mode: Mode.Map | Mode.Starmap, options: MapOptions | undefined): Promise<unknown[]> {
    this.checkOpen();
    checkCallOptions(options, 'map');
    const task = resolveTask(fn);
    if (!isIterable(items) && !isAsyncIterable(items)) throw invalid(itemsPath(mode), 'an iterable or async iterable', items);
    const signal = options?.signal;
    throwIfAborted(signal);
    // As Python: the whole input is read first, so the automatic chunk size can be computed from its length.
    const list = Array.isArray(items) ? items : isIterable(items) ? Array.from(items) : await collect(items, signal);
    if (mode === Mode.Starmap) checkTuples(list);
    const size = options?.chunksize ?? autoChunksize(list.length, this.opts.workers);
    if (list.length === 0) return [];
    if (this.opts.maxQueue !== undefined) {
      const s = new ChunkStream(this.sched, { task, mode, source: chunksOf(list, size), window: this.opts.maxQueue, ordered: true, signal, transfer: options?.transfer, pipelined: this.pipelined(signal) });
      return s.toArray();
    }
    return this.mapAll(task, mode, list, size, options);
  }

  /** Submits every chunk at once and assembles results by position; the first failure rejects and drops the rest. */
  private mapAll(task: ResolvedTask, mode: Mode.Map | Mode.Starmap, list: unknown[], size: number, options: MapOptions | undefined): Promise<unknown[]> {
    const signal = options?.signal;
    const pipelined = this.pipelined(signal);
    const transfer = options?.transfer;
    return new Promise((resolve, reject) => {
      const out = new Array<unknown>(list.length);
      const recs: TaskRecord[] = [];
      let remaining = Math.ceil(list.length / size);
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        signal?.removeEventListener('abort', onAbort);
        if (err instanceof AbortError) this.sched.cancel(recs, err);
        else for (const r of recs) this.sched.drop(r);
        reject(err);
      };
      const onAbort = () => fail(abortError(signal));
      for (let start = 0; start < list.length; start += size) {
        const at = start;
        const single = size === 1;
        // A chunk of one is sent as a plain call: no array around the item or the result.
        const slice = single ? (mode === Mode.Map ? [list[at]] : (list[at] as unknown[])) : list.slice(at, at + size);
        const payload = chunkPayload(slice, !single && mode === Mode.Map, transfer);
        const rec = createRecord(task, single ? Mode.Apply : mode, payload, pipelined, (err, value) => {
          if (failed) return;
          if (err) return fail(err);
          if (single) out[at] = value;
          else {
            const values = value as unknown[];
            for (let i = 0; i < values.length; i++) out[at + i] = values[i];
          }
          if (--remaining === 0) {
            signal?.removeEventListener('abort', onAbort);
            resolve(out);
          }
        });
        recs.push(rec);
        this.sched.submit(rec);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private stream(fn: TaskLike, items: AnyIterable<unknown>, mode: Mode.Map | Mode.Starmap, ordered: boolean, options: MapOptions | undefined): AsyncIterableIterator<unknown> {
    this.checkOpen();
    checkCallOptions(options, 'map');
    const task = resolveTask(fn);
    if (!isIterable(items) && !isAsyncIterable(items)) throw invalid(itemsPath(mode), 'an iterable or async iterable', items);
    const size = options?.chunksize ?? 1;
    const source = isAsyncIterable(items) ? chunksOfAsync(items, size) : chunksOf(items as Iterable<unknown>, size);
    const perWorker = Math.max(4, Math.min(64, Math.ceil(2048 / size / this.opts.workers)));
    const window = Math.min(this.opts.maxQueue ?? Infinity, perWorker * this.opts.workers);
    return new ChunkStream(this.sched, { task, mode, source, window, ordered, signal: options?.signal, transfer: options?.transfer, pipelined: this.pipelined(options?.signal) });
  }
}

function strip<O extends object>(o: O | undefined): CallOptions | undefined {
  if (!o) return o;
  const { callback: _c, errorCallback: _e, ...rest } = o as O & ApplyAsyncOptions<unknown>;
  return rest;
}

/** The name of the iterable argument as the method's signature gives it. */
function itemsPath(mode: Mode.Map | Mode.Starmap): string {
  return mode === Mode.Starmap ? 'argTuples' : 'items';
}

function checkTuples(list: unknown[]): void {
  for (let i = 0; i < list.length; i++) {
    if (!Array.isArray(list[i])) throw invalid(`argTuples[${i}]`, 'an array of arguments (starmap spreads one per call)', list[i]);
  }
}

async function collect(items: AsyncIterable<unknown>, signal: AbortSignal | undefined): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of items) {
    throwIfAborted(signal);
    out.push(x);
  }
  return out;
}
