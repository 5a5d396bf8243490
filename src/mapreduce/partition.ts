/** The hash partitioner shared by the host and the workers: a key's partition depends only on its value and type. */
import { invalid } from '../core/validate.js';

/** Keys must be primitives so they compare by value after crossing to a worker and back. */
export type MapReduceKey = string | number | bigint | boolean | null | undefined;

/** FNV-1a over the key's type tag and text form. */
export function hashKey(key: unknown): number {
  const s = `${typeof key}:${String(key)}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The partition of `key` among `parts`. */
export function partitionOf(key: unknown, parts: number): number {
  return hashKey(key) % parts;
}

/** Rejects a key (from `options.map`, named so) that is not a primitive. */
export function checkKey(key: unknown): void {
  if ((key !== null && typeof key === 'object') || typeof key === 'function' || typeof key === 'symbol') {
    throw invalid(
      'options.map',
      'keys that are strings, numbers, bigints, booleans, null or undefined',
      key,
      'use a string such as JSON.stringify(key)',
    );
  }
}
