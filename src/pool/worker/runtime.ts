/**
 * The worker side, common to Node and browsers: compiles and caches task functions, runs tasks one at a time in the
 * order received, and posts one result per task as soon as it is known (so a crash loses only the running task).
 */
import { Mode, STATUS_RUNNING, type HostMessage, type TaskResult, type WireTask, type WorkerMessage } from '../protocol.js';
import { serializeError } from '../errors.js';
import type { FnDef } from '../task-ref.js';
import { lookupBuiltin } from './builtins.js';
import { packNumbers } from '../chunks.js';

type Fn = (...args: unknown[]) => unknown;

export interface WorkerSide {
  post(msg: WorkerMessage, transfer?: Transferable[]): void;
}

export interface Runtime {
  onMessage(msg: HostMessage): void;
  /** The worker is exiting (a browser worker's self.close()): run nothing more, post nothing more. */
  halt(): void;
  /** Nothing queued and nothing running (no pending async task or module import). */
  idle(): boolean;
  /** The shared status words, once the init message has arrived. */
  status(): Int32Array | null;
}

export function createRuntime(side: WorkerSide): Runtime {
  const fns = new Map<number, Fn | Promise<Fn>>();
  let halted = false;
  let status: Int32Array | null = null;
  /** Tasks wait here while an async task or module import is pending, so order is kept. */
  const backlog: WireTask[] = [];
  let busy = false;
  let ready: Promise<void> = Promise.resolve();

  const define = (key: number, def: FnDef): Fn | Promise<Fn> => {
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
      if (f instanceof Promise) f.then((g) => fns.set(key, g), () => fns.delete(key));
    }
    return f;
  };

  const finish = (r: TaskResult) => {
    if (halted) return;
    // A chunk's all-number results go back as one transferred Float64Array.
    const v = r[1] === 0 && Array.isArray(r[2]) ? packNumbers(r[2]) : undefined;
    if (v instanceof Float64Array) {
      r[2] = v;
      side.post({ type: 'result', r }, [v.buffer]);
    } else side.post({ type: 'result', r });
    if (status) Atomics.store(status, STATUS_RUNNING, 0);
  };

  const runOne = (t: WireTask): Promise<void> | void => {
    const [id, key, def, mode, payload] = t;
    if (status) Atomics.store(status, STATUS_RUNNING, id);
    let fn: Fn | Promise<Fn> | undefined = def ? define(key, def) : fns.get(key);
    if (fn === undefined) return finish([id, 1, serializeError(new Error(`worker has no definition for task key ${key}`)), false]);
    if (fn instanceof Promise) {
      return fn.then((f) => settle(id, call(f, mode, payload)), (e) => finish([id, 1, serializeError(e), true]));
    }
    return settle(id, call(fn, mode, payload));
  };

  const settle = (id: number, out: { ok: boolean; v: unknown }): Promise<void> | void => {
    if (!out.ok) return finish([id, 1, serializeError(out.v), false]);
    const v = out.v;
    if (isThenable(v)) return Promise.resolve(v).then((x) => finish([id, 0, x, true]), (e) => finish([id, 1, serializeError(e), true]));
    if (Array.isArray(v) && v.some(isThenable)) {
      // A chunk whose items returned promises: the chunk result is the settled values.
      return Promise.all(v).then((x) => finish([id, 0, x, true]), (e) => finish([id, 1, serializeError(e), true]));
    }
    try {
      finish([id, 0, v, false]);
    } catch (e) {
      // The value could not be cloned (a function, a class instance with private state, ...).
      finish([id, 1, serializeError(new TypeError(`task result cannot be sent back to the host: ${(e as Error).message}`)), false]);
    }
  };

  const drain = () => {
    while (backlog.length && !halted) {
      const p = runOne(backlog.shift()!);
      if (p) {
        busy = true;
        p.then(() => {
          busy = false;
          drain();
        });
        return;
      }
    }
  };

  const onMessage = (msg: HostMessage) => {
    if (msg.type === 'init') {
      status = msg.status ? new Int32Array(msg.status) : null;
      if (msg.initializer) {
        const { key, def } = msg.initializer;
        ready = Promise.resolve(define(key, def)).then((f) => f(...msg.initArgs)).then(
          () => side.post({ type: 'ready' }),
          (e) => side.post({ type: 'init-error', error: serializeError(e) }),
        ).then(() => undefined);
        busy = true;
        ready.then(() => {
          busy = false;
          drain();
        });
      } else side.post({ type: 'ready' });
      return;
    }
    for (const t of msg.tasks) backlog.push(t);
    if (!busy) drain();
  };
  return {
    onMessage,
    halt: () => {
      halted = true;
    },
    idle: () => !busy && backlog.length === 0,
    status: () => status,
  };
}

function call(fn: Fn, mode: Mode, payload: unknown[]): { ok: boolean; v: unknown } {
  try {
    if (mode === Mode.Apply) return { ok: true, v: fn(...payload) };
    const out = new Array(payload.length);
    if (mode === Mode.Map) for (let i = 0; i < payload.length; i++) out[i] = fn(payload[i]);
    else for (let i = 0; i < payload.length; i++) out[i] = fn(...(payload[i] as unknown[]));
    return { ok: true, v: out };
  } catch (e) {
    return { ok: false, v: e };
  }
}

function compile(def: FnDef): Fn | Promise<Fn> {
  if ('src' in def) {
    const f = new Function(`return (${def.src}\n)`)() as unknown;
    if (typeof f !== 'function') throw new TypeError('task source did not evaluate to a function');
    return f as Fn;
  }
  if ('builtin' in def) {
    const f = lookupBuiltin(def.builtin);
    if (!f) throw new Error(`unknown built-in task '${def.builtin}'`);
    return f as Fn;
  }
  return import(/* @vite-ignore */ def.url).then((mod: Record<string, unknown>) => {
    const f = mod[def.name];
    if (typeof f !== 'function') throw new TypeError(`module ${def.url} has no exported function '${def.name}'`);
    return f as Fn;
  });
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
