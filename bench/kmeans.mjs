// bench/kmeans: Lloyd iterations, one run, same float32 data and same initial centroids for every contender:
// poolkit wasm (2 threads, 1 thread), poolkit js, ml-kmeans, and scikit-learn (when /usr/bin/python3 imports it).
// Cases: (a) n = 1,000,000, d = 16, k = 64; (b) n = 200,000, d = 128, k = 256 (--quick: n / 20). Gaussian blobs,
// fixed seed, 20 iterations (tol 0); slow contenders (js, ml-kmeans) run fewer and are reported per iteration.
// Each timing covers the whole call (validation, copies, final assignment) divided by the iterations it ran; the
// poolkit rows also record the steady per-iteration time between progress callbacks.
// Then, on the same two cases (issue 13): fits to convergence (tol 1e-4, max_iter 300) from the same initial
// centroids, poolkit wasm (2 threads) with each exact algorithm and 'auto' against scikit-learn's lloyd and elkan;
// whole fits with k-means++ (one init each, its own seed); and mini-batch k-means on n = 10,000,000, d = 16, k = 64
// (--quick: 200,000) streamed from a .npy generated once into a cache directory, against scikit-learn's
// MiniBatchKMeans, each in a child process so its peak RSS is its own. scikit-learn runs with OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE unset in these parts (the AVX-512 kernel a user of this machine gets).
// Flags: --quick, --json (harness); --case a|b (one case only); --fast (skip the slow js and ml-kmeans contenders);
// --part iter,converge,plusplus,minibatch (the parts to run, default all).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { compare, table, save, quick, log, unavailable } from './lib/harness.mjs';
import { collect, npy, PYTHON, convergenceCase, plusPlusCase, miniBatchCase } from './lib/kmeans-fits.mjs';
import { seededRandom, gaussianBlobs } from '../dist/data/index.js';

const poolkit = await import('../dist/index.js');
const { kmeans } = poolkit.kmeans ? poolkit : { ...(await import('../dist/kmeans/index.js')) };

const ITER = 20;
const reps = quick ? 3 : 5; // --reps N overrides (compare)
const scale = quick ? 20 : 1;
const argv = process.argv.slice(2);
const onlyCase = argv.includes('--case') ? argv[argv.indexOf('--case') + 1] : null;
const fast = argv.includes('--fast');
const parts = new Set(
  (argv.includes('--part') ? argv[argv.indexOf('--part') + 1] : 'iter,converge,plusplus,minibatch').split(','),
);
const CASES = [
  { id: 'a', n: 1_000_000 / scale, dims: 16, k: 64, slowIters: quick ? 2 : 3 },
  { id: 'b', n: 200_000 / scale, dims: 128, k: 256, slowIters: quick ? 1 : 2 },
];

/**
 * Overlapping Gaussian blobs (k centres, spread 2, unit noise), so labels keep moving for all 20 iterations, then k
 * distinct random rows (drawn from the same stream) as the initial centroids every contender starts from.
 */
function makeCase({ n, dims, k }, seed = 20240611) {
  const random = seededRandom(seed);
  const { data } = gaussianBlobs({ n, dims, centers: k, spread: 2, random });
  const init = new Float32Array(k * dims);
  const used = new Set();
  for (let c = 0; c < k; c++) {
    let r;
    do r = Math.floor(random() * n);
    while (used.has(r));
    used.add(r);
    init.set(data.subarray(r * dims, r * dims + dims), c * dims);
  }
  return { data, init };
}

const SKLEARN = `
import json, sys, time, warnings
import numpy as np
from sklearn.cluster import KMeans
warnings.filterwarnings('ignore')
X = np.load(sys.argv[1]); C = np.load(sys.argv[2]); it = int(sys.argv[3])
km = KMeans(n_clusters=C.shape[0], init=C, n_init=1, max_iter=it, tol=0, algorithm='lloyd')
t = time.perf_counter(); km.fit(X); s = time.perf_counter() - t
print(json.dumps({'seconds': s, 'iterations': int(km.n_iter_), 'inertia': float(km.inertia_)}))
`;

function sklearnAvailable() {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ML_WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
import(w.url).then(({ kmeans }) => {
  const rows = Array.from({ length: w.n }, (_, i) => Array.from(w.data.subarray(i * w.dims, (i + 1) * w.dims)));
  const init = Array.from({ length: w.k }, (_, i) => Array.from(w.init.subarray(i * w.dims, (i + 1) * w.dims)));
  const t0 = performance.now();
  const r = kmeans(rows, w.k, { initialization: init, maxIterations: w.iters, tolerance: 0 });
  parentPort.postMessage({ seconds: (performance.now() - t0) / 1000, iterations: r.iterations });
});
`;

/** One ml-kmeans run in a fresh worker (number[][] rows built there, untimed). */
function runMlKmeans(data, init, c) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ML_WORKER, {
      eval: true,
      workerData: {
        url: import.meta.resolve('ml-kmeans'),
        data,
        init,
        n: c.n,
        dims: c.dims,
        k: c.k,
        iters: c.slowIters,
      },
    });
    worker.once('message', (r) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function poolkitContender(name, data, init, c, options, iters) {
  return {
    name,
    async run() {
      collect();
      const stamps = [];
      const t0 = performance.now();
      const r = await kmeans(data, {
        k: c.k,
        dims: c.dims,
        init,
        maxIter: iters,
        tol: 0,
        ...options,
        onProgress: () => stamps.push(performance.now()),
      });
      const seconds = (performance.now() - t0) / 1000;
      const steps = stamps
        .slice(1)
        .map((t, i) => t - stamps[i])
        .sort((a, b) => a - b);
      return {
        seconds,
        iterations: r.iterations,
        inertia: r.inertia,
        threads: r.threads,
        steadyMsPerIter: steps.length ? steps[steps.length >> 1] : NaN,
      };
    },
  };
}

const results = [];
const convergence = [];
const plusPlus = [];
let miniBatch = null;
const dir = mkdtempSync(join(tmpdir(), 'poolkit-bench-kmeans-'));
try {
  const haveSklearn = sklearnAvailable();
  if (!haveSklearn) log(`scikit-learn not importable by ${PYTHON}: skipped`);
  for (const c of CASES.filter((x) => (!onlyCase || x.id === onlyCase) && [...parts].some((p) => p !== 'minibatch'))) {
    log(`case (${c.id}): n=${c.n} dims=${c.dims} k=${c.k}: generating data`);
    const { data, init } = makeCase(c);
    const shared = new Float32Array(new SharedArrayBuffer(data.byteLength));
    shared.set(data);
    const xPath = join(dir, `x-${c.id}.npy`);
    const cPath = join(dir, `c-${c.id}.npy`);
    writeFileSync(xPath, npy(data, c.n, c.dims));
    writeFileSync(cPath, npy(init, c.k, c.dims));
    if (parts.has('iter')) await iterationCase();
    if (parts.has('converge'))
      convergence.push({
        case: c.id,
        n: c.n,
        dims: c.dims,
        k: c.k,
        ...(await convergenceCase(c, data, init, xPath, cPath, haveSklearn)),
      });
    if (parts.has('plusplus'))
      plusPlus.push({ case: c.id, n: c.n, dims: c.dims, k: c.k, ...(await plusPlusCase(c, data, xPath, haveSklearn)) });
    async function iterationCase() {
      const contenders = [
        poolkitContender('poolkit wasm (2 threads)', data, init, c, { backend: 'wasm', threads: 2 }, ITER),
        poolkitContender('poolkit wasm (1 thread)', data, init, c, { backend: 'wasm', threads: 1 }, ITER),
      ];
      if (fast)
        contenders.push(
          unavailable('poolkit js', 'left out by --fast'),
          unavailable('ml-kmeans', 'left out by --fast'),
        );
      else
        contenders.push(poolkitContender('poolkit js', data, init, c, { backend: 'js' }, c.slowIters), {
          // In a worker of its own: its million small arrays (and their garbage collection) stay out of this isolate,
          // where background GC threads would otherwise compete with the wasm threads for the two cores.
          name: 'ml-kmeans',
          prepare: () => void import.meta.resolve('ml-kmeans'),
          run: () => {
            collect();
            return runMlKmeans(shared, init, c);
          },
        });
      if (!haveSklearn)
        contenders.push(unavailable('scikit-learn (lloyd, 2 threads)', `scikit-learn not importable by ${PYTHON}`));
      else {
        contenders.push({
          name: 'scikit-learn (lloyd, 2 threads)',
          run() {
            collect();
            return JSON.parse(execFileSync(PYTHON, ['-c', SKLEARN, xPath, cPath, String(ITER)], { encoding: 'utf8' }));
          },
        });
      }
      const r = await compare(contenders, { reps, warmup: 1 });
      const msPerIter = (x, seconds) => (seconds * 1000) / (x.extra.iterations || 1);
      const baseline = haveSklearn ? 'scikit-learn (lloyd, 2 threads)' : 'ml-kmeans';
      const t = table(
        `k-means (${c.id}): n=${c.n.toLocaleString('en-US')} d=${c.dims} k=${c.k}, ms per iteration (lower is better)`,
        r,
        { baseline, metric: msPerIter, label: 'ms/iter', higherIsBetter: false },
      );
      const get = (name) => r.find((x) => x.name === name);
      const per = (name) => (get(name) ? msPerIter(get(name), get(name).median) : NaN);
      const flops = 2 * c.n * c.k * c.dims; // one multiply and one add per (row, centroid, feature)
      const w2 = per('poolkit wasm (2 threads)');
      const summary = {
        wasm2MsPerIter: w2,
        wasm2Gflops: flops / (w2 / 1000) / 1e9,
        wasm2SteadyMsPerIter: get('poolkit wasm (2 threads)')?.extra.steadyMsPerIter,
        vsSklearn: per('scikit-learn (lloyd, 2 threads)') / w2,
        vsMlKmeans: per('ml-kmeans') / w2,
        threadScaling: per('poolkit wasm (1 thread)') / w2,
      };
      log(
        `  wasm 2 threads: ${w2.toFixed(1)} ms/iter (${summary.wasm2Gflops.toFixed(1)} GFLOP/s; steady ${summary.wasm2SteadyMsPerIter?.toFixed(1)} ms), ` +
          [
            Number.isFinite(summary.vsSklearn) && `${summary.vsSklearn.toFixed(2)}× scikit-learn`,
            Number.isFinite(summary.vsMlKmeans) && `${summary.vsMlKmeans.toFixed(1)}× ml-kmeans`,
            `${summary.threadScaling.toFixed(2)}× 1 thread`,
          ]
            .filter(Boolean)
            .join(', '),
      );
      results.push({ case: c.id, n: c.n, dims: c.dims, k: c.k, iterations: ITER, table: t, results: r, summary });
    }
  }
  if (parts.has('minibatch')) miniBatch = await miniBatchCase(haveSklearn);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
save(fast || onlyCase || parts.size < 4 ? `kmeans-partial` : 'kmeans', {
  cases: results,
  convergence,
  plusPlus,
  miniBatch,
});
process.exit(0);
