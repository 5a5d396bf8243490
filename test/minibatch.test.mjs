// Mini-batch k-means: quality against full k-means, determinism, the streaming forms (async iterables of blocks and
// partialFit) against each other, input checking, and inertia against scikit-learn's MiniBatchKMeans.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobs, loadKMeans } from './fixtures/kmeans-data.mjs';

const { kmeans, miniBatchKMeans, MiniBatchKMeans, InvalidArgumentError } = await loadKMeans();
const PYTHON = process.env.POOLKIT_SKLEARN_PYTHON ?? '/usr/bin/python3';

const dims = 6;
const k = 8;
const { data } = blobs({ n: 20_000, dims, centers: k, seed: 31, spread: 8 });

async function* blocksOf(values, rows) {
  for (let r = 0; r < values.length / dims; r += rows)
    yield values.subarray(r * dims, Math.min(values.length, (r + rows) * dims));
}

describe('miniBatchKMeans', function () {
  this.timeout(120_000);

  it('in memory: inertia within 2% of full k-means, labels of every row, same seed → same result', async () => {
    const full = await kmeans(data, { k, dims, seed: 1, nInit: 3, backend: 'js' });
    const a = await miniBatchKMeans(data, { k, dims, batchSize: 512, seed: 5 });
    const b = await miniBatchKMeans(data, { k, dims, batchSize: 512, seed: 5 });
    assert.equal(a.labels.length, 20_000);
    assert.ok(a.steps >= 1 && a.steps <= Math.floor((100 * 20_000) / 512));
    assert.ok(a.inertia < full.inertia * 1.02, `${a.inertia} vs full ${full.inertia}`);
    assert.deepEqual(a.centroids, b.centroids);
    assert.deepEqual(a.labels, b.labels);
    const c = await miniBatchKMeans(data, { k, dims, batchSize: 512, seed: 6 });
    assert.notDeepEqual(c.centroids, a.centroids, 'another seed samples other batches');
  });

  it('maxNoImprovement stops early; maxNoImprovement 0 runs every step', async () => {
    const early = await miniBatchKMeans(data, { k, dims, batchSize: 256, maxIter: 5, maxNoImprovement: 3, seed: 2 });
    const all = await miniBatchKMeans(data, { k, dims, batchSize: 256, maxIter: 5, maxNoImprovement: 0, seed: 2 });
    assert.equal(all.steps, Math.floor((5 * 20_000) / 256));
    assert.ok(!all.converged);
    assert.ok(early.converged && early.steps < all.steps, `${early.steps} < ${all.steps}`);
  });

  it('a stream of blocks and partialFit on the same blocks give the same centres', async () => {
    const streamed = await miniBatchKMeans(blocksOf(data, 3000), { k, dims, batchSize: 1000, seed: 4 });
    assert.equal(streamed.labels, null);
    const model = new MiniBatchKMeans({ k, dims, batchSize: 1000, seed: 4 });
    for await (const block of blocksOf(data, 3000)) await model.partialFit(block);
    assert.deepEqual(model.centroids, streamed.centroids);
    assert.equal(model.steps, streamed.steps);
    assert.equal(model.steps, 20); // six blocks of 3000 rows and one of 2000, in batches of 1000
    const full = await kmeans(data, { k, dims, seed: 1, nInit: 3, backend: 'js' });
    const labels = model.predict(data);
    let inertia = 0;
    for (let r = 0; r < 20_000; r++) {
      for (let j = 0; j < dims; j++) inertia += (data[r * dims + j] - model.centroids[labels[r] * dims + j]) ** 2;
    }
    assert.ok(inertia < full.inertia * 1.05, `one pass: ${inertia} vs full ${full.inertia}`);
  });

  it('bad options and sources are InvalidArgumentErrors naming them', async () => {
    for (const [run, path] of [
      [() => miniBatchKMeans(data, { k, dims, batchSize: 0 }), 'options.batchSize'],
      [() => miniBatchKMeans(data, { k, dims, reassignmentRatio: -1 }), 'options.reassignmentRatio'],
      [() => miniBatchKMeans(data, { dims }), 'options.k'],
      [() => miniBatchKMeans(42, { k, dims }), 'source'],
      [() => new MiniBatchKMeans({ k: 4, dims: 2 }).partialFit(new Float32Array(4)), 'block'],
    ]) {
      await assert.rejects(
        async () => run(),
        (e) => e instanceof InvalidArgumentError && e.message.startsWith(`${path}:`),
        path,
      );
    }
  });

  it("inertia within 2% of scikit-learn's MiniBatchKMeans on the same data", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poolkit-mb-'));
    try {
      writeFileSync(join(dir, 'x.f32'), data);
      const script = `import numpy as np, sys
from sklearn.cluster import MiniBatchKMeans
X = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, ${dims})
m = MiniBatchKMeans(n_clusters=${k}, batch_size=512, n_init=1, random_state=0).fit(X)
print(m.inertia_)`;
      const theirs = Number(execFileSync(PYTHON, ['-c', script, join(dir, 'x.f32')], { encoding: 'utf8' }).trim());
      const ours = await miniBatchKMeans(data, { k, dims, batchSize: 512, seed: 0 });
      assert.ok(Number.isFinite(theirs) && theirs > 0);
      assert.ok(ours.inertia < theirs * 1.02, `poolkit ${ours.inertia} vs scikit-learn ${theirs}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
