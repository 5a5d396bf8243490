/**
 * SharedArray / RawArray: Python's multiprocessing.Array, as a plain typed array over a SharedArrayBuffer. Typed
 * arrays over shared memory already cross to workers as views of the same memory, so `arr[i] *= 2` in a task
 * changes the host's array. Guard read-modify-writes with a Lock (or use Atomics on integer types).
 */
import { invalid } from '../core/validate.js';
import { arrayCtor, ctypeOf, isBigType, type ArrayOf, type TypeCode } from './ctypes.js';
import { SharedMemoryUnavailableError } from './shared-memory.js';

const LENGTH_OR_ITEMS = 'a length (an integer at least 0) or an iterable of numbers';

/**
 * A typed array of `type` over new shared memory: `lengthOrItems` elements, zeroed, or a copy of an iterable.
 * `SharedArray('d', [1, 2, 3])` is a Float64Array.
 */
export function SharedArray<T extends TypeCode>(
  type: T,
  lengthOrItems: number | Iterable<number | bigint>,
): ArrayOf[T] {
  const ctype = ctypeOf(type, 'type');
  if (typeof SharedArrayBuffer !== 'function') throw new SharedMemoryUnavailableError('SharedArray');
  const Ctor = arrayCtor(ctype);
  const bytes = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (typeof lengthOrItems === 'number') {
    if (!Number.isInteger(lengthOrItems) || lengthOrItems < 0) {
      throw invalid('lengthOrItems', LENGTH_OR_ITEMS, lengthOrItems);
    }
    return new Ctor(new SharedArrayBuffer(lengthOrItems * bytes)) as ArrayOf[T];
  }
  if (lengthOrItems === null || typeof (lengthOrItems as Iterable<unknown>)?.[Symbol.iterator] !== 'function') {
    throw invalid('lengthOrItems', LENGTH_OR_ITEMS, lengthOrItems);
  }
  const items = Array.from(lengthOrItems);
  const big = isBigType(ctype);
  const out = new Ctor(new SharedArrayBuffer(items.length * bytes));
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (big ? typeof v !== 'bigint' : typeof v !== 'number') {
      throw invalid(`lengthOrItems[${i}]`, big ? 'a bigint' : 'a number', v);
    }
    (out as unknown as (number | bigint)[])[i] = v;
  }
  return out as ArrayOf[T];
}

/** Python's RawArray: the same as SharedArray (neither carries a lock here). */
export const RawArray = SharedArray;
