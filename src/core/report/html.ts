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
  /** Dashed horizontal reference lines (e.g. signal thresholds), labelled at the right; always inside the y range. */
  hlines?: { value: number; label: string }[];
  /** Labels under the first and the last x position (e.g. the first and last timestamp). */
  xLabels?: [string, string];
}

/** An inline SVG line chart of one or more series (indices on x), with its min and max labelled. */
export function svgLines(series: { name: string; values: ArrayLike<number> }[], opts: SvgLinesOptions): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 240;
  const pad = { l: 64, r: opts.hlines === undefined ? 12 : 96, t: 24, b: 28 };
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i] as number;
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo === Infinity) return `<p class="muted">${esc(opts.title)}: no data</p>`;
  for (const h of opts.hlines ?? []) {
    if (Number.isFinite(h.value)) {
      lo = Math.min(lo, h.value);
      hi = Math.max(hi, h.value);
    }
  }
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const yAt = (v: number): number => pad.t + ((hi - v) / (hi - lo)) * (H - pad.t - pad.b);
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];
  const lines = series.map((s, k) => {
    const n = s.values.length;
    const step = Math.max(1, Math.floor(n / 1500));
    const pts: string[] = [];
    for (let i = 0; i < n; i += step) {
      const v = s.values[i] as number;
      if (!Number.isFinite(v)) continue;
      const x = pad.l + (n <= 1 ? 0 : (i / (n - 1)) * (W - pad.l - pad.r));
      pts.push(`${x.toFixed(1)},${yAt(v).toFixed(1)}`);
    }
    return `<polyline fill="none" stroke="${colours[k % colours.length]}" stroke-width="1.5" points="${pts.join(' ')}"/>`;
  });
  const refs = (opts.hlines ?? []).filter((h) => Number.isFinite(h.value)).map((h) => {
    const y = yAt(h.value).toFixed(1);
    return `<line x1="${pad.l}" y1="${y}" x2="${W - pad.r}" y2="${y}" stroke="#777" stroke-dasharray="4 3"/>` +
      `<text x="${W - pad.r + 4}" y="${(Number(y) + 4).toFixed(1)}" font-size="11">${esc(h.label)}</text>`;
  });
  const xl = opts.xLabels === undefined ? '' :
    `<text x="${pad.l}" y="${H - 8}" font-size="11">${esc(opts.xLabels[0])}</text>` +
    `<text x="${W - pad.r}" y="${H - 8}" font-size="11" text-anchor="end">${esc(opts.xLabels[1])}</text>`;
  const legend = series.map((s, k) => `<tspan fill="${colours[k % colours.length]}">■ ${esc(s.name)}</tspan>`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.title)}">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${pad.l}" y="16" font-size="12">${esc(opts.title)} ${legend}</text>` +
    `<text x="4" y="${pad.t + 10}" font-size="11">${esc(fmt(hi, 4))}</text>` +
    `<text x="4" y="${H - pad.b}" font-size="11">${esc(fmt(lo, 4))}</text>` +
    `<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#999"/>` +
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#999"/>` +
    refs.join('') + lines.join('') + xl + '</svg>';
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
