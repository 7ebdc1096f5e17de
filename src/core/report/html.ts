import { formatTick, niceTicks, timeTicks } from './axis.js';

/**
 * Small pieces of self-contained HTML: escaping, tables, a heatmap cell colour and an inline SVG
 * line chart. No scripts, no external resources, so a report opens offline and from a mail attachment.
 */

/** Escape text for element content and double- or single-quoted attribute values. */
export function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A number for display: fixed digits, or an en dash for null/NaN/non-numbers. */
export function fmt(x: unknown, digits = 3): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/** A p-value or other possibly tiny number: fixed when readable, exponent below 0.001. */
export function fmtP(x: unknown): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  return x !== 0 && Math.abs(x) < 0.001 ? x.toExponential(2) : x.toFixed(4);
}

/** A cell: plain text (escaped) or trusted HTML built by these helpers. */
export type Cell = string | number | null | { html: string; style?: string; cls?: string };

function cell(c: Cell, tag: 'td' | 'th'): string {
  if (c !== null && typeof c === 'object') {
    const style = c.style === undefined ? '' : ` style="${esc(c.style)}"`;
    const cls = c.cls === undefined ? '' : ` class="${esc(c.cls)}"`;
    return `<${tag}${cls}${style}>${c.html}</${tag}>`;
  }
  return `<${tag}>${c === null ? '–' : esc(c)}</${tag}>`;
}

/** An HTML table with a header row; every text cell is escaped. */
export function htmlTable(columns: string[], rows: Cell[][], opts: { cls?: string; caption?: string } = {}): string {
  const caption = opts.caption === undefined ? '' : `<caption>${esc(opts.caption)}</caption>`;
  const head = `<thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>`;
  return `<table${opts.cls === undefined ? '' : ` class="${esc(opts.cls)}"`}>${caption}${head}${body}</table>`;
}

/** Background for a heatmap cell with intensity in [0, 1]: white → blue, text switches to white when dark. */
export function heatStyle(v: number): string {
  const t = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * t);
  return `background:rgb(${mix(255, 8)},${mix(255, 81)},${mix(255, 156)});color:${t > 0.55 ? '#fff' : '#000'}`;
}

/** Options of svgLines. */
export interface SvgLinesOptions {
  title: string;
  width?: number;
  height?: number;
  /** Axis titles: what y measures (with its unit) and what x is. */
  yLabel: string;
  xLabel?: string;
  /**
   * Dashed horizontal reference lines (e.g. signal thresholds), labelled at the right, always inside
   * the y range; `fromIndex` starts a line at that point (a threshold used only from there on).
   */
  hlines?: { value: number; label: string; fromIndex?: number }[];
  /** Epoch ms of each point (same length as the series): dates on the x axis at calendar boundaries. */
  times?: ArrayLike<number>;
  /** Show y ticks as percentages of 1 (0.05 → 5%). */
  yPercent?: boolean;
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

/**
 * An inline SVG line chart of one or more series drawn by point index (bars skip nights, so index
 * spacing keeps sessions contiguous): y grid lines and labels at 1-2-5 ticks, dates at day, week or
 * month starts with vertical grid lines, axis titles, a legend, optional dashed reference lines.
 */
export function svgLines(series: { name: string; values: ArrayLike<number> }[], opts: SvgLinesOptions): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 280;
  const hl = (opts.hlines ?? []).filter((h) => Number.isFinite(h.value));
  const pad = { l: 72, r: hl.length === 0 ? 16 : 150, t: 28, b: 52 };
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const s of series) {
    n = Math.max(n, s.values.length);
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i] as number;
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo === Infinity) return `<p class="muted">${esc(opts.title)}: no data</p>`;
  for (const h of hl) {
    lo = Math.min(lo, h.value);
    hi = Math.max(hi, h.value);
  }
  const y = niceTicks(lo, hi, 6);
  const x0 = pad.l;
  const x1 = W - pad.r;
  const yTop = pad.t;
  const yBot = H - pad.b;
  const xAt = (i: number): number => x0 + (n <= 1 ? 0 : (i / (n - 1)) * (x1 - x0));
  const yAt = (v: number): number => yTop + ((y.hi - v) / (y.hi - y.lo)) * (yBot - yTop);
  const parts: string[] = [];
  const yDecimals = opts.yPercent === true ? Math.max(0, y.decimals - 2) : y.decimals;
  for (const v of y.ticks) {
    const py = yAt(v).toFixed(1);
    const label = opts.yPercent === true ? `${formatTick(v * 100, yDecimals)}%` : formatTick(v, yDecimals);
    parts.push(`<line x1="${x0}" y1="${py}" x2="${x1}" y2="${py}" stroke="${v === 0 ? '#bbb' : '#eee'}"/>`,
      `<text x="${x0 - 6}" y="${(Number(py) + 4).toFixed(1)}" font-size="11" text-anchor="end">${esc(label)}</text>`);
  }
  if (opts.times !== undefined && opts.times.length === n) {
    const { ticks } = timeTicks(opts.times, Math.max(2, Math.floor((x1 - x0) / 95)));
    for (const t of ticks) {
      const px = xAt(t.index).toFixed(1);
      parts.push(`<line x1="${px}" y1="${yTop}" x2="${px}" y2="${yBot}" stroke="#eee"/>`,
        `<line x1="${px}" y1="${yBot}" x2="${px}" y2="${yBot + 4}" stroke="#999"/>`,
        `<text x="${px}" y="${yBot + 16}" font-size="11" text-anchor="middle">${esc(t.label)}</text>`);
    }
  }
  parts.push(`<line x1="${x0}" y1="${yBot}" x2="${x1}" y2="${yBot}" stroke="#999"/>`, `<line x1="${x0}" y1="${yTop}" x2="${x0}" y2="${yBot}" stroke="#999"/>`);
  for (const h of hl) {
    const py = yAt(h.value).toFixed(1);
    const from = h.fromIndex === undefined ? x0 : xAt(Math.min(Math.max(0, h.fromIndex), Math.max(0, n - 1)));
    parts.push(`<line x1="${from.toFixed(1)}" y1="${py}" x2="${x1}" y2="${py}" stroke="#555" stroke-dasharray="5 3"/>`,
      `<text x="${x1 + 6}" y="${(Number(py) + 4).toFixed(1)}" font-size="11">${esc(h.label)}</text>`);
  }
  series.forEach((s, k) => {
    const m = s.values.length;
    const step = Math.max(1, Math.floor(m / 1500));
    const pts: string[] = [];
    for (let i = 0; i < m; i += step) {
      const v = s.values[i] as number;
      if (Number.isFinite(v)) pts.push(`${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`);
    }
    parts.push(`<polyline fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="1.5" points="${pts.join(' ')}"/>`);
  });
  const legend = series.map((s, k) => `<tspan fill="${COLOURS[k % COLOURS.length]}">■ ${esc(s.name)}</tspan>`).join(' ');
  const midY = ((yTop + yBot) / 2).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.title)}">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${x0}" y="17" font-size="12"><tspan font-weight="600">${esc(opts.title)}</tspan> ${legend}</text>` +
    parts.join('') +
    `<text x="16" y="${midY}" font-size="11" text-anchor="middle" transform="rotate(-90 16 ${midY})">${esc(opts.yLabel)}</text>` +
    `<text x="${((x0 + x1) / 2).toFixed(1)}" y="${H - 8}" font-size="11" text-anchor="middle">${esc(opts.xLabel ?? (opts.times === undefined ? 'point' : 'time (UTC)'))}</text>` +
    '</svg>';
}

const CSS = `body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}
.drift{background:#fbd5d5}.ok{background:#d9f2d9}.muted{color:#777}.mono{font-family:ui-monospace,monospace;font-size:12px}
.heat td{width:56px;text-align:center}nav a{margin-right:12px}svg{margin:4px 8px 4px 0;vertical-align:top}`;

/** A complete HTML document with inline CSS; `body` is trusted HTML built with these helpers. */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(title)}</title><style>${CSS}</style></head><body>\n${body}\n</body></html>\n`;
}
