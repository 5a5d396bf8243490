/**
 * Values to bytes and back, for queues and pipes: they carry items through shared memory, where structured clone
 * cannot reach. Covers what structured clone does for data: primitives (bigint too), strings, arrays, plain objects,
 * Date, RegExp, Map, Set, ArrayBuffer, typed arrays and DataView, errors, with shared and circular references kept.
 *
 * The small primitives (Lock, RLock, Semaphore, Event, Condition, Barrier, Value) travel too, nested anywhere in an
 * item: their words live in the sync heap (src/sync/heap.ts), so a view of them is written as (heap id, offset) and
 * read back over the same memory, and the item is revived as a task payload is (src/pool/shareable.ts). Other shared
 * memory (a SharedArrayBuffer of one's own, a SharedArray, a Queue or Pipe) cannot be written as bytes: pass those as
 * task or Process arguments.
 */
import { PoolkitError } from '../core/errors.js';
import { encodeShareables, reviveShareables } from '../pool/shareable.js';
import { heapById, heapIdOf } from './heap.js';

const enum Tag {
  Undefined,
  Null,
  False,
  True,
  Int,
  Float,
  String,
  BigInt,
  Array,
  Object,
  Date,
  RegExp,
  Map,
  Set,
  ArrayBuffer,
  View,
  Error,
  Ref,
  HeapView,
}

const VIEWS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
] as const;

/** A value that cannot be written as bytes. */
export class NotSerializableError extends PoolkitError {
  override readonly code = 'ERR_NOT_SERIALIZABLE';
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  at = 0;
  refs: Map<object, number> | undefined;
  /** Where the writer is in the item (indexes and `.key`s), for error messages only. */
  trail: (string | number)[] = [];

  room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.at, v, true);
    this.at += 4;
  }
  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.at, v, true);
    this.at += 8;
  }
  str(s: string): void {
    // At most 3 bytes per UTF-16 unit.
    this.room(4 + s.length * 3);
    const n = utf8.encodeInto(s, this.buf.subarray(this.at + 4)).written;
    this.view.setUint32(this.at, n, true);
    this.at += 4 + n;
  }
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }
}

const scratch = new Writer();

/**
 * `value` as bytes. The result is a view of a buffer reused by the next call on this thread: copy it (or finish
 * with it) before serializing again.
 */
export function serialize(value: unknown): Uint8Array {
  const w = scratch;
  w.at = 0;
  w.refs = undefined;
  w.trail.length = 0;
  // Primitives become their envelopes (plain data over heap views); items of plain data come back as they are.
  write(w, typeof value === 'object' && value !== null ? encodeShareables(value).value : value);
  if (w.buf.length > 1 << 20 && w.at < w.buf.length >> 4) {
    // A huge item grew the scratch buffer: do not keep megabytes for the small ones that follow.
    const out = w.buf.slice(0, w.at);
    w.buf = new Uint8Array(256);
    w.view = new DataView(w.buf.buffer);
    return out;
  }
  return w.buf.subarray(0, w.at);
}

function write(w: Writer, v: unknown): void {
  switch (typeof v) {
    case 'undefined':
      w.u8(Tag.Undefined);
      return;
    case 'boolean':
      w.u8(v ? Tag.True : Tag.False);
      return;
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) {
        w.u8(Tag.Int);
        w.room(4);
        w.view.setInt32(w.at, v, true);
        w.at += 4;
        return;
      }
      w.u8(Tag.Float);
      w.f64(v);
      return;
    case 'string':
      w.u8(Tag.String);
      w.str(v);
      return;
    case 'bigint':
      w.u8(Tag.BigInt);
      w.str(v.toString());
      return;
    case 'object':
      if (v === null) {
        w.u8(Tag.Null);
        return;
      }
      writeObject(w, v);
      return;
    default:
      throw new NotSerializableError(`${pathOf(w)}: expected data structured clone can copy, got a ${typeof v}`);
  }
}

function writeObject(w: Writer, o: object): void {
  const refs = (w.refs ??= new Map());
  const seen = refs.get(o);
  if (seen !== undefined) {
    w.u8(Tag.Ref);
    w.u32(seen);
    return;
  }
  refs.set(o, refs.size);
  if (Array.isArray(o)) {
    w.u8(Tag.Array);
    w.u32(o.length);
    const t = w.trail;
    t.push(0);
    for (let i = 0; i < o.length; i++) {
      t[t.length - 1] = i;
      write(w, o[i]);
    }
    t.pop();
    return;
  }
  if (ArrayBuffer.isView(o)) {
    if (!(o.buffer instanceof ArrayBuffer)) {
      const heap = heapIdOf(o.buffer);
      if (heap === undefined) throw sharedMemory(w);
      w.u8(Tag.HeapView);
      w.u8(VIEWS.findIndex((C) => o instanceof C));
      w.u32(heap);
      w.u32(o.byteOffset);
      w.u32(o.byteLength);
      return;
    }
    w.u8(Tag.View);
    w.u8(VIEWS.findIndex((C) => o instanceof C));
    w.bytes(new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
    return;
  }
  if (o instanceof ArrayBuffer) {
    w.u8(Tag.ArrayBuffer);
    w.bytes(new Uint8Array(o));
    return;
  }
  if (typeof SharedArrayBuffer === 'function' && o instanceof SharedArrayBuffer) throw sharedMemory(w);
  if (o instanceof Date) {
    w.u8(Tag.Date);
    w.f64(o.getTime());
    return;
  }
  if (o instanceof RegExp) {
    w.u8(Tag.RegExp);
    w.str(o.source);
    w.str(o.flags);
    return;
  }
  if (o instanceof Map) {
    w.u8(Tag.Map);
    w.u32(o.size);
    for (const [k, v] of o) {
      w.trail.push(' key');
      write(w, k);
      w.trail[w.trail.length - 1] = '.get(…)';
      write(w, v);
      w.trail.pop();
    }
    return;
  }
  if (o instanceof Set) {
    w.u8(Tag.Set);
    w.u32(o.size);
    w.trail.push(' member');
    for (const v of o) write(w, v);
    w.trail.pop();
    return;
  }
  if (o instanceof Error) {
    w.u8(Tag.Error);
    w.str(o.name);
    w.str(o.message);
    w.str(o.stack ?? '');
    return;
  }
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) {
    throw new NotSerializableError(
      `${pathOf(w)}: expected data (plain objects, arrays, typed arrays, Map, Set, …), got an instance of ${proto?.constructor?.name ?? 'a class'}: shared objects (Lock, Value, …) travel in items nested in arrays and plain objects (up to 16 deep; not inside a Map or Set)`,
    );
  }
  const keys = Object.keys(o);
  w.u8(Tag.Object);
  w.u32(keys.length);
  for (const k of keys) {
    w.str(k);
    w.trail.push(`.${k}`);
    write(w, (o as Record<string, unknown>)[k]);
    w.trail.pop();
  }
}

/** The item path the writer is at, as the user would write it (`item.points[3]`). */
function pathOf(w: Writer): string {
  let out = 'item';
  for (const t of w.trail) out += typeof t === 'number' ? `[${t}]` : t;
  return out;
}

function sharedMemory(w: Writer): NotSerializableError {
  return new NotSerializableError(
    `${pathOf(w)}: shared memory (a SharedArrayBuffer or a view of one, a SharedArray, a Queue, a Pipe) cannot travel in a queue item: pass it as a task or Process argument (Lock, RLock, Semaphore, Event, Condition, Barrier and Value can)`,
  );
}

class Reader {
  at = 0;
  readonly view: DataView;
  readonly refs: unknown[] = [];
  /** Whether a heap view was read: the item holds primitives' envelopes to revive. */
  heap = false;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  str(): string {
    const n = this.u32();
    const s = fromUtf8.decode(this.buf.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
  bytes(): Uint8Array {
    const n = this.u32();
    const b = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return b;
  }
}

/** The inverse of `serialize`. */
export function deserialize(bytes: Uint8Array): unknown {
  const r = new Reader(bytes);
  const value = read(r);
  return r.heap ? reviveShareables(value) : value;
}

function read(r: Reader): unknown {
  const tag = r.buf[r.at++] as Tag;
  switch (tag) {
    case Tag.Undefined:
      return undefined;
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int: {
      const v = r.view.getInt32(r.at, true);
      r.at += 4;
      return v;
    }
    case Tag.Float: {
      const v = r.view.getFloat64(r.at, true);
      r.at += 8;
      return v;
    }
    case Tag.String:
      return r.str();
    case Tag.BigInt:
      return BigInt(r.str());
    case Tag.Ref:
      return r.refs[r.u32()];
    case Tag.Array: {
      const n = r.u32();
      const out = new Array(n);
      r.refs.push(out);
      for (let i = 0; i < n; i++) out[i] = read(r);
      return out;
    }
    case Tag.Object: {
      const n = r.u32();
      const out: Record<string, unknown> = {};
      r.refs.push(out);
      for (let i = 0; i < n; i++) {
        const k = r.str();
        out[k] = read(r);
      }
      return out;
    }
    case Tag.View: {
      const C = VIEWS[r.buf[r.at++]!]!;
      const b = r.bytes();
      const per = C === DataView ? 1 : (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      const out = new (C as unknown as new (b: ArrayBuffer, o: number, n: number) => object)(
        b.buffer as ArrayBuffer,
        0,
        b.byteLength / per,
      );
      r.refs.push(out);
      return out;
    }
    case Tag.ArrayBuffer: {
      const out = r.bytes().buffer;
      r.refs.push(out);
      return out;
    }
    case Tag.Date: {
      const out = new Date(r.view.getFloat64(r.at, true));
      r.at += 8;
      r.refs.push(out);
      return out;
    }
    case Tag.RegExp: {
      const out = new RegExp(r.str(), r.str());
      r.refs.push(out);
      return out;
    }
    case Tag.Map: {
      const n = r.u32();
      const out = new Map();
      r.refs.push(out);
      for (let i = 0; i < n; i++) {
        const k = read(r);
        out.set(k, read(r));
      }
      return out;
    }
    case Tag.Set: {
      const n = r.u32();
      const out = new Set();
      r.refs.push(out);
      for (let i = 0; i < n; i++) out.add(read(r));
      return out;
    }
    case Tag.Error: {
      const name = r.str();
      const out = new Error(r.str());
      const stack = r.str();
      if (name !== 'Error') Object.defineProperty(out, 'name', { value: name, configurable: true, writable: true });
      if (stack) out.stack = stack;
      r.refs.push(out);
      return out;
    }
    case Tag.HeapView: {
      const C = VIEWS[r.buf[r.at++]!]!;
      const id = r.u32();
      const offset = r.u32();
      const bytes = r.u32();
      const heap = heapById(id);
      if (!heap)
        throw new PoolkitError(
          'an item holds a shared object (a Lock, a Value, ...) in memory this thread was never given: pass one of ' +
            'the objects made there (or the Queue, after they were) to this thread as a task or Process argument first',
          { code: 'ERR_SHAREABLE' },
        );
      const per = C === DataView ? 1 : (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      const out = new (C as unknown as new (b: SharedArrayBuffer, o: number, n: number) => object)(
        heap,
        offset,
        bytes / per,
      );
      r.refs.push(out);
      r.heap = true;
      return out;
    }
    default:
      throw new PoolkitError(`corrupt queue item: unknown tag ${tag as number}`, { code: 'ERR_CORRUPT_ITEM' });
  }
}
