// k-means on WebGPU in Chromium: `--enable-unsafe-webgpu` gives a SwiftShader adapter on machines without a GPU.
// No skipping: without an adapter these tests fail.
import assert from 'node:assert/strict';
import { open, useBrowser } from './harness.mjs';

/** Runs in the page: well-separated blobs, the same seed on 'webgpu' and 'js', and predict() on the result. */
async function compareInPage() {
  const { kmeans, predict } = await import('/dist/browser/index.js');
  const n = 3000,
    dims = 4,
    k = 6;
  let s = 7;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const centres = Array.from({ length: k * dims }, () => u() * 100);
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dims; j++) data[i * dims + j] = centres[(i % k) * dims + j] + (u() + u() + u() - 1.5);
  const progress = [];
  const g = await kmeans(data, { k, dims, seed: 5, backend: 'webgpu', onProgress: (p) => progress.push(p.iteration) });
  const r = await kmeans(data, { k, dims, seed: 5, backend: 'js' });
  const labels = await predict(g.centroids, data, { dims, backend: 'webgpu' });
  let differ = 0;
  let predicted = 0;
  for (let i = 0; i < n; i++) {
    if (g.labels[i] !== r.labels[i]) differ++;
    if (labels[i] !== g.labels[i]) predicted++;
  }
  return {
    hasGpu: !!navigator.gpu,
    backend: g.backend,
    threads: g.threads,
    differ,
    predicted,
    gInertia: g.inertia,
    rInertia: r.inertia,
    iterations: g.iterations,
    progress: progress.length,
  };
}

describe('k-means on WebGPU in Chromium', function () {
  this.timeout(120000);
  const ctx = useBrowser();

  for (const [name, server] of [
    ['a cross-origin isolated page', () => ctx.isolated],
    ['a page without isolation', () => ctx.plain],
  ]) {
    it(`agrees with the js backend from the same seed in ${name}`, async () => {
      const page = await open(ctx.browser, server());
      const r = await page.evaluate(compareInPage);
      assert.deepEqual(page.errors, []);
      assert.equal(r.hasGpu, true, 'navigator.gpu missing: Chromium needs --enable-unsafe-webgpu');
      assert.equal(r.backend, 'webgpu');
      assert.equal(r.threads, 0);
      assert.equal(r.differ, 0);
      assert.equal(r.predicted, 0);
      assert.ok(Math.abs(r.gInertia - r.rInertia) / r.rInertia < 1e-4, `inertia ${r.gInertia} vs ${r.rInertia}`);
      assert.equal(r.progress, r.iterations);
      await page.close();
    });
  }

  it("rejects backend: 'webgpu' with WebGpuUnavailableError where the page has no navigator.gpu", async () => {
    const page = await open(ctx.browser, ctx.isolated);
    const r = await page.evaluate(async () => {
      Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
      const { kmeans, WebGpuUnavailableError } = await import('/dist/browser/index.js');
      const data = new Float32Array([0, 0, 1, 1, 10, 10, 11, 11]);
      try {
        await kmeans(data, { k: 2, dims: 2, backend: 'webgpu' });
        return { threw: false };
      } catch (e) {
        const auto = await kmeans(data, { k: 2, dims: 2, backend: 'auto' });
        return {
          threw: true,
          typed: e instanceof WebGpuUnavailableError,
          code: e.code,
          message: e.message,
          auto: auto.backend,
        };
      }
    });
    assert.equal(r.threw, true);
    assert.equal(r.typed, true, r.message);
    assert.equal(r.code, 'ERR_WEBGPU_UNAVAILABLE');
    assert.match(r.message, /navigator\.gpu/);
    assert.notEqual(r.auto, 'webgpu');
    await page.close();
  });
});
