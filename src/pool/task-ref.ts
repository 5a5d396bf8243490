/**
 * What a task is: a self-contained function (its source is sent once per worker and cached there, like a picklable
 * top-level Python function), a module export named with `task(url, name)`, or a built-in kernel step.
 */
import { invalid, string } from '../core/validate.js';

/** A module export run in the worker: `task(new URL('./tasks.js', import.meta.url), 'square')`. */
// biome-ignore lint/suspicious/noExplicitAny: an untyped task (no type arguments) takes any arguments, as a plain function would
export interface ModuleTask<A extends unknown[] = any[], R = unknown> {
  readonly kind: 'module';
  readonly url: string;
  readonly name: string;
  /** Phantom type marker for argument and result types. */
  readonly __types?: (...args: A) => R;
}

/** A function registered inside the worker bundle (kernel steps); see `registerBuiltin`. */
// biome-ignore lint/suspicious/noExplicitAny: an untyped task (no type arguments) takes any arguments, as a plain function would
export interface BuiltinTask<A extends unknown[] = any[], R = unknown> {
  readonly kind: 'builtin';
  readonly name: string;
  readonly __types?: (...args: A) => R;
}

// biome-ignore lint/suspicious/noExplicitAny: an untyped task (no type arguments) takes any arguments, as a plain function would
export type TaskRef<A extends unknown[] = any[], R = unknown> = ModuleTask<A, R> | BuiltinTask<A, R>;

/** Anything the pool can run: a self-contained function or a task reference. */
// biome-ignore lint/suspicious/noExplicitAny: an untyped task (no type arguments) takes any arguments, as a plain function would
export type TaskLike<A extends unknown[] = any[], R = unknown> = ((...args: A) => R) | TaskRef<A, R>;

/**
 * Names a module export to run in the workers. Use it for code that imports other modules, for bundlers, and for
 * pages with a strict Content-Security-Policy (self-contained functions are compiled with `new Function`).
 * @param url the module, absolute (`new URL('./tasks.js', import.meta.url)`)
 * @param name the export to call; default `'default'`
 */
// biome-ignore lint/suspicious/noExplicitAny: an untyped task (no type arguments) takes any arguments, as a plain function would
export function task<A extends unknown[] = any[], R = unknown>(url: URL | string, name = 'default'): ModuleTask<A, R> {
  let href: string | undefined;
  if (url instanceof URL) href = url.href;
  else if (typeof url === 'string') href = absoluteHref(url);
  if (href === undefined) throw invalid('url', "an absolute URL such as new URL('./tasks.js', import.meta.url)", url);
  string(name, 'name');
  return Object.freeze({ kind: 'module', url: href, name });
}

function absoluteHref(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/** A built-in task registered in the worker bundle (internal: kernels). */
// biome-ignore lint/suspicious/noExplicitAny: an untyped task (no type arguments) takes any arguments, as a plain function would
export function builtin<A extends unknown[] = any[], R = unknown>(name: string): BuiltinTask<A, R> {
  return Object.freeze({ kind: 'builtin', name });
}

/** How a task is named on the wire: a small numeric key, plus its definition the first time a worker sees the key. */
export type FnDef = { src: string } | { url: string; name: string } | { builtin: string };

/** What the scheduler has learned about a task function: how long one call takes, and whether it is async. */
export interface TaskTiming {
  /** Moving average of one call, in ms; -1 until measured. */
  ms: number;
  /** It returned a promise: probably waits on something, so it is never queued behind another task. */
  async: boolean;
}

export interface ResolvedTask {
  readonly key: number;
  readonly timing: TaskTiming;
  readonly def: FnDef;
  /** Self-contained source functions: a ReferenceError means they used a captured variable. */
  readonly isSource: boolean;
}

let nextKey = 1;
// biome-ignore lint/complexity/noBannedTypes: keyed by what `typeof fn === 'function'` narrows to
const byFunction = new WeakMap<Function, ResolvedTask>();
const byRef = new Map<string, ResolvedTask>();
const bySource = new Map<string, ResolvedTask>();

/** Validates a task argument and returns its cached wire identity. */
export function resolveTask(fn: unknown, argument = 'fn'): ResolvedTask {
  if (typeof fn === 'function') {
    let r = byFunction.get(fn);
    if (!r) {
      // A new closure with the same source (an inline arrow in a loop) is the same task: compiled once per worker.
      const src = functionSource(fn, argument);
      r = bySource.get(src);
      if (!r) {
        if (bySource.size >= 10_000) bySource.clear();
        r = { key: nextKey++, timing: { ms: -1, async: false }, def: { src }, isSource: true };
        bySource.set(src, r);
      }
      byFunction.set(fn, r);
    }
    return r;
  }
  if (fn && typeof fn === 'object' && 'kind' in fn) {
    const ref = fn as TaskRef;
    if (ref.kind === 'module' && typeof ref.url === 'string' && typeof ref.name === 'string')
      return cachedRef(`m:${ref.url}#${ref.name}`, { url: ref.url, name: ref.name });
    if (ref.kind === 'builtin' && typeof ref.name === 'string')
      return cachedRef(`b:${ref.name}`, { builtin: ref.name });
  }
  throw invalid(argument, 'a function or task(url, name)', fn);
}

function cachedRef(id: string, def: FnDef): ResolvedTask {
  let r = byRef.get(id);
  if (!r) byRef.set(id, (r = { key: nextKey++, timing: { ms: -1, async: false }, def, isSource: false }));
  return r;
}

/** Source text that evaluates to the function in a worker; rejects what cannot travel. */
// biome-ignore lint/complexity/noBannedTypes: any function at all; only its source text is read
export function functionSource(fn: Function, argument = 'fn'): string {
  const src = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) {
    throw invalid(
      argument,
      'a self-contained function or task(url, name)',
      fn,
      'native and bound functions cannot be sent to a worker',
    );
  }
  if (/^class[\s{]/.test(src)) throw invalid(argument, 'a task function', fn, 'a class is not one');
  if (/^(async\s+)?(function\b|\(|[\w$]+\s*=>)/.test(src)) return src;
  // Method shorthand (`square(x) { ... }`, `async *gen() {}`) is not an expression on its own.
  const m = /^(async\s+)?(\*?)\s*([\w$]+)\s*\(/.exec(src);
  if (m) return `${m[1] ?? ''}function${m[2]} ${m[3]}${src.slice(m[0].length - 1)}`;
  throw invalid(
    argument,
    'a function whose source text is a function expression',
    fn,
    `its source starts ${JSON.stringify(src.slice(0, 40))}`,
  );
}
