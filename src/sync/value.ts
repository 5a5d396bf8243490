/**
 * Value / RawValue: Python's multiprocessing.Value, one number in shared memory. `.value` reads and writes it
 * (atomically for integer types); `v.value += 1` is a read then a write, so guard it with `getLock()` when several
 * threads update it. A Value carries a lock (a new RLock by default, as in Python); a RawValue has none.
 */
import { PoolkitError } from '../core/errors.js';
import { invalid, optionsObject } from '../core/validate.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { arrayCtor, ctypeOf, isAtomicType, isBigType, type CType, type ElementOf, type TypeCode } from './ctypes.js';
import { Lock } from './lock.js';
import { RLock } from './rlock.js';
import { heapBytes } from './heap.js';

type Cell = Int32Array | Float64Array | BigInt64Array | Int8Array;

export interface ValueOptions {
  /** true (default): a new RLock; false: none (like RawValue); or the Lock/RLock to use. */
  lock?: boolean | Lock | RLock;
}

interface Descriptor {
  type: CType;
  cell: Cell;
  lock: Lock | RLock | null;
}

export class RawValue<T extends TypeCode = TypeCode> {
  /** @internal */
  readonly cell: Cell;
  /** @internal */
  readonly ctype: CType;
  private readonly atomic: boolean;

  constructor(type: T, initial?: ElementOf<T>, /** @internal */ shared?: Cell) {
    this.ctype = ctypeOf(type, 'type');
    this.atomic = isAtomicType(this.ctype);
    if (shared) this.cell = shared;
    else {
      const Ctor = arrayCtor(this.ctype);
      const { buffer, byteOffset } = heapBytes(8, new.target.name);
      this.cell = new Ctor(buffer, byteOffset, 1) as Cell;
      if (initial !== undefined) {
        const big = isBigType(this.ctype);
        if (big ? typeof initial !== 'bigint' : typeof initial !== 'number') {
          throw invalid('initial', big ? 'a bigint' : 'a number', initial);
        }
        this.value = initial;
      }
    }
    markShareable(this, rawValueType as never);
  }

  /** The type code, as Python's `typecode` (canonical name). */
  get typecode(): CType {
    return this.ctype;
  }

  get value(): ElementOf<T> {
    return (this.atomic ? Atomics.load(this.cell as Int32Array, 0) : this.cell[0]) as ElementOf<T>;
  }

  set value(v: ElementOf<T>) {
    if (this.atomic) Atomics.store(this.cell as Int32Array, 0, v as number);
    else (this.cell as Float64Array)[0] = v as number;
  }
}

export class Value<T extends TypeCode = TypeCode> extends RawValue<T> {
  /** @internal */
  readonly lock: Lock | RLock | null;

  constructor(type: T, initial?: ElementOf<T>, options?: ValueOptions, /** @internal */ shared?: Descriptor) {
    super(type, initial, shared?.cell);
    const lock = shared ? null : (optionsObject(options, 'options', ['lock']).lock ?? true);
    if (shared) this.lock = shared.lock;
    else if (lock === true) this.lock = new RLock();
    else if (lock === false) this.lock = null;
    else if (lock instanceof Lock || lock instanceof RLock) this.lock = lock;
    else throw invalid('options.lock', 'true, false, a Lock or an RLock', lock);
    markShareable(this, valueType as never);
  }

  /** The lock that guards read-modify-writes of `value`. */
  getLock(): Lock | RLock {
    if (!this.lock)
      throw new PoolkitError('this Value was made with { lock: false }: it has no lock', { code: 'ERR_NO_LOCK' });
    return this.lock;
  }
}

export const rawValueType = defineShareable<RawValue, { type: CType; cell: Cell }>({
  tag: 'poolkit.RawValue',
  encode: (v) => ({ type: v.ctype, cell: v.cell }),
  revive: (d) => new RawValue(d.type, undefined, d.cell),
});

export const valueType = defineShareable<Value, Descriptor>({
  tag: 'poolkit.Value',
  encode: (v) => ({ type: v.ctype, cell: v.cell, lock: v.lock }),
  revive: (d) => new Value(d.type, undefined, undefined, d),
});
