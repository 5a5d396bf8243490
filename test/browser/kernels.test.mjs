import assert from 'node:assert/strict';
import { open, useBrowser } from './harness.mjs';

// Runs in the page: k-means (wasm and js from the same init) and word count (wasm vs the reference tokenizer).
async function scenario() {
  const { kmeans, wordCount } = await import('/dist/browser/index.js');
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const n = 4000, dims = 8, k = 5;
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) data[i * dims + d] = (i % k) * 10 + rand();
  const init = data.slice(0, k * dims);
  const wasm = await kmeans(data, { k, dims, init, backend: 'wasm', threads: 2, maxIter: 50 });
  const js = await kmeans(data, { k, dims, init, backend: 'js', maxIter: 50 });
  const text = 'Ὀδυσσεύς ΟΔΥΣΣΕΥΣ the THE thé naïve İstanbul 数据 données 123 x\uFFFDy '.repeat(2000) + 'ΣΊΣΥΦΟΣ end';
  const bytes = new TextEncoder().encode(text);
  const ref = new Map();
  for (const w of new TextDecoder().decode(bytes).match(/[\p{L}\p{M}\p{N}]+/gu).map((w) => w.toLowerCase())) ref.set(w, (ref.get(w) ?? 0) + 1);
  const counts = await wordCount(bytes, { backend: 'wasm', threads: 2 });
  const fromBlob = await wordCount(new Blob([bytes]), { backend: 'wasm' });
  const got = new Map(counts.entries());
  return {
    isolated: crossOriginIsolated,
    wasm: { threads: wasm.threads, backend: wasm.backend, inertia: wasm.inertia, labels: [...wasm.labels] },
    js: { inertia: js.inertia, labels: [...js.labels] },
    wc: { total: counts.total, unique: counts.unique, refTotal: [...ref.values()].reduce((a, b) => a + b, 0), refUnique: ref.size, same: [...ref].every(([w, c]) => got.get(w) === c), blobTotal: fromBlob.total },
  };
}

describe('wasm kernels in Chromium', function () {
  const ctx = useBrowser();

  for (const kind of ['isolated', 'plain']) {
    it(`k-means and word count agree with the references (${kind === 'isolated' ? 'cross-origin isolated: 2 threads' : 'not isolated: 1 thread'})`, async () => {
      const page = await open(ctx.browser, kind === 'isolated' ? ctx.isolated : ctx.plain);
      const r = await page.evaluate(scenario);
      assert.deepEqual(page.errors, []);
      assert.equal(r.isolated, kind === 'isolated');
      assert.equal(r.wasm.backend, 'wasm');
      assert.equal(r.wasm.threads, kind === 'isolated' ? 2 : 1);
      assert.ok(Math.abs(r.wasm.inertia - r.js.inertia) <= 1e-5 * r.js.inertia, `${r.wasm.inertia} vs ${r.js.inertia}`);
      assert.deepEqual(r.wasm.labels, r.js.labels);
      assert.equal(r.wc.total, r.wc.refTotal);
      assert.equal(r.wc.unique, r.wc.refUnique);
      assert.equal(r.wc.same, true);
      assert.equal(r.wc.blobTotal, r.wc.refTotal);
    });
  }
});
