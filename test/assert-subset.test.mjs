// The page-side assert (test/browser/assert.mjs) must pass and fail exactly where node:assert/strict does, or the
// shared suites would be weaker in Chromium than in Node.
import strict from 'node:assert/strict';
import * as subset from './browser/assert.mjs';

class Custom extends Error {
  constructor(m) {
    super(m);
    this.name = 'Custom';
    this.code = 'E_CUSTOM';
  }
}
const boom = () => {
  throw new Custom('boom 42');
};
const reject = () => Promise.reject(new RangeError('out of range'));
const cyclic = () => {
  const o = { a: 1 };
  o.self = o;
  return o;
};
const sparse = () => {
  // biome-ignore lint/suspicious/noSparseArray: the hole is what this test compares
  const a = [1, , 3];
  return a;
}; // eslint-disable-line no-sparse-arrays
const tagged = () => Object.assign([1, 2], { extra: true });

// [name, call]: each call either throws with both implementations or with neither.
const cases = [
  ['ok true', (a) => a.ok(1)],
  ['ok false', (a) => a.ok(0)],
  ['ok empty string', (a) => a.ok('')],
  ['equal same', (a) => a.equal(3, 3)],
  ['equal coerced', (a) => a.equal(3, '3')],
  ['equal NaN', (a) => a.equal(NaN, NaN)],
  ['equal signed zero', (a) => a.equal(0, -0)],
  ['equal objects', (a) => a.equal({}, {})],
  ['notEqual different', (a) => a.notEqual('webgpu', 'wasm')],
  ['notEqual same', (a) => a.notEqual('wasm', 'wasm')],
  ['deepEqual arrays', (a) => a.deepEqual([1, [2, 3]], [1, [2, 3]])],
  ['deepEqual arrays differ', (a) => a.deepEqual([1, [2, 3]], [1, [2, 4]])],
  ['deepEqual array lengths', (a) => a.deepEqual([1, 2], [1, 2, 3])],
  ['deepEqual coerced elements', (a) => a.deepEqual([1], ['1'])],
  ['deepEqual sparse vs undefined', (a) => a.deepEqual(sparse(), [1, undefined, 3])],
  ['deepEqual extra array property', (a) => a.deepEqual(tagged(), [1, 2])],
  ['deepEqual objects', (a) => a.deepEqual({ x: 1, y: { z: [1] } }, { y: { z: [1] }, x: 1 })],
  ['deepEqual objects differ', (a) => a.deepEqual({ x: 1 }, { x: 1, y: undefined })],
  ['deepEqual prototypes', (a) => a.deepEqual(Object.create(null), {})],
  ['deepEqual array vs object', (a) => a.deepEqual([], {})],
  ['deepEqual typed arrays', (a) => a.deepEqual(Int32Array.from([1, 2, 3]), Int32Array.from([1, 2, 3]))],
  ['deepEqual typed arrays differ', (a) => a.deepEqual(Int32Array.from([1, 2, 3]), Int32Array.from([1, 2, 4]))],
  ['deepEqual typed array kinds', (a) => a.deepEqual(Int32Array.from([1]), Uint32Array.from([1]))],
  ['deepEqual typed array vs array', (a) => a.deepEqual(Int32Array.from([1]), [1])],
  ['deepEqual float arrays', (a) => a.deepEqual(Float32Array.from([0.5, 1e-3]), Float32Array.from([0.5, 1e-3]))],
  [
    'deepEqual float arrays differ in the last bit',
    (a) => a.deepEqual(Float32Array.from([0.1]), Float32Array.from([0.1 + 1e-8])),
  ],
  ['deepEqual subarrays', (a) => a.deepEqual(Int32Array.from([9, 1, 2]).subarray(1), Int32Array.from([1, 2]))],
  [
    'deepEqual Maps',
    (a) =>
      a.deepEqual(
        new Map([
          ['a', 1],
          ['b', [2]],
        ]),
        new Map([
          ['b', [2]],
          ['a', 1],
        ]),
      ),
  ],
  ['deepEqual Maps differ', (a) => a.deepEqual(new Map([['a', 1]]), new Map([['a', 2]]))],
  ['deepEqual Map keys differ', (a) => a.deepEqual(new Map([['a', 1]]), new Map([['b', 1]]))],
  ['deepEqual Sets', (a) => a.deepEqual(new Set([1, 2]), new Set([2, 1]))],
  ['deepEqual Sets differ', (a) => a.deepEqual(new Set([1, 2]), new Set([1, 3]))],
  ['deepEqual iterator results', (a) => a.deepEqual({ value: 0, done: false }, { value: 0, done: false })],
  ['deepEqual iterator results differ', (a) => a.deepEqual({ value: 0, done: false }, { value: 0, done: true })],
  [
    'deepEqual settled objects',
    (a) => a.deepEqual({ status: 'fulfilled', value: 3 }, { status: 'fulfilled', value: '3' }),
  ],
  ['deepEqual cycles', (a) => a.deepEqual(cyclic(), cyclic())],
  ['deepEqual dates', (a) => a.deepEqual(new Date(5), new Date(6))],
  ['deepEqual errors', (a) => a.deepEqual(new Error('x'), new Error('y'))],
  ['notDeepEqual different', (a) => a.notDeepEqual(Float32Array.from([1]), Float32Array.from([2]))],
  ['notDeepEqual same', (a) => a.notDeepEqual([1, { a: 2 }], [1, { a: 2 }])],
  ['match', (a) => a.match('worker-side stack at failing', /failing/)],
  ['match fails', (a) => a.match('stack', /failing/)],
  ['match a non-string', (a) => a.match(42, /42/)],
  ['fail', (a) => a.fail('always')],
  ['throws with a class', (a) => a.throws(boom, Custom)],
  ['throws with a base class', (a) => a.throws(boom, Error)],
  ['throws with another class', (a) => a.throws(boom, RangeError)],
  ['throws with a validator', (a) => a.throws(boom, (e) => e.code === 'E_CUSTOM')],
  ['throws with a validator returning false', (a) => a.throws(boom, (e) => e.code === 'nope')],
  ['throws with a validator returning truthy', (a) => a.throws(boom, (e) => e.code)],
  ['throws with a RegExp', (a) => a.throws(boom, /boom \d+/)],
  ['throws with a RegExp on the name', (a) => a.throws(boom, /^Custom: boom/)],
  ['throws with a RegExp that misses', (a) => a.throws(boom, /bang/)],
  ['throws with an object', (a) => a.throws(boom, { name: 'Custom', message: /boom/, code: 'E_CUSTOM' })],
  ['throws with an object that misses', (a) => a.throws(boom, { name: 'Custom', message: 'boom' })],
  ['throws with a message only', (a) => a.throws(boom, 'should throw')],
  ['throws when nothing is thrown', (a) => a.throws(() => 1)],
  ['throws when nothing is thrown, with a class', (a) => a.throws(() => 1, Custom)],
];
const asyncCases = [
  ['rejects a promise with a class', (a) => a.rejects(reject(), RangeError)],
  ['rejects a promise with another class', (a) => a.rejects(reject(), TypeError)],
  ['rejects a function', (a) => a.rejects(reject, { name: 'RangeError', message: 'out of range' })],
  ['rejects a function, object misses', (a) => a.rejects(reject, { name: 'RangeError', message: 'in range' })],
  ['rejects with a validator', (a) => a.rejects(reject(), (e) => e instanceof RangeError && /range/.test(e.message))],
  ['rejects with a validator returning false', (a) => a.rejects(reject(), () => false)],
  [
    'rejects with a validator that asserts',
    (a) =>
      a.rejects(reject(), (e) => {
        a.equal(e.message, 'other');
        return true;
      }),
  ],
  ['rejects with a RegExp', (a) => a.rejects(reject(), /out of/)],
  ['rejects with a RegExp that misses', (a) => a.rejects(reject(), /within/)],
  ['rejects a resolved promise', (a) => a.rejects(Promise.resolve(1))],
  ['rejects a resolved promise, with a class', (a) => a.rejects(Promise.resolve(1), RangeError)],
  ['rejects an async function that resolves', (a) => a.rejects(async () => 1, /x/)],
];

const outcome = (call, a) => {
  try {
    call(a);
    return 'passes';
  } catch {
    return 'fails';
  }
};
const asyncOutcome = async (call, a) => {
  try {
    await call(a);
    return 'passes';
  } catch {
    return 'fails';
  }
};

describe('page-side assert subset', function () {
  for (const [name, call] of cases) {
    it(`${name}: ${outcome(call, strict)}, as in node:assert/strict`, () => {
      strict.equal(outcome(call, subset), outcome(call, strict));
    });
  }
  for (const [name, call] of asyncCases) {
    it(`${name}: as in node:assert/strict`, async () => {
      strict.equal(await asyncOutcome(call, subset), await asyncOutcome(call, strict));
    });
  }

  it('failures are AssertionErrors with code ERR_ASSERTION and the given message', () => {
    strict.throws(
      () => subset.equal(1, 2, 'one is not two'),
      (e) => e instanceof subset.AssertionError && e.code === 'ERR_ASSERTION' && e.message === 'one is not two',
    );
    strict.throws(
      () => subset.deepEqual([1], [2]),
      (e) => e.name === 'AssertionError' && /\[1\][\s\S]*should equal[\s\S]*\[2\]/.test(e.message),
    );
  });

  it('a validator that throws passes its own error on', () => {
    strict.throws(
      () =>
        subset.throws(boom, () => {
          throw new TypeError('from the validator');
        }),
      { name: 'TypeError', message: 'from the validator' },
    );
  });
});
