// The k-means suite shared by Node (test/kmeans.test.mjs) and Chromium (test/browser/suites.test.mjs, pages with and
// without cross-origin isolation); cases on internal modules stay in test/kmeans.test.mjs.
import { blobs, firstRowsInit, rng } from '../fixtures/kmeans-data.mjs';

const relDiff = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
const maxAbsDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/**
 * @param {object} t
 * @param {object} t.poolkit the loaded package (dist/index.js or dist/browser/index.js)
 * @param {object} t.env `{ platform: 'node' | 'browser', isolated }`; without isolation (no SharedArrayBuffer) the wasm
 *   backend runs one thread whatever `threads` asks
 */
export default function kmeansSuite({ poolkit, describe, it, assert, env }) {
  const { kmeans, predict, InvalidArgumentError } = poolkit;
  const assertClose = (actual, expected, eps = 1e-5) =>
    assert.ok(
      actual.length === expected.length && maxAbsDiff(actual, expected) < eps,
      `${Array.from(actual)} ≉ ${expected}`,
    );

  describe('kmeans: wasm against the js reference', function () {
    // dims 7 and k 9 exercise the padding of rows (to 8) and centroids (to 16); n spans several 4096-row blocks.
    const dims = 7;
    const k = 9;
    const { data, truth } = blobs({ n: 10_003, dims, centers: k, seed: 11 });
    const init = firstRowsInit(data, truth, dims, k);

    for (const threads of [1, 2]) {
      it(`same init → same labels, inertia within 1e-5 (threads ${threads})`, async () => {
        const js = await kmeans(data, { k, dims, init, backend: 'js' });
        const wasm = await kmeans(data, { k, dims, init, backend: 'wasm', threads });
        assert.equal(js.backend, 'js');
        assert.equal(wasm.backend, 'wasm');
        assert.equal(wasm.threads, env.isolated ? threads : 1, 'one thread without shared memory');
        assert.ok(relDiff(js.inertia, wasm.inertia) < 1e-5, `${js.inertia} vs ${wasm.inertia}`);
        assert.deepEqual(wasm.labels, js.labels);
        assert.equal(wasm.iterations, js.iterations);
        assert.ok(maxAbsDiff(js.centroids, wasm.centroids) < 1e-4);
        assert.ok(js.converged && wasm.converged);
      });
    }

    it('agree with sample weights', async () => {
      const random = rng(5);
      const sampleWeight = Float64Array.from({ length: data.length / dims }, () => random() * 3);
      const js = await kmeans(data, { k, dims, init, sampleWeight, backend: 'js' });
      const wasm = await kmeans(data, { k, dims, init, sampleWeight, backend: 'wasm', threads: 2 });
      assert.ok(relDiff(js.inertia, wasm.inertia) < 1e-5);
      assert.deepEqual(wasm.labels, js.labels);
    });

    it('agree on overlapping clusters run to maxIter (inertia within 1e-5)', async () => {
      const { data: d2 } = blobs({ n: 3000, dims: 5, centers: 6, spread: 1.2, seed: 3 });
      const js = await kmeans(d2, { k: 12, dims: 5, seed: 4, maxIter: 8, tol: 0, backend: 'js' });
      const wasm = await kmeans(d2, { k: 12, dims: 5, seed: 4, maxIter: 8, tol: 0, backend: 'wasm', threads: 2 });
      assert.ok(relDiff(js.inertia, wasm.inertia) < 1e-5, `${js.inertia} vs ${wasm.inertia}`);
      const same = wasm.labels.filter((l, i) => l === js.labels[i]).length;
      assert.ok(same / wasm.labels.length > 0.995);
    });
  });

  describe('kmeans: determinism', function () {
    const dims = 6;
    const { data } = blobs({ n: 15_000, dims, centers: 20, spread: 3, seed: 21 });

    it('same seed → identical results at threads 1, 2, 3', async () => {
      const runs = [];
      for (const threads of [1, 2, 3])
        runs.push(await kmeans(data, { k: 20, dims, seed: 7, backend: 'wasm', threads, maxIter: 50 }));
      for (const r of runs.slice(1)) {
        assert.equal(r.inertia, runs[0].inertia);
        assert.equal(r.iterations, runs[0].iterations);
        assert.deepEqual(r.centroids, runs[0].centroids);
        assert.deepEqual(r.labels, runs[0].labels);
      }
      assert.deepEqual(
        runs.map((r) => r.threads),
        env.isolated ? [1, 2, 3] : [1, 1, 1],
      );
    });

    it('same seed → same result, another seed → another start (js)', async () => {
      const a = await kmeans(data, { k: 20, dims, seed: 1, backend: 'js', maxIter: 5 });
      const b = await kmeans(data, { k: 20, dims, seed: 1, backend: 'js', maxIter: 5 });
      const c = await kmeans(data, { k: 20, dims, seed: 2, backend: 'js', maxIter: 5 });
      assert.deepEqual(a.centroids, b.centroids);
      assert.notDeepEqual(a.centroids, c.centroids);
    });
  });

  describe('kmeans: initialisation and runs', function () {
    it('k-means++ finds well-separated blobs (nInit 1, most seeds)', async () => {
      const dims = 4;
      const k = 12;
      const { data } = blobs({ n: 6000, dims, centers: k, spread: 20, seed: 8 });
      const optimum = 6000 * dims; // unit noise per feature
      let good = 0;
      for (let seed = 0; seed < 6; seed++) {
        const r = await kmeans(data, { k, dims, seed, backend: 'wasm' });
        if (r.inertia < optimum * 1.1) good++;
      }
      assert.ok(good >= 5, `k-means++ reached the optimum for ${good} of 6 seeds`);
    });

    it('k-means++ on the wasm kernel picks the same centres as the js reference', async () => {
      const dims = 5;
      const { data } = blobs({ n: 9000, dims, centers: 15, spread: 6, seed: 41 });
      for (const seed of [0, 1, 2]) {
        const js = await kmeans(data, { k: 15, dims, seed, maxIter: 1, backend: 'js' });
        const wasm = await kmeans(data, { k: 15, dims, seed, maxIter: 1, backend: 'wasm', threads: 2 });
        assert.deepEqual(wasm.labels, js.labels);
        assert.ok(relDiff(js.inertia, wasm.inertia) < 1e-5);
      }
    });

    it('random init: nInit keeps the best run', async () => {
      const dims = 2;
      const { data } = blobs({ n: 2000, dims, centers: 8, spread: 10, seed: 31 });
      let betterSeen = false;
      for (let seed = 0; seed < 4; seed++) {
        const one = await kmeans(data, { k: 8, dims, init: 'random', nInit: 1, seed, backend: 'js' });
        const lastByRun = new Map();
        const many = await kmeans(data, {
          k: 8,
          dims,
          init: 'random',
          nInit: 6,
          seed,
          backend: 'js',
          onProgress: (p) => lastByRun.set(p.run, p.inertia),
        });
        assert.equal(lastByRun.size, 6);
        // Run 0 of both calls starts from the same draws; the best of 6 is never worse, and never worse than any run.
        assert.ok(many.inertia <= one.inertia);
        assert.ok(many.inertia <= Math.min(...lastByRun.values()) * (1 + 1e-9));
        if (many.inertia < one.inertia * 0.999) betterSeen = true;
      }
      assert.ok(betterSeen, 'nInit 6 never improved on 1 run');
    });

    it('explicit init as number[][] and Float64Array give the same result', async () => {
      const data = [
        [0, 0],
        [0, 1],
        [10, 10],
        [10, 11],
        [20, 0],
        [21, 0],
      ];
      const a = await kmeans(data, {
        k: 3,
        init: [
          [0, 0],
          [10, 10],
          [20, 0],
        ],
        backend: 'js',
      });
      const b = await kmeans(Float64Array.from(data.flat()), {
        k: 3,
        dims: 2,
        init: Float64Array.from([0, 0, 10, 10, 20, 0]),
        backend: 'wasm',
      });
      assert.deepEqual(Array.from(a.labels), [0, 0, 1, 1, 2, 2]);
      assert.deepEqual(b.labels, a.labels);
      assertClose(a.centroids, [0, 0.5, 10, 10.5, 20.5, 0]);
      assert.ok(Math.abs(a.inertia - 1.5) < 1e-5);
      assert.ok(Math.abs(b.inertia - 1.5) < 1e-5);
    });
  });

  describe('kmeans: empty clusters and edge cases', function () {
    for (const backend of ['js', 'wasm']) {
      it(`re-seeds an empty cluster from the farthest point (${backend})`, async () => {
        const data = [[0], [1], [2], [10], [11]];
        const seen = [];
        // Centre 0 is far from everything: empty after the first assignment, so it takes the farthest point (11).
        const r = await kmeans(data, { k: 2, init: [[100], [1]], backend, onProgress: (p) => seen.push(p) });
        assert.deepEqual(Array.from(r.labels), [1, 1, 1, 0, 0]);
        assertClose(r.centroids, [10.5, 1]);
        assert.ok(Math.abs(r.inertia - 2.5) < 1e-5);
        assert.ok(r.converged);
      });

      it(`identical points: k > distinct values does not fail (${backend})`, async () => {
        const data = new Float32Array(40).fill(3);
        const r = await kmeans(data, { k: 4, dims: 2, backend });
        assert.equal(r.inertia, 0);
        assert.equal(r.labels.length, 20);
      });
    }

    it('k = n and k = 1, one column, one row', async () => {
      const data = [[1], [5], [9]];
      const r = await kmeans(data, { k: 3, backend: 'wasm' });
      assert.ok(r.inertia < 1e-9);
      assertClose(
        [...r.centroids].sort((a, b) => a - b),
        [1, 5, 9],
      );
      const one = await kmeans(data, { k: 1, backend: 'wasm' });
      assertClose(one.centroids, [5]);
      assert.ok(Math.abs(one.inertia - 32) < 1e-5);
      const single = await kmeans([[1, 2, 3]], { k: 1 });
      assertClose(single.centroids, [1, 2, 3]);
    });

    it('data far from the origin is clustered accurately (centring)', async () => {
      const { data, truth } = blobs({ n: 4000, dims: 3, centers: 5, spread: 5, seed: 4, offset: 1e4 });
      const init = firstRowsInit(data, truth, 3, 5);
      const js = await kmeans(data, { k: 5, dims: 3, init, backend: 'js' });
      const wasm = await kmeans(data, { k: 5, dims: 3, init, backend: 'wasm' });
      assert.deepEqual(wasm.labels, js.labels);
      assert.ok(relDiff(js.inertia, wasm.inertia) < 1e-4, `${js.inertia} vs ${wasm.inertia}`);
    });

    it('maxIter and tol: not converged when iterations run out; a large tol stops early', async () => {
      const { data } = blobs({ n: 3000, dims: 2, centers: 30, spread: 3, seed: 9 });
      const capped = await kmeans(data, { k: 30, dims: 2, maxIter: 2, tol: 0, seed: 1 });
      assert.equal(capped.iterations, 2);
      assert.equal(capped.converged, false);
      const loose = await kmeans(data, { k: 30, dims: 2, tol: 10, seed: 1 });
      const tight = await kmeans(data, { k: 30, dims: 2, tol: 0, seed: 1 });
      assert.ok(loose.converged && tight.converged);
      assert.ok(loose.iterations < tight.iterations);
    });

    it('onProgress reports every iteration with non-increasing inertia', async () => {
      const { data } = blobs({ n: 3000, dims: 3, centers: 10, spread: 2, seed: 2 });
      const seen = [];
      const r = await kmeans(data, { k: 10, dims: 3, seed: 3, onProgress: (p) => seen.push(p) });
      assert.equal(seen.length, r.iterations);
      seen.forEach((p, i) => {
        assert.equal(p.run, 0);
        assert.equal(p.iteration, i + 1);
        assert.ok(p.shift >= 0);
        if (i > 0) assert.ok(p.inertia <= seen[i - 1].inertia * (1 + 1e-6));
      });
    });
  });

  describe('kmeans: predict', function () {
    it('gives the labels of the fit, for every data form', async () => {
      const { data } = blobs({ n: 5000, dims: 3, centers: 6, seed: 12 });
      const r = await kmeans(data, { k: 6, dims: 3, seed: 2 });
      assert.deepEqual(await predict(r.centroids, data, { dims: 3 }), r.labels);
      assert.deepEqual(await predict(r.centroids, data, { dims: 3, backend: 'js' }), r.labels);
      const rows = Array.from({ length: 50 }, (_, i) => Array.from(data.subarray(i * 3, i * 3 + 3)));
      const cents = Array.from({ length: 6 }, (_, i) => Array.from(r.centroids.subarray(i * 3, i * 3 + 3)));
      assert.deepEqual(Array.from(await predict(cents, rows)), Array.from(r.labels.subarray(0, 50)));
    });

    it('rejects mismatched dims', async () => {
      await assert.rejects(
        predict([[1, 2]], [[1, 2, 3]]),
        (e) => e instanceof InvalidArgumentError && e.argument === 'data' && /rows of 2 values/.test(e.message),
      );
    });
  });

  describe('kmeans: bad input is an InvalidArgumentError naming the argument', function () {
    const ok = new Float32Array([0, 0, 1, 1, 2, 2, 3, 3]);
    const cases = [
      ['NaN in data', () => kmeans(new Float32Array([0, NaN, 1, 1]), { k: 1, dims: 2 }), 'data', /row 0, column 1/],
      [
        'Infinity in data',
        () =>
          kmeans(
            [
              [0, 1],
              [Infinity, 1],
            ],
            { k: 1 },
          ),
        'data',
        /row 1, column 0/,
      ],
      [
        'a string in a row',
        () =>
          kmeans(
            [
              [0, 1],
              [2, '3'],
            ],
            { k: 1 },
          ),
        'data',
        /row 1, column 1/,
      ],
      ['k < 1', () => kmeans(ok, { k: 0, dims: 2 }), 'options.k', /at least 1/],
      ['k > n', () => kmeans(ok, { k: 5, dims: 2 }), 'options.k', /only 4 rows/],
      ['k not an integer', () => kmeans(ok, { k: 1.5, dims: 2 }), 'options.k', /integer/],
      ['k as a string', () => kmeans(ok, { k: '2', dims: 2 }), 'options.k', /integer/],
      ['k missing', () => kmeans(ok, { dims: 2 }), 'options.k', /required/],
      ['length not a multiple of dims', () => kmeans(ok, { k: 1, dims: 3 }), 'data', /multiple/],
      ['dims missing for a typed array', () => kmeans(ok, { k: 1 }), 'options.dims', /required/],
      ['dims not matching the rows', () => kmeans([[1, 2]], { k: 1, dims: 3 }), 'options.dims', /2 values/],
      ['dims 0', () => kmeans(ok, { k: 1, dims: 0 }), 'options.dims', /at least 1/],
      ['ragged rows', () => kmeans([[1, 2], [3]], { k: 1 }), 'data', /ragged.*row 1/],
      ['empty array', () => kmeans([], { k: 1 }), 'data', /empty/],
      ['empty typed array', () => kmeans(new Float32Array(0), { k: 1, dims: 2 }), 'data', /empty/],
      ['empty rows', () => kmeans([[], []], { k: 1 }), 'data', /empty/],
      ['data of a wrong type', () => kmeans('1,2,3', { k: 1 }), 'data', /Float32Array/],
      ['an Int32Array', () => kmeans(new Int32Array(4), { k: 1, dims: 2 }), 'data', /Float32Array/],
      ['unknown option', () => kmeans(ok, { k: 1, dims: 2, iterations: 5 }), 'options.iterations', /unknown option/],
      ['options missing', () => kmeans(ok), 'options', /object/],
      ['negative tol', () => kmeans(ok, { k: 1, dims: 2, tol: -1 }), 'options.tol', /at least 0/],
      ['NaN tol', () => kmeans(ok, { k: 1, dims: 2, tol: NaN }), 'options.tol', /finite/],
      ['maxIter 0', () => kmeans(ok, { k: 1, dims: 2, maxIter: 0 }), 'options.maxIter', /at least 1/],
      ['nInit 0', () => kmeans(ok, { k: 1, dims: 2, nInit: 0 }), 'options.nInit', /at least 1/],
      ['threads 0', () => kmeans(ok, { k: 1, dims: 2, threads: 0 }), 'options.threads', /at least 1/],
      ['unknown backend', () => kmeans(ok, { k: 1, dims: 2, backend: 'gpu' }), 'options.backend', /one of/],
      ['unknown init', () => kmeans(ok, { k: 1, dims: 2, init: 'kmeans++' }), 'options.init', /k-means\+\+/],
      ['init of the wrong shape', () => kmeans(ok, { k: 2, dims: 2, init: [[0, 0]] }), 'options.init', /2 × 2/],
      ['init with NaN', () => kmeans(ok, { k: 1, dims: 2, init: [[0, NaN]] }), 'options.init', /finite/],
      [
        'sampleWeight of the wrong length',
        () => kmeans(ok, { k: 1, dims: 2, sampleWeight: [1, 2] }),
        'options.sampleWeight',
        /2 values for 4 rows/,
      ],
      [
        'negative sampleWeight',
        () => kmeans(ok, { k: 1, dims: 2, sampleWeight: [1, 1, -1, 1] }),
        'options.sampleWeight',
        /non-negative/,
      ],
      [
        'zero sampleWeight',
        () => kmeans(ok, { k: 1, dims: 2, sampleWeight: [0, 0, 0, 0] }),
        'options.sampleWeight',
        /sum to 0/,
      ],
      ['signal not an AbortSignal', () => kmeans(ok, { k: 1, dims: 2, signal: {} }), 'options.signal', /AbortSignal/],
      [
        'onProgress not a function',
        () => kmeans(ok, { k: 1, dims: 2, onProgress: 1 }),
        'options.onProgress',
        /function/,
      ],
      ['seed NaN', () => kmeans(ok, { k: 1, dims: 2, seed: NaN }), 'options.seed', /finite/],
    ];
    for (const [name, run, argument, message] of cases) {
      it(name, async () => {
        await assert.rejects(run(), (e) => {
          assert.ok(e instanceof InvalidArgumentError, `${e?.name}: ${e?.message}`);
          assert.equal(e.argument, argument);
          assert.equal(e.code, 'ERR_INVALID_ARGUMENT');
          assert.match(e.message, message);
          return true;
        });
      });
    }
  });

  describe('kmeans: abort', function () {
    const { data } = blobs({ n: 20_000, dims: 4, centers: 50, spread: 2, seed: 6 });
    const isAbort = (e) => e.name === 'AbortError';

    it('an aborted signal rejects at once', async () => {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(kmeans(data, { k: 10, dims: 4, signal: ac.signal }), isAbort);
    });

    for (const [backend, threads] of [
      ['js', 1],
      ['wasm', 1],
      ['wasm', 2],
    ]) {
      it(`aborting during the run rejects (${backend}, threads ${threads})`, async () => {
        const ac = new AbortController();
        let iterations = 0;
        const run = kmeans(data, {
          k: 50,
          dims: 4,
          tol: 0,
          maxIter: 300,
          backend,
          threads,
          signal: ac.signal,
          onProgress: (p) => {
            iterations = p.iteration;
            if (p.iteration === 2) ac.abort();
          },
        });
        await assert.rejects(run, isAbort);
        assert.equal(iterations, 2);
      });
    }

    it('a timer abort stops a long js run', async () => {
      const t0 = Date.now();
      await assert.rejects(
        kmeans(data, {
          k: 50,
          dims: 4,
          tol: 0,
          maxIter: 100_000,
          nInit: 50,
          backend: 'js',
          signal: AbortSignal.timeout(200),
        }),
        isAbort,
      );
      assert.ok(Date.now() - t0 < 5000);
    });
  });
}
