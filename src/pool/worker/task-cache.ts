/**
 * The worker's compiled task functions, by wire key: self-contained sources compiled once, module exports imported
 * once, kernel steps looked up in the entry's table. Plain tasks and kernel steps (mapReduce's map, combine and
 * reduce) share this one cache.
 */
import { PoolkitError } from '../../core/errors.js';
import type { FnDef } from '../task-ref.js';
import type { KernelContext, KernelTable, TaskFn } from './kernel.js';

/** On the collecting wrapper of a generator function: the generator function itself (streaming tasks call it). */
export const GENERATOR = Symbol('poolkit.generator');

export interface TaskCache {
  /** The function for `key`, compiling `def` the first time (a failed compilation is remembered as a throwing function). */
  define(key: number, def: FnDef): TaskFn | Promise<TaskFn>;
  /** The function for `key` if its definition has arrived. */
  get(key: number): TaskFn | Promise<TaskFn> | undefined;
}

export function createTaskCache(kernels: KernelTable, context: () => KernelContext): TaskCache {
  const fns = new Map<number, TaskFn | Promise<TaskFn>>();
  const compile = (def: FnDef): TaskFn | Promise<TaskFn> => {
    if ('src' in def) {
      const f = new Function(`return (${def.src}\n)`)() as unknown;
      if (typeof f !== 'function')
        throw new PoolkitError('task source did not evaluate to a function', { code: 'ERR_TASK_NOT_FOUND' });
      return collectingIfGenerator(f as TaskFn);
    }
    if ('builtin' in def) {
      const k = kernels[def.builtin];
      if (!k) throw new PoolkitError(`unknown built-in task '${def.builtin}'`, { code: 'ERR_TASK_NOT_FOUND' });
      return (...args: unknown[]) => k(context(), ...args);
    }
    return import(/* @vite-ignore */ def.url).then((mod: Record<string, unknown>) => {
      const f = mod[def.name];
      if (typeof f !== 'function')
        throw new PoolkitError(`module ${def.url} has no exported function '${def.name}'`, {
          code: 'ERR_TASK_NOT_FOUND',
        });
      return collectingIfGenerator(f as TaskFn);
    });
  };
  return {
    define(key, def) {
      let f = fns.get(key);
      if (!f) {
        try {
          f = compile(def);
        } catch (e) {
          // Remember the failure: the host sends a definition only once per worker.
          f = () => {
            throw e;
          };
        }
        fns.set(key, f);
        if (f instanceof Promise)
          f.then(
            (g) => fns.set(key, g),
            () => fns.delete(key),
          );
      }
      return f;
    },
    get: (key) => fns.get(key),
  };
}

/**
 * A generator function called by apply or map gives the array of its values (a generator object cannot be sent back);
 * the wrapper keeps the generator under GENERATOR for streaming calls.
 */
function collectingIfGenerator(f: TaskFn): TaskFn {
  const kind = Object.prototype.toString.call(f);
  if (kind === '[object GeneratorFunction]') {
    const g = (...args: unknown[]) => Array.from(f(...args) as Iterable<unknown>);
    return Object.assign(g, { [GENERATOR]: f });
  }
  if (kind === '[object AsyncGeneratorFunction]') {
    const g = async (...args: unknown[]) => {
      const out: unknown[] = [];
      for await (const v of f(...args) as AsyncIterable<unknown>) out.push(v);
      return out;
    };
    return Object.assign(g, { [GENERATOR]: f });
  }
  return f;
}
