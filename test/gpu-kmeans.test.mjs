// k-means on WebGPU, for real: Dawn (the `webgpu` package) on a software Vulkan driver (SwiftShader from Debian's
// chromium). No skipping: without an adapter these tests fail. Sizes stay small: SwiftShader runs WGSL on the CPU.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER))
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const { createWebGpuBackend, webGpuAvailable, webGpuWorthIt, WebGpuUnavailableError, WebGpuDeviceLostError } =
  await import('../dist/kmeans/webgpu/backend.js');
const { acquireGpu, peekGpu, releaseGpu } = await import('../dist/gpu/device.js');
const { setGpuProvider } = await import('../dist/gpu/provider.js');
const { planLayout } = await import('../dist/kmeans/webgpu/layout.js');
const { JsBackend } = await import('../dist/kmeans/js.js');
// The public kmeans()/predict(); taken from the k-means module while the entry does not export them yet.
const api = await import('../dist/index.js');
const { kmeans, predict } = api.kmeans ? api : await import('../dist/kmeans/index.js');

/** Deterministic uniform numbers in [0, 1). */
function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** n rows around k centres spread over [0, 100)^dims, noise ±1.5: well separated for small k. */
function blobs(n, dims, k, seed) {
  const r = rng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: dims }, () => r() * 100));
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dims; j++) data[i * dims + j] = centres[i % k][j] + (r() + r() + r() - 1.5);
  return data;
}

function uniform(n, dims, seed) {
  const r = rng(seed);
  return Float32Array.from({ length: n * dims }, () => r() * 10);
}

/** Rows 0, step, 2·step, ... as initial centroids. */
function pickInit(data, dims, k, step) {
  const init = new Float32Array(k * dims);
  for (let c = 0; c < k; c++) init.set(data.subarray(c * step * dims, (c * step + 1) * dims), c * dims);
  return init;
}

const relErr = (a, b) => Math.abs(a - b) / Math.abs(b);
const opts = (extra = {}) => ({ maxIter: 100, tolAbs: 1e-6, ...extra });

describe('WebGPU k-means (Dawn on software Vulkan)', function () {
  this.timeout(60000);
  const js = new JsBackend();

  before(async () => {
    assert.ok(
      await webGpuAvailable(),
      `no WebGPU adapter: install 'webgpu' and a Vulkan driver (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES})`,
    );
  });

  it('agrees with the js reference from the same init (labels, inertia, iterations)', async () => {
    const n = 3000,
      dims = 6,
      k = 8;
    const data = blobs(n, dims, k, 1);
    const problem = { data, n, dims, k, weights: null };
    const init = pickInit(data, dims, k, 1); // consecutive rows: one per blob
    const gpu = await createWebGpuBackend();
    try {
      const inertias = [];
      const g = await gpu.lloyd(problem, init, opts({ onIteration: (_i, inertia) => inertias.push(inertia) }));
      const r = await js.lloyd(problem, init, opts());
      assert.deepEqual(Array.from(g.labels), Array.from(r.labels));
      assert.ok(relErr(g.inertia, r.inertia) < 1e-4, `inertia ${g.inertia} vs ${r.inertia}`);
      assert.equal(g.iterations, r.iterations);
      assert.equal(g.converged, true);
      assert.equal(inertias.length, g.iterations);
      for (let i = 0; i < k * dims; i++) assert.ok(Math.abs(g.centroids[i] - r.centroids[i]) < 1e-3);
      // Fixed reduction order: the same run gives the same bits.
      const again = await gpu.lloyd(problem, init, opts());
      assert.deepEqual(again.centroids, g.centroids);
      assert.equal(again.inertia, g.inertia);
    } finally {
      gpu.dispose();
    }
  });

  it('gives the same result with centroid tiles in workgroup memory (the hardware-GPU path), tiles smaller than k', async () => {
    const { limits } = await acquireGpu();
    assert.equal(planLayout(400, 64, 21, limits, { maxTileFloats: 1024 }).tileVec4s, 256); // 4 groups of 4 centroids
    assert.equal(planLayout(400, 2000, 21, limits).tileVec4s, 0); // one group of 2000 dims does not fit: direct reads
    const n = 400,
      dims = 64,
      k = 21; // 1024-float tiles hold 16 centroids of 64 floats: 2 tiles, the last partial (5 = 4 + 1)
    const data = blobs(n, dims, k, 10);
    const problem = { data, n, dims, k, weights: null };
    const init = pickInit(data, dims, k, 1);
    // Small tiles: SwiftShader's compile time grows with workgroup memory (4096 floats: about 2 s).
    const tiled = await createWebGpuBackend({ layout: { tiledAssign: true, maxTileFloats: 1024 } });
    const direct = await createWebGpuBackend({ layout: { tiledAssign: false } });
    try {
      const a = await tiled.lloyd(problem, init, opts());
      const b = await direct.lloyd(problem, init, opts());
      const r = await js.lloyd(problem, init, opts());
      assert.deepEqual(Array.from(a.labels), Array.from(r.labels));
      assert.deepEqual(a.centroids, b.centroids);
      assert.equal(a.inertia, b.inertia);
      assert.ok(relErr(a.inertia, r.inertia) < 1e-4);
    } finally {
      tiled.dispose();
      direct.dispose();
    }
  });

  it('handles k below the four centroids one thread compares at once (k = 1, 2, 3)', async () => {
    const gpu = await createWebGpuBackend();
    try {
      for (const k of [1, 2, 3]) {
        const n = 300,
          dims = 3;
        const data = blobs(n, dims, k, 20 + k);
        const problem = { data, n, dims, k, weights: null };
        const init = pickInit(data, dims, k, 1);
        const g = await gpu.lloyd(problem, init, opts());
        const r = await js.lloyd(problem, init, opts());
        assert.deepEqual(Array.from(g.labels), Array.from(r.labels), `k = ${k}`);
        assert.ok(relErr(g.inertia, r.inertia) < 1e-4, `k = ${k}: inertia ${g.inertia} vs ${r.inertia}`);
      }
    } finally {
      gpu.dispose();
    }
  });

  it('agrees with the js reference with sample weights and on overlapping data', async () => {
    const n = 2000,
      dims = 3,
      k = 5;
    const data = uniform(n, dims, 2);
    const r = rng(3);
    const weights = Float32Array.from({ length: n }, () => 0.5 + r() * 2);
    const problem = { data, n, dims, k, weights };
    const init = pickInit(data, dims, k, 13);
    const gpu = await createWebGpuBackend();
    try {
      const g = await gpu.lloyd(problem, init, opts({ maxIter: 5, tolAbs: 0 }));
      const ref = await js.lloyd(problem, init, opts({ maxIter: 5, tolAbs: 0 }));
      assert.equal(g.iterations, 5);
      assert.ok(relErr(g.inertia, ref.inertia) < 1e-4, `inertia ${g.inertia} vs ${ref.inertia}`);
      let differ = 0;
      for (let i = 0; i < n; i++) if (g.labels[i] !== ref.labels[i]) differ++;
      assert.ok(differ <= n / 200, `${differ} labels differ`); // float32 vs float64 distances on near ties only
      const a = await gpu.assign(problem, ref.centroids);
      const b = await js.assign(problem, ref.centroids);
      assert.ok(relErr(a.inertia, b.inertia) < 1e-5);
    } finally {
      gpu.dispose();
    }
  });

  it('re-seeds an empty cluster from the farthest point, as the js reference', async () => {
    const n = 1200,
      dims = 4,
      k = 6;
    const data = blobs(n, dims, 5, 4);
    const problem = { data, n, dims, k, weights: null };
    const init = pickInit(data, dims, k, 1);
    init.fill(1e4, 5 * dims, 6 * dims); // centroid 5 is far from everything: empty on the first step
    const gpu = await createWebGpuBackend();
    try {
      const g = await gpu.lloyd(problem, init, opts());
      const r = await js.lloyd(problem, init, opts());
      assert.ok(g.centroids[5 * dims] < 1e3, 'empty cluster was re-seeded');
      assert.deepEqual(Array.from(g.labels), Array.from(r.labels));
      assert.ok(relErr(g.inertia, r.inertia) < 1e-4);
      assert.equal(g.iterations, r.iterations);
    } finally {
      gpu.dispose();
    }
  });

  it('splits data across storage bindings and 2-D dispatch grids with the same result', async () => {
    const n = 2500,
      dims = 40,
      k = 7;
    const caps = { maxRowsPerBinding: 600, maxWorkgroupsPerDimension: 4, maxPartialBytes: k * (dims + 1) * 4 * 5 };
    const { limits } = await acquireGpu();
    const layout = planLayout(n, dims, k, limits, caps);
    assert.equal(layout.chunks.length, 5);
    assert.ok(
      layout.chunks.every(
        (c) => c.assignGrid[0] <= 4 && c.updateGrid[0] <= 4 && c.assignGrid[0] * c.assignGrid[1] * 64 >= c.rows,
      ),
    );
    assert.ok(layout.chunks[0].assignGrid[1] > 1, '2-D grid');
    assert.equal(layout.blocks, 5); // one block per chunk: the partial-sum budget holds 5
    assert.deepEqual(layout.reduceGrid, [4, 2]); // 287 cells in workgroups of 64
    assert.equal(layout.localSumFloats, 287);
    assert.equal(planLayout(n, dims, k, limits, { ...caps, localSums: false }).localSumFloats, 0);
    assert.equal(planLayout(n, dims, 1000, limits).localSumFloats, 0); // 41,000 floats: more than workgroup memory
    const data = blobs(n, dims, k, 5);
    const problem = { data, n, dims, k, weights: Float32Array.from({ length: n }, (_, i) => 1 + (i % 3)) };
    const init = pickInit(data, dims, k, 1);
    // Sums in workgroup memory and centroid tiles: the hardware-GPU paths, here over split chunks.
    const split = await createWebGpuBackend({
      layout: { ...caps, localSums: true, tiledAssign: true, maxTileFloats: 512 },
    });
    const global = await createWebGpuBackend({ layout: { ...caps, localSums: false } }); // sums in the partial buffer
    const whole = await createWebGpuBackend();
    try {
      const a = await split.lloyd(problem, init, opts());
      const g = await global.lloyd(problem, init, opts());
      const b = await whole.lloyd(problem, init, opts());
      const r = await js.lloyd(problem, init, opts());
      assert.deepEqual(Array.from(a.labels), Array.from(r.labels));
      assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
      assert.ok(relErr(a.inertia, r.inertia) < 1e-4 && relErr(a.inertia, b.inertia) < 1e-5);
      assert.deepEqual(g.centroids, a.centroids); // same sums in the same order, wherever they are kept
    } finally {
      split.dispose();
      global.dispose();
      whole.dispose();
    }
  });

  it('plans layouts within the limits (pure)', () => {
    const limits = {
      maxStorageBufferBindingSize: 4096,
      maxBufferSize: 8192,
      maxComputeWorkgroupStorageSize: 16384,
      maxComputeWorkgroupsPerDimension: 3,
      maxComputeInvocationsPerWorkgroup: 256,
    };
    const l = planLayout(10000, 4, 3, limits);
    assert.equal(l.rowsPerChunk, 256); // 4096-byte bindings of 16-byte rows
    assert.equal(l.chunks.length, 40);
    assert.equal(
      l.chunks.reduce((s, c) => s + c.rows, 0),
      10000,
    );
    assert.ok(l.blocks * l.cells * 4 <= 4096);
    assert.ok(
      l.chunks.every(
        (c) => c.assignGrid[0] * c.assignGrid[1] * 64 >= c.rows && c.assignGrid[0] <= 3 && c.assignGrid[1] <= 3,
      ),
    );
    assert.throws(() => planLayout(10, 5000, 2, limits), { code: 'ERR_WEBGPU_LIMIT' });
  });

  it('runs concurrent calls on one backend one after the other', async () => {
    const gpu = await createWebGpuBackend();
    try {
      const problems = [1, 2, 3].map((seed) => {
        const n = 500,
          dims = 3,
          k = 4;
        const data = blobs(n, dims, k, 30 + seed);
        return { problem: { data, n, dims, k, weights: null }, init: pickInit(data, dims, k, 1) };
      });
      const got = await Promise.all(problems.map(({ problem, init }) => gpu.lloyd(problem, init, opts())));
      for (let i = 0; i < problems.length; i++) {
        const r = await js.lloyd(problems[i].problem, problems[i].init, opts());
        assert.deepEqual(Array.from(got[i].labels), Array.from(r.labels));
      }
    } finally {
      gpu.dispose();
    }
  });

  it('stops between iterations when the signal aborts', async () => {
    const n = 1500,
      dims = 3,
      k = 9;
    const data = uniform(n, dims, 6);
    const problem = { data, n, dims, k, weights: null };
    const gpu = await createWebGpuBackend();
    const ac = new AbortController();
    let seen = 0;
    try {
      await assert.rejects(
        gpu.lloyd(
          problem,
          pickInit(data, dims, k, 11),
          opts({
            tolAbs: 0,
            signal: ac.signal,
            onIteration: (i) => {
              seen = i;
              if (i === 2) ac.abort();
            },
          }),
        ),
        { name: 'AbortError', code: 'ABORT_ERR' },
      );
      assert.equal(seen, 2);
    } finally {
      gpu.dispose();
    }
  });

  it('turns a lost device into WebGpuDeviceLostError, then recovers on a new device', async () => {
    const n = 1000,
      dims = 4,
      k = 4;
    const data = blobs(n, dims, k, 7);
    const problem = { data, n, dims, k, weights: null };
    const init = pickInit(data, dims, k, 1);
    const gpu = await createWebGpuBackend();
    const before = peekGpu().device;
    await assert.rejects(
      gpu.lloyd(
        problem,
        init,
        opts({
          tolAbs: 0,
          onIteration: (i) => {
            if (i === 1) before.destroy();
          },
        }),
      ),
      (e) => e instanceof WebGpuDeviceLostError && e.code === 'ERR_WEBGPU_DEVICE_LOST',
    );
    const g = await gpu.lloyd(problem, init, opts());
    assert.notEqual(peekGpu().device, before);
    const r = await js.lloyd(problem, init, opts());
    assert.deepEqual(Array.from(g.labels), Array.from(r.labels));
    gpu.dispose();
  });

  it("runs through the public kmeans() and predict() with backend: 'webgpu'", async () => {
    const n = 2000,
      dims = 4,
      k = 5;
    const data = blobs(n, dims, k, 8);
    const g = await kmeans(data, { k, dims, seed: 3, backend: 'webgpu' });
    const r = await kmeans(data, { k, dims, seed: 3, backend: 'js' });
    assert.equal(g.backend, 'webgpu');
    assert.equal(g.threads, 0);
    assert.deepEqual(Array.from(g.labels), Array.from(r.labels));
    assert.ok(relErr(g.inertia, r.inertia) < 1e-4, `inertia ${g.inertia} vs ${r.inertia}`);
    const labels = await predict(g.centroids, data, { dims, backend: 'webgpu' });
    assert.deepEqual(Array.from(labels), Array.from(g.labels));
  });

  it('says WebGPU is unavailable, with a typed error, when the provider has no adapter', async () => {
    await releaseGpu();
    const previous = setGpuProvider({ name: 'no-adapter', requestAdapter: async () => null });
    try {
      assert.equal(await webGpuAvailable(), false);
      const typed = (e) =>
        e instanceof WebGpuUnavailableError &&
        e.code === 'ERR_WEBGPU_UNAVAILABLE' &&
        /no GPU adapter/.test(e.message) &&
        /webgpu/.test(e.message);
      await assert.rejects(createWebGpuBackend(), typed);
      const data = blobs(100, 2, 3, 9);
      await assert.rejects(kmeans(data, { k: 3, dims: 2, backend: 'webgpu' }), typed);
      assert.notEqual((await kmeans(data, { k: 3, dims: 2, backend: 'auto' })).backend, 'webgpu');
    } finally {
      setGpuProvider(previous);
    }
    assert.equal(await webGpuAvailable(), true);
  });

  it('never picks a software adapter automatically; the threshold is n · k · dims', async () => {
    await acquireGpu();
    assert.equal(peekGpu().software, true, `SwiftShader reported as hardware: ${peekGpu().description}`);
    assert.equal(webGpuWorthIt(10_000_000, 32, 1024), false);
  });
});
