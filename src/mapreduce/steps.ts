/**
 * Worker side of mapReduce: built-in tasks that run the user's map / combine / reduce functions over whole splits
 * and partitions, so a split costs one message. Listed in the worker entries' kernel table (src/worker/kernels.ts).
 */
import type { FnSpec, KernelContext } from '../pool/worker/kernel.js';
import { checkKey, partitionOf } from './partition.js';
import { invalid } from '../core/validate.js';

export type { FnSpec };

/** A split: records, or bytes to cut into records at a one-byte delimiter. */
export type SplitPayload = { records: unknown[] } | { bytes: Uint8Array; delimiter: number; first: boolean };

/** What a map task returns: per partition, [key, values] entries. */
export interface MapOutput {
  parts: Array<Array<[unknown, unknown[]]>>;
  records: number;
  pairs: number;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

function records(split: SplitPayload): unknown[] {
  if ('records' in split) return split.records;
  const text = new TextDecoder('utf-8', { ignoreBOM: !split.first }).decode(split.bytes);
  const lines = text.split(String.fromCharCode(split.delimiter));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The `mapreduce.map` kernel step. */
export async function mapSplit(
  ctx: KernelContext,
  mapSpec: FnSpec,
  combineSpec: FnSpec | null,
  parts: number,
  split: SplitPayload,
): Promise<MapOutput> {
  const map = await ctx.resolveTask(mapSpec);
  const combine = combineSpec ? await ctx.resolveTask(combineSpec) : null;
  const groups = new Map<unknown, unknown[]>();
  let pairs = 0;
  const emit = (pair: unknown) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw invalid('options.map', 'a function returning or yielding [key, value] pairs', pair, 'one of its pairs');
    const [k, v] = pair as [unknown, unknown];
    checkKey(k);
    const g = groups.get(k);
    if (g) g.push(v);
    else groups.set(k, [v]);
    pairs++;
  };
  const recs = records(split);
  for (const rec of recs) {
    let out = map(rec);
    if (isThenable(out)) out = await out;
    if (out === undefined || out === null) continue;
    if (typeof (out as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      for await (const pair of out as AsyncIterable<unknown>) emit(pair);
    } else if (typeof (out as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of out as Iterable<unknown>) emit(pair);
    } else
      throw invalid(
        'options.map',
        'a function returning an iterable of [key, value] pairs (an array or a generator)',
        out,
        'what it returned',
      );
  }
  const out: MapOutput = { parts: Array.from({ length: parts }, () => []), records: recs.length, pairs };
  for (const [k, values] of groups) {
    let vs = values;
    if (combine) {
      let c = combine(k, values);
      if (isThenable(c)) c = await c;
      vs = [c];
    }
    out.parts[partitionOf(k, parts)]!.push([k, vs]);
  }
  return out;
}

/** The `mapreduce.combine` kernel step. */
export async function combineEntries(
  ctx: KernelContext,
  combineSpec: FnSpec,
  entries: Array<[unknown, unknown[]]>,
): Promise<Array<[unknown, unknown[]]>> {
  const combine = await ctx.resolveTask(combineSpec);
  const out: Array<[unknown, unknown[]]> = [];
  for (const [k, values] of entries) {
    let c = values.length > 1 ? combine(k, values) : values[0];
    if (isThenable(c)) c = await c;
    out.push([k, [c]]);
  }
  return out;
}

/** The `mapreduce.reduce` kernel step. */
export async function reduceEntries(
  ctx: KernelContext,
  reduceSpec: FnSpec | null,
  entries: Array<[unknown, unknown[]]>,
): Promise<Array<[unknown, unknown]>> {
  const reduce = reduceSpec ? await ctx.resolveTask(reduceSpec) : null;
  const out: Array<[unknown, unknown]> = [];
  for (const [k, values] of entries) {
    let r: unknown = values;
    if (reduce) {
      r = reduce(k, values);
      if (isThenable(r)) r = await r;
    }
    out.push([k, r]);
  }
  return out;
}
