// Splitting a running chunk, the host's decision (pool/split.ts) against stand-in worker slots, so each outcome is
// reached on purpose rather than by timing: a fence that loses the race to the worker's next claim asks again, a
// fence that holds hands the tail out in order and keeps the head's result first.
import assert from 'node:assert/strict';
import { splitForIdle } from '../dist/pool/split.js';
import { createRecord } from '../dist/pool/task-record.js';
import { Mode } from '../dist/pool/protocol.js';

function chunk(n, settle = () => {}) {
  const values = Array.from({ length: n }, (_, i) => i);
  const rec = createRecord({}, Mode.Map, { values, transfer: undefined, shared: undefined }, true, settle);
  rec.sentAt = performance.now() - 1000; // long enough ago that the tail is worth splitting
  return rec;
}

function slot(inflight, { at, fence }) {
  return {
    state: 'live',
    ready: true,
    hasStatus: true,
    inflight: { length: inflight.length, peek: () => inflight[0] },
    fenced: [],
    splitPosition(id) {
      return inflight[0]?.id === id ? at : undefined;
    },
    fenceSplit(id, pos) {
      this.fenced.push([id, pos]);
      return fence;
    },
  };
}

const idle = () => slot([], { at: undefined, fence: false });

describe('Pool: splitting a running chunk for an idle worker', function () {
  it('asks again when the fence loses to the worker claiming its next block', () => {
    const rec = chunk(500);
    const busy = slot([rec], { at: 374, fence: false });
    const split = splitForIdle([busy, idle()], () => {});
    assert.deepEqual(busy.fenced, [[rec.id, 374]], 'the fence was tried at the position read');
    assert.deepEqual(split.parts, []);
    assert.equal(split.retry, true, 'the chunk still runs: look again');
    assert.equal(rec.splitAt, undefined, 'nothing was cut');
  });

  it('a fence that holds cuts the unstarted tail into one piece per idle worker plus one, in order', () => {
    let result;
    const rec = chunk(500, (err, v) => (result = err ?? v));
    const busy = slot([rec], { at: 100, fence: true });
    const split = splitForIdle([busy, idle(), idle()], () => {});
    assert.equal(split.retry, false);
    assert.equal(rec.splitAt, 100);
    assert.deepEqual(
      split.parts.map((p) => [p.payload[0], p.payload.length]),
      [
        [100, 133],
        [233, 133],
        [366, 134],
      ],
    );
    // Pieces settle in any order; the chunk's result is the head's items, then each piece's, in order.
    const square = (xs) => Array.from(xs, (x) => x * x);
    for (const p of [...split.parts].reverse()) p.settle(null, square(p.payload));
    assert.equal(result, undefined, 'the chunk waits for its head');
    rec.settle(null, square(rec.payload.slice(0, 100)));
    assert.deepEqual(result, square(rec.payload));
  });

  it('nothing to split: no idle worker, or a chunk not started yet (asked again), or too short a tail', () => {
    const rec = chunk(500);
    assert.deepEqual(
      splitForIdle([slot([rec], { at: 10, fence: true })], () => {}),
      { parts: [], retry: false },
    );
    assert.deepEqual(
      splitForIdle([slot([rec], { at: undefined, fence: true }), idle()], () => {}),
      {
        parts: [],
        retry: true,
      },
    );
    assert.deepEqual(
      splitForIdle([slot([rec], { at: 499, fence: true }), idle()], () => {}),
      {
        parts: [],
        retry: false,
      },
    );
  });
});
