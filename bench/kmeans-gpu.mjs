// bench/kmeans-gpu: Lloyd iterations on WebGPU against the wasm backend (2 threads) on the same data and the same
// initial centroids, in one run, interleaved (bench/lib/harness.mjs). Reports ms per iteration and GFLOP/s
// (3 · n · k · dims flops per assignment: subtract, multiply, add).
//
//   node bench/kmeans-gpu.mjs [--quick] [--json] [--large]
//
// Default case: n = 100,000, d = 16, k = 64 (--quick: n = 20,000, d = 16, k = 32), 10 iterations (--quick: 5).
// --large adds issue 3's cases (n = 1,000,000, d = 16, k = 64; n = 200,000, d = 128, k = 256) and issue 4's
// n = 10,000,000, d = 32, k = 1,024: for a hardware GPU only (on SwiftShader one iteration of the last takes hours).
// In Node without a GPU, set VK_ICD_FILENAMES (SwiftShader, see bench/README.md); it is set here when unset and
// Debian's chromium provides it.
import { existsSync } from 'node:fs';
import { compare, table, save, quick, args, log } from './lib/harness.mjs';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER))
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;

await import('../dist/index.js'); // installs the Node platform (the wasm backend's workers)
const { createWebGpuBackend } = await import('../dist/kmeans/webgpu/backend.js');
const { createWasmBackend } = await import('../dist/kmeans/wasm/backend.js');
const { peekGpu } = await import('../dist/gpu/device.js');
const { gaussianBlobs, firstRowOfEachBlob } = await import('../dist/data/index.js');

const SEED = 20240611;
const iterations = quick ? 5 : 10;
const cases = quick ? [{ n: 20_000, dims: 16, k: 32 }] : [{ n: 100_000, dims: 16, k: 64 }];
if (args.has('--large'))
  cases.push(
    { n: 1_000_000, dims: 16, k: 64 },
    { n: 200_000, dims: 128, k: 256 },
    { n: 10_000_000, dims: 32, k: 1024 },
  );

const results = [];
for (const { n, dims, k } of cases) {
  log(`kmeans-gpu: n = ${n}, d = ${dims}, k = ${k}, ${iterations} iterations`);
  // Centres spread 10 (blobs apart), unit noise; the first row of each blob is the same start for every contender.
  const { data, truth } = gaussianBlobs({ n, dims, centers: k, spread: 10, seed: SEED });
  const problem = { data, n, dims, k, weights: null };
  const init = firstRowOfEachBlob(data, truth, dims, k);
  // tolAbs < 0: no early stop on the shift (a strict-convergence stop is counted by `iterations` in the result).
  const options = { maxIter: iterations, tolAbs: -1 };
  const flops = 3 * n * k * dims;
  const contender = (name, make) => {
    let backend;
    return {
      name,
      work: flops,
      prepare: async () => {
        backend = await make();
        await backend.lloyd(problem, init, { maxIter: 1, tolAbs: -1 }); // upload + pipeline compilation, untimed
      },
      run: async () => {
        const t0 = performance.now();
        const r = await backend.lloyd(problem, init, options);
        return {
          seconds: (performance.now() - t0) / 1000 / r.iterations,
          iterations: r.iterations,
          inertia: r.inertia,
        };
      },
      dispose: () => backend?.dispose(),
    };
  };
  const res = await compare(
    [
      contender('webgpu', () => createWebGpuBackend()),
      contender('wasm (2 threads)', () => createWasmBackend({ threads: 2 })),
    ],
    { reps: quick ? 3 : 5, warmup: 1 },
  );
  const title = `k-means Lloyd iteration, n = ${n.toLocaleString('en-US')}, d = ${dims}, k = ${k} (WebGPU adapter: ${peekGpu()?.description ?? 'none'})`;
  const ms = table(title, res, {
    baseline: 'wasm (2 threads)',
    metric: (_, s) => s * 1000,
    label: 'ms/iter',
    higherIsBetter: false,
  });
  const gf = table(`${title}: throughput`, res, {
    baseline: 'wasm (2 threads)',
    metric: (r, s) => r.work / s / 1e9,
    label: 'GFLOP/s',
  });
  results.push({
    n,
    dims,
    k,
    iterations,
    adapter: peekGpu()?.description ?? null,
    software: peekGpu()?.software ?? null,
    msPerIteration: ms,
    gflops: gf,
    raw: res,
  });
}
save('kmeans-gpu', { cases: results });
process.exit(0);
