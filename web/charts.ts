/**
 * Small SVG charts (bars, a line with dots), each followed by a table as its text alternative. A few dozen lines of
 * our own rather than a charting library: the page stays small and has nothing to fetch.
 */
import { grouped } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

function svgEl<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function table(head: string[], rows: (string | number)[][], summary: string): HTMLDetailsElement {
  const details = document.createElement('details');
  const s = document.createElement('summary');
  s.textContent = summary;
  const t = document.createElement('table');
  t.innerHTML = `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = document.createElement('tbody');
  for (const r of rows) {
    const tr = body.insertRow();
    for (const v of r) tr.insertCell().textContent = String(v);
  }
  t.append(body);
  details.append(s, t);
  return details;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' } as Record<string, string>)[c]};`,
  );
}

const compact = (v: number) =>
  (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(2) : +v.toPrecision(4)).toString();

/** Horizontal bars, one per row, labelled on the left and valued on the right. */
export function barChart(
  target: HTMLElement,
  rows: { label: string; value: number; colour?: string }[],
  opts: { name: string; valueName: string; format?: (v: number) => string },
): void {
  const fmt = opts.format ?? ((v: number) => grouped(v));
  const rowH = 20;
  const labelW = Math.min(140, 12 + 7 * Math.max(3, ...rows.map((r) => r.label.length)));
  const width = 420;
  const valueW = 70;
  const max = Math.max(...rows.map((r) => r.value), 1e-300);
  const svg = svgEl('svg', {
    viewBox: `0 0 ${width} ${rows.length * rowH + 4}`,
    width: '100%',
    role: 'img',
    'aria-label': `${opts.name} (bar chart; the table below has the values)`,
  });
  rows.forEach((r, i) => {
    const y = i * rowH + 2;
    const w = ((width - labelW - valueW) * r.value) / max;
    svg.append(
      svgEl(
        'text',
        { x: labelW - 6, y: y + 14, 'text-anchor': 'end' },
        r.label.length > 18 ? `${r.label.slice(0, 17)}…` : r.label,
      ),
    );
    const bar = svgEl('rect', { class: 'bar', x: labelW, y: y + 3, width: Math.max(1, w), height: rowH - 6, rx: 2 });
    if (r.colour) bar.setAttribute('style', `fill:${r.colour}`);
    svg.append(bar, svgEl('text', { x: labelW + w + 5, y: y + 14 }, fmt(r.value)));
  });
  target.replaceChildren(
    svg,
    table(
      [opts.name.split(' ')[0] ?? 'item', opts.valueName],
      rows.map((r) => [r.label, fmt(r.value)]),
      'Values as a table',
    ),
  );
}

/** A line through (x, y) points with dots, x ascending; points can arrive in any order. */
export function lineChart(
  target: HTMLElement,
  points: { x: number; y: number }[],
  opts: { name: string; xName: string; yName: string },
): void {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const width = 420;
  const height = 220;
  const m = { l: 58, r: 12, t: 10, b: 34 };
  const xs = sorted.map((p) => p.x);
  const ys = sorted.map((p) => p.y);
  const x0 = Math.min(...xs, 1);
  const x1 = Math.max(...xs, x0 + 1);
  const y1 = Math.max(...ys, 1e-300);
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (width - m.l - m.r);
  const sy = (y: number) => height - m.b - (y / y1) * (height - m.t - m.b);
  const svg = svgEl('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-label': `${opts.name} (line chart; the table below has the values)`,
  });
  svg.append(
    svgEl('line', { class: 'axis', x1: m.l, y1: height - m.b, x2: width - m.r, y2: height - m.b }),
    svgEl('line', { class: 'axis', x1: m.l, y1: m.t, x2: m.l, y2: height - m.b }),
  );
  for (let t = 0; t <= 4; t++) {
    const v = (y1 * t) / 4;
    svg.append(svgEl('text', { x: m.l - 6, y: sy(v) + 4, 'text-anchor': 'end' }, compact(v)));
  }
  const step = Math.max(1, Math.ceil((x1 - x0) / 10));
  for (let x = Math.ceil(x0); x <= x1; x += step)
    svg.append(svgEl('text', { x: sx(x), y: height - m.b + 16, 'text-anchor': 'middle' }, String(x)));
  svg.append(svgEl('text', { x: (m.l + width - m.r) / 2, y: height - 4, 'text-anchor': 'middle' }, opts.xName));
  if (sorted.length > 1)
    svg.append(
      svgEl('path', {
        class: 'line',
        d: sorted.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(''),
      }),
    );
  for (const p of sorted) svg.append(svgEl('circle', { class: 'dot', cx: sx(p.x), cy: sy(p.y), r: 3.5 }));
  target.replaceChildren(
    svg,
    table(
      [opts.xName, opts.yName],
      sorted.map((p) => [p.x, p.y.toPrecision(7)]),
      'Values as a table',
    ),
  );
}
