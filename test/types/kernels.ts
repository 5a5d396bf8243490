// kmeans, predict and wordCount: options are checked (required k, known backends, typed callbacks), results are
// the documented shapes whatever the backend.
import { expectTypeOf } from 'expect-type';
import {
  kmeans,
  predict,
  wordCount,
  Pool,
  type BackendName,
  type KMeansData,
  type KMeansOptions,
  type KMeansProgress,
  type KMeansResult,
  type WordCountBackend,
  type WordCountOptions,
  type WordCountProgress,
  type WordCounts,
} from 'poolkit';

const rows = [
  [0, 1],
  [2, 3],
];
const flat = new Float32Array(8);

// kmeans: data as typed arrays (with dims) or arrays of rows; k is required.
expectTypeOf(kmeans(flat, { k: 2, dims: 4 })).toEqualTypeOf<Promise<KMeansResult>>();
expectTypeOf(kmeans(new Float64Array(8), { k: 2, dims: 4, seed: 3, nInit: 4, maxIter: 50, tol: 1e-6 })).toEqualTypeOf<
  Promise<KMeansResult>
>();
expectTypeOf(kmeans(rows, { k: 1, init: 'random', backend: 'wasm', threads: 2 })).toEqualTypeOf<
  Promise<KMeansResult>
>();
expectTypeOf(
  kmeans(rows, { k: 1, init: [[0, 0]], sampleWeight: [1, 2], signal: AbortSignal.timeout(10) }),
).toEqualTypeOf<Promise<KMeansResult>>();
kmeans(rows, { k: 1, onProgress: (p) => expectTypeOf(p).toEqualTypeOf<KMeansProgress>() });
expectTypeOf<KMeansProgress>().toEqualTypeOf<{
  run: number;
  iteration: number;
  inertia: number;
  shift: number;
  skipped: number;
  algorithm: 'lloyd' | 'hamerly' | 'elkan' | 'yinyang';
}>();
expectTypeOf(rows).toExtend<KMeansData>();
expectTypeOf<KMeansOptions['backend']>().toEqualTypeOf<'auto' | 'js' | 'wasm' | 'webgpu' | undefined>();
expectTypeOf<KMeansOptions['init']>().toEqualTypeOf<
  'k-means++' | 'random' | Float32Array | Float64Array | ArrayLike<number>[] | undefined
>();
// @ts-expect-error: k is required
kmeans(rows, {});
// @ts-expect-error: options are required
kmeans(rows);
// @ts-expect-error: not a backend
kmeans(rows, { k: 2, backend: 'cuda' });
// @ts-expect-error: not an init method
kmeans(rows, { k: 2, init: 'kmeans++' });
// @ts-expect-error: k is a number
kmeans(rows, { k: '2' });
// @ts-expect-error: unknown option (scikit-learn's name is n_clusters; poolkit's is k)
kmeans(rows, { k: 2, nClusters: 2 });
// @ts-expect-error: data is numbers, not strings
kmeans([['a', 'b']], { k: 1 });

// The result.
declare const r: KMeansResult;
expectTypeOf(r.centroids).toEqualTypeOf<Float32Array>();
expectTypeOf(r.labels).toEqualTypeOf<Int32Array>();
expectTypeOf(r.inertia).toEqualTypeOf<number>();
expectTypeOf(r.iterations).toEqualTypeOf<number>();
expectTypeOf(r.converged).toEqualTypeOf<boolean>();
expectTypeOf(r.backend).toEqualTypeOf<BackendName>();
expectTypeOf<BackendName>().toEqualTypeOf<'js' | 'wasm' | 'webgpu'>();
expectTypeOf(r.threads).toEqualTypeOf<number>();

// predict: the nearest centroid of each row.
expectTypeOf(predict(r.centroids, flat, { dims: 4 })).toEqualTypeOf<Promise<Int32Array>>();
expectTypeOf(predict(rows, rows)).toEqualTypeOf<Promise<Int32Array>>();
// @ts-expect-error: k is kmeans' option, not predict's
predict(rows, rows, { k: 2 });

// wordCount: text, bytes, blobs, streams, iterables, files; one result shape.
declare const stream: ReadableStream<Uint8Array>;
declare const chunks: AsyncIterable<Uint8Array>;
expectTypeOf(wordCount('a b a')).toEqualTypeOf<Promise<WordCounts>>();
expectTypeOf(wordCount(new Uint8Array(4), { backend: 'js' })).toEqualTypeOf<Promise<WordCounts>>();
expectTypeOf(wordCount(new Blob(['a']), { threads: 2, pool: new Pool() })).toEqualTypeOf<Promise<WordCounts>>();
expectTypeOf(wordCount(stream)).toEqualTypeOf<Promise<WordCounts>>();
expectTypeOf(wordCount(chunks)).toEqualTypeOf<Promise<WordCounts>>();
expectTypeOf(wordCount(new URL('file:///tmp/words.txt'))).toEqualTypeOf<Promise<WordCounts>>();
wordCount('a', { onProgress: (p) => expectTypeOf(p).toEqualTypeOf<WordCountProgress>() });
expectTypeOf<WordCountProgress>().toEqualTypeOf<{ bytes: number; totalBytes: number | undefined }>();
expectTypeOf<WordCountOptions['backend']>().toEqualTypeOf<WordCountBackend | undefined>();
expectTypeOf<WordCountBackend>().toEqualTypeOf<'auto' | 'js' | 'wasm'>();
// @ts-expect-error: word count has no webgpu backend
wordCount('a', { backend: 'webgpu' });
// @ts-expect-error: not an input
wordCount(42);
// @ts-expect-error: threads is a number
wordCount('a', { threads: 'all' });

declare const counts: WordCounts;
expectTypeOf(counts.total).toEqualTypeOf<number>();
expectTypeOf(counts.unique).toEqualTypeOf<number>();
expectTypeOf(counts.bytes).toEqualTypeOf<number>();
expectTypeOf(counts.backend).toEqualTypeOf<'js' | 'wasm'>();
expectTypeOf(counts.get('word')).toEqualTypeOf<number>();
expectTypeOf(counts.top(10)).toEqualTypeOf<Array<[string, number]>>();
expectTypeOf(counts.top()).toEqualTypeOf<Array<[string, number]>>();
expectTypeOf(counts.entries()).toEqualTypeOf<IterableIterator<[string, number]>>();
// @ts-expect-error: the result is read-only
counts.total = 1;
// @ts-expect-error: get takes the word
counts.get(1);
