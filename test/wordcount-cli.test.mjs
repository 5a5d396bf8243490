// `poolkit wordcount FILE [--top N|all] [--threads T] [--backend B] [--json]`: output contract and exit codes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import '../dist/index.js';
import { wordcountCommand } from '../dist/cli/wordcount.js';
import { referenceCounts } from './fixtures/text-fuzz.mjs';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const run = async (args) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, 'wordcount', ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
const inProcess = async (args) => {
  const out = [];
  const err = [];
  const code = await wordcountCommand(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
};

describe('poolkit wordcount', function () {
  this.timeout(60000);
  let dir;
  let file;
  let text;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-wccli-'));
    file = join(dir, 'words.txt');
    const words = [];
    for (let i = 0; i < 40; i++) for (let k = 0; k <= i; k++) words.push(`w${String(i).padStart(2, '0')}`);
    text = `${words.join(' ')} ΣΑΣ σας Ǆ ǆ\n`;
    writeFileSync(file, text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints {total, unique, bytes, seconds, top} with --json, top 20 by default', async () => {
    const r = await run([file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const ref = referenceCounts(new TextEncoder().encode(text));
    assert.deepEqual(Object.keys(j).sort(), ['bytes', 'seconds', 'top', 'total', 'unique']);
    assert.equal(
      j.total,
      [...ref.values()].reduce((a, b) => a + b, 0),
    );
    assert.equal(j.unique, ref.size);
    assert.equal(j.bytes, Buffer.byteLength(text));
    assert.equal(typeof j.seconds, 'number');
    assert.equal(j.top.length, 20);
    assert.deepEqual(j.top[0], ['w39', 40]);
    assert.deepEqual(j.top[19], ['w20', 21]);
  });

  it('takes --top N|all, --threads, --backend (also as --opt=value)', async () => {
    for (const args of [
      ['--top', 'all', '--threads', '2'],
      ['--top=all', '--backend=js'],
      ['--backend', 'wasm', '--threads', '1', '--top', 'all'],
    ]) {
      const r = await inProcess([file, '--json', ...args]);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.top.length, j.unique);
      assert.deepEqual(
        j.top.slice(-4),
        [
          ['w00', 1],
          ['ǆ', 2],
          ['σας', 2],
          ['w01', 2],
        ]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(-4),
      );
    }
    const r = await inProcess([file, '--top', '3']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\s*count\s+word\n\s*40\s+w39\n\s*39\s+w38\n\s*38\s+w37\n/);
    assert.match(r.stdout, /words, \d+ unique/);
  });

  it('exits 2 with one line for a missing file, a directory, bad threads and bad options', async () => {
    const cases = [
      [[join(dir, 'nope.txt')], /no such file/],
      [[dir], /directory/],
      [[file, '--threads', '0'], /--threads/],
      [[file, '--threads', '-1'], /--threads/],
      [[file, '--threads', 'x'], /--threads/],
      [[file, '--top', 'many'], /--top/],
      [[file, '--backend', 'gpu'], /--backend/],
      [[file, '--bogus'], /--bogus: unknown option, expected one of --top/],
      [[], /missing FILE/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    const viaCli = await run([join(dir, 'nope.txt')]);
    assert.equal(viaCli.code, 2);
    assert.match(viaCli.stderr, /no such file/);
  });
});
