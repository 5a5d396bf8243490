// The subset of node:assert/strict that the shared suites (test/suites/) use, for pages: same names, same strict
// semantics (Object.is, deep equality that compares prototypes, typed arrays, Maps and Sets, error matching by class,
// RegExp, object or validation function). test/assert-subset.test.mjs checks it against node:assert/strict.

export class AssertionError extends Error {
  constructor({ message, actual, expected, operator }) {
    super(message);
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }
}

/** A short readable form of a value for failure messages. */
export function inspect(value, depth = 2) {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function ${value.name || '(anonymous)'}]`;
  if (typeof value !== 'object' || value === null) return Object.is(value, -0) ? '-0' : String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof RegExp) return String(value);
  if (depth < 0) return `[${value.constructor?.name ?? 'Object'}]`;
  const list = (items) =>
    (items.length > 20 ? [...items.slice(0, 20), `… ${items.length - 20} more`] : items).join(', ');
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return `${value.constructor.name}(${value.length}) [${list(Array.from(value, (v) => inspect(v)))}]`;
  if (Array.isArray(value)) return `[${list(value.map((v) => inspect(v, depth - 1)))}]`;
  if (value instanceof Map)
    return `Map(${value.size}) {${list([...value].map(([k, v]) => `${inspect(k, depth - 1)} => ${inspect(v, depth - 1)}`))}}`;
  if (value instanceof Set) return `Set(${value.size}) {${list([...value].map((v) => inspect(v, depth - 1)))}}`;
  return `{${list(Object.keys(value).map((k) => `${k}: ${inspect(value[k], depth - 1)}`))}}`;
}

const tag = (v) => Object.prototype.toString.call(v);
const ownKeys = (o) => [
  ...Object.keys(o),
  ...Object.getOwnPropertySymbols(o).filter((s) => Object.prototype.propertyIsEnumerable.call(o, s)),
];

/** node:assert's strict deep equality (isDeepStrictEqual). */
export function isDeepStrictEqual(a, b, seen = new Map()) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || tag(a) !== tag(b)) return false;
  // A pair already being compared higher up is assumed equal (cycles).
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date && a.getTime() !== b.getTime()) return false;
  if (a instanceof RegExp && (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex))
    return false;
  if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  for (const Box of [Number, String, Boolean, BigInt, Symbol]) {
    if (a instanceof Box && !Object.is(Box.prototype.valueOf.call(a), Box.prototype.valueOf.call(b))) return false;
  }
  if (ArrayBuffer.isView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  } else if (a instanceof ArrayBuffer || tag(a) === '[object SharedArrayBuffer]') {
    if (a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a);
    const y = new Uint8Array(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  } else if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (Object.hasOwn(a, i) !== Object.hasOwn(b, i) || !isDeepStrictEqual(a[i], b[i], seen)) return false;
    }
  } else if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (b.has(k)) {
        if (!isDeepStrictEqual(v, b.get(k), seen)) return false;
      } else if (
        typeof k !== 'object' ||
        k === null ||
        ![...b].some(([k2, v2]) => isDeepStrictEqual(k, k2, seen) && isDeepStrictEqual(v, v2, seen))
      ) {
        return false;
      }
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    for (const v of a) {
      if (!b.has(v) && (typeof v !== 'object' || v === null || ![...b].some((w) => isDeepStrictEqual(v, w, seen))))
        return false;
    }
  }
  // Own enumerable properties: all of an object's, and the non-index ones of arrays and typed arrays.
  const isIndexed = Array.isArray(a) || ArrayBuffer.isView(a);
  const keys = (o) => ownKeys(o).filter((k) => !(isIndexed && typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k)));
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka)
    if (!Object.prototype.propertyIsEnumerable.call(b, k) || !isDeepStrictEqual(a[k], b[k], seen)) return false;
  return true;
}

function fail(message, fallback, actual, expected, operator) {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message: message ?? fallback, actual, expected, operator });
}

export function ok(value, message) {
  if (!value) fail(message, `The expression evaluated to a falsy value: ${inspect(value)}`, value, true, '==');
}

export function equal(actual, expected, message) {
  if (!Object.is(actual, expected))
    fail(
      message,
      `Expected values to be strictly equal:\n\n${inspect(actual)} !== ${inspect(expected)}`,
      actual,
      expected,
      'strictEqual',
    );
}

export function notEqual(actual, expected, message) {
  if (Object.is(actual, expected))
    fail(
      message,
      `Expected "actual" to be strictly unequal to: ${inspect(expected)}`,
      actual,
      expected,
      'notStrictEqual',
    );
}

export function deepEqual(actual, expected, message) {
  if (!isDeepStrictEqual(actual, expected)) {
    fail(
      message,
      `Expected values to be strictly deep-equal:\n${inspect(actual)}\n\nshould equal\n\n${inspect(expected)}`,
      actual,
      expected,
      'deepStrictEqual',
    );
  }
}

export function notDeepEqual(actual, expected, message) {
  if (isDeepStrictEqual(actual, expected))
    fail(
      message,
      `Expected "actual" not to be strictly deep-equal to: ${inspect(expected)}`,
      actual,
      expected,
      'notDeepStrictEqual',
    );
}

export function match(string, regexp, message) {
  if (typeof string !== 'string')
    fail(message, `The "string" argument must be of type string. Received ${inspect(string)}`, string, regexp, 'match');
  if (!regexp.test(string))
    fail(
      message,
      `The input did not match the regular expression ${regexp}. Input:\n\n${inspect(string)}\n`,
      string,
      regexp,
      'match',
    );
}

function failure(message) {
  fail(message, 'Failed', undefined, undefined, 'fail');
}
export { failure as fail };

/** node:assert's check of a thrown value against `expected` (class, RegExp, object of properties, or validator). */
function checkError(actual, expected, message, operator) {
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && actual instanceof expected) return;
    if (expected === Error || Object.prototype.isPrototypeOf.call(Error, expected)) {
      fail(
        message,
        `The error is expected to be an instance of "${expected.name}". Received ${inspect(actual)}`,
        actual,
        expected,
        operator,
      );
    }
    const verdict = expected.call({}, actual);
    if (verdict !== true)
      fail(
        message,
        `The "validate" function is expected to return "true". Received ${inspect(verdict)}\n\nCaught error:\n\n${inspect(actual)}`,
        actual,
        expected,
        operator,
      );
    return;
  }
  if (expected instanceof RegExp) {
    if (!expected.test(String(actual)))
      fail(
        message,
        `The input did not match the regular expression ${expected}. Input:\n\n${inspect(String(actual))}\n`,
        actual,
        expected,
        operator,
      );
    return;
  }
  if (typeof actual !== 'object' || actual === null)
    fail(message, `Expected an error object, got ${inspect(actual)}`, actual, expected, operator);
  for (const key of Object.keys(expected)) {
    const want = expected[key];
    if (want instanceof RegExp && typeof actual[key] === 'string') {
      if (!want.test(actual[key]))
        fail(message, `Expected ${key} ${inspect(actual[key])} to match ${want}`, actual, expected, operator);
    } else if (!isDeepStrictEqual(actual[key], want)) {
      fail(message, `Expected ${key} ${inspect(actual[key])} to equal ${inspect(want)}`, actual, expected, operator);
    }
  }
}

function expectation(expected, message) {
  return typeof expected === 'string' ? [undefined, expected] : [expected, message];
}

export function throws(fn, expected, message) {
  [expected, message] = expectation(expected, message);
  try {
    fn();
  } catch (e) {
    if (expected !== undefined) checkError(e, expected, message, 'throws');
    return;
  }
  fail(
    message,
    `Missing expected exception${expected?.name ? ` (${expected.name})` : ''}.`,
    undefined,
    expected,
    'throws',
  );
}

export async function rejects(promiseOrFn, expected, message) {
  [expected, message] = expectation(expected, message);
  const promise = typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn;
  if (typeof promise?.then !== 'function')
    throw new TypeError(`rejects: expected a promise or a function returning one, got ${inspect(promise)}`);
  try {
    await promise;
  } catch (e) {
    if (expected !== undefined) checkError(e, expected, message, 'rejects');
    return;
  }
  fail(
    message,
    `Missing expected rejection${expected?.name ? ` (${expected.name})` : ''}.`,
    undefined,
    expected,
    'rejects',
  );
}

export default {
  AssertionError,
  ok,
  equal,
  notEqual,
  deepEqual,
  notDeepEqual,
  match,
  fail: failure,
  throws,
  rejects,
  strictEqual: equal,
  deepStrictEqual: deepEqual,
};
