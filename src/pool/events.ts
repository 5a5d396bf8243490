/**
 * The pool's events, on an EventTarget (the same in Node and browsers): `pool.addEventListener(type, e => e.detail)`
 * or `pool.on(type, detail => ...)`. Task events are dispatched only while someone listens to them, so an unobserved
 * pool does no per-task work for them.
 */

/** The `detail` of each pool event. */
export interface PoolEventMap {
  /** A worker was started (at construction, on demand, or to replace one). */
  workercreate: { workerId: number };
  /** A worker's initializer ran; it takes tasks. */
  workerready: { workerId: number };
  /** A worker is gone; `reason`: why the pool let it go, or 'crash'. */
  workerexit: {
    workerId: number;
    code: number;
    reason: 'crash' | 'idle' | 'recycle' | 'maxTasks' | 'stopped' | 'shutdown';
  };
  /** A worker died on its own (exit, uncaught error, out of memory, native crash). */
  workercrash: { workerId: number; code: number; error: Error | undefined };
  /** A task was handed to a worker, after `waitMs` in the queue. */
  taskstart: { taskId: number; workerId: number; waitMs: number };
  /** A task's result (or failure) came back; `runMs` as seen by the host. */
  taskend: { taskId: number; workerId: number; ok: boolean; runMs: number; waitMs: number };
  /** The queue became empty: every submitted task has been handed to a worker (see `pool.drained()`). */
  drain: Record<string, never>;
}

export type PoolEventType = keyof PoolEventMap;

export class PoolEvents extends EventTarget {
  private readonly listening = new Map<string, number>();
  /** Someone listens to taskstart or taskend. */
  taskEvents = false;

  /** Calls `listener(detail)` for every `type` event; returns a function that removes it. */
  on<K extends PoolEventType>(type: K, listener: (detail: PoolEventMap[K]) => void): () => void {
    const wrapped = (e: Event) => listener((e as CustomEvent<PoolEventMap[K]>).detail);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    super.addEventListener(type, listener, options);
    if (listener) this.count(type, 1);
  }

  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    super.removeEventListener(type, listener, options);
    if (listener) this.count(type, -1);
  }

  /** Dispatches `type` with `detail` if anyone listens. */
  emit<K extends PoolEventType>(type: K, detail: PoolEventMap[K]): void {
    if (this.listening.get(type)) this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private count(type: string, delta: number): void {
    this.listening.set(type, Math.max(0, (this.listening.get(type) ?? 0) + delta));
    this.taskEvents = !!(this.listening.get('taskstart') || this.listening.get('taskend'));
  }
}
