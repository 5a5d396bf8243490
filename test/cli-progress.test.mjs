// `poolkit bench` on a real terminal: tmux runs it in a pseudo-terminal with stdout sent to a file. The progress bars
// must be redrawn in place on stderr (one screen row per contender, updated, never appended), and the file must hold
// the tables only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('poolkit bench on a terminal (tmux)', function () {
  this.timeout(180_000);
  const socket = `poolkit-test-${process.pid}`;
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  let dir;
  let screens;
  let stdout;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-tty-'));
    const out = join(dir, 'stdout.txt');
    const done = join(dir, 'exit-code');
    const command = `'${process.execPath}' '${main}' bench pool --quick --reps 2 > '${out}'; echo $? > '${done}'; sleep 60`;
    tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '50', command);
    screens = [];
    const t0 = Date.now();
    while (!existsSync(done) && Date.now() - t0 < 150_000) {
      screens.push(tmux('capture-pane', '-p', '-t', 'bench'));
      await sleep(100);
    }
    await sleep(200);
    screens.push(tmux('capture-pane', '-p', '-t', 'bench'));
    assert.equal(readFileSync(done, 'utf8').trim(), '0', screens.at(-1));
    stdout = readFileSync(out, 'utf8');
  });
  after(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const NAME = 'poolkit map (chunksize 1)';
  /** The screen rows naming the contender, with their row numbers. */
  const rowsOf = (screen, name) =>
    screen
      .split('\n')
      .map((text, row) => ({ row, text }))
      .filter((l) => l.text.startsWith(`  ${name} `));

  it('draws a bar per contender with the repetition and elapsed time, redrawn in place', () => {
    const seen = screens.map((s) => rowsOf(s, NAME)).filter((rows) => rows.length);
    assert.ok(seen.length >= 3, `the contender's row was on too few screens (${seen.length})`);
    // In place: on every screen it occupies one row, and always the same row.
    for (const rows of seen) assert.equal(rows.length, 1, rows.map((r) => r.text).join('\n'));
    assert.equal(new Set(seen.map((rows) => rows[0].row)).size, 1);
    const texts = [...new Set(seen.map((rows) => rows[0].text.trimEnd()))];
    assert.ok(texts.length >= 3, `the row was not redrawn: ${texts.join(' | ')}`);
    assert.ok(
      texts.some((t) => /[█░]{8,} (warm-up|rep [12]\/2|[012]\/2 reps) +\d+\.\d s$/.test(t)),
      texts.join('\n'),
    );
    assert.match(texts.at(-1), /█{8,} done {2}median \d/);
    // The whole group is drawn together: every contender of the first case has its row.
    for (const name of ['poolkit apply × N', 'piscina run × N', 'workerpool exec × N'])
      assert.equal(rowsOf(screens.at(-1), name).length, 1, name);
  });

  it('leaves stdout to the tables: no progress, no escape codes', () => {
    assert.doesNotMatch(stdout, /\x1b/);
    assert.doesNotMatch(stdout, /[█░]|bench pool:|warm-up/);
    const blocks = stdout.trim().split('\n\n');
    assert.equal(blocks.length, 3);
    for (const block of blocks) {
      const [title, header, ...rows] = block.split('\n');
      assert.match(title, /\((higher|lower) is better\)$/);
      assert.match(header, /^contender +median /);
      assert.ok(rows.length >= 2);
      for (const r of rows) assert.match(r, /^\S.*\s[\d,.]+ +[\d,.]+ +[\d,.]+ +(\d+\.\d\d×|-)$/);
    }
    assert.match(stdout, /^poolkit map \(chunksize 1\) +[\d,]+ /m);
  });
});
