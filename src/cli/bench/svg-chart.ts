/**
 * One benchmark case as a static inline SVG: a bar per contender at its median, a min–max whisker, the value and the
 * ratio to the named peer beside it; a log axis when the values span more than 20×. Drawn here rather than by a
 * charting library: the chart is a few dozen elements, must render without a DOM or a browser, and must print in
 * black and white (shades of grey, the baseline hatched, every number also written as text).
 */
import { formatValue, type BenchTable } from './results.js';

const WIDTH = 440;
const LEFT = 14;
const RIGHT = 120; // room for the value and ratio text
const ROW = 34;
const TOP = 8;
const AXIS = 34;

export const escapeXml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as const)[c as '&']};`,
  );

/** Axis numbers, short: 0, 250, 1.5k, 2M. */
function tickLabel(v: number): string {
  const short = (x: number) => String(+x.toPrecision(3));
  if (v >= 1e9) return `${short(v / 1e9)}G`;
  if (v >= 1e6) return `${short(v / 1e6)}M`;
  if (v >= 1e3) return `${short(v / 1e3)}k`;
  return short(v);
}

interface Scale {
  x: (v: number) => number;
  ticks: number[];
  log: boolean;
}

function niceStep(span: number): number {
  const raw = span / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

function scale(lo: number, hi: number): Scale {
  const x0 = LEFT;
  const x1 = WIDTH - RIGHT;
  if (lo > 0 && hi / lo > 20) {
    // One decade below the smallest value at most, so the shortest bar still shows.
    const a = Math.floor(Math.log10(lo / 2));
    const b = Math.ceil(Math.log10(hi));
    const ticks = Array.from({ length: b - a + 1 }, (_, i) => 10 ** (a + i));
    return { x: (v) => x0 + ((Math.log10(Math.max(v, 10 ** a)) - a) / (b - a || 1)) * (x1 - x0), ticks, log: true };
  }
  const step = niceStep(hi || 1);
  const top = Math.ceil((hi || 1) / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return { x: (v) => x0 + (v / top) * (x1 - x0), ticks, log: false };
}

/** The chart of one table; `id` keeps the hatch pattern's id unique in the page. */
export function chartSvg(t: BenchTable, id: string): string {
  const rows = t.rows.filter((r) => Number.isFinite(r.median) && r.median > 0);
  const height = TOP + rows.length * ROW + AXIS;
  const lo = Math.min(...rows.map((r) => Math.min(r.min, r.median)));
  const hi = Math.max(...rows.map((r) => Math.max(r.max, r.median)));
  const s = scale(lo, hi);
  const base = s.x(s.log ? s.ticks[0]! : 0);
  const out: string[] = [];
  const label = `${t.title}: median ${t.unit} per contender (${t.higherIsBetter ? 'higher' : 'lower'} is better)${s.log ? ', log scale' : ''}`;
  out.push(
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(label)}" xmlns="http://www.w3.org/2000/svg">`,
  );
  out.push(
    `<defs><pattern id="hatch-${id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2"/></pattern></defs>`,
  );
  const axisY = TOP + rows.length * ROW + 4;
  for (const tick of s.ticks) {
    const x = s.x(tick).toFixed(1);
    out.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${axisY}" stroke="#bbb" stroke-width="0.6"/>`);
    out.push(`<text x="${x}" y="${axisY + 12}" text-anchor="middle" class="tick">${escapeXml(tickLabel(tick))}</text>`);
  }
  out.push(
    `<text x="${LEFT}" y="${axisY + 27}" class="axis">${escapeXml(`${t.unit}${s.log ? ' (log scale)' : ''}, ${t.higherIsBetter ? 'higher' : 'lower'} is better; whiskers: min–max`)}</text>`,
  );
  rows.forEach((r, i) => {
    const y = TOP + i * ROW;
    const isBase = r.name === t.baseline;
    const fill = isBase ? `url(#hatch-${id})` : r.name.startsWith('poolkit') ? '#444' : '#bbb';
    const x = s.x(r.median);
    out.push(`<text x="${LEFT}" y="${y + 11}" class="name">${escapeXml(r.name)}${isBase ? ' (baseline)' : ''}</text>`);
    out.push(
      `<rect x="${base.toFixed(1)}" y="${y + 15}" width="${Math.max(1, x - base).toFixed(1)}" height="12" fill="${fill}" stroke="#000" stroke-width="0.8"/>`,
    );
    const w0 = s.x(r.min).toFixed(1);
    const w1 = s.x(r.max).toFixed(1);
    const wy = y + 21;
    out.push(
      `<path d="M${w0} ${wy}H${w1}M${w0} ${wy - 4}V${wy + 4}M${w1} ${wy - 4}V${wy + 4}" stroke="#000" stroke-width="1.2" fill="none"/>`,
    );
    const ratio = r.ratio === null ? '' : isBase ? ' · 1.00×' : ` · ${r.ratio.toFixed(2)}×`;
    out.push(
      `<text x="${(Math.max(x, Number(w1)) + 5).toFixed(1)}" y="${wy + 4}" class="value">${escapeXml(`${formatValue(r.median)}${ratio}`)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}
