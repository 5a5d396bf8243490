// poolkit/bullmq: the executor plugs into Pool, mapReduce and wordCount by their `executor` option; its errors have
// their own literal codes.
import { expectTypeOf } from 'expect-type';
import { mapReduce, Pool, task, wordCount, type PoolStats, type WordCounts } from 'poolkit';
import {
  bullmq,
  type RemoteConnectionError,
  type RemoteTaskError,
  startWorker,
  type BullmqOptions,
  type Executor,
  type RunningWorker,
} from 'poolkit/bullmq';

const executor = bullmq({ connection: 'redis://127.0.0.1:6379', queue: 'poolkit' });
expectTypeOf(executor).toEqualTypeOf<Executor>();
const pool = new Pool({ executor });
const square = task<[number], number>(new URL('file:///tasks.js'), 'square');
expectTypeOf(pool.map(square, [1, 2])).toEqualTypeOf<Promise<number[]>>();
expectTypeOf(pool.stats()).toEqualTypeOf<PoolStats>();
expectTypeOf(wordCount({ path: '/data.txt' }, { executor, partitions: 4 })).toEqualTypeOf<Promise<WordCounts>>();
const lineWords = task<[string], Array<[string, number]>>(new URL('file:///m.js'), 'lineWords');
void mapReduce({ path: '/data.txt' }, { map: lineWords, executor, partitions: 2 });
expectTypeOf(startWorker({ connection: 'redis://h:6379', queue: 'q', threads: 2 }, 4)).toEqualTypeOf<
  Promise<RunningWorker>
>();
expectTypeOf<RemoteTaskError['code']>().toEqualTypeOf<'ERR_REMOTE_TASK'>();
expectTypeOf<RemoteConnectionError['code']>().toEqualTypeOf<'ERR_REMOTE_CONNECTION'>();
// @ts-expect-error queue is required
bullmq({ connection: 'redis://127.0.0.1:6379' } satisfies Partial<BullmqOptions>);
