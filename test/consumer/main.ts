// Uses poolkit as an application would, through the package name only. Type-checked, never run.
import {
  Pool,
  task,
  kmeans,
  predict,
  wordCount,
  mapReduce,
  Lock,
  PoolkitError,
  InvalidArgumentError,
  AbortError,
  WebGpuUnavailableError,
  setGpuProvider,
  releaseGpu,
  type GpuProvider,
  type KMeansResult,
  type WordCounts,
  type PoolOptions,
  type TaskRef,
} from 'poolkit';

const square = (x: number): number => x * x;
const options: PoolOptions = { workers: 2 };

export async function main(): Promise<void> {
  const pool = new Pool(options);
  try {
    const squares: number[] = await pool.map(square, [1, 2, 3]);
    const sum: number = await pool.apply((a: number, b: number) => a + b, [1, 2]);
    for await (const s of pool.imap(square, [4, 5])) squares.push(s);
    const shout: TaskRef<[string], string> = task<[string], string>(new URL('./tasks.js', import.meta.url), 'shout');
    const loud: string = await pool.apply(shout, ['hi']);
    console.log(squares, sum, loud, pool.stats());
  } catch (e) {
    if (e instanceof InvalidArgumentError) console.log(e.argument, e.code);
    else if (e instanceof AbortError || e instanceof PoolkitError) console.log(e.code);
  } finally {
    await pool.terminate();
  }

  const r: KMeansResult = await kmeans(new Float32Array(8), { k: 2, dims: 2, seed: 1 });
  const labels: Int32Array = await predict(r.centroids, new Float32Array(4), { dims: 2 });
  const counts: WordCounts = await wordCount('a b a');
  const reduced = await mapReduce(['a b', 'b'], {
    map: (line: string) => line.split(' ').map((w): [string, number] => [w, 1]),
    reduce: (_word: string, ones: number[]) => ones.length,
  });
  console.log(labels, counts.top(2), reduced);

  const noGpu: GpuProvider = { name: 'none', requestAdapter: async () => null };
  const previous = setGpuProvider(noGpu);
  setGpuProvider(previous);
  await releaseGpu();
  console.log(new WebGpuUnavailableError('none').code);

  const lock = new Lock();
  if (lock.acquire(0)) lock.release();
}
