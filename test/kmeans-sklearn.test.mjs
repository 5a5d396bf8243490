// k-means quality against scikit-learn on its bundled real datasets (iris, wine, digits). Needs Debian's
// python3-sklearn for /usr/bin/python3 (CI installs it); this suite fails, rather than skips, when it is missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKMeans } from './fixtures/kmeans-data.mjs';

const { kmeans } = await loadKMeans();
const PYTHON = process.env.POOLKIT_SKLEARN_PYTHON ?? '/usr/bin/python3';

const SCRIPT = `
import json, sys, warnings
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, load_wine, load_digits
warnings.filterwarnings('ignore')
out = sys.argv[1]
cases = [('iris', load_iris, 3), ('iris', load_iris, 8), ('wine', load_wine, 3), ('wine', load_wine, 6), ('digits', load_digits, 10), ('digits', load_digits, 25)]
res = []
for name, load, k in cases:
    X = load().data.astype(np.float64)
    np.save(f'{out}/{name}.npy', X)
    best = [KMeans(n_clusters=k, n_init=10, random_state=s, algorithm='lloyd').fit(X).inertia_ for s in range(3)]
    init = X[np.random.RandomState(k).choice(len(X), k, replace=False)]
    one = KMeans(n_clusters=k, init=init, n_init=1, algorithm='lloyd', max_iter=300, tol=1e-4).fit(X)
    res.append(dict(name=name, k=k, n=X.shape[0], dims=X.shape[1], inertia=float(np.median(best)), init=init.ravel().tolist(), oneInertia=float(one.inertia_), oneIter=int(one.n_iter_), oneLabels=one.labels_.tolist()))
print(json.dumps(res))
`;

describe('kmeans against scikit-learn (real datasets)', function () {
  this.timeout(120_000);
  let dir;
  let cases;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-sklearn-'));
    cases = JSON.parse(execFileSync(PYTHON, ['-c', SCRIPT, dir], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const load = (name) => {
    const bytes = readFileSync(join(dir, `${name}.npy`));
    const headerLen = bytes.readUInt16LE(8);
    return new Float64Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLen, bytes.byteOffset + bytes.length));
  };

  // Both sides are random restarts: compare the median of 3 seeds with the median of 3 random_states.
  it('nInit 10 reaches an inertia within 1% of KMeans(n_init=10) (median of 3 seeds each)', async () => {
    for (const c of cases) {
      const data = load(c.name);
      for (const backend of ['wasm', 'js']) {
        const inertias = [];
        for (let seed = 0; seed < 3; seed++)
          inertias.push((await kmeans(data, { k: c.k, dims: c.dims, nInit: 10, seed, backend })).inertia);
        const median = inertias.sort((a, b) => a - b)[1];
        assert.ok(median <= c.inertia * 1.01, `${c.name} k=${c.k} ${backend}: ${median} vs scikit-learn ${c.inertia}`);
      }
    }
  });

  it("from scikit-learn's initial centroids: same labels, inertia and iterations", async () => {
    for (const c of cases) {
      const data = load(c.name);
      for (const backend of ['wasm', 'js']) {
        const r = await kmeans(data, { k: c.k, dims: c.dims, init: Float64Array.from(c.init), backend });
        // digits has integer pixels: exact distance ties happen, and float32 rounding can break one the other way
        // and lead to a neighbouring local minimum (seen for js at k = 25). Elsewhere the runs agree to rounding.
        if (c.name === 'digits' && c.k > 10) {
          assert.ok(
            Math.abs(r.inertia - c.oneInertia) / c.oneInertia < 1e-3,
            `${c.name} k=${c.k} ${backend}: ${r.inertia} vs ${c.oneInertia}`,
          );
          continue;
        }
        assert.ok(
          Math.abs(r.inertia - c.oneInertia) / c.oneInertia < 1e-6,
          `${c.name} k=${c.k} ${backend}: ${r.inertia} vs ${c.oneInertia}`,
        );
        const same = r.labels.filter((l, i) => l === c.oneLabels[i]).length;
        assert.ok(
          same >= r.labels.length - 1,
          `${c.name} k=${c.k} ${backend}: ${r.labels.length - same} labels differ`,
        );
        assert.ok(
          Math.abs(r.iterations - c.oneIter) <= 1,
          `${c.name} k=${c.k} ${backend}: ${r.iterations} iterations vs ${c.oneIter}`,
        );
      }
    }
  });
});
