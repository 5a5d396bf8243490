// Kernels on a platform without shared memory (a page that is not cross-origin isolated), reproduced in Node by an
// adapter that says so: contexts are single-threaded, memory is not shared, and contexts are reused between calls.
import assert from 'node:assert/strict';
import { kmeans, wordCount } from '../dist/index.js';
import { platform, setPlatform } from '../dist/core/platform.js';
import { blobs, firstRowsInit } from './fixtures/kmeans-data.mjs';

describe('kernels without shared memory', function () {
  let saved;
  before(() => {
    saved = platform();
    setPlatform({ ...saved, sharedMemoryAvailable: () => false });
  });
  after(() => setPlatform(saved));

  it('k-means on a reused context ignores what an earlier, larger problem left in the row padding', async () => {
    const first = blobs({ n: 10_003, dims: 7, centers: 9, seed: 11 });
    await kmeans(first.data, {
      k: 9,
      dims: 7,
      init: firstRowsInit(first.data, first.truth, 7, 9),
      backend: 'wasm',
      threads: 2,
    });
    const { data } = blobs({ n: 3000, dims: 5, centers: 6, spread: 1.2, seed: 3 });
    const o = { k: 12, dims: 5, seed: 4, maxIter: 8, tol: 0, init: 'random' };
    const js = await kmeans(data, { ...o, backend: 'js' });
    const wasm = await kmeans(data, { ...o, backend: 'wasm', threads: 2 });
    assert.equal(wasm.threads, 1);
    assert.ok(Math.abs(js.inertia - wasm.inertia) / js.inertia < 1e-5, `${js.inertia} vs ${wasm.inertia}`);
    assert.deepEqual(wasm.labels, js.labels);
  });

  it('word count on one thread gives timers a turn, so an abort stops an endless stream', async () => {
    const chunk = new TextEncoder().encode('lorem ipsum dolor sit amet '.repeat(40_000));
    async function* endless() {
      for (;;) yield chunk;
    }
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(
      wordCount(endless(), { backend: 'wasm', threads: 2, signal: ac.signal }),
      (e) => e.name === 'AbortError',
    );
    assert.ok(performance.now() - t0 < 2000, 'stopped soon after the abort');
  });
});
