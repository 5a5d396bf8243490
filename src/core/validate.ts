/**
 * The one validation module of the public API. Every check names the value by its path as the caller wrote it
 * (`options.threads`, `options.k`, `items`, `args`, `input`) and fails with an InvalidArgumentError whose message
 * reads `<path>: expected <what>, got <value>`, the value shown by `describe`.
 */
import { InvalidArgumentError } from './errors.js';

/** The error for `value` at `path` not being `what` (`note`, if given, follows the value: why, or a hint). */
export function invalid(path: string, what: string, value: unknown, note?: string): InvalidArgumentError {
  return new InvalidArgumentError(path, `expected ${what}, got ${describe(value)}${note ? ` (${note})` : ''}`);
}

/** A short, safe description of any value for an error message: `3`, `"abc"`, `null`, `an array of length 2`, `a Map`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name ? `a function (${value.name})` : 'a function';
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const ctor = (value as object).constructor?.name;
  if (ArrayBuffer.isView(value) && 'length' in value)
    return `${article(ctor ?? 'typed array')} of length ${(value as { length: number }).length}`;
  return ctor && ctor !== 'Object' ? article(ctor) : 'an object';
}

function article(noun: string): string {
  return `${/^[aeiouAEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/**
 * An options object with only `known` keys: `undefined` is an empty one (unless `required`), anything but a plain
 * object (a non-null, non-array object) is rejected, and so is the first unknown key, by its path (`options.wokers`).
 */
export function optionsObject<K extends string>(
  value: unknown,
  path: string,
  known: readonly K[],
  required = false,
): Partial<Record<K, unknown>> {
  if (value === undefined && !required) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(path, required ? 'an options object' : 'an options object or undefined', value);
  }
  for (const key of Object.keys(value)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(
        `${path}.${key}`,
        `expected one of the known options (${known.join(', ')}), got unknown option ${JSON.stringify(key)}`,
      );
    }
  }
  return value as Partial<Record<K, unknown>>;
}

/** `undefined` stays undefined; anything else goes through `check`. */
export function optional<T>(value: unknown, path: string, check: (value: unknown, path: string) => T): T | undefined {
  return value === undefined ? undefined : check(value, path);
}

/** An integer from `min` to `max` (inclusive); `note` explains the bound (`1 GiB`). */
export function intInRange(
  value: unknown,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  note?: string,
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const what =
    max === Number.MAX_SAFE_INTEGER
      ? `an integer at least ${min}`
      : `an integer at least ${min} and at most ${max}${note ? ` (${note})` : ''}`;
  throw invalid(path, what, value);
}

/** An integer ≥ 1. */
export function positiveInt(value: unknown, path: string): number {
  return intInRange(value, path, 1);
}

/** A finite number ≥ `min` (default: any finite number). */
export function finiteNumber(value: unknown, path: string, min = -Infinity): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
  throw invalid(path, min === -Infinity ? 'a finite number' : `a finite number at least ${min}`, value);
}

/** A finite number > 0. */
export function positiveNumber(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw invalid(path, 'a positive finite number', value);
}

/** One of `allowed` (compared with ===). */
export function oneOf<T extends string | number | boolean>(value: unknown, path: string, allowed: readonly T[]): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw invalid(path, `one of ${allowed.map((a) => (typeof a === 'string' ? `'${a}'` : String(a))).join(', ')}`, value);
}

/** true or false. */
export function boolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  throw invalid(path, 'true or false', value);
}

/** A string (non-empty unless `allowEmpty`). */
export function string(value: unknown, path: string, allowEmpty = false): string {
  if (typeof value === 'string' && (allowEmpty || value !== '')) return value;
  throw invalid(path, allowEmpty ? 'a string' : 'a non-empty string', value);
}

/** A function. */
export function func<F extends (...args: never[]) => unknown = (...args: never[]) => unknown>(
  value: unknown,
  path: string,
): F {
  if (typeof value === 'function') return value as F;
  throw invalid(path, 'a function', value);
}

/** An AbortSignal; checked by shape, so a signal from another realm (a test runner's, a frame's) passes too. */
export function abortSignal(value: unknown, path: string): AbortSignal {
  const s = value as AbortSignal | null | undefined;
  if (typeof s === 'object' && s !== null && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function')
    return s;
  throw invalid(path, 'an AbortSignal', value);
}
