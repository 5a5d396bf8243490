/**
 * report.html: one self-contained page for a benchmark run (inline CSS and SVG, no script, no external request; a
 * Content-Security-Policy that forbids any). Machine info, the command that reproduces the run, and per case a chart
 * beside its table; one column on a phone, two from 1000 px; black-and-white friendly in print.
 */
import type { MachineInfo } from '../machine.js';
import { formatMachine } from '../machine.js';
import { chartSvg, escapeXml as esc } from './svg-chart.js';
import { formatValue, type BenchTable, type ResultsFile } from './results.js';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; background: #fff; margin: 0 auto; padding: 16px; max-width: 1240px; }
h1 { font-size: 1.5em; margin: 0 0 4px; }
h2 { font-size: 1.1em; margin: 0 0 8px; }
h3 { font-size: 1em; margin: 0 0 8px; }
pre, code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f3f3f3; border: 1px solid #999; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.case { border-top: 2px solid #000; padding: 14px 0 18px; break-inside: avoid; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; align-items: start; }
@media (min-width: 1000px) { .pair { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.chart { width: 100%; max-width: 620px; height: auto; display: block; }
.chart .name { font-size: 11px; fill: #000; }
.chart .value { font-size: 10.5px; fill: #000; font-variant-numeric: tabular-nums; }
.chart .tick, .chart .axis { font-size: 9.5px; fill: #333; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #999; padding: 4px 6px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
thead th { border-bottom: 2px solid #000; }
td.skip { text-align: left; white-space: normal; font-style: italic; }
caption { text-align: left; caption-side: top; padding-bottom: 4px; color: #444; }
}
.muted { color: #444; }
dl.machine { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0; }
dl.machine dt { font-weight: 600; }
dl.machine dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 600px) {
  body { padding: 10px; }
  table { font-size: 13px; }
  th, td { padding: 3px 4px; }
  dl.machine { grid-template-columns: minmax(0, 1fr); }
  dl.machine dd { margin-bottom: 4px; }
  .chart .name { font-size: 13px; }
  .chart .value { font-size: 12px; }
  .chart .tick, .chart .axis { font-size: 11px; }
@media print { body { padding: 0; font-size: 11pt; } pre { background: #fff; } a { color: #000; } }
`;

function table(t: BenchTable): string {
  const caption = `<caption>${esc(`${t.unit}; ratio to ${t.baseline ?? 'no baseline'}`)}</caption>`;
  const head = `${caption}<thead><tr><th scope="col">contender</th><th scope="col">median</th><th scope="col">min</th><th scope="col">max</th><th scope="col">ratio</th><th scope="col">reps</th></tr></thead>`;
  const rows = t.rows.map(
    (r) =>
      `<tr><td>${esc(r.name)}${r.name === t.baseline ? ' <span class="muted">(baseline)</span>' : ''}</td><td>${esc(formatValue(r.median))}</td><td>${esc(formatValue(r.min))}</td><td>${esc(formatValue(r.max))}</td><td>${r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`}</td><td>${r.seconds?.length ?? '-'}</td></tr>`,
  );
  const skipped = t.skipped.map(
    (s) => `<tr><td>${esc(s.name)}</td><td class="skip" colspan="5">skipped: ${esc(s.reason)}</td></tr>`,
  );
  return `<div class="scroll"><table>${head}<tbody>${[...rows, ...skipped].join('')}</tbody></table></div>`;
}

function machine(m: MachineInfo): string {
  const lines = formatMachine(m)
    .split('\n')
    .map((l) => /^(\S(?:.*?\S)?)\s{2,}(.*)$/.exec(l) ?? [l, l, '']);
  return `<dl class="machine">${lines.map(([, k, v]) => `<dt>${esc(k!)}</dt><dd>${esc(v!)}</dd>`).join('')}</dl>`;
}

/** The whole page. */
export function reportHtml(results: ResultsFile): string {
  const suites = [...new Set(results.suites.map((s) => s.suite))].join(', ');
  const notRun = results.suites.filter((s) => s.status !== 'ok');
  const cases = results.tables.map((t, i) => {
    const direction = `${t.higherIsBetter ? 'higher' : 'lower'} is better; ratio to ${t.baseline ?? 'no baseline'}, > 1 means better`;
    return `<section class="case"><h2>${esc(t.title)}</h2><p class="muted">${esc(`bench ${t.suite}: ${direction}`)}</p><div class="pair"><figure style="margin:0">${chartSvg(t, String(i))}</figure>${table(t)}</div></section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>poolkit bench ${esc(suites)}: ${esc(results.date)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>poolkit bench: ${esc(suites)}</h1>
<p class="muted">poolkit ${esc(results.poolkit)}, ${esc(results.date)}. Every contender ran in this one run on the same data, interleaved, after a warm-up; bars are medians, whiskers min–max.</p>
<h3>Reproduce</h3>
<pre><code>${esc(results.command)}</code></pre>
${notRun.length ? `<h3>Not run</h3><ul>${notRun.map((s) => `<li>${esc(s.suite)}: ${esc(s.status)}: ${esc(s.reason ?? '')}</li>`).join('')}</ul>` : ''}
<details open><summary><strong>Machine</strong></summary>${machine(results.machine)}</details>
</header>
<main>
${cases.join('\n') || '<p>No case was measured.</p>'}
</main>
</body>
</html>
`;
}
