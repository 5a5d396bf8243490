// Compile-time checks of the Pool's types (run by test/pool-types.test.mjs through tsc --noEmit).
import { expectTypeOf } from 'expect-type';
import { type Pool, defineTasks, task, type ModuleTask, type PoolEventMap } from '../../dist/index.js';
import type * as Tasks from './tasks.js';

declare const pool: Pool;
const url = new URL('./tasks.js', import.meta.url);

// pool.proxy: one method per exported function, results awaited (never a promise of a promise).
const p = pool.proxy<typeof Tasks>(url);
expectTypeOf(p.square).toEqualTypeOf<(x: number) => Promise<number>>();
expectTypeOf(p.fetchName(1)).toEqualTypeOf<Promise<string>>();
expectTypeOf(p.countTo(3)).toEqualTypeOf<Promise<number[]>>();
// @ts-expect-error: wrong argument type
p.square('3');
// @ts-expect-error: not an exported function
p.version();
// @ts-expect-error: no such export
p.missing();

// defineTasks: typed references usable with every call.
const refs = defineTasks<typeof Tasks>(url);
expectTypeOf(refs.square).toEqualTypeOf<ModuleTask<[x: number], number>>();
expectTypeOf(pool.map(refs.square, [1, 2])).toEqualTypeOf<Promise<number[]>>();
expectTypeOf(pool.apply(refs.fetchName, [7])).toEqualTypeOf<Promise<string>>();
// @ts-expect-error: items must match the parameter
pool.map(refs.square, ['a']);

// Inline functions: awaited results; generators stream their yielded type and collect into arrays.
expectTypeOf(pool.apply(async (x: number) => x + 1, [1])).toEqualTypeOf<Promise<number>>();
expectTypeOf(
  pool.stream(
    function* (n: number) {
      yield `${n}`;
    },
    [1],
  ),
).toEqualTypeOf<AsyncIterableIterator<string>>();
expectTypeOf(
  pool.stream(async function* () {
    yield 1;
  }),
).toEqualTypeOf<AsyncIterableIterator<number>>();
expectTypeOf(
  pool.imap(
    function* (n: number) {
      yield n;
    },
    [1],
  ),
).toEqualTypeOf<AsyncIterableIterator<number>>();
expectTypeOf(
  pool.apply(function* () {
    yield true;
  }),
).toEqualTypeOf<Promise<boolean[]>>();
expectTypeOf(pool.apply(task<[string], Promise<number>>(url, 'x'), ['a'])).toEqualTypeOf<Promise<number>>();
// @ts-expect-error: highWaterMark is a number
pool.stream(function* () {}, [], { highWaterMark: 'lots' });

// Events: detail types by event name.
pool.on('taskend', (d) => expectTypeOf(d).toEqualTypeOf<PoolEventMap['taskend']>());
pool.on('workercrash', (d) => expectTypeOf(d.code).toEqualTypeOf<number>());
// @ts-expect-error: no such event
pool.on('nope', () => {});
expectTypeOf(pool.stats().runTime.p99).toEqualTypeOf<number>();
expectTypeOf(pool.ready()).toEqualTypeOf<Promise<void>>();
