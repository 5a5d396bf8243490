/**
 * Shareable types: objects that cross to a worker as themselves, not as a structured-clone copy. A Lock, a Queue or a
 * Value lives in shared memory; sent to a task, it must arrive as a working object over the same memory.
 *
 * A type defines a codec once (`defineShareable`): `encode` turns an instance into a descriptor that structured clone
 * can carry (SharedArrayBuffers, ports, numbers), `revive` builds the working object from it on the other side. Each
 * instance is marked with its codec when constructed (`markShareable`). The Pool encodes task arguments and the
 * worker encodes results: marked objects, also nested in arrays and plain objects, become `{ [TAG]: tag, d }`
 * envelopes, revived on arrival. Until the first instance exists in a thread, nothing is walked, so tasks that pass
 * none pay nothing.
 */
import { PoolkitError } from '../core/errors.js';

export interface ShareableCodec<T extends object = object, D = unknown> {
  /** Unique name of the type on the wire. */
  readonly tag: string;
  encode(value: T): D;
  revive(descriptor: D): T;
}

/** The envelope's key: a string, since structured clone drops symbol keys. */
export const SHAREABLE_TAG = '__poolkitShareable';
/** Containers nested deeper than this are sent as they are (their shareables arrive as plain clones). */
const MAX_DEPTH = 16;

interface Registry {
  codecs: Map<string, ShareableCodec<object, unknown>>;
  marks: WeakMap<object, ShareableCodec<object, unknown>>;
  anyMarked: boolean;
}
// One registry per thread, even when a thread loads two copies of this module (the bundled worker runtime, and a
// task module that imports 'poolkit'): an object marked by either copy must be found by the other's encoder.
const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[Symbol.for('poolkit.shareables')] ??= {
  codecs: new Map(),
  marks: new WeakMap(),
  anyMarked: false,
});
const { codecs, marks } = registry;

/** Registers a shareable type; its module calls this once, at load. */
export function defineShareable<T extends object, D>(codec: ShareableCodec<T, D>): ShareableCodec<T, D> {
  // A second copy of the same module defines the same tag again: the first definition keeps reviving.
  if (!codecs.has(codec.tag)) codecs.set(codec.tag, codec);
  return codec;
}

/** Marks `obj` as an instance of a shareable type (its constructor, and `revive`, call this). */
export function markShareable<T extends object>(obj: T, codec: ShareableCodec<T, unknown>): T {
  marks.set(obj, codec);
  registry.anyMarked = true;
  return obj;
}

/** `value` with every marked object replaced by its envelope; `found` says whether there was any. */
export function encodeShareables(value: unknown): { value: unknown; found: boolean } {
  if (!registry.anyMarked) return { value, found: false };
  const state = { found: false };
  const out = encode(value, 0, state);
  return { value: out, found: state.found };
}

/** The inverse of `encodeShareables`: envelopes become working objects. */
export function reviveShareables(value: unknown): unknown {
  return revive(value, 0);
}

function isContainer(v: unknown): v is unknown[] | Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function encode(v: unknown, depth: number, state: { found: boolean }): unknown {
  if (v === null || typeof v !== 'object') return v;
  const codec = marks.get(v);
  if (codec) {
    state.found = true;
    return { [SHAREABLE_TAG]: codec.tag, d: encode(codec.encode(v), depth + 1, state) };
  }
  if (depth >= MAX_DEPTH || !isContainer(v)) return v;
  // Copy on write: a container is copied only when something inside it changed.
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const e = encode(v[i], depth + 1, state);
      if (e !== v[i]) (out ??= v.slice())[i] = e;
    }
    return out ?? v;
  }
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(v)) {
    const e = encode(v[k], depth + 1, state);
    if (e !== v[k]) (out ??= { ...v })[k] = e;
  }
  return out ?? v;
}

function revive(v: unknown, depth: number): unknown {
  if (!isContainer(v) || depth > MAX_DEPTH + 1) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i], depth + 1);
    return v;
  }
  const tag = v[SHAREABLE_TAG];
  if (typeof tag === 'string') {
    const codec = codecs.get(tag);
    if (!codec)
      throw new PoolkitError(`cannot revive a shareable '${tag}': its type is not loaded in this thread`, {
        code: 'ERR_SHAREABLE',
      });
    return codec.revive(revive(v.d, depth + 1));
  }
  for (const k of Object.keys(v)) v[k] = revive(v[k], depth + 1);
  return v;
}
