/**
 * `wordCount(input, options)`: counts words by the rules of docs/ARCHITECTURE.md, "Word tokenization" (Unicode letters, marks and numbers,
 * lower-cased with toLowerCase) on the js backend (the reference) or the multithreaded wasm backend.
 */
import {
  abortSignal,
  func,
  intInRange,
  invalid,
  oneOf,
  optional,
  optionsObject,
  positiveInt,
} from '../core/validate.js';
import { Pool } from '../pool/pool.js';
import { platform } from '../core/platform.js';
import { WasmContext } from '../wasm/context.js';
import { computePool } from '../pool/compute-pool.js';
import { openByteSource, throwIfAborted, type ByteInput } from '../bytes/source.js';
import { splitBytes } from '../bytes/split.js';
import { cutAtSeparator } from './cuts.js';
import { countWordsJs } from './js.js';
import { WasmWordCounter } from './wasm.js';
import { WordCountResult, type WordCounts } from './result.js';
import { openFileInput } from '../bytes/file-reader.js';
import { countFile } from './file.js';
import { checkExecutor, type Executor } from '../pool/executor.js';
import { wordCountRemote } from './remote.js';

export type WordCountBackend = 'auto' | 'js' | 'wasm';

/** Progress of a word count: bytes read so far, and the input size when known. */
export interface WordCountProgress {
  bytes: number;
  totalBytes: number | undefined;
}

export interface WordCountOptions {
  /**
   * Threads for the wasm backend, a positive integer. Default: available parallelism (or the pool's size), fewer for
   * inputs of known size under 16 MiB per thread. A file in Node is counted by the calling thread (one split per
   * event-loop turn) and threads - 1 workers; other input by `threads` workers while the calling thread reads it.
   */
  threads?: number;
  /**
   * 'auto' (default): wasm, or js for inputs under 64 KiB or when the kernel's Unicode tables (generated at build
   * time) are of another Unicode version than the running engine's; 'js': the reference; 'wasm': multithreaded wasm.
   */
  backend?: WordCountBackend;
  /** The pool whose workers run the wasm threads; default: poolkit's shared compute pool. */
  pool?: Pool;
  signal?: AbortSignal;
  onProgress?: (progress: WordCountProgress) => void;
  /** Target split size in bytes for the wasm backend (default 2 MiB). */
  splitBytes?: number;
  /**
   * Count on remote workers (`bullmq(...)` from 'poolkit/bullmq'): the input must be a file every worker reads at the
   * same absolute path; splits of `splitBytes` (default 16 MiB) are jobs, and `partitions` (default 2) parent jobs
   * sum them. `threads`, `backend`, `pool` and `tuning` are then set per worker.
   */
  executor?: Executor;
  /** Reduce partitions with `executor`. */
  partitions?: number;
  /** @internal Testing: wasm table and arena sizes (small values exercise growth). */
  tuning?: { initialSlots?: number; arenaBytes?: number };
}

const WORDCOUNT_KEYS = [
  'threads',
  'backend',
  'pool',
  'signal',
  'onProgress',
  'splitBytes',
  'tuning',
  'executor',
] as const;
const REMOTE_KEYS = ['executor', 'partitions', 'signal', 'onProgress', 'splitBytes'] as const;
const TUNING_KEYS = ['initialSlots', 'arenaBytes'] as const;
const BACKENDS = ['auto', 'js', 'wasm'] as const;
const SMALL = 64 << 10;
const PER_THREAD = 16 << 20;
/** Splits live in wasm memory, one per thread and more in flight: past 1 GiB they could not fit in 4 GiB. */
const MAX_SPLIT = 1 << 30;

/**
 * Counts the words of `input` (text, bytes, a Blob, a byte stream, or a file in Node as `{ path }` / a file: URL).
 * Identical counts on every backend, thread count and chunking.
 * @throws InvalidArgumentError for a bad input, a missing file or a directory, or a bad option
 */
export async function wordCount(input: ByteInput, options?: WordCountOptions): Promise<WordCounts> {
  if (options?.executor !== undefined) return remote(input, options);
  const checked = checkOptions(options);
  const { signal, onProgress, backend } = checked;
  options = checked;
  throwIfAborted(signal);
  // Files in Node are read by the wasm threads themselves, each its own splits (or streamed to the js backend);
  // everything else streams chunks.
  const file = backend === 'js' ? undefined : await openFileInput(input);
  try {
    const source = file ?? (await openByteSource(input, signal));
    const progress = (bytes: number) => onProgress?.({ bytes, totalBytes: source.size });
    const countJs = async () => {
      const counts = new Map<string, number>();
      const { total, bytes } = await countWordsJs(source.chunks, counts, signal, progress);
      return new WordCountResult(counts, total, bytes, 'js', 1);
    };
    if (backend === 'js' || (backend === 'auto' && source.size !== undefined && source.size < SMALL))
      return await countJs();
    // Unless told, use about one thread per 16 MiB of known input: starting a worker costs more than it saves below.
    const most = options.pool?.size ?? platform().defaultConcurrency();
    const threads =
      options.threads ??
      (source.size !== undefined ? Math.max(1, Math.min(most, Math.ceil(source.size / PER_THREAD))) : most);
    const pool = threads > 1 && platform().sharedMemoryAvailable() ? (options.pool ?? computePool(threads)) : undefined;
    const ctx = await WasmContext.create('wordcount', { threads, pool });
    if (backend === 'auto' && !sameUnicode(Number(ctx.exports.unicodeVersion()))) {
      // The kernel's tables come from the Node that built it; another Unicode version could classify differently.
      return await countJs();
    }
    const call = ctx.call;
    const splitSize = options.splitBytes ?? 2 << 20;
    if (file) {
      const { initialSlots, arenaBytes } = options.tuning ?? {};
      const r = await countFile(ctx, pool, call, file, {
        splitBytes: splitSize,
        signal,
        onBytes: progress,
        initialSlots,
        arenaBytes,
      });
      return new WordCountResult(r.counts, r.total, r.bytes, 'wasm', ctx.threads);
    }
    const counter = new WasmWordCounter(ctx, call, {
      splitBytes: splitSize,
      signal,
      sizeHint: source.size,
      mainAssist: ctx.threads > 1 && pool !== undefined,
      ...options.tuning,
    });
    let bytes = 0;
    for await (const split of splitBytes(source.chunks, splitSize, cutAtSeparator)) {
      bytes += split.length;
      await counter.add(split);
      progress(bytes);
      // On one thread every step resolves in a microtask: give timers (an abort, a page's own work) a turn per split.
      if (ctx.threads === 1) {
        await platform().macrotask();
        throwIfAborted(signal);
      }
    }
    const { counts, total } = await counter.finish();
    return new WordCountResult(counts, total, bytes, 'wasm', ctx.threads);
  } finally {
    await file?.close();
  }
}

/** `wordCount` on an executor: only the options that mean something there. */
async function remote(input: ByteInput, options: WordCountOptions): Promise<WordCounts> {
  const o = optionsObject(options, 'options', REMOTE_KEYS);
  const signal = optional(o.signal, 'options.signal', abortSignal);
  const onProgress = optional(o.onProgress, 'options.onProgress', func<(p: WordCountProgress) => void>);
  const counts = await wordCountRemote(input, checkExecutor(o.executor, 'options.executor'), {
    splitBytes:
      o.splitBytes === undefined ? 16 << 20 : intInRange(o.splitBytes, 'options.splitBytes', 1, MAX_SPLIT, '1 GiB'),
    partitions: optional(o.partitions, 'options.partitions', positiveInt) ?? 2,
    signal,
  });
  onProgress?.({ bytes: counts.bytes, totalBytes: counts.bytes });
  return counts;
}

/** The options, validated, with the backend defaulted. */
function checkOptions(options: unknown): WordCountOptions & { backend: WordCountBackend } {
  const o = optionsObject(options, 'options', WORDCOUNT_KEYS);
  const pool = o.pool;
  if (pool !== undefined && !(pool instanceof Pool)) throw invalid('options.pool', 'a Pool', pool);
  let tuning: WordCountOptions['tuning'];
  if (o.tuning !== undefined) {
    const t = optionsObject(o.tuning, 'options.tuning', TUNING_KEYS);
    tuning = {
      initialSlots: optional(t.initialSlots, 'options.tuning.initialSlots', positiveInt),
      arenaBytes: optional(t.arenaBytes, 'options.tuning.arenaBytes', positiveInt),
    };
  }
  return {
    backend: o.backend === undefined ? 'auto' : oneOf(o.backend, 'options.backend', BACKENDS),
    threads: optional(o.threads, 'options.threads', positiveInt),
    splitBytes:
      o.splitBytes === undefined ? undefined : intInRange(o.splitBytes, 'options.splitBytes', 1, MAX_SPLIT, '1 GiB'),
    pool,
    signal: optional(o.signal, 'options.signal', abortSignal),
    onProgress: optional(o.onProgress, 'options.onProgress', func<(p: WordCountProgress) => void>),
    tuning,
  };
}

/** True unless the runtime reports a Unicode version (Node does) other than the kernel tables' (major * 100 + minor). */
function sameUnicode(kernel: number): boolean {
  const v = (globalThis as { process?: { versions?: { unicode?: string } } }).process?.versions?.unicode;
  if (!v) return true;
  const [major = 0, minor = 0] = v.split('.').map(Number);
  return major * 100 + minor === kernel;
}
