// The k-means suite (test/suites/kmeans.mjs) under Node, and the cases that reach internal modules of dist/.
import assert from 'node:assert/strict';
import { loadKMeans, rng } from './fixtures/kmeans-data.mjs';
import kmeansSuite from './suites/kmeans.mjs';
import { nodeEnv } from './suites/node-env.mjs';

kmeansSuite({ poolkit: await loadKMeans(), describe, it, before, after, assert, env: nodeEnv });

describe('kmeans: wasm memory limits', function () {
  it('a problem past 4 GiB of wasm memory is a WasmMemoryError naming the size', async () => {
    const { WasmMemoryError } = await import('../dist/index.js');
    const { createWasmBackend } = await import('../dist/kmeans/wasm/backend.js');
    const backend = await createWasmBackend({ threads: 1 });
    const problem = { data: new Float32Array(16), n: 300_000_000, dims: 16, k: 8, weights: null };
    await assert.rejects(backend.lloyd(problem, new Float32Array(8 * 16), { maxIter: 1, tolAbs: 0 }), (e) => {
      assert.ok(e instanceof WasmMemoryError, e.message);
      assert.match(e.message, /300000000 × 16 values needs \d+\.\d+ GiB/);
      return true;
    });
    backend.dispose();
  });
});

describe('kmeans: data preparation on the wasm kernel', function () {
  it('centres exactly as the host reference (float32 and float64, aligned and unaligned rows)', async () => {
    const { createWasmBackend } = await import('../dist/kmeans/wasm/backend.js');
    const { prepare } = await import('../dist/kmeans/prepare.js');
    const random = rng(77);
    for (const [dims, Type] of [
      [16, Float32Array],
      [7, Float32Array],
      [5, Float64Array],
      [8, Float64Array],
    ]) {
      const n = 1001;
      const values = Type.from({ length: n * dims }, () => random() * 1000 - 300);
      const weights = Float64Array.from({ length: n }, () => random());
      const backend = await createWasmBackend({ threads: 1 });
      const w = backend.prepare({ values, n, dims }, 3, weights);
      const h = prepare({ values, n, dims }, 3, weights);
      assert.deepEqual(Array.from(w.mean), Array.from(h.mean));
      assert.equal(w.meanVariance, h.meanVariance);
      assert.deepEqual(Array.from(w.problem.data), Array.from(h.problem.data), `dims ${dims} ${Type.name}`);
      assert.deepEqual(Array.from(w.problem.weights), Array.from(h.problem.weights));
      backend.dispose();
    }
  });
});
