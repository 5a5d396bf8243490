/**
 * The worker side, common to Node and browsers: compiles and caches task functions, runs tasks one at a time in the
 * order received, and posts one result per task as soon as it is known (so a crash loses only the running task).
 */
import { Mode, STATUS_RUNNING, type HostMessage, type TaskResult, type WireTask, type WorkerMessage } from '../protocol.js';
import { DataCloneError, PoolkitError, serializeError } from '../../core/errors.js';
import { packNumbers } from '../chunks.js';
import { createTaskCache } from './task-cache.js';
import { adoptIdentity } from '../thread-identity.js';
import { defineShareable, encodeShareables, reviveShareables, type ShareableCodec } from '../shareable.js';
import type { KernelContext, KernelTable, TaskFn as Fn, WorkerEnvironment } from './kernel.js';

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

/**
 * The runtime of one worker. `kernels` is the entry's table of built-in steps, `shareables` the shareable types it
 * revives, `env` what the platform gives a worker
 * (file access in Node).
 */
export function createRuntime(side: WorkerSide, kernels: KernelTable, shareables: readonly ShareableCodec<any, any>[], env: WorkerEnvironment = {}): Runtime {
  for (const type of shareables) defineShareable(type);
  const context: KernelContext = {
    resolveTask: (spec) => cache.define(spec.key, spec.def),
    openFile(path) {
      if (!env.openFile) throw new PoolkitError('this worker cannot open files (no file access on this platform)', { code: 'ERR_NO_FILE_ACCESS' });
      return env.openFile(path);
    },
  };
  const cache = createTaskCache(kernels, () => context);
  let halted = false;
  let status: Int32Array | null = null;
  /** Tasks wait here while an async task or module import is pending, so order is kept. */
  const backlog: WireTask[] = [];
  let busy = false;
  let ready: Promise<void> = Promise.resolve();

  const define = cache.define;

  const finish = (r: TaskResult) => {
    if (halted) return;
    if (r[1] === 0) {
      const enc = encodeShareables(r[2]);
      if (enc.found) r = [r[0], 0, enc.value, r[3], 1];
    }
    // A chunk's all-number results go back as one transferred Float64Array.
    const v = r[1] === 0 && !r[4] && Array.isArray(r[2]) ? packNumbers(r[2]) : undefined;
    if (v instanceof Float64Array) {
      r[2] = v;
      side.post({ type: 'result', r }, [v.buffer]);
    } else side.post({ type: 'result', r });
    if (status) Atomics.store(status, STATUS_RUNNING, 0);
  };

  const runOne = (t: WireTask): Promise<void> | void => {
    const [id, key, def, mode, wirePayload, shared] = t;
    let payload = wirePayload as unknown[];
    if (shared) {
      try {
        payload = reviveShareables(wirePayload) as unknown[];
      } catch (e) {
        return finish([id, 1, serializeError(e), false]);
      }
    }
    if (status) Atomics.store(status, STATUS_RUNNING, id);
    let fn: Fn | Promise<Fn> | undefined = def ? define(key, def) : cache.get(key);
    if (fn === undefined) return finish([id, 1, serializeError(new PoolkitError(`worker has no definition for task key ${key}`, { code: 'ERR_TASK_NOT_FOUND' })), false]);
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
      finish([id, 1, serializeError(new DataCloneError(`task result cannot be sent back to the host: ${(e as Error).message}`)), false]);
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
      if (msg.thread && env.ownThread) adoptIdentity(msg.thread, msg.thread.counter);
      if (msg.initializer) {
        const { key, def } = msg.initializer;
        ready = Promise.resolve(define(key, def)).then((f) => f(...(reviveShareables(msg.initArgs) as unknown[]))).then(
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

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
