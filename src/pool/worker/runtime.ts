/**
 * The worker side, common to Node, browsers and child processes: compiles and caches task functions, runs tasks one
 * at a time in the order received, and posts one result per task as soon as it is known (so a crash loses only the
 * running task). Streaming tasks (stream-task.ts) hold the worker until their generator ends.
 */
import {
  MODE_MASK,
  MODE_PROGRESS,
  Mode,
  STATUS_CLAIMED,
  STATUS_RUNNING,
  STATUS_SPLIT_BYTE,
  type HostMessage,
  type InitMessage,
  type TaskResult,
  type WireTask,
  type WorkerMessage,
} from '../protocol.js';
import { DataCloneError, PoolkitError, serializeError } from '../../core/errors.js';
import { packNumbers } from '../chunks.js';
import { createTaskCache, GENERATOR } from './task-cache.js';
import { installProgress } from './progress-reporter.js';
import { driveStream, toIterator, type StreamControl } from './stream-task.js';
import { runSplittable } from './split-run.js';
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
 * revives, `env` what the platform gives a worker (file access and heap size in Node).
 */
export function createRuntime(
  side: WorkerSide,
  kernels: KernelTable,
  shareables: readonly ShareableCodec<object, unknown>[],
  env: WorkerEnvironment = {},
): Runtime {
  for (const type of shareables) defineShareable(type);
  const context: KernelContext = {
    resolveTask: (spec) => cache.define(spec.key, spec.def),
    openFile(path) {
      if (!env.openFile)
        throw new PoolkitError('this worker cannot open files (no file access on this platform)', {
          code: 'ERR_NO_FILE_ACCESS',
        });
      return env.openFile(path);
    },
  };
  const cache = createTaskCache(kernels, () => context);
  const reporter = installProgress((m) => side.post(m));
  const streams = new Map<number, StreamControl>();
  /** Control messages for a streaming task that has not started yet (its module is loading). */
  const earlyControl = new Map<number, number | 'cancel'>();
  let halted = false;
  let status: Int32Array | null = null;
  /** Tasks wait here while an async task or module import is pending, so order is kept. */
  const backlog: WireTask[] = [];
  let busy = false;
  let memoryLimit = 0;
  // Work stealing: tasks received and the last one claimed, by their position among the tasks sent to this worker.
  let claims = false;
  /** The split word (protocol.ts STATUS_SPLIT_BYTE), where the host can take the unstarted tail of a running chunk. */
  let splitWord: BigInt64Array | null = null;
  let received = 0;
  let claimed = 0;

  const define = cache.define;

  const finish = (r: TaskResult, generated: boolean) => {
    if (halted) return;
    reporter.end();
    if (r[1] === 0) {
      const enc = encodeShareables(r[2]);
      if (enc.found || generated) r = [r[0], 0, enc.value, r[3], enc.found ? 1 : 0, generated ? 1 : 0];
    }
    // A chunk's all-number results go back as one transferred Float64Array.
    const v = r[1] === 0 && !r[4] && !generated && Array.isArray(r[2]) ? packNumbers(r[2]) : undefined;
    if (v instanceof Float64Array) {
      r[2] = v;
      side.post({ type: 'result', r }, [v.buffer]);
    } else side.post({ type: 'result', r });
    if (status) Atomics.store(status, STATUS_RUNNING, 0);
    if (memoryLimit) {
      const heap = env.heapUsed?.() ?? 0;
      if (heap > memoryLimit) side.post({ type: 'memory', heapUsed: heap });
    }
  };

  const fail = (id: number, e: unknown, async: boolean) => finish([id, 1, serializeError(e), async], false);

  const runOne = (t: WireTask): Promise<void> | void => {
    const [id, key, def, modeBits, wirePayload, shared] = t;
    let payload = wirePayload as unknown[];
    reporter.begin(id, (modeBits & MODE_PROGRESS) !== 0);
    if (shared) {
      try {
        payload = reviveShareables(wirePayload) as unknown[];
      } catch (e) {
        return fail(id, e, false);
      }
    }
    if (status) Atomics.store(status, STATUS_RUNNING, id);
    const mode = (modeBits & MODE_MASK) as Mode;
    const fn: Fn | Promise<Fn> | undefined = def ? define(key, def) : cache.get(key);
    if (fn === undefined)
      return fail(
        id,
        new PoolkitError(`worker has no definition for task key ${key}`, { code: 'ERR_TASK_NOT_FOUND' }),
        false,
      );
    if (fn instanceof Promise)
      return fn.then(
        (f) => start(id, f, mode, payload),
        (e) => fail(id, e, true),
      );
    return start(id, fn, mode, payload);
  };

  const start = (id: number, fn: Fn, mode: Mode, payload: unknown[]): Promise<void> | void => {
    if (mode === Mode.Stream) return stream(id, fn, payload);
    const out =
      splitWord && mode !== Mode.Apply && payload.length > 1
        ? runSplittable(splitWord, id, fn, mode, payload)
        : call(fn, mode, payload);
    return settle(id, out, (fn as { [GENERATOR]?: unknown })[GENERATOR] !== undefined);
  };

  const stream = (id: number, fn: Fn, payload: unknown[]): Promise<void> => {
    const gen = ((fn as { [GENERATOR]?: Fn })[GENERATOR] ?? fn) as Fn;
    let it: ReturnType<typeof toIterator>;
    try {
      it = toIterator(gen(...payload));
    } catch (e) {
      fail(id, e, false);
      return Promise.resolve();
    }
    const register = (c: StreamControl | undefined) => {
      if (!c) return void streams.delete(id);
      streams.set(id, c);
      // Credit (or a cancel) that arrived while the task's module was still loading.
      const early = earlyControl.get(id);
      earlyControl.delete(id);
      if (early === 'cancel') c.cancel();
      else if (early !== undefined) c.credit(early);
    };
    return driveStream(id, it, (m) => side.post(m), register)
      .then(
        (v) => settle(id, { ok: true, v }, false),
        (e) => fail(id, e, true),
      )
      .then(() => undefined);
  };

  const settle = (id: number, out: { ok: boolean; v: unknown }, generated: boolean): Promise<void> | void => {
    if (!out.ok) return fail(id, out.v, false);
    const v = out.v;
    if (isThenable(v))
      return Promise.resolve(v).then(
        (x) => finish([id, 0, x, true], generated),
        (e) => fail(id, e, true),
      );
    if (Array.isArray(v) && v.some(isThenable)) {
      // A chunk whose items returned promises: the chunk result is the settled values.
      return Promise.all(v).then(
        (x) => finish([id, 0, x, true], generated),
        (e) => fail(id, e, true),
      );
    }
    try {
      finish([id, 0, v, false], generated);
    } catch (e) {
      // The value could not be cloned (a function, a class instance with private state, ...).
      fail(id, new DataCloneError(`task result cannot be sent back to the host: ${(e as Error).message}`), false);
    }
  };

  /** Work stealing: takes the next task for this worker unless the host fenced it off (then it is the host's again). */
  const claim = (): boolean => {
    const seq = received - backlog.length + 1;
    if (Atomics.compareExchange(status!, STATUS_CLAIMED, claimed, seq) !== claimed) return false;
    claimed = seq;
    return true;
  };

  const drain = () => {
    while (backlog.length && !halted) {
      if (claims && !claim()) {
        // Taken back by the host; a definition it carried is still this worker's (the host counts it as sent).
        const [, key, def] = backlog.shift()!;
        if (def) define(key, def);
        continue;
      }
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

  const init = (msg: InitMessage) => {
    status = msg.status ? new Int32Array(msg.status) : null;
    if (msg.thread && env.ownThread) adoptIdentity(msg.thread, msg.thread.counter);
    memoryLimit = msg.memoryLimit ?? 0;
    claims = msg.claims === true && status !== null;
    if (claims && msg.status!.byteLength >= STATUS_SPLIT_BYTE + 8)
      splitWord = new BigInt64Array(msg.status!, STATUS_SPLIT_BYTE, 1);
    if (msg.initializer) {
      const { key, def } = msg.initializer;
      const ready = Promise.resolve(define(key, def))
        .then((f) => f(...(reviveShareables(msg.initArgs) as unknown[])))
        .then(
          () => side.post({ type: 'ready' }),
          (e) => side.post({ type: 'init-error', error: serializeError(e) }),
        );
      busy = true;
      ready.then(() => {
        busy = false;
        drain();
      });
    } else side.post({ type: 'ready' });
  };

  const onMessage = (msg: HostMessage) => {
    switch (msg.type) {
      case 'run':
        if (msg.resume !== undefined) {
          // Everything sent before is either claimed (run or running) or was taken back by the host.
          backlog.length = 0;
          claimed = msg.resume;
          Atomics.store(status!, STATUS_CLAIMED, claimed);
        }
        for (const t of msg.tasks) backlog.push(t);
        received += msg.tasks.length;
        if (!busy) drain();
        return;
      case 'credit': {
        const c = streams.get(msg.id);
        if (c) c.credit(msg.upTo);
        else if (earlyControl.get(msg.id) !== 'cancel') earlyControl.set(msg.id, msg.upTo);
        return;
      }
      case 'cancel': {
        const c = streams.get(msg.id);
        if (c) c.cancel();
        else earlyControl.set(msg.id, 'cancel');
        return;
      }
      case 'init':
        return init(msg);
    }
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
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}
