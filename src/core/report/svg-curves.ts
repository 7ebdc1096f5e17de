import { esc, fmt } from './html.js';

/** One curve of an svgCurves chart; `points` null means the curve is undefined for it (legend says so). */
export interface CurveSeries {
  name: string;
  colour: string;
  points: readonly (readonly [number, number])[] | null;
  /** Shown after the name in the legend, e.g. "AUC 0.612". */
  note?: string;
}

/** A dashed reference segment in data coordinates (e.g. the ROC diagonal or a PR prevalence level). */
export interface CurveRef {
  from: readonly [number, number];
  to: readonly [number, number];
  colour: string;
}

export interface SvgCurvesOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  refs: CurveRef[];
  /** Legend line of the reference segments. */
  refLabel: string;
}

const P = 260;
const PAD = { l: 52, t: 28, b: 44 };
const LEGEND_W = 200;

/**
 * An inline SVG chart of curves on the unit square (ROC, precision–recall): grid at quarters,
 * axis titles, dashed reference segments, and a legend beside the plot. No scripts.
 */
export function svgCurves(series: CurveSeries[], o: SvgCurvesOptions): string {
  const W = PAD.l + P + 16 + LEGEND_W;
  const H = PAD.t + P + PAD.b;
  const X = (x: number): string => (PAD.l + Math.min(1, Math.max(0, x)) * P).toFixed(1);
  const Y = (y: number): string => (PAD.t + (1 - Math.min(1, Math.max(0, y))) * P).toFixed(1);
  const grid: string[] = [];
  for (const q of [0, 0.25, 0.5, 0.75, 1]) {
    grid.push(
      `<line x1="${X(q)}" y1="${Y(0)}" x2="${X(q)}" y2="${Y(1)}" stroke="${q === 0 ? '#999' : '#eee'}"/>`,
      `<line x1="${X(0)}" y1="${Y(q)}" x2="${X(1)}" y2="${Y(q)}" stroke="${q === 0 ? '#999' : '#eee'}"/>`,
      `<text x="${X(q)}" y="${PAD.t + P + 14}" font-size="10" text-anchor="middle">${fmt(q, 2)}</text>`,
      `<text x="${PAD.l - 4}" y="${(Number(Y(q)) + 3).toFixed(1)}" font-size="10" text-anchor="end">${fmt(q, 2)}</text>`,
    );
  }
  const refs = o.refs.map((r) => `<line x1="${X(r.from[0])}" y1="${Y(r.from[1])}" x2="${X(r.to[0])}" y2="${Y(r.to[1])}" stroke="${esc(r.colour)}" stroke-dasharray="5 4" stroke-opacity="0.8"/>`);
  const lines = series.filter((s) => s.points !== null && s.points.length > 0).map((s) =>
    `<polyline fill="none" stroke="${esc(s.colour)}" stroke-width="1.6" points="${(s.points ?? []).map(([x, y]) => `${X(x)},${Y(y)}`).join(' ')}"/>`);
  const lx = PAD.l + P + 16;
  const legend = series.map((s, k) => {
    const y = PAD.t + 12 + k * 18;
    const label = s.points === null ? `${s.name}: not defined` : `${s.name}${s.note === undefined ? '' : ` ${s.note}`}`;
    return `<line x1="${lx}" y1="${y - 4}" x2="${lx + 18}" y2="${y - 4}" stroke="${esc(s.colour)}" stroke-width="${s.points === null ? 0 : 2}"/>` +
      `<text x="${lx + 24}" y="${y}" font-size="11"${s.points === null ? ' fill="#777"' : ''}>${esc(label)}</text>`;
  });
  const ry = PAD.t + 12 + series.length * 18 + 6;
  legend.push(`<line x1="${lx}" y1="${ry - 4}" x2="${lx + 18}" y2="${ry - 4}" stroke="#777" stroke-dasharray="5 4"/><text x="${lx + 24}" y="${ry}" font-size="11">${esc(o.refLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${PAD.l}" y="16" font-size="12" font-weight="600">${esc(o.title)}</text>` +
    grid.join('') + refs.join('') + lines.join('') + legend.join('') +
    `<text x="${PAD.l + P / 2}" y="${H - 10}" font-size="11" text-anchor="middle">${esc(o.xLabel)}</text>` +
    `<text x="14" y="${PAD.t + P / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${PAD.t + P / 2})">${esc(o.yLabel)}</text>` +
    '</svg>';
}
