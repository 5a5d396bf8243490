// Lock: blocking and async acquisition with timeouts, `using` through held().
import { expectTypeOf } from 'expect-type';
import { Condition, type Held, Lock, type Pool, RLock, Semaphore } from 'poolkit';

const lock = new Lock();
expectTypeOf(lock.acquire()).toEqualTypeOf<boolean>();
expectTypeOf(lock.acquire(100)).toEqualTypeOf<boolean>();
expectTypeOf(lock.acquireAsync(0)).toEqualTypeOf<Promise<boolean>>();
expectTypeOf(lock.release()).toEqualTypeOf<void>();
expectTypeOf(lock.locked()).toEqualTypeOf<boolean>();
expectTypeOf(lock.held(10)).toExtend<Disposable>();
// @ts-expect-error: the timeout is in milliseconds, a number
lock.acquire('1s');
// @ts-expect-error: release takes nothing
lock.release(lock);

export function critical(): number {
  using _held = lock.held();
  return 1;
}

// A Lock travels to tasks as an argument; the task's parameter type is checked like any other.
declare const pool: Pool;
const guarded = (l: Lock, n: number): number => (l.acquire() ? n : -1);
expectTypeOf(pool.apply(guarded, [lock, 1])).toEqualTypeOf<Promise<number>>();
// @ts-expect-error: the first argument is a Lock
pool.apply(guarded, [1, 1]);

// Every lock-like primitive's acquisition is a Held: `using` releases it, and so may an early release().
expectTypeOf(lock.held()).toEqualTypeOf<Held>();
expectTypeOf(new RLock().heldAsync()).toEqualTypeOf<Promise<Held>>();
expectTypeOf(new Semaphore(2).held(5)).toEqualTypeOf<Held>();
expectTypeOf(new Condition().held()).toEqualTypeOf<Held>();

export async function scopes(r: RLock, sem: Semaphore): Promise<number> {
  using _outer = r.held();
  using _permit = await sem.heldAsync(100);
  const early = lock.held();
  early.release();
  return 2;
}
