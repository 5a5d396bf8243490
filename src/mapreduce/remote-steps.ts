/**
 * Worker-process steps of `mapReduce(input, { executor })`: a split mapped (and combined) once on the local Pool,
 * its partitions shared by that split's jobs; a partition's values merged in split order, combined, and reduced
 * on the local Pool (docs/ARCHITECTURE.md, "Distributed").
 */
import { platform, type PositionalFile } from '../core/platform.js';
import { PoolkitError } from '../core/errors.js';
import { builtin, resolveTask } from '../pool/task-ref.js';
import type { RemoteTaskDef } from '../pool/executor.js';
import type { ChildStep, ParentStep, RemoteStepContext } from '../pool/remote-step.js';
import type { FnSpec, MapOutput, SplitPayload } from './steps.js';
import type { RemoteMapPart, RemoteMapSplit, RemoteReduce, RemoteReduced } from './remote.js';

const BATCH = 4096;

function spec(ctx: RemoteStepContext, def: RemoteTaskDef | null): FnSpec | null {
  if (def === null) return null;
  const r = resolveTask(ctx.task(def));
  return { key: r.key, def: r.def };
}

/** cut(x): the first position at or after x that follows the delimiter (0 and the end of the file are cuts). */
function cutAfter(file: PositionalFile, x: number, size: number, delimiter: number, scratch: Uint8Array): number {
  if (x <= 0) return 0;
  for (let pos = x - 1; pos < size; ) {
    const n = file.readAt(scratch, pos);
    if (n === 0) break;
    const i = scratch.subarray(0, n).indexOf(delimiter);
    if (i >= 0) return Math.min(size, pos + i + 1);
    pos += n;
  }
  return size;
}

async function payloadOf(d: RemoteMapSplit): Promise<{ payload: SplitPayload; bytes: number }> {
  if (!d.file) return { payload: { records: d.records ?? [] }, bytes: 0 };
  const { path, size, splitBytes, delimiter } = d.file;
  const file = await platform().openFile!(path);
  try {
    if (file.size !== size)
      throw new PoolkitError(`${path} is ${file.size} bytes on this worker, ${size} on the host`, {
        code: 'ERR_REMOTE_INPUT',
      });
    const scratch = new Uint8Array(64 << 10);
    const a = cutAfter(file, d.split * splitBytes, size, delimiter, scratch);
    const b = cutAfter(file, Math.min(size, (d.split + 1) * splitBytes), size, delimiter, scratch);
    const bytes = new Uint8Array(Math.max(0, b - a));
    if (bytes.length) file.readAt(bytes, a);
    return { payload: { bytes, delimiter, first: a === 0 }, bytes: bytes.length };
  } finally {
    await file.close();
  }
}

async function mapSplit(d: RemoteMapSplit, ctx: RemoteStepContext): Promise<RemoteMapPart[]> {
  const { payload, bytes } = await payloadOf(d);
  const out = (await ctx.pool.apply(builtin('mapreduce.map'), [
    spec(ctx, d.map),
    spec(ctx, d.combine),
    d.parts,
    payload,
  ])) as MapOutput;
  return out.parts.map((entries) => ({ entries, records: out.records, pairs: out.pairs, bytes }));
}

export const mapReduceSplit: ChildStep = (data, ctx) => {
  const d = data as RemoteMapSplit;
  return ctx.shared(`mr:${d.job}:${d.split}`, d.part, () => mapSplit(d, ctx));
};

export const mapReducePartition: ParentStep = async (data, results, ctx) => {
  const d = data as RemoteReduce;
  const children = results as RemoteMapPart[];
  const merged = new Map<unknown, unknown[]>();
  const out: RemoteReduced = { entries: [], records: 0, pairs: 0, bytes: 0 };
  for (const c of children) {
    out.records += c.records;
    out.pairs += c.pairs;
    out.bytes += c.bytes;
    for (const [k, vs] of c.entries) {
      const have = merged.get(k);
      if (have) for (const v of vs) have.push(v);
      else merged.set(k, vs);
    }
  }
  // Values are not combined again here: reduce sees each split's combined value, as the local run mostly does.
  const entries = [...merged];
  const reduce = spec(ctx, d.reduce);
  const batches = async (step: string, fn: FnSpec | null, list: Array<[unknown, unknown[]]>) => {
    const jobs = [];
    for (let i = 0; i < list.length; i += BATCH)
      jobs.push(ctx.pool.apply(builtin(step), [fn, list.slice(i, i + BATCH)]) as Promise<Array<[unknown, unknown]>>);
    return (await Promise.all(jobs)).flat();
  };
  out.entries = await batches('mapreduce.reduce', reduce, entries);
  return out;
};
