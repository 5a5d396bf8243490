/**
 * Typed task modules: `defineTasks<typeof import('./tasks.js')>(url)` gives a task reference per export, and
 * `pool.proxy<typeof import('./tasks.js')>(url)` a method per export that runs it in the pool. Types come from the
 * module's own signatures; nothing is imported on the host.
 */
import { task, type ModuleTask } from './task-ref.js';

type AnyFn = (...args: never[]) => unknown;
type FnKeys<M> = { [K in keyof M]: M[K] extends AnyFn ? K : never }[keyof M] & string;

/** What a call of a task returns: awaited (no promise of a promise); a generator's values as an array. */
export type TaskResultOf<R> = R extends Generator<infer Y, unknown, never> | AsyncGenerator<infer Y, unknown, never>
  ? Y[]
  : Awaited<R>;

/** One method per exported function of `M`, each running that export in a worker. */
export type TaskProxy<M> = {
  readonly [K in FnKeys<M>]: M[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<TaskResultOf<R>>
    : never;
};

/** One task reference per exported function of `M`, for any pool call (`pool.map(tasks.square, items)`). */
export type TaskRefs<M> = {
  readonly [K in FnKeys<M>]: M[K] extends (...args: infer A) => infer R ? ModuleTask<A, R> : never;
};

interface Applier {
  apply(fn: ModuleTask, args?: unknown[]): Promise<unknown>;
}

/** Property names that must not look like exports: `await` and inspection probe them. */
const NOT_EXPORTS = new Set(['then', 'toJSON', 'constructor']);

function lazyRecord<T>(make: (name: string) => T): Record<string, T> {
  const made = new Map<string, T>();
  return new Proxy(Object.create(null) as Record<string, T>, {
    get(_, name) {
      if (typeof name !== 'string' || NOT_EXPORTS.has(name)) return undefined;
      let v = made.get(name);
      if (v === undefined) made.set(name, (v = make(name)));
      return v;
    },
  });
}

/**
 * Task references for a module's exports, typed from the module: `defineTasks<typeof import('./tasks.js')>(url)`.
 * @param url the module, absolute (`new URL('./tasks.js', import.meta.url)`)
 */
export function defineTasks<M extends object>(url: URL | string): TaskRefs<M> {
  const href = task(url).url;
  return lazyRecord((name) => task(href, name)) as unknown as TaskRefs<M>;
}

/** @internal the implementation of `pool.proxy(url)` */
export function taskProxy<M extends object>(pool: Applier, url: URL | string): TaskProxy<M> {
  const refs = defineTasks<Record<string, AnyFn>>(url);
  return lazyRecord(
    (name) =>
      (...args: unknown[]) =>
        pool.apply(refs[name]!, args),
  ) as unknown as TaskProxy<M>;
}
