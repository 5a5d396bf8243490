/**
 * The Pool's calls on a remote executor (`new Pool({ executor })`): the same chunking and result order as the local
 * paths, with each chunk one job. Results are placed by chunk index, so a chunk delivered twice counts once.
 */
import { throwIfAborted } from '../core/errors.js';
import { invalid } from '../core/validate.js';
import { autoChunksize, chunksOf, chunksOfAsync, isAsyncIterable, isIterable } from './chunks.js';
import { remoteTask, type ChunkMode, type Executor, type RemoteChunk, type RemoteTaskDef } from './executor.js';
import { Histogram } from './histogram.js';
import type { SchedulerStats } from './pool-stats.js';
import type { MapOptions } from './options.js';

type AnyIterable = Iterable<unknown> | AsyncIterable<unknown>;

export class RemoteCalls {
  constructor(
    private readonly executor: Executor,
    /** The parallelism assumed by the automatic chunk size (`options.workers`). */
    private readonly workers: number,
  ) {}

  async apply(fn: unknown, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    const task = remoteTask(fn);
    throwIfAborted(signal);
    const chunks = [{ index: 0, items: args }];
    for await (const r of this.executor.run({ task, mode: 'apply', chunks, window: 1, signal })) return r.value;
    throw invalid('fn', 'a task whose job produced a result', fn);
  }

  async map(fn: unknown, items: AnyIterable, starmap: boolean, options: MapOptions | undefined): Promise<unknown[]> {
    const task = remoteTask(fn);
    const list = await readAll(items, starmap, options?.signal);
    if (list.length === 0) return [];
    const size = options?.chunksize ?? autoChunksize(list.length, this.workers);
    const chunks: RemoteChunk[] = [];
    for (let at = 0, index = 0; at < list.length; at += size)
      chunks.push({ index: index++, items: list.slice(at, at + size) });
    const out = new Array<unknown>(list.length);
    const mode: ChunkMode = starmap ? 'starmap' : 'map';
    for await (const { index, value } of this.executor.run({
      task,
      mode,
      chunks,
      window: Infinity,
      signal: options?.signal,
    })) {
      const values = value as unknown[];
      for (let i = 0; i < values.length; i++) out[index * size + i] = values[i];
    }
    return out;
  }

  /** `imap` (ordered) and `imapUnordered`: a bounded window of jobs over a lazily read source. */
  lazy(
    fn: unknown,
    items: AnyIterable,
    starmap: boolean,
    ordered: boolean,
    options: MapOptions | undefined,
  ): AsyncGenerator<unknown> {
    // Checked at the call, as the local imap does; the jobs start on the first read.
    const task = remoteTask(fn);
    if (!isIterable(items) && !isAsyncIterable(items)) throw invalid('items', 'an iterable or async iterable', items);
    return this.results(task, items, starmap, ordered, options);
  }

  private async *results(
    task: RemoteTaskDef,
    items: AnyIterable,
    starmap: boolean,
    ordered: boolean,
    options: MapOptions | undefined,
  ): AsyncGenerator<unknown> {
    const size = options?.chunksize ?? 1;
    const window = Math.max(4, Math.min(64, Math.ceil(2048 / size / this.workers))) * this.workers;
    const source = isAsyncIterable(items) ? chunksOfAsync(items, size) : chunksOf(items as Iterable<unknown>, size);
    const chunks = indexed(source, starmap, size);
    const run = this.executor.run({ task, mode: starmap ? 'starmap' : 'map', chunks, window, signal: options?.signal });
    const held = new Map<number, unknown[]>();
    let next = 0;
    for await (const { index, value } of run) {
      if (!ordered) {
        yield* value as unknown[];
        continue;
      }
      held.set(index, value as unknown[]);
      for (let v = held.get(next); v !== undefined; v = held.get(next)) {
        held.delete(next++);
        yield* v;
      }
    }
  }
}

async function* indexed(source: AsyncIterable<unknown[]> | Iterable<unknown[]>, starmap: boolean, size: number) {
  let index = 0;
  for await (const items of source) {
    if (starmap) checkTuples(items, index * size);
    yield { index: index++, items };
  }
}

async function readAll(items: AnyIterable, starmap: boolean, signal: AbortSignal | undefined): Promise<unknown[]> {
  if (!isIterable(items) && !isAsyncIterable(items))
    throw invalid(starmap ? 'argTuples' : 'items', 'an iterable or async iterable', items);
  throwIfAborted(signal);
  let list: unknown[];
  if (Array.isArray(items)) list = items;
  else if (isIterable(items)) list = Array.from(items);
  else {
    list = [];
    for await (const x of items) {
      throwIfAborted(signal);
      list.push(x);
    }
  }
  if (starmap) checkTuples(list, 0);
  return list;
}

function checkTuples(list: unknown[], offset: number): void {
  for (let i = 0; i < list.length; i++)
    if (!Array.isArray(list[i])) throw invalid(`argTuples[${offset + i}]`, 'an array of arguments', list[i]);
}

/** `pool.stats()` of a Pool on an executor: `workers` counts the remote worker processes. */
export function remoteStats(executor: Executor): SchedulerStats {
  const r = executor.stats();
  const empty = new Histogram().summary();
  return {
    workers: r.processes,
    busy: r.active,
    queued: r.queued,
    completed: r.completed,
    failed: r.failed,
    respawned: 0,
    recycled: 0,
    stolen: 0,
    split: 0,
    utilization: 0,
    runTime: empty,
    waitTime: empty,
    perWorker: [],
    remote: { processes: r.processes, threads: r.threads },
  };
}
