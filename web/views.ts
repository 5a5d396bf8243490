/** Renders each task's result into its panel: summary numbers, charts, downloads. */
import type { ClustersResult, ColoursResult, CompareRow, ElbowPoint, WordsResult } from './protocol.js';
import { barChart, lineChart } from './charts.js';
import { clusterColour } from './scatter.js';
import { ScatterView } from './scatter-view.js';
import { grouped } from './format.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const urls = new Map<string, string>();
let scatter: ScatterView | undefined;

/** Points link `id` at a fresh object URL for `blob`, releasing the one it had. */
function link(id: string, blob: Blob): void {
  const old = urls.get(id);
  if (old) URL.revokeObjectURL(old);
  const url = URL.createObjectURL(blob);
  urls.set(id, url);
  $<HTMLAnchorElement>(id).href = url;
}

/** Summary numbers; each `dd` keeps the exact value in data-value for scripts, the text is rounded for people. */
function summary(
  id: string,
  items: [key: string, label: string, value: string | number | boolean, shown?: string][],
): void {
  $(id).replaceChildren(
    ...items.map(([key, label, value, shown]) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = label;
      dd.textContent = shown ?? String(value);
      dd.dataset.key = key;
      dd.dataset.value = String(value);
      div.append(dt, dd);
      return div;
    }),
  );
}

const show = (panel: string) =>
  $(panel)
    .querySelectorAll<HTMLElement>('[hidden]')
    .forEach((e) => {
      if (!e.classList.contains('keep-hidden')) e.hidden = false;
    });
const secs = (s: number) => (s < 0.1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);

export function showClusters(r: ClustersResult): void {
  const j = r.json;
  show('panel-clusters');
  $('elbow-card').hidden = $('elbow-chart').childElementCount === 0;
  summary('clusters-summary', [
    ['n', 'Points', j.n, grouped(j.n)],
    ['dims', 'Dimensions', j.dims],
    ['k', 'k', j.k],
    ['inertia', 'Inertia', j.inertia, j.inertia.toPrecision(7)],
    ['iterations', 'Iterations', j.iterations],
    ['converged', 'Converged', j.converged, j.converged ? 'yes' : 'no'],
    ['seconds', 'Time', j.seconds, secs(j.seconds)],
    ['backend', 'Backend', j.backend],
    ['threads', 'Threads', j.threads, j.threads === 0 ? 'GPU' : String(j.threads)],
  ]);
  link('clusters-json', new Blob([JSON.stringify(j, null, 2)], { type: 'application/json' }));
  link('clusters-labels', r.labelsCsv);
  link('clusters-centroids', r.centroidsCsv);
  $('scatter-caption').textContent =
    `${grouped(j.n)} points: ${r.axes[0]} against ${r.axes[1]}, coloured by cluster; rings mark centroids`;
  scatter ??= new ScatterView($<HTMLCanvasElement>('scatter'));
  scatter.show({ xy: r.xy, labels: r.labels, centroids: r.centroidXY, axes: r.axes });
  $('legend').replaceChildren(
    ...r.sizes.map((s, c) => {
      const span = document.createElement('span');
      span.style.setProperty('--c', clusterColour(c));
      span.textContent = `cluster ${c}: ${grouped(s)}`;
      return span;
    }),
  );
  barChart(
    $('sizes-chart'),
    r.sizes.map((s, c) => ({ label: `cluster ${c}`, value: s, colour: clusterColour(c) })),
    { name: 'Cluster sizes', valueName: 'points' },
  );
}

export function showElbow(points: ElbowPoint[]): void {
  $('elbow-card').hidden = false;
  lineChart(
    $('elbow-chart'),
    points.map((p) => ({ x: p.k, y: p.inertia })),
    { name: 'Elbow chart', xName: 'k', yName: 'inertia' },
  );
}

export function showColours(r: ColoursResult): void {
  show('panel-colours');
  summary('colours-summary', [
    ['k', 'Colours', r.k, r.k < r.distinctColours ? String(r.k) : `${r.k} (all distinct)`],
    ['distinct', 'Distinct in image', r.distinctColours, grouped(r.distinctColours)],
    ['space', 'Colour space', r.space, r.space === 'oklab' ? 'Oklab' : 'sRGB'],
    ['psnr', 'PSNR', r.psnr, `${r.psnr.toFixed(2)} dB`],
    ['deltaE', 'Mean ΔE (Oklab)', r.deltaE, r.deltaE.toFixed(2)],
    ['iterations', 'Iterations', r.iterations],
    ['seconds', 'Time', r.seconds, secs(r.seconds)],
    ['backend', 'Backend', r.backend],
    ['threads', 'Threads', r.threads],
  ]);
  const { original, quantized, ...meta } = r;
  link('colours-png', quantized);
  link('colours-json', new Blob([JSON.stringify(paletteJson(meta), null, 2)], { type: 'application/json' }));
  link('img-original', original);
  link('img-quantized', quantized);
  $<HTMLImageElement>('img-original').src = urls.get('img-original')!;
  $<HTMLImageElement>('img-quantized').src = urls.get('img-quantized')!;
  $('palette').replaceChildren(
    ...r.palette.map((p) => {
      const d = document.createElement('div');
      d.className = 'swatch';
      d.innerHTML = `<i style="background:${p.hex}"></i><span><code>${p.hex}</code><br>${(100 * p.share).toFixed(1)} %</span>`;
      return d;
    }),
  );
}

/** The palette download: the colours with their shares and the quality numbers. */
export function paletteJson(r: Omit<ColoursResult, 'original' | 'quantized'>) {
  return {
    k: r.k,
    space: r.space,
    width: r.width,
    height: r.height,
    psnr: r.psnr,
    deltaE: r.deltaE,
    iterations: r.iterations,
    converged: r.converged,
    backend: r.backend,
    seconds: r.seconds,
    palette: r.palette,
  };
}

export function showWords(r: WordsResult): void {
  show('panel-words');
  const j = r.json;
  const mbps = j.bytes / 1e6 / j.seconds;
  summary('words-summary', [
    ['total', 'Words', j.total, grouped(j.total)],
    ['unique', 'Unique', j.unique, grouped(j.unique)],
    ['bytes', 'Bytes', j.bytes, `${(j.bytes / 1e6).toFixed(1)} MB`],
    ['seconds', 'Time', j.seconds, secs(j.seconds)],
    ['throughput', 'Throughput', mbps, `${mbps.toFixed(0)} MB/s`],
    ['backend', 'Backend', r.backend],
    ['threads', 'Threads', r.threads],
  ]);
  link('words-json', new Blob([JSON.stringify(j, null, 2)], { type: 'application/json' }));
  barChart(
    $('top-chart'),
    j.top.map(([w, c]) => ({ label: w, value: c })),
    { name: 'Word counts', valueName: 'count' },
  );
}

export function addCompareRow(row: CompareRow): void {
  $('compare-card').hidden = false;
  const tr = $<HTMLTableSectionElement>('compare-rows').insertRow();
  for (const v of [row.backend, row.threads === 0 ? 'GPU' : row.threads, row.seconds.toFixed(3), row.value, row.agrees])
    tr.insertCell().textContent = String(v);
}
