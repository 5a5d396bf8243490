// Mini-batch k-means and predictFile over .npy / CSV files and Blobs read in blocks: the same rows in every format
// give the same model, labels arrive in file order, malformed files fail with their location, and memory stays
// bounded on a file many times the block size.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blobs, loadKMeans } from './fixtures/kmeans-data.mjs';
import { toNpy } from '../dist/io/matrix.js';
import { readMatrixBlocks } from '../dist/io/matrix-blocks.js';

const { kmeans, miniBatchKMeans, predictFile, InvalidArgumentError } = await loadKMeans();

const dims = 4;
const k = 5;
const n = 12_000;
const { data } = blobs({ n, dims, centers: k, seed: 7, spread: 8 });
const dir = mkdtempSync(join(tmpdir(), 'poolkit-minibatch-file-'));
const f32 = join(dir, 'x32.npy');
const f64 = join(dir, 'x64.npy');
const csv = join(dir, 'x.csv');
writeFileSync(f32, toNpy(data, n, dims));
writeFileSync(f64, toNpy(Float64Array.from(data), n, dims));
{
  const lines = ['a,b,c,d'];
  for (let r = 0; r < n; r++) lines.push(Array.from(data.subarray(r * dims, r * dims + dims)).join(','));
  writeFileSync(csv, `${lines.join('\r\n')}\n`);
}
const opts = { k, batchSize: 256, seed: 3, blockRows: 1000 };

async function* chunksOf(bytes, size) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

// As a file source reads: every chunk is the same buffer, overwritten by the next read.
async function* reusedChunksOf(bytes, size) {
  const buf = new Uint8Array(size);
  for (let i = 0; i < bytes.length; i += size) {
    const n = Math.min(size, bytes.length - i);
    buf.set(bytes.subarray(i, i + n));
    yield buf.subarray(0, n);
  }
  buf.fill(0xff); // a reader still holding the last chunk would see NaNs
}

describe('miniBatchKMeans over files', function () {
  this.timeout(120_000);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('float32 .npy, float64 .npy, CSV (path, { path }, Blob) give the same model; inertia within 2% of k-means', async () => {
    const a = await miniBatchKMeans(f32, opts);
    const b = await miniBatchKMeans({ path: f64 }, opts);
    const c = await miniBatchKMeans(csv, opts);
    const d = await miniBatchKMeans(new Blob([readFileSync(f32)]), opts);
    for (const r of [b, c, d]) {
      assert.deepEqual(r.centroids, a.centroids);
      assert.equal(r.inertia, a.inertia);
      assert.equal(r.steps, a.steps);
    }
    assert.equal(a.labels, null);
    assert.ok(a.steps >= 2);
    const full = await kmeans(data, { k, dims, seed: 1, nInit: 3, backend: 'js' });
    assert.ok(a.inertia < full.inertia * 1.02, `${a.inertia} vs ${full.inertia}`);
  });

  it('onLabels gets every row once, in file order, equal to predictFile and to the in-memory nearest centre', async () => {
    const got = [];
    const r = await miniBatchKMeans(f32, {
      ...opts,
      onLabels: (labels, first) => got.push([first, Array.from(labels)]),
    });
    assert.deepEqual(
      got.map(([first]) => first),
      Array.from({ length: 12 }, (_, i) => i * 1000),
    );
    const labels = got.flatMap(([, l]) => l);
    assert.equal(labels.length, n);
    const chunks = [];
    const out = new WritableStream({ write: (c) => void chunks.push(Buffer.from(c)) });
    const p = await predictFile(csv, r.centroids, { out, blockRows: 777 });
    assert.equal(p.n, n);
    assert.equal(p.dims, dims);
    assert.deepEqual(Buffer.concat(chunks).toString().trim().split('\n').map(Number), labels);
    // The model's float32 centroids against the float64 centres its last pass used.
    assert.ok(Math.abs(p.inertia - r.inertia) <= 1e-5 * r.inertia, `${p.inertia} vs ${r.inertia}`);
    assert.equal(
      p.counts.reduce((s, x) => s + x, 0),
      n,
    );
    // The same assignment as a model fitted in memory would give (nearest centre, first index on ties).
    const near = (row) => {
      let best = Infinity;
      let label = 0;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < dims; j++) s += (data[row * dims + j] - r.centroids[c * dims + j]) ** 2;
        if (s < best) [best, label] = [s, c];
      }
      return label;
    };
    for (let row = 0; row < n; row += 97) assert.equal(labels[row], near(row), `row ${row}`);
  });

  it('stops early by maxNoImprovement, else reads the file maxIter times', async () => {
    const once = await miniBatchKMeans(f32, { ...opts, maxIter: 1, maxNoImprovement: 0 });
    assert.equal(once.steps, 12 * Math.ceil(1000 / 256));
    assert.equal(once.converged, false);
    const early = await miniBatchKMeans(f32, { ...opts, maxIter: 50, maxNoImprovement: 3 });
    assert.equal(early.converged, true);
    assert.ok(early.steps < 50 * 48);
  });

  it('bad files and arguments: typed errors naming the argument or the place in the file', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '1,2\n3,4\n5,x\n');
    await assert.rejects(miniBatchKMeans(bad, { k: 1 }), /bad\.csv:3:3: field 2 is "x", not a finite number/);
    const short = join(dir, 'short.npy');
    writeFileSync(short, readFileSync(f32).subarray(0, 1000));
    await assert.rejects(miniBatchKMeans(short, { k: 1 }), /short\.npy: truncated: shape 12000 × 4/);
    await assert.rejects(
      miniBatchKMeans(join(dir, 'none.npy'), { k: 1 }),
      (e) => e instanceof InvalidArgumentError && e.argument === 'source' && /no such file/.test(e.message),
    );
    await assert.rejects(
      miniBatchKMeans(f32, { k: 2, dims: 3 }),
      (e) => e.argument === 'options.dims' && /expected the file's 4 columns, got 3/.test(e.message),
    );
    await assert.rejects(miniBatchKMeans(f32, { k: 20_000 }), (e) => e.argument === 'options.k');
    await assert.rejects(predictFile(f32, new Float32Array(6)), (e) => e.argument === 'centroids');
  });

  it('block readers: any chunking, reused chunk buffers too, gives the same rows; CSV header, BOM, CRLF, blank lines', async () => {
    const text = '\ufeffx;y\r\n1;2\r\n\r\n3;4.5\r\n-1e3;0';
    const bytes = new TextEncoder().encode(text);
    for (const [size, of] of [1, 2, 5, bytes.length].flatMap((z) => [
      [z, chunksOf],
      [z, reusedChunksOf],
    ])) {
      const m = await readMatrixBlocks(of(bytes, size), { rowsPerBlock: 2, file: 't.csv' });
      assert.deepEqual(m.header, ['x', 'y']);
      const blocks = [];
      for await (const b of m.blocks) blocks.push([b.firstRow, b.n, Array.from(b.values)]);
      assert.deepEqual(blocks, [
        [0, 2, [1, 2, 3, 4.5]],
        [2, 1, [-1000, 0]],
      ]);
    }
    const npy = readFileSync(f64);
    for (const [size, of] of [3, 1000, 65_536].flatMap((z) => [
      [z, chunksOf],
      [z, reusedChunksOf],
    ])) {
      const m = await readMatrixBlocks(of(npy, size), { rowsPerBlock: 5000, file: 'x.npy' });
      assert.equal(m.n, n);
      const rows = [];
      for await (const b of m.blocks) rows.push(...b.values);
      assert.deepEqual(rows, Array.from(data));
    }
  });

  it('memory stays bounded: .npy files of 61 and 244 MiB read twice in 2 MiB blocks, the 4× longer file needs no more', function () {
    this.timeout(300_000);
    // Rows of 16 float32 values, the same 100,000-row pattern repeated.
    const writeNpy = (path, rows) => {
      const fd = openSync(path, 'w');
      const head = toNpy(new Float32Array(16), 1, 16);
      const header = Buffer.from(head.subarray(0, head.length - 64))
        .toString('latin1')
        .replace('(1, 16)', `(${rows}, 16)`);
      // Same header length: the shape's extra digits are taken from the padding.
      writeSync(fd, Buffer.from(header.replace(`${' '.repeat(String(rows).length - 1)}\n`, '\n'), 'latin1'));
      const block = new Float32Array(100_000 * 16);
      for (let i = 0; i < block.length; i++) block[i] = (i % 16) + ((i * 2654435761) % 1000) / 1000;
      for (let r = 0; r < rows; r += 100_000)
        writeSync(fd, new Uint8Array(block.buffer), 0, Math.min(100_000, rows - r) * 64);
      closeSync(fd);
    };
    const warm = join(dir, 'warm.npy');
    writeNpy(warm, 300_000);
    // Each file is fitted in a fresh process after the same fit of `warm`, which pays the fixed costs (one worker
    // thread and kernel instance per core, the kernel's memory, the JS heap's young generation): the child prints how
    // far the second fit raised the process's peak RSS. Those costs depend on the core count and on how soon the
    // workers start; what a longer file adds does not.
    const growth = (rows) => {
      const file = join(dir, `rows-${rows}.npy`);
      writeNpy(file, rows);
      const child = new URL('./fixtures/minibatch-rss.mjs', import.meta.url);
      const r = JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', fileURLToPath(child), warm, file], { encoding: 'utf8' }),
      );
      rmSync(file);
      // Blocks of 2^19 values (32,768 rows of 16), 8 batches each; the last block is shorter.
      assert.equal(r.steps, Math.floor(rows / 32_768) * 8 + Math.ceil((rows % 32_768) / 4096));
      return r.grew;
    };
    const short = growth(1_000_000);
    const long = growth(4_000_000);
    const MiB = 2 ** 20;
    const blockBytes = 2 ** 19 * 4;
    // One block, one 1 MiB read buffer, the block's copy in wasm memory and its labels are live at a time, however
    // long the file. 12 blocks (24 MiB) is room for GC timing, and fails a reader that keeps a fifth of what it reads
    // (at least 37 MiB more on the longer file) or fresh buffers piling up for more than 12 blocks before a GC.
    assert.ok(
      long - short < 12 * blockBytes,
      `after the same fit of a 19 MiB file, peak RSS grew by ${(long / MiB).toFixed(1)} MiB on a 244 MiB file and ` +
        `${(short / MiB).toFixed(1)} MiB on a 61 MiB file: ${((long - short) / MiB).toFixed(1)} MiB more, bound 24 MiB`,
    );
  });
});
