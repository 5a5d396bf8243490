// The poolkit command as a user drives it: spawned processes, real files, exit codes and one-line messages.
// Bench runs use --quick --reps 1 (a smoke run of the real suites, seconds long).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Runs `node [nodeArgs] dist/cli/main.js args`; resolves with { code, stdout, stderr } (never rejects). */
function cli(args, { env = process.env, nodeArgs = [], timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, main, ...args],
      { env, timeout, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** Asserts exit 2, nothing on stdout, and exactly one line on stderr matching `message`. */
function assertUsageError(r, message, what) {
  assert.equal(r.code, 2, `${what}: exit ${r.code}, stderr ${r.stderr}`);
  assert.equal(r.stdout, '', what);
  assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: ${r.stderr}`);
  assert.match(r.stderr, message, what);
}

const withoutVulkan = () => {
  const env = { ...process.env };
  delete env.VK_ICD_FILENAMES;
  delete env.VK_DRIVER_FILES;
  return env;
};

describe('poolkit (the command)', function () {
  this.timeout(120_000);
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--version prints the package version, exit 0', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await cli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${pkg.version}\n`);
      assert.equal(r.stderr, '');
    }
  });

  it('--help, -h and help list every command on stdout, exit 0; no command at all exits 2 with the usage on stderr', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await cli(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^usage: poolkit <command>/);
      for (const name of ['info', 'demo', 'kmeans', 'wordcount', 'bench'])
        assert.match(r.stdout, new RegExp(`^  ${name} +\\S`, 'm'), name);
    }
    const none = await cli([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^usage: poolkit <command>/);
  });

  it('help <command> and <command> --help print the same help, exit 0', async () => {
    for (const command of [['info'], ['demo'], ['kmeans'], ['wordcount'], ['bench'], ['bench', 'compare']]) {
      const viaHelp = await cli(['help', ...command]);
      const viaFlag = await cli([...command, '--help']);
      assert.equal(viaHelp.code, 0, command.join(' '));
      assert.equal(viaFlag.code, 0, command.join(' '));
      assert.match(viaHelp.stdout, new RegExp(`^usage: poolkit ${command.join(' ')}\\b`));
      assert.match(viaHelp.stdout, /--debug/);
      assert.equal(viaFlag.stdout, viaHelp.stdout);
    }
    assert.match((await cli(['help', 'bench'])).stdout, /--out DIR.*results\.json.*report\.html/);
    assert.match((await cli(['bench', '-h'])).stdout, /--reps N/);
  });

  it('exits 2 with one line naming the argument and what was expected', async () => {
    const results = `${dir}/not-here.json`;
    const aFile = join(dir, 'plain-file');
    writeFileSync(aFile, 'x');
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    const noCases = join(dir, 'empty.json');
    writeFileSync(noCases, '{"machine": {}}');
    const cases = [
      [['nope'], /^poolkit: unknown command 'nope', expected one of info, demo, kmeans, wordcount, serve, bench/],
      [['--nope'], /^poolkit: unknown option '--nope', expected one of/],
      [['help', 'nope'], /^poolkit help: 'nope' is not a command, expected one of/],
      [['help', 'bench', 'nope'], /'bench nope' is not a command/],
      [['info', 'extra'], /^poolkit info: unexpected argument 'extra': expected no arguments, got extra/],
      [['info', '--json=yes'], /^poolkit info: --json: expected no value, got 'yes'/],
      [['info', '--jsn'], /^poolkit info: --jsn: unknown option, expected one of --json/],
      [['demo', '--fast'], /^poolkit demo: --fast: unknown option, expected no options/],
      [['bench'], /^poolkit bench: missing SUITE: expected SUITE, got nothing/],
      [
        ['bench', 'nope'],
        /^poolkit bench: SUITE: expected one of pool, kmeans, wordcount, toolbox, kmeans-gpu, all, got 'nope'/,
      ],
      [['bench', 'pool', 'kmeans'], /unexpected argument 'kmeans'/],
      [['bench', 'pool', '--reps', '0'], /^poolkit bench: --reps: expected an integer ≥ 1, got '0'/],
      [['bench', 'pool', '--reps', 'x'], /^poolkit bench: --reps: expected an integer ≥ 1, got 'x'/],
      [['bench', 'pool', '--reps'], /^poolkit bench: --reps: expected a value, got none/],
      [
        ['bench', 'pool', '--bogus'],
        /^poolkit bench: --bogus: unknown option, expected one of --quick, --reps, --json, --out/,
      ],
      [['bench', 'pool', '--out', aFile], /^poolkit bench: --out: .*plain-file exists and is not a directory/],
      [['bench', 'compare'], /^poolkit bench compare: missing A\.json: expected A\.json B\.json, got nothing/],
      [['bench', 'compare', results], /missing B\.json/],
      [
        ['bench', 'compare', results, results],
        /^poolkit bench compare: A\.json: cannot read .*not-here\.json: no such file/,
      ],
      [['bench', 'compare', dir, dir], /A\.json: cannot read .*: is a directory/],
      [['bench', 'compare', notJson, notJson], /A\.json: .*not\.json is not JSON/],
      [['bench', 'compare', noCases, noCases], /A\.json: .*empty\.json holds no benchmark cases/],
      [['kmeans', '--k', '2'], /^poolkit kmeans: missing FILE/],
      [['wordcount', 'a', 'b'], /^poolkit wordcount: unexpected argument 'b'/],
    ];
    for (const [args, message] of cases) assertUsageError(await cli(args), message, args.join(' '));
  });

  it('an unexpected failure exits 1 with one line; --debug adds the stack trace', async () => {
    // A preload makes os.cpus() throw: a failure no command expects.
    const preload = join(dir, 'break-cpus.mjs');
    writeFileSync(
      preload,
      "import os from 'node:os'; os.cpus = () => { throw new Error('simulated failure in os.cpus'); };\n",
    );
    const plain = await cli(['info'], { nodeArgs: ['--import', preload] });
    assert.equal(plain.code, 1, plain.stderr);
    assert.equal(plain.stdout, '');
    assert.equal(
      plain.stderr,
      'poolkit: unexpected error: simulated failure in os.cpus (run again with --debug for the stack trace)\n',
    );
    const debug = await cli(['info', '--debug'], { nodeArgs: ['--import', preload] });
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /^Error: simulated failure in os\.cpus\n\s+at /);
    assert.ok(debug.stderr.trim().split('\n').length > 2, debug.stderr);
  });

  it('info --json: Node, cores, shared memory, wasm features, peers with versions, and the WebGPU adapter or why none', async () => {
    const r = await cli(['info', '--json'], { env: { ...withoutVulkan(), VK_ICD_FILENAMES: SWIFTSHADER } });
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    assert.equal(info.node, process.version);
    assert.ok(Number.isInteger(info.cores) && info.cores >= 1);
    assert.equal(info.sharedMemory, true);
    assert.deepEqual(Object.keys(info.wasm).sort(), ['relaxedSimd', 'simd', 'threads']);
    assert.equal(info.wasm.threads, true);
    assert.equal(info.wasm.simd, true);
    // Node 20 has relaxed SIMD behind a flag only.
    assert.equal(info.wasm.relaxedSimd, false);
    const version = (name) =>
      JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
    for (const name of ['piscina', 'tinypool', 'workerpool', 'threads', 'ml-kmeans']) {
      assert.deepEqual(
        info.peers.find((p) => p.name === name),
        { name, version: version(name), missing: null },
      );
    }
    for (const name of ['scikit-learn', 'Python multiprocessing']) {
      const p = info.peers.find((x) => x.name === name);
      assert.ok(p && (p.version ? p.missing === null : /python3/.test(p.missing)), JSON.stringify(p));
    }
    assert.match(info.webgpu.adapter, /swiftshader/i);
    assert.equal(info.webgpu.software, true);
    assert.match(info.webgpu.note, /only a software adapter/);
    assert.ok(info.webgpu.limits.maxStorageBufferBindingSize > 0);

    const none = await cli(['info', '--json'], {
      env: { ...withoutVulkan(), VK_ICD_FILENAMES: join(dir, 'no-such-icd.json') },
    });
    const gpu = JSON.parse(none.stdout).webgpu;
    assert.equal(gpu.adapter, null);
    assert.match(gpu.note, /Vulkan/);
    const text = await cli(['info'], { env: withoutVulkan() });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^node +v\d+/m);
    assert.match(text.stdout, /^WebGPU adapter +none: .*Vulkan/m);
    assert.match(text.stdout, /^peer piscina +\d+\.\d+/m);
    assert.doesNotMatch(text.stderr, /vkCreateInstance/);
  });

  it('demo: Pool map/imap, k-means on every backend here with their agreement, word count with throughput, next steps, in under 30 s', async () => {
    const t0 = performance.now();
    const r = await cli(['demo'], { env: withoutVulkan() });
    const seconds = (performance.now() - t0) / 1000;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(seconds < 30, `demo took ${seconds.toFixed(1)} s`);
    const out = r.stdout;
    assert.match(out, /^ {3}map +200,000 squares .*sum 2,666,646,666,700,000/m);
    // Not a terminal: the live counter prints its last value only.
    assert.match(out, /^ {3}imap .*: 20,000\/20,000, 958 primes/m);
    assert.equal(out.match(/imap/g).length, 1);
    assert.match(out, /^ {3}js +1 thread +inertia \d/m);
    assert.match(out, /^ {3}wasm +\d+ threads? +inertia \d/m);
    // Without a hardware adapter WebGPU is not run, and the reason is named.
    assert.match(out, /^ {3}webgpu not shown: .*Vulkan/m);
    assert.match(out, /^ {3}agreement wasm vs js: the same label on 100\.00% of points/m);
    assert.match(out, /^ {3}wasm .* MiB\/s \(\d+ threads?\)$/m);
    assert.match(out, /^ {3}agreement: the same totals and top 20 on both backends$/m);
    for (const next of [
      'poolkit info',
      'poolkit kmeans FILE',
      'poolkit wordcount FILE',
      'poolkit bench all --out',
      'poolkit help',
    ])
      assert.ok(out.includes(`\n  ${next}`), next);
  });

  describe('bench pool --quick --reps 1 --json --out DIR (with tinypool made unimportable)', function () {
    let run;
    let out;
    before(async () => {
      out = join(dir, 'report');
      // A resolve hook that fails `tinypool` as a missing package would: the suite must list it as skipped.
      const hooks = join(dir, 'hide-tinypool.mjs');
      writeFileSync(
        hooks,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: this string is module source with its own template literal
        "export async function resolve(s, c, next) { if (s === 'tinypool') { const e = new Error(`Cannot find package '${s}'`); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; } return next(s, c); }\n",
      );
      const preload = join(dir, 'register-hooks.mjs');
      writeFileSync(
        preload,
        `import { register } from 'node:module'; register(${JSON.stringify(new URL(`file://${hooks}`).href)});\n`,
      );
      run = await cli(['bench', 'pool', '--quick', '--reps', '1', '--json', '--out', out], {
        env: { ...process.env, NODE_OPTIONS: `--import=${preload}` },
      });
    });

    it('prints one JSON document on stdout and writes the same results to DIR/results.json, plus report.html', () => {
      assert.equal(run.code, 0, run.stderr);
      const printed = JSON.parse(run.stdout);
      const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      assert.deepEqual(saved, printed);
      assert.equal(printed.poolkit, pkg.version);
      assert.equal(printed.command, `poolkit bench pool --quick --reps 1 --json --out ${out}`);
      assert.equal(printed.machine.node, process.version);
      assert.deepEqual(
        printed.suites.map((s) => [s.suite, s.status]),
        [['pool', 'ok']],
      );
      assert.equal(printed.tables.length, 3);
      for (const t of printed.tables) {
        assert.ok(t.rows.length >= 2, t.title);
        for (const r of t.rows) {
          assert.ok(r.median > 0 && r.min <= r.median && r.median <= r.max, `${t.title} / ${r.name}`);
          assert.equal(r.seconds.length, 1);
        }
      }
      assert.ok(existsSync(join(out, 'report.html')));
    });

    it('lists the missing peer as skipped with the reason, in the results and on stdout-free stderr', () => {
      const { tables } = JSON.parse(run.stdout);
      const perItem = tables.find((t) => /^Per-item tasks/.test(t.title));
      assert.deepEqual(perItem.skipped, [{ name: 'tinypool run × N', reason: 'tinypool unavailable: not installed' }]);
      assert.ok(!perItem.rows.some((r) => r.name.startsWith('tinypool')));
      assert.ok(perItem.rows.some((r) => r.name === 'piscina run × N'));
      assert.match(run.stderr, /^bench pool: tinypool run × N: skipped: tinypool unavailable: not installed$/m);
    });

    it('not on a terminal: one plain line per finished contender on stderr, no escape codes', () => {
      const { tables } = JSON.parse(run.stdout);
      for (const t of tables) {
        for (const r of t.rows) {
          const lines = run.stderr.split('\n').filter((l) => l.startsWith(`bench pool: ${r.name}: 1 rep, median `));
          assert.ok(lines.length >= 1, `${r.name}\n${run.stderr}`);
        }
      }
      assert.doesNotMatch(run.stderr, /\x1b\[/);
      assert.doesNotMatch(run.stderr, /round \d+\/\d+ done/);
    });

    it('bench compare: ratios between saved runs, a note when the machines differ, contenders in one run only', async () => {
      const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      // The same run against itself: every ratio 1.
      const same = await cli(['bench', 'compare', join(out, 'results.json'), join(out, 'results.json')]);
      assert.equal(same.code, 0, same.stderr);
      assert.doesNotMatch(same.stdout, /machines differ/);
      const rowLines = same.stdout.split('\n').filter((l) => /× {2}(same|better|worse)$/.test(l));
      assert.equal(
        rowLines.length,
        saved.tables.reduce((n, t) => n + t.rows.length, 0),
      );
      for (const l of rowLines) assert.match(l, / 1\.00× {2}same$/);

      // B: every contender twice as good, another machine, one contender gone.
      const b = structuredClone(saved);
      b.machine.cpu = 'Another CPU';
      for (const t of b.tables) for (const r of t.rows) r.median = t.higherIsBetter ? r.median * 2 : r.median / 2;
      b.tables[0].rows.pop();
      const bFile = join(dir, 'b.json');
      writeFileSync(bFile, JSON.stringify(b));
      const cmp = await cli(['bench', 'compare', join(out, 'results.json'), bFile]);
      assert.equal(cmp.code, 0, cmp.stderr);
      assert.match(cmp.stdout, /^note: the machines differ \(cpu .* vs Another CPU\)/m);
      const better = cmp.stdout.split('\n').filter((l) => / 2\.00× {2}better$/.test(l));
      assert.equal(better.length, saved.tables.reduce((n, t) => n + t.rows.length, 0) - 1);
      assert.match(
        cmp.stdout,
        new RegExp(`^${saved.tables[0].rows.at(-1).name.replace(/[()×*+.]/g, '\\$&')} +only in A$`, 'm'),
      );
      const json = JSON.parse((await cli(['bench', 'compare', join(out, 'results.json'), bFile, '--json'])).stdout);
      assert.equal(json.cases.length, 3);
      assert.ok(json.cases.every((c) => c.rows.every((r) => Math.abs(r.ratio - 2) < 1e-9)));
      assert.deepEqual(
        json.machineDiffers.map((d) => d.split(' ')[0]),
        ['cpu'],
      );

      // A quick run against bench/results/pool.json (a full run): no case in common, said in one line.
      const kept = fileURLToPath(new URL('../bench/results/pool.json', import.meta.url));
      assertUsageError(
        await cli(['bench', 'compare', join(out, 'results.json'), kept]),
        /no case in common/,
        'quick vs full',
      );
      // A suite's own document (bench/results/) compares with itself.
      const selfKept = await cli(['bench', 'compare', kept, kept]);
      assert.equal(selfKept.code, 0, selfKept.stderr);
      assert.match(selfKept.stdout, /Per-item tasks: 100,000/);
    });
  });
});
