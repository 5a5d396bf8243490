/**
 * `wordCount(input, { executor })`: the file is named, never sent. Each split (a byte range, cut where the local
 * count cuts: wordcount/splits.ts) is one child job per reduce partition; each partition's parent job sums its
 * words over all splits. A split's words are counted once and shared by its partitions' jobs (RemoteStepContext).
 */
import { invalid } from '../core/validate.js';
import { throwIfAborted } from '../core/errors.js';
import type { Executor, FlowParent } from '../pool/executor.js';
import { filePathOf, type ByteInput } from '../bytes/source.js';
import { openFileInput } from '../bytes/file-reader.js';
import { WordCountResult, type WordCounts } from './result.js';

/** What a split job of partition `part` gets. */
export interface RemoteSplit {
  job: string;
  path: string;
  size: number;
  splitBytes: number;
  split: number;
  part: number;
  parts: number;
}

/** One partition's words over one split (a child's result) or over all splits (a parent's). */
export interface RemotePart {
  words: string[];
  counts: Float64Array;
  total: number;
  bytes: number;
  backend: 'js' | 'wasm';
}

export interface RemoteWordCountOptions {
  splitBytes: number;
  partitions: number;
  signal: AbortSignal | undefined;
}

export async function wordCountRemote(
  input: ByteInput,
  executor: Executor,
  o: RemoteWordCountOptions,
): Promise<WordCounts> {
  const path = filePathOf(input);
  if (path === undefined || !isAbsolute(path))
    throw invalid('input', 'a file every worker can read, by absolute path ({ path } or a file: URL)', input);
  const file = await openFileInput(input);
  const size = file!.size;
  await file!.close();
  throwIfAborted(o.signal);
  const job = globalThis.crypto.randomUUID();
  const splits = Math.max(1, Math.ceil(size / o.splitBytes));
  const parents: FlowParent[] = [];
  for (let part = 0; part < o.partitions; part++) {
    const children = [];
    for (let split = 0; split < splits; split++) {
      const data: RemoteSplit = { job, path, size, splitBytes: o.splitBytes, split, part, parts: o.partitions };
      children.push({ step: 'wordcount.split', data });
    }
    parents.push({ step: 'wordcount.partition', data: null, children });
  }
  const parts = (await executor.runFlow(parents, { signal: o.signal })) as RemotePart[];
  const counts = new Map<string, number>();
  for (const p of parts) for (let i = 0; i < p.words.length; i++) counts.set(p.words[i]!, p.counts[i]!);
  // Every partition's children cover the whole file: each parent knows the totals.
  const first = parts[0]!;
  return new WordCountResult(counts, first.total, first.bytes, first.backend, Math.max(1, executor.stats().threads));
}

/** Absolute in the sense every machine reads the same way: POSIX, or a Windows drive or UNC path. */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
