// poolkit kmeans --algorithm, --mini-batch and --batch-size.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blobs } from './fixtures/kmeans-data.mjs';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function cli(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, 'kmeans', ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? err.code : 0, stdout, stderr }),
    );
  });
}

describe('poolkit kmeans --algorithm / --mini-batch', function () {
  this.timeout(120_000);
  let dir;
  let file;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-kmeans-alg-'));
    const { data } = blobs({ n: 3000, dims: 3, centers: 5, seed: 8 });
    const rows = [];
    for (let r = 0; r < 3000; r++) rows.push(Array.from(data.subarray(r * 3, r * 3 + 3)).join(','));
    file = join(dir, 'blobs.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every --algorithm gives the same fit as lloyd and reports itself', async () => {
    const runs = {};
    for (const a of ['lloyd', 'hamerly', 'elkan', 'yinyang']) {
      const { code, stdout, stderr } = await cli([file, '--k', '12', '--seed', '2', '--algorithm', a, '--json']);
      assert.equal(code, 0, stderr);
      runs[a] = JSON.parse(stdout);
      assert.equal(runs[a].algorithm, a);
    }
    for (const a of ['hamerly', 'elkan', 'yinyang']) {
      assert.equal(runs[a].inertia, runs.lloyd.inertia);
      assert.equal(runs[a].iterations, runs.lloyd.iterations);
      assert.deepEqual(runs[a].centroids, runs.lloyd.centroids);
    }
  });

  it('--mini-batch --batch-size fits with mini-batch k-means', async () => {
    const { code, stdout, stderr } = await cli([file, '--k', '5', '--mini-batch', '--batch-size', '256', '--json']);
    assert.equal(code, 0, stderr);
    const r = JSON.parse(stdout);
    assert.equal(r.algorithm, 'mini-batch');
    assert.equal(r.centroids.length, 5);
    assert.ok(r.inertia > 0 && r.iterations >= 1);
  });

  it('bad values exit 2 with a message naming the flag', async () => {
    for (const [args, flag] of [
      [['--algorithm', 'fast'], '--algorithm'],
      [['--mini-batch', '--batch-size', '0'], '--batch-size'],
      [['--batch-size', '9'], '--batch-size'],
    ]) {
      const { code, stderr } = await cli([file, '--k', '3', ...args]);
      assert.equal(code, 2);
      assert.match(stderr, new RegExp(flag));
    }
  });
});
