// The examples in examples/ run as users run them (importing 'poolkit'), and print what the Python courses show.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = async (name) => {
  const file = fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 30_000 });
  return stdout.trim().split('\n');
};

describe('toolbox: the examples', function () {
  it('process-names: each doubler prints its own Process name', async () => {
    assert.deepEqual(await run('process-names.mjs'), [
      'Process-1: 5 doubled to 10',
      'Process-2: 10 doubled to 20',
      'Process-3: 15 doubled to 30',
      'Process-4: 20 doubled to 40',
    ]);
  });

  it('shared-array: the array is doubled in place, the counter reaches 40,000', async () => {
    assert.deepEqual(await run('shared-array.mjs'), ['doubled: 2 4 6 8 10 12 14 16', 'counter: 40000']);
  });

  it('manager-dict: 4 entries keyed by distinct idents', async () => {
    const lines = await run('manager-dict.mjs');
    assert.equal(lines[0], 'entries: 4');
    const rows = lines.slice(1).map((l) => l.split(' '));
    assert.equal(new Set(rows.map((r) => r[0])).size, 4);
    assert.deepEqual(rows.map((r) => r.slice(1).join(' ')).sort(), ['worker 0', 'worker 1', 'worker 2', 'worker 3']);
  });

  it('queue-pipe-barrier: objects through a Queue and a Pipe, a Barrier of 3, a killed process', async () => {
    assert.deepEqual(await run('queue-pipe-barrier.mjs'), [
      'queue got {"item":0}',
      'queue got {"item":1}',
      'queue got {"item":2}',
      'pipe got ["hello","from parent"]',
      'barrier indexes 0 1 2',
      'killed stuck alive: false exitCode: -9',
    ]);
  });
});
