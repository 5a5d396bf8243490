/** The analytics page: tabs, controls, URL-hash parameters, file choice and drop; work goes to the job worker. */
import { JobClient } from './client.js';
import type { Backend, ElbowPoint, FromWorker, Input, Job, Phase, Task } from './protocol.js';
import { PARAMS, readHash, writeHash } from './hash-params.js';
import { addCompareRow, showClusters, showColours, showElbow, showWords } from './views.js';
import { grouped } from './format.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const TASKS: Task[] = ['clusters', 'colours', 'words'];
const SAMPLES: Record<Task, string> = {
  clusters: 'seeded blobs (20 000 points, 5 clusters)',
  colours: 'a generated 320 × 200 sunset',
  words: '2 MB of Zipf-distributed words',
};
const ACCEPT: Record<Task, string> = {
  clusters: '.csv,.tsv,.txt,.npy',
  colours: 'image/png,image/jpeg,image/webp',
  words: '',
};
const PHASES: Record<Phase, string> = {
  reading: 'Reading',
  parsing: 'Parsing',
  decoding: 'Decoding',
  iterating: 'Iterating',
  counting: 'Counting',
  elbow: 'Elbow',
};

const client = new JobClient();
/** When Cancel (or Esc) was pressed for the running job; the page reports how long stopping took. */
let cancelAt: number | null = null;
const files: Record<Task, File | null> = { clusters: null, colours: null, words: null };
let task: Task = 'clusters';
const available = new Set<Backend>(['auto', 'wasm', 'js']);
const reasons = new Map<Backend, string>();
let gpuReady: Promise<void>;
const isolated = globalThis.crossOriginIsolated === true;
const cores = navigator.hardwareConcurrency || 1;

/** Reads the hash's parameters into the controls, and its task. */
function readParams(): void {
  task = readHash(TASKS) ?? task;
}

const writeParams = () => writeHash(task);

function num(id: string, name: string, min: number, max: number): number {
  const raw = $<HTMLInputElement>(id).value;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min || v > max)
    throw new Error(`${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return v;
}

function selectTab(next: Task, focus = false): void {
  task = next;
  for (const t of TASKS) {
    const tab = $(`tab-${t}`);
    tab.setAttribute('aria-selected', String(t === task));
    tab.tabIndex = t === task ? 0 : -1;
    $(`panel-${t}`).hidden = t !== task;
    if (t === task && focus) tab.focus();
  }
  document.querySelectorAll<HTMLElement>('[data-for]').forEach((e) => {
    e.hidden = e.dataset.for !== task;
  });
  const input = $<HTMLInputElement>('file');
  input.value = '';
  input.accept = ACCEPT[task];
  $('compare-card').hidden = true;
  updateFileHint();
  updateBackends();
  writeParams();
}

function updateFileHint(): void {
  const f = files[task];
  $('file-hint').textContent = f
    ? `using ${f.name} (${(f.size / 1e6).toFixed(1)} MB) · choose or drop another to replace it`
    : `or drop one anywhere on the page · without a file: the sample, ${SAMPLES[task]}`;
  $('use-sample').hidden = !f;
}

function updateBackends(): void {
  const select = $<HTMLSelectElement>('backend');
  const notes: string[] = [];
  for (const o of Array.from(select.options)) {
    const b = o.value as Backend;
    let why = reasons.get(b);
    if (task === 'words' && b === 'webgpu') why = 'there is no WebGPU word count';
    o.disabled = why !== undefined;
    o.textContent = `${{ auto: 'auto', webgpu: 'WebGPU', wasm: isolated ? 'wasm threads' : 'wasm (1 thread)', js: 'js' }[b]}${why ? ' — unavailable' : ''}`;
    if (why) notes.push(`${b === 'webgpu' ? 'WebGPU' : b}: ${why}`);
  }
  if (select.selectedOptions[0]?.disabled) select.value = 'auto';
  if (!isolated)
    notes.push(
      'wasm runs on one thread: this page is not cross-origin isolated (serve it with COOP/COEP, as poolkit serve does)',
    );
  $('backend-notes').textContent = notes.join(' · ');
}

function backendsToCompare(): Backend[] {
  return (['js', 'wasm', 'webgpu'] as Backend[]).filter(
    (b) => available.has(b) && !(task === 'words' && b === 'webgpu'),
  );
}

function buildJob(mode: 'run' | 'elbow' | 'compare'): Job {
  const input: Input = files[task] ? { kind: 'file', file: files[task]! } : { kind: 'sample' };
  const backend = $<HTMLSelectElement>('backend').value as Backend;
  const threads = num('threads', 'Threads', 1, 256);
  const backends = mode === 'compare' ? backendsToCompare() : undefined;
  if (task === 'clusters') {
    const params = {
      k: num('k', 'k', 1, 10_000),
      seed: num('seed', 'Seed', 0, 2 ** 31),
      nInit: num('ninit', 'n_init', 1, 1000),
      maxIter: num('maxiter', 'max_iter', 1, 100_000),
      backend,
      threads,
      x: Number($<HTMLSelectElement>('axis-x').value),
      y: Number($<HTMLSelectElement>('axis-y').value),
    };
    return { task, params, input, mode, backends };
  }
  if (task === 'colours')
    return {
      task,
      params: {
        k: num('colours', 'Colours', 2, 256),
        space: $<HTMLSelectElement>('space').value as 'srgb' | 'oklab',
        backend,
        threads,
      },
      input,
      mode: mode === 'compare' ? 'compare' : 'run',
      backends,
    };
  return {
    task,
    params: { top: num('top', 'Top', 1, 100_000), backend, threads },
    input,
    mode: mode === 'compare' ? 'compare' : 'run',
    backends,
  };
}

const status = (text: string) => {
  $('status').textContent = text;
};

function showError(message: string | null): void {
  const e = $('error');
  e.hidden = message === null;
  e.textContent = message ?? '';
}

function setBusy(busy: boolean): void {
  for (const id of ['run', 'compare', 'elbow']) $<HTMLButtonElement>(id).disabled = busy;
  $<HTMLButtonElement>('cancel').disabled = !busy;
  document.body.setAttribute('aria-busy', String(busy));
}

const bars = new Map<Phase, { bar: HTMLProgressElement; detail: HTMLElement }>();

function progress(phase: Phase, fraction: number | null, detail: string): void {
  let row = bars.get(phase);
  if (!row) {
    const label = document.createElement('span');
    label.textContent = PHASES[phase];
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.setAttribute('aria-label', `${PHASES[phase]} progress`);
    const d = document.createElement('span');
    d.className = 'detail';
    $('progress').append(label, bar, d);
    row = { bar, detail: d };
    // Earlier phases are complete once a later one starts.
    for (const other of bars.values()) other.bar.value = 1;
    bars.set(phase, row);
    status(`${PHASES[phase]}…`);
  }
  if (fraction === null) row.bar.removeAttribute('value');
  else row.bar.value = Math.min(1, fraction);
  row.detail.textContent = detail;
}

async function start(mode: 'run' | 'elbow' | 'compare'): Promise<void> {
  if (client.busy) return;
  showError(null);
  let job: Job;
  try {
    job = buildJob(mode);
  } catch (e) {
    showError((e as Error).message);
    return;
  }
  writeParams();
  bars.clear();
  $('progress').replaceChildren();
  if (mode === 'compare') {
    $('compare-rows').replaceChildren();
    if (job.backends!.length < 2)
      status(`Only ${job.backends!.join(', ')} is available here: nothing to compare with.`);
  }
  const elbow: ElbowPoint[] = [];
  const source = files[task]?.name ?? `the sample (${SAMPLES[task]})`;
  const what =
    mode === 'elbow'
      ? 'Elbow chart'
      : mode === 'compare'
        ? `Comparing ${job.backends!.join(', ')}`
        : { clusters: 'k-means', colours: 'Quantizing', words: 'Counting words' }[task];
  status(`${what} on ${source}: started.`);
  cancelAt = null;
  setBusy(true);
  const t0 = performance.now();
  let failure = '';
  const how = await client.run(job, (m: FromWorker) => {
    if (m.type === 'progress') progress(m.phase, m.fraction, m.detail);
    else if (m.type === 'elbow') {
      elbow.push(m.point);
      showElbow(elbow);
    } else if (m.type === 'compare') addCompareRow(m.row);
    else if (m.type === 'result') {
      if (m.result.task === 'clusters') {
        showClusters(m.result);
        setAxes(m.result.json.dims, m.result.header);
      } else if (m.result.task === 'colours') showColours(m.result);
      else showWords(m.result);
      status(`Done in ${((performance.now() - t0) / 1000).toFixed(2)} s: ${summaryLine(m.result)}`);
    } else if (m.type === 'error') failure = m.message;
  });
  setBusy(false);
  for (const { bar } of bars.values()) if (how === 'done') bar.value = 1;
  const secs = ((performance.now() - t0) / 1000).toFixed(2);
  if (how === 'cancelled') {
    const stopMs = cancelAt === null ? 0 : performance.now() - cancelAt;
    document.body.dataset.cancelMs = stopMs.toFixed(1);
    const kept = mode === 'elbow' ? `; ${elbow.length} elbow point${elbow.length === 1 ? '' : 's'} kept` : '';
    status(`Cancelled after ${secs} s (stopped ${stopMs.toFixed(0)} ms after Cancel)${kept}.`);
  } else if (how === 'error') {
    showError(failure);
    status(`Failed after ${secs} s: ${failure}`);
  } else if (mode !== 'run') status(`Done in ${secs} s.`);
}

function summaryLine(
  r:
    | import('./protocol.js').ClustersResult
    | import('./protocol.js').ColoursResult
    | import('./protocol.js').WordsResult,
): string {
  if (r.task === 'clusters')
    return `inertia ${r.json.inertia.toPrecision(7)} after ${r.json.iterations} iterations on ${r.json.backend}.`;
  if (r.task === 'colours') return `${r.k} colours, PSNR ${r.psnr.toFixed(2)} dB, mean ΔE ${r.deltaE.toFixed(2)}.`;
  return `${grouped(r.json.total)} words, ${grouped(r.json.unique)} unique.`;
}

function setAxes(dims: number, header: string[] | null): void {
  for (const id of ['axis-x', 'axis-y']) {
    const s = $<HTMLSelectElement>(id);
    const keep = s.value;
    s.replaceChildren(
      new Option(dims > 2 ? 'principal components' : 'automatic', '-1'),
      ...Array.from({ length: dims }, (_, j) => new Option(header?.[j] ?? `column ${j + 1}`, String(j))),
    );
    s.value = Array.from(s.options).some((o) => o.value === keep) ? keep : '-1';
  }
}

function useFile(f: File | undefined): void {
  if (!f) return;
  files[task] = f;
  updateFileHint();
  status(`Chosen: ${f.name}. Press Run.`);
}

async function detectGpu(): Promise<void> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) reasons.set('webgpu', 'this browser has no WebGPU (navigator.gpu is missing)');
  else {
    try {
      const adapter = await gpu.requestAdapter();
      if (adapter) available.add('webgpu');
      else reasons.set('webgpu', 'no WebGPU adapter on this device');
    } catch (e) {
      reasons.set('webgpu', `WebGPU failed: ${(e as Error).message}`);
    }
  }
  updateBackends();
  const env = $('env');
  env.innerHTML = '';
  const badge = (text: string, warn = false) => {
    const b = document.createElement('span');
    b.className = warn ? 'badge warn' : 'badge';
    b.textContent = text;
    env.append(b);
  };
  if (isolated) badge(`wasm threads: ${cores} cores`);
  else badge('single-threaded: this page is not cross-origin isolated', true);
  badge(available.has('webgpu') ? 'WebGPU available' : 'no WebGPU', !available.has('webgpu'));
  badge('offline: nothing leaves this tab');
  env.dataset.ready = 'true';
}

function init(): void {
  const threads = $<HTMLInputElement>('threads');
  threads.value = String(isolated ? cores : 1);
  threads.max = String(isolated ? Math.max(cores, 1) : 1);
  threads.disabled = !isolated;
  if (!isolated) threads.title = 'one thread: the page is not cross-origin isolated';
  setAxes(2, null);
  readParams();
  if (!isolated) threads.value = '1';
  for (const t of TASKS) $(`tab-${t}`).addEventListener('click', () => selectTab(t));
  $('tab-clusters').parentElement!.addEventListener('keydown', (e) => {
    const i = TASKS.indexOf(task);
    if (e.key === 'ArrowRight') selectTab(TASKS[(i + 1) % 3]!, true);
    else if (e.key === 'ArrowLeft') selectTab(TASKS[(i + 2) % 3]!, true);
  });
  $('run').addEventListener('click', () => void start('run'));
  $('elbow').addEventListener('click', () => void start('elbow'));
  $('compare').addEventListener('click', () => void start('compare'));
  const cancel = () => {
    if (!client.busy) return;
    cancelAt ??= performance.now();
    void client.cancel();
  };
  $('cancel').addEventListener('click', cancel);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') cancel();
  });
  $('use-sample').addEventListener('click', () => {
    files[task] = null;
    $<HTMLInputElement>('file').value = '';
    updateFileHint();
    status(`Using the sample: ${SAMPLES[task]}. Press Run.`);
  });
  $<HTMLInputElement>('file').addEventListener('change', (e) => useFile((e.target as HTMLInputElement).files?.[0]));
  for (const p of PARAMS) $(p).addEventListener('change', writeParams);
  window.addEventListener('hashchange', () => {
    readParams();
    selectTab(task);
  });
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    useFile(e.dataTransfer?.files[0]);
  });
  $<HTMLInputElement>('split').addEventListener('input', (e) => {
    const v = (e.target as HTMLInputElement).value;
    $('after').style.clipPath = `inset(0 0 0 ${v}%)`;
    $('before-after').style.setProperty('--split', `${v}%`);
  });
  // The longest main-thread task, for the "page never freezes" check.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        document.body.dataset.longestTask = String(
          Math.max(Number(document.body.dataset.longestTask ?? 0), e.duration),
        );
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no long-task timing here */
  }
  selectTab(task);
  gpuReady = detectGpu();
  void gpuReady;
}

init();
