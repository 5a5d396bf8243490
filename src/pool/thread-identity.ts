/**
 * Who the running thread is: an `ident` unique among every thread of one program (the host and its workers, nested
 * pools included) and a `name`. The host thread is ident 1, 'MainProcess' (Python's name for it). Each worker gets the next number of a
 * counter in shared memory that the host creates and every worker inherits in its init message, so workers that
 * start their own pools draw from the same counter. Owner-checked locks and `currentProcess()` read it.
 */

export interface ThreadIdentity {
  readonly ident: number;
  readonly name: string;
}

interface State {
  self: ThreadIdentity;
  /** Word 0: the last ident handed out. Null where there is no shared memory (then idents are unique per host only). */
  counter: Int32Array | null;
  local: number;
}

// On globalThis: a thread may load two copies of this module (the bundled worker runtime and a task's 'poolkit').
const state: State = ((globalThis as Record<symbol, State | undefined>)[Symbol.for('poolkit.thread')] ??= {
  self: { ident: 1, name: 'MainProcess' },
  counter: null,
  local: 1,
});

/** The running thread's identity. */
export function threadIdentity(): ThreadIdentity {
  return state.self;
}

/** The shared counter to hand to a new worker (created on first use), or null without shared memory. */
export function identCounter(): SharedArrayBuffer | null {
  if (!state.counter && typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated !== false) {
    state.counter = new Int32Array(new SharedArrayBuffer(4));
    state.counter[0] = state.local;
  }
  return (state.counter?.buffer as SharedArrayBuffer | undefined) ?? null;
}

/** A fresh ident for a thread about to start. */
export function nextIdent(): number {
  identCounter();
  return state.counter ? Atomics.add(state.counter, 0, 1) + 1 : ++state.local;
}

/** Called by a worker's runtime when its init message arrives. */
export function adoptIdentity(self: ThreadIdentity, counter: SharedArrayBuffer | null): void {
  state.self = { ident: self.ident, name: self.name };
  if (counter) state.counter = new Int32Array(counter);
}

/** Renames the running thread (a Process target's name). */
export function renameThread(name: string): void {
  state.self = { ident: state.self.ident, name };
}
