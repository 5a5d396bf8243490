/// <reference lib="esnext.disposable" preserve="true" />
/**
 * Pool: Python's multiprocessing.Pool for JavaScript, on worker_threads (Node), Web Workers (browsers) or child
 * processes (`isolation: 'process'`).
 *
 * Every call validates its arguments, turns the work into task records (one per apply, one per chunk of a map, one
 * per stream), and hands them to the Scheduler. Results travel by structured clone; SharedArrayBuffers are shared.
 */
import { Scheduler, type SchedulerStats } from './scheduler.js';
import { PoolEvents } from './events.js';
import { TaskStream } from './task-stream.js';
import { taskProxy, type TaskProxy } from './task-proxy.js';
import type { WorkerTransport } from '../core/platform.js';
import { ChunkStream } from './chunk-stream.js';
import { AsyncResult } from './async-result.js';
import { createRecord, type TaskRecord } from './task-record.js';
import { Mode } from './protocol.js';
import { platform } from '../core/platform.js';
import { resolveTask, type ResolvedTask, type TaskLike } from './task-ref.js';
import { autoChunksize, chunkRanges, chunksOf, chunksOfAsync, isAsyncIterable, isIterable } from './chunks.js';
import { argsPayload, chunkPayload, type Payload } from './payload.js';
import {
  AbortError,
  abortError,
  PoolClosedError,
  PoolkitError,
  QueueFullError,
  throwIfAborted,
} from '../core/errors.js';
import { invalid, optional, positiveInt } from '../core/validate.js';
import { RemoteCalls, remoteStats } from './remote-calls.js';
import type { Executor } from './executor.js';
import {
  checkCallOptions,
  resolveExecutor,
  resolvePoolOptions,
  type ApplyAsyncOptions,
  type CallOptions,
  type MapOptions,
  type PoolOptions,
  type ResolvedPoolOptions,
  type StreamOptions,
} from './options.js';

type Args<F> = F extends TaskLike<infer A, unknown> ? A : never;
/** A call's result: awaited; a generator task's values collected into an array. */
type Ret<F> =
  F extends TaskLike<never[], infer R>
    ? R extends Generator<infer Y, unknown, never> | AsyncGenerator<infer Y, unknown, never>
      ? Y[]
      : Awaited<R>
    : never;
/** What map passes: the first parameter's type; never (no item fits) when the task needs more than one argument. */
type Item<F> = Args<F> extends [infer X, ...infer Rest] ? ([] extends Rest ? X : never) : unknown;
/** `args` may be left out only when the task can be called with no arguments. */
type ArgsAnd<F, O> = [] extends Args<F> ? [args?: Args<F>, options?: O] : [args: Args<F>, options?: O];
type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;
/** What a generator task yields (for `stream` and a flattening `imap`). */
type Yielded<F> =
  F extends TaskLike<never[], infer R>
    ? R extends Generator<infer Y, unknown, never> | AsyncGenerator<infer Y, unknown, never>
      ? Y
      : Awaited<R>
    : never;

const DEFAULT_HIGH_WATER_MARK = 16;

/**
 * A pool of workers with Python's Pool API. It is an EventTarget (see PoolEventMap): `pool.on('taskend', d => ...)`.
 */
export class Pool extends PoolEvents {
  private readonly opts: ResolvedPoolOptions;
  private readonly sched: Scheduler;
  private state: 'open' | 'closed' | 'terminated' = 'open';
  private terminating: Promise<void> | undefined;
  /** Set when the pool runs its calls on a remote executor (`options.executor`); no local worker then starts. */
  private readonly remote: { executor: Executor; calls: RemoteCalls } | undefined;

  constructor(options?: PoolOptions) {
    super();
    const remote = resolveExecutor(options);
    if (remote) {
      this.remote = { executor: remote.executor, calls: new RemoteCalls(remote.executor, remote.workers) };
      options = { workers: remote.workers, lazy: true, name: options?.name };
    }
    const transport = pickTransport(options);
    this.opts = resolvePoolOptions(options, () => transport.defaultConcurrency());
    this.sched = new Scheduler(this.opts, transport, this);
  }

  /** Number of workers the pool runs at most. */
  get size(): number {
    return this.opts.workers;
  }

  /** Tasks submitted and not yet handed to a worker (a map counts one per chunk). */
  get queueSize(): number {
    return this.sched.queued;
  }

  /**
   * Resolves once the workers have started and run the initializer (all of them, or `minWorkers`); a lazy pool starts
   * them now. Rejects with InitializerError if the initializer fails.
   */
  ready(): Promise<void> {
    if (this.state === 'terminated') return Promise.reject(new PoolClosedError('pool is terminated'));
    if (this.remote) return this.remote.executor.ready();
    return this.sched.whenReady();
  }

  /** Resolves when every submitted task has been handed to a worker (the 'drain' event): a producer waits on it. */
  drained(): Promise<void> {
    return this.sched.whenDrained();
  }

  /** Replaces every worker; each replacement starts before the old worker retires, so work does not pause. */
  recycle(): void {
    this.checkOpen();
    this.sched.recycle();
  }

  /**
   * Runs a generator task (`function*` or `async function*`) and streams its values: at most `highWaterMark` ahead of
   * the consumer. Breaking out of the loop or aborting runs the generator's `finally` in the worker. The task holds
   * its worker until the generator ends (the pool's taskTimeout does not apply to it).
   */
  stream<F extends TaskLike>(fn: F, args?: Args<F>, options?: StreamOptions): AsyncIterableIterator<Yielded<F>> {
    this.checkOpen();
    if (this.remote) throw new PoolkitError('stream() runs on local workers only', { code: 'ERR_REMOTE_UNSUPPORTED' });
    const { highWaterMark, ...call } = options ?? {};
    checkCallOptions(options === undefined ? undefined : call, 'stream');
    const hwm = optional(highWaterMark, 'options.highWaterMark', positiveInt) ?? DEFAULT_HIGH_WATER_MARK;
    const task = resolveTask(fn);
    if (args !== undefined && !Array.isArray(args)) throw invalid('args', 'an array of arguments', args);
    return new TaskStream<Yielded<F>>(this.sched, task, argsPayload((args ?? []) as unknown[], call.transfer), {
      highWaterMark: hwm,
      signal: call.signal,
      onProgress: call.onProgress,
    });
  }

  /**
   * The module's exported functions as methods: `pool.proxy<typeof import('./tasks.js')>(url).square(3)` runs
   * `square(3)` in a worker, typed from the module (results are awaited: no promise of a promise).
   */
  proxy<M extends object>(url: URL | string): TaskProxy<M> {
    return taskProxy<M>(this, url);
  }

  /** Runs `fn(...args)` in a worker; resolves with its result (awaited if it returns a promise). */
  apply<F extends TaskLike>(fn: F, ...[args, options]: ArgsAnd<F, CallOptions>): Promise<Ret<F>> {
    try {
      this.checkOpen();
      checkCallOptions(options, 'apply');
      const task = resolveTask(fn);
      if (args !== undefined && !Array.isArray(args)) throw invalid('args', 'an array of arguments', args);
      if (this.opts.maxQueue !== undefined && this.sched.queued >= this.opts.maxQueue)
        throw new QueueFullError(this.opts.maxQueue);
      const a = (args ?? []) as unknown[];
      if (this.remote) return this.remote.calls.apply(fn, a, options?.signal) as Promise<Ret<F>>;
      return this.one(task, Mode.Apply, argsPayload(a, options?.transfer), options) as Promise<Ret<F>>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Like `apply`, returning an AsyncResult (`get(timeout)`, `wait`, `ready`, `successful`) and calling the callbacks. */
  applyAsync<F extends TaskLike>(
    fn: F,
    ...[args, options]: ArgsAnd<F, ApplyAsyncOptions<Ret<F>>>
  ): AsyncResult<Ret<F>> {
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

  mapAsync<F extends TaskLike>(
    fn: F,
    items: AnyIterable<Item<F>>,
    options?: MapOptions & ApplyAsyncOptions<Ret<F>[]>,
  ): AsyncResult<Ret<F>[]> {
    return this.asyncResult(options, 'mapAsync', (o) => this.map(fn, items, o));
  }

  starmapAsync<F extends TaskLike>(
    fn: F,
    argTuples: AnyIterable<Args<F>>,
    options?: MapOptions & ApplyAsyncOptions<Ret<F>[]>,
  ): AsyncResult<Ret<F>[]> {
    return this.asyncResult(options, 'mapAsync', (o) => this.starmap(fn, argTuples, o));
  }

  /**
   * Lazy, ordered results of `fn` over a sync or async iterable. Reads ahead only a bounded window of items, so it
   * works on endless sources with flat memory. Breaking out of the loop drops the queued rest.
   */
  imap<F extends TaskLike>(
    fn: F,
    items: AnyIterable<Item<F>>,
    options?: MapOptions,
  ): AsyncIterableIterator<Yielded<F>> {
    return this.lazyMap(fn, items, Mode.Map, true, options) as AsyncIterableIterator<Yielded<F>>;
  }

  /** Like `imap`, in completion order. */
  imapUnordered<F extends TaskLike>(
    fn: F,
    items: AnyIterable<Item<F>>,
    options?: MapOptions,
  ): AsyncIterableIterator<Yielded<F>> {
    return this.lazyMap(fn, items, Mode.Map, false, options) as AsyncIterableIterator<Yielded<F>>;
  }

  /**
   * Counters (live and busy workers, queued, completed, failed, respawned, recycled, stolen), utilization, and run-time
   * and wait-time histograms (p50 / p90 / p99, ms) for the pool and for each worker.
   */
  stats(): SchedulerStats {
    if (this.remote) return remoteStats(this.remote.executor);
    return this.sched.stats();
  }

  /** No new tasks; workers exit once the queued ones are done (see `join`). */
  close(): void {
    if (this.state === 'open') this.state = 'closed';
  }

  /** Waits for every queued task to finish and the workers to exit. Call `close()` or `terminate()` first. */
  async join(): Promise<void> {
    if (this.state === 'open')
      throw new PoolkitError('join() needs close() or terminate() first', { code: 'ERR_POOL_NOT_CLOSED' });
    if (this.state === 'terminated') return this.terminating;
    if (this.remote) return this.remote.executor.close();
    await this.sched.whenIdle();
    await this.sched.shutdown(new PoolClosedError('pool closed'));
  }

  /** Stops every worker now; queued and running tasks reject with PoolClosedError. */
  terminate(): Promise<void> {
    if (!this.terminating) {
      this.state = 'terminated';
      const reason = new PoolClosedError('pool terminated');
      this.terminating = this.remote ? this.remote.executor.terminate(reason) : this.sched.shutdown(reason);
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
  private asyncResult<R, O extends ApplyAsyncOptions<R>>(
    options: O | undefined,
    kind: 'applyAsync' | 'mapAsync',
    run: (o: CallOptions | undefined) => Promise<R>,
  ): AsyncResult<R> {
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
  private one(task: ResolvedTask, mode: Mode, payload: Payload, options: CallOptions | undefined): Promise<unknown> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const rec = createRecord(
        task,
        mode,
        payload,
        this.pipelined(signal),
        (err, value) => {
          if (onAbort) signal!.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve(value);
        },
        options?.onProgress ? { onProgress: options.onProgress } : undefined,
      );
      if (signal) {
        onAbort = () => this.sched.cancel([rec], abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this.sched.submit(rec);
    });
  }

  private async mapLike(
    fn: TaskLike,
    items: AnyIterable<unknown>,
    mode: Mode.Map | Mode.Starmap,
    options: MapOptions | undefined,
  ): Promise<unknown[]> {
    this.checkOpen();
    checkCallOptions(options, 'map');
    if (this.remote) return this.remote.calls.map(fn, items, mode === Mode.Starmap, options);
    const task = resolveTask(fn);
    if (!isIterable(items) && !isAsyncIterable(items))
      throw invalid(itemsPath(mode), 'an iterable or async iterable', items);
    const signal = options?.signal;
    throwIfAborted(signal);
    // As Python: the whole input is read first, so the automatic chunk size can be computed from its length.
    const list = Array.isArray(items) ? items : isIterable(items) ? Array.from(items) : await collect(items, signal);
    if (mode === Mode.Starmap) checkTuples(list);
    if (list.length === 0) return [];
    // Automatic chunks: Python's size where a running chunk can be split for an idle worker, else guided sizes.
    const size =
      options?.chunksize ?? (this.sched.canSplit ? autoChunksize(list.length, this.opts.workers) : undefined);
    const ranges = chunkRanges(list.length, size, this.opts.workers);
    if (this.opts.maxQueue !== undefined) {
      const s = new ChunkStream(this.sched, {
        task,
        mode,
        source: (function* () {
          for (const [a, b] of ranges) yield list.slice(a, b);
        })(),
        window: this.opts.maxQueue,
        ordered: true,
        signal,
        transfer: options?.transfer,
        pipelined: this.pipelined(signal),
        onProgress: options?.onProgress,
        flatten: false,
      });
      return s.toArray();
    }
    return this.mapAll(task, mode, list, [...ranges], options);
  }

  /** Submits every chunk at once and assembles results by position; the first failure rejects and drops the rest. */
  private mapAll(
    task: ResolvedTask,
    mode: Mode.Map | Mode.Starmap,
    list: unknown[],
    ranges: [number, number][],
    options: MapOptions | undefined,
  ): Promise<unknown[]> {
    const signal = options?.signal;
    const pipelined = this.pipelined(signal);
    const transfer = options?.transfer;
    const extras = options?.onProgress ? { onProgress: options.onProgress } : undefined;
    return new Promise((resolve, reject) => {
      const out = new Array<unknown>(list.length);
      const recs: TaskRecord[] = [];
      let remaining = ranges.length;
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
      for (const [at, end] of ranges) {
        const single = end - at === 1;
        // A chunk of one is sent as a plain call: no array around the item or the result.
        const slice = single ? (mode === Mode.Map ? [list[at]] : (list[at] as unknown[])) : list.slice(at, end);
        const payload = chunkPayload(slice, !single && mode === Mode.Map, transfer);
        const rec = createRecord(
          task,
          single ? Mode.Apply : mode,
          payload,
          pipelined,
          (err, value) => {
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
          },
          extras,
        );
        recs.push(rec);
        this.sched.submit(rec);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private lazyMap(
    fn: TaskLike,
    items: AnyIterable<unknown>,
    mode: Mode.Map | Mode.Starmap,
    ordered: boolean,
    options: MapOptions | undefined,
  ): AsyncIterableIterator<unknown> {
    this.checkOpen();
    checkCallOptions(options, 'map');
    if (this.remote) return this.remote.calls.lazy(fn, items, mode === Mode.Starmap, ordered, options);
    const task = resolveTask(fn);
    if (!isIterable(items) && !isAsyncIterable(items))
      throw invalid(itemsPath(mode), 'an iterable or async iterable', items);
    const size = options?.chunksize ?? 1;
    const source = isAsyncIterable(items) ? chunksOfAsync(items, size) : chunksOf(items as Iterable<unknown>, size);
    const perWorker = Math.max(4, Math.min(64, Math.ceil(2048 / size / this.opts.workers)));
    const window = Math.min(this.opts.maxQueue ?? Infinity, perWorker * this.opts.workers);
    return new ChunkStream(this.sched, {
      task,
      mode,
      source,
      window,
      ordered,
      signal: options?.signal,
      transfer: options?.transfer,
      pipelined: this.pipelined(options?.signal),
      onProgress: options?.onProgress,
      flatten: true,
    });
  }
}

/** The transport `options` ask for: given, child processes, or this platform's worker threads / Web Workers. */
function pickTransport(options: PoolOptions | undefined): WorkerTransport {
  if (options?.transport) return options.transport;
  if (options?.isolation === 'process') {
    const t = platform().processTransport;
    if (!t)
      throw invalid('options.isolation', "'thread' here: 'process' isolation needs Node (child processes)", 'process');
    return t;
  }
  return platform();
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
    if (!Array.isArray(list[i]))
      throw invalid(`argTuples[${i}]`, 'an array of arguments (starmap spreads one per call)', list[i]);
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
