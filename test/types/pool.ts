// Pool's methods infer argument and result types from the task: results are the awaited return type (an async
// task gives T, never Promise<T>), arguments are checked against the task's parameters.
import { expectTypeOf } from 'expect-type';
import { type AsyncResult, Pool, task, type ModuleTask, type PoolStats, type TaskRef } from 'poolkit';

declare const pool: Pool;
const square = (x: number): number => x * x;
const add = (a: number, b: number): number => a + b;
const shout = async (s: string): Promise<string> => s.toUpperCase();
const pair = (word: string, n: number): [string, number] => [word, n];

// apply: Promise of the return type; async tasks are not double promises.
expectTypeOf(pool.apply(add, [1, 2])).toEqualTypeOf<Promise<number>>();
expectTypeOf(pool.apply(shout, ['hi'])).toEqualTypeOf<Promise<string>>();
expectTypeOf(pool.apply(pair, ['a', 1])).toEqualTypeOf<Promise<[string, number]>>();
expectTypeOf(pool.apply(() => 42)).toEqualTypeOf<Promise<number>>();
// @ts-expect-error: add takes numbers
pool.apply(add, ['1', 2]);
// @ts-expect-error: add takes two arguments
pool.apply(add, [1, 2, 3]);
// @ts-expect-error: args is an array of arguments, not a bare value
pool.apply(square, 3);
// @ts-expect-error: not a task
pool.apply(42, []);
// @ts-expect-error: add needs its arguments; args may be left out only for tasks callable with none
pool.apply(add);
const greet = (name?: string): string => `hello ${name ?? 'you'}`;
expectTypeOf(pool.apply(greet)).toEqualTypeOf<Promise<string>>();
expectTypeOf(pool.apply(greet, [], { signal: AbortSignal.timeout(10) })).toEqualTypeOf<Promise<string>>();
// @ts-expect-error: options are checked too
pool.apply(square, [1], { signal: 'stop' });

// map / starmap: arrays of the awaited result, items typed by the task's (first) parameter.
expectTypeOf(pool.map(square, [1, 2, 3])).toEqualTypeOf<Promise<number[]>>();
expectTypeOf(pool.map(shout, new Set(['a', 'b']))).toEqualTypeOf<Promise<string[]>>();
expectTypeOf(
  pool.starmap(add, [
    [1, 2],
    [3, 4],
  ]),
).toEqualTypeOf<Promise<number[]>>();
expectTypeOf(pool.starmap(pair, [['a', 1]])).toEqualTypeOf<Promise<[string, number][]>>();
// @ts-expect-error: square takes numbers
pool.map(square, ['a', 'b']);
// @ts-expect-error: items must be iterable
pool.map(square, 3);
// @ts-expect-error: map passes one item per call; add needs two arguments (starmap is for that)
pool.map(add, [1, 2]);
// @ts-expect-error: the same for imap
pool.imap(add, [1, 2]);
const scale = (x: number, by = 2): number => x * by;
expectTypeOf(pool.map(scale, [1, 2])).toEqualTypeOf<Promise<number[]>>();
// @ts-expect-error: every tuple must match add's parameters
pool.starmap(add, [[1, 'b']]);
// @ts-expect-error: starmap takes tuples, not items
pool.starmap(add, [1, 2]);
// @ts-expect-error: chunksize is a number
pool.map(square, [1], { chunksize: '4' });

// imap / imapUnordered: lazy async iterators over sync or async iterables.
declare const numbers: AsyncIterable<number>;
expectTypeOf(pool.imap(square, [1, 2])).toEqualTypeOf<AsyncIterableIterator<number>>();
expectTypeOf(pool.imap(shout, ['a'])).toEqualTypeOf<AsyncIterableIterator<string>>();
expectTypeOf(pool.imapUnordered(square, numbers)).toEqualTypeOf<AsyncIterableIterator<number>>();
expectTypeOf(pool.imapUnordered(shout, ['a'], { chunksize: 2 })).toEqualTypeOf<AsyncIterableIterator<string>>();
// @ts-expect-error: square takes numbers
pool.imap(square, ['a']);
// @ts-expect-error: shout takes strings
pool.imapUnordered(shout, numbers);

// applyAsync / mapAsync / starmapAsync: AsyncResult of the awaited result; callbacks get that type.
const ar = pool.applyAsync(shout, ['hi'], { callback: (value) => expectTypeOf(value).toEqualTypeOf<string>() });
expectTypeOf(ar).toEqualTypeOf<AsyncResult<string>>();
expectTypeOf(ar.get(100)).toEqualTypeOf<Promise<string>>();
expectTypeOf(ar.wait()).toEqualTypeOf<Promise<void>>();
expectTypeOf(ar.ready()).toEqualTypeOf<boolean>();
expectTypeOf(ar.successful()).toEqualTypeOf<boolean>();
expectTypeOf(pool.mapAsync(square, [1]).get()).toEqualTypeOf<Promise<number[]>>();
expectTypeOf(pool.starmapAsync(add, [[1, 2]]).get()).toEqualTypeOf<Promise<number[]>>();
// @ts-expect-error: the callback receives a string, not a number
pool.applyAsync(shout, ['hi'], { callback: (value: number) => value });
// @ts-expect-error: add takes numbers
pool.applyAsync(add, ['1', '2']);
// @ts-expect-error: add needs its arguments
pool.applyAsync(add);
// @ts-expect-error: the callbacks receive the array of results
pool.mapAsync(square, [1], { callback: (value: number) => value });

// task(url, name): a typed reference to a module export; the pool infers from its type parameters.
const url = new URL('./tasks.js', import.meta.url);
const ref = task<[n: number], Promise<string>>(url, 'describe');
expectTypeOf(ref).toEqualTypeOf<ModuleTask<[n: number], Promise<string>>>();
expectTypeOf(ref).toExtend<TaskRef<[n: number], Promise<string>>>();
expectTypeOf(ref.url).toEqualTypeOf<string>();
expectTypeOf(ref.name).toEqualTypeOf<string>();
expectTypeOf(pool.apply(ref, [1])).toEqualTypeOf<Promise<string>>();
expectTypeOf(pool.map(ref, [1, 2])).toEqualTypeOf<Promise<string[]>>();
expectTypeOf(pool.imap(ref, [1])).toEqualTypeOf<AsyncIterableIterator<string>>();
expectTypeOf(pool.applyAsync(ref, [1])).toEqualTypeOf<AsyncResult<string>>();
expectTypeOf(task(url)).toEqualTypeOf<ModuleTask<any[], unknown>>();
expectTypeOf(pool.apply(task(url), [1, 'anything'])).toEqualTypeOf<Promise<unknown>>();
expectTypeOf(pool.apply(task(url))).toEqualTypeOf<Promise<unknown>>();
// @ts-expect-error: the reference needs its argument
pool.apply(ref);
// @ts-expect-error: the reference takes a number
pool.apply(ref, ['1']);
// @ts-expect-error: the reference takes a number
pool.map(ref, ['1']);
// @ts-expect-error: the module is a URL or a string
task(42, 'describe');
// @ts-expect-error: the export name is a string
task(url, 1);

// Pool itself.
expectTypeOf(new Pool({ workers: 2, maxQueue: 10, taskTimeout: 1000 })).toEqualTypeOf<Pool>();
expectTypeOf(pool.size).toEqualTypeOf<number>();
expectTypeOf(pool.stats()).toEqualTypeOf<PoolStats>();
expectTypeOf(pool.close()).toEqualTypeOf<void>();
expectTypeOf(pool.join()).toEqualTypeOf<Promise<void>>();
expectTypeOf(pool.terminate()).toEqualTypeOf<Promise<void>>();
expectTypeOf(pool[Symbol.asyncDispose]()).toEqualTypeOf<Promise<void>>();
// @ts-expect-error: workers is a number
new Pool({ workers: '2' });
// @ts-expect-error: unknown option
new Pool({ threads: 2 });

export async function scoped(): Promise<void> {
  await using p = new Pool();
  expectTypeOf(p).toEqualTypeOf<Pool>();
}
