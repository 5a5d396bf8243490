/**
 * Worker-process steps of `wordCount(input, { executor })`: a split's words counted on the local Pool and cut into
 * partitions, and a partition's sum over every split (docs/ARCHITECTURE.md, "Distributed").
 */
import { PoolkitError } from '../core/errors.js';
import { platform } from '../core/platform.js';
import type { ChildStep, ParentStep } from '../pool/remote-step.js';
import type { RemotePart, RemoteSplit } from './remote.js';
import { cutInFile } from './splits.js';
import { wordCount } from './wordcount.js';

/** FNV-1a of the word: the partition of a word depends on the word only. */
function partOf(word: string, parts: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return (h >>> 0) % parts;
}

/** Split `s` covers [cut(s·S), cut((s+1)·S)): the same bounds as the local count, so splits tile the file. */
async function countSplit(d: RemoteSplit, pool: Parameters<ChildStep>[1]['pool']): Promise<RemotePart[]> {
  const file = await platform().openFile!(d.path);
  let bytes: Uint8Array;
  try {
    if (file.size !== d.size)
      throw new PoolkitError(`${d.path} is ${file.size} bytes on this worker, ${d.size} on the host`, {
        code: 'ERR_REMOTE_INPUT',
      });
    const scratch = new Uint8Array(64 << 10);
    const a = cutInFile(file, d.split * d.splitBytes, d.size, scratch);
    const b = cutInFile(file, Math.min(d.size, (d.split + 1) * d.splitBytes), d.size, scratch);
    bytes = new Uint8Array(Math.max(0, b - a));
    if (bytes.length) file.readAt(bytes, a);
  } finally {
    await file.close();
  }
  const counts = await wordCount(bytes, { pool, threads: pool.size });
  const words: string[][] = Array.from({ length: d.parts }, () => []);
  const values: number[][] = Array.from({ length: d.parts }, () => []);
  for (const [w, n] of counts.entries()) {
    const p = partOf(w, d.parts);
    words[p]!.push(w);
    values[p]!.push(n);
  }
  return words.map((ws, p) => ({
    words: ws,
    counts: Float64Array.from(values[p]!),
    total: counts.total,
    bytes: bytes.length,
    backend: counts.backend,
  }));
}

export const wordCountSplit: ChildStep = (data, ctx) => {
  const d = data as RemoteSplit;
  return ctx.shared(`wc:${d.job}:${d.split}`, d.part, () => countSplit(d, ctx.pool));
};

export const wordCountPartition: ParentStep = async (_d, results) => {
  const children = results as RemotePart[];
  const sum = new Map<string, number>();
  let total = 0;
  let bytes = 0;
  for (const c of children) {
    total += c.total;
    bytes += c.bytes;
    for (let i = 0; i < c.words.length; i++) sum.set(c.words[i]!, (sum.get(c.words[i]!) ?? 0) + c.counts[i]!);
  }
  const out: RemotePart = {
    words: [...sum.keys()],
    counts: Float64Array.from(sum.values()),
    total,
    bytes,
    backend: children[0]?.backend ?? 'js',
  };
  return out;
};
