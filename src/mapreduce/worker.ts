/**
 * Worker side of mapReduce: built-in tasks that run the user's map / combine / reduce functions over whole splits
 * and partitions, so a split costs one message. Imported by the worker entries (src/pool/worker/kernels.ts).
 */
import { registerBuiltin, lookupBuiltin } from '../pool/worker/builtins.js';
import type { FnDef } from '../pool/task-ref.js';
import { checkKey, partitionOf } from './partition.js';

type Fn = (...args: unknown[]) => unknown;

/** A user function as sent by the host: its wire key (for caching) and definition. */
export interface FnSpec {
  key: number;
  def: FnDef;
}

/** A split: records, or bytes to cut into records at a one-byte delimiter. */
export type SplitPayload = { records: unknown[] } | { bytes: Uint8Array; delimiter: number; first: boolean };

/** What a map task returns: per partition, [key, values] entries. */
export interface MapOutput {
  parts: Array<Array<[unknown, unknown[]]>>;
  records: number;
  pairs: number;
}

const fns = new Map<number, Fn | Promise<Fn>>();

function resolve(spec: FnSpec): Fn | Promise<Fn> {
  let f = fns.get(spec.key);
  if (!f) {
    const def = spec.def;
    if ('src' in def) {
      const g = new Function(`return (${def.src}\n)`)() as unknown;
      if (typeof g !== 'function') throw new TypeError('task source did not evaluate to a function');
      f = g as Fn;
    } else if ('builtin' in def) {
      const g = lookupBuiltin(def.builtin);
      if (!g) throw new Error(`unknown built-in task '${def.builtin}'`);
      f = g as Fn;
    } else {
      f = import(/* @vite-ignore */ def.url).then((mod: Record<string, unknown>) => {
        const g = mod[def.name];
        if (typeof g !== 'function') throw new TypeError(`module ${def.url} has no exported function '${def.name}'`);
        fns.set(spec.key, g as Fn);
        return g as Fn;
      });
      (f as Promise<Fn>).catch(() => fns.delete(spec.key));
    }
    fns.set(spec.key, f);
  }
  return f;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

function records(split: SplitPayload): unknown[] {
  if ('records' in split) return split.records;
  const text = new TextDecoder('utf-8', { ignoreBOM: !split.first }).decode(split.bytes);
  const lines = text.split(String.fromCharCode(split.delimiter));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

async function mapSplit(mapSpec: FnSpec, combineSpec: FnSpec | null, parts: number, split: SplitPayload): Promise<MapOutput> {
  const map = await resolve(mapSpec);
  const combine = combineSpec ? await resolve(combineSpec) : null;
  const groups = new Map<unknown, unknown[]>();
  let pairs = 0;
  const emit = (pair: unknown) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`mapReduce: map must yield [key, value] pairs, got ${JSON.stringify(pair)?.slice(0, 60)}`);
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
    } else throw new TypeError('mapReduce: map must return an iterable of [key, value] pairs (an array or a generator)');
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

async function combineEntries(combineSpec: FnSpec, entries: Array<[unknown, unknown[]]>): Promise<Array<[unknown, unknown[]]>> {
  const combine = await resolve(combineSpec);
  const out: Array<[unknown, unknown[]]> = [];
  for (const [k, values] of entries) {
    let c = values.length > 1 ? combine(k, values) : values[0];
    if (isThenable(c)) c = await c;
    out.push([k, [c]]);
  }
  return out;
}

async function reduceEntries(reduceSpec: FnSpec | null, entries: Array<[unknown, unknown[]]>): Promise<Array<[unknown, unknown]>> {
  const reduce = reduceSpec ? await resolve(reduceSpec) : null;
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

registerBuiltin('mapreduce.map', mapSplit as (...a: any[]) => unknown);
registerBuiltin('mapreduce.combine', combineEntries as (...a: any[]) => unknown);
registerBuiltin('mapreduce.reduce', reduceEntries as (...a: any[]) => unknown);
