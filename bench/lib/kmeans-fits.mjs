// bench/kmeans's issue-13 parts (see bench/kmeans.mjs): fits to convergence from the same init, whole k-means++ fits,
// and mini-batch k-means streamed from a .npy, each against scikit-learn run in a child process with the sandbox's
// OpenBLAS pins removed (the AVX-512 kernel a user of this machine gets).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { compare, table, quick, log, unavailable } from './harness.mjs';
import { seededRandom, gaussian, gaussianBlobs } from '../../dist/data/index.js';

const poolkit = await import('../../dist/index.js');
const { kmeans } = poolkit;

export const PYTHON = '/usr/bin/python3';
/** scikit-learn as a user of this machine runs it: the sandbox's OpenBLAS pins removed (see bench/README.md). */
const PEER = ['env', ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', PYTHON]];

// A full collection before each timed run: one contender's garbage (the js reference allocates a copy of the data)
// must not be collected by V8's background threads while the next one runs on both cores.
v8.setFlagsFromString('--expose-gc');
export const collect = vm.runInNewContext('gc');

/** A float32 matrix as .npy bytes (header and data). */
export function npy(values, n, dims) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${dims}), }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const out = Buffer.alloc(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}

const TOL = 1e-4;
const MAX_ITER = 300;
const ALGORITHMS = ['lloyd', 'hamerly', 'elkan', 'yinyang', 'auto'];
const MINIBATCH = { n: quick ? 200_000 : 10_000_000, dims: 16, k: 64, batchSize: 1024, seed: 20240611 };

const PEER_SCRIPT = `
import json, resource, sys, time, warnings
import numpy as np
warnings.filterwarnings('ignore')
p = json.loads(sys.argv[1])
t0 = time.perf_counter()
X = np.load(p['x'])
loaded = time.perf_counter() - t0
if p['mode'] == 'minibatch':
    from sklearn.cluster import MiniBatchKMeans
    km = MiniBatchKMeans(n_clusters=p['k'], batch_size=p['batchSize'], n_init=1, random_state=p['seed'])
else:
    from sklearn.cluster import KMeans
    init = np.load(p['c']) if p.get('c') else 'k-means++'
    km = KMeans(n_clusters=p['k'], init=init, n_init=1, max_iter=p['maxIter'], tol=p['tol'], algorithm=p['algorithm'], random_state=p['seed'])
t = time.perf_counter(); km.fit(X); fit = time.perf_counter() - t
print(json.dumps({'seconds': fit if p['mode'] != 'minibatch' else loaded + fit, 'fitSeconds': fit, 'loadSeconds': loaded,
  'iterations': int(km.n_iter_), 'steps': int(getattr(km, 'n_steps_', 0)), 'inertia': float(km.inertia_),
  'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

/** One scikit-learn fit in a child process (AVX-512 OpenBLAS), timed by itself. */
function sklearnContender(name, params) {
  return {
    name,
    run() {
      collect();
      return JSON.parse(
        execFileSync(PEER[0], [...PEER[1], '-c', PEER_SCRIPT, JSON.stringify(params)], { encoding: 'utf8' }),
      );
    },
  };
}

/**
 * A poolkit fit to convergence; records iterations, inertia and the fraction of Lloyd's n × k distances each
 * iteration skipped (from onProgress).
 */
function convergenceContender(name, data, c, options) {
  return {
    name,
    async run() {
      collect();
      const skipped = [];
      let algorithm;
      const t0 = performance.now();
      const r = await kmeans(data, {
        k: c.k,
        dims: c.dims,
        maxIter: MAX_ITER,
        tol: TOL,
        backend: 'wasm',
        threads: 2,
        ...options,
        onProgress: (p) => {
          skipped.push(+(p.skipped / (c.n * c.k)).toFixed(4));
          algorithm = p.algorithm;
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      return { seconds, iterations: r.iterations, inertia: r.inertia, algorithm, skippedPerIteration: skipped };
    },
  };
}

/** Runs one group and tabulates total seconds; the summary rows add iterations, ms per iteration and inertia. */
async function fitGroup(title, contenders, baseline, reference) {
  const r = await compare(contenders, { reps: quick ? 1 : 5, warmup: quick ? 0 : 1 }); // --quick: a smoke run
  const t = table(title, r, { baseline, metric: (_, s) => s, label: 's', higherIsBetter: false });
  const ref = r.find((x) => x.name === reference)?.extra.inertia;
  const rows = r.map((x) => {
    const skipped = x.extra.skippedPerIteration;
    return {
      name: x.name,
      seconds: x.median,
      iterations: x.extra.iterations,
      msPerIteration: (x.median * 1000) / (x.extra.iterations || 1),
      inertia: x.extra.inertia,
      inertiaRelativeDifference: ref ? (x.extra.inertia - ref) / ref : null,
      algorithm: x.extra.algorithm,
      skippedPerIteration: skipped,
      meanSkipped: skipped?.length ? skipped.reduce((a, b) => a + b, 0) / skipped.length : null,
    };
  });
  for (const x of rows) {
    log(
      `  ${x.name}: ${x.seconds.toFixed(3)} s, ${x.iterations} iterations, ${x.msPerIteration.toFixed(2)} ms/iter` +
        (x.inertiaRelativeDifference === null
          ? ''
          : `, inertia ${x.inertiaRelativeDifference.toExponential(2)} rel. to ${reference}`) +
        (x.meanSkipped === null ? '' : `, skipped ${(100 * x.meanSkipped).toFixed(1)}% of distances on average`),
    );
  }
  return { table: t, results: r, rows };
}

/** Fits to convergence from the case's initial centroids: every exact algorithm against scikit-learn. */
export function convergenceCase(c, data, init, xPath, cPath, haveSklearn) {
  const contenders = ALGORITHMS.map((a) =>
    convergenceContender(`poolkit wasm 2t ${a}`, data, c, { init, algorithm: a }),
  );
  for (const algorithm of ['lloyd', 'elkan']) {
    const name = `scikit-learn ${algorithm}`;
    contenders.push(
      haveSklearn
        ? sklearnContender(name, {
            mode: 'fit',
            x: xPath,
            c: cPath,
            k: c.k,
            maxIter: MAX_ITER,
            tol: TOL,
            algorithm,
            seed: 0,
          })
        : unavailable(name, `scikit-learn not importable by ${PYTHON}`),
    );
  }
  const title = `k-means to convergence (${c.id}): n=${c.n.toLocaleString('en-US')} d=${c.dims} k=${c.k}, tol ${TOL}, same init, seconds (lower is better)`;
  return fitGroup(
    title,
    contenders,
    haveSklearn ? 'scikit-learn lloyd' : 'poolkit wasm 2t lloyd',
    haveSklearn ? 'scikit-learn lloyd' : 'poolkit wasm 2t lloyd',
  );
}

/** Whole fits with k-means++ (one init each; the inits differ, so inertia is compared, not labels). */
export function plusPlusCase(c, data, xPath, haveSklearn) {
  const contenders = [
    convergenceContender('poolkit wasm 2t k-means++ auto', data, c, { init: 'k-means++', nInit: 1, seed: 1 }),
  ];
  contenders.push(
    haveSklearn
      ? sklearnContender('scikit-learn k-means++ lloyd', {
          mode: 'fit',
          x: xPath,
          k: c.k,
          maxIter: MAX_ITER,
          tol: TOL,
          algorithm: 'lloyd',
          seed: 0,
        })
      : unavailable('scikit-learn k-means++ lloyd', `scikit-learn not importable by ${PYTHON}`),
  );
  const title = `k-means++ whole fit (${c.id}): n=${c.n.toLocaleString('en-US')} d=${c.dims} k=${c.k}, n_init 1, seconds (lower is better)`;
  return fitGroup(title, contenders, 'scikit-learn k-means++ lloyd', 'scikit-learn k-means++ lloyd');
}

/** The mini-batch case's rows, written once (in blocks, so the bench never holds them) and kept for later runs. */
function miniBatchFile({ n, dims, k, seed }) {
  const cache = join(tmpdir(), 'poolkit-bench-cache');
  const path = join(cache, `blobs-n${n}-d${dims}-k${k}-s${seed}.npy`);
  if (existsSync(path)) return path;
  mkdirSync(cache, { recursive: true });
  log(`mini-batch: writing ${path} (${((n * dims * 4) / 2 ** 20).toFixed(0)} MiB, once)`);
  const random = seededRandom(seed);
  const { centers } = gaussianBlobs({ n: 0, dims, centers: k, spread: 2, random });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const head = npy(new Float32Array(0), n, dims);
    writeSync(fd, head);
    const rows = 65_536;
    const block = new Float32Array(rows * dims);
    for (let r0 = 0; r0 < n; r0 += rows) {
      const m = Math.min(rows, n - r0);
      for (let i = 0; i < m; i++) {
        const c = Math.floor(random() * k);
        for (let j = 0; j < dims; j++) block[i * dims + j] = centers[c * dims + j] + gaussian(random);
      }
      writeSync(fd, new Uint8Array(block.buffer, 0, m * dims * 4));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

const POOLKIT_MINIBATCH = `
const p = JSON.parse(process.argv[1]);
const { miniBatchKMeans } = await import(p.url);
const t0 = performance.now();
const r = await miniBatchKMeans({ path: p.x }, { k: p.k, batchSize: p.batchSize, seed: p.seed });
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, steps: r.steps, inertia: r.inertia, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;

/** Mini-batch k-means streamed from the .npy, each contender in a child process (peak RSS is the child's). */
export async function miniBatchCase(haveSklearn) {
  const m = MINIBATCH;
  const x = miniBatchFile(m);
  const params = { x, k: m.k, batchSize: m.batchSize, seed: 0 };
  const contenders = [
    {
      name: 'poolkit miniBatchKMeans (file)',
      run: () =>
        JSON.parse(
          execFileSync(
            process.execPath,
            [
              '--input-type=module',
              '-e',
              POOLKIT_MINIBATCH,
              JSON.stringify({ ...params, url: new URL('../../dist/index.js', import.meta.url).href }),
            ],
            { encoding: 'utf8' },
          ),
        ),
    },
  ];
  contenders.push(
    haveSklearn
      ? sklearnContender('scikit-learn MiniBatchKMeans', { ...params, mode: 'minibatch' })
      : unavailable('scikit-learn MiniBatchKMeans', `scikit-learn not importable by ${PYTHON}`),
  );
  const title = `mini-batch k-means: n=${m.n.toLocaleString('en-US')} d=${m.dims} k=${m.k}, batch ${m.batchSize}, from .npy (load + fit), seconds (lower is better)`;
  const r = await compare(contenders, { reps: quick ? 1 : 3, warmup: 0 });
  const t = table(title, r, {
    baseline: 'scikit-learn MiniBatchKMeans',
    metric: (_, s) => s,
    label: 's',
    higherIsBetter: false,
  });
  const get = (name) => r.find((y) => y.name === name)?.extra;
  const pk = get('poolkit miniBatchKMeans (file)');
  const sk = get('scikit-learn MiniBatchKMeans');
  const summary = {
    poolkitPeakRssMiB: pk?.maxRssMiB,
    sklearnPeakRssMiB: sk?.maxRssMiB,
    inertiaRatio: pk && sk ? pk.inertia / sk.inertia : null,
    poolkitSteps: pk?.steps,
    sklearnSteps: sk?.steps,
  };
  log(
    `  peak RSS: poolkit ${summary.poolkitPeakRssMiB?.toFixed(0)} MiB, scikit-learn ${summary.sklearnPeakRssMiB?.toFixed(0)} MiB; inertia ratio ${summary.inertiaRatio?.toFixed(4)}`,
  );
  return { ...m, table: t, results: r, summary };
}
