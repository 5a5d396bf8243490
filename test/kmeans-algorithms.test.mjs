// The exact accelerated algorithms (Hamerly, Elkan, Yinyang): from the same init, the same labels, centroids,
// inertia and iteration count as Lloyd, on many seeds, sizes and thread counts; plausible skipped-distance counts;
// the choices of algorithm: 'auto'.
import assert from 'node:assert/strict';
import { blobs } from './fixtures/kmeans-data.mjs';
import { loadKMeans } from './fixtures/kmeans-data.mjs';

const { kmeans, InvalidArgumentError } = await loadKMeans();
const { chooseAlgorithm } = await import('../dist/kmeans/algorithm.js');
const ACCELERATED = ['hamerly', 'elkan', 'yinyang'];

// (n, dims, k, centers): few and many clusters, dims off the 4-float padding, k off the 8-centroid padding, n over
// several 4096-row blocks, and more centroids than true clusters (many near ties between centroids).
const CASES = [
  { n: 2_000, dims: 2, k: 5, centers: 5 },
  { n: 3_001, dims: 7, k: 13, centers: 8 },
  { n: 9_000, dims: 16, k: 40, centers: 40 },
  { n: 1_500, dims: 33, k: 24, centers: 6 },
];
const SEEDS = [1, 2, 3, 4, 5];

function sameRun(actual, expected, what) {
  assert.equal(actual.iterations, expected.iterations, `${what}: iterations`);
  assert.deepEqual(actual.labels, expected.labels, `${what}: labels`);
  assert.deepEqual(actual.centroids, expected.centroids, `${what}: centroids`);
  assert.equal(actual.inertia, expected.inertia, `${what}: inertia`);
  assert.equal(actual.converged, expected.converged, `${what}: converged`);
}

for (const [backend, threadCounts] of [
  ['js', [1]],
  ['wasm', [1, 2]],
]) {
  describe(`kmeans algorithms (${backend}): exact against Lloyd`, function () {
    this.timeout(240_000);
    for (const c of CASES) {
      it(`n ${c.n}, dims ${c.dims}, k ${c.k}: seeds ${SEEDS.join(' ')}, threads ${threadCounts.join(' ')}`, async () => {
        const { data } = blobs({ n: c.n, dims: c.dims, centers: c.centers, seed: c.n + c.k, spread: 6 });
        for (const seed of SEEDS) {
          for (const threads of threadCounts) {
            const base = { k: c.k, dims: c.dims, seed, backend, threads, tol: 0 };
            const lloyd = await kmeans(data, { ...base, algorithm: 'lloyd' });
            assert.equal(lloyd.algorithm, 'lloyd');
            assert.ok(lloyd.iterations > 1, 'a run with several iterations');
            for (const algorithm of ACCELERATED) {
              const r = await kmeans(data, { ...base, algorithm });
              assert.equal(r.algorithm, algorithm);
              sameRun(r, lloyd, `${algorithm}, seed ${seed}, threads ${threads}`);
            }
          }
        }
      });
    }

    it('weighted rows, an empty cluster re-seeded, and maxIter cut short: still Lloyd exactly', async () => {
      const { data } = blobs({ n: 4_100, dims: 5, centers: 4, seed: 9 });
      const sampleWeight = Float64Array.from({ length: 4_100 }, (_, i) => 0.5 + (i % 7) / 3);
      // Centroid 0 far from everything: empty after the first step, re-seeded from the farthest row.
      const init = new Float32Array(6 * 5);
      init.fill(1000, 0, 5);
      init.set(data.subarray(0, 25), 5);
      for (const opts of [
        { init, sampleWeight },
        { init, maxIter: 3 },
        { init, tol: 1e-2 },
      ]) {
        const lloyd = await kmeans(data, { k: 6, dims: 5, backend, algorithm: 'lloyd', ...opts });
        for (const algorithm of ACCELERATED)
          sameRun(await kmeans(data, { k: 6, dims: 5, backend, algorithm, ...opts }), lloyd, algorithm);
      }
    });

    it('k = 1 and k = n', async () => {
      const { data } = blobs({ n: 40, dims: 3, centers: 3, seed: 4 });
      for (const k of [1, 40]) {
        const lloyd = await kmeans(data, { k, dims: 3, backend, algorithm: 'lloyd' });
        for (const algorithm of ACCELERATED)
          sameRun(await kmeans(data, { k, dims: 3, backend, algorithm }), lloyd, `${algorithm}, k ${k}`);
      }
    });

    it('onProgress reports skipped distance computations: none on the first iteration, most later', async () => {
      const n = 6_000;
      const k = 30;
      const { data } = blobs({ n, dims: 8, centers: 30, seed: 21, spread: 20 });
      for (const algorithm of ['lloyd', ...ACCELERATED]) {
        const seen = [];
        const r = await kmeans(data, {
          k,
          dims: 8,
          seed: 3,
          backend,
          algorithm,
          tol: 0,
          onProgress: (p) => seen.push(p),
        });
        assert.equal(seen.length, r.iterations);
        for (const p of seen) {
          assert.equal(p.algorithm, algorithm);
          assert.ok(Number.isInteger(p.skipped) && p.skipped >= 0 && p.skipped <= n * k, `${algorithm}: ${p.skipped}`);
        }
        assert.equal(seen[0].skipped, 0, `${algorithm}: the first iteration computes every distance`);
        const later = seen.slice(1).reduce((s, p) => s + p.skipped, 0) / ((seen.length - 1) * n * k);
        if (algorithm === 'lloyd') assert.equal(later, 0);
        // Well separated blobs: after the first steps nearly every row keeps its centroid.
        else assert.ok(later > 0.5, `${algorithm} skipped only ${later.toFixed(3)} of the later distances`);
      }
    });
  });
}

describe("kmeans algorithms: 'auto' and validation", function () {
  it('chooseAlgorithm follows its documented rule and falls back when bounds do not fit', () => {
    const big = 2 ** 40;
    assert.equal(chooseAlgorithm(1e6, 4, 16, big), 'lloyd');
    assert.equal(chooseAlgorithm(2e5, 16, 4, big), 'lloyd');
    assert.equal(chooseAlgorithm(1e6, 16, 16, big), 'hamerly');
    assert.equal(chooseAlgorithm(1e6, 64, 16, big), 'hamerly');
    assert.equal(chooseAlgorithm(2e5, 32, 128, big), 'hamerly');
    assert.equal(chooseAlgorithm(2e5, 256, 16, big), 'hamerly');
    assert.equal(chooseAlgorithm(2e5, 256, 128, big), 'elkan');
    // 1e7 rows × (1 + 256) bounds of 4 bytes is 10 GB: elkan does not fit, hamerly's 2 per row do.
    assert.equal(chooseAlgorithm(1e7, 256, 128, 2e9), 'hamerly');
    assert.equal(chooseAlgorithm(1e7, 640, 16, 1e8), 'hamerly');
    assert.equal(chooseAlgorithm(1e7, 640, 16, 1e7), 'lloyd');
  });

  it("'auto' is the default and reports what it chose", async () => {
    const { data } = blobs({ n: 500, dims: 4, centers: 3, seed: 2 });
    assert.equal((await kmeans(data, { k: 3, dims: 4, backend: 'js' })).algorithm, 'lloyd');
    assert.equal((await kmeans(data, { k: 12, dims: 4, backend: 'js' })).algorithm, 'lloyd');
    const wide = blobs({ n: 500, dims: 8, centers: 3, seed: 2 }).data;
    assert.equal((await kmeans(wide, { k: 12, dims: 8, backend: 'js' })).algorithm, 'hamerly');
    assert.equal((await kmeans(wide, { k: 40, dims: 8, backend: 'wasm', algorithm: 'auto' })).algorithm, 'hamerly');
  });

  it('a bad algorithm is an InvalidArgumentError naming options.algorithm', async () => {
    await assert.rejects(kmeans([[1], [2]], { k: 1, algorithm: 'fast' }), (e) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, /options\.algorithm: expected .*'lloyd'.*got "fast"/);
      return true;
    });
  });
});
