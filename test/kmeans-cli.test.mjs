import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blobs } from './fixtures/kmeans-data.mjs';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function cli(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, 'kmeans', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

function npy(values, shape, descr = '<f4', fortran = false) {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const body = descr.endsWith('8') ? new Float64Array(values) : new Float32Array(values);
  const out = Buffer.alloc(10 + header.length + body.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  out.set(new Uint8Array(body.buffer), 10 + header.length);
  return out;
}

describe('poolkit kmeans (CLI)', function () {
  let dir;
  const { data } = blobs({ n: 600, dims: 3, centers: 4, spread: 8, seed: 17 });
  const rows = Array.from({ length: 600 }, (_, i) => Array.from(data.subarray(i * 3, i * 3 + 3)));
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-kmeans-cli-'));
    writeFileSync(join(dir, 'blobs.csv'), `x,y,z\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    writeFileSync(join(dir, 'noheader.csv'), rows.map((r) => r.join(',')).join('\r\n'));
    writeFileSync(join(dir, 'blobs.npy'), npy(data, [600, 3]));
    writeFileSync(join(dir, 'blobs64.npy'), npy(Array.from(data), [600, 3], '<f8'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints the contract fields; CSV (with or without header) and .npy (f4, f8) agree', async () => {
    const results = [];
    for (const f of ['blobs.csv', 'noheader.csv', 'blobs.npy', 'blobs64.npy']) {
      const { code, stdout, stderr } = await cli([join(dir, f), '--k', '4', '--seed', '3', '--json']);
      assert.equal(code, 0, stderr);
      const out = JSON.parse(stdout);
      for (const key of ['n', 'dims', 'k', 'inertia', 'iterations', 'converged', 'backend', 'seconds', 'centroids'])
        assert.ok(key in out, key);
      assert.equal(out.n, 600);
      assert.equal(out.dims, 3);
      assert.equal(out.k, 4);
      assert.equal(out.centroids.length, 4);
      assert.equal(out.centroids[0].length, 3);
      assert.equal(out.converged, true);
      results.push(out);
    }
    for (const r of results.slice(1)) assert.ok(Math.abs(r.inertia - results[0].inertia) / results[0].inertia < 1e-5);
  });

  it('options reach kmeans; --labels writes one label per row', async () => {
    const labels = join(dir, 'labels.csv');
    const { code, stdout, stderr } = await cli([
      join(dir, 'blobs.csv'),
      '--k',
      '4',
      '--backend',
      'js',
      '--n-init',
      '2',
      '--max-iter',
      '50',
      '--tol',
      '0',
      '--init',
      'random',
      '--threads',
      '1',
      '--labels',
      labels,
      '--json',
    ]);
    assert.equal(code, 0, stderr);
    assert.equal(JSON.parse(stdout).backend, 'js');
    const lines = readFileSync(labels, 'utf8').trim().split('\n');
    assert.equal(lines.length, 600);
    assert.ok(lines.every((l) => /^[0-3]$/.test(l)));
  });

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await cli([join(dir, 'blobs.csv'), '--k', '2']);
    assert.equal(code, 0);
    assert.match(stdout, /n=600 dims=3 k=2/);
    assert.match(stdout, /cluster,size,x,y,z/);
  });

  const bad = [
    [
      'a non-numeric field (file:line:column)',
      'bad.csv',
      'a,b\n1,2\n3,4\n5,oops\n',
      ['--k', '1'],
      /bad\.csv:4:3: field 2 is "oops"/,
    ],
    ['an empty field', 'empty-field.csv', '1,2\n3,\n', ['--k', '1'], /empty-field\.csv:2:3: field 2 is empty/],
    ['a ragged row', 'ragged.csv', '1,2,3\n4,5\n', ['--k', '1'], /ragged\.csv:2: row has 2 fields, expected 3/],
    ['NaN in a CSV', 'nan.csv', '1,2\nNaN,3\n', ['--k', '1'], /nan\.csv:2:1: field 1 is "NaN"/],
    ['a header only', 'header.csv', 'a,b\n', ['--k', '1'], /header\.csv: has a header row but no data rows/],
    ['k > n', 'small.csv', '1,2\n3,4\n', ['--k', '3'], /--k: 3 is more than the 2 rows/],
    ['--k missing', 'small2.csv', '1,2\n3,4\n', [], /--k is required/],
    ['--k not an integer', 'small3.csv', '1,2\n', ['--k', 'two'], /--k: expected an integer ≥ 1, got 'two'/],
    [
      'an unknown option',
      'small4.csv',
      '1,2\n',
      ['--k', '1', '--fast'],
      /--fast: unknown option, expected one of --k, /,
    ],
    [
      'an unknown backend',
      'small5.csv',
      '1,2\n',
      ['--k', '1', '--backend', 'gpu'],
      /--backend: expected one of auto, js, wasm, webgpu, got 'gpu'/,
    ],
    ['an unknown file type', 'data.parquet', 'x', ['--k', '1'], /unknown file type/],
  ];
  for (const [name, file, content, args, message] of bad) {
    it(`exits 2 with one line on ${name}`, async () => {
      writeFileSync(join(dir, file), content);
      const { code, stdout, stderr } = await cli([join(dir, file), ...args]);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, message);
    });
  }

  const badNpy = [
    ['a 1-D array', npy([1, 2, 3], [3]), /not 2-D/],
    ['int32 dtype', npy([1, 2], [1, 2], '<i4'), /dtype '<i4' is not supported/],
    ['Fortran order', npy([1, 2, 3, 4], [2, 2], '<f4', true), /Fortran order/],
    ['a truncated file', npy([1, 2, 3, 4], [2, 2]).subarray(0, 130), /truncated/],
    ['not an npy file', Buffer.from('hello world, not numpy'), /not a \.npy file/],
    ['Infinity', npy([1, Infinity], [1, 2]), /row 0, column 1 .* is Infinity/],
  ];
  for (const [name, bytes, message] of badNpy) {
    it(`exits 2 on an .npy file with ${name}`, async () => {
      const f = join(dir, `bad-${name.replace(/\W+/g, '-')}.npy`);
      writeFileSync(f, bytes);
      const { code, stderr } = await cli([f, '--k', '1']);
      assert.equal(code, 2);
      assert.equal(stderr.trim().split('\n').length, 1);
      assert.match(stderr, message);
    });
  }

  it('exits 2 on a missing file', async () => {
    const { code, stderr } = await cli([join(dir, 'nope.csv'), '--k', '1']);
    assert.equal(code, 2);
    assert.match(stderr, /cannot read .*nope\.csv: no such file/);
  });
});
