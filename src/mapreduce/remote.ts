/**
 * `mapReduce(input, { ..., executor })`: splits are child jobs and each reduce partition is their parent job in a
 * BullMQ flow. A file input is named, never sent: splits are byte ranges cut after the delimiter, read by the
 * workers. Records of an iterable travel in their split's jobs. Split outputs merge in split order, as locally.
 */
import { throwIfAborted } from '../core/errors.js';
import { invalid } from '../core/validate.js';
import { filePathOf, isByteInput, type ByteInput } from '../bytes/source.js';
import { openFileInput } from '../bytes/file-reader.js';
import type { MapReduceCounters } from './counters.js';
import type { Executor, FlowParent, RemoteTaskDef } from '../pool/executor.js';

/** A split job's data: a byte range of a file, or records; and which partition of its output it returns. */
export interface RemoteMapSplit {
  job: string;
  split: number;
  part: number;
  parts: number;
  map: RemoteTaskDef;
  combine: RemoteTaskDef | null;
  file?: { path: string; size: number; splitBytes: number; delimiter: number };
  records?: unknown[];
}

/** One split's output for one partition. */
export interface RemoteMapPart {
  entries: Array<[unknown, unknown[]]>;
  records: number;
  pairs: number;
  bytes: number;
}

export interface RemoteReduce {
  combine: RemoteTaskDef | null;
  reduce: RemoteTaskDef | null;
}

/** A partition's reduced entries, with the counters of every split (each parent sees all of them). */
export interface RemoteReduced {
  entries: Array<[unknown, unknown]>;
  records: number;
  pairs: number;
  bytes: number;
}

export interface RemoteMapReduceJob {
  map: RemoteTaskDef;
  combine: RemoteTaskDef | null;
  reduce: RemoteTaskDef | null;
  partitions: number;
  chunksize: number;
  splitBytes: number;
  delimiter: number;
  signal: AbortSignal | undefined;
}

export async function mapReduceRemote(
  input: unknown,
  executor: Executor,
  o: RemoteMapReduceJob,
): Promise<{ entries: Array<[unknown, unknown]>; counters: MapReduceCounters }> {
  const job = globalThis.crypto.randomUUID();
  const base = { job, parts: o.partitions, map: o.map, combine: o.combine };
  const splits: Array<Omit<RemoteMapSplit, 'part'>> = [];
  if (isByteInput(input)) {
    const path = filePathOf(input as ByteInput);
    if (path === undefined || !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path))
      throw invalid('input', 'a file every worker can read, by absolute path ({ path } or a file: URL)', input);
    const f = await openFileInput(input as ByteInput);
    const size = f!.size;
    await f!.close();
    const file = { path, size, splitBytes: o.splitBytes, delimiter: o.delimiter };
    for (let s = 0; s * o.splitBytes < size || s === 0; s++) splits.push({ ...base, split: s, file });
  } else {
    if (input === null || typeof input !== 'object' || !(Symbol.iterator in input || Symbol.asyncIterator in input))
      throw invalid('input', 'an iterable of records or a file ({ path } or a file: URL)', input);
    let batch: unknown[] = [];
    for await (const rec of input as AsyncIterable<unknown>) {
      batch.push(rec);
      if (batch.length >= o.chunksize) {
        splits.push({ ...base, split: splits.length, records: batch });
        batch = [];
      }
    }
    if (batch.length || splits.length === 0) splits.push({ ...base, split: splits.length, records: batch });
  }
  throwIfAborted(o.signal);
  const parents: FlowParent[] = [];
  for (let part = 0; part < o.partitions; part++) {
    const data: RemoteReduce = { combine: o.combine, reduce: o.reduce };
    parents.push({
      step: 'mapreduce.partition',
      data,
      children: splits.map((s) => ({ step: 'mapreduce.split', data: { ...s, part } })),
    });
  }
  const reduced = (await executor.runFlow(parents, { signal: o.signal })) as RemoteReduced[];
  const first = reduced[0]!;
  const entries = reduced.flatMap((r) => r.entries);
  return {
    entries,
    counters: {
      records: first.records,
      bytes: first.bytes,
      pairs: first.pairs,
      keys: entries.length,
      splits: splits.length,
      reExecutedSplits: 0,
      partitions: o.partitions,
    },
  };
}
